//! Curators' spreadsheets: CSV, TSV and Excel `.xlsx`, with the national
//! census template's column names (总登记号, 藏品名称, 类别, 质地, 捐赠人 …) or
//! their English equivalents recognised without a mapping, any other header set
//! through a mapping file, in UTF-8 (with or without BOM), GBK/GB18030 or Big5.
//!
//! Reading gives a [`TableReader`]: the header row, then the records one at a
//! time as text, so that a file of any size is read in little memory;
//! `register.rs` turns each row into a validated artefact with the donor and
//! donation it names, or into row-level problems (row, column, value, problem).
//! Nothing is written here.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

pub use super::headers::{FIELDS, field_of};
use crate::model::register::RowProblem;

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

pub(super) fn problem(row: u64, column: &str, value: &str, problem: impl Into<String>) -> RowProblem {
    RowProblem { row, column: column.into(), value: value.chars().take(80).collect(), problem: problem.into() }
}

/// How much of a CSV or TSV file is read to tell its encoding.
const SNIFF: usize = 1 << 20;

fn not_valid(enc: TextEncoding, forced: Option<TextEncoding>) -> RowProblem {
    match forced {
        Some(_) => problem(0, "(file)", "", format!("the file is not valid {}; check --encoding", enc.name())),
        None => problem(
            0,
            "(file)",
            "",
            "the file is not valid UTF-8, GBK/GB18030 or Big5 text; give --encoding or save it as UTF-8",
        ),
    }
}

/// The encoding of text that begins with `sample` (all of it when `whole`; otherwise a
/// character may be cut at its end).
fn detect(sample: &[u8], forced: Option<TextEncoding>, whole: bool) -> Result<TextEncoding, RowProblem> {
    // Decodes the sample without replacement; a cut character at its end is no error.
    let clean = |enc: TextEncoding| {
        let mut decoder = enc.codec().new_decoder_without_bom_handling();
        let mut out = String::with_capacity(decoder.max_utf8_buffer_length(sample.len()).unwrap_or(sample.len() * 3));
        let (result, _) = decoder.decode_to_string_without_replacement(sample, &mut out, whole);
        matches!(result, encoding_rs::DecoderResult::InputEmpty).then_some(out)
    };
    if let Some(enc) = forced {
        return clean(enc).map(|_| enc).ok_or_else(|| not_valid(enc, forced));
    }
    if clean(TextEncoding::Utf8).is_some() {
        return Ok(TextEncoding::Utf8);
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
        .filter_map(|e| clean(e).map(|t| (score(&t), e)))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, e)| e)
        .ok_or_else(|| not_valid(TextEncoding::Utf8, None))
}

/// Text in GBK or Big5 read as UTF-8, a buffer at a time; a byte sequence the encoding
/// does not have is an `InvalidData` error, never a replacement character.
struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    name: &'static str,
    input: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    done: bool,
    /// Bytes of the file decoded so far, for the error message.
    offset: u64,
    out: Vec<u8>,
    out_pos: usize,
}

impl<R: std::io::Read> Decoding<R> {
    fn new(inner: R, enc: TextEncoding) -> Self {
        Decoding {
            inner,
            decoder: enc.codec().new_decoder_without_bom_handling(),
            name: enc.name(),
            input: vec![0; 64 << 10].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            done: false,
            offset: 0,
            out: Vec::with_capacity(200 << 10),
            out_pos: 0,
        }
    }
}

impl<R: std::io::Read> std::io::Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.out_pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_pos);
                buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                self.end = self.inner.read(&mut self.input)?;
                self.start = 0;
                self.eof = self.end == 0;
            }
            let input = &self.input[self.start..self.end];
            self.out.clear();
            self.out.resize(self.decoder.max_utf8_buffer_length_without_replacement(input.len()).unwrap_or(1 << 20), 0);
            self.out_pos = 0;
            let (result, read, written) =
                self.decoder.decode_to_utf8_without_replacement(input, &mut self.out, self.eof);
            self.out.truncate(written);
            self.start += read;
            self.offset += read as u64;
            match result {
                encoding_rs::DecoderResult::InputEmpty => self.done = self.eof,
                encoding_rs::DecoderResult::OutputFull => {}
                encoding_rs::DecoderResult::Malformed(..) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("is not valid {} text (near byte {})", self.name, self.offset),
                    ));
                }
            }
        }
    }
}

/// A row as read: its number in the file and its cells, or what is wrong with it.
pub type Line = Result<(u64, Vec<String>), RowProblem>;

/// A sheet opened for reading: its header row, then its records one at a time, so that
/// a CSV or TSV file of any size is read in little memory. Rows whose cell count
/// differs from the header's come as problems; reading goes on after them. A row that
/// cannot be read at all (bad CSV quoting, text not in the file's encoding) comes as a
/// problem and ends the reading.
pub struct TableReader {
    pub headers: Vec<String>,
    pub encoding: Option<TextEncoding>,
    lines: Box<dyn Iterator<Item = Line> + Send>,
    ended: bool,
}

impl Iterator for TableReader {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.ended {
            return None;
        }
        let (row, mut cells) = match self.lines.next()? {
            Ok(line) => line,
            Err(p) => {
                self.ended = true;
                return Some(Err(p));
            }
        };
        let width = self.headers.len();
        // Trailing empty cells are a spreadsheet's habit, not a mistake.
        while cells.len() > width && cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        if cells.len() != width {
            return Some(Err(problem(
                row,
                "(row)",
                &cells.join(","),
                format!("has {} cells; the header has {width}", cells.len()),
            )));
        }
        Some(Ok((row, cells)))
    }
}

/// Rows with at least one cell that is not empty.
fn non_empty(lines: impl Iterator<Item = Line> + Send + 'static) -> impl Iterator<Item = Line> + Send + 'static {
    lines.filter(|l| l.as_ref().map_or(true, |(_, cells)| cells.iter().any(|c| !c.is_empty())))
}

/// What a file that is not text is, from its first bytes.
fn not_text(start: &[u8]) -> Option<&'static str> {
    let kinds: [(&[u8], &str); 6] = [
        (b"%PDF", "it is a PDF document"),
        (b"PK\x03\x04", "it is a zip archive, such as an .xlsx workbook: give it the .xlsx name"),
        (b"\xD0\xCF\x11\xE0", "it is an old Excel .xls workbook: save it as .xlsx or CSV"),
        (b"\x1F\x8B", "it is gzip-compressed: decompress it first"),
        (b"\xFF\xFE", "it is UTF-16 text: save it as CSV UTF-8"),
        (b"\xFE\xFF", "it is UTF-16 text: save it as CSV UTF-8"),
    ];
    if let Some((_, what)) = kinds.iter().find(|(magic, _)| start.starts_with(magic)) {
        return Some(what);
    }
    start.contains(&0).then_some("it holds binary data (NUL bytes), not text")
}

/// The rows of a CSV or TSV file, decoded as they are read.
fn text_lines(
    path: &Path,
    format: SheetFormat,
    forced: Option<TextEncoding>,
) -> Result<(Box<dyn Iterator<Item = Line> + Send>, TextEncoding), RowProblem> {
    use std::io::Read;
    let io = |e: std::io::Error| problem(0, "(file)", "", format!("cannot read {}: {e}", path.display()));
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut sniff = Vec::with_capacity(SNIFF);
    (&mut file).take(SNIFF as u64).read_to_end(&mut sniff).map_err(io)?;
    if sniff.is_empty() {
        return Err(problem(0, "(file)", "", "the file is empty (0 bytes)"));
    }
    if let Some(what) = not_text(&sniff) {
        return Err(problem(0, "(file)", "", format!("the file is not a CSV or TSV table: {what}")));
    }
    let bom = if sniff.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let whole = sniff.len() < SNIFF;
    let enc = detect(&sniff[bom..], forced, whole)?;
    let raw = std::io::Cursor::new(sniff).chain(file);
    let mut raw = std::io::BufReader::with_capacity(64 << 10, raw);
    std::io::copy(&mut (&mut raw).take(bom as u64), &mut std::io::sink()).map_err(io)?;
    let text: Box<dyn Read + Send> = match enc {
        TextEncoding::Utf8 => Box::new(raw),
        other => Box::new(Decoding::new(raw, other)),
    };
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if format == SheetFormat::Tsv { b'\t' } else { b',' })
        .from_reader(text);
    let lines = reader.into_byte_records().enumerate().map(move |(i, record)| {
        let row = i as u64 + 1;
        let record = record.map_err(|e| {
            let why = match e.kind() {
                csv::ErrorKind::Io(io) => io.to_string(),
                _ => format!("is not a valid CSV row: {e}"),
            };
            problem(row, "(line)", "", format!("{why}; nothing was imported"))
        })?;
        record
            .iter()
            .map(|cell| match std::str::from_utf8(cell) {
                Ok(c) => Ok(c.trim().to_string()),
                Err(_) => Err(problem(
                    row,
                    "(line)",
                    &String::from_utf8_lossy(cell),
                    "is not valid UTF-8 text, though the file begins as UTF-8: save the whole file in one encoding, or give --encoding",
                )),
            })
            .collect::<Result<Vec<String>, RowProblem>>()
            .map(|cells| (row, cells))
    });
    Ok((Box::new(lines), enc))
}

/// The rows of an xlsx workbook's first sheet (read whole: a sheet holds at most a million rows).
fn xlsx_lines(path: &Path) -> Result<Vec<Line>, RowProblem> {
    use calamine::{Data, Reader};
    let io = |e: std::io::Error| problem(0, "(file)", "", format!("cannot read {}: {e}", path.display()));
    let bytes = std::fs::read(path).map_err(io)?;
    if bytes.is_empty() {
        return Err(problem(0, "(file)", "", "the file is empty (0 bytes)"));
    }
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| problem(0, "(file)", "", format!("not a readable .xlsx workbook: {e}")))?;
    let sheet = book
        .worksheet_range_at(0)
        .ok_or_else(|| problem(0, "(file)", "", "the workbook has no sheet"))?
        .map_err(|e| problem(0, "(file)", "", format!("the first sheet cannot be read: {e}")))?;
    Ok(sheet
        .rows()
        .enumerate()
        .map(|(i, cells)| {
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
            Ok((i as u64 + 1, text))
        })
        .collect())
}

/// Opens a CSV, TSV or xlsx file: reads its header row, and checks that a record follows.
pub fn open_table(path: &Path, format: SheetFormat, encoding: Option<TextEncoding>) -> Result<TableReader, RowProblem> {
    let (lines, encoding): (Box<dyn Iterator<Item = Line> + Send>, _) = match format {
        SheetFormat::Csv | SheetFormat::Tsv => {
            let (lines, enc) = text_lines(path, format, encoding)?;
            (lines, Some(enc))
        }
        SheetFormat::Xlsx => (Box::new(xlsx_lines(path)?.into_iter()), None),
    };
    let mut lines = non_empty(lines).peekable();
    let (_, headers) = match lines.next() {
        Some(header) => header?,
        None => return Err(problem(0, "(file)", "", "the file has no header row")),
    };
    if lines.peek().is_none() {
        return Err(problem(1, "(file)", "", "the file has a header row but no records"));
    }
    Ok(TableReader { headers, encoding, lines: Box::new(lines), ended: false })
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

    /// Reads text as the reader does: the encoding told from the bytes, then decoded.
    fn read_all(bytes: &[u8]) -> Result<(String, TextEncoding), String> {
        use std::io::Read;
        let enc = detect(bytes, None, true).map_err(|p| p.problem)?;
        let mut text = String::new();
        Decoding::new(bytes, enc).read_to_string(&mut text).map_err(|e| e.to_string())?;
        Ok((text, enc))
    }

    #[test]
    fn gbk_and_big5_are_told_apart() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("藏品名称,作者\n黎澍书陆游《村饮》诗,黎澍\n");
        let (big5, _, _) = encoding_rs::BIG5.encode("藏品名稱,作者\n黎澍書陸游《村飲》詩,黎澍\n");
        let (text, enc) = read_all(&gbk).unwrap();
        assert_eq!(enc, TextEncoding::Gb18030);
        assert!(text.contains("村饮"));
        let (text, enc) = read_all(&big5).unwrap();
        assert_eq!(enc, TextEncoding::Big5);
        assert!(text.contains("村飲"));
        assert!(read_all(&[0xff, 0xfe, 0xfd]).is_err());
    }

    fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
        use std::io::Write;
        let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn a_large_file_is_read_row_by_row_in_its_encoding_and_a_bad_row_far_in_is_named() {
        // Far more than the part read to tell the encoding, in GBK.
        let mut text = String::from("\u{feff}总登记号,藏品名称\n");
        for i in 0..60_000 {
            text.push_str(&format!("2023.15.{i},黎澍书陆游《村饮》诗\n"));
        }
        let (gbk, _, _) = encoding_rs::GB18030.encode(&text[3..]);
        let file = write(&gbk);
        let table = open_table(file.path(), SheetFormat::Csv, None).unwrap();
        assert_eq!(table.encoding, Some(TextEncoding::Gb18030));
        assert_eq!(table.headers, ["总登记号", "藏品名称"]);
        let rows: Vec<_> = table.collect::<Result<_, _>>().unwrap();
        assert_eq!(rows.len(), 60_000);
        assert_eq!(rows[59_999], (60_001, vec!["2023.15.59999".to_string(), "黎澍书陆游《村饮》诗".into()]));

        // A UTF-8 file with a BOM: the BOM is not part of the first header.
        let file = write(text.as_bytes());
        let table = open_table(file.path(), SheetFormat::Csv, None).unwrap();
        assert_eq!((table.headers[0].as_str(), table.encoding), ("总登记号", Some(TextEncoding::Utf8)));

        // Bytes that are not GBK after the first megabyte: that row is named, and reading ends there.
        let mut bad = gbk.into_owned();
        bad.extend_from_slice(b"2023.16.1,\xff\xff\n2023.16.2,ok\n");
        let file = write(&bad);
        let last: Vec<_> = open_table(file.path(), SheetFormat::Csv, None).unwrap().collect();
        let err = last.last().unwrap().as_ref().unwrap_err();
        assert!(err.problem.contains("not valid GB18030"), "{err:?}");
        assert_eq!(last.iter().filter(|l| l.is_err()).count(), 1);

        // The same after a UTF-8 start.
        let mut mixed = text.into_bytes();
        mixed.extend_from_slice(b"2023.16.1,\xd5\xe2\n");
        let file = write(&mixed);
        let last: Vec<_> = open_table(file.path(), SheetFormat::Csv, None).unwrap().collect();
        let err = last.last().unwrap().as_ref().unwrap_err();
        assert_eq!(err.row, 60_002);
        assert!(err.problem.contains("not valid UTF-8"), "{err:?}");
    }

    #[test]
    fn empty_and_header_only_files_and_ragged_rows() {
        let problem = |bytes: &[u8]| open_table(write(bytes).path(), SheetFormat::Csv, None).err().unwrap().problem;
        assert!(problem(b"").contains("empty (0 bytes)"));
        assert!(problem(b"\n,,\n").contains("no header row"));
        assert!(problem(b"title,maker\n\n").contains("no records"));
        let file = write(b"title,maker\na,b,,\nc\nd,e\n");
        let rows: Vec<_> = open_table(file.path(), SheetFormat::Csv, None).unwrap().collect();
        assert_eq!(rows[0].as_ref().unwrap().1, ["a", "b"], "trailing empty cells are dropped");
        assert!(rows[1].as_ref().unwrap_err().problem.contains("has 1 cells"));
        assert_eq!(rows[2].as_ref().unwrap().1, ["d", "e"], "reading goes on after a ragged row");
    }
}
