//! What goes into the index for one artefact. The internal document is
//! built from the full record; the public one only from the public view type
//! and public facts (a donor's name only with their consent), so a private
//! value can never be matched, faceted, suggested or highlighted publicly.

use tantivy::TantivyDocument;
use tantivy::schema::document::{
    DeserializeError, DocumentDeserialize, DocumentDeserializer, ValueDeserialize, ValueDeserializer,
};
use tantivy::schema::{Facet, Field};

use super::schema::IndexFields;
use crate::model::artefact::{Artefact, PublicationStatus};
use crate::model::common::LocalText;
use crate::model::date::HistoricalDate;
use crate::model::view::PublicArtefact;
use crate::model::vocab::{Vocabularies, names};

/// What a search hit shows, as stored with the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HitInfo {
    pub accession: String,
    pub title: LocalText,
    pub date: Option<String>,
    pub makers: Vec<String>,
    /// `draft`, `internal`, `published`, or `deaccessioned` (internal index only).
    pub status: String,
    pub thumbnail: Option<String>,
    /// The searchable text snippets are cut from.
    pub body: String,
}

impl HitInfo {
    /// The hit of a stored document.
    pub fn from_stored<const BODY: bool>(stored: StoredText<BODY>, f: &IndexFields) -> HitInfo {
        let mut hit = HitInfo::default();
        for (field, text) in stored.0 {
            match field {
                _ if field == f.accession => hit.accession = text,
                _ if field == f.status => hit.status = text,
                _ if field == f.shown.title_zh => hit.title.zh = Some(text),
                _ if field == f.shown.title_en => hit.title.en = Some(text),
                _ if field == f.shown.date => hit.date = Some(text),
                _ if field == f.shown.maker => hit.makers.push(text),
                _ if field == f.shown.thumbnail => hit.thumbnail = Some(text),
                _ if field == f.body => hit.body = text,
                _ => {}
            }
        }
        hit
    }
}

/// A stored document's values, read straight from the store (tantivy's own document type
/// re-encodes every value, and a document is read for every hit shown). The body, stored
/// last, is read only when `BODY`: only snippets need it.
#[derive(Debug, Default)]
pub struct StoredText<const BODY: bool>(Vec<(Field, String)>);

impl<const BODY: bool> DocumentDeserialize for StoredText<BODY> {
    fn deserialize<'de, D: DocumentDeserializer<'de>>(mut deserializer: D) -> Result<Self, DeserializeError> {
        let stored = deserializer.size_hint();
        let wanted = if BODY { stored } else { stored.saturating_sub(1) };
        let mut values = Vec::with_capacity(wanted);
        for _ in 0..wanted {
            match deserializer.next_field::<Text>()? {
                Some((field, Text(text))) => values.push((field, text)),
                None => break,
            }
        }
        Ok(StoredText(values))
    }
}

/// A stored value: the catalogue stores only text.
struct Text(String);

impl ValueDeserialize for Text {
    fn deserialize<'de, D: ValueDeserializer<'de>>(deserializer: D) -> Result<Self, DeserializeError> {
        deserializer.deserialize_string().map(Text)
    }
}

/// Facts about an artefact's donation that an index may hold.
#[derive(Debug, Clone, Default)]
pub struct DonationFacts {
    pub id: i64,
    pub label: String,
    /// Donor names this index may show (the public index: only those who consented).
    pub donors: Vec<String>,
    pub year: Option<i32>,
    /// Private: donor contact details (internal index only).
    pub private: Vec<String>,
}

/// The common shape both views are reduced to before indexing.
struct Source<'a> {
    id: i64,
    accession: &'a str,
    title: &'a LocalText,
    other_titles: &'a [String],
    object_name: Option<&'a str>,
    makers: Vec<&'a str>,
    date: Option<&'a HistoricalDate>,
    acquired: Option<&'a HistoricalDate>,
    period: Option<&'a str>,
    category: Option<&'a str>,
    materials: &'a [String],
    technique: Option<&'a str>,
    texts: Vec<&'a str>,
    /// People and short texts also indexed by their pinyin: provenance owners, inscriptions.
    named: Vec<&'a str>,
    status: String,
    private: Vec<&'a str>,
    /// The identifier of the image shown in results (the first this index may show).
    image: Option<&'a str>,
}

fn labels(vocab: &Vocabularies, name: &str, code: &str) -> Vec<String> {
    match vocab.resolve(name, code) {
        Ok(t) => [t.code.clone(), t.zh.clone(), t.en.clone()].into_iter().chain(t.aliases.iter().cloned()).collect(),
        Err(_) => vec![code.to_string()],
    }
}

fn build(s: Source<'_>, donation: Option<&DonationFacts>, f: &IndexFields, vocab: &Vocabularies) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_u64(f.id, s.id as u64);
    doc.add_text(f.accession, s.accession);
    doc.add_text(f.keyword, s.accession);
    doc.add_text(f.status, &s.status);

    // Searchable text, most important first; the same text feeds every analyser and the snippets.
    let mut body: Vec<String> = Vec::new();
    body.extend(s.title.zh.iter().chain(s.title.en.iter()).cloned());
    body.extend(s.other_titles.iter().cloned());
    body.extend(s.makers.iter().map(|m| m.to_string()));
    body.extend(s.object_name.map(String::from));
    body.extend(s.texts.iter().map(|t| t.to_string()));
    let mut names: Vec<String> = s.title.zh.iter().chain(s.title.en.iter()).cloned().collect();
    names.extend(s.other_titles.iter().cloned());
    names.extend(s.makers.iter().map(|m| m.to_string()));
    names.extend(s.named.iter().map(|m| m.to_string()));
    if let Some(d) = donation {
        body.push(d.label.clone());
        body.extend(d.donors.iter().cloned());
        names.extend(d.donors.iter().cloned());
        for donor in &d.donors {
            doc.add_text(f.donor, donor);
            doc.add_facet(f.facet("donor").expect("facet"), Facet::from_path([donor.as_str()]));
        }
        doc.add_facet(f.facet("donation").expect("facet"), Facet::from_path([format!("{}", d.id)]));
    }
    let mut vocab_text = Vec::new();
    if let Some(c) = s.category {
        for l in labels(vocab, names::CATEGORY, c) {
            doc.add_text(f.category, &l);
            vocab_text.push(l);
        }
        doc.add_facet(f.facet("category").expect("facet"), Facet::from_path([c]));
    }
    for m in s.materials {
        for l in labels(vocab, names::MATERIAL, m) {
            doc.add_text(f.material, &l);
            vocab_text.push(l);
        }
        doc.add_facet(f.facet("material").expect("facet"), Facet::from_path([m.as_str()]));
    }
    if s.materials.is_empty() {
        // A record without materials is faceted by those its category or technique names
        // (漆器 → 漆, `on paper` → 纸); searched only as what the record says.
        for term in vocab.materials_in(s.category, s.technique) {
            doc.add_facet(f.facet("material").expect("facet"), Facet::from_path([term.code.as_str()]));
        }
    }
    if let Some(p) = s.period {
        vocab_text.extend(labels(vocab, names::PERIOD, p));
        doc.add_facet(f.facet("period").expect("facet"), Facet::from_path([p]));
    } else if let Some(term) = s.date.and_then(|d| vocab.period_in(&d.text)) {
        // A record without a period is faceted by the one its date names (清 康熙 →
        // 康熙), whichever field holds it; searched only as what the record says.
        doc.add_facet(f.facet("period").expect("facet"), Facet::from_path([term.code.as_str()]));
    }
    for m in &s.makers {
        doc.add_text(f.maker, m);
        doc.add_facet(f.facet("maker").expect("facet"), Facet::from_path([*m]));
    }
    let called = s.title.zh.iter().chain(s.title.en.iter()).chain(s.other_titles).map(String::as_str);
    for text in called.chain(s.object_name) {
        doc.add_text(f.title, text);
    }
    for text in &vocab_text {
        doc.add_text(f.classification, text);
    }
    let body_text = body.join("\n");
    // The vocabularies' names are the record's classification: searched as text in
    // Chinese, and in English through the bridge to the `classification` field,
    // so that an English query finds first the records whose own English text matches.
    let all = format!("{body_text}\n{}", vocab_text.join(" "));
    for field in [f.word, f.gram, f.uni] {
        doc.add_text(field, &all);
    }
    doc.add_text(f.en, &body_text);
    doc.add_text(f.pinyin, names.join("\n"));
    for name in &names {
        for key in super::suggest::keys(name) {
            doc.add_text(f.complete, key);
        }
    }
    if let Some(d) = s.date {
        if let Some(y) = d.earliest.or(d.latest) {
            doc.add_i64(f.year_from, i64::from(y));
        }
        if let Some(y) = d.latest.or(d.earliest) {
            doc.add_i64(f.year_to, i64::from(y));
        }
    }
    let acquired = s.acquired.and_then(|d| d.earliest).or(donation.and_then(|d| d.year));
    if let Some(y) = acquired {
        doc.add_i64(f.acquired_year, i64::from(y));
        doc.add_facet(f.facet("acquired").expect("facet"), Facet::from_path([y.to_string()]));
    }
    let has_image = if s.image.is_some() { "yes" } else { "no" };
    doc.add_facet(f.facet("has_image").expect("facet"), Facet::from_path([has_image]));
    for p in s.private.iter().copied().chain(donation.iter().flat_map(|d| d.private.iter().map(String::as_str))) {
        doc.add_text(f.private, p);
    }
    let shown = &f.shown;
    for (field, value) in [(shown.title_zh, &s.title.zh), (shown.title_en, &s.title.en)] {
        if let Some(v) = value {
            doc.add_text(field, v);
        }
    }
    if let Some(d) = s.date {
        doc.add_text(shown.date, &d.text);
    }
    for m in &s.makers {
        doc.add_text(shown.maker, m);
    }
    if let Some(image) = s.image {
        doc.add_text(shown.thumbnail, image);
    }
    // Last: a hit without a snippet stops reading before it (`StoredText`).
    doc.add_text(f.body, &body_text);
    doc
}

/// The internal index's document: every field, private values in the private field.
pub fn internal(
    id: i64,
    a: &Artefact,
    donation: Option<&DonationFacts>,
    image: Option<&str>,
    f: &IndexFields,
    vocab: &Vocabularies,
) -> TantivyDocument {
    let b = &a.body;
    let mut texts: Vec<&str> = Vec::new();
    texts.extend(b.description.zh.as_deref());
    texts.extend(b.description.en.as_deref());
    for i in &b.inscriptions {
        texts.push(&i.text);
        texts.extend(i.translation.as_deref());
        texts.extend(i.note.as_deref());
    }
    texts.extend(b.technique.as_deref());
    texts.extend(b.credit_line.as_deref());
    texts.extend(b.department.as_deref());
    texts.extend(b.source_note.as_deref());
    for p in &b.provenance {
        texts.push(&p.owner);
        texts.extend(p.place.as_deref());
        texts.extend(p.note.as_deref());
    }
    if let Some(r) = &b.reproduction {
        texts.extend(r.note.as_deref());
        texts.extend(r.original.as_deref());
    }
    texts.extend(b.record_source.as_ref().and_then(|r| r.attribution.as_deref()));
    let private: Vec<&str> = [&b.private.storage_location, &b.private.insurance, &b.private.internal_notes]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let status = if a.deaccession.is_some() { "deaccessioned".to_string() } else { b.status.as_str().to_string() };
    let named =
        b.provenance.iter().map(|p| p.owner.as_str()).chain(b.inscriptions.iter().map(|i| i.text.as_str())).collect();
    let source = Source {
        id,
        accession: a.accession_number.as_str(),
        title: &b.title,
        other_titles: &b.other_titles,
        object_name: b.object_name.as_deref(),
        makers: b.makers.iter().map(|m| m.name.as_str()).collect(),
        date: b.date.as_ref(),
        acquired: b.acquired.as_ref(),
        period: b.period.as_deref(),
        category: b.category.as_deref(),
        materials: &b.materials,
        technique: b.technique.as_deref(),
        texts,
        named,
        status,
        private,
        image,
    };
    build(source, donation, f, vocab)
}

/// The public index's document, from the public view only.
pub fn public(
    p: &PublicArtefact,
    donation: Option<&DonationFacts>,
    image: Option<&str>,
    f: &IndexFields,
    vocab: &Vocabularies,
) -> TantivyDocument {
    let mut texts: Vec<&str> = Vec::new();
    texts.extend(p.description.zh.as_deref());
    texts.extend(p.description.en.as_deref());
    for i in &p.inscriptions {
        texts.push(&i.text);
        texts.extend(i.translation.as_deref());
        texts.extend(i.note.as_deref());
    }
    texts.extend(p.technique.as_deref());
    texts.extend(p.credit_line.as_deref());
    texts.extend(p.department.as_deref());
    for e in &p.provenance {
        texts.push(&e.owner);
        texts.extend(e.place.as_deref());
    }
    if let Some(r) = &p.reproduction {
        texts.extend(r.note.as_deref());
        texts.extend(r.original.as_deref());
    }
    texts.extend(p.record_source.as_ref().and_then(|r| r.attribution.as_deref()));
    let donation = donation.map(|d| DonationFacts { private: Vec::new(), ..d.clone() });
    let source = Source {
        id: p.id,
        accession: &p.accession_number,
        title: &p.title,
        other_titles: &p.other_titles,
        object_name: p.object_name.as_deref(),
        makers: p.makers.iter().map(|m| m.name.as_str()).collect(),
        date: p.date.as_ref(),
        acquired: p.acquired.as_ref(),
        period: p.period.as_deref(),
        category: p.category.as_deref(),
        materials: &p.materials,
        technique: p.technique.as_deref(),
        named: p
            .provenance
            .iter()
            .map(|e| e.owner.as_str())
            .chain(p.inscriptions.iter().map(|i| i.text.as_str()))
            .collect(),
        texts,
        status: PublicationStatus::Published.as_str().to_string(),
        private: Vec::new(),
        image,
    };
    build(source, donation.as_ref(), f, vocab)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tantivy::DocAddress;

    use super::*;
    use crate::search::analysis::Segmenter;
    use crate::search::index::SearchIndex;

    #[test]
    fn a_hit_reads_what_it_shows_and_the_body_only_when_asked() {
        let idx = SearchIndex::in_ram(&Segmenter::new("")).unwrap();
        let a: Artefact = serde_json::from_value(json!({
            "accession_number": "2023.15.2",
            "title": {"zh": "李书城书陆游诗轴", "en": "Calligraphy scroll"},
            "makers": [{"name": "李书城"}, {"name": "佚名"}],
            "date": {"text": "约1923年", "earliest": 1923, "latest": 1923},
            "inscriptions": [{"kind": "dedication", "text": "晓缘仁兄雅属"}],
            "status": "published"
        }))
        .unwrap();
        let vocab = Vocabularies::shipped();
        let mut writer: tantivy::IndexWriter = idx.index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(internal(7, &a, None, Some("scan-1"), &idx.fields, &vocab)).unwrap();
        writer.commit().unwrap();
        idx.reader.reload().unwrap();
        let searcher = idx.reader.searcher();
        let at = DocAddress::new(0, 0);
        let short = HitInfo::from_stored(searcher.doc::<StoredText<false>>(at).unwrap(), &idx.fields);
        let full = HitInfo::from_stored(searcher.doc::<StoredText<true>>(at).unwrap(), &idx.fields);
        let expected = HitInfo {
            accession: "2023.15.2".into(),
            title: a.body.title.clone(),
            date: Some("约1923年".into()),
            makers: vec!["李书城".into(), "佚名".into()],
            status: "published".into(),
            thumbnail: Some("scan-1".into()),
            body: String::new(),
        };
        assert_eq!(short, expected, "everything a hit shows, without the body");
        assert!(full.body.contains("晓缘仁兄雅属") && full.body.contains("李书城书陆游诗轴"), "{}", full.body);
        assert_eq!(HitInfo { body: String::new(), ..full }, expected);
    }
}
