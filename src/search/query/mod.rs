//! The query language: plain words and quoted phrases, `field:value`
//! (`donor:`, `maker:`, `category:`, `material:`, `accession:`,
//! `year:1900..1930`), AND / OR / NOT (or a leading `-`). Words are joined
//! by AND. Nothing here fails: what does not parse is searched as plain text.

use serde::Deserialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use super::analysis::{is_cjk, simplify};
use super::schema::IndexFields;
use super::tokenizers::{CjkGramTokenizer, EnglishTokenizer, GramTokenizer, UniTokenizer, WordTokenizer};

mod syntax;

pub use syntax::{Clause, FILTERS, Join, Parsed, STATUSES, check_filter, parse};

/// Field boosts, from `index/boosts.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boosts {
    pub keyword: f32,
    pub word_phrase: f32,
    pub word_terms: f32,
    pub gram_phrase: f32,
    pub english: f32,
    pub pinyin: f32,
    pub title: f32,
    /// The Chinese terms an English query names, and the English a Chinese one names
    /// (`glossary.txt`): less than a direct match, so that records in the query's own
    /// language come first.
    #[serde(default = "default_bridge")]
    pub bridge: f32,
}

fn default_bridge() -> f32 {
    0.5
}

impl Default for Boosts {
    fn default() -> Self {
        toml::from_str(include_str!("../../../index/boosts.toml")).expect("index/boosts.toml is valid")
    }
}

/// What a bridged term found in a record's classification counts, against its title.
const CLASSIFICATION: f32 = 0.25;

/// Builds tantivy queries from parsed clauses.
pub struct QueryBuilder<'a> {
    pub fields: &'a IndexFields,
    /// The index searched: which words it holds decides which typed words are typos.
    pub searcher: &'a tantivy::Searcher,
    /// Where the index's terms near a typed word are looked up.
    pub typos: &'a super::deletes::Typos,
    pub words: &'a WordTokenizer,
    pub boosts: &'a Boosts,
    pub synonyms: &'a super::Synonyms,
    pub bridge: &'a super::bridge::Bridge,
    /// Whether private values may match (curators only).
    pub private: bool,
    /// The typed words the index does not hold, and the term each was searched as instead.
    pub corrected: std::cell::RefCell<Vec<(String, String)>>,
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(q, boost))
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

/// A phrase of tokens at their own positions; a single token as a term.
fn phrase(field: Field, tokens: &[tantivy::tokenizer::Token]) -> Option<Box<dyn Query>> {
    match tokens {
        [] => None,
        [one] => Some(term_query(field, &one.text)),
        many => {
            let first = many[0].position;
            let terms = many.iter().map(|t| (t.position - first, Term::from_field_text(field, &t.text))).collect();
            Some(Box::new(PhraseQuery::new_with_offset(terms)))
        }
    }
}

/// All of the tokens, anywhere.
fn all_of(field: Field, tokens: &[tantivy::tokenizer::Token]) -> Option<Box<dyn Query>> {
    if tokens.is_empty() {
        return None;
    }
    let mut seen = std::collections::HashSet::new();
    let clauses = tokens
        .iter()
        .filter(|t| seen.insert(t.text.clone()))
        .map(|t| (Occur::Must, term_query(field, &t.text)))
        .collect();
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// The tokens as a phrase (boosted by `phrase_boost`) and each anywhere (by `terms_boost`).
/// One token is both at once: a single term query with both boosts scores the same
/// and looks the term up once.
fn phrase_and_terms(
    field: Field,
    tokens: &[tantivy::tokenizer::Token],
    phrase_boost: f32,
    terms_boost: f32,
) -> Vec<(Box<dyn Query>, f32)> {
    match tokens {
        [] => Vec::new(),
        [one] => vec![(term_query(field, &one.text), phrase_boost + terms_boost)],
        many => [(phrase(field, many), phrase_boost), (all_of(field, many), terms_boost)]
            .into_iter()
            .filter_map(|(q, boost)| q.map(|q| (q, boost)))
            .collect(),
    }
}

/// Contiguous characters in a gram-analysed short field (bigram phrase; unigram for one CJK character).
pub fn gram_phrase(gram: Field, uni: Field, text: &str) -> Option<Box<dyn Query>> {
    if let Some(one) = one_cjk_character(uni, text) {
        return Some(one);
    }
    phrase(gram, &GramTokenizer::tokens(text))
}

/// Contiguous CJK characters in the `gram` field (Latin words in between keep
/// their places: the bigrams must stand as far apart as in the query).
pub fn cjk_gram_phrase(gram: Field, uni: Field, text: &str) -> Option<Box<dyn Query>> {
    if let Some(one) = one_cjk_character(uni, text) {
        return Some(one);
    }
    phrase(gram, &CjkGramTokenizer::tokens(text))
}

/// A query of one CJK character alone, in the field of single characters.
fn one_cjk_character(uni: Field, text: &str) -> Option<Box<dyn Query>> {
    let cjk = simplify(text).chars().filter(|c| is_cjk(*c)).count();
    if cjk == 1 && !text.chars().any(|c| c.is_alphanumeric() && !is_cjk(c)) {
        return all_of(uni, &UniTokenizer::tokens(text));
    }
    None
}

impl QueryBuilder<'_> {
    /// The ways one piece of text can match, any of which will do.
    fn text(&self, text: &str) -> Box<dyn Query> {
        self.text_as(text, true)
    }

    /// [`Self::text`], Latin words read as pinyin too when `pinyin`.
    fn text_as(&self, text: &str, pinyin: bool) -> Box<dyn Query> {
        let f = self.fields;
        let b = self.boosts;
        let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |q: Option<Box<dyn Query>>, boost: f32| {
            if let Some(q) = q {
                any.push((Occur::Should, boosted(q, boost)));
            }
        };
        // Accession numbers and other identifiers have digits: a word without one is not
        // looked up among them (each term looked up costs every search some time).
        if text.chars().any(|c| c.is_numeric()) {
            add(Some(term_query(f.keyword, &text.trim().to_lowercase())), b.keyword);
        }
        let has_cjk = text.chars().any(is_cjk);
        if has_cjk {
            for (q, boost) in phrase_and_terms(f.word, &self.words.tokens(text, false), b.word_phrase, b.word_terms) {
                add(Some(q), boost);
            }
            add(cjk_gram_phrase(f.gram, f.uni, text), b.gram_phrase);
            add(gram_phrase(f.maker, f.maker, text).filter(|_| text.chars().count() > 1), b.title);
            if self.private {
                add(gram_phrase(f.private, f.private, text).filter(|_| text.chars().count() > 1), 1.0);
            }
        } else {
            let en = EnglishTokenizer::tokens(text);
            for (q, boost) in phrase_and_terms(f.en, &en, b.english, b.english * 0.5) {
                add(Some(q), boost);
            }
            add(self.with_typos(&en), b.english * 0.5);
            // Pinyin: each Latin word must be a syllable, a joined run or initials of a name or title.
            let latin: Vec<tantivy::tokenizer::Token> = en
                .iter()
                .map(|t| tantivy::tokenizer::Token {
                    text: super::analysis::fold_diacritics(&text[t.offset_from..t.offset_to].to_lowercase()),
                    ..t.clone()
                })
                .collect();
            // A word that is neither syllables nor initials cannot match: the clause is left out.
            if pinyin && latin.iter().all(|t| super::tokenizers::could_be_pinyin(&t.text)) {
                add(all_of(f.pinyin, &latin), b.pinyin);
            }
            // The words as written (not stemmed), next to each other; where they are the
            // English tokens already, the English clause has matched them.
            let words = self.words.tokens(text, false);
            if !words.iter().map(|t| t.text.as_str()).eq(en.iter().map(|t| t.text.as_str())) {
                add(phrase(f.word, &words), 1.0);
            }
            if self.private {
                add(phrase(f.private, &GramTokenizer::tokens(text)), 1.0);
            }
        }
        Box::new(BooleanQuery::new(any))
    }

    /// The English words with each that the index does not hold replaced by the terms it
    /// holds within a few edits of it; `None` when every word is held (or none has a
    /// correction). The `en` field holds every Latin word of a record whole, so a word
    /// it holds is not a typo. A word held elsewhere may still be one: as pinyin
    /// (`disance`, 第三册) or as a piece the segmenter cut from a longer word
    /// (`médisance`); it is searched both ways.
    fn with_typos(&self, en: &[tantivy::tokenizer::Token]) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let mut any_corrected = false;
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(en.len());
        let mut seen = std::collections::HashSet::new();
        for t in en.iter().filter(|t| seen.insert(t.text.as_str())) {
            let edits = super::typos::allowed_edits(&t.text);
            let held = edits == 0 || super::typos::indexed(self.searcher, f.en, &t.text);
            if held {
                must.push((Occur::Must, term_query(f.en, &t.text)));
                continue;
            }
            let corrections = self.typos.corrections(self.searcher, &t.text, edits);
            let best = corrections.first()?;
            self.corrected.borrow_mut().push((t.text.clone(), best.term.clone()));
            let fewest = best.edits;
            let alternatives = corrections
                .iter()
                .map(|c| (Occur::Should, boosted(term_query(f.en, &c.term), if c.edits == fewest { 1.0 } else { 0.5 })))
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
            any_corrected = true;
        }
        any_corrected.then(|| Box::new(BooleanQuery::new(must)) as Box<dyn Query>)
    }

    /// A text clause with its synonyms, and the terms the bridge gives it in the other language.
    fn text_with_synonyms(&self, text: &str) -> Box<dyn Query> {
        let simplified = simplify(text);
        let alternatives: Vec<(String, f32)> =
            self.synonyms.of(&simplified).into_iter().map(|alt| (alt, 0.8)).collect();
        let chinese = text.chars().any(is_cjk);
        let (bridged, weight) = match chinese {
            true => (self.bridge.english(simplified.trim()), 1.0),
            false => self.unless_held(self.bridge.chinese(&super::bridge::key(text)), text),
        };
        if alternatives.is_empty() && bridged.is_empty() {
            return self.text(text);
        }
        // An English word the bridge knows is not read as pinyin (`fan` is 扇, not 梵 or 范).
        let mut any = vec![(Occur::Should, self.text_as(text, chinese || bridged.is_empty()))];
        any.extend(alternatives.iter().map(|(alt, boost)| (Occur::Should, boosted(self.text(alt), *boost))));
        for term in bridged {
            let q = if chinese { Some(self.text(term)) } else { self.called(term) };
            any.extend(q.map(|q| (Occur::Should, boosted(q, self.boosts.bridge * weight))));
        }
        Box::new(BooleanQuery::new(any))
    }

    /// Records called by a Chinese term: in their titles or object name, or less, in their
    /// classification (a bridged term names what an object is; a passing mention in a
    /// description does not).
    fn called(&self, chinese: &str) -> Option<Box<dyn Query>> {
        let cjk: Vec<char> = chinese.chars().filter(|c| is_cjk(*c)).collect();
        let within = |field: Field| match cjk.as_slice() {
            [] => None,
            [one] => Some(term_query(field, one.encode_utf8(&mut [0; 4]))),
            _ => phrase(field, &CjkGramTokenizer::tokens(chinese)),
        };
        let (title, class) = (within(self.fields.title)?, within(self.fields.classification)?);
        Some(Box::new(BooleanQuery::new(vec![(Occur::Should, title), (Occur::Should, boosted(class, CLASSIFICATION))])))
    }

    /// The dictionary's terms for English are the long tail: they are searched only for
    /// words that no record's English text holds (a collection's own English answers the
    /// rest first, and each term searched costs every query time). The glossary's and the
    /// vocabularies' terms are always searched.
    fn unless_held<'b>(&self, (terms, weight): (&'b [String], f32), english: &str) -> (&'b [String], f32) {
        let held = || {
            EnglishTokenizer::tokens(english)
                .iter()
                .all(|t| super::typos::indexed(self.searcher, self.fields.en, &t.text))
        };
        if weight < 1.0 && !terms.is_empty() && held() { (&[], weight) } else { (terms, weight) }
    }

    /// The Chinese terms of the English phrase that the plain words from `clauses[0]` on
    /// begin with, longest first (`bronze mirror` → 铜镜), with how many words it takes.
    fn bridged_phrase(&self, clauses: &[(Join, Clause)]) -> Option<(usize, &[String], f32)> {
        let mut words = Vec::new();
        for (join, clause) in clauses.iter().take(self.bridge.longest_phrase()) {
            match (join, clause) {
                (Join::And, Clause::Text(t)) if !t.chars().any(is_cjk) => words.push(t.as_str()),
                _ => break,
            }
        }
        (2..=words.len()).rev().find_map(|n| {
            let phrase = words[..n].join(" ");
            let (chinese, weight) = self.unless_held(self.bridge.chinese(&super::bridge::key(&phrase)), &phrase);
            (!chinese.is_empty()).then_some((n, chinese, weight))
        })
    }

    fn clause(&self, clause: &Clause) -> Box<dyn Query> {
        let f = self.fields;
        match clause {
            Clause::Text(t) => self.text_with_synonyms(t),
            Clause::Field(name, value) => {
                let field = match name.as_str() {
                    "donor" => f.donor,
                    "maker" => f.maker,
                    "category" => f.category,
                    "material" => f.material,
                    "accession" => return term_query(f.keyword, &value.to_lowercase()),
                    _ => return self.text(value),
                };
                let text = value.as_str();
                let q = phrase(field, &GramTokenizer::tokens(text)).or_else(|| gram_phrase(field, field, text));
                q.unwrap_or_else(|| Box::new(EmptyQuery))
            }
            Clause::Years(from, to) => {
                // The artefact's years overlap the range asked for.
                let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                if let Some(to) = to {
                    must.push((
                        Occur::Must,
                        Box::new(RangeQuery::new(
                            std::ops::Bound::Unbounded,
                            std::ops::Bound::Included(Term::from_field_i64(f.year_from, *to)),
                        )),
                    ));
                }
                if let Some(from) = from {
                    must.push((
                        Occur::Must,
                        Box::new(RangeQuery::new(
                            std::ops::Bound::Included(Term::from_field_i64(f.year_to, *from)),
                            std::ops::Bound::Unbounded,
                        )),
                    ));
                }
                Box::new(BooleanQuery::new(must))
            }
        }
    }

    /// The whole query; an empty one matches everything.
    pub fn build(&self, parsed: &Parsed) -> Box<dyn Query> {
        if parsed.clauses.is_empty() {
            return Box::new(tantivy::query::AllQuery);
        }
        let has_or = parsed.clauses.iter().any(|(j, _)| *j == Join::Or);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut positives = 0;
        let mut skip = 0;
        for (i, (join, clause)) in parsed.clauses.iter().enumerate() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            // Words that make an English phrase of the bridge: each word as always, or the
            // phrase's Chinese terms.
            if let Some((n, chinese, weight)) = self.bridged_phrase(&parsed.clauses[i..]).filter(|_| !has_or) {
                let words = parsed.clauses[i..i + n].iter().map(|(_, c)| (Occur::Must, self.clause(c))).collect();
                let mut any: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, Box::new(BooleanQuery::new(words)))];
                any.extend(
                    chinese
                        .iter()
                        .filter_map(|zh| self.called(zh))
                        .map(|q| (Occur::Should, boosted(q, self.boosts.bridge * weight))),
                );
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
                positives += 1;
                skip = n - 1;
                continue;
            }
            let q = self.clause(clause);
            let next_is_or = parsed.clauses.get(i + 1).is_some_and(|(j, _)| *j == Join::Or);
            let occur = match join {
                Join::Not => Occur::MustNot,
                Join::Or => Occur::Should,
                Join::And if has_or && next_is_or => Occur::Should,
                Join::And => Occur::Must,
            };
            if occur != Occur::MustNot {
                positives += 1;
            }
            clauses.push((occur, q));
        }
        if positives == 0 {
            clauses.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
        }
        let words = combined(clauses);
        match parsed.spaced_number() {
            // The number itself, or the words anywhere.
            Some(number) => Box::new(BooleanQuery::new(vec![
                (Occur::Should, boosted(term_query(self.fields.keyword, &number), self.boosts.keyword)),
                (Occur::Should, words),
            ])),
            None => words,
        }
    }
}

/// The clauses as one query. A single required clause is the query itself: unwrapped,
/// a disjunction of terms keeps the fast path that skips documents which cannot reach
/// the top hits.
pub fn combined(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if let [(Occur::Must, _)] = clauses.as_slice() {
        return clauses.pop().expect("one clause").1;
    }
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(q: &str) -> Vec<(Join, Clause)> {
        parse(q).clauses
    }

    #[test]
    fn parses_fields_phrases_and_operators() {
        assert_eq!(
            clauses(r#"donor:李振亚 "村饮 诗" year:1900..1930 NOT 复制件"#),
            vec![
                (Join::And, Clause::Field("donor".into(), "李振亚".into())),
                (Join::And, Clause::Text("村饮 诗".into())),
                (Join::And, Clause::Years(Some(1900), Some(1930))),
                (Join::Not, Clause::Text("复制件".into())),
            ]
        );
        assert_eq!(clauses("a OR b")[1].0, Join::Or);
        assert_eq!(clauses("-copy")[0], (Join::Not, Clause::Text("copy".into())));
    }

    #[test]
    fn bad_syntax_falls_back_to_plain_text() {
        assert_eq!(
            clauses(r#""unclosed phrase"#),
            vec![(Join::And, Clause::Text("unclosed".into())), (Join::And, Clause::Text("phrase".into()))]
        );
        assert_eq!(clauses("year:abc"), vec![(Join::And, Clause::Text("year:abc".into()))]);
        assert_eq!(clauses("title:x"), vec![(Join::And, Clause::Text("title:x".into()))]);
        assert!(clauses("  ").is_empty());
        assert_eq!(clauses("AND OR NOT"), vec![]);
        assert_eq!(
            clauses("c. & i. hohenbuchler"),
            vec![
                (Join::And, Clause::Text("c.".into())),
                (Join::And, Clause::Text("i.".into())),
                (Join::And, Clause::Text("hohenbuchler".into()))
            ]
        );
    }
}
