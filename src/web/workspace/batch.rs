//! `/admin/batch`: one change to the objects chosen in the list, or to its whole result.
//! The list's form posts here; the page says what will change and what is refused (and
//! why) and asks for a confirmation, which applies the change all or nothing, each record
//! at the version the preview showed.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::forms::Fields;
use super::lists::Choice;
use super::{Desk, Done, Submitted, Workspace, blocking, done, message_page, render};
use crate::catalogue::RecordSet;
use crate::catalogue::batch::{BatchChange, BatchField, BatchReport, Chosen, RefusalKind};
use crate::catalogue::check_filter;
use crate::web::AppState;
use crate::web::labels::{field_name, value};
use crate::web::pages::i18n::Lang;
use crate::web::pages::segment;
use crate::web::paperwork;

/// One line of the preview, as read.
pub struct Line {
    pub href: String,
    pub accession: String,
    pub title: String,
    pub before: String,
    pub after: String,
}

/// A record refused, and why, in words.
pub struct Refused {
    pub accession: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "admin/batch.html")]
struct BatchPage {
    d: Desk,
    /// What the change does, in words.
    what: String,
    field: String,
    changes: Vec<Line>,
    unchanged: usize,
    refused: Vec<Refused>,
    /// What the confirmation sends back: the change and each record at its version.
    hidden: Vec<(String, String)>,
    back: String,
}

/// The choices of a batch change a list offers (`admin/batch_change.html`).
pub struct BatchForm {
    /// The fields a batch can set.
    pub fields: Vec<Choice>,
    /// The sets this user keeps, to add objects to.
    pub own_sets: Vec<Choice>,
    /// Where the objects can be moved, for those who see locations (none: no move).
    pub locations: Vec<Choice>,
    pub reasons: Vec<Choice>,
}

impl BatchForm {
    /// The form in `lang`, offering `own_sets` to add to.
    pub fn new(lang: Lang, own_sets: Vec<RecordSet>) -> BatchForm {
        BatchForm {
            fields: BatchField::ALL.iter().map(|f| Choice::new(f.name(), field_name(f.name(), lang), "")).collect(),
            own_sets: own_sets.into_iter().map(|s| Choice::new(s.id.to_string(), s.name, "")).collect(),
            locations: Vec::new(),
            reasons: super::locations::reason_choices(lang, "storage"),
        }
    }

    /// The form, offering a move to one of the locations, for an editor who sees them.
    pub async fn with_locations(mut self, state: &AppState, ws: &Workspace) -> Result<BatchForm, Response> {
        if ws.sees_locations && ws.principal().role.can_edit() {
            let (catalogue, viewer) = (state.catalogue.clone(), ws.viewer());
            let all = blocking(ws, move || catalogue.locations(&viewer)).await?;
            self.locations = super::locations::location_choices(&all, ws.lang, "");
        }
        Ok(self)
    }
}

/// The change a form asks for.
fn change_of(f: &Fields) -> Option<BatchChange> {
    Some(match f.get("action")? {
        "publish" => BatchChange::Publish,
        "unpublish" => BatchChange::Unpublish,
        "accession" => BatchChange::Accession,
        "set" => {
            let field = BatchField::ALL.into_iter().find(|x| Some(x.name()) == f.get("field"))?;
            BatchChange::Set { field, value: f.v("value").to_string() }
        }
        _ => return None,
    })
}

fn change_fields(change: &BatchChange) -> Vec<(String, String)> {
    match change {
        BatchChange::Publish => vec![("action".into(), "publish".into())],
        BatchChange::Unpublish => vec![("action".into(), "unpublish".into())],
        BatchChange::Accession => vec![("action".into(), "accession".into())],
        BatchChange::Set { field, value } => vec![
            ("action".into(), "set".into()),
            ("field".into(), field.name().into()),
            ("value".into(), value.clone()),
        ],
    }
}

fn describe(d: &Desk, change: &BatchChange) -> String {
    match change {
        BatchChange::Publish => d.t("发布到公开网站", "Publish on the public site").into(),
        BatchChange::Unpublish => d.t("取消发布", "Unpublish").into(),
        BatchChange::Accession => d.t("入藏草稿", "Accession the drafts").into(),
        BatchChange::Set { field, .. } => match d.lang_code() {
            "zh" => format!("修改“{}”", field_name(field.name(), d.lang)),
            _ => format!("Set “{}”", field_name(field.name(), d.lang)),
        },
    }
}

fn refusal(d: &Desk, kind: RefusalKind, reason: &str) -> String {
    match kind {
        RefusalKind::Stale => d.t("预览之后已被他人修改", "Changed by someone else since the preview").into(),
        RefusalKind::NotFound => d.t("没有此藏品", "There is no such object").into(),
        RefusalKind::Deaccessioned => d.t("已注销，不能批量修改", "Deaccessioned: no longer changed in a batch").into(),
        RefusalKind::NotDraft => d.t("已入藏，不是草稿", "Accessioned already, not a draft").into(),
        RefusalKind::Draft => d.t("是草稿，从未发布", "A draft, never published").into(),
        RefusalKind::Invalid => match d.lang_code() {
            "zh" => format!("修改后记录无效：{reason}"),
            _ => format!("The change would make the record invalid: {reason}"),
        },
    }
}

/// The records a form chose: `rec_N` (number|version, from a preview), `pick_N` (number,
/// ticked in the list) or, with `whole`, every record of the list's search (`q`, `filter_N`).
async fn chosen(state: &AppState, ws: &Workspace, f: &Fields) -> Result<Vec<Chosen>, Response> {
    let numbered = |prefix: &str| -> Vec<String> {
        let mut keys: Vec<(usize, &str)> =
            f.keys().filter_map(|k| k.strip_prefix(prefix).and_then(|n| n.parse().ok()).map(|n| (n, k))).collect();
        keys.sort();
        keys.into_iter().map(|(_, k)| f.v(k).to_string()).filter(|v| !v.is_empty()).collect()
    };
    let records = numbered("rec_");
    if !records.is_empty() {
        return Ok(records
            .iter()
            .filter_map(|r| r.rsplit_once('|'))
            .filter_map(|(a, v)| Some(Chosen { accession: a.to_string(), version: v.parse().ok()? }))
            .collect());
    }
    let catalogue = state.catalogue.clone();
    if let Some(id) = f.get("set_id").and_then(|v| v.parse::<i64>().ok()) {
        let user = ws.principal().clone();
        return blocking(ws, move || catalogue.choose_set(&user, id)).await;
    }
    if f.get("whole").is_some() {
        let mut filters = Vec::new();
        for raw in numbered("filter_") {
            let Some((name, v)) = raw.split_once(':') else { continue };
            if check_filter(name, v).is_ok() {
                filters.push((name.to_string(), v.to_string()));
            }
        }
        let q = f.v("q").to_string();
        return blocking(ws, move || catalogue.choose_by_search(&q, filters)).await;
    }
    let picked = numbered("pick_");
    blocking(ws, move || catalogue.choose(&picked)).await
}

/// Previews a batch (the list's form) or, confirmed (`apply`), makes it.
pub async fn batch(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let principal = ws.editor()?.clone();
    let user = principal.name.clone();
    let d = ws.desk(ws.desk("").t("批量修改", "Batch change"));
    if f.get("action") == Some("add_to_set") {
        return add_to_set(&state, &ws, &d, &f, principal).await;
    }
    if f.get("action") == Some("labels") {
        return labels(&state, &ws, &d, &f).await;
    }
    if f.get("action") == Some("move") {
        return move_chosen(&state, &ws, &d, &f, &user).await;
    }
    let Some(change) = change_of(&f) else {
        return Err(message_page(
            &ws,
            StatusCode::UNPROCESSABLE_ENTITY,
            d.t("无法批量修改", "No batch change"),
            d.t(
                "请选择要做的修改（发布、取消发布、入藏或修改字段）。",
                "Choose what to change: publish, unpublish, accession or set a field.",
            ),
        ));
    };
    let chosen = chosen(&state, &ws, &f).await?;
    if chosen.is_empty() {
        return Err(message_page(
            &ws,
            StatusCode::UNPROCESSABLE_ENTITY,
            d.t("无法批量修改", "No batch change"),
            d.t("请在列表中勾选藏品，或选择“全部结果”。", "Tick objects in the list, or choose the whole result."),
        ));
    }
    let apply = f.get("apply").is_some();
    let (catalogue, c, to) = (state.catalogue.clone(), change.clone(), chosen.clone());
    let report = blocking(&ws, move || catalogue.batch(&user, &to, &c, !apply)).await?;
    if apply && report.applied {
        return Ok(done(&ws, "/admin/objects", Done::Batched));
    }
    let status = if apply { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok(render(&page(&state, &ws, d, &change, &chosen, &report), status))
}

/// Adds the chosen objects to a set this user keeps (`add_set`): a set lists records and
/// changes none of them, so there is nothing to preview.
async fn add_to_set(
    state: &AppState,
    ws: &Workspace,
    d: &Desk,
    f: &Fields,
    user: crate::model::role::Principal,
) -> Result<Response, Response> {
    let Some(set) = f.get("add_set").and_then(|v| v.parse::<i64>().ok()) else {
        return Err(message_page(
            ws,
            StatusCode::UNPROCESSABLE_ENTITY,
            d.t("无法加入集合", "Not added to a set"),
            d.t(
                "请选择一个集合；没有集合时，先在“集合”页新建。",
                "Choose a set; if there is none, create one on the Sets page first.",
            ),
        ));
    };
    let accessions: Vec<String> = chosen(state, ws, f).await?.into_iter().map(|c| c.accession).collect();
    let catalogue = state.catalogue.clone();
    blocking(ws, move || catalogue.add_to_set(&user, set, &accessions)).await?;
    Ok(done(ws, &format!("/admin/sets/{set}"), Done::AddedToSet))
}

/// Moves the chosen objects, each at the version the list showed, to one location: all, or
/// none when one cannot move.
async fn move_chosen(state: &AppState, ws: &Workspace, d: &Desk, f: &Fields, user: &str) -> Result<Response, Response> {
    let chosen = chosen(state, ws, f).await?;
    let selection: Vec<(String, Option<i64>)> = chosen.into_iter().map(|c| (c.accession, Some(c.version))).collect();
    let (catalogue, user, form) = (state.catalogue.clone(), user.to_string(), f.clone());
    let moved = crate::catalogue::blocking(move || {
        let request = crate::catalogue::locations::MoveRequest {
            to: form.v("move_to"),
            reason: form.v("move_reason"),
            date: None,
            note: form.get("move_note").filter(|n| !n.trim().is_empty()),
        };
        catalogue.move_artefacts(&user, &selection, &request)
    })
    .await;
    match moved {
        Ok(_) => Ok(done(ws, &format!("/admin/locations/{}", segment(&f.v("move_to").trim().to_ascii_uppercase())), Done::Moved)),
        Err(e @ (crate::catalogue::StoreError::Invalid(_) | crate::catalogue::StoreError::NotFound { .. } | crate::catalogue::StoreError::Conflict { .. })) => Err(message_page(
            ws,
            StatusCode::UNPROCESSABLE_ENTITY,
            d.t("未能移动", "Not moved"),
            d.t(
                "没有移动任何藏品：所选藏品中有的在列表显示之后已被修改或移动，或已在该位置，或日期早于其入馆或上次移动。请刷新列表后重试。",
                &format!("No object was moved: {e}"),
            ),
        )),
        Err(e) => Err(super::store_error_page(ws, e)),
    }
}

/// A sheet of labels for the chosen objects, as a PDF: nothing changes, so nothing to preview.
async fn labels(state: &AppState, ws: &Workspace, d: &Desk, f: &Fields) -> Result<Response, Response> {
    let accessions: Vec<String> = chosen(state, ws, f).await?.into_iter().map(|c| c.accession).collect();
    if accessions.is_empty() {
        return Err(message_page(
            ws,
            StatusCode::UNPROCESSABLE_ENTITY,
            d.t("无法打印展签", "No labels printed"),
            d.t("请在列表中勾选藏品，或选择“全部结果”。", "Tick objects in the list, or choose the whole result."),
        ));
    }
    let (catalogue, viewer, lang) = (state.catalogue.clone(), ws.viewer(), ws.lang);
    let req = paperwork::Request::Labels { accessions };
    let name = req.file_name();
    let printed = crate::catalogue::blocking(move || Ok(paperwork::print(&catalogue, &viewer, &req, lang)))
        .await
        .map_err(|e| super::store_error_page(ws, e))?;
    match printed {
        Ok(printed) => Ok(paperwork::pdf_response(&name, printed.pdf)),
        Err(e) => Err(message_page(
            ws,
            StatusCode::UNPROCESSABLE_ENTITY,
            d.t("无法打印展签", "No labels printed"),
            &e.to_string(),
        )),
    }
}

fn page(
    state: &AppState,
    ws: &Workspace,
    d: Desk,
    change: &BatchChange,
    chosen: &[Chosen],
    report: &BatchReport,
) -> BatchPage {
    let vocab = state.catalogue.vocabularies();
    let field = match change {
        BatchChange::Set { field, .. } => field.name(),
        _ => "status",
    };
    let changes = report
        .changes
        .iter()
        .map(|l| Line {
            href: ws.link(&format!("/admin/objects/{}", segment(&l.accession))),
            accession: l.accession.clone(),
            title: l.title.clone(),
            before: value(field, &l.before, &vocab, ws.lang),
            after: value(field, &l.after, &vocab, ws.lang),
        })
        .collect();
    let refused = report
        .refused
        .iter()
        .map(|r| Refused { accession: r.accession.clone(), reason: refusal(&d, r.kind, &r.reason) })
        .collect();
    let mut hidden = change_fields(change);
    hidden
        .extend(chosen.iter().enumerate().map(|(i, c)| (format!("rec_{i}"), format!("{}|{}", c.accession, c.version))));
    BatchPage {
        what: describe(&d, change),
        field: field_name(field, ws.lang),
        changes,
        unchanged: report.unchanged.len(),
        refused,
        hidden,
        back: ws.link("/admin/objects"),
        d,
    }
}
