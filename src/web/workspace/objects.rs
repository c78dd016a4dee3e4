//! One artefact in the workspace: edit with optimistic concurrency, publish,

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::batch::BatchForm;
use super::forms::{Choices, DiffRow, Fields, changes, diff, item_json, item_values, row_count};
use super::history::{self, last_editor};
use super::lists::{Choice, PER_PAGE, Pager, Query};
use super::{Desk, Done, Edited, Submitted, Workspace, blocking, done, edit, message_page, render, version_of};
use crate::catalogue::{Entity, STATUSES, Scope, SearchError, SearchRequest, Sort, StoreError, check_filter};
use crate::model::artefact::{Artefact, PublicationStatus};
use crate::model::image::{ImageOptions, ImageRecord, ImageRole, Visibility};
use crate::model::view::ArtefactRecord;
use crate::web::AppState;
use crate::web::auth::same_secret;
use crate::web::error::AppError;
use crate::web::labels::{status_code, value_label};
use crate::web::pages::segment;

pub struct ImageRow {
    pub id: String,
    pub thumb: String,
    pub role: ImageRole,
    pub public: bool,
    pub order: u32,
    pub caption_zh: String,
    pub version: i64,
    pub size: String,
}

#[derive(Template)]
#[template(path = "admin/object.html")]
struct ObjectPage {
    d: Desk,
    seg: String,
    record: ArtefactRecord,
    f: Fields,
    rows: Vec<usize>,
    problems: Vec<String>,
    conflict: Vec<DiffRow>,
    conflict_by: Option<String>,
    version: i64,
    images: Vec<ImageRow>,
    choices: Choices,
    public_href: Option<String>,
    donation_href: Option<String>,
    roles: [crate::model::image::ImageRole; 6],
    /// Where the object is (for those who see locations): its location as `(href, name)`.
    place: Option<(String, String)>,
    moves: Vec<super::locations::MovementRow>,
    destinations: Vec<super::lists::Choice>,
    reasons: Vec<super::lists::Choice>,
    today: String,
}

fn image_rows(images: Vec<ImageRecord>) -> Vec<ImageRow> {
    images
        .into_iter()
        .map(|i| ImageRow {
            thumb: format!("/iiif/3/{}/full/%5E!160,160/0/default.jpg", segment(&i.meta.id)),
            role: i.meta.role,
            public: i.meta.visibility == Visibility::Public,
            order: i.meta.order,
            caption_zh: i.meta.caption.zh.clone().unwrap_or_default(),
            version: i.version,
            size: format!("{} × {} px, {}", i.meta.width, i.meta.height, i.meta.format),
            id: i.meta.id,
        })
        .collect()
}

async fn load(
    state: &AppState,
    ws: &Workspace,
    accession: &str,
) -> Result<(ArtefactRecord, Vec<ImageRecord>), Response> {
    let record = load_record(state, ws, accession).await?;
    let catalogue = state.catalogue.clone();
    let a = accession.to_string();
    let images = blocking(ws, move || catalogue.images_of_accession(&a)).await?;
    Ok((record, images))
}

/// The record alone, as this user may see it (field-level privacy in one place).
async fn load_record(state: &AppState, ws: &Workspace, accession: &str) -> Result<ArtefactRecord, Response> {
    let catalogue = state.catalogue.clone();
    let a = accession.to_string();
    let record =
        blocking(ws, move || catalogue.artefact(&a)?.ok_or_else(|| StoreError::not_found("artefact", &a))).await?;
    Ok(record.for_staff(&ws.viewer()))
}

struct Extra {
    f: Option<Fields>,
    problems: Vec<String>,
    conflict: Vec<DiffRow>,
    conflict_by: Option<String>,
}

async fn page_with(
    state: &AppState,
    ws: &Workspace,
    accession: &str,
    extra: Extra,
    status: StatusCode,
) -> Result<Response, Response> {
    let (record, images) = load(state, ws, accession).await?;
    let vocab = state.catalogue.vocabularies();
    let f = extra.f.unwrap_or_else(|| item_values(&record.record, &vocab, ws.lang));
    let title = record.record.body.title.zh.clone().or(record.record.body.title.en.clone()).unwrap_or_default();
    let d = ws.desk(format!("{accession} {title}"));
    let public_href = (record.record.body.status == PublicationStatus::Published
        && record.record.deaccession.is_none())
    .then(|| ws.link(&format!("/objects/{}", segment(accession))));
    let donation_href = record.record.body.donation_id.map(|id| ws.link(&format!("/admin/donations/{id}")));
    let (place, moves, destinations) = if ws.sees_locations {
        let (catalogue, viewer, a) = (state.catalogue.clone(), ws.viewer(), accession.to_string());
        let (all, w) =
            blocking(ws, move || Ok((catalogue.locations(&viewer)?, catalogue.whereabouts(&viewer, &a)?))).await?;
        let place = w.current.as_ref().map(|l| {
            (
                ws.link(&format!("/admin/locations/{}", segment(&l.code))),
                format!("{} {}", l.code, super::locations::location_name(l, ws.lang)),
            )
        });
        let here = w.current.as_ref().map(|l| l.code.clone()).unwrap_or_default();
        let destinations =
            super::locations::location_choices(&all, ws.lang, "").into_iter().filter(|c| c.value != here).collect();
        (place, super::locations::movement_rows(ws, &all, &w.movements), destinations)
    } else {
        (None, Vec::new(), Vec::new())
    };
    Ok(render(
        &ObjectPage {
            d,
            seg: segment(accession),
            version: record.version,
            rows: (0..row_count(&f)).collect(),
            f,
            problems: extra.problems,
            conflict: extra.conflict,
            conflict_by: extra.conflict_by,
            images: image_rows(images),
            choices: Choices::of(&vocab, ws.lang),
            public_href,
            donation_href,
            roles: crate::web::labels::IMAGE_ROLES,
            place,
            moves,
            destinations,
            reasons: super::locations::reason_choices(ws.lang, "storage"),
            today: state.catalogue.today().to_string(),
            record,
        },
        status,
    ))
}

pub async fn page(
    State(state): State<AppState>,
    ws: Workspace,
    Path(accession): Path<String>,
) -> Result<Response, Response> {
    page_with(
        &state,
        &ws,
        &accession,
        Extra { f: None, problems: vec![], conflict: vec![], conflict_by: None },
        StatusCode::OK,
    )
    .await
}

/// Saves an edit: only the fields the form changed are sent, with the version the form was
/// made from. If someone saved first, the form comes back with the differences.
pub async fn save(
    State(state): State<AppState>,
    Path(accession): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let version = version_of(&f);
    let current = load_record(&state, &ws, &accession).await?;
    let vocab = state.catalogue.vocabularies();
    let before = item_json(&item_values(&current.record, &vocab, ws.lang), Some(&current.record), true);
    let change = changes(&before, &item_json(&f, Some(&current.record), true));
    let (catalogue, acc) = (state.catalogue.clone(), accession.clone());
    let save = move |c: &_| catalogue.update_artefact(&user, &acc, version, c).map(|_| ());
    match edit(&ws, version, current.version, change, save).await? {
        Edited::Done => Ok(done(&ws, &format!("/admin/objects/{}", segment(&accession)), Done::Saved)),
        Edited::Invalid(problems) => {
            let extra = Extra { f: Some(f), problems, conflict: vec![], conflict_by: None };
            page_with(&state, &ws, &accession, extra, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Edited::Stale => {
            let now = load_record(&state, &ws, &accession).await?;
            let by = last_editor(&state, &ws, Entity::Artefact, now.id).await?;
            let conflict = diff(&item_values(&now.record, &vocab, ws.lang), &f, ws.lang);
            let mut f = f;
            f.set("version", now.version.to_string());
            let extra = Extra { f: Some(f), problems: vec![], conflict, conflict_by: by };
            page_with(&state, &ws, &accession, extra, StatusCode::CONFLICT).await
        }
    }
}

/// Publish, unpublish (back to accessioned) or return to draft.
pub async fn set_status(
    State(state): State<AppState>,
    Path(accession): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let status = match f.get("status") {
        Some("published") => PublicationStatus::Published,
        Some("internal") => PublicationStatus::Internal,
        Some("draft") => PublicationStatus::Draft,
        _ => {
            let d = ws.desk("");
            return Err(message_page(
                &ws,
                StatusCode::UNPROCESSABLE_ENTITY,
                d.t("无法更改状态", "Status not changed"),
                d.t("请选择发布、取消发布或入藏。", "Choose to publish, to unpublish or to accession."),
            ));
        }
    };
    let version = version_of(&f);
    let catalogue = state.catalogue.clone();
    let acc = accession.clone();
    let change = json!({"status": status});
    let before = blocking(&ws, move || {
        let before = catalogue.artefact(&acc)?.map(|a| a.record.body.status);
        catalogue.update_artefact(&user, &acc, version, change.as_object().expect("object"))?;
        Ok(before)
    })
    .await?;
    let what = match (before, status) {
        (_, PublicationStatus::Published) => Done::Published,
        (Some(PublicationStatus::Published), _) => Done::Unpublished,
        (Some(PublicationStatus::Draft), PublicationStatus::Internal) => Done::Accessioned,
        _ => Done::Saved,
    };
    Ok(done(&ws, &format!("/admin/objects/{}", segment(&accession)), what))
}

pub async fn deaccession(
    State(state): State<AppState>,
    Path(accession): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let version = version_of(&f);
    let reason = f.get("reason").unwrap_or("").to_string();
    if !f.on("confirm") {
        let d = ws.desk("");
        return Err(message_page(
            &ws,
            StatusCode::UNPROCESSABLE_ENTITY,
            d.t("尚未注销", "Not deaccessioned"),
            d.t("请勾选确认框，确认此藏品离开馆藏。", "Tick the box to confirm that the object leaves the collection."),
        ));
    }
    let catalogue = state.catalogue.clone();
    let acc = accession.clone();
    blocking(&ws, move || catalogue.deaccession(&user, &acc, version, &reason)).await?;
    Ok(done(&ws, &format!("/admin/objects/{}", segment(&accession)), Done::Deaccessioned))
}

/// The record's audit trail as readable differences, as this user may see them.
pub async fn history(
    State(state): State<AppState>,
    ws: Workspace,
    Path(accession): Path<String>,
) -> Result<Response, Response> {
    let record = load_record(&state, &ws, &accession).await?;
    let back = ws.link(&format!("/admin/objects/{}", segment(&accession)));
    history::page::<Artefact>(&state, &ws, Entity::Artefact, record.id, back, Some(accession)).await
}

/// The upload form without scripts: `csrf` first, then the file and its description.
pub async fn upload(
    State(state): State<AppState>,
    ws: Workspace,
    Path(accession): Path<String>,
    mut form: Multipart,
) -> Result<Response, Response> {
    let user = ws.editor()?.name.clone();
    let refuse =
        |e: AppError| message_page(&ws, e.status, ws.desk("").t("上传未成功", "Upload refused"), &e.body.message);
    let expected = "the image in a field named `file`";
    let mut csrf_ok = false;
    let mut options = ImageOptions::default();
    let mut upload = None;
    while let Some(mut field) =
        form.next_field().await.map_err(|e| refuse(crate::web::extract::multipart_error(e, expected)))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "csrf" => {
                let v = field.text().await.map_err(|e| refuse(crate::web::extract::multipart_error(e, expected)))?;
                csrf_ok = same_secret(v.trim(), &ws.session.csrf);
            }
            _ if !csrf_ok => return Err(super::csrf_refused(&ws)),
            "file" if upload.is_none() => {
                upload = Some(crate::web::extract::receive_file(&state, &mut field, expected).await.map_err(refuse)?);
            }
            "role" | "visibility" | "caption_zh" | "caption_en" => {
                let v = field.text().await.map_err(|e| refuse(crate::web::extract::multipart_error(e, expected)))?;
                if !v.trim().is_empty() {
                    crate::web::uploads::image_option(&mut options, &name, v).map_err(refuse)?;
                }
            }
            _ => {}
        }
    }
    let Some(upload) = upload else {
        return Err(refuse(AppError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "file",
            "choose an image file to upload",
        )));
    };
    state
        .catalogue
        .add_image(&user, &accession, upload, &options, None)
        .await
        .map_err(|e| refuse(AppError::from(e)))?;
    Ok(done(&ws, &format!("/admin/objects/{}#images", segment(&accession)), Done::Uploaded))
}

/// Changes an image's role, visibility, order or caption.
pub async fn image_update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    s: Submitted,
) -> Result<Response, Response> {
    let Submitted { ws, fields: f } = s;
    let user = ws.editor()?.name.clone();
    let refuse = |e: AppError| message_page(&ws, e.status, ws.desk("").t("无法保存", "Not saved"), &e.body.message);
    let mut options = ImageOptions::default();
    for name in ["role", "visibility", "order", "caption_zh"] {
        if let Some(v) = f.get(name) {
            crate::web::uploads::image_option(&mut options, name, v.to_string()).map_err(refuse)?;
        } else if name == "caption_zh" {
            crate::web::uploads::image_option(&mut options, name, String::new()).map_err(refuse)?;
        }
    }
    let version = version_of(&f);
    let catalogue = state.catalogue.clone();
    let image = blocking(&ws, move || catalogue.update_image(&user, &id, version, &options)).await?;
    Ok(done(&ws, &format!("/admin/objects/{}#images", segment(&image.accession_number)), Done::Saved))
}

/// One object in the list.
pub struct ObjectRow {
    pub href: String,
    pub accession: String,
    pub title: String,
    pub title_lang: &'static str,
    pub date: String,
    pub makers: String,
    pub status_code: String,
    pub status: &'static str,
    pub thumb: Option<String>,
}

/// One of the list's filters, with the values the current results hold and their counts.
pub struct Filter {
    pub name: &'static str,
    pub label: &'static str,
    pub choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "admin/objects.html")]
struct ObjectList {
    d: Desk,
    q: String,
    filters: Vec<Filter>,
    sorts: Vec<Choice>,
    rows: Vec<ObjectRow>,
    pager: Pager,
    /// A query that finds more, and the list of it.
    suggestion: Option<(String, String)>,
    clear_href: String,
    /// The list's search, for a batch over its whole result: `q` and `filter_N`.
    whole: Vec<(String, String)>,
    batch: BatchForm,
}

/// The list's filters, in the order the form shows them.
const FILTERS: [&str; 8] = ["status", "category", "material", "period", "donor", "donation", "acquired", "has_image"];

fn filter_label(d: &Desk, name: &str) -> &'static str {
    match name {
        "status" => d.t("状态", "Status"),
        "category" => d.t("类别", "Category"),
        "material" => d.t("质地", "Material"),
        "period" => d.t("年代", "Period"),
        "donor" => d.t("捐赠人", "Donor"),
        "donation" => d.t("捐赠", "Donation"),
        "acquired" => d.t("入藏年度", "Year acquired"),
        _ => d.t("图像", "Images"),
    }
}

/// `/admin/objects`: every object the user may see, found by text and filtered by status,
/// category, material, period, donor, donation, year acquired and images, sorted and in
/// pages, with a count. The internal index answers, so a list is as fast as a search.
pub async fn list(State(state): State<AppState>, ws: Workspace, query: Query) -> Result<Response, Response> {
    let d = ws.desk(ws.desk("").t("藏品", "Objects"));
    let refuse = |message: String| message_page(&ws, StatusCode::BAD_REQUEST, d.t("无法列出", "Cannot list"), &message);
    let mut filters = Vec::new();
    for name in FILTERS {
        let value = query.get(name);
        if !value.is_empty() {
            check_filter(name, value).map_err(&refuse)?;
            filters.push((name.to_string(), value.to_string()));
        }
    }
    let q = query.get("q").to_string();
    let sort = match query.get("sort") {
        "" if q.is_empty() => Sort::Accession,
        "" => Sort::Relevance,
        s => serde_json::from_value::<Sort>(json!(s)).map_err(|_| refuse(format!("`{s}` is not a way to sort")))?,
    };
    let request = SearchRequest {
        q: q.clone(),
        filters,
        sort,
        page: query.page(),
        per_page: PER_PAGE,
        facets: true,
        snippets: false,
        exact_total: true,
    };
    let (catalogue, scope) = (state.catalogue.clone(), Scope::staff(ws.principal().role));
    let user = ws.principal().clone();
    let chosen_donation = query.get("donation").to_string();
    let searched = crate::catalogue::blocking(move || -> anyhow::Result<_> {
        let found = catalogue.search(&request, scope)?;
        let mut donations = std::collections::HashMap::new();
        let ids = found.facets.get("donation").into_iter().flatten().map(|f| f.value.clone()).chain([chosen_donation]);
        for id in ids {
            if let Ok(n) = id.parse::<i64>()
                && let Some(donation) = catalogue.donation(n)?
            {
                donations.insert(id, super::dashboard::donation_label(&donation.record, n));
            }
        }
        let own_sets: Vec<_> = catalogue.sets(&user)?.into_iter().filter(|s| s.owner == user.name).collect();
        Ok((found, donations, own_sets))
    })
    .await;
    let (found, donations, own_sets) = match searched {
        Ok(found) => found,
        Err(e) => {
            return Err(match e.downcast_ref::<SearchError>() {
                Some(SearchError::TooDeep { .. }) => {
                    refuse(d.t("页码太靠后了，请缩小范围。", "That page is too far in; narrow the list.").to_string())
                }
                _ => crate::web::pages::failed(e),
            });
        }
    };
    let vocab = state.catalogue.vocabularies();
    let lang = ws.lang;
    let label = |name: &str, value: &str| match name {
        "status" => status_code(value).map_or_else(|| value.to_string(), |l| l.get(lang).to_string()),
        "donation" => donations.get(value).cloned().unwrap_or_else(|| format!("#{value}")),
        "has_image" => d
            .t(
                if value == "yes" { "有图像" } else { "无图像" },
                if value == "yes" { "With images" } else { "Without images" },
            )
            .to_string(),
        _ => value_label(&vocab, lang, name, value),
    };
    let filters = FILTERS
        .iter()
        .map(|&name| {
            let chosen = query.get(name);
            let mut choices = vec![Choice::new("", d.t("全部", "All"), chosen)];
            let counted: Vec<(String, Option<u64>)> = if name == "status" {
                STATUSES.iter().map(|s| (s.to_string(), None)).collect()
            } else {
                found.facets.get(name).into_iter().flatten().map(|f| (f.value.clone(), Some(f.count))).collect()
            };
            if !chosen.is_empty() && !counted.iter().any(|(v, _)| v == chosen) {
                choices.push(Choice::new(chosen, label(name, chosen), chosen));
            }
            choices.extend(counted.into_iter().map(|(value, count)| {
                let text = match count {
                    Some(n) => format!("{}（{n}）", label(name, &value)),
                    None => label(name, &value),
                };
                Choice::new(value, text, chosen)
            }));
            Filter { name, label: filter_label(&d, name), choices }
        })
        .collect();
    let sort_code = serde_json::to_value(sort).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let sorts = [
        ("relevance", d.t("相关度", "Relevance")),
        ("accession", d.t("总登记号", "Accession number")),
        ("date", d.t("年代（由早到晚）", "Date (oldest first)")),
        ("date_desc", d.t("年代（由晚到早）", "Date (newest first)")),
        ("acquired", d.t("入藏日期", "Date acquired")),
    ]
    .into_iter()
    .map(|(value, text)| Choice::new(value, text, &sort_code))
    .collect();
    let rows = found
        .hits
        .into_iter()
        .map(|h| {
            let (title, title_lang) = lang.pick(&h.title).unwrap_or_else(|| (String::new(), "zh"));
            ObjectRow {
                href: ws.link(&format!("/admin/objects/{}", segment(&h.accession))),
                title,
                title_lang,
                date: h.date.unwrap_or_default(),
                makers: h.makers.join("、"),
                status: status_code(&h.status).map_or("", |l| l.get(lang)),
                status_code: h.status,
                thumb: h.thumbnail.map(|id| format!("/iiif/3/{}/full/%5E!120,120/0/default.jpg", segment(&id))),
                accession: h.accession,
            }
        })
        .collect();
    let pager = Pager::new(&query, "/admin/objects", found.total, PER_PAGE, lang);
    let suggestion = found.suggestion.as_ref().map(|offered| {
        let q: String = url::form_urlencoded::byte_serialize(offered.as_bytes()).collect();
        (offered.clone(), ws.link(&format!("/admin/objects?q={q}")))
    });
    let clear_href = ws.link("/admin/objects");
    let mut whole = vec![("q".to_string(), q.clone())];
    whole.extend(
        FILTERS
            .iter()
            .filter(|n| !query.get(n).is_empty())
            .enumerate()
            .map(|(i, n)| (format!("filter_{i}"), format!("{n}:{}", query.get(n)))),
    );
    let batch = BatchForm::new(lang, own_sets).with_locations(&state, &ws).await?;
    Ok(render(&ObjectList { d, q, filters, sorts, rows, pager, suggestion, clear_href, whole, batch }, StatusCode::OK))
}
