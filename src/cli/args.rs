//! Values of command-line arguments, and how they become the library's types.

use clap::ValueEnum;

use crate::model::dimensions::Unit;
use crate::model::role::Role;

/// Reads an image role as the API writes it (primary, detail, verso, inscription, condition, document).
pub fn parse_image_role(s: &str) -> Result<crate::model::image::ImageRole, String> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| format!("`{s}` is not one of primary, detail, verso, inscription, condition, document"))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormatArg {
    /// JSON lines: every field of each record, with its donation and donors.
    Jsonl,
    /// Comma-separated values with the census template's headers (UTF-8 with BOM, for Excel).
    Csv,
    /// LIDO 1.1 XML of the published records, for aggregators.
    Lido,
    /// Linked Art JSON-LD of the published records, one document per line.
    LinkedArt,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// JSON lines of the open museum datasets (.gz too).
    Jsonl,
    /// A register as comma-separated values (census template or mapped headers).
    Csv,
    /// A register as tab-separated values.
    Tsv,
    /// A register as an Excel workbook (its first sheet).
    Xlsx,
}

impl From<FormatArg> for crate::catalogue::import::Format {
    fn from(f: FormatArg) -> Self {
        use crate::catalogue::import::Format;
        use crate::catalogue::import::SheetFormat;
        match f {
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Csv => Format::Sheet(SheetFormat::Csv),
            FormatArg::Tsv => Format::Sheet(SheetFormat::Tsv),
            FormatArg::Xlsx => Format::Sheet(SheetFormat::Xlsx),
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Relevance,
    Accession,
    Date,
    DateDesc,
    Acquired,
}

impl From<SortArg> for crate::catalogue::Sort {
    fn from(s: SortArg) -> Self {
        use crate::catalogue::Sort;
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Accession => Sort::Accession,
            SortArg::Date => Sort::Date,
            SortArg::DateDesc => Sort::DateDesc,
            SortArg::Acquired => Sort::Acquired,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Curator,
    Researcher,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Admin => Role::Admin,
            RoleArg::Curator => Role::Curator,
            RoleArg::Researcher => Role::Researcher,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum UnitArg {
    Mm,
    Cm,
    M,
    In,
}

impl From<UnitArg> for Unit {
    fn from(u: UnitArg) -> Unit {
        match u {
            UnitArg::Mm => Unit::Mm,
            UnitArg::Cm => Unit::Cm,
            UnitArg::M => Unit::M,
            UnitArg::In => Unit::In,
        }
    }
}
