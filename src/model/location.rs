//! Locations and movements: where each object is, who moved it and why.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::LocalText;
use super::validation::{ValidationErrors, optional_text};

/// The longest location code, in characters: what a label or a barcode carries.
pub const MAX_CODE: usize = 32;

/// What a location is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// Secure storage (库房).
    #[default]
    Storage,
    /// On display in a gallery (展厅).
    Display,
    /// Outside the museum: a conservator's studio, a borrower (馆外).
    OffSite,
}

impl LocationKind {
    pub const ALL: [LocationKind; 3] = [LocationKind::Storage, LocationKind::Display, LocationKind::OffSite];

    pub fn as_str(self) -> &'static str {
        match self {
            LocationKind::Storage => "storage",
            LocationKind::Display => "display",
            LocationKind::OffSite => "off_site",
        }
    }
}

/// A stored location. Its parent is kept beside it, as an id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Location {
    pub name: LocalText,
    #[serde(default)]
    pub kind: LocationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why an object moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MoveReason {
    /// Put away in storage.
    Storage,
    Display,
    Conservation,
    Photography,
    Loan,
    Inventory,
    /// Research or study.
    Research,
    /// A location recorded, not a movement seen: the first placing of an object, or what a
    /// record or register said.
    Recorded,
}

impl MoveReason {
    pub const ALL: [MoveReason; 8] = [
        MoveReason::Storage,
        MoveReason::Display,
        MoveReason::Conservation,
        MoveReason::Photography,
        MoveReason::Loan,
        MoveReason::Inventory,
        MoveReason::Research,
        MoveReason::Recorded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MoveReason::Storage => "storage",
            MoveReason::Display => "display",
            MoveReason::Conservation => "conservation",
            MoveReason::Photography => "photography",
            MoveReason::Loan => "loan",
            MoveReason::Inventory => "inventory",
            MoveReason::Research => "research",
            MoveReason::Recorded => "recorded",
        }
    }

    pub fn parse(s: &str) -> Option<MoveReason> {
        MoveReason::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// Checks a location code: letters, digits and `. / - _`, at most [`MAX_CODE`] characters.
/// Codes are kept in capitals, so `b-12` and `B-12` are one code.
pub fn code(raw: &str) -> Result<String, String> {
    let c = raw.trim();
    if c.is_empty() {
        return Err("is required: give the code its label or barcode carries, e.g. B1-R3-C2".into());
    }
    if c.chars().count() > MAX_CODE {
        return Err(format!("is longer than {MAX_CODE} characters"));
    }
    if let Some(bad) = c.chars().find(|ch| !(ch.is_ascii_alphanumeric() || matches!(ch, '.' | '/' | '-' | '_'))) {
        return Err(format!(
            "may hold only letters A–Z, digits and . / - _ (a barcode carries it); `{bad}` is not one of them"
        ));
    }
    Ok(c.to_ascii_uppercase())
}

/// What a new location or a change to one sends.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    /// e.g. `B1-R3-C2`: letters, digits and . / - _.
    pub code: String,
    pub name: LocalText,
    /// The code of the location it is in; none for a building.
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub kind: LocationKind,
    #[serde(default)]
    pub note: Option<String>,
}

impl LocationInput {
    /// The checked record, its code and its parent's code.
    pub fn validate(&self) -> Result<(String, Location, Option<String>), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let checked = e.check("code", code(&self.code));
        let zh = e.check("name.zh", optional_text(self.name.zh.as_deref(), 100)).flatten();
        let en = e.check("name.en", optional_text(self.name.en.as_deref(), 100)).flatten();
        if zh.is_none() && en.is_none() && e.is_empty() {
            e.push("name", "is required: name the location in Chinese, English or both, e.g. 一号库房");
        }
        let parent = match self.parent.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => e.check("parent", code(p)),
        };
        let note = e.check("note", optional_text(self.note.as_deref(), 1000)).flatten();
        let kind = self.kind;
        e.into_result(|| (checked.unwrap_or_default(), Location { name: LocalText { zh, en }, kind, note }, parent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_kept_in_capitals_and_hold_only_what_a_barcode_can() {
        assert_eq!(code(" b1-r3/c2.5_x ").unwrap(), "B1-R3/C2.5_X");
        assert!(code("").unwrap_err().contains("required"));
        assert!(code("库房B").unwrap_err().contains("`库`"));
        assert!(code("B 12").unwrap_err().contains("` `"));
        assert!(code(&"A".repeat(33)).unwrap_err().contains("32"));
    }

    #[test]
    fn a_location_needs_a_name_in_one_language_at_least() {
        let input = LocationInput { code: "B-12".into(), ..Default::default() };
        let e = input.validate().unwrap_err();
        assert_eq!(e.0[0].field, "name");
        let input = LocationInput { code: "B-12".into(), name: LocalText::zh("十二号箱"), ..Default::default() };
        let (code, location, parent) = input.validate().unwrap();
        assert_eq!((code.as_str(), location.kind, parent), ("B-12", LocationKind::Storage, None));
    }

    #[test]
    fn every_reason_reads_back_from_its_code() {
        for r in MoveReason::ALL {
            assert_eq!(MoveReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(MoveReason::parse("lunch"), None);
    }
}
