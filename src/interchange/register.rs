//! A register's rows as artefacts: each row of a sheet checked and turned
//! into a validated artefact with the donor and donation it names, or into
//! row-level problems, one row at a time. What a row says is kept as written; what the catalogue
//! derives from it is best effort, with a warning. Nothing is written here.

use std::collections::HashMap;

use super::headers::{FIELDS, field_of};
use super::problems::Problems;
use super::sheet::{Mapping, problem};
use crate::model::artefact::{
    ArtefactInput, ArtefactPrivate, DimensionsInput, Inscription, Maker, PublicationStatus, QuantityInput, Rules,
};
use crate::model::common::{DateInput, LocalText, Money};
use crate::model::date::HistoricalDate;
use crate::model::dimensions::{ParseOptions, Parsed, Unit};
use crate::model::party::Contact;
use crate::model::register::{DonorRef, RegisterRow, RowProblem};
use crate::model::vocab::{Vocabularies, names};

fn money(text: &str) -> Option<Money> {
    let currency = if text.contains('$') || text.to_uppercase().contains("USD") {
        "USD"
    } else if text.contains('€') || text.to_uppercase().contains("EUR") {
        "EUR"
    } else {
        "CNY"
    };
    let mut multiplier = 1.0;
    if text.contains('万') {
        multiplier = 10_000.0;
    }
    let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let amount: f64 = digits.parse().ok()?;
    serde_json::from_value(serde_json::json!({"amount": amount * multiplier, "currency": currency})).ok()
}

fn contact(text: &str) -> Contact {
    let mut c = Contact::default();
    for part in text.split([';', '；', ',', '，', '/']).map(str::trim).filter(|p| !p.is_empty()) {
        if part.contains('@') {
            c.email = Some(part.to_string());
        } else if part.chars().filter(char::is_ascii_digit).count() >= 7 && c.phone.is_none() {
            c.phone = Some(part.to_string());
        } else {
            c.note = Some(match c.note.take() {
                Some(n) => format!("{n}；{part}"),
                None => part.to_string(),
            });
        }
    }
    c
}

/// Whether a date text says the date is not known.
fn says_unknown(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    ["not known", "unknown", "undated", "n.d.", "不详", "不詳", "未知", "待考", "待订", "待訂"]
        .iter()
        .any(|w| t.contains(w))
}

fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{3400}'..='\u{9fff}').contains(&c))
}

fn local(s: &str) -> LocalText {
    if is_cjk(s) { LocalText { zh: Some(s.into()), en: None } } else { LocalText { zh: None, en: Some(s.into()) } }
}

/// Names and titles: separated by 、 or semicolons, never by commas (`Smith, John`; `Associates, Inc.`).
fn split_names(s: &str) -> Vec<String> {
    s.split(['、', ';', '；']).map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
}

fn split_list(s: &str) -> Vec<String> {
    s.split(&['、', ';', '；', '/', '，', ','][..]).map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
}

/// Turns a sheet's rows into validated artefacts, one at a time. What a row says
/// is kept as written; what the catalogue derives from it (structured dimensions,
/// year ranges, vocabulary terms, amounts) is best effort, with a warning on the
/// row where it cannot be: a category that is not a census term is kept as the
/// object name, materials as the technique, a period word with the date, an amount
/// or a contact without a donor in the internal notes, a missing title as a
/// placeholder. Errors are left for what would make a record wrong: a number twice
/// in the file, a yes-or-no that is neither, a value too long.
pub struct Planner<'a> {
    vocab: &'a Vocabularies,
    headers: Vec<String>,
    columns: Vec<Option<&'static str>>,
    /// The header of each field's first column.
    seen_fields: HashMap<&'static str, String>,
    /// A register kept in Chinese gets the Chinese placeholder for a missing title.
    chinese: bool,
    pub errors: Problems,
    pub warnings: Problems,
    /// Rows left out: their number cannot be an accession number.
    pub skipped: u64,
    /// Rows that passed every check.
    pub valid: u64,
}

impl<'a> Planner<'a> {
    /// Reads the header row: which field each column fills. Columns the catalogue does not
    /// know are warnings; a sheet without a title column is an error.
    pub fn new(headers: Vec<String>, mapping: &Mapping, vocab: &'a Vocabularies) -> Planner<'a> {
        let mut warnings = Problems::new();
        let mut errors = Problems::new();
        let mut columns: Vec<Option<&'static str>> = Vec::new();
        let mut seen_fields: HashMap<&'static str, String> = HashMap::new();
        for h in &headers {
            let field = mapping
                .columns
                .get(h.trim())
                .and_then(|f| FIELDS.iter().find(|(k, _)| k == f).map(|(k, _)| *k))
                .or_else(|| field_of(h));
            match field {
                Some(f) => {
                    // Two columns of one field (the Met's Period and Dynasty): both are kept, joined.
                    seen_fields.entry(f).or_insert_with(|| h.clone());
                    columns.push(Some(f));
                }
                None => {
                    if !h.trim().is_empty() {
                        warnings.push(problem(
                            1,
                            h,
                            "",
                            "is not a column the catalogue knows; it was left out (map it with --map)",
                        ));
                    }
                    columns.push(None);
                }
            }
        }
        if !seen_fields.contains_key("title") {
            errors.push(problem(1, "(header)", &headers.join(","), "no column gives the title (藏品名称 / title)"));
        }
        Planner {
            vocab,
            chinese: headers.iter().any(|h| is_cjk(h)),
            headers,
            columns,
            seen_fields,
            errors,
            warnings,
            skipped: 0,
            valid: 0,
        }
    }

    /// The header of the column that fills `field`, or the field's name.
    pub fn header_of(&self, field: &str) -> String {
        self.seen_fields.get(field).cloned().unwrap_or_else(|| field.to_string())
    }

    /// Whether the header row already refuses the file (no title column).
    pub fn unusable(&self) -> bool {
        !self.seen_fields.contains_key("title")
    }

    /// Checks one row: the artefact it gives, or nothing (its problems are in `errors`
    /// and `warnings`, a row left out is counted in `skipped`).
    pub fn row(&mut self, row: u64, cells: Vec<String>) -> Option<RegisterRow> {
        let Planner { vocab, headers, columns, seen_fields, chinese, errors: plan_errors, warnings, skipped, valid } =
            self;
        let (vocab, chinese) = (*vocab, *chinese);
        let mut cell: HashMap<&str, (String, String)> = HashMap::new();
        for ((f, h), v) in columns.iter().zip(headers.iter()).zip(&cells) {
            let (Some(f), false) = (f, v.is_empty()) else { continue };
            let v = super::open_data::repair_c1(v);
            if let std::borrow::Cow::Owned(fixed) = &v {
                warnings.push(problem(
                    row,
                    h,
                    fixed,
                    "held Windows-1252 punctuation read as control characters; repaired (as shown)",
                ));
            }
            match cell.get_mut(f) {
                Some((_, kept)) => {
                    kept.push_str("; ");
                    kept.push_str(&v);
                }
                None => {
                    cell.insert(f, (h.clone(), v.into_owned()));
                }
            }
        }
        let get = |f: &str| cell.get(f).map(|(_, v)| v.as_str());
        let header = |f: &str| {
            cell.get(f).map(|(h, _)| h.as_str()).or(seen_fields.get(f).map(String::as_str)).unwrap_or(f).to_string()
        };
        let mut errors = Vec::new();
        let mut warn =
            |field: &str, value: &str, said: String| warnings.push(problem(row, &header(field), value, said));
        let mut input = ArtefactInput::default();
        // A number twice in the file is found as the rows are written (`Store::import_register`).
        if let Some(acc) = get("accession") {
            input.accession_number = Some(acc.to_string());
        }
        let mut title = get("title").map(local).unwrap_or_default();
        if let Some(en) = get("title_en") {
            title.en = Some(en.to_string());
        }
        if title.is_empty() {
            let placeholder = if chinese { "[无题]" } else { "[untitled]" };
            title = local(placeholder);
            warn("title", "", format!("no title; recorded as {placeholder}"));
        }
        input.title = Some(title);
        input.other_titles = get("other_titles").map(split_names).unwrap_or_default();
        input.object_name = get("object_name").map(String::from);
        input.makers = get("maker")
            .map(|m| split_names(m).into_iter().map(|name| Maker { name, role: None, party_id: None }).collect())
            .unwrap_or_default();
        // 年代 is a period of the census list (清, 民国 …) or, as registers often have it, a date.
        let mut date = get("date").map(String::from);
        if let Some(p) = get("period") {
            if vocab.resolve(names::PERIOD, p).is_ok() {
                input.period = Some(p.to_string());
            } else if let Some(d) = &date {
                warn(
                    "period",
                    p,
                    "is not a period of the census list (清, 民国 …); kept with the date as written".into(),
                );
                date = Some(format!("{d}（{p}）"));
            } else {
                date = Some(p.to_string());
            }
        }
        // Dates are kept as written; a year range is read from them where one can be.
        for (field, text, target) in
            [("date", date, &mut input.date), ("acquired", get("acquired").map(String::from), &mut input.acquired)]
        {
            if let Some(d) = text {
                let parsed = HistoricalDate::parse(&d, vocab);
                if parsed.earliest.is_none() && parsed.latest.is_none() && !says_unknown(&d) {
                    warn(field, &d, "cannot be read as a date (e.g. 1923, 1923年5月, 约1923年, 清乾隆); kept as written, with no years".into());
                }
                *target = Some(DateInput::Text(d));
            }
        }
        if let Some(c) = get("category") {
            match vocab.resolve(names::CATEGORY, c) {
                Ok(_) => input.category = Some(c.to_string()),
                Err(_) => {
                    warn("category", c, "is not a category of the census list; kept as the object name".into());
                    input.object_name = Some(match input.object_name.take() {
                        Some(name) => format!("{name}; {c}"),
                        None => c.to_string(),
                    });
                }
            }
        }
        if let Some(m) = get("material") {
            let (known, unknown): (Vec<String>, Vec<String>) =
                split_list(m).into_iter().partition(|x| vocab.resolve(names::MATERIAL, x).is_ok());
            input.materials = known;
            if !unknown.is_empty() {
                warn("material", m, "is not all materials of the census list; kept as written as the technique".into());
                input.technique = Some(m.to_string());
            }
        }
        if let Some(t) = get("technique") {
            input.technique = Some(match input.technique.take() {
                Some(kept) => format!("{kept}; {t}"),
                None => t.to_string(),
            });
        }
        input.quantity = get("quantity").map(|q| QuantityInput::Text(q.to_string()));
        let mut dims: Vec<String> = Vec::new();
        for (field, label) in [("length", "通长"), ("width", "通宽"), ("height", "通高")] {
            if let Some(v) = get(field) {
                let unit = if v.chars().any(|c| c.is_alphabetic() && !c.is_ascii_digit()) { "" } else { "厘米" };
                dims.push(format!("{label}{v}{unit}"));
            }
        }
        if let Some(d) = get("dimensions") {
            dims.push(d.to_string());
        }
        if let Some(w) = get("weight") {
            let unit = if w.chars().any(char::is_alphabetic) { "" } else { "千克" };
            dims.push(format!("重{w}{unit}"));
        }
        let dimension_text = (!dims.is_empty()).then(|| dims.join("，"));
        if let Some(text) = &dimension_text {
            let read = crate::model::dimensions::parse(text, ParseOptions { implied_unit: Some(Unit::Cm) });
            if let Parsed::Unreadable(why) = read {
                warn("dimensions", text, format!("{why}: no measurement could be read; kept as written"));
            } else {
                // A register's numbers without a unit are read as centimetres, as the census has them.
                if let Parsed::Unreadable(_) = crate::model::dimensions::parse(text, ParseOptions::default()) {
                    warn("dimensions", text, "gives no unit; read as centimetres (厘米), kept as written".into());
                }
                input.dimensions = Some(DimensionsInput::Text(text.clone()));
            }
        }
        input.completeness = get("completeness").map(String::from);
        input.preservation = get("preservation").map(String::from);
        input.acquisition_method = get("acquisition_method").map(String::from);
        input.source_note = get("source").map(String::from);
        input.credit_line = get("credit_line").map(String::from);
        input.department = get("department").map(String::from);
        input.inscriptions = get("inscription")
            .map(|text| vec![Inscription { text: text.to_string(), ..Default::default() }])
            .unwrap_or_default();
        input.description = get("description").map(local);
        let mut notes: Vec<String> = get("internal_notes").map(String::from).into_iter().collect();
        let mut private =
            ArtefactPrivate { storage_location: get("storage_location").map(String::from), ..Default::default() };
        if let Some(v) = get("valuation") {
            match money(v) {
                Some(m) => private.valuation = Some(m),
                None => {
                    warn(
                        "valuation",
                        v,
                        "is not an amount (e.g. 12000, ¥12,000, 1.2万); kept in the internal notes".into(),
                    );
                    notes.push(format!("{}: {v}", header("valuation")));
                }
            }
        }
        let donor =
            get("donor").map(|name| DonorRef { name: name.to_string(), contact: get("donor_contact").map(contact) });
        if donor.is_none()
            && let Some(c) = get("donor_contact")
        {
            warn("donor_contact", c, "gives a contact but no donor (捐赠人); kept in the internal notes".into());
            notes.push(format!("{}: {c}", header("donor_contact")));
        }
        if !notes.is_empty() {
            private.internal_notes = Some(notes.join("\n"));
        }
        if !private.is_empty() {
            input.private = Some(private);
        }
        if let Some(p) = get("published") {
            input.status = match p.trim().to_lowercase().as_str() {
                "是" | "yes" | "y" | "true" | "1" | "公开" => Some(PublicationStatus::Published),
                "否" | "no" | "n" | "false" | "0" | "不公开" => Some(PublicationStatus::Draft),
                _ => {
                    errors.push(problem(row, &header("published"), p, "should be 是 or 否 (yes or no)"));
                    None
                }
            };
        }
        // A row without an accession number is numbered from its donor's donation, which is only
        // found or made when the file is written: stand in for it so the row validates.
        if input.accession_number.is_none() && donor.is_some() {
            input.donation_id = Some(0);
        }
        let rules = Rules::legacy(vocab, Some(Unit::Cm));
        match input.validate(&rules) {
            Ok(mut item) if errors.is_empty() => {
                // Kept as written, with no structured value.
                if input.dimensions.is_none()
                    && let Some(text) = dimension_text
                {
                    item.body.dimensions = Some(crate::model::artefact::Dimensions {
                        text: Some(text),
                        not_measured: false,
                        items: Vec::new(),
                    });
                }
                *valid += 1;
                Some(RegisterRow {
                    row,
                    acquired: item.body.acquired.clone(),
                    item,
                    donor,
                    receipt: get("receipt").map(String::from),
                })
            }
            Ok(_) => {
                plan_errors.extend(errors);
                None
            }
            // A number that cannot be one (`MC 7`, a template's `PIB Template - Graham`): the
            // row is left out and said so, as the JSON-lines path does.
            Err(e) if errors.is_empty() && !e.0.is_empty() && e.0.iter().all(|p| p.field == "accession_number") => {
                *skipped += 1;
                let number = get("accession").unwrap_or_default().to_string();
                warnings.push(problem(row, &header("accession"), &number, format!("{}; row left out", e.0[0].problem)));
                None
            }
            Err(e) => {
                plan_errors.extend(errors);
                plan_errors.extend(e.0.into_iter().map(|p| {
                    let field = p.field.split(['[', '.']).next().unwrap_or_default().to_string();
                    let key = match field.as_str() {
                        "accession_number" => "accession",
                        "materials" => "material",
                        "makers" => "maker",
                        "inscriptions" => "inscription",
                        "title" => "title",
                        other => FIELDS.iter().find(|(f, _)| *f == other).map_or("(row)", |(f, _)| *f),
                    };
                    let value = get(key).unwrap_or_default().to_string();
                    RowProblem { row, column: header(key), value, problem: p.problem }
                }));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_contacts_are_read() {
        assert_eq!(money("¥12,000").map(|m| m.amount), Some(12000.0));
        assert_eq!(money("1.2万元").map(|m| m.amount), Some(12000.0));
        assert!(money("不详").is_none());
        let c = contact("lizy@example.org；13800138000；上海市黄浦区");
        assert_eq!(c.email.as_deref(), Some("lizy@example.org"));
        assert_eq!(c.phone.as_deref(), Some("13800138000"));
        assert_eq!(c.note.as_deref(), Some("上海市黄浦区"));
    }
}
