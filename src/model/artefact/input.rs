//! The input form of an artefact and its validation.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    ArtefactBody, ArtefactPrivate, Dimensions, DimensionsInput, Inscription, LONG, Maker, NewArtefact, ProvenanceEvent,
    ProvenanceInput, PublicationStatus, Quantity, QuantityInput, Reproduction, SHORT,
};
use crate::model::accession::{AccessionNumber, AccessionPattern};
use crate::model::common::{DateInput, LocalText, RecordSource};
use crate::model::dimensions::{self, Dimension, ParseOptions, Parsed};
use crate::model::validation::{ValidationErrors, optional_text, required_text};
use crate::model::vocab::{Vocabularies, names};

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
    /// The curatorial department that keeps it.
    #[serde(default)]
    pub department: Option<String>,
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
            department: text(&mut e, "department", &self.department, SHORT),
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
            "accession_number": "bad?number",
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
