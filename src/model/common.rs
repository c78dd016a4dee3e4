//! Small value types shared by the records.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::date::HistoricalDate;
use super::validation::{ValidationErrors, optional_text};
use super::vocab::Vocabularies;

/// A text in Chinese and/or English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalText {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalText {
    pub fn zh(s: &str) -> Self {
        LocalText { zh: Some(s.into()), en: None }
    }

    pub fn is_empty(&self) -> bool {
        self.zh.is_none() && self.en.is_none()
    }

    /// Trims both languages, checking their length.
    pub fn clean(&self, field: &str, max: usize, errors: &mut ValidationErrors) -> LocalText {
        LocalText {
            zh: errors.check(format!("{field}.zh"), optional_text(self.zh.as_deref(), max)).flatten(),
            en: errors.check(format!("{field}.en"), optional_text(self.en.as_deref(), max)).flatten(),
        }
    }

    /// Chinese if there is one, else English.
    pub fn best(&self) -> Option<&str> {
        self.zh.as_deref().or(self.en.as_deref())
    }
}

/// Reads an input that is either text or an object of its full form, and nothing
/// else: a number or an array is refused with what was expected, where an untagged
/// enum would take an array by position or say only that no variant matched.
macro_rules! text_or_object {
    ($ty:ident, $full:ty, $expecting:literal) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Either;
                impl<'de> serde::de::Visitor<'de> for Either {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$ty, E> {
                        Ok($ty::Text(s.to_string()))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                        let full = serde::de::value::MapAccessDeserializer::new(map);
                        <$full as serde::Deserialize>::deserialize(full).map($ty::Full)
                    }
                }
                d.deserialize_any(Either)
            }
        }
    };
}
pub(crate) use text_or_object;

/// A date given as text (`约1923年`) or as text with explicit years.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum DateInput {
    Text(String),
    Full(HistoricalDate),
}

text_or_object!(DateInput, HistoricalDate, "the date as text, e.g. \"约1923年\", or an object with `text` and years");

impl DateInput {
    pub fn validate(&self, field: &str, vocab: &Vocabularies, errors: &mut ValidationErrors) -> Option<HistoricalDate> {
        let date = match self {
            // Years read from text are a reading, not a claim: one that makes no sense is dropped, the text kept.
            DateInput::Text(t) => match HistoricalDate::parse(t, vocab) {
                d if d.validate().is_err() => HistoricalDate { earliest: None, latest: None, ..d },
                d => d,
            },
            DateInput::Full(d) if d.earliest.is_none() && d.latest.is_none() => HistoricalDate {
                qualifier: d.qualifier.or(HistoricalDate::parse(&d.text, vocab).qualifier),
                ..HistoricalDate::parse(&d.text, vocab)
            },
            DateInput::Full(d) => d.clone(),
        };
        if date.text.trim().is_empty() {
            errors.push(format!("{field}.text"), "must not be empty; omit the date instead");
            return None;
        }
        if date.text.chars().count() > 200 {
            errors.push(format!("{field}.text"), "is longer than 200 characters");
            return None;
        }
        errors.check(field, date.validate().map(|()| date))
    }
}

/// Where a record came from when it was imported from another catalogue, and on what terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordSource {
    /// The dataset or system, e.g. `npm-taipei`.
    pub dataset: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Attribution the licence requires, e.g. 國立故宮博物院.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// An amount of money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount: f64,
    /// ISO 4217 code, e.g. `CNY`.
    pub currency: String,
}

impl Money {
    pub fn validate(&self) -> Result<(), String> {
        if !self.amount.is_finite() || self.amount < 0.0 {
            return Err("amount must be zero or more".into());
        }
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(format!("currency `{}` must be a three-letter ISO 4217 code such as CNY", self.currency));
        }
        Ok(())
    }
}
