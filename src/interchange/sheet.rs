//! Curators' spreadsheets: CSV, TSV and Excel `.xlsx`, with the national
//! census template's column names (总登记号, 藏品名称, 类别, 质地, 捐赠人 …) or
//! their English equivalents recognised without a mapping, any other header set
//! through a mapping file, in UTF-8 (with or without BOM), GBK/GB18030 or Big5.
//!
//! Reading gives a [`Table`] of text; `register.rs` turns its rows into a
//! [`SheetPlan`]: each row as a validated artefact with the donor and donation
//! it names, or row-level problems (row, column, value, problem). Nothing is
//! written here.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

pub use super::headers::{FIELDS, field_of};
use super::import::RowProblem;
pub use super::register::{DonorRef, SheetPlan, SheetRow, plan};

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

pub(super) fn problem(row: u64, column: &str, value: &str, problem: impl Into<String>) -> RowProblem {
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
}
