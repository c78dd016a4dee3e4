//! Request bodies as the OpenAPI document describes them, where the handler
//! reads them by hand: the multipart forms of uploads and imports, and the
//! PATCH bodies (the version read, and any fields of the record to change).
//! Each has a name of its own, so client generators make one model each.

use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, SchemaFormat};
use utoipa::{PartialSchema, ToSchema};

/// An image upload (`multipart/form-data`).
#[derive(ToSchema)]
#[expect(dead_code, reason = "a description for the OpenAPI document; the handler reads the form field by field")]
pub struct ImageUploadForm {
    /// The image: JPEG, PNG, TIFF or WebP, told from its bytes.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// primary, detail, verso, inscription, condition or document.
    role: Option<String>,
    /// public or internal.
    visibility: Option<String>,
    caption_zh: Option<String>,
    caption_en: Option<String>,
    /// Its place among the artefact's images.
    order: Option<u32>,
    photographer: Option<String>,
    rights: Option<String>,
    /// An identifier to keep (and so IIIF addresses) from a former system.
    id: Option<String>,
}

/// A file to import (`multipart/form-data`).
#[derive(ToSchema)]
#[expect(dead_code, reason = "a description for the OpenAPI document; the handler reads the form field by field")]
pub struct ImportForm {
    /// A register (CSV, TSV, xlsx) or JSON lines (gzip too).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// csv, tsv, xlsx or jsonl; by default told from the file's name.
    format: Option<String>,
    /// utf-8, gbk, gb18030 or big5; by default detected.
    encoding: Option<String>,
    /// The text of a mapping file (TOML) from the register's headers to the catalogue's fields.
    mapping: Option<String>,
    /// `true` to check the file without writing anything.
    dry_run: Option<bool>,
    /// `true` to refuse the file for any warning too (a value kept as written, a placeholder title).
    strict: Option<bool>,
}

/// The schema of a PATCH body for `what`: `version`, and any of its fields.
fn changes(what: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .description(Some(format!(
            "`version`: the version of the {what} you read (a newer change is not overwritten); \
             then any fields of the {what} to change, as in its create body"
        )))
        .property(
            "version",
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Int64))),
        )
        .required("version")
        .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(true)))
        .into()
}

macro_rules! changes_body {
    ($name:ident, $what:literal) => {
        #[doc = concat!("A PATCH body of ", $what, ": `version` and the fields to change.")]
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                changes($what)
            }
        }

        impl ToSchema for $name {}
    };
}

changes_body!(ArtefactChanges, "artefact");
changes_body!(PartyChanges, "party");
changes_body!(DonationChanges, "donation");
