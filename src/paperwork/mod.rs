//! The paperwork of a gift, typeset as PDF: the receipt on entry, the donation
//! certificate and the thank-you letter, object labels, the catalogue card and the
//! accession register.
//!
//! Each document is a typst template (`assets/paperwork/*.typ`) that reads its data from
//! `data.json`; the catalogue composes the data, this part only sets it. A museum puts
//! its own `museum.toml` (name, address, signatory, seal) or its own templates in
//! `DATA_DIR/paperwork/`, and they are used in place of the shipped ones. The fonts are
//! the machine's Noto CJK (CJK line breaking and font subsetting are typst's).

#[cfg(feature = "paperwork")]
mod typeset;
#[cfg(feature = "paperwork")]
mod world;

/// A catalogue built without the `paperwork` feature (the fuzz targets are) sets no
/// document, and says so.
#[cfg(not(feature = "paperwork"))]
mod typeset {
    use super::{Picture, PrintError, Printed};

    pub fn set(
        _: &std::path::Path,
        _: &[(String, String)],
        _: &[Picture],
        _: &serde_json::Value,
        _: chrono::NaiveDate,
        _: bool,
    ) -> Result<(Printed, Option<usize>), PrintError> {
        Err(PrintError::NotBuilt)
    }

    pub fn join(_: Vec<(Vec<u8>, usize)>) -> Result<Vec<u8>, PrintError> {
        Err(PrintError::NotBuilt)
    }

    pub fn has_glyph(_: char) -> bool {
        true
    }

    pub fn has_cjk_fonts() -> bool {
        true
    }
}

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The folder of the Noto CJK font collections, when not where the system keeps them.
pub const FONT_DIR_ENV: &str = "CATALOGUE_FONT_DIR";

static FONT_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Takes the Noto CJK collections from `dir` only (the `font_dir` setting), not from the
/// system's folders. Set once per process, before the first print; later calls are ignored.
pub fn use_font_dir(dir: PathBuf) {
    let _ = FONT_DIR.set(dir);
}

/// The folder the `font_dir` setting, or else `CATALOGUE_FONT_DIR`, names.
pub fn font_dir() -> Option<PathBuf> {
    FONT_DIR.get().cloned().or_else(|| std::env::var_os(FONT_DIR_ENV).map(PathBuf::from))
}

/// The documents the catalogue prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Receipt,
    Certificate,
    Letter,
    Labels,
    Card,
    Register,
}

impl Document {
    pub const ALL: [Document; 6] = [
        Document::Receipt,
        Document::Certificate,
        Document::Letter,
        Document::Labels,
        Document::Card,
        Document::Register,
    ];

    /// The template's file name without `.typ`.
    pub fn name(self) -> &'static str {
        match self {
            Document::Receipt => "receipt",
            Document::Certificate => "certificate",
            Document::Letter => "letter",
            Document::Labels => "labels",
            Document::Card => "card",
            Document::Register => "register",
        }
    }

    fn shipped(self) -> &'static str {
        match self {
            Document::Receipt => include_str!("../../assets/paperwork/receipt.typ"),
            Document::Certificate => include_str!("../../assets/paperwork/certificate.typ"),
            Document::Letter => include_str!("../../assets/paperwork/letter.typ"),
            Document::Labels => include_str!("../../assets/paperwork/labels.typ"),
            Document::Card => include_str!("../../assets/paperwork/card.typ"),
            Document::Register => include_str!("../../assets/paperwork/register.typ"),
        }
    }
}

/// How many rows of the register are set at a time (about 20 pages): the memory a
/// register needs is that of one part, however long it is.
pub const ROWS_PER_PART: usize = 400;

/// What every template may import: the letterhead and the page styles.
const COMMON: &str = include_str!("../../assets/paperwork/common.typ");
const MUSEUM: &str = include_str!("../../assets/paperwork/museum.toml");

/// A text in the museum's two languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Both {
    #[serde(default)]
    pub zh: String,
    #[serde(default)]
    pub en: String,
}

/// The museum as its paperwork names it (`museum.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Museum {
    #[serde(default)]
    pub name: Both,
    #[serde(default)]
    pub address: Both,
    /// Who signs the certificate and the letter (e.g. 馆长 …).
    #[serde(default)]
    pub signatory: Both,
    /// A picture of the seal or logo (PNG or JPEG), beside `museum.toml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// A museum's own template or `museum.toml` that cannot be used.
    #[error("{file}: {message}")]
    Template { file: String, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The parts of a long document could not be joined into one PDF.
    #[error("the parts of the document could not be joined: {0}")]
    Join(String),
    #[error("this build of the catalogue prints no paperwork (it was built without the paperwork feature)")]
    NotBuilt,
}

/// A picture a document places: its file name in the data, and its bytes (PNG or JPEG).
pub type Picture = (String, Vec<u8>);

/// A document set as PDF, with what could not be set as written.
#[derive(Debug)]
pub struct Printed {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Characters no font of the catalogue has (they print as blanks), and typst's
    /// warnings.
    pub warnings: Vec<String>,
}

/// Sets documents, with the templates of one data directory.
#[derive(Debug, Clone)]
pub struct Printer {
    overrides: PathBuf,
}

impl Printer {
    /// `overrides` is where a museum keeps its own `museum.toml` and templates.
    pub fn new(overrides: &Path) -> Printer {
        Printer { overrides: overrides.to_path_buf() }
    }

    /// The museum's letterhead: its own `museum.toml`, else the shipped one with
    /// `fallback_name` as its name.
    pub fn museum(&self, fallback_name: &str) -> Result<Museum, PrintError> {
        let path = self.overrides.join("museum.toml");
        let mut museum = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<Museum>(&text).map_err(|e| PrintError::Template {
                file: path.display().to_string(),
                message: e.message().to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                toml::from_str::<Museum>(MUSEUM).expect("the shipped museum.toml parses")
            }
            Err(e) => return Err(e.into()),
        };
        for name in [&mut museum.name.zh, &mut museum.name.en] {
            if name.trim().is_empty() {
                *name = fallback_name.to_string();
            }
        }
        Ok(museum)
    }

    fn template(&self, name: &str, shipped: &str) -> Result<(String, String), PrintError> {
        let file = format!("{name}.typ");
        match std::fs::read_to_string(self.overrides.join(&file)) {
            Ok(text) => Ok((file, text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((file, shipped.to_string())),
            Err(e) => Err(e.into()),
        }
    }

    /// Sets `doc` with `data` (given to the template as `data.json`, with the museum
    /// under `museum`) and `pictures` (file name → bytes, named in the data).
    ///
    /// A document of rows (the register) longer than [`ROWS_PER_PART`] is set a part at
    /// a time and the parts are joined: typst holds a whole document while it sets it,
    /// so its memory would otherwise grow with the page count. Each part is given the
    /// number of its first page (`first-page`), whether it is the last (`last`) and the
    /// number of rows in all (`count`).
    pub fn render(
        &self,
        doc: Document,
        museum: &Museum,
        mut data: Value,
        pictures: Vec<Picture>,
        today: chrono::NaiveDate,
    ) -> Result<Printed, PrintError> {
        let mut files = pictures;
        let mut museum_value = serde_json::to_value(museum).expect("a museum serialises");
        if let Some(seal) = &museum.seal {
            let path = self.overrides.join(seal);
            let bytes = std::fs::read(&path).map_err(|e| PrintError::Template {
                file: self.overrides.join("museum.toml").display().to_string(),
                message: format!("the seal {} cannot be read: {e}", path.display()),
            })?;
            files.push(("seal.img".to_string(), bytes));
            museum_value["seal"] = Value::String("seal.img".into());
        }
        data["museum"] = museum_value;
        let mut warnings = missing_glyphs(&data);
        let templates = vec![self.template(doc.name(), doc.shipped())?, self.template("common", COMMON)?];
        let rows = match data.get_mut("rows") {
            Some(Value::Array(rows)) if doc == Document::Register && rows.len() > ROWS_PER_PART => std::mem::take(rows),
            _ => {
                let (set, _) = typeset::set(&self.overrides, &templates, &files, &data, today, true)?;
                warnings.extend(set.warnings);
                return Ok(Printed { pdf: set.pdf, pages: set.pages, warnings });
            }
        };
        data["count"] = rows.len().into();
        let (mut start, mut pdfs, mut pages) = (0, Vec::new(), 0);
        while start < rows.len() {
            let end = (start + ROWS_PER_PART).min(rows.len());
            let last = end == rows.len();
            data["rows"] = Value::Array(rows[start..end].to_vec());
            data["first-page"] = (pages + 1).into();
            data["last"] = last.into();
            // One document's structure tree cannot be joined to another's, so the parts
            // are untagged.
            let (set, carry) = typeset::set(&self.overrides, &templates, &files, &data, today, false)?;
            // A part's last page is left out, its rows carried to the next part, so that
            // every page but the register's last is full.
            let (kept, next) = match carry {
                Some(row) if !last && row > 0 => (set.pages - 1, start + row),
                _ => (set.pages, end),
            };
            pages += kept;
            pdfs.push((set.pdf, kept));
            start = next;
            for w in set.warnings {
                if !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
        }
        let pdf = typeset::join(pdfs)?;
        Ok(Printed { pdf, pages, warnings })
    }
}

/// The characters of `data` that no font of the catalogue can show.
fn missing_glyphs(data: &Value) -> Vec<String> {
    fn walk(v: &Value, out: &mut BTreeSet<char>) {
        match v {
            Value::String(s) => out.extend(s.chars().filter(|c| !c.is_control() && !typeset::has_glyph(*c))),
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            Value::Object(o) => o.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut missing = BTreeSet::new();
    walk(data, &mut missing);
    if missing.is_empty() {
        return Vec::new();
    }
    let chars: String = missing.iter().map(|c| format!("{c} (U+{:04X})", *c as u32)).collect::<Vec<_>>().join(", ");
    let mut warning = format!("no font of the catalogue has {chars}: printed as blanks");
    if !typeset::has_cjk_fonts() {
        warning.push_str(&format!(
            " (the Noto CJK fonts were not found: install Debian's fonts-noto-cjk, or set font_dir ({FONT_DIR_ENV}) to their folder)"
        ));
    }
    vec![warning]
}

#[cfg(all(test, feature = "paperwork"))]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_cover_the_common_characters_of_both_scripts() {
        assert!(typeset::has_cjk_fonts(), "the Noto CJK fonts (Debian's fonts-noto-cjk) are installed");
        for c in "李书城李書城銅鏡乾隆年製中共一大纪念馆AaŁłØæ—「」《》".chars() {
            assert!(typeset::has_glyph(c), "{c}");
        }
        assert!(!typeset::has_glyph('\u{1F600}'), "no font of the catalogue has an emoji");
        assert_eq!(missing_glyphs(&serde_json::json!({"a": ["书", "\u{1F600}"]})).len(), 1);
    }

    /// Every CJK character of the Palace Museum's records and of the seed donation's
    /// register in the Basic Multilingual Plane has a glyph; the rare ones beyond it
    /// that no font has are named in the warning, not dropped silently.
    #[test]
    #[ignore = "needs ../shared/data"]
    fn every_chinese_character_of_the_shared_records_prints_or_is_named() {
        use std::io::Read;
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        let mut text = String::new();
        let gz = std::fs::File::open(data.join("zh/npm-taipei.jsonl.gz")).expect("the Palace Museum's records");
        flate2::read::GzDecoder::new(gz).read_to_string(&mut text).unwrap();
        text.push_str(&std::fs::read_to_string(data.join("seed/register.csv")).unwrap());
        let han: BTreeSet<char> = text
            .chars()
            .filter(|c| matches!(*c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F))
            .collect();
        assert!(han.len() > 5000, "{} distinct characters", han.len());
        let missing: Vec<char> = han.iter().copied().filter(|c| !typeset::has_glyph(*c)).collect();
        let in_bmp: String = missing.iter().filter(|c| (**c as u32) < 0x10000).collect();
        assert!(in_bmp.is_empty(), "no glyph for {in_bmp}");
        assert!(missing.len() * 100 < han.len(), "{} of {} characters have no glyph", missing.len(), han.len());
        let warning = missing_glyphs(&serde_json::json!({ "text": han.iter().collect::<String>() })).concat();
        for c in &missing {
            assert!(warning.contains(&format!("{c} (U+{:04X})", *c as u32)), "{c} is not named: {warning}");
        }
    }

    #[test]
    fn names_in_letters_that_do_not_decompose_print_without_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("labels.typ"), "#import \"common.typ\": *\n#show: setup\n#data.text\n").unwrap();
        let printer = Printer::new(dir.path());
        let museum = printer.museum("Museum").unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap();
        let data = serde_json::json!({"lang": "en", "text": "Paweł Althamer, Søren, Æsop, Đorđe, Œuvre, 銅鏡 铜镜"});
        let printed = printer.render(Document::Labels, &museum, data, vec![], today).unwrap();
        assert!(printed.warnings.is_empty(), "{:?}", printed.warnings);
        assert_eq!(printed.pages, 1);
        let data = serde_json::json!({"lang": "en", "text": "\u{1F600}"});
        let printed = printer.render(Document::Labels, &museum, data, vec![], today).unwrap();
        assert_eq!(printed.warnings.len(), 1, "a character no font has is named: {:?}", printed.warnings);
    }

    #[test]
    fn a_template_that_does_not_parse_names_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("labels.typ"), "#let x = (\n\n#x").unwrap();
        let printer = Printer::new(dir.path());
        let museum = printer.museum("Museum").unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap();
        let err =
            printer.render(Document::Labels, &museum, serde_json::json!({"lang": "zh"}), vec![], today).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, PrintError::Template { .. }), "{text}");
        assert!(text.contains("labels.typ") && text.contains("line"), "{text}");
    }

    #[test]
    fn a_museum_toml_that_does_not_parse_is_refused_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("museum.toml"), "[name]\nzh = 1\n").unwrap();
        let err = Printer::new(dir.path()).museum("M").unwrap_err();
        assert!(err.to_string().contains("museum.toml"), "{err}");
        let fine = Printer::new(&dir.path().join("none")).museum("Fallback").unwrap();
        assert_eq!(fine.name.zh, "Fallback");
    }
}
