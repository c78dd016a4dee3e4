//! The artefact (藏品): what is catalogued, and its input form.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::accession::{AccessionNumber, AccessionPattern};
use super::common::{DateInput, LocalText, Money, RecordSource};
use super::date::HistoricalDate;
use super::dimensions::{self, Dimension, ParseOptions, Parsed};
use super::validation::{ValidationErrors, optional_text, required_text};
use super::vocab::{Vocabularies, names};

/// Titles, names, credit lines: generous, since real catalogues write long ones.
const SHORT: usize = 2_000;
const LONG: usize = 20_000;

/// Who may see a record outside the museum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    /// Being catalogued.
    #[default]
    Draft,
    /// Catalogued, visible to staff and researchers only.
    Internal,
    /// Visible to everyone.
    Published,
}

impl PublicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicationStatus::Draft => "draft",
            PublicationStatus::Internal => "internal",
            PublicationStatus::Published => "published",
        }
    }
}

/// A maker of the artefact with their role (`painter`, `calligrapher`, `printer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Maker {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The party record of the maker, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_id: Option<i64>,
}

/// An inscription or mark: transcription, where it is, what it says in translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Inscription {
    /// `dedication` (上款), `signature` (落款), `seal`, `colophon`, `mark` …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The transcription as written on the object.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
    /// Notes on the reading, e.g. who is addressed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How an object passed from one owner or custodian to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferMethod {
    Creation,
    ByDescent,
    Gift,
    Bequest,
    Purchase,
    Commission,
    Exchange,
    Transfer,
    Excavation,
    Unknown,
}

/// One step in an artefact's history of ownership or custody.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProvenanceEvent {
    /// The owner or custodian.
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<TransferMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<HistoricalDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The source of the claim: a letter, a newspaper report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// False keeps the step off public pages (e.g. a living private owner).
    #[serde(default = "yes")]
    pub public: bool,
}

fn yes() -> bool {
    true
}

/// Input form of a provenance event (its date may be plain text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceInput {
    pub owner: Option<String>,
    #[serde(default)]
    pub party_id: Option<i64>,
    #[serde(default)]
    pub method: Option<TransferMethod>,
    #[serde(default)]
    pub date: Option<DateInput>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default = "yes")]
    pub public: bool,
}

/// The artefact is a copy (e.g. a 1:1 printed reproduction), not the original work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reproduction {
    /// What kind of copy and how it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The original work, described.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// The original's accession number, where this or another catalogue holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_accession: Option<String>,
}

/// A count with its measure word (`1件`, `2套`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    pub count: u32,
    /// 件 (piece), 套 (set) …
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum QuantityInput {
    Text(String),
    Full(Quantity),
}

/// Dimensions: the text as written and the structured values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Dimensions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The text says there is no measurement yet (`待测量`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_measured: bool,
    #[serde(default)]
    pub items: Vec<Dimension>,
}

/// Dimensions given as text to parse, or as text with structured values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum DimensionsInput {
    Text(String),
    Full(Dimensions),
}

/// Fields only curators see: never on a public page, in the public index, or shown to researchers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArtefactPrivate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valuation: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_notes: Option<String>,
}

impl ArtefactPrivate {
    pub fn is_empty(&self) -> bool {
        *self == ArtefactPrivate::default()
    }
}

/// The recorded removal of an artefact from the collection. Nothing is hard-deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Deaccession {
    pub reason: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// An artefact's catalogue fields (everything but its accession number and deaccession).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ArtefactBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub donation_id: Option<i64>,
    pub title: LocalText,
    /// Other titles (曾用名).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_titles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_name: Option<String>,
    /// Code of the 类别 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub makers: Vec<Maker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<HistoricalDate>,
    /// Code of the 年代 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Codes of the 质地 vocabulary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<String>,
    /// Medium or technique as written (`ink on paper`, `Gelatin silver photograph`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technique: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<Dimensions>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inscriptions: Vec<Inscription>,
    #[serde(default, skip_serializing_if = "LocalText::is_empty")]
    pub description: LocalText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// Code of the 完残程度 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completeness: Option<String>,
    /// Code of the 保存状态 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preservation: Option<String>,
    /// Code of the 级别 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// Code of the 来源方式 vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquisition_method: Option<String>,
    /// 具体来源: where it came from, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_note: Option<String>,
    /// 入藏日期: when it entered the collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquired: Option<HistoricalDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reproduction: Option<Reproduction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_line: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<ProvenanceEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_source: Option<RecordSource>,
    #[serde(default)]
    pub status: PublicationStatus,
    #[serde(default, skip_serializing_if = "ArtefactPrivate::is_empty")]
    pub private: ArtefactPrivate,
}

/// A stored artefact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Artefact {
    /// 总登记号.
    #[schema(value_type = String, example = "2023.15.1")]
    pub accession_number: AccessionNumber,
    #[serde(flatten)]
    pub body: ArtefactBody,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deaccession: Option<Deaccession>,
}

/// A validated artefact not yet stored; without a number the store assigns the donation's next one.
#[derive(Debug, Clone, PartialEq)]
pub struct NewArtefact {
    pub accession_number: Option<AccessionNumber>,
    pub body: ArtefactBody,
}

/// What a client sends to create or (merged with the stored record) update an artefact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArtefactInput {
    /// Omit to be given the next free number of `donation_id`.
    #[serde(default)]
    pub accession_number: Option<String>,
    #[serde(default)]
    pub donation_id: Option<i64>,
    #[serde(default)]
    pub title: Option<LocalText>,
    #[serde(default)]
    pub other_titles: Vec<String>,
    #[serde(default)]
    pub object_name: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub makers: Vec<Maker>,
    #[serde(default)]
    pub date: Option<DateInput>,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub materials: Vec<String>,
    #[serde(default)]
    pub technique: Option<String>,
    #[serde(default)]
    pub dimensions: Option<DimensionsInput>,
    #[serde(default)]
    pub inscriptions: Vec<Inscription>,
    #[serde(default)]
    pub description: Option<LocalText>,
    #[serde(default)]
    pub quantity: Option<QuantityInput>,
    #[serde(default)]
    pub completeness: Option<String>,
    #[serde(default)]
    pub preservation: Option<String>,
    #[serde(default)]
    pub grade: Option<String>,
    #[serde(default)]
    pub acquisition_method: Option<String>,
    #[serde(default)]
    pub source_note: Option<String>,
    #[serde(default)]
    pub acquired: Option<DateInput>,
    #[serde(default)]
    pub reproduction: Option<Reproduction>,
    #[serde(default)]
    pub rights: Option<String>,
    #[serde(default)]
    pub credit_line: Option<String>,
    #[serde(default)]
    pub provenance: Vec<ProvenanceInput>,
    #[serde(default)]
    pub record_source: Option<RecordSource>,
    #[serde(default)]
    pub status: Option<PublicationStatus>,
    #[serde(default)]
    pub private: Option<ArtefactPrivate>,
}

/// What validation needs to know about the catalogue.
pub struct Rules<'a> {
    pub vocab: &'a Vocabularies,
    /// New numbers must follow it; `None` accepts numbers carried over from other systems.
    pub pattern: Option<&'a AccessionPattern>,
    /// The unit to assume for dimension texts that give none.
    pub implied_unit: Option<dimensions::Unit>,
}

impl<'a> Rules<'a> {
    /// Rules for records carried over from another system: their numbers are kept as they are.
    pub fn legacy(vocab: &'a Vocabularies, implied_unit: Option<dimensions::Unit>) -> Self {
        Rules { vocab, pattern: None, implied_unit }
    }
}

impl ArtefactInput {
    /// Checks every field, reporting every problem at once.
    pub fn validate(&self, rules: &Rules<'_>) -> Result<NewArtefact, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let accession_number = match self.accession_number.as_deref().map(str::trim) {
            None | Some("") => {
                if self.donation_id.is_none() {
                    e.push(
                        "accession_number",
                        "is required unless donation_id is given, when the donation's next free number is assigned",
                    );
                }
                None
            }
            Some(s) => e
                .check("accession_number", AccessionNumber::parse(s))
                .and_then(|n| e.check("accession_number", rules.pattern.map_or(Ok(()), |p| p.check(&n))).map(|()| n)),
        };
        let title = match &self.title {
            Some(t) => t.clean("title", SHORT, &mut e),
            None => LocalText::default(),
        };
        if title.is_empty() && !e.0.iter().any(|p| p.field.starts_with("title")) {
            e.push("title", "is required: give title.zh or title.en");
        }
        let other_titles = self
            .other_titles
            .iter()
            .enumerate()
            .filter_map(|(i, t)| e.check(format!("other_titles[{i}]"), required_text(Some(t), SHORT)))
            .collect();
        let term = |e: &mut ValidationErrors, field: &str, vocab: &str, v: &Option<String>| -> Option<String> {
            let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            e.check(field, rules.vocab.resolve(vocab, v).map(|t| t.code.clone()))
        };
        let category = term(&mut e, "category", names::CATEGORY, &self.category);
        let period = term(&mut e, "period", names::PERIOD, &self.period);
        let completeness = term(&mut e, "completeness", names::COMPLETENESS, &self.completeness);
        let preservation = term(&mut e, "preservation", names::PRESERVATION, &self.preservation);
        let grade = term(&mut e, "grade", names::GRADE, &self.grade);
        let acquisition_method =
            term(&mut e, "acquisition_method", names::ACQUISITION_METHOD, &self.acquisition_method);
        let materials = self
            .materials
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                e.check(format!("materials[{i}]"), rules.vocab.resolve(names::MATERIAL, m).map(|t| t.code.clone()))
            })
            .collect();
        let makers = self
            .makers
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let name = e.check(format!("makers[{i}].name"), required_text(Some(&m.name), SHORT))?;
                let role = e.check(format!("makers[{i}].role"), optional_text(m.role.as_deref(), 100))?;
                Some(Maker { name, role, party_id: m.party_id })
            })
            .collect();
        let date = self.date.as_ref().and_then(|d| d.validate("date", rules.vocab, &mut e));
        let dimensions = self.dimensions.as_ref().and_then(|d| validate_dimensions(d, rules, &mut e));
        let inscriptions = self
            .inscriptions
            .iter()
            .enumerate()
            .filter_map(|(i, ins)| {
                let f = |n: &str| format!("inscriptions[{i}].{n}");
                Some(Inscription {
                    text: e.check(f("text"), required_text(Some(&ins.text), LONG))?,
                    kind: e.check(f("kind"), optional_text(ins.kind.as_deref(), 100))?,
                    position: e.check(f("position"), optional_text(ins.position.as_deref(), SHORT))?,
                    translation: e.check(f("translation"), optional_text(ins.translation.as_deref(), LONG))?,
                    note: e.check(f("note"), optional_text(ins.note.as_deref(), LONG))?,
                })
            })
            .collect();
        let provenance = self
            .provenance
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let f = |n: &str| format!("provenance[{i}].{n}");
                Some(ProvenanceEvent {
                    owner: e.check(f("owner"), required_text(p.owner.as_deref(), SHORT))?,
                    party_id: p.party_id,
                    method: p.method,
                    date: match &p.date {
                        Some(d) => Some(d.validate(&f("date"), rules.vocab, &mut e)?),
                        None => None,
                    },
                    place: e.check(f("place"), optional_text(p.place.as_deref(), SHORT))?,
                    source: e.check(f("source"), optional_text(p.source.as_deref(), LONG))?,
                    note: e.check(f("note"), optional_text(p.note.as_deref(), LONG))?,
                    public: p.public,
                })
            })
            .collect();
        let quantity = self.quantity.as_ref().and_then(|q| e.check("quantity", parse_quantity(q)));
        let private = self.private.clone().unwrap_or_default();
        if let Some(v) = &private.valuation {
            e.check("private.valuation", v.validate());
        }
        let text = |e: &mut ValidationErrors, field: &str, v: &Option<String>, max| {
            e.check(field, optional_text(v.as_deref(), max)).flatten()
        };
        let body = ArtefactBody {
            donation_id: self.donation_id,
            title,
            other_titles,
            object_name: text(&mut e, "object_name", &self.object_name, SHORT),
            category,
            makers,
            date,
            period,
            materials,
            technique: text(&mut e, "technique", &self.technique, SHORT),
            dimensions,
            inscriptions,
            description: self.description.as_ref().map(|d| d.clean("description", LONG, &mut e)).unwrap_or_default(),
            quantity,
            completeness,
            preservation,
            grade,
            acquisition_method,
            source_note: text(&mut e, "source_note", &self.source_note, LONG),
            acquired: self.acquired.as_ref().and_then(|d| d.validate("acquired", rules.vocab, &mut e)),
            reproduction: self.reproduction.clone(),
            rights: text(&mut e, "rights", &self.rights, SHORT),
            credit_line: text(&mut e, "credit_line", &self.credit_line, SHORT),
            provenance,
            record_source: self.record_source.clone(),
            status: self.status.unwrap_or_default(),
            private: ArtefactPrivate {
                storage_location: text(&mut e, "private.storage_location", &private.storage_location, SHORT),
                insurance: text(&mut e, "private.insurance", &private.insurance, SHORT),
                internal_notes: text(&mut e, "private.internal_notes", &private.internal_notes, LONG),
                valuation: private.valuation,
            },
        };
        e.into_result(|| NewArtefact { accession_number, body })
    }
}

fn validate_dimensions(input: &DimensionsInput, rules: &Rules<'_>, e: &mut ValidationErrors) -> Option<Dimensions> {
    let opts = ParseOptions { implied_unit: rules.implied_unit };
    let (text, given) = match input {
        DimensionsInput::Text(t) => (Some(t.as_str()), &[][..]),
        DimensionsInput::Full(d) => (d.text.as_deref(), d.items.as_slice()),
    };
    let text = e.check("dimensions.text", optional_text(text, LONG))?;
    if !given.is_empty() {
        let mut ok = true;
        for (i, d) in given.iter().enumerate() {
            ok &= e.check(format!("dimensions.items[{i}]"), d.validate()).is_some();
        }
        let items =
            given.iter().map(|d| Dimension::new(d.part.clone(), d.kind, d.value, d.unit, d.approximate)).collect();
        return ok.then_some(Dimensions { text, not_measured: false, items });
    }
    let t = text.as_deref()?;
    match dimensions::parse(t, opts) {
        Parsed::Measured(items) => Some(Dimensions { text, not_measured: false, items }),
        Parsed::NotMeasured => Some(Dimensions { text, not_measured: true, items: Vec::new() }),
        Parsed::Unreadable(why) => {
            e.push(
                "dimensions",
                format!("cannot read `{t}`: {why}; write e.g. `高45厘米`, `纵23.7厘米，横20.6厘米` or `45 x 30 cm`"),
            );
            None
        }
    }
}

fn parse_quantity(q: &QuantityInput) -> Result<Quantity, String> {
    let q = match q {
        QuantityInput::Full(q) => q.clone(),
        QuantityInput::Text(t) => {
            let t = t.trim();
            let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
            let count = digits.parse().map_err(|_| format!("`{t}` should start with a count, e.g. `1件` or `2 套`"))?;
            let unit = t[digits.len()..].trim();
            Quantity { count, unit: if unit.is_empty() { "件".into() } else { unit.into() } }
        }
    };
    if q.count == 0 {
        return Err("count must be at least 1".into());
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(v: &Vocabularies) -> Rules<'_> {
        Rules { vocab: v, pattern: None, implied_unit: None }
    }

    #[test]
    fn a_valid_input_is_normalised() {
        let v = Vocabularies::shipped();
        let input: ArtefactInput = serde_json::from_value(serde_json::json!({
            "accession_number": "2023.15.2",
            "title": {"zh": " 黎澍书陆游《村饮》诗 "},
            "category": "書法、繪畫",
            "date": "约1923年",
            "dimensions": "纵23.7厘米，横20.6厘米",
            "quantity": "1件"
        }))
        .unwrap();
        let a = input.validate(&rules(&v)).unwrap();
        assert_eq!(a.body.title.zh.as_deref(), Some("黎澍书陆游《村饮》诗"));
        assert_eq!(a.body.category.as_deref(), Some("calligraphy-painting"));
        assert_eq!(a.body.date.unwrap().earliest, Some(1923));
        assert_eq!(a.body.dimensions.unwrap().items.len(), 2);
        assert_eq!(a.body.quantity, Some(Quantity { count: 1, unit: "件".into() }));
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let v = Vocabularies::shipped();
        let input: ArtefactInput = serde_json::from_value(serde_json::json!({
            "accession_number": "bad number",
            "category": "spaceship",
            "dimensions": "-5 cm",
            "private": {"valuation": {"amount": -1.0, "currency": "CNY"}}
        }))
        .unwrap();
        let err = input.validate(&rules(&v)).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["accession_number", "title", "category", "dimensions", "private.valuation"]);
    }

    #[test]
    fn the_pattern_applies_to_numbers_given_for_new_records() {
        let v = Vocabularies::shipped();
        let p = AccessionPattern::default();
        let rules = Rules { vocab: &v, pattern: Some(&p), implied_unit: None };
        let input = ArtefactInput {
            accession_number: Some("A123".into()),
            title: Some(LocalText::zh("x")),
            ..Default::default()
        };
        assert_eq!(input.validate(&rules).unwrap_err().0[0].field, "accession_number");
    }
}
