//! Records of the open museum datasets (Palace Museum Taipei, MoMA, Tate,
//! Carnegie Museum of Art) as JSON lines, plain or gzip-compressed.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::model::artefact::{ArtefactInput, Dimensions, DimensionsInput, Maker, PublicationStatus};
use crate::model::common::{DateInput, LocalText, RecordSource};
use crate::model::dimensions::{self, Dimension, ParseOptions, Parsed, Unit};

/// One line of a dataset file, as the source gave it.
#[derive(Debug, Clone, Deserialize)]
pub struct SourceRecord {
    pub source: String,
    #[serde(default)]
    pub licence: Option<String>,
    #[serde(default)]
    pub accession_number: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub maker: Option<Value>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub medium: Option<String>,
    #[serde(default)]
    pub dimensions: Option<Value>,
    #[serde(default)]
    pub credit_line: Option<String>,
    #[serde(default)]
    pub acquisition_date: Option<Value>,
    #[serde(default)]
    pub provenance: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub extra: Map<String, Value>,
}

impl SourceRecord {
    /// The makers, whether the source gave one string or a list.
    pub fn makers(&self) -> Vec<String> {
        match &self.maker {
            Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
            Some(Value::Array(a)) => {
                a.iter().filter_map(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The Palace Museum writes centimetres without saying so.
    pub fn dimension_options(&self) -> ParseOptions {
        ParseOptions { implied_unit: self.source.starts_with("npm").then_some(Unit::Cm) }
    }

    /// The dimension text as written, if the source gave text.
    pub fn dimension_text(&self) -> Option<&str> {
        self.dimensions.as_ref().and_then(Value::as_str).filter(|s| !s.trim().is_empty())
    }

    /// The structured dimensions: parsed from text, or read from Carnegie's inch fields.
    pub fn parsed_dimensions(&self) -> Option<Parsed> {
        match self.dimensions.as_ref()? {
            Value::String(s) if !s.trim().is_empty() => Some(dimensions::parse(s, self.dimension_options())),
            Value::Object(fields) => {
                let d: Vec<Dimension> = dimensions::from_inch_fields(fields);
                Some(if d.is_empty() { Parsed::NotMeasured } else { Parsed::Measured(d) })
            }
            _ => None,
        }
    }
}

/// Repairs C1 control characters that are Windows-1252 punctuation decoded as Latin-1
/// (`Whitefriar\u{92}s` → `Whitefriar’s`), as some exports carry them.
pub fn repair_c1(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match c {
            '\u{80}'..='\u{9f}' => {
                let byte = [c as u32 as u8];
                let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
                decoded.chars().next().filter(|d| !d.is_control()).unwrap_or(' ')
            }
            c => c,
        })
        .collect::<String>()
        .into()
}

fn repair_strings(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(fixed) = repair_c1(s) {
                *s = fixed;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(repair_strings),
        Value::Object(m) => m.values_mut().for_each(repair_strings),
        _ => {}
    }
}

impl SourceRecord {
    /// Parses one line, repairing mis-decoded punctuation in its texts.
    pub fn parse_line(line: &str) -> serde_json::Result<SourceRecord> {
        if !line.contains("\\u009")
            && !line.contains("\\u008")
            && !line.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c))
        {
            return serde_json::from_str(line);
        }
        let mut v: Value = serde_json::from_str(line)?;
        repair_strings(&mut v);
        serde_json::from_value(v)
    }
}

/// Opens a JSON-lines file, decompressing it when it is gzip: told by its first
/// bytes, so an upload (kept under a name of its own) is read as a file on disk is.
pub fn open_lines(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    let mut file = BufReader::with_capacity(1 << 16, File::open(path)?);
    let gzip = file.fill_buf()?.starts_with(&[0x1f, 0x8b]) || path.extension().is_some_and(|e| e == "gz");
    Ok(if gzip {
        Box::new(BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    })
}

/// The census category the Palace Museum's classification falls under.
fn npm_category(classification: &str) -> Option<&'static str> {
    Some(match classification {
        "法書" | "成扇" => "calligraphy-painting",
        "法帖" => "rubbing",
        "錢幣" => "coin",
        "銅器" => "bronze",
        "琺瑯器" => "enamel",
        "文具" => "stationery",
        "織品" | "絲繡" => "textile",
        "漆器" => "lacquer",
        "雕刻" => "bamboo-wood-carving",
        _ => return None,
    })
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

impl SourceRecord {
    /// The record as catalogue input: its number kept as the source wrote it, its source and licence attached.
    pub fn to_input(&self) -> ArtefactInput {
        let chinese = self.source.starts_with("npm");
        let title = non_empty(&self.title)
            .map(|t| if chinese { LocalText { zh: Some(t), en: None } } else { LocalText { zh: None, en: Some(t) } });
        let description = non_empty(&self.description)
            .map(|d| if chinese { LocalText { zh: Some(d), en: None } } else { LocalText { zh: None, en: Some(d) } });
        let dimensions = match &self.dimensions {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(DimensionsInput::Text(s.trim().to_string())),
            Some(Value::Object(fields)) => {
                let items = dimensions::from_inch_fields(fields);
                (!items.is_empty()).then_some(DimensionsInput::Full(Dimensions {
                    text: None,
                    not_measured: false,
                    items,
                }))
            }
            _ => None,
        };
        let classification = self.extra.get("classification").and_then(Value::as_str);
        let attribution = if chinese {
            "國立故宮博物院"
        } else {
            match self.source.as_str() {
                s if s.starts_with("moma") => "The Museum of Modern Art, New York",
                s if s.starts_with("tate") => "Tate",
                s if s.starts_with("cmoa") => "Carnegie Museum of Art, Pittsburgh",
                _ => "",
            }
        };
        let mut source_note = Vec::new();
        if let Some(p) = non_empty(&self.provenance) {
            source_note.push(p);
        }
        if let Some(c) = classification.filter(|_| !chinese) {
            source_note.push(format!("Classification: {c}"));
        }
        ArtefactInput {
            accession_number: non_empty(&self.accession_number),
            title,
            makers: self.makers().into_iter().map(|name| Maker { name, role: None, party_id: None }).collect(),
            date: non_empty(&self.date).map(DateInput::Text),
            technique: non_empty(&self.medium),
            dimensions,
            description,
            category: classification.and_then(npm_category).map(String::from),
            acquisition_method: if self.accession_number.as_deref().is_some_and(|a| a.contains('贈')) {
                Some("gift".into())
            } else {
                None
            },
            credit_line: non_empty(&self.credit_line),
            department: self
                .extra
                .get("department")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(String::from),
            acquired: match &self.acquisition_date {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(DateInput::Text(s.trim().to_string())),
                Some(Value::Number(n)) => Some(DateInput::Text(n.to_string())),
                _ => None,
            },
            source_note: (!source_note.is_empty()).then(|| source_note.join("\n")),
            record_source: Some(RecordSource {
                dataset: self.source.clone(),
                licence: self.licence.clone(),
                attribution: (!attribution.is_empty()).then(|| attribution.to_string()),
                url: self.extra.get("url").and_then(Value::as_str).map(String::from),
            }),
            status: Some(PublicationStatus::Published),
            ..ArtefactInput::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_punctuation_read_as_latin_1_is_repaired() {
        assert_eq!(repair_c1("Whitefriar\u{92}s \u{93}Gate\u{94}"), "Whitefriar’s “Gate”");
        let r = SourceRecord::parse_line(r#"{"source": "cmoa", "title": "Whitefriar\u0092s"}"#).unwrap();
        assert_eq!(r.title.as_deref(), Some("Whitefriar’s"));
    }
}
