//! `/admin/locations/…` and `/admin/inventory/…`: where every object is. The locations as a
//! tree, a location's shelf list (printable), moving what it holds, and inventory checks.
//! Shown to curators and admins, and to researchers only when the museum allows it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::lists::Choice;
use super::{Desk, Done, Submitted, Workspace, blocking, done, parse_id, render};
use crate::catalogue::locations::MoveRequest;
use crate::catalogue::{CheckLine, InventoryCheck, LocationRecord, Mark, Movement, ShelfEntry, StoreError};
use crate::model::common::LocalText;
use crate::model::location::{LocationInput, LocationKind, MoveReason};
use crate::web::AppState;
use crate::web::labels;
use crate::web::pages::i18n::Lang;
use crate::web::pages::segment;

/// A location as a list shows it.
pub struct LocationRow {
    pub href: String,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    /// How deep in the tree (0 for a building).
    pub depth: usize,
    pub objects: u64,
}

/// A location's name in the page's language, or its code.
pub fn location_name(l: &LocationRecord, lang: Lang) -> String {
    lang.pick(&l.location.name).map(|(n, _)| n).unwrap_or_else(|| l.code.clone())
}

/// Every location as `code name`, for a form's choice of where objects go.
pub fn location_choices(all: &[LocationRecord], lang: Lang, chosen: &str) -> Vec<Choice> {
    tree(all)
        .into_iter()
        .map(|(l, depth)| {
            Choice::new(
                l.code.clone(),
                format!("{}{} {}", "\u{3000}".repeat(depth), l.code, location_name(l, lang)),
                chosen,
            )
        })
        .collect()
}

/// The reasons a move can have, for a form.
pub fn reason_choices(lang: Lang, chosen: &str) -> Vec<Choice> {
    MoveReason::ALL.iter().map(|r| Choice::new(r.as_str(), labels::move_reason(*r).get(lang), chosen)).collect()
}

/// The locations in tree order (each after its parent), with their depth.
fn tree(all: &[LocationRecord]) -> Vec<(&LocationRecord, usize)> {
    fn below<'a>(
        all: &'a [LocationRecord],
        parent: Option<&str>,
        depth: usize,
        out: &mut Vec<(&'a LocationRecord, usize)>,
    ) {
        for l in all.iter().filter(|l| l.parent.as_deref() == parent) {
            out.push((l, depth));
            if depth < 32 {
                below(all, Some(&l.code), depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(all.len());
    below(all, None, 0, &mut out);
    out
}

/// The chain of locations from the building down to `code`, as `(href, name)`.
fn path_to(all: &[LocationRecord], code: &str, ws: &Workspace) -> Vec<(String, String)> {
    let mut chain = Vec::new();
    let mut at = Some(code.to_string());
    while let Some(c) = at.take() {
        let Some(l) = all.iter().find(|l| l.code == c) else { break };
        chain.push((
            ws.link(&format!("/admin/locations/{}", segment(&l.code))),
            format!("{} {}", l.code, location_name(l, ws.lang)),
        ));
        if chain.len() < 32 {
            at = l.parent.clone();
        }
    }
    chain.reverse();
    chain
}

/// One movement as an object's history shows it.
pub struct MovementRow {
    pub date: String,
    pub from: String,
    pub to: String,
    pub to_href: String,
    pub reason: &'static str,
    pub by: String,
    pub note: String,
}

pub fn movement_rows(ws: &Workspace, all: &[LocationRecord], moves: &[Movement]) -> Vec<MovementRow> {
    let named = |code: &str| match all.iter().find(|l| l.code == code) {
        Some(l) => format!("{} {}", l.code, location_name(l, ws.lang)),
        None => code.to_string(),
    };
    moves
        .iter()
        .rev()
        .map(|m| MovementRow {
            date: labels::day(m.date, ws.lang),
            from: m
                .from
                .as_deref()
                .map(named)
                .unwrap_or_else(|| ws.desk("").t("（首次登记）", "(first placed)").into()),
            to: named(&m.to),
            to_href: ws.link(&format!("/admin/locations/{}", segment(&m.to))),
            reason: labels::move_reason(m.reason).get(ws.lang),
            by: labels::actor(&m.by, ws.lang),
            note: m.note.clone().unwrap_or_default(),
        })
        .collect()
}

pub struct ShelfRow {
    pub href: String,
    pub accession: String,
    pub title: String,
    pub location: String,
}

fn shelf_rows(ws: &Workspace, entries: &[ShelfEntry]) -> Vec<ShelfRow> {
    entries
        .iter()
        .map(|e| ShelfRow {
            href: ws.link(&format!("/admin/objects/{}", segment(&e.accession))),
            accession: e.accession.clone(),
            title: ws
                .lang
                .pick(&LocalText { zh: e.title_zh.clone(), en: e.title_en.clone() })
                .map(|(t, _)| t)
                .unwrap_or_default(),
            location: e.location.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/locations.html")]
struct LocationsPage {
    d: Desk,
    rows: Vec<LocationRow>,
    parents: Vec<Choice>,
    kinds: Vec<Choice>,
    problems: Vec<String>,
    checks_href: String,
}

fn kind_choices(lang: Lang, chosen: &str) -> Vec<Choice> {
    LocationKind::ALL.iter().map(|k| Choice::new(k.as_str(), labels::location_kind(*k).get(lang), chosen)).collect()
}

async fn all_locations(state: &AppState, ws: &Workspace) -> Result<Vec<LocationRecord>, Response> {
    let (catalogue, viewer) = (state.catalogue.clone(), ws.viewer());
    blocking(ws, move || catalogue.locations(&viewer)).await
}

/// How many objects each location holds itself, for the pages that list them with counts.
async fn counts(state: &AppState, ws: &Workspace) -> Result<std::collections::HashMap<i64, u64>, Response> {
    let (catalogue, viewer) = (state.catalogue.clone(), ws.viewer());
    blocking(ws, move || catalogue.location_counts(&viewer)).await
}

/// A location as a list shows it, `depth` levels down, holding `objects` itself.
fn location_row(ws: &Workspace, l: &LocationRecord, depth: usize, objects: u64) -> LocationRow {
    LocationRow {
        href: ws.link(&format!("/admin/locations/{}", segment(&l.code))),
        code: l.code.clone(),
        name: location_name(l, ws.lang),
        kind: labels::location_kind(l.location.kind).get(ws.lang),
        depth,
        objects,
    }
}

async fn list_page(
    state: &AppState,
    ws: &Workspace,
    problems: Vec<String>,
    f: Option<&super::Fields>,
    status: StatusCode,
) -> Result<Response, Response> {
    let all = all_locations(state, ws).await?;
    let counts = counts(state, ws).await?;
    let rows = tree(&all)
        .into_iter()
        .map(|(l, depth)| location_row(ws, l, depth, counts.get(&l.id).copied().unwrap_or(0)))
        .collect();
    let chosen_parent = f.map_or("", |f| f.v("parent"));
    let chosen_kind = f.map_or("storage", |f| f.v("kind"));
    let d = ws.desk(ws.desk("").t("存放位置", "Locations"));
    let page = LocationsPage {
        parents: location_choices(&all, ws.lang, chosen_parent),
        kinds: kind_choices(ws.lang, chosen_kind),
        rows,
        d,
        problems,
        checks_href: ws.link("/admin/inventory"),
    };
    Ok(render(&page, status))
}

/// `/admin/locations`: every location as a tree, and a form to add one.
pub async fn list(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    list_page(&state, &ws, vec![], None, StatusCode::OK).await
}

/// Adds a location.
pub async fn create(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let kind = LocationKind::ALL.into_iter().find(|k| k.as_str() == f.v("kind")).unwrap_or_default();
    let text = |k: &str| Some(f.v(k).trim().to_string()).filter(|v| !v.is_empty());
    let input = LocationInput {
        code: f.v("code").to_string(),
        name: LocalText { zh: text("name_zh"), en: text("name_en") },
        parent: text("parent"),
        kind,
        note: text("note"),
    };
    let catalogue = state.catalogue.clone();
    match super::create(&ws, move || catalogue.create_location(&user, &input)).await? {
        Ok(made) => Ok(done(&ws, &format!("/admin/locations/{}", segment(&made.code)), Done::Created)),
        Err(problems) => list_page(&state, &ws, problems, Some(&f), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

#[derive(Template)]
#[template(path = "admin/location.html")]
struct LocationPage {
    d: Desk,
    location: LocationRecord,
    seg: String,
    kind: &'static str,
    path: Vec<(String, String)>,
    children: Vec<LocationRow>,
    shelf: Vec<ShelfRow>,
    destinations: Vec<Choice>,
    reasons: Vec<Choice>,
    today: String,
    problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/shelf_print.html")]
struct ShelfPrint {
    d: Desk,
    path: String,
    printed: String,
    shelf: Vec<ShelfRow>,
}

async fn location_page(
    state: &AppState,
    ws: &Workspace,
    code: &str,
    problems: Vec<String>,
    print: bool,
    status: StatusCode,
) -> Result<Response, Response> {
    let all = all_locations(state, ws).await?;
    let counts = counts(state, ws).await?;
    let (catalogue, viewer, c) = (state.catalogue.clone(), ws.viewer(), code.to_string());
    let (location, shelf) = blocking(ws, move || {
        let location = catalogue.location(&viewer, &c)?;
        let shelf = catalogue.shelf_list(&viewer, &location.code, true)?;
        Ok((location, shelf))
    })
    .await?;
    let children = all
        .iter()
        .filter(|l| l.parent.as_deref() == Some(location.code.as_str()))
        .map(|l| location_row(ws, l, 0, counts.get(&l.id).copied().unwrap_or(0)))
        .collect();
    let d = ws.desk(format!("{} {}", location.code, location_name(&location, ws.lang)));
    let page = LocationPage {
        seg: segment(&location.code),
        kind: labels::location_kind(location.location.kind).get(ws.lang),
        path: path_to(&all, &location.code, ws),
        children,
        shelf: shelf_rows(ws, &shelf),
        destinations: location_choices(&all, ws.lang, "").into_iter().filter(|c| c.value != location.code).collect(),
        reasons: reason_choices(ws.lang, "storage"),
        today: state.catalogue.today().to_string(),
        location,
        d,
        problems,
    };
    if print {
        let sheet = ShelfPrint {
            path: page.path.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(" › "),
            printed: labels::time(chrono::Utc::now(), ws.tz, ws.lang),
            shelf: page.shelf,
            d: page.d,
        };
        return Ok(render(&sheet, status));
    }
    Ok(render(&page, status))
}

/// `/admin/locations/{code}`: where it is, what is inside it, its shelf list, and moving
/// everything it holds.
pub async fn page(
    State(state): State<AppState>,
    ws: Workspace,
    Path(code): Path<String>,
) -> Result<Response, Response> {
    location_page(&state, &ws, &code, vec![], false, StatusCode::OK).await
}

/// `/admin/locations/{code}/print`: the shelf list alone, to print.
pub async fn print(
    State(state): State<AppState>,
    ws: Workspace,
    Path(code): Path<String>,
) -> Result<Response, Response> {
    location_page(&state, &ws, &code, vec![], true, StatusCode::OK).await
}

/// The move a form asks for.
fn move_request(f: &super::Fields) -> MoveRequest<'_> {
    MoveRequest {
        to: f.v("to"),
        reason: f.v("reason"),
        date: f.get("date"),
        note: f.get("note").filter(|n| !n.trim().is_empty()),
    }
}

/// Moves everything a location holds (and what the locations inside it hold).
pub async fn move_contents(
    State(state): State<AppState>,
    Path(code): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let (catalogue, from, form) = (state.catalogue.clone(), code.clone(), f.clone());
    let moved =
        crate::catalogue::blocking(move || catalogue.move_contents(&user, &from, true, &move_request(&form))).await;
    match moved {
        Ok(_) => {
            Ok(done(&ws, &format!("/admin/locations/{}", segment(&f.v("to").trim().to_ascii_uppercase())), Done::Moved))
        }
        Err(StoreError::Invalid(v)) => {
            location_page(&state, &ws, &code, v.lines(), false, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(super::store_error_page(&ws, e)),
    }
}

/// Moves one object (at the version its page showed).
pub async fn move_object(
    State(state): State<AppState>,
    Path(accession): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let version = super::version_of(&f);
    let (catalogue, a, form) = (state.catalogue.clone(), accession.clone(), f.clone());
    let moved = crate::catalogue::blocking(move || {
        catalogue.move_artefacts(&user, &[(a, Some(version))], &move_request(&form))
    })
    .await;
    let back = format!("/admin/objects/{}#location", segment(&accession));
    match moved {
        Ok(_) => Ok(done(&ws, &back, Done::Moved)),
        Err(StoreError::Invalid(v)) => {
            let d = ws.desk("");
            Ok(super::message_page(&ws, StatusCode::UNPROCESSABLE_ENTITY, d.t("未能移动", "Not moved"), &v.to_string()))
        }
        Err(StoreError::Conflict { current_version: Some(_), .. }) => {
            let d = ws.desk("");
            Ok(super::message_page(
                &ws,
                StatusCode::CONFLICT,
                d.t("未能移动", "Not moved"),
                d.t(
                    "在您打开此页之后，有人已修改或移动了这件藏品。请重新打开藏品页面，确认它现在的位置后再移动。",
                    "Someone changed or moved this object since you opened its page. Open the page again, check where it is now, and move it again.",
                ),
            ))
        }
        Err(e) => Err(super::store_error_page(&ws, e)),
    }
}

/// An inventory check as a list shows it.
pub struct CheckRow {
    pub href: String,
    pub id: i64,
    pub location: String,
    pub started: String,
    pub by: String,
    pub finished: bool,
    pub progress: String,
}

#[derive(Template)]
#[template(path = "admin/inventory.html")]
struct ChecksPage {
    d: Desk,
    rows: Vec<CheckRow>,
    locations: Vec<Choice>,
}

/// `/admin/inventory`: the inventory checks, newest first, and a form to start one.
pub async fn checks(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    let all = all_locations(&state, &ws).await?;
    let (catalogue, viewer) = (state.catalogue.clone(), ws.viewer());
    let checks = blocking(&ws, move || catalogue.inventory_checks(&viewer)).await?;
    let rows = checks
        .iter()
        .map(|c| CheckRow {
            href: ws.link(&format!("/admin/inventory/{}", c.id)),
            id: c.id,
            location: c.location.clone(),
            started: labels::time(c.started_at, ws.tz, ws.lang),
            by: labels::actor(&c.started_by, ws.lang),
            finished: c.is_finished(),
            progress: format!("{} / {}", c.marked, c.expected),
        })
        .collect();
    let d = ws.desk(ws.desk("").t("盘点", "Inventory checks"));
    Ok(render(&ChecksPage { d, rows, locations: location_choices(&all, ws.lang, "") }, StatusCode::OK))
}

/// Starts a check of a location.
pub async fn start_check(State(state): State<AppState>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let (catalogue, location, note) = (
        state.catalogue.clone(),
        f.v("location").to_string(),
        f.get("note").map(String::from).filter(|n| !n.trim().is_empty()),
    );
    let check = blocking(&ws, move || catalogue.start_check(&user, &location, note.as_deref())).await?;
    Ok(done(&ws, &format!("/admin/inventory/{}", check.id), Done::Created))
}

pub struct LineRow {
    pub href: String,
    pub accession: String,
    pub title: String,
    pub recorded: String,
    pub mark: &'static str,
    pub found_in: String,
    pub unmarked: bool,
    pub discrepancy: bool,
}

#[derive(Template)]
#[template(path = "admin/inventory_check.html")]
struct CheckPage {
    d: Desk,
    check: InventoryCheck,
    location_href: String,
    lines: Vec<LineRow>,
    discrepancies: usize,
    locations: Vec<Choice>,
    problems: Vec<String>,
}

fn line_rows(ws: &Workspace, lines: &[CheckLine]) -> Vec<LineRow> {
    lines
        .iter()
        .map(|l| LineRow {
            href: ws.link(&format!("/admin/objects/{}", segment(&l.accession))),
            accession: l.accession.clone(),
            title: ws
                .lang
                .pick(&LocalText { zh: l.title_zh.clone(), en: l.title_en.clone() })
                .map(|(t, _)| t)
                .unwrap_or_default(),
            recorded: l.recorded.clone().unwrap_or_default(),
            mark: labels::check_mark(l.mark).get(ws.lang),
            found_in: l.found_in.clone().unwrap_or_default(),
            unmarked: l.mark.is_none() && l.expected,
            discrepancy: l.is_discrepancy(),
        })
        .collect()
}

async fn check_page(
    state: &AppState,
    ws: &Workspace,
    id: i64,
    problems: Vec<String>,
    status: StatusCode,
) -> Result<Response, Response> {
    let all = all_locations(state, ws).await?;
    let (catalogue, viewer) = (state.catalogue.clone(), ws.viewer());
    let check = blocking(ws, move || catalogue.inventory_check(&viewer, id)).await?;
    let title = match ws.lang {
        Lang::Zh => format!("盘点 {} · {}", check.id, check.location),
        Lang::En => format!("Inventory check {} · {}", check.id, check.location),
    };
    let page = CheckPage {
        d: ws.desk(title),
        location_href: ws.link(&format!("/admin/locations/{}", segment(&check.location))),
        lines: line_rows(ws, &check.lines),
        discrepancies: check.discrepancies().count(),
        locations: location_choices(&all, ws.lang, ""),
        check,
        problems,
    };
    Ok(render(&page, status))
}

/// `/admin/inventory/{id}`: a check's objects, what was found, and its report.
pub async fn check(State(state): State<AppState>, ws: Workspace, Path(id): Path<String>) -> Result<Response, Response> {
    let id = parse_id(&ws, &id)?;
    check_page(&state, &ws, id, vec![], StatusCode::OK).await
}

/// Marks objects: the numbers typed or scanned (one a line) as found here, those ticked as
/// missing, or one number as found in another location.
pub async fn mark(State(state): State<AppState>, Path(id): Path<String>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let id = parse_id(&ws, &id)?;
    let user = ws.editor()?.name.clone();
    let mut marks: Vec<(String, Mark, Option<String>)> = f
        .v("found")
        .lines()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| (a.to_string(), Mark::Found, None))
        .collect();
    marks.extend(f.keys().filter(|k| k.starts_with("missing_")).map(|k| (f.v(k).to_string(), Mark::Missing, None)));
    if !f.v("elsewhere").trim().is_empty() {
        marks.push((f.v("elsewhere").trim().to_string(), Mark::Elsewhere, Some(f.v("found_in").to_string())));
    }
    let catalogue = state.catalogue.clone();
    match crate::catalogue::blocking(move || catalogue.mark_check(&user, id, &marks)).await {
        Ok(_) => Ok(done(&ws, &format!("/admin/inventory/{id}"), Done::Saved)),
        Err(StoreError::Invalid(v)) => check_page(&state, &ws, id, v.lines(), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => Err(super::store_error_page(&ws, e)),
    }
}

/// Finishes a check, correcting the locations it found wrong when asked to.
pub async fn finish(State(state): State<AppState>, Path(id): Path<String>, s: Submitted) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let id = parse_id(&ws, &id)?;
    let user = ws.editor()?.name.clone();
    let (catalogue, correct) = (state.catalogue.clone(), f.on("correct"));
    blocking(&ws, move || catalogue.finish_check(&user, id, correct)).await?;
    Ok(done(&ws, &format!("/admin/inventory/{id}"), Done::Saved))
}
