//! The tantivy tokenizers of the search fields. Each emits tokens of the
//! normalised (Simplified, folded) text with offsets into the original.
//! Positions are character positions, so that a phrase of query tokens at
//! the same relative positions matches exactly the contiguous text.

use pinyin::ToPinyinMulti;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::analysis::{Normalised, Segmenter, fold_diacritics, is_cjk, latin_runs, normalise};

/// A token stream over a precomputed list.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn token(n: &Normalised, text: String, start: usize, end: usize) -> Token {
    let (offset_from, offset_to) = n.original_range(start, end);
    Token { offset_from, offset_to, position: start, text, position_length: 1 }
}

/// Latin words and numbers of normalised text, diacritics folded, as tokens.
fn latin_tokens(n: &Normalised, chars: &[char], out: &mut Vec<Token>) {
    for (s, e) in latin_runs(chars) {
        let word: String = chars[s..e].iter().collect();
        out.push(token(n, fold_diacritics(&word), s, e));
    }
}

/// `word`: jieba words of the Simplified text (search mode: long words and their parts).
#[derive(Clone)]
pub struct WordTokenizer {
    pub segmenter: Segmenter,
}

impl WordTokenizer {
    /// Tokens of `text`; `for_index` picks search-mode segmentation, else the query's default mode.
    pub fn tokens(&self, text: &str, for_index: bool) -> Vec<Token> {
        let n = normalise(text);
        let mut out: Vec<Token> = self
            .segmenter
            .words(&n.text, for_index)
            .into_iter()
            .map(|w| token(&n, fold_diacritics(&w.text), w.start, w.end))
            .collect();
        out.sort_by_key(|t| (t.position, t.offset_to));
        out
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(self.tokens(text, true))
    }
}

/// The short fields (makers, donors, categories, materials, private values):
/// overlapping CJK bigrams (a lone CJK character as itself), Latin words whole.
#[derive(Clone, Default)]
pub struct GramTokenizer;

impl GramTokenizer {
    pub fn tokens(text: &str) -> Vec<Token> {
        grams(text, true)
    }
}

/// `gram`, over all the text: the CJK bigrams only. Latin words are matched
/// through `word` and `en`, which hold them already.
#[derive(Clone, Default)]
pub struct CjkGramTokenizer;

impl CjkGramTokenizer {
    pub fn tokens(text: &str) -> Vec<Token> {
        grams(text, false)
    }
}

impl Tokenizer for CjkGramTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(CjkGramTokenizer::tokens(text))
    }
}

fn grams(text: &str, latin: bool) -> Vec<Token> {
    let n = normalise(text);
    let chars = n.chars();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_cjk(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_cjk(chars[i]) {
            i += 1;
        }
        if i - start == 1 {
            out.push(token(&n, chars[start].to_string(), start, i));
        }
        for k in start..i.saturating_sub(1) {
            out.push(token(&n, chars[k..k + 2].iter().collect(), k, k + 2));
        }
    }
    if latin {
        latin_tokens(&n, &chars, &mut out);
        out.sort_by_key(|t| t.position);
    }
    out
}

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(GramTokenizer::tokens(text))
    }
}

/// `title`: what a record is called (titles, object name, classification): every CJK
/// character alone and every bigram, so that one character and a run of them both match
/// within it, and Latin words whole.
#[derive(Clone, Default)]
pub struct TitleTokenizer;

impl TitleTokenizer {
    pub fn tokens(text: &str) -> Vec<Token> {
        let mut out = grams(text, true);
        out.extend(UniTokenizer::tokens(text));
        out.sort_by(|a, b| (a.position, &a.text).cmp(&(b.position, &b.text)));
        out.dedup_by(|a, b| a.position == b.position && a.text == b.text);
        out
    }
}

impl Tokenizer for TitleTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(TitleTokenizer::tokens(text))
    }
}

/// `uni`: every CJK character alone, for one-character queries (the only ones that
/// read this field; Latin words are matched through `gram`, `word` and `en`).
#[derive(Clone, Default)]
pub struct UniTokenizer;

impl UniTokenizer {
    pub fn tokens(text: &str) -> Vec<Token> {
        let n = normalise(text);
        let chars = n.chars();
        chars.iter().enumerate().filter(|(_, c)| is_cjk(**c)).map(|(i, c)| token(&n, c.to_string(), i, i + 1)).collect()
    }
}

impl Tokenizer for UniTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(UniTokenizer::tokens(text))
    }
}

/// Longest run of characters whose pinyin is indexed together (`lishucheng`).
const PINYIN_SPAN: usize = 4;
/// Most reading combinations indexed for one run of polyphonic characters.
const PINYIN_COMBINATIONS: usize = 8;

/// All readings of a character, without tones (`lv` for `lü`).
pub fn readings(c: char) -> Vec<String> {
    let mut out: Vec<String> =
        c.to_pinyin_multi().map(|m| m.into_iter().map(|p| p.plain().replace('ü', "v")).collect()).unwrap_or_default();
    out.dedup();
    out
}

/// `pinyin`: syllables, joined syllables of runs up to four characters, and their initials
/// (`李书城` → `li`, `shu`, `cheng`, `lishu`, `shucheng`, `lishucheng`, `lsc` …), all readings of polyphonic characters.
#[derive(Clone, Default)]
pub struct PinyinTokenizer;

impl PinyinTokenizer {
    pub fn tokens(text: &str) -> Vec<Token> {
        let n = normalise(text);
        let chars = n.chars();
        let per_char: Vec<Vec<String>> =
            chars.iter().map(|c| if is_cjk(*c) { readings(*c) } else { Vec::new() }).collect();
        let mut out = Vec::new();
        for start in 0..chars.len() {
            let mut combos: Vec<(String, String)> = vec![(String::new(), String::new())];
            for (end, options) in per_char.iter().enumerate().skip(start).take(PINYIN_SPAN) {
                if options.is_empty() {
                    break;
                }
                combos = combos
                    .iter()
                    .flat_map(|(joined, initials)| {
                        options.iter().map(move |r| (format!("{joined}{r}"), format!("{initials}{}", &r[..1])))
                    })
                    .take(PINYIN_COMBINATIONS)
                    .collect();
                for (joined, initials) in &combos {
                    out.push(token(&n, joined.clone(), start, end + 1));
                    if end > start {
                        out.push(token(&n, initials.clone(), start, end + 1));
                    }
                }
            }
        }
        out.sort_by(|a, b| (a.position, &a.text).cmp(&(b.position, &b.text)));
        out.dedup_by(|a, b| a.position == b.position && a.text == b.text);
        out
    }
}

/// Whether `query` finds `name` as a person looks a name up: a part of it in either
/// script and any case (`李書城`, `shucheng` in `Li Shucheng`), or its pinyin from the start
/// of a syllable, whole syllables joined or their initials (`lishu`, `li shucheng`, `lsc`).
pub fn name_matches(name: &str, query: &str) -> bool {
    let query = query.trim();
    if query.is_empty() {
        return true;
    }
    if normalise(name).text.contains(&normalise(query).text) {
        return true;
    }
    let latin: String = query.chars().filter(|c| !matches!(c, ' ' | '-' | '\'' | '·')).collect::<String>();
    if latin.is_empty() || !latin.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let latin = latin.to_ascii_lowercase();
    PinyinTokenizer::tokens(name).iter().any(|t| t.text.starts_with(&latin))
}

/// Every syllable the `pinyin` field can hold (the readings of the CJK ideographs).
static SYLLABLES: std::sync::LazyLock<std::collections::HashSet<String>> = std::sync::LazyLock::new(|| {
    (0x3400..=0x4DBF).chain(0x4E00..=0x9FFF).filter_map(char::from_u32).flat_map(readings).collect()
});

/// Letters in the longest syllable (`zhuang`, `chuang`, `shuang`).
const LONGEST_SYLLABLE: usize = 6;

/// Whether a Latin query word can be a `pinyin` token: initials of a run (two to four
/// letters), or one to four syllables joined. A word that cannot need not be looked up.
pub fn could_be_pinyin(word: &str) -> bool {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    if (2..=PINYIN_SPAN).contains(&word.len()) {
        return true;
    }
    // Fewest syllables that make up the first i letters.
    let mut fewest = vec![usize::MAX; word.len() + 1];
    fewest[0] = 0;
    for end in 1..=word.len() {
        for start in end.saturating_sub(LONGEST_SYLLABLE)..end {
            if fewest[start] < PINYIN_SPAN && SYLLABLES.contains(&word[start..end]) {
                fewest[end] = fewest[end].min(fewest[start] + 1);
            }
        }
    }
    fewest[word.len()] <= PINYIN_SPAN
}

impl Tokenizer for PinyinTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(PinyinTokenizer::tokens(text))
    }
}

/// Folds a final plural -s (`vineyards` → `vineyard`; not `glass`), the same on both sides of a match.
pub fn fold_plural(word: &str) -> String {
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

/// `en`: English words, lower-cased, diacritics folded (`Brassaï` → `brassai`), final plural -s folded.
#[derive(Clone, Default)]
pub struct EnglishTokenizer;

impl EnglishTokenizer {
    pub fn tokens(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut start = None;
        let mut position = 0;
        let mut emit = |s: usize, e: usize, out: &mut Vec<Token>| {
            let word = fold_diacritics(&text[s..e].to_lowercase());
            out.push(Token { offset_from: s, offset_to: e, position, text: fold_plural(&word), position_length: 1 });
            position += 1;
        };
        for (i, c) in text.char_indices() {
            let inside = c.is_alphanumeric() && !is_cjk(c);
            match (inside, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    emit(s, i, &mut out);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            emit(s, text.len(), &mut out);
        }
        out
    }
}

impl Tokenizer for EnglishTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(EnglishTokenizer::tokens(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn names_are_found_in_either_script_by_pinyin_and_by_initials() {
        for query in ["李书城", "李書城", "書城", "Li Shucheng", "shucheng", "lishu", "li shucheng", "LSC", "li-shu"]
        {
            assert!(name_matches("李书城", query) || name_matches("Li Shucheng", query), "{query}");
        }
        for query in ["lishucheng", "shu", "lsc", "李書"] {
            assert!(name_matches("李书城", query), "{query}");
        }
        for query in ["黎澍", "wang", "hucheng", "sc1", "李 书"] {
            assert!(!name_matches("李书城", query), "{query}");
        }
        assert!(name_matches("李书城", "  "), "an empty query finds every name");
    }

    #[test]
    fn grams_of_traditional_text_are_simplified_and_highlight_the_original() {
        let text = "曉緣仁兄 ab";
        let t = GramTokenizer::tokens(text);
        assert_eq!(texts(&t), ["晓缘", "缘仁", "仁兄", "ab"]);
        assert_eq!(&text[t[0].offset_from..t[0].offset_to], "曉緣");
        assert_eq!(t[1].position, 1);
        assert_eq!(texts(&CjkGramTokenizer::tokens(text)), ["晓缘", "缘仁", "仁兄"]);
    }

    #[test]
    fn titles_have_every_character_and_every_bigram() {
        let t = TitleTokenizer::tokens("銅鏡 Mirror");
        assert_eq!(texts(&t), ["铜", "铜镜", "镜", "mirror"]);
        assert_eq!(t.iter().map(|t| t.position).collect::<Vec<_>>(), [0, 0, 1, 3]);
    }

    #[test]
    fn pinyin_has_syllables_joined_runs_and_initials() {
        let t = PinyinTokenizer::tokens("李書城");
        let words = texts(&t);
        for w in ["li", "shu", "cheng", "lishucheng", "shucheng", "lsc"] {
            assert!(words.contains(&w), "{w} in {words:?}");
        }
    }

    #[test]
    fn only_words_made_of_syllables_or_initials_can_be_pinyin() {
        assert_eq!(SYLLABLES.iter().map(String::len).max(), Some(LONGEST_SYLLABLE));
        for w in ["lishucheng", "lsc", "li", "shucheng", "zhuang", "e", "xiaoyuanrenxiong"] {
            assert!(could_be_pinyin(w), "{w}");
        }
        // Five syllables are longer than any run indexed together.
        for w in ["street", "portrait", "watercolour", "b", "li2", "Li", "xiaoyuanrenxiongdi"] {
            assert!(!could_be_pinyin(w), "{w}");
        }
    }

    proptest::proptest! {
        /// A word the check turns away is never a token of the pinyin analyser.
        #[test]
        fn pinyin_tokens_all_pass_the_check(text in "[李書城曉緣仁兄村飲陆游毛主席走遍全国行长重庆]{1,8}") {
            for t in PinyinTokenizer::tokens(&text) {
                proptest::prop_assert!(could_be_pinyin(&t.text), "{}", t.text);
            }
        }
    }

    #[test]
    fn english_folds_case_diacritics_and_plurals() {
        assert_eq!(
            texts(&EnglishTokenizer::tokens("Brassaï's Vineyards, glass Studies")),
            ["brassai", "s", "vineyard", "glass", "studie"]
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::search::analysis::Segmenter;

    static WORDS: std::sync::LazyLock<WordTokenizer> =
        std::sync::LazyLock::new(|| WordTokenizer { segmenter: Segmenter::new("") });

    fn check(text: &str, tokens: &[Token]) {
        for t in tokens {
            assert!(t.offset_from <= t.offset_to && t.offset_to <= text.len(), "{t:?} in {text:?}");
            assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to), "{t:?} in {text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn every_analyser_gives_offsets_on_character_boundaries(text in "\\PC{0,40}|[a-zA-Z0-9 李書城曉緣仁兄村飲ＡＢＣ１２３ÀéïØß·，。《》\u{301}\u{200d}]{0,40}") {
            check(&text, &WORDS.tokens(&text, true));
            check(&text, &WORDS.tokens(&text, false));
            check(&text, &GramTokenizer::tokens(&text));
            check(&text, &CjkGramTokenizer::tokens(&text));
            check(&text, &UniTokenizer::tokens(&text));
            check(&text, &TitleTokenizer::tokens(&text));
            check(&text, &PinyinTokenizer::tokens(&text));
            check(&text, &EnglishTokenizer::tokens(&text));
        }

        #[test]
        fn snippets_never_split_a_character_and_balance_their_marks(text in "\\PC{0,200}", cuts in proptest::collection::vec((0usize..400, 0usize..12), 0..6)) {
            let ranges: Vec<std::ops::Range<usize>> = cuts.iter().map(|(s, l)| *s..*s + *l).collect();
            let html = crate::search::results::render_snippet(&text, &ranges);
            prop_assert_eq!(html.matches("<mark>").count(), html.matches("</mark>").count());
            let grams = GramTokenizer::tokens(&text);
            let ranges: Vec<std::ops::Range<usize>> = grams.iter().map(|t| t.offset_from..t.offset_to).collect();
            let html = crate::search::results::render_snippet(&text, &ranges);
            prop_assert_eq!(html.matches("<mark>").count(), html.matches("</mark>").count());
        }
    }
}
