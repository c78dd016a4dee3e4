//! Typo tolerance and near misses. A Latin-script word found nowhere in the
//! index is looked up again among the index's own terms within a few edits (one
//! from five letters, two from nine), in the index's symmetric-delete
//! dictionaries (`deletes.rs`), or through tantivy's Levenshtein automaton
//! over the term dictionary where a segment has none. A word the index holds is never corrected, so a
//! correctly typed query ranks as it always did. A query that finds little is
//! offered a near miss that finds more: Latin words by edit distance, Chinese
//! by characters that read the same (李書誠 → 李书城) or look alike (季书城 → 李书城).

use std::collections::HashMap;
use std::sync::LazyLock;

use tantivy::collector::TopDocs;
use tantivy::query::{FuzzyTermQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::analysis::{is_cjk, simplify};
use super::document::{HitInfo, StoredText};
use super::schema::IndexFields;
use super::tokenizers::readings;

/// Most corrections one word is searched with: the closest and most common.
pub const MOST_CORRECTIONS: usize = 6;

/// How many edits a typed word may be from what it meant: none below five letters,
/// one from five, two from nine; none for a word with anything but letters in it
/// (accession numbers, dates, numbers).
pub fn allowed_edits(word: &str) -> u8 {
    if !word.chars().all(char::is_alphabetic) || word.chars().any(super::analysis::is_cjk) {
        return 0;
    }
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Whether `field` holds `word` in any document.
pub fn indexed(searcher: &Searcher, field: Field, word: &str) -> bool {
    searcher.doc_freq(&Term::from_field_text(field, word)).is_ok_and(|n| n > 0)
}

/// One term of the index close to a typed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub term: String,
    /// Edits from the typed word (a swap of two neighbours is one).
    pub edits: usize,
    /// Documents that hold the term.
    pub documents: u64,
}

/// The terms of `field` within `edits` of `word`, fewest edits first, then the most
/// common; at most [`MOST_CORRECTIONS`]. Read through tantivy's Levenshtein automaton
/// over every segment's term dictionary: nothing to build, and about seven times
/// slower than the delete dictionaries' lookup (`deletes.rs`), which gives the same.
pub fn corrections(searcher: &Searcher, field: Field, word: &str, edits: u8) -> Vec<Correction> {
    if edits == 0 {
        return Vec::new();
    }
    let query = FuzzyTermQuery::new(Term::from_field_text(field, word), edits, true);
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else { continue };
        let Ok(automaton) = query.automaton() else { return Vec::new() };
        let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else { continue };
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                *found.entry(term.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut out: Vec<Correction> = found
        .into_iter()
        .filter(|(term, _)| term != word)
        .map(|(term, documents)| Correction { edits: strsim::osa_distance(word, &term), term, documents })
        .collect();
    rank(&mut out);
    out.truncate(MOST_CORRECTIONS);
    out
}

/// Fewest edits first, then the most common, then in the order of the alphabet.
pub fn rank(corrections: &mut [Correction]) {
    corrections
        .sort_by(|a, b| a.edits.cmp(&b.edits).then(b.documents.cmp(&a.documents)).then_with(|| a.term.cmp(&b.term)));
}

/// Records to read for the characters of a sound-alike.
const SOUND_ALIKE_RECORDS: usize = 10;

/// Texts in the index's own characters that read like `text`, CJK of two to four
/// characters, each the same syllable (tones aside). Looked for where readings are
/// indexed: titles, makers and donors.
pub fn sound_alikes(searcher: &Searcher, f: &IndexFields, text: &str) -> Vec<String> {
    let typed: Vec<char> = simplify(text.trim()).chars().collect();
    if !(2..=4).contains(&typed.len()) || !typed.iter().all(|c| is_cjk(*c)) {
        return Vec::new();
    }
    let per_char: Vec<Vec<String>> = typed.iter().map(|c| readings(*c)).collect();
    if per_char.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    // The joined readings of the whole text, as the pinyin field holds them (`lishucheng`).
    let mut joined = vec![String::new()];
    for options in &per_char {
        joined = joined.iter().flat_map(|j| options.iter().map(move |r| format!("{j}{r}"))).take(8).collect();
    }
    let mut candidates: Vec<String> = Vec::new();
    for reading in joined {
        let query = TermQuery::new(Term::from_field_text(f.pinyin, &reading), IndexRecordOption::Basic);
        let Ok(top) = searcher.search(&query, &TopDocs::with_limit(SOUND_ALIKE_RECORDS).order_by_score()) else {
            continue;
        };
        for (_, address) in top {
            let Ok(stored) = searcher.doc::<StoredText<true>>(address) else { continue };
            let body: Vec<char> = simplify(&HitInfo::from_stored(stored, f).body).chars().collect();
            for window in body.windows(typed.len()) {
                let reads_alike = window
                    .iter()
                    .zip(&per_char)
                    .all(|(c, wanted)| is_cjk(*c) && readings(*c).iter().any(|r| wanted.contains(r)));
                let found: String = window.iter().collect();
                if reads_alike && found.chars().ne(typed.iter().copied()) && !candidates.contains(&found) {
                    candidates.push(found);
                }
            }
        }
    }
    candidates
}

/// Characters that look alike (形近字), from `index/lookalikes.txt`: each character
/// with its look-alikes, most alike first.
static LOOKALIKES: LazyLock<HashMap<char, Vec<char>>> =
    LazyLock::new(|| parse_lookalikes(include_str!("../../index/lookalikes.txt")));

fn parse_lookalikes(text: &str) -> HashMap<char, Vec<char>> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut chars = l.split_whitespace().filter_map(|w| w.chars().next().filter(|_| w.chars().count() == 1));
            Some((chars.next()?, chars.collect()))
        })
        .collect()
}

/// The characters that look like `c` (in Simplified characters), most alike first.
pub fn lookalikes(c: char) -> &'static [char] {
    LOOKALIKES.get(&c).map(Vec::as_slice).unwrap_or_default()
}

/// Most look-alike texts one query word is tried as.
const MOST_LOOKALIKES: usize = 200;

/// Texts made from `text` (CJK, one to six characters) by putting, for one of its
/// characters or two, a character that looks like it: 季书城 → 李书城. The search
/// keeps those the index holds.
pub fn look_alikes(text: &str) -> Vec<String> {
    let typed: Vec<char> = simplify(text.trim()).chars().collect();
    if !(1..=6).contains(&typed.len()) || !typed.iter().all(|c| is_cjk(*c)) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let mut push = |chars: &[char]| {
        let s: String = chars.iter().collect();
        if chars != typed.as_slice() && !out.contains(&s) {
            out.push(s);
        }
    };
    for i in 0..typed.len() {
        for &a in lookalikes(typed[i]) {
            let mut once = typed.clone();
            once[i] = a;
            push(&once);
        }
    }
    for i in 0..typed.len() {
        for j in i + 1..typed.len() {
            for &a in lookalikes(typed[i]) {
                for &b in lookalikes(typed[j]) {
                    let mut twice = typed.clone();
                    (twice[i], twice[j]) = (a, b);
                    push(&twice);
                }
            }
        }
    }
    out.truncate(MOST_LOOKALIKES);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_that_look_alike_are_tried_one_and_two_at_a_time() {
        assert!(lookalikes('李').contains(&'季') && lookalikes('季').contains(&'李'));
        assert!(lookalikes('己').starts_with(&['已', '巳']));
        let tried = look_alikes("季書城");
        assert!(tried.contains(&"李书城".to_string()), "{tried:?}");
        assert!(!tried.contains(&"季书城".to_string()), "not the text as typed");
        let once = lookalikes('季').len() + lookalikes('书').len() + lookalikes('城').len();
        assert!(tried.len() > once, "two characters at a time too");
        assert!(tried.len() <= MOST_LOOKALIKES);
        assert!(look_alikes("book").is_empty() && look_alikes("").is_empty());
        assert_eq!(parse_lookalikes("# x\n城 域 成\n\n"), HashMap::from([('城', vec!['域', '成'])]));
    }

    #[test]
    fn longer_words_may_have_more_typos_and_numbers_none() {
        assert_eq!(allowed_edits("turn"), 0);
        assert_eq!(allowed_edits("bloch"), 1);
        assert_eq!(allowed_edits("kenenth"), 1);
        assert_eq!(allowed_edits("rippingikle"), 2);
        assert_eq!(allowed_edits("n06166"), 0);
        assert_eq!(allowed_edits("1923"), 0);
        assert_eq!(allowed_edits("李书城李书城"), 0);
    }
}
