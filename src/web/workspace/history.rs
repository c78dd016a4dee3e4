//! A record's history as readable differences, for objects, donors and donations alike.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use std::collections::HashMap;

use serde_json::Value;

use super::{Desk, Workspace, blocking, render};
use crate::catalogue::{AuditEntry, Catalogue, Entity, StoreError};
use crate::web::pages::i18n::Lang;
use crate::web::{AppState, labels};

pub async fn last_editor(
    state: &AppState,
    ws: &Workspace,
    entity: Entity,
    id: i64,
) -> Result<Option<String>, Response> {
    let catalogue = state.catalogue.clone();
    let entries = blocking(ws, move || catalogue.history(entity, id)).await?;
    let d = ws.desk("");
    Ok(entries.last().map(|e| format!("{} · {}", labels::actor(&e.actor, ws.lang), d.time(&e.at))))
}

pub struct Change {
    pub field: String,
    pub before: Vec<Piece>,
    pub after: Vec<Piece>,
}

/// A run of a value's text: `marked` where the change took it out (before) or put it in (after).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub marked: bool,
}

/// Below this share of text in common, a change is shown as one value replaced by another:
/// a difference of many small pieces reads worse than the two values whole.
const KEEP_WHOLE: f32 = 0.4;

/// The two sides of a change with what changed marked: by characters in Chinese text (a
/// character is a word's part or a word), by words otherwise, so that one digit changed in
/// `纵23.7厘米` marks the digit and not the whole value.
pub fn marked(before: &str, after: &str) -> (Vec<Piece>, Vec<Piece>) {
    let whole = |t: &str, changed: bool| vec![Piece { text: t.to_string(), marked: changed }];
    if before == after {
        return (whole(before, false), whole(after, false));
    }
    let cjk = before.chars().chain(after.chars()).any(crate::model::text::is_cjk);
    let algorithm = similar::Algorithm::Myers;
    let parts = if cjk {
        similar::utils::diff_chars(algorithm, before, after)
    } else {
        similar::utils::diff_words(algorithm, before, after)
    };
    let common: usize =
        parts.iter().filter(|(t, _)| *t == similar::ChangeTag::Equal).map(|(_, s)| s.chars().count()).sum();
    let longest = before.chars().count().max(after.chars().count()).max(1);
    if (common as f32) / (longest as f32) < KEEP_WHOLE {
        return (whole(before, true), whole(after, true));
    }
    let (mut old, mut new) = (Vec::new(), Vec::new());
    let push = |side: &mut Vec<Piece>, text: &str, marked: bool| match side.last_mut() {
        Some(last) if last.marked == marked => last.text.push_str(text),
        _ => side.push(Piece { text: text.to_string(), marked }),
    };
    for (tag, text) in parts {
        match tag {
            similar::ChangeTag::Equal => {
                push(&mut old, text, false);
                push(&mut new, text, false);
            }
            similar::ChangeTag::Delete => push(&mut old, text, true),
            similar::ChangeTag::Insert => push(&mut new, text, true),
        }
    }
    (old, new)
}

pub struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    /// The record was made by this change: its values are shown, with nothing before them.
    pub created: bool,
    pub changes: Vec<Change>,
}

/// What the ids in a history stand for: donations by their occasion, people by name.
#[derive(Debug, Default)]
pub struct Names {
    donations: HashMap<i64, String>,
    parties: HashMap<i64, String>,
}

impl Names {
    /// Looks up every donation and party the entries refer to.
    fn gather(catalogue: &Catalogue, entries: &[AuditEntry], lang: Lang) -> crate::catalogue::Result<Names> {
        let mut names = Names::default();
        let values = entries.iter().flat_map(|e| [e.before.as_ref(), e.after.as_ref()]).flatten();
        for v in values {
            if let Some(id) = v.get("donation_id").and_then(Value::as_i64) {
                names.donation(catalogue, id)?;
            }
            let donors = v.get("donor_ids").and_then(Value::as_array).into_iter().flatten();
            for id in donors.filter_map(Value::as_i64) {
                names.party(catalogue, id, lang)?;
            }
        }
        Ok(names)
    }

    /// A donation by its occasion (looked up once), `#id` when there is none.
    fn donation(&mut self, catalogue: &Catalogue, id: i64) -> crate::catalogue::Result<String> {
        if let Some(name) = self.donations.get(&id) {
            return Ok(name.clone());
        }
        let name = catalogue
            .donation(id)?
            .map_or_else(|| format!("#{id}"), |d| super::dashboard::donation_label(&d.record, id));
        self.donations.insert(id, name.clone());
        Ok(name)
    }

    /// A party by name in `lang` (looked up once), `#id` when there is none.
    fn party(&mut self, catalogue: &Catalogue, id: i64, lang: Lang) -> crate::catalogue::Result<String> {
        if let Some(name) = self.parties.get(&id) {
            return Ok(name.clone());
        }
        let found = catalogue.party(id)?.and_then(|p| lang.pick(&p.record.name).map(|(n, _)| n));
        let name = found.unwrap_or_else(|| format!("#{id}"));
        self.parties.insert(id, name.clone());
        Ok(name)
    }

    /// `v` of field `key` when it is a reference, named.
    fn show(&self, key: &str, v: &Value, lang: Lang) -> Option<String> {
        let named = |map: &HashMap<i64, String>, v: &Value| {
            v.as_i64().map(|id| map.get(&id).cloned().unwrap_or(format!("#{id}")))
        };
        match key {
            "donation_id" => named(&self.donations, v),
            "donor_ids" => {
                let names: Vec<String> = v.as_array()?.iter().filter_map(|id| named(&self.parties, id)).collect();
                (!names.is_empty()).then(|| names.join(if lang == Lang::Zh { "、" } else { "; " }))
            }
            _ => None,
        }
    }
}

impl HistoryRow {
    /// One change as the page shows it: in the museum's time, fields by their labels, other
    /// records by their names.
    pub fn of(e: AuditEntry, d: &Desk, vocab: &crate::model::vocab::Vocabularies, names: &Names) -> Self {
        let show = |v: Option<&Value>, k: &str| {
            v.map_or_else(
                || "—".to_string(),
                |v| names.show(k, v, d.lang).unwrap_or_else(|| labels::value(k, v, vocab, d.lang)),
            )
        };
        HistoryRow {
            at: d.time(&e.at),
            created: e.action == "create",
            changes: e
                .changed
                .iter()
                .filter(|k| !labels::is_bookkeeping(k))
                .map(|k| {
                    let before = show(e.before.as_ref().and_then(|b| b.get(k)), k);
                    let after = show(e.after.as_ref().and_then(|a| a.get(k)), k);
                    let (before, after) = marked(&before, &after);
                    Change { field: labels::field_name(k, d.lang), before, after }
                })
                .collect(),
            actor: labels::actor(&e.actor, d.lang),
            action: labels::action_name(&e.action, d.lang),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/history.html")]
pub struct HistoryPage {
    pub d: Desk,
    pub back: String,
    pub rows: Vec<HistoryRow>,
}

/// The history page of a record, newest change first, as this user may see it; `title` names
/// the record (a donation or a donor is named from its record when it is `None`).
pub async fn page<T>(
    state: &AppState,
    ws: &Workspace,
    entity: Entity,
    id: i64,
    back: String,
    title: Option<String>,
) -> Result<Response, Response>
where
    T: crate::model::view::Redact + serde::Serialize + serde::de::DeserializeOwned,
{
    let catalogue = state.catalogue.clone();
    let (viewer, lang) = (ws.viewer(), ws.lang);
    let (entries, names, title) = blocking(ws, move || {
        let entries = catalogue.history_as::<T>(entity, id, &viewer)?;
        let mut names = Names::gather(&catalogue, &entries, lang)?;
        let title = match (title, entity) {
            (Some(t), _) => t,
            (None, Entity::Donation) => names.donation(&catalogue, id)?,
            (None, _) => names.party(&catalogue, id, lang)?,
        };
        Ok((entries, names, title))
    })
    .await?;
    if entries.is_empty() {
        return Err(super::store_error_page(ws, StoreError::not_found(entity.as_str(), id)));
    }
    let d = ws.desk(format!("{} · {title}", ws.desk("").t("修改记录", "History")));
    let rows: Vec<HistoryRow> =
        entries.into_iter().rev().map(|e| HistoryRow::of(e, &d, &state.catalogue.vocabularies(), &names)).collect();
    Ok(render(&HistoryPage { d, back, rows }, StatusCode::OK))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(pieces: &[Piece]) -> String {
        pieces.iter().map(|p| if p.marked { format!("[{}]", p.text) } else { p.text.clone() }).collect()
    }

    #[test]
    fn one_digit_changed_marks_the_digit_not_the_value() {
        let (before, after) = marked("纵23.7厘米，横20.6厘米", "纵23.9厘米，横20.6厘米");
        assert_eq!(
            (shown(&before), shown(&after)),
            ("纵23.[7]厘米，横20.6厘米".into(), "纵23.[9]厘米，横20.6厘米".into())
        );
    }

    #[test]
    fn english_is_marked_by_words() {
        let (before, after) = marked("Gift of Li Zhenya", "Gift of Li Zhenya and family");
        assert_eq!(shown(&before), "Gift of Li Zhenya");
        assert_eq!(shown(&after), "Gift of Li Zhenya[ and family]");
    }

    #[test]
    fn values_with_little_in_common_are_shown_whole() {
        let (before, after) = marked("—", "库房 B-3");
        assert_eq!((shown(&before), shown(&after)), ("[—]".into(), "[库房 B-3]".into()));
        let (before, after) = marked("same", "same");
        assert_eq!((shown(&before), shown(&after)), ("same".into(), "same".into()));
    }
}
