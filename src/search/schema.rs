//! The fields of both search indexes and the analysers behind them.

use tantivy::Index;
use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};

use super::analysis::Segmenter;
use super::tokenizers::{
    CjkGramTokenizer, EnglishTokenizer, GramTokenizer, PinyinTokenizer, TitleTokenizer, UniTokenizer, WordTokenizer,
};

pub const WORD: &str = "word";
pub const GRAM: &str = "gram";
/// The analyser of the `gram` field: CJK bigrams only (`gram` is the short fields' analyser).
pub const CJK_GRAM: &str = "cjk_gram";
pub const UNI: &str = "uni";
pub const PINYIN: &str = "pinyin";
pub const EN: &str = "en";
pub const KEYWORD: &str = "keyword";
pub const TITLE: &str = "title";

/// The version of the analysers, part of every field's tokenizer name: the schema of
/// an index made by analysers of another version differs, so that index is rebuilt.
/// Bump it whenever an analyser's output, or what a document holds, changes.
const ANALYSERS: u32 = 4;

/// The registered name of an analyser, with its version.
fn analyser(name: &str) -> String {
    format!("{name}.v{ANALYSERS}")
}

/// The facets every search counts, in display order.
pub const FACETS: &[&str] = &["category", "material", "period", "donor", "donation", "acquired", "has_image"];

/// Facets the index holds and filters by, counted only when asked for one at a time
/// (`SearchService::facet_values`): tantivy reads a facet's whole dictionary in each
/// segment to count it, and makers run to tens of thousands of names, which would cost
/// every search far more than the search itself.
pub const COUNTED_ON_REQUEST: &[&str] = &["maker"];

/// Field handles, resolved once.
#[derive(Clone, Debug)]
pub struct IndexFields {
    pub id: Field,
    pub accession: Field,
    /// What a hit shows besides its accession number and status, stored only.
    pub shown: Shown,
    /// Stored searchable text, for snippets.
    pub body: Field,
    pub word: Field,
    pub gram: Field,
    pub uni: Field,
    pub pinyin: Field,
    pub en: Field,
    /// Accession numbers and other identifiers, whole, lower-cased.
    pub keyword: Field,
    /// What the record is called: its titles and object name, for terms that name what
    /// an object is.
    pub title: Field,
    /// The record's classification: each of its vocabulary terms' names.
    pub classification: Field,
    pub maker: Field,
    pub donor: Field,
    pub category: Field,
    pub material: Field,
    /// Private values (curators only): storage location, internal notes, donor contacts.
    pub private: Field,
    pub year_from: Field,
    pub year_to: Field,
    pub acquired_year: Field,
    pub status: Field,
    /// Completion keys of titles, makers and donors: `key \u{1} display`.
    pub complete: Field,
    pub facets: Vec<(&'static str, Field)>,
}

/// The stored-only fields a hit shows.
#[derive(Clone, Copy, Debug)]
pub struct Shown {
    pub title_zh: Field,
    pub title_en: Field,
    pub date: Field,
    /// One value per maker.
    pub maker: Field,
    pub thumbnail: Field,
}

fn text(tokenizer: &str, positions: bool) -> TextOptions {
    let record = if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(&analyser(tokenizer)).set_index_option(record))
}

pub fn schema() -> (Schema, IndexFields) {
    let mut b = Schema::builder();
    let fields = IndexFields {
        id: b.add_u64_field("id", INDEXED | FAST),
        accession: b.add_text_field("accession", STRING | STORED | FAST),
        shown: Shown {
            title_zh: b.add_text_field("shown_title_zh", STORED),
            title_en: b.add_text_field("shown_title_en", STORED),
            date: b.add_text_field("shown_date", STORED),
            maker: b.add_text_field("shown_maker", STORED),
            thumbnail: b.add_text_field("shown_thumbnail", STORED),
        },
        body: b.add_text_field("body", STORED),
        word: b.add_text_field(WORD, text(WORD, true)),
        gram: b.add_text_field(GRAM, text(CJK_GRAM, true)),
        uni: b.add_text_field(UNI, text(UNI, false)),
        pinyin: b.add_text_field(PINYIN, text(PINYIN, false)),
        en: b.add_text_field(EN, text(EN, true)),
        keyword: b.add_text_field(KEYWORD, text(KEYWORD, false)),
        title: b.add_text_field(TITLE, text(TITLE, true)),
        classification: b.add_text_field("classification", text(TITLE, true)),
        maker: b.add_text_field("maker", text(GRAM, true)),
        donor: b.add_text_field("donor", text(GRAM, true)),
        category: b.add_text_field("category", text(GRAM, true)),
        material: b.add_text_field("material", text(GRAM, true)),
        private: b.add_text_field("private", text(GRAM, true)),
        year_from: b.add_i64_field("year_from", INDEXED | FAST),
        year_to: b.add_i64_field("year_to", INDEXED | FAST),
        acquired_year: b.add_i64_field("acquired_year", INDEXED | FAST),
        status: b.add_text_field("status", STRING | STORED),
        complete: b.add_text_field("complete", STRING),
        facets: FACETS
            .iter()
            .chain(COUNTED_ON_REQUEST)
            .map(|name| (*name, b.add_facet_field(&format!("facet_{name}"), FacetOptions::default())))
            .collect(),
    };
    (b.build(), fields)
}

impl IndexFields {
    pub fn facet(&self, name: &str) -> Option<Field> {
        self.facets.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }
}

/// Registers the analysers on an index.
pub fn register_tokenizers(index: &Index, segmenter: &Segmenter) {
    let manager = index.tokenizers();
    manager.register(&analyser(WORD), WordTokenizer { segmenter: segmenter.clone() });
    manager.register(&analyser(GRAM), GramTokenizer);
    manager.register(&analyser(CJK_GRAM), CjkGramTokenizer);
    manager.register(&analyser(UNI), UniTokenizer);
    manager.register(&analyser(TITLE), TitleTokenizer);
    manager.register(&analyser(PINYIN), PinyinTokenizer);
    manager.register(&analyser(EN), EnglishTokenizer);
    manager.register(&analyser(KEYWORD), TextAnalyzer::builder(RawTokenizer::default()).filter(LowerCaser).build());
}
