//! What the fuzz targets in `fuzz/` run, one function each: any input must give
//! an answer or a clear error, never a panic, a hang or unbounded memory. The
//! same functions replay the seeds and every input a fuzzer ever found to
//! crash (`fuzz/regressions/`) in the ordinary tests.

use std::io::Write;
use std::sync::OnceLock;

use crate::images::ImageSettings;
use crate::model::vocab::Vocabularies;

fn vocab() -> &'static Vocabularies {
    static V: OnceLock<Vocabularies> = OnceLock::new();
    V.get_or_init(Vocabularies::shipped)
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The dimensions parser: typed measurements in Chinese or English.
pub fn dimensions(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = crate::model::dimensions::parse(t, crate::model::dimensions::ParseOptions::default());
    }
}

/// The historical date parser (`约1923年`, `清乾隆`, `1920s`).
pub fn dates(data: &[u8]) {
    if let Some(t) = text(data) {
        let d = crate::model::date::HistoricalDate::parse(t, vocab());
        if let (Some(a), Some(b)) = (d.earliest, d.latest) {
            assert!(a <= b || d.validate().is_err(), "a parsed range runs backwards: {t:?} → {a}..{b}");
        }
    }
}

/// The search query parser (fielded syntax, quotes, AND/OR/NOT, year ranges).
pub fn query(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = crate::search::query::parse(t);
    }
}

/// A curator's CSV register: decoding (UTF-8, GBK, Big5), reading and planning the import.
pub fn csv_import(data: &[u8]) {
    let Ok(mut file) = tempfile::NamedTempFile::new() else { return };
    if file.write_all(data).is_err() {
        return;
    }
    use crate::interchange::{register, sheet};
    if let Ok(table) = sheet::open_table(file.path(), sheet::SheetFormat::Csv, None) {
        let mut planner = register::Planner::new(table.headers.clone(), &sheet::Mapping::default(), vocab());
        for (row, cells) in table.flatten() {
            let _ = planner.row(row, cells);
        }
    }
}

/// Image decoding with the server's checks (format from the bytes, pixel and memory limits).
pub fn image_decode(data: &[u8]) {
    let Ok(mut file) = tempfile::NamedTempFile::new() else { return };
    if file.write_all(data).is_err() {
        return;
    }
    let limits = ImageSettings { max_pixels: 4_000_000, max_decode_bytes: 64 << 20, ..ImageSettings::default() };
    let _ = crate::images::decode::decode(file.path(), &limits);
}
