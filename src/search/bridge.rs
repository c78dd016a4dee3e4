//! The bilingual term bridge: English words and phrases and the Chinese terms
//! they name (`bronze mirror` ↔ 铜镜, `Qianlong` ↔ 乾隆), from the museum's
//! glossary (`index/glossary.txt`) and the vocabularies' own names. A query in
//! one language also searches the other's terms.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use super::analysis::{is_cjk, simplify};
use super::tokenizers::EnglishTokenizer;
use crate::model::text::to_traditional;
use crate::model::vocab::Vocabularies;

/// English phrases (as their folded words) to Chinese terms (Simplified), and back.
#[derive(Debug, Clone, Default)]
pub struct Bridge {
    to_chinese: HashMap<String, Vec<String>>,
    to_english: HashMap<String, Vec<String>>,
    /// Words in the longest English phrase.
    longest: usize,
    /// The general dictionary, for English the glossary and the vocabularies do not know.
    dictionary: Arc<Dictionary>,
}

/// What a term the general dictionary gives counts, against one of the glossary's.
pub const DICTIONARY: f32 = 0.5;

/// The long tail of the bridge: English words and phrases to Chinese terms from a general
/// dictionary (`index/cedict.txt`, from CC-CEDICT), one way only: a Chinese word has too
/// many English senses in a dictionary to search them all.
#[derive(Debug, Default)]
pub struct Dictionary {
    to_chinese: HashMap<String, Vec<String>>,
    longest: usize,
}

impl Dictionary {
    /// Reads the glossary format (`english = 中文, 中文`).
    pub fn parse(text: &str) -> Dictionary {
        let mut d = Dictionary::default();
        for (english, chinese) in entries(text) {
            let key = key(&english);
            if key.is_empty() {
                continue;
            }
            d.longest = d.longest.max(key.split(' ').count());
            let terms = d.to_chinese.entry(key).or_default();
            for c in chinese {
                push_new(terms, simplify(&c));
            }
        }
        d
    }

    /// The dictionary built into the binary, read once.
    pub fn built_in() -> Arc<Dictionary> {
        static BUILT_IN: LazyLock<Arc<Dictionary>> =
            LazyLock::new(|| Arc::new(Dictionary::parse(include_str!("../../index/cedict.txt"))));
        BUILT_IN.clone()
    }
}

/// The entries of a glossary: `English, English = 中文, 中文` a line, `#` comments; lines
/// without both sides are skipped.
fn entries(text: &str) -> impl Iterator<Item = (String, Vec<String>)> + '_ {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).filter_map(|line| {
        let (english, chinese) = line.split_once('=')?;
        let chinese: Vec<String> = chinese
            .split([',', '，', '、'])
            .map(str::trim)
            .filter(|c| c.chars().any(is_cjk))
            .map(String::from)
            .collect();
        Some((english.trim().to_string(), chinese)).filter(|(e, c)| !e.is_empty() && !c.is_empty())
    })
}

/// An English text as the bridge keys it: its `en` tokens (lower case, diacritics and a
/// plural -s folded) joined by spaces.
pub fn key(english: &str) -> String {
    EnglishTokenizer::tokens(english).into_iter().map(|t| t.text).collect::<Vec<_>>().join(" ")
}

fn push_new(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

impl Bridge {
    /// Reads a glossary: `English, English = 中文, 中文` a line, `#` comments. Lines
    /// without both sides are skipped.
    pub fn parse(text: &str) -> Bridge {
        let mut bridge = Bridge::default();
        for (english, chinese) in entries(text) {
            for e in english.split([',', '，']).map(str::trim).filter(|e| !e.is_empty()) {
                for c in &chinese {
                    bridge.add(e, c);
                }
            }
        }
        bridge
    }

    /// This bridge with a general dictionary for the English it does not know.
    pub fn with_dictionary(mut self, dictionary: Arc<Dictionary>) -> Bridge {
        self.dictionary = dictionary;
        self
    }

    /// Links one English form to one Chinese term, both ways. The term is kept as the
    /// index normalises it, and also as the index normalises its Traditional form: the
    /// conversion to Simplified leaves some variants (琺瑯 → 珐瑯, not the 珐琅 a curator writes).
    pub fn add(&mut self, english: &str, chinese: &str) {
        let english = key(english);
        let chinese = simplify(chinese.trim());
        if english.is_empty() || !chinese.chars().any(is_cjk) || english.chars().any(is_cjk) {
            return;
        }
        self.longest = self.longest.max(english.split(' ').count());
        let through_traditional = simplify(&to_traditional(&chinese));
        for form in [chinese, through_traditional] {
            push_new(self.to_chinese.entry(english.clone()).or_default(), form.clone());
            push_new(self.to_english.entry(form).or_default(), english.clone());
        }
    }

    /// This bridge with the vocabularies' terms added after it: each term's English name
    /// (without what it says in brackets: `Kangxi reign (Qing)` → `Kangxi reign`), its code
    /// as words (`kangxi`) and its Latin aliases, to its Chinese name and Chinese aliases.
    pub fn with_vocabularies(&self, vocab: &Vocabularies) -> Bridge {
        let mut bridge = self.clone();
        for term in vocab.vocabularies.iter().flat_map(|v| &v.terms) {
            let (latin, chinese): (Vec<&String>, Vec<&String>) =
                term.aliases.iter().partition(|a| !a.chars().any(is_cjk));
            let name = term.en.split('(').next().unwrap_or_default();
            let code = term.code.replace('-', " ");
            let english = [name, code.as_str()].into_iter().chain(latin.iter().map(|a| a.as_str()));
            let chinese: Vec<&str> =
                std::iter::once(term.zh.as_str()).chain(chinese.iter().map(|a| a.as_str())).collect();
            for e in english {
                // A code with digits (`grade 1`, `jin 1115`) is not a phrase anyone types.
                if e.chars().any(|c| c.is_ascii_digit()) {
                    continue;
                }
                for c in &chinese {
                    bridge.add(e, c);
                }
            }
        }
        bridge
    }

    /// The Chinese terms of an English phrase given as its bridge key, with what they count:
    /// the glossary's and the vocabularies' if they know it (1), else the dictionary's
    /// ([`DICTIONARY`]).
    pub fn chinese(&self, key: &str) -> (&[String], f32) {
        match self.to_chinese.get(key) {
            Some(terms) => (terms, 1.0),
            None => (self.dictionary.to_chinese.get(key).map_or(&[], Vec::as_slice), DICTIONARY),
        }
    }

    /// The English phrases (bridge keys) of a Chinese term, in Simplified characters.
    pub fn english(&self, chinese: &str) -> &[String] {
        self.to_english.get(chinese).map_or(&[], Vec::as_slice)
    }

    /// Words in the longest English phrase the bridge holds.
    pub fn longest_phrase(&self) -> usize {
        self.longest.max(self.dictionary.longest)
    }

    pub fn is_empty(&self) -> bool {
        self.to_chinese.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_map_both_ways_whatever_their_case_plural_or_script() {
        let b = Bridge::parse(
            "# a comment\nbronze mirror, Bronze Mirrors = 銅鏡, 镜\nQianlong = 乾隆\nsun yat-sen = 孙中山, 國父\nno chinese = \n",
        );
        assert_eq!(b.chinese(&key("bronze mirror")).0, ["铜镜", "镜"]);
        assert_eq!(b.chinese(&key("BRONZE MIRRORS")).0, ["铜镜", "镜"]);
        assert_eq!(b.chinese(&key("qianlong")).0, ["乾隆"]);
        assert_eq!(b.chinese(&key("Sun Yat-sen")).0, ["孙中山", "国父"]);
        assert_eq!(b.english("铜镜"), ["bronze mirror"]);
        assert_eq!(b.english("国父"), ["sun yat sen"]);
        assert!(b.chinese("no chinese").0.is_empty());
        assert_eq!(b.longest_phrase(), 3);
    }

    #[test]
    fn the_dictionary_answers_only_what_the_glossary_does_not_know() {
        let dictionary = Arc::new(Dictionary::parse("# CC-CEDICT\nspittoon = 痰盂\nbowl = 碗, 钵, 盂\nfan = 扇, 迷\n"));
        let b = Bridge::parse("bowl = 碗\n").with_dictionary(dictionary);
        assert_eq!(b.chinese("bowl"), (&["碗".to_string()][..], 1.0));
        assert_eq!(b.chinese("spittoon"), (&["痰盂".to_string()][..], DICTIONARY));
        assert!(b.english("痰盂").is_empty(), "one way only");
        let built_in = Dictionary::built_in();
        assert!(built_in.to_chinese.len() > 40_000, "{}", built_in.to_chinese.len());
        assert!(built_in.to_chinese["crab"].contains(&"蟹".to_string()));
    }

    #[test]
    fn the_vocabularies_add_their_names_codes_and_aliases() {
        let b = Bridge::default().with_vocabularies(&Vocabularies::shipped());
        assert_eq!(b.chinese(&key("kangxi reign")).0, ["康熙"]);
        assert_eq!(b.chinese(&key("kangxi")).0, ["康熙"]);
        assert!(b.chinese(&key("ming dynasty")).0.contains(&"明".to_string()));
        assert!(b.chinese(&key("bronze")).0.contains(&"铜".to_string()), "{:?}", b.chinese("bronze").0);
        assert!(b.chinese("grade 1").0.is_empty());
    }
}

#[cfg(test)]
mod searched {
    use tantivy::TantivyDocument;

    use crate::search::index::SearchIndex;
    use crate::search::{SearchConfig, SearchRequest, SearchService};

    /// A search service and an index in memory holding (accession, title, description) records.
    fn index(records: &[(&str, &str, &str)]) -> (tempfile::TempDir, SearchService, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let service = SearchService::open(dir.path(), &SearchConfig::default()).unwrap();
        service.use_vocabularies(&crate::model::vocab::Vocabularies::shipped());
        let idx = SearchIndex::in_ram(&service.segmenter).unwrap();
        let f = &idx.fields;
        let mut writer: tantivy::IndexWriter = idx.index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (accession, title, description) in records {
            let mut doc = TantivyDocument::default();
            doc.add_text(f.accession, accession);
            doc.add_text(f.title, title);
            let body = format!("{title}\n{description}");
            for field in [f.word, f.gram, f.uni, f.en] {
                doc.add_text(field, &body);
            }
            doc.add_text(f.body, &body);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        idx.reader.reload().unwrap();
        (dir, service, idx)
    }

    fn found(service: &SearchService, idx: &SearchIndex, q: &str) -> Vec<String> {
        let req = SearchRequest { q: q.into(), page: 1, per_page: 20, snippets: true, ..Default::default() };
        service.search_in(idx, &req, false).unwrap().hits.into_iter().map(|h| h.accession).collect()
    }

    #[test]
    fn english_finds_chinese_titles_after_its_own_matches_and_chinese_finds_english() {
        let (_dir, service, idx) = index(&[
            ("zh-1", "掐絲琺瑯扁壺瓶", "銅胎。直頸，削肩。"),
            ("zh-2", "畫琺瑯花卉盒", ""),
            ("zh-3", "交龍紋杯", "口沿下一側有單環耳"),
            ("zh-4", "磬式墨", "同儲一黑漆盒"),
            ("zh-5", "銅鏡", ""),
            ("en-1", "Bronze mirror with a dragon", "A bronze mirror of the Tang dynasty"),
            ("en-2", "A cloisonné vase", "Copper, enamel"),
            ("zh-6", "銅痰盂", ""),
            ("zh-7", "螃蟹", ""),
            ("en-3", "Crab on a rock", ""),
        ]);
        // The direct English match first, then the record the bridged term names.
        assert_eq!(found(&service, &idx, "cloisonne"), ["en-2", "zh-1"]);
        assert_eq!(found(&service, &idx, "bronze mirror"), ["en-1", "zh-5"]);
        // A phrase of several characters, as a phrase of the title.
        assert_eq!(found(&service, &idx, "painted enamel"), ["zh-2"]);
        // A bridged term in a description alone does not make a hit: 盒 is only mentioned there.
        assert_eq!(found(&service, &idx, "box"), ["zh-2"]);
        // The general dictionary's long tail, for English no record's English text holds…
        assert_eq!(found(&service, &idx, "spittoon"), ["zh-6"]);
        // …but not where the collection's own English answers.
        assert_eq!(found(&service, &idx, "crab"), ["en-3"]);
        // And back: Chinese finds the English record after its own matches.
        assert_eq!(found(&service, &idx, "铜镜"), ["zh-5", "en-1"]);
    }
}
