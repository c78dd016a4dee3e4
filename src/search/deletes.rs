//! A symmetric-delete dictionary over one field's terms (SymSpell's method): what
//! finds the terms within a few edits of a typed word. Every term's first
//! [`PREFIX`] letters are stored with each of their deletions of up to [`MOST_EDITS`]
//! letters; a typed word's deletions are looked up among them, and the candidates
//! found are kept when they are within the allowed edits of the whole word.
//!
//! One dictionary a segment, built when a reader first sees the segment (a tantivy
//! [`Warmer`]) and dropped when no searcher uses it. At a million documents, the
//! `en` field's 87,000 terms make 26 MiB built in 0.34 s; a lookup takes 0.017 ms
//! where tantivy's Levenshtein automaton over the term dictionary took 0.126 ms
//! (`catalogue bench search` measures both, BENCHMARKS.md has the figures). A segment
//! without a dictionary (its warming failed) is read through the automaton.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use tantivy::schema::Field;
use tantivy::{Searcher, SearcherGeneration, SegmentReader, Warmer};

use super::typos::{Correction, MOST_CORRECTIONS, rank};
use super::warm::PerSegment;

/// Letters of a term whose deletions are stored: longer terms are told apart by
/// checking the candidates against the whole word (SymSpell's prefix, 7).
pub const PREFIX: usize = 7;

/// Most edits a lookup may ask for.
pub const MOST_EDITS: u8 = 2;

/// Shortest term kept: a word of five letters, the shortest corrected, with two
/// deletions cannot reach anything shorter.
const SHORTEST: usize = 3;

/// The terms of one field, and the deletions of their prefixes.
#[derive(Debug, Default)]
pub struct DeleteDictionary {
    /// Each term with the documents that hold it.
    terms: Vec<(String, u64)>,
    /// The hashes of every stored deletion, sorted, with the term each came from
    /// (`ids[i]` for `keys[i]`).
    keys: Vec<u64>,
    ids: Vec<u32>,
}

fn hash(s: &str) -> u64 {
    let mut h = std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().build_hasher();
    h.write(s.as_bytes());
    h.finish()
}

/// `word` and every string made from it by deleting up to `edits` letters, once each.
fn deletions(word: &str, edits: u8) -> Vec<String> {
    let mut out = vec![word.to_string()];
    let mut frontier = vec![word.to_string()];
    for _ in 0..edits {
        let mut next = Vec::new();
        for w in &frontier {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() <= 1 {
                continue;
            }
            for i in 0..chars.len() {
                let d: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
                if !out.contains(&d) {
                    out.push(d.clone());
                    next.push(d);
                }
            }
        }
        frontier = next;
    }
    out
}

fn prefix(word: &str) -> &str {
    match word.char_indices().nth(PREFIX) {
        Some((end, _)) => &word[..end],
        None => word,
    }
}

impl DeleteDictionary {
    /// The dictionary of `field` over every segment of `searcher` (documents summed).
    pub fn build(searcher: &Searcher, field: Field) -> tantivy::Result<DeleteDictionary> {
        Self::of_segments(searcher.segment_readers(), field)
    }

    /// The dictionary of `field` over `segments` (documents summed).
    pub fn of_segments(segments: &[SegmentReader], field: Field) -> tantivy::Result<DeleteDictionary> {
        let mut freq: HashMap<String, u64> = HashMap::new();
        for segment in segments {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                if term.chars().count() >= SHORTEST {
                    *freq.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut terms: Vec<(String, u64)> = freq.into_iter().collect();
        terms.sort_unstable();
        let mut pairs: Vec<(u64, u32)> = Vec::with_capacity(terms.len() * 16);
        for (id, (term, _)) in terms.iter().enumerate() {
            for d in deletions(prefix(term), MOST_EDITS) {
                pairs.push((hash(&d), id as u32));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let (keys, ids) = pairs.into_iter().unzip();
        Ok(DeleteDictionary { terms, keys, ids })
    }

    /// Terms held.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Deletions stored.
    pub fn entries(&self) -> usize {
        self.keys.len()
    }

    /// Bytes the dictionary holds (its terms' text, their counts, the deletions).
    pub fn memory_bytes(&self) -> usize {
        self.terms.iter().map(|(t, _)| t.capacity() + std::mem::size_of::<(String, u64)>()).sum::<usize>()
            + self.keys.capacity() * std::mem::size_of::<u64>()
            + self.ids.capacity() * std::mem::size_of::<u32>()
    }

    /// The terms within `edits` of `word` (a swap of two neighbours is one edit), fewest
    /// edits first, then the most common; at most [`MOST_CORRECTIONS`]. The same as
    /// [`super::typos::corrections`] gives over the same index.
    pub fn corrections(&self, word: &str, edits: u8) -> Vec<Correction> {
        let mut out = self.candidates(word, edits);
        rank(&mut out);
        out.truncate(MOST_CORRECTIONS);
        out
    }

    /// Every term within `edits` of `word`, in no order.
    fn candidates(&self, word: &str, edits: u8) -> Vec<Correction> {
        if edits == 0 {
            return Vec::new();
        }
        let edits = edits.min(MOST_EDITS);
        let mut seen: Vec<u32> = Vec::new();
        let mut out = Vec::new();
        for d in deletions(prefix(word), edits) {
            let key = hash(&d);
            let start = self.keys.partition_point(|k| *k < key);
            for (k, id) in self.keys[start..].iter().zip(&self.ids[start..]) {
                if *k != key {
                    break;
                }
                if seen.contains(id) {
                    continue;
                }
                seen.push(*id);
                let (term, documents) = &self.terms[*id as usize];
                let distance = strsim::osa_distance(word, term);
                if term != word && distance <= usize::from(edits) {
                    out.push(Correction { term: term.clone(), edits: distance, documents: *documents });
                }
            }
        }
        out
    }
}

/// The delete dictionaries of one field, a segment each, kept warm for an index's reader.
#[derive(Debug)]
pub struct Typos {
    field: Field,
    segments: PerSegment<DeleteDictionary>,
}

impl Typos {
    pub fn new(field: Field) -> Typos {
        Typos { field, segments: PerSegment::default() }
    }

    /// The terms within `edits` of `word` in the field over `searcher`'s segments, as
    /// [`super::typos::corrections`] gives them.
    pub fn corrections(&self, searcher: &Searcher, word: &str, edits: u8) -> Vec<Correction> {
        let mut found: HashMap<String, Correction> = HashMap::new();
        for segment in searcher.segment_readers() {
            let Some(dictionary) = self.segments.get(segment.segment_id()) else {
                return super::typos::corrections(searcher, self.field, word, edits);
            };
            for c in dictionary.candidates(word, edits) {
                match found.get_mut(&c.term) {
                    Some(seen) => seen.documents += c.documents,
                    None => {
                        found.insert(c.term.clone(), c);
                    }
                }
            }
        }
        let mut out: Vec<Correction> = found.into_values().collect();
        rank(&mut out);
        out.truncate(MOST_CORRECTIONS);
        out
    }

    /// Segments with a dictionary.
    pub fn warm_segments(&self) -> usize {
        self.segments.count()
    }
}

impl Warmer for Typos {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            self.segments
                .get_or_make(segment, |s| DeleteDictionary::of_segments(std::slice::from_ref(s), self.field))?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live: &[&SearcherGeneration]) {
        self.segments.keep_only(live);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::typos;
    use std::sync::Arc;
    use std::sync::LazyLock;
    use tantivy::schema::{STRING, Schema};
    use tantivy::{Index, TantivyDocument};

    /// Names and title words of the kind researchers mistype, each in a document or a few.
    const WORDS: &str = "kenneth rowell harry sternberg pawel althamer hohenbuchler turner eugene smith \
        landscape portrait rippingille constable gainsborough hepworth moore barbara henry \
        bacon francis study figure head woman women window widow winter winner sketch sketches \
        etching etchings engraving engraver lithograph photograph photographer mirror bronze \
        calligraphy ceremony dedication reproduction scroll jar horse cloisonne bodhisattva \
        abc abcd abcde aaaaa aaaab baaaa ab";

    static INDEX: LazyLock<(Index, Field)> = LazyLock::new(|| {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("en", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        for (i, word) in WORDS.split_whitespace().enumerate() {
            for _ in 0..=(i % 3) {
                let mut doc = TantivyDocument::new();
                doc.add_text(field, word);
                writer.add_document(doc).expect("add");
            }
            // A second segment for some, so counts are summed over segments.
            if i == 30 {
                writer.commit().expect("commit");
            }
        }
        writer.commit().expect("commit");
        (index, field)
    });

    /// `word` with one edit: a letter dropped, two swapped, one replaced or one added.
    fn edited(word: &str, kind: u8, at: usize, letter: char) -> String {
        let mut c: Vec<char> = word.chars().collect();
        let at = at % c.len();
        match kind % 4 {
            0 => {
                c.remove(at);
            }
            1 if at + 1 < c.len() => c.swap(at, at + 1),
            2 => c[at] = letter,
            _ => c.insert(at, letter),
        }
        c.into_iter().collect()
    }

    proptest::proptest! {
        #[test]
        fn the_dictionary_finds_what_the_automaton_finds(
            pick in 0usize..64, edits in proptest::collection::vec((0u8..4, 0usize..12, proptest::char::range('a', 'z')), 1..4)
        ) {
            let (index, field) = &*INDEX;
            let searcher = index.reader().expect("reader").searcher();
            let dictionary = DeleteDictionary::build(&searcher, *field).expect("built");
            let words: Vec<&str> = WORDS.split_whitespace().collect();
            let mut typed = words[pick % words.len()].to_string();
            for (kind, at, letter) in edits {
                if typed.is_empty() {
                    return Ok(());
                }
                typed = edited(&typed, kind, at, letter);
            }
            // Words under five letters are never corrected.
            if typed.chars().count() < 5 {
                return Ok(());
            }
            for allowed in 1..=MOST_EDITS {
                let ours = dictionary.corrections(&typed, allowed);
                let automaton = typos::corrections(&searcher, *field, &typed, allowed);
                proptest::prop_assert_eq!(&ours, &automaton, "{} with {} edits", typed, allowed);
            }
        }
    }

    #[test]
    fn each_segment_has_a_dictionary_while_a_searcher_uses_it() {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("en", STRING);
        let index = Index::create_in_ram(schema.build());
        let typos = Arc::new(Typos::new(field));
        let warmer: Arc<dyn Warmer> = typos.clone();
        let reader: tantivy::IndexReader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .warmers(vec![Arc::downgrade(&warmer)])
            .try_into()
            .expect("reader");
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        for batch in [["kenneth", "rowell"], ["kenneth", "turner"], ["kennet", "sternberg"]] {
            for word in batch {
                let mut doc = TantivyDocument::new();
                doc.add_text(field, word);
                writer.add_document(doc).expect("add");
            }
            writer.commit().expect("commit");
        }
        reader.reload().expect("reload");
        let searcher = reader.searcher();
        assert_eq!(typos.warm_segments(), 3);
        let found = typos.corrections(&searcher, "kenenth", 1);
        assert_eq!(found, typos::corrections(&searcher, field, "kenenth", 1));
        assert_eq!((found[0].term.as_str(), found[0].documents), ("kenneth", 2), "summed over segments");
        // Merged into one: the old segments' dictionaries go once no searcher uses them.
        let ids = index.searchable_segment_ids().expect("ids");
        writer.merge(&ids).wait().expect("merged");
        writer.wait_merging_threads().expect("merged");
        drop(searcher);
        reader.reload().expect("reload");
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while typos.warm_segments() > 1 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(typos.warm_segments(), 1);
        assert_eq!(typos.corrections(&searcher, "kenenth", 2), typos::corrections(&searcher, field, "kenenth", 2));
    }

    #[test]
    fn a_mistyped_name_is_found_and_counted_over_segments() {
        let (index, field) = &*INDEX;
        let searcher = index.reader().expect("reader").searcher();
        assert!(searcher.segment_readers().len() > 1);
        let dictionary = DeleteDictionary::build(&searcher, *field).expect("built");
        assert_eq!(dictionary.len(), WORDS.split_whitespace().filter(|w| w.len() >= SHORTEST).count());
        let found = dictionary.corrections("kenenth", 1);
        assert_eq!(found.iter().map(|c| c.term.as_str()).collect::<Vec<_>>(), ["kenneth"]);
        let winds = dictionary.corrections("windw", 2);
        assert_eq!(winds.iter().map(|c| c.term.as_str()).collect::<Vec<_>>(), ["window", "widow"]);
        assert!(dictionary.corrections("kenneth", 1).is_empty(), "a held word is not its own correction");
        assert!(dictionary.corrections("rippingikle", 0).is_empty());
        assert_eq!(dictionary.corrections("ripingikle", 2)[0].term, "rippingille");
        assert!(dictionary.memory_bytes() > dictionary.entries() * 12);
    }

    #[test]
    fn deletions_are_each_string_once() {
        let d = deletions("abc", 2);
        assert_eq!(d, vec!["abc", "bc", "ac", "ab", "c", "b", "a"]);
        assert_eq!(deletions("aab", 1), vec!["aab", "ab", "aa"]);
        assert_eq!(prefix("hohenbuchler"), "hohenbu");
        assert_eq!(prefix("paweł"), "paweł");
    }
}
