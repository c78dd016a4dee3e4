//! Records of the open museum datasets (Palace Museum Taipei, MoMA, Tate,
//! Carnegie Museum of Art) as JSON lines, plain or gzip-compressed.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

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
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The Palace Museum writes centimetres without saying so.
    pub fn dimension_options(&self) -> ParseOptions {
        ParseOptions {
            implied_unit: self.source.starts_with("npm").then_some(Unit::Cm),
        }
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

/// Opens a JSON-lines file, decompressing it when its name ends in `.gz`.
pub fn open_lines(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    let file = File::open(path)?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, reader)))
}
