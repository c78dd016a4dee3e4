//! Images in the store: what the catalogue says about each use of an original.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::audit::{Entity, record_change};
use super::{Result, Store, StoreError, now, parse_time};
use crate::model::image::{ImageMeta, ImageOptions, ImageRecord, Visibility};

const SELECT: &str = "SELECT i.seq, i.version, i.created_at, i.updated_at, i.doc, i.artefact_id, a.accession_number,
        a.status = 'published' AND NOT a.deaccessioned
    FROM images i JOIN artefacts a ON a.id = i.artefact_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(i64, ImageRecord)> {
    let doc: String = r.get(4)?;
    let meta: ImageMeta = serde_json::from_str(&doc)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok((
        r.get(0)?,
        ImageRecord {
            meta,
            version: r.get(1)?,
            created_at: parse_time(&r.get::<_, String>(2)?),
            updated_at: parse_time(&r.get::<_, String>(3)?),
            artefact_id: r.get(5)?,
            accession_number: r.get(6)?,
            artefact_published: r.get(7)?,
        },
    ))
}

/// The outcome of adding an image.
#[derive(Debug)]
pub enum Added {
    Created(ImageRecord),
    /// The artefact already had this very file: nothing was added.
    Existing(ImageRecord),
}

fn visibility_str(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "public",
        Visibility::Internal => "internal",
    }
}

fn load(tx: &rusqlite::Connection, id: &str) -> Result<(i64, ImageRecord)> {
    tx.query_row(&format!("{SELECT} WHERE i.id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| StoreError::not_found("image", id))
}

fn write_doc(tx: &Transaction<'_>, seq: i64, meta: &ImageMeta, version: i64) -> Result<()> {
    tx.execute(
        "UPDATE images SET doc = ?2, visibility = ?3, ord = ?4, version = ?5, updated_at = ?6 WHERE seq = ?1",
        params![seq, serde_json::to_string(meta)?, visibility_str(meta.visibility), meta.order, version, now()],
    )?;
    Ok(())
}

impl Store {
    /// Adds an image to the artefact `accession`, with its audit and outbox rows. If the artefact
    /// already has an image with the same checksum, that one is returned and nothing changes.
    /// `meta.order` 0 means "after the others".
    pub fn add_image(&self, actor: &str, accession: &str, mut meta: ImageMeta) -> Result<Added> {
        self.write(|tx| {
            let artefact_id: i64 = tx
                .query_row("SELECT id FROM artefacts WHERE accession_number = ?1", [accession], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::not_found("artefact", accession))?;
            let existing: Option<String> = tx
                .query_row(
                    "SELECT id FROM images WHERE artefact_id = ?1 AND sha256 = ?2",
                    params![artefact_id, meta.sha256],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = existing {
                return Ok(Added::Existing(load(tx, &id)?.1));
            }
            let taken: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM images WHERE id = ?1)", [&meta.id], |r| r.get(0))?;
            if taken {
                return Err(StoreError::Conflict {
                    message: format!(
                        "image id `{}` is already used by another image; choose another id or leave it out",
                        meta.id
                    ),
                    current_version: None,
                });
            }
            if meta.order == 0 {
                let last: i64 = tx.query_row(
                    "SELECT coalesce(max(ord), 0) FROM images WHERE artefact_id = ?1",
                    [artefact_id],
                    |r| r.get(0),
                )?;
                meta.order = u32::try_from(last + 1).unwrap_or(u32::MAX);
            }
            let ts = now();
            tx.execute(
                "INSERT INTO images(id, artefact_id, sha256, visibility, ord, version, doc, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?7)",
                params![
                    meta.id,
                    artefact_id,
                    meta.sha256,
                    visibility_str(meta.visibility),
                    meta.order,
                    serde_json::to_string(&meta)?,
                    ts
                ],
            )?;
            let seq = tx.last_insert_rowid();
            let after = serde_json::to_value(&meta)?;
            record_change(tx, actor, Entity::Image, seq, "create", None, Some(&after))?;
            Ok(Added::Created(load(tx, &meta.id)?.1))
        })
    }

    /// One image by identifier.
    pub fn image(&self, id: &str) -> Result<ImageRecord> {
        self.read(|c| Ok(load(c, id)?.1))
    }

    /// An artefact's images in their order.
    pub fn images_of(&self, artefact_id: i64) -> Result<Vec<ImageRecord>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!("{SELECT} WHERE i.artefact_id = ?1 ORDER BY i.ord, i.seq"))?;
            let rows = st.query_map([artefact_id], from_row)?;
            Ok(rows.map(|r| r.map(|(_, i)| i)).collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The images of the artefact with this accession number, in their order.
    pub fn images_of_accession(&self, accession: &str) -> Result<Vec<ImageRecord>> {
        let id: i64 = self.read(|c| {
            c.query_row("SELECT id FROM artefacts WHERE accession_number = ?1", [accession], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::not_found("artefact", accession))
        })?;
        self.images_of(id)
    }

    /// Changes what the catalogue says about an image, if `version` is still current.
    pub fn update_image(&self, actor: &str, id: &str, version: i64, change: &ImageOptions) -> Result<ImageRecord> {
        self.write(|tx| {
            let (seq, current) = load(tx, id)?;
            if current.version != version {
                return Err(StoreError::stale("image", version, current.version));
            }
            let mut meta = current.meta.clone();
            change.apply(&mut meta);
            if meta == current.meta {
                return Ok(current);
            }
            write_doc(tx, seq, &meta, version + 1)?;
            let (before, after) = (serde_json::to_value(&current.meta)?, serde_json::to_value(&meta)?);
            record_change(tx, actor, Entity::Image, seq, "update", Some(&before), Some(&after))?;
            Ok(load(tx, id)?.1)
        })
    }

    /// The change history of an image.
    pub fn image_history(&self, id: &str) -> Result<Vec<super::AuditEntry>> {
        let seq: i64 = self.read(|c| Ok(load(c, id)?.0))?;
        self.history(Entity::Image, seq)
    }

    /// Every distinct original the catalogue refers to: (checksum, one image id using it).
    pub fn image_originals(&self) -> Result<Vec<(String, String)>> {
        self.read(|c| {
            let mut st = c.prepare_cached("SELECT sha256, min(id) FROM images GROUP BY sha256 ORDER BY sha256")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// How many distinct originals are kept, and their bytes.
    pub fn image_store_size(&self) -> Result<(i64, i64)> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT count(*), coalesce(sum(b), 0) FROM
                   (SELECT sha256, max(json_extract(doc, '$.bytes')) AS b FROM images GROUP BY sha256)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
    }

    /// Whether any image refers to the original with this checksum.
    pub fn original_in_use(&self, sha256: &str) -> Result<bool> {
        self.read(|c| Ok(c.query_row("SELECT EXISTS(SELECT 1 FROM images WHERE sha256 = ?1)", [sha256], |r| r.get(0))?))
    }

    /// For the search indexes: the first image of an artefact, and the first public one.
    pub fn image_summary(&self, artefact_id: i64) -> Result<ImageSummary> {
        self.read(|c| {
            let mut st =
                c.prepare_cached("SELECT id, visibility FROM images WHERE artefact_id = ?1 ORDER BY ord, seq")?;
            let rows: Vec<(String, String)> =
                st.query_map([artefact_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            Ok(ImageSummary {
                first: rows.first().map(|(id, _)| id.clone()),
                first_public: rows.iter().find(|(_, v)| v == "public").map(|(id, _)| id.clone()),
            })
        })
    }
}

/// What the search indexes record of an artefact's images.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageSummary {
    pub first: Option<String>,
    pub first_public: Option<String>,
}
