//! Controlled vocabularies in the database: seeded from the shipped lists, editable afterwards.

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::audit::{Entity, record_change};
use super::{Result, Store, StoreError};
use crate::model::validation::ValidationErrors;
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

impl Store {
    /// Adds a term to a vocabulary, or changes the labels and aliases of the term with its code.
    /// Codes are permanent (records hold them); a label or alias may not be another term's.
    /// Returns whether the term is new.
    pub fn save_term(&self, actor: &str, vocabulary: &str, term: &Term) -> Result<bool> {
        let mut e = ValidationErrors::default();
        let code = term.code.trim();
        if code.is_empty()
            || code.len() > 64
            || !code.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            e.push("code", "must be 1–64 letters, digits, - _ or .");
        }
        if term.zh.trim().is_empty() {
            e.push("zh", "is required");
        }
        if term.en.trim().is_empty() {
            e.push("en", "is required");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let vocab = self.vocabularies()?;
        let Some(v) = vocab.get(vocabulary) else { return Err(StoreError::not_found("vocabulary", vocabulary)) };
        let names: Vec<String> =
            [&term.zh, &term.en].into_iter().chain(&term.aliases).map(|s| s.trim().to_lowercase()).collect();
        for other in v.terms.iter().filter(|t| t.code != code) {
            let theirs: Vec<String> =
                [&other.zh, &other.en].into_iter().chain(&other.aliases).map(|s| s.trim().to_lowercase()).collect();
            if let Some(clash) = names.iter().find(|n| !n.is_empty() && theirs.contains(n)) {
                return Err(
                    ValidationErrors::single("zh", format!("`{clash}` already names the term {}", other.code)).into()
                );
            }
        }
        let aliases: Vec<String> =
            term.aliases.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
        self.write(|tx| {
            let existing: Option<(i64, String, String, String)> = tx
                .query_row(
                    "SELECT rowid, zh, en, aliases FROM vocabulary_terms WHERE vocabulary = ?1 AND code = ?2",
                    params![vocabulary, code],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let after = json!({"vocabulary": vocabulary, "code": code, "zh": term.zh.trim(), "en": term.en.trim(), "aliases": aliases});
            match existing {
                Some((rowid, zh, en, old_aliases)) => {
                    tx.execute(
                        "UPDATE vocabulary_terms SET zh = ?3, en = ?4, aliases = ?5 WHERE vocabulary = ?1 AND code = ?2",
                        params![vocabulary, code, term.zh.trim(), term.en.trim(), serde_json::to_string(&aliases)?],
                    )?;
                    let before = json!({"vocabulary": vocabulary, "code": code, "zh": zh, "en": en,
                        "aliases": serde_json::from_str::<serde_json::Value>(&old_aliases)?});
                    record_change(tx, actor, Entity::Vocabulary, rowid, "update", Some(&before), Some(&after))?;
                    Ok(false)
                }
                None => {
                    let position: i64 = tx.query_row(
                        "SELECT coalesce(max(position), -1) + 1 FROM vocabulary_terms WHERE vocabulary = ?1",
                        [vocabulary],
                        |r| r.get(0),
                    )?;
                    tx.execute(
                        "INSERT INTO vocabulary_terms(vocabulary, position, code, zh, en, aliases) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![vocabulary, position, code, term.zh.trim(), term.en.trim(), serde_json::to_string(&aliases)?],
                    )?;
                    record_change(tx, actor, Entity::Vocabulary, tx.last_insert_rowid(), "create", None, Some(&after))?;
                    Ok(true)
                }
            }
        })
    }
}
