//! Controlled vocabularies in the database: seeded from the shipped lists, editable afterwards.

use rusqlite::{Connection, params};

use super::{Result, Store};
use crate::model::vocab::{Term, Vocabularies, Vocabulary};

pub(super) fn seed_if_empty(conn: &mut Connection) -> Result<()> {
    let n: i64 = conn.query_row("SELECT count(*) FROM vocabularies", [], |r| r.get(0))?;
    if n > 0 {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for v in Vocabularies::shipped().vocabularies {
        tx.execute("INSERT INTO vocabularies(name, zh, en) VALUES (?1, ?2, ?3)", params![v.name, v.zh, v.en])?;
        for (i, t) in v.terms.iter().enumerate() {
            tx.execute(
                "INSERT INTO vocabulary_terms(vocabulary, position, code, zh, en, aliases, earliest, latest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![v.name, i as i64, t.code, t.zh, t.en, serde_json::to_string(&t.aliases)?, t.earliest, t.latest],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

impl Store {
    /// The catalogue's vocabularies as they stand now.
    pub fn vocabularies(&self) -> Result<Vocabularies> {
        self.read(|c| {
            let mut vocabs: Vec<Vocabulary> = c
                .prepare("SELECT name, zh, en FROM vocabularies ORDER BY rowid")?
                .query_map([], |r| Ok(Vocabulary { name: r.get(0)?, zh: r.get(1)?, en: r.get(2)?, terms: Vec::new() }))?
                .collect::<rusqlite::Result<_>>()?;
            let mut st = c.prepare(
                "SELECT vocabulary, code, zh, en, aliases, earliest, latest FROM vocabulary_terms ORDER BY vocabulary, position",
            )?;
            let terms = st.query_map([], |r| {
                let aliases: String = r.get(4)?;
                Ok((
                    r.get::<_, String>(0)?,
                    Term {
                        code: r.get(1)?,
                        zh: r.get(2)?,
                        en: r.get(3)?,
                        aliases: serde_json::from_str(&aliases).unwrap_or_default(),
                        earliest: r.get(5)?,
                        latest: r.get(6)?,
                    },
                ))
            })?;
            for row in terms {
                let (vocab, term) = row?;
                if let Some(v) = vocabs.iter_mut().find(|v| v.name == vocab) {
                    v.terms.push(term);
                }
            }
            Ok(Vocabularies { vocabularies: vocabs })
        })
    }
}
