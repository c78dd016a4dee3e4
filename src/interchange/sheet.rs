//! Curators' spreadsheets: CSV, TSV and Excel `.xlsx`, with the national
//! census template's column names (总登记号, 藏品名称, 类别, 质地, 捐赠人 …) or
//! their English equivalents recognised without a mapping, any other header set
//! through a mapping file, in UTF-8 (with or without BOM), GBK/GB18030 or Big5.
//!
//! Reading gives a [`SheetPlan`]: each row as a validated artefact with the
//! donor and donation it names, or row-level problems (row, column, value,
//! problem). Nothing is written here.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

pub use super::headers::{FIELDS, field_of};
use super::import::RowProblem;
use crate::model::artefact::{
    ArtefactInput, ArtefactPrivate, DimensionsInput, Inscription, Maker, NewArtefact, PublicationStatus, QuantityInput,
    Rules,
};
use crate::model::common::{DateInput, LocalText, Money};
use crate::model::date::HistoricalDate;
use crate::model::dimensions::{ParseOptions, Parsed, Unit};
use crate::model::party::Contact;
use crate::model::vocab::{Vocabularies, names};

/// The spreadsheet formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Csv,
    Tsv,
    Xlsx,
}

/// Text encodings of CSV and TSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
    Big5,
}

impl TextEncoding {
    pub fn parse(s: &str) -> Option<TextEncoding> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" => Some(TextEncoding::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Some(TextEncoding::Gb18030),
            "big5" | "cp950" => Some(TextEncoding::Big5),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Gb18030 => "GB18030 (GBK)",
            TextEncoding::Big5 => "Big5",
        }
    }

    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 => encoding_rs::UTF_8,
            TextEncoding::Gb18030 => encoding_rs::GB18030,
            TextEncoding::Big5 => encoding_rs::BIG5,
        }
    }
}

/// A mapping file: `[columns]` from a header as written to a field name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

impl Mapping {
    pub fn read(path: &Path) -> Result<Mapping, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let m: Mapping = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for (header, field) in &m.columns {
            if !FIELDS.iter().any(|(f, _)| f == field) {
                let known: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
                return Err(format!(
                    "{}: column `{header}` maps to `{field}`, which is not a field; use one of {}",
                    path.display(),
                    known.join(", ")
                ));
            }
        }
        Ok(m)
    }
}

/// A sheet's cells, as text, with the row number each row has in the file.
#[derive(Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
    /// Rows whose cell count differs from the header's.
    pub ragged: Vec<RowProblem>,
    pub encoding: Option<TextEncoding>,
}

fn problem(row: u64, column: &str, value: &str, problem: impl Into<String>) -> RowProblem {
    RowProblem { row, column: column.into(), value: value.chars().take(80).collect(), problem: problem.into() }
}

/// Decodes text, detecting the encoding unless one is given.
pub fn decode(bytes: &[u8], forced: Option<TextEncoding>) -> Result<(String, TextEncoding), RowProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let attempt = |enc: TextEncoding| {
        let (text, _, had_errors) = enc.codec().decode(bytes);
        (!had_errors).then(|| text.into_owned())
    };
    if let Some(enc) = forced {
        return attempt(enc).map(|t| (t, enc)).ok_or_else(|| {
            problem(0, "(file)", "", format!("the file is not valid {}; check --encoding", enc.name()))
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), TextEncoding::Utf8));
    }
    // Both are double-byte encodings: of those that decode cleanly, take the one whose
    // text looks most like text (characters in common CJK, ASCII and punctuation).
    let score = |t: &str| {
        t.chars()
            .filter(|c| {
                c.is_ascii()
                    || ('\u{4e00}'..='\u{9fa5}').contains(c)
                    || ('\u{3000}'..='\u{303f}').contains(c)
                    || ('\u{ff00}'..='\u{ffef}').contains(c)
            })
            .count() as f64
            / t.chars().count().max(1) as f64
    };
    [TextEncoding::Gb18030, TextEncoding::Big5]
        .into_iter()
        .filter_map(|e| attempt(e).map(|t| (score(&t), t, e)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, t, e)| (t, e))
        .ok_or_else(|| {
            problem(
                0,
                "(file)",
                "",
                "the file is not valid UTF-8, GBK/GB18030 or Big5 text; give --encoding or save it as UTF-8",
            )
        })
}

/// Reads a CSV, TSV or xlsx file into rows of text.
pub fn read_table(path: &Path, format: SheetFormat, encoding: Option<TextEncoding>) -> Result<Table, RowProblem> {
    let io = |e: std::io::Error| problem(0, "(file)", "", format!("cannot read {}: {e}", path.display()));
    let bytes = std::fs::read(path).map_err(io)?;
    if bytes.is_empty() {
        return Err(problem(0, "(file)", "", "the file is empty (0 bytes)"));
    }
    let mut table = Table::default();
    let mut lines: Vec<(u64, Vec<String>)> = Vec::new();
    match format {
        SheetFormat::Csv | SheetFormat::Tsv => {
            let (text, enc) = decode(&bytes, encoding)?;
            table.encoding = Some(enc);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(if format == SheetFormat::Tsv { b'\t' } else { b',' })
                .from_reader(text.as_bytes());
            for (i, record) in reader.records().enumerate() {
                let row = i as u64 + 1;
                let record = record.map_err(|e| problem(row, "(line)", "", format!("not a valid CSV row: {e}")))?;
                lines.push((row, record.iter().map(|c| c.trim().to_string()).collect()));
            }
        }
        SheetFormat::Xlsx => {
            use calamine::{Data, Reader};
            let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| problem(0, "(file)", "", format!("not a readable .xlsx workbook: {e}")))?;
            let sheet = book
                .worksheet_range_at(0)
                .ok_or_else(|| problem(0, "(file)", "", "the workbook has no sheet"))?
                .map_err(|e| problem(0, "(file)", "", format!("the first sheet cannot be read: {e}")))?;
            for (i, cells) in sheet.rows().enumerate() {
                let text = cells
                    .iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                        // Excel counts days from 1899-12-30.
                        Data::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                            .and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::days(d.as_f64() as i64)))
                            .map_or_else(|| c.to_string(), |day| day.to_string()),
                        other => other.to_string().trim().to_string(),
                    })
                    .collect();
                lines.push((i as u64 + 1, text));
            }
        }
    }
    let mut lines = lines.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let (_, headers) = lines.next().ok_or_else(|| problem(0, "(file)", "", "the file has no header row"))?;
    table.headers = headers;
    let width = table.headers.len();
    for (row, mut cells) in lines {
        if cells.len() != width {
            // Trailing empty cells are a spreadsheet's habit, not a mistake.
            while cells.len() > width && cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            if cells.len() != width {
                table.ragged.push(problem(
                    row,
                    "(row)",
                    &cells.join(","),
                    format!("has {} cells; the header has {width}", cells.len()),
                ));
                continue;
            }
        }
        table.rows.push((row, cells));
    }
    if table.rows.is_empty() && table.ragged.is_empty() {
        return Err(problem(1, "(file)", "", "the file has a header row but no records"));
    }
    Ok(table)
}

/// The donor a row names.
#[derive(Debug, Clone, PartialEq)]
pub struct DonorRef {
    pub name: String,
    pub contact: Option<Contact>,
}

/// One row, ready to write: the artefact and the donation it came with.
#[derive(Debug, Clone)]
pub struct SheetRow {
    pub row: u64,
    pub item: NewArtefact,
    pub donor: Option<DonorRef>,
    pub receipt: Option<String>,
    /// The acquisition date as written, and its year.
    pub acquired: Option<HistoricalDate>,
}

/// A sheet read and checked.
#[derive(Debug, Default)]
pub struct SheetPlan {
    pub rows: Vec<SheetRow>,
    /// Rows left out: their number cannot be an accession number.
    pub skipped: u64,
    pub errors: Vec<RowProblem>,
    pub warnings: Vec<RowProblem>,
    pub encoding: Option<TextEncoding>,
}

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
    s.split(['、', ';', '；', '/', '，', ','].as_ref())
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

/// Turns the table's rows into validated artefacts. What a row says is kept as
/// written; what the catalogue derives from it (structured dimensions, year
/// ranges, vocabulary terms, amounts) is best effort, with a warning on the row
/// where it cannot be: a category that is not a census term is kept as the object
/// name, materials as the technique, a period word with the date, an amount or a
/// contact without a donor in the internal notes, a missing title as a
/// placeholder. Errors are left for what would make a record wrong: a number twice
/// in the file, a yes-or-no or a condition term that is neither, a value too long.
pub fn plan(table: Table, mapping: &Mapping, vocab: &Vocabularies) -> SheetPlan {
    let mut plan = SheetPlan { encoding: table.encoding, errors: table.ragged, ..Default::default() };
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    let mut seen_fields: HashMap<&'static str, String> = HashMap::new();
    for h in &table.headers {
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
                    plan.warnings.push(problem(
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
        plan.errors.push(problem(
            1,
            "(header)",
            &table.headers.join(","),
            "no column gives the title (藏品名称 / title)",
        ));
        return plan;
    }
    // A register kept in Chinese gets the Chinese placeholder for a missing title.
    let chinese = table.headers.iter().any(|h| is_cjk(h));
    let mut first_row: HashMap<String, u64> = HashMap::new();
    for (row, cells) in table.rows {
        let mut cell: HashMap<&str, (String, String)> = HashMap::new();
        for ((f, h), v) in columns.iter().zip(&table.headers).zip(&cells) {
            let (Some(f), false) = (f, v.is_empty()) else { continue };
            let v = super::open_data::repair_c1(v);
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
            |field: &str, value: &str, said: String| plan.warnings.push(problem(row, &header(field), value, said));
        let mut input = ArtefactInput::default();
        if let Some(acc) = get("accession") {
            if let Some(first) = first_row.get(acc) {
                errors.push(problem(row, &header("accession"), acc, format!("appears in row {first} too")));
            }
            first_row.entry(acc.to_string()).or_insert(row);
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
                input.dimensions = Some(DimensionsInput::Text(text.clone()));
            }
        }
        input.completeness = get("completeness").map(String::from);
        input.preservation = get("preservation").map(String::from);
        input.acquisition_method = get("acquisition_method").map(String::from);
        input.source_note = get("source").map(String::from);
        input.credit_line = get("credit_line").map(String::from);
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
                plan.rows.push(SheetRow {
                    row,
                    acquired: item.body.acquired.clone(),
                    item,
                    donor,
                    receipt: get("receipt").map(String::from),
                })
            }
            Ok(_) => plan.errors.extend(errors),
            // A number that cannot be one (`MC 7`, a template's `PIB Template - Graham`): the
            // row is left out and said so, as the JSON-lines path does.
            Err(e) if errors.is_empty() && e.0.iter().all(|p| p.field == "accession_number") => {
                plan.skipped += 1;
                let number = get("accession").unwrap_or_default().to_string();
                plan.warnings.push(problem(
                    row,
                    &header("accession"),
                    &number,
                    format!("{}; row left out", e.0[0].problem),
                ));
            }
            Err(e) => {
                plan.errors.extend(errors);
                plan.errors.extend(e.0.into_iter().map(|p| {
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
            }
        }
    }
    plan.errors.sort_by_key(|p| p.row);
    plan.warnings.sort_by_key(|p| p.row);
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn census_and_english_headers_are_recognised() {
        assert_eq!(field_of("总登记号"), Some("accession"));
        assert_eq!(field_of(" Accession Number "), Some("accession"));
        assert_eq!(field_of("\u{feff}入馆凭证号"), Some("receipt"));
        assert_eq!(field_of("存放位置"), Some("storage_location"));
        assert_eq!(field_of("總登記號"), Some("accession"), "Traditional characters");
        assert_eq!(field_of("颜色"), None);
    }

    #[test]
    fn gbk_and_big5_are_told_apart() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("藏品名称,作者\n黎澍书陆游《村饮》诗,黎澍\n");
        let (big5, _, _) = encoding_rs::BIG5.encode("藏品名稱,作者\n黎澍書陸游《村飲》詩,黎澍\n");
        let (text, enc) = decode(&gbk, None).unwrap();
        assert_eq!(enc, TextEncoding::Gb18030);
        assert!(text.contains("村饮"));
        let (text, enc) = decode(&big5, None).unwrap();
        assert_eq!(enc, TextEncoding::Big5);
        assert!(text.contains("村飲"));
        let (text, enc) = decode("\u{feff}总登记号".as_bytes(), None).unwrap();
        assert_eq!((text.as_str(), enc), ("总登记号", TextEncoding::Utf8));
        assert!(decode(&[0xff, 0xfe, 0xfd], None).is_err());
    }

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
