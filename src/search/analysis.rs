//! Text analysis for search. Every analysed text is first normalised — NFKC
//! (width) and case folding, then Traditional→Simplified with OpenCC — keeping
//! a map from each normalised character back to the original bytes, so that
//! highlights always fall on the text as written.

use std::sync::Arc;

use jieba_rs::{Jieba, TokenizeMode};
use unicode_normalization::UnicodeNormalization;

use crate::model::text::to_simplified;

/// Normalised text and where each of its characters came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    pub text: String,
    /// For each character of `text`: the byte range in the original it came from.
    pub spans: Vec<(usize, usize)>,
}

impl Normalised {
    pub fn chars(&self) -> Vec<char> {
        self.text.chars().collect()
    }

    /// The original byte range of normalised characters `start..end`.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let first = self.spans.get(start).map_or(0, |s| s.0);
        let last = self.spans.get(end.saturating_sub(1)).map_or(first, |s| s.1);
        (first, last.max(first))
    }
}

pub use crate::model::text::is_cjk;

thread_local! {
    /// The last text normalised on this thread: one document's text goes through several analysers in a row.
    static LAST: std::cell::RefCell<Option<(String, Normalised)>> = const { std::cell::RefCell::new(None) };
}

/// Folds width and case, and converts Traditional to Simplified.
pub fn normalise(original: &str) -> Normalised {
    if let Some(hit) = LAST.with(|l| l.borrow().as_ref().filter(|(t, _)| t == original).map(|(_, n)| n.clone())) {
        return hit;
    }
    let n = normalise_uncached(original);
    LAST.with(|l| *l.borrow_mut() = Some((original.to_string(), n.clone())));
    n
}

fn normalise_uncached(original: &str) -> Normalised {
    let mut folded = String::with_capacity(original.len());
    let mut spans = Vec::with_capacity(original.len());
    let mut has_cjk = false;
    for (i, c) in original.char_indices() {
        let end = i + c.len_utf8();
        // ASCII and the unified ideographs are their own NFKC form and have no case:
        // the common characters skip the general path.
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
            spans.push((i, end));
            continue;
        }
        if matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) {
            has_cjk = true;
            folded.push(c);
            spans.push((i, end));
            continue;
        }
        // Characters that are their own NFKC form (most punctuation and letters) only fold case.
        if unicode_normalization::is_nfkc_quick(std::iter::once(c)) == unicode_normalization::IsNormalized::Yes {
            for l in c.to_lowercase() {
                has_cjk |= is_cjk(l);
                folded.push(l);
                spans.push((i, end));
            }
            continue;
        }
        for n in std::iter::once(c).nfkc() {
            for l in n.to_lowercase() {
                has_cjk |= is_cjk(l);
                folded.push(l);
                spans.push((i, end));
            }
        }
    }
    if !has_cjk {
        return Normalised { text: folded, spans };
    }
    let converted = to_simplified(&folded);
    if converted.chars().count() == spans.len() {
        return Normalised { text: fold_variants(converted), spans };
    }
    // A phrase changed length in conversion: convert character by character to keep the map exact.
    let mut text = String::with_capacity(folded.len());
    for c in folded.chars() {
        let one = to_simplified(c.encode_utf8(&mut [0u8; 4]));
        let mut it = one.chars();
        match (it.next(), it.next()) {
            (Some(s), None) => text.push(s),
            _ => text.push(c),
        }
    }
    Normalised { text: fold_variants(text), spans }
}

/// Variant characters that the conversion to Simplified keeps, written as their standard
/// form, so that either spelling finds the other (琺瑯 and 珐琅, 盃 and 杯).
fn variant(c: char) -> Option<char> {
    Some(match c {
        '瑯' => '琅',
        '盃' => '杯',
        '盌' | '椀' => '碗',
        '硃' => '朱',
        '綫' => '线',
        '峯' => '峰',
        '羣' => '群',
        '甎' => '砖',
        '罈' | '壜' => '坛',
        '僊' => '仙',
        '菓' => '果',
        '蹟' => '迹',
        '鑪' => '炉',
        '甕' => '瓮',
        '牀' => '床',
        '搨' => '拓',
        '銕' => '铁',
        '鎚' => '锤',
        _ => return None,
    })
}

fn fold_variants(text: String) -> String {
    if !text.chars().any(|c| variant(c).is_some()) {
        return text;
    }
    text.chars().map(|c| variant(c).unwrap_or(c)).collect()
}

/// Simplified form of a text (for dictionary lookups and queries).
pub fn simplify(text: &str) -> String {
    normalise(text).text
}

/// The word segmenter, with the museum's user dictionary.
#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Jieba>,
}

/// One word of a segmented text: the word and its character range in the normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl Segmenter {
    /// A segmenter with jieba's dictionary plus the user dictionary text (jieba format).
    pub fn new(user_dictionary: &str) -> Segmenter {
        let mut jieba = Jieba::new();
        for line in user_dictionary.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(word) = parts.next() else { continue };
            let freq = parts.next().and_then(|f| f.parse().ok());
            let tag = parts.next();
            jieba.add_word(&simplify(word), freq, tag);
        }
        Segmenter { jieba: Arc::new(jieba) }
    }

    /// Words of normalised text: search mode (long words and their parts) for indexing, default mode for queries.
    pub fn words(&self, normalised: &str, for_index: bool) -> Vec<Word> {
        let mode = if for_index { TokenizeMode::Search } else { TokenizeMode::Default };
        self.jieba
            .tokenize(normalised, mode, true)
            .into_iter()
            .filter(|t| t.word.chars().any(char::is_alphanumeric))
            .map(|t| Word { text: t.word.to_string(), start: t.start, end: t.end })
            .collect()
    }
}

/// Runs of characters that are not CJK: Latin words and numbers, split on anything else.
/// Yields (start, end) character ranges.
pub fn latin_runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        let inside = c.is_alphanumeric() && !is_cjk(*c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, chars.len()));
    }
    runs
}

/// Removes diacritics from Latin letters (`Brassaï` → `brassai`), and writes the
/// letters that have no decomposition as an ASCII keyboard types them
/// (`Paweł` → `Pawel`, `Søren` → `Soren`, `Straße` → `Strasse`), keeping other characters.
pub fn fold_diacritics(s: &str) -> String {
    if s.chars().all(has_no_canonical_decomposition) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)) {
        match letter_folding(c) {
            Some(folded) => out.push_str(folded),
            None => out.push(c),
        }
    }
    out
}

/// Latin letters that canonical decomposition leaves whole, as they are written in ASCII.
pub fn letter_folding(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'Ø' => "O",
        'æ' => "ae",
        'Æ' => "AE",
        'ß' => "ss",
        'ẞ' => "SS",
        'ł' => "l",
        'Ł' => "L",
        'đ' => "d",
        'Đ' => "D",
        'ð' => "d",
        'Ð' => "D",
        'œ' => "oe",
        'Œ' => "OE",
        'þ' => "th",
        'Þ' => "TH",
        'ı' => "i",
        'ħ' => "h",
        'Ħ' => "H",
        'ŧ' => "t",
        'Ŧ' => "T",
        'ŀ' => "l",
        'Ŀ' => "L",
        _ => return None,
    })
}

/// Characters that canonical decomposition leaves alone and never reorders, checked
/// cheaply: ASCII, CJK punctuation (not the ideographic tone marks U+302A–U+302F),
/// the unified ideographs and the full-width forms (whose decompositions are
/// compatibility ones, which NFD does not apply).
fn has_no_canonical_decomposition(c: char) -> bool {
    c.is_ascii()
        || matches!(c as u32, 0x3000..=0x3029 | 0x3030..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_and_full_width_text_normalises_to_simplified_half_width() {
        assert_eq!(simplify("李書城"), "李书城");
        assert_eq!(simplify("曉緣仁兄"), "晓缘仁兄");
        assert_eq!(simplify("ＡＢＣ１２３"), "abc123");
        assert_eq!(simplify("銅鍍金"), "铜镀金");
    }

    #[test]
    fn variant_characters_fold_to_their_standard_form() {
        assert_eq!(simplify("掐絲琺瑯扁壺瓶"), simplify("掐丝珐琅扁壶瓶"));
        assert_eq!(simplify("朱漆盃"), "朱漆杯");
        assert_eq!(simplify("宋搨臨江帖"), "宋拓临江帖");
        let n = normalise("琺瑯 ab");
        assert_eq!(n.text.chars().count(), n.spans.len());
    }

    #[test]
    fn every_normalised_character_maps_back_to_the_original() {
        let original = "《村飲》ＡＢ李書城 1923";
        let n = normalise(original);
        assert_eq!(n.text.chars().count(), n.spans.len());
        let (s, e) = n.original_range(5, 6);
        assert_eq!(&original[s..e], "Ｂ");
        let start = n.text.chars().position(|c| c == '李').unwrap();
        let (s, e) = n.original_range(start, start + 3);
        assert_eq!(&original[s..e], "李書城");
    }

    #[test]
    fn the_user_dictionary_keeps_names_whole() {
        let seg = Segmenter::new("李书城 20000 nr\n");
        let words: Vec<String> = seg.words(&simplify("李書城寓所"), false).into_iter().map(|w| w.text).collect();
        assert_eq!(words[0], "李书城");
    }

    proptest::proptest! {
        /// The fast paths for ASCII and unified ideographs give what the general rule gives.
        #[test]
        fn folding_shortcuts_agree_with_nfkc_and_lowercase(text in "\\PC{0,60}|[a-zA-Z0-9 李書城曉緣ＡＢ１ÀéØß\u{301}\u{F900}]{0,40}") {
            let mut expected = String::new();
            for c in text.chars() {
                for n in std::iter::once(c).nfkc() {
                    expected.extend(n.to_lowercase());
                }
            }
            let n = normalise_uncached(&text);
            proptest::prop_assert_eq!(n.spans.len(), expected.chars().count());
            if !expected.chars().any(is_cjk) {
                proptest::prop_assert_eq!(n.text, expected);
            }
        }
    }

    proptest::proptest! {
        /// The shortcut for characters without a canonical decomposition changes nothing.
        #[test]
        fn folding_diacritics_agrees_with_the_general_rule(text in "\\PC{0,40}|[a-zA-Z0-9 李書城，。《》（）ＡＢ１ÀéØßがÅ≠한\u{301}\u{302A}\u{302B}\u{3099}\u{F900}\u{2F800}]{0,40}|[a李，\u{302A}\u{302B}]{0,8}") {
            let general: String = text
                .nfd()
                .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
                .map(|c| letter_folding(c).map_or(c.to_string(), str::to_string))
                .collect();
            proptest::prop_assert_eq!(fold_diacritics(&text), general);
        }
    }

    #[test]
    fn diacritics_fold() {
        assert_eq!(fold_diacritics("Brassaï Kühn"), "Brassai Kuhn");
    }

    #[test]
    fn letters_without_a_decomposition_fold_as_an_ascii_keyboard_types_them() {
        for (written, typed) in [
            ("Paweł Althamer", "Pawel Althamer"),
            ("Søren Kierkegaard", "Soren Kierkegaard"),
            ("Ærø", "AEro"),
            ("Straße", "Strasse"),
            ("ẞ", "SS"),
            ("Đorđe", "Dorde"),
            ("Œuvre, cœur", "OEuvre, coeur"),
            ("Þórr", "THorr"),
            ("Łódź", "Lodz"),
            ("Hafliðason", "Haflidason"),
            // Letters that decompose lose their marks as before; CJK is untouched.
            ("Dvořák 李書城", "Dvorak 李書城"),
        ] {
            assert_eq!(fold_diacritics(written), typed, "{written}");
        }
        // Lower-cased first, as every analyser does, the folded form is lower case too.
        assert_eq!(fold_diacritics(&"ÆRØ ŁÓDŹ".to_lowercase()), "aero lodz");
    }
}
