//! Importing many artefacts at once: one transaction for a whole file, so a
//! file is imported completely or not at all; records matched on accession
//! number are updated rather than duplicated.

use rusqlite::OptionalExtension;

use super::artefacts::{check_references, write_row};
use super::audit::{Entity, record_change};
use super::{Result, Store};
use crate::model::artefact::{Artefact, NewArtefact};

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    /// Already present with the same content.
    pub unchanged: u64,
}

impl Store {
    /// Creates or updates every artefact in one transaction; `progress` is told how many are done.
    /// Every item must carry its accession number.
    pub fn import_artefacts(
        &self,
        actor: &str,
        items: Vec<NewArtefact>,
        progress: &dyn Fn(u64),
    ) -> Result<ImportCounts> {
        self.write(|tx| {
            let mut counts = ImportCounts::default();
            for (i, item) in items.into_iter().enumerate() {
                let Some(accession_number) = item.accession_number else {
                    return Err(crate::model::validation::ValidationErrors::single(
                        format!("row {}", i + 1),
                        "has no accession number",
                    )
                    .into());
                };
                let existing: Option<(i64, i64, String)> = tx
                    .query_row(
                        "SELECT id, version, doc FROM artefacts WHERE accession_number = ?1",
                        [accession_number.as_str()],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                let (id, before, artefact) = match existing {
                    None => {
                        let artefact = Artefact { accession_number, body: item.body, deaccession: None };
                        check_references(tx, &artefact)?;
                        counts.created += 1;
                        (write_row(tx, None, &artefact, 1)?, None, artefact)
                    }
                    Some((id, version, doc)) => {
                        let current: Artefact = serde_json::from_str(&doc)?;
                        let deaccession = current.deaccession.clone();
                        let artefact = Artefact { accession_number, body: item.body, deaccession };
                        if artefact == current {
                            counts.unchanged += 1;
                            continue;
                        }
                        check_references(tx, &artefact)?;
                        write_row(tx, Some(id), &artefact, version + 1)?;
                        counts.updated += 1;
                        (id, Some(serde_json::to_value(&current)?), artefact)
                    }
                };
                let after = serde_json::to_value(&artefact)?;
                record_change(tx, actor, Entity::Artefact, id, "import", before.as_ref(), Some(&after))?;
                if i % 1000 == 999 {
                    progress(i as u64 + 1);
                }
            }
            Ok(counts)
        })
    }
}
