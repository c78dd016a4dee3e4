//! Parties: donors, makers, previous owners — people or organisations.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{DateInput, LocalText};
use super::date::HistoricalDate;
use super::validation::{Validate, ValidationErrors, optional_text, required_text};
use super::vocab::Vocabularies;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    #[default]
    Person,
    Organisation,
}

/// How two parties are related (`李振亚` is a `descendant_of` `李书城`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// e.g. `descendant_of`, `sibling_of`, `spouse_of`, `member_of`.
    pub kind: String,
    /// The related party's record, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_id: Option<i64>,
    /// The related party's name, where there is no record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A donor's contact details: private to curators.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        *self == Contact::default()
    }
}

/// A stored party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Party {
    #[serde(default)]
    pub kind: PartyKind,
    pub name: LocalText,
    /// Other names: courtesy names (字, 号), romanisations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    /// Life dates (people) or dates of existence (organisations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<HistoricalDate>,
    #[serde(default, skip_serializing_if = "LocalText::is_empty")]
    pub biography: LocalText,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    /// The donor agrees to be named publicly; otherwise gifts are credited 匿名捐赠.
    #[serde(default)]
    pub naming_consent: bool,
    /// The credit-line wording the donor chose, e.g. `李振亚先生捐赠`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_line: Option<String>,
    /// Private.
    #[serde(default, skip_serializing_if = "Contact::is_empty")]
    pub contact: Contact,
    /// Private.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_notes: Option<String>,
}

impl Party {
    /// The credit line a gift of this donor carries in public.
    pub fn public_credit(&self) -> String {
        if !self.naming_consent {
            return "匿名捐赠".into();
        }
        self.credit_line.clone().unwrap_or_else(|| format!("{}捐赠", self.name.best().unwrap_or_default()))
    }

    /// The credit line an English page prints: the donor's own wording if it is in
    /// English, else `Gift of` their English or romanised name (`Gift of Li Zhenya`);
    /// `None` when neither can be said (the Chinese credit line is shown then).
    pub fn public_credit_en(&self) -> Option<String> {
        if !self.naming_consent {
            return Some("Anonymous gift".into());
        }
        if let Some(own) = self.credit_line.as_deref().filter(|c| !super::english::has_chinese(c)) {
            return Some(own.to_string());
        }
        let name = self.name.en.clone().or_else(|| self.name.zh.as_deref().and_then(super::english::romanised_name))?;
        Some(format!("Gift of {name}"))
    }
}

/// What a client sends to create or update a party.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    #[serde(default)]
    pub kind: Option<PartyKind>,
    #[serde(default)]
    pub name: Option<LocalText>,
    #[serde(default)]
    pub other_names: Vec<String>,
    #[serde(default)]
    pub dates: Option<DateInput>,
    #[serde(default)]
    pub biography: Option<LocalText>,
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(default)]
    pub naming_consent: bool,
    #[serde(default)]
    pub credit_line: Option<String>,
    #[serde(default)]
    pub contact: Option<Contact>,
    #[serde(default)]
    pub internal_notes: Option<String>,
}

impl Validate for PartyInput {
    type Output = Party;

    fn validate(&self, vocab: &Vocabularies) -> Result<Party, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = self.name.as_ref().map(|n| n.clean("name", 300, &mut e)).unwrap_or_default();
        if name.is_empty() && !e.0.iter().any(|p| p.field.starts_with("name")) {
            e.push("name", "is required: give name.zh or name.en");
        }
        let other_names = self
            .other_names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| e.check(format!("other_names[{i}]"), required_text(Some(n), 300)))
            .collect();
        let dates = self.dates.as_ref().and_then(|d| d.validate("dates", vocab, &mut e));
        let relations = self
            .relations
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let kind = e.check(format!("relations[{i}].kind"), required_text(Some(&r.kind), 100))?;
                if r.party_id.is_none() && r.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    e.push(format!("relations[{i}]"), "names the related party: give party_id or name");
                    return None;
                }
                Some(Relation { kind, ..r.clone() })
            })
            .collect();
        let contact = self.contact.clone().unwrap_or_default();
        let text = |e: &mut ValidationErrors, f: &str, v: &Option<String>, max| {
            e.check(f, optional_text(v.as_deref(), max)).flatten()
        };
        let party = Party {
            kind: self.kind.unwrap_or_default(),
            biography: self.biography.as_ref().map(|b| b.clean("biography", 20_000, &mut e)).unwrap_or_default(),
            credit_line: text(&mut e, "credit_line", &self.credit_line, 300),
            internal_notes: text(&mut e, "internal_notes", &self.internal_notes, 20_000),
            contact: Contact {
                email: text(&mut e, "contact.email", &contact.email, 300),
                phone: text(&mut e, "contact.phone", &contact.phone, 100),
                address: text(&mut e, "contact.address", &contact.address, 1000),
                note: text(&mut e, "contact.note", &contact.note, 5000),
            },
            name,
            other_names,
            dates,
            relations,
            naming_consent: self.naming_consent,
        };
        e.into_result(|| party)
    }
}
