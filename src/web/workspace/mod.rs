//! The curators' workspace under `/admin`, and signing in and out.
//!
//! Server-rendered pages that work without JavaScript (scripts add drag-and-drop
//! uploads and live previews). Every page needs a session; every form carries the
//! session's CSRF token; what a page shows of a record goes through the same view
//! types as the API, so a researcher never sees a private field here either.

// Handlers here answer a refusal with the page that explains it: a `Response` as the error is
// the point, and it is made once per request.
#![allow(clippy::result_large_err)]

mod accounts;
mod activity;
mod batch;
mod dashboard;
mod donations;
mod donors;
mod forms;
mod history;
mod imports;
mod lists;
mod locations;
mod login;
mod objects;
mod sets;
mod vocabularies;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::auth::{same_secret, session_of};
use super::labels::{self, Label};
use super::pages::i18n::{Lang, PageLang};
use crate::catalogue::Session;
use crate::model::role::{Principal, Role, Viewer};
use crate::web::AppState;
pub use forms::Fields;

pub fn router(state: &AppState) -> Router<AppState> {
    let upload_limit = super::uploads::upload_limit(state);
    Router::new()
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/admin", get(dashboard::page))
        .route("/admin/objects", get(objects::list))
        .route("/admin/batch", post(batch::batch))
        .route("/admin/sets", get(sets::list).post(sets::create))
        .route("/admin/sets/{id}", get(sets::page))
        .route("/admin/sets/{id}/remove", post(sets::remove))
        .route("/admin/sets/{id}/export.csv", get(sets::export))
        .route("/admin/donations", get(donations::list))
        .route("/admin/donors", get(donors::list))
        .route("/admin/donors/new", get(donors::form).post(donors::create))
        .route("/admin/donors/{id}", get(donors::page).post(donors::save))
        .route("/admin/donors/{id}/history", get(donors::history))
        .route("/admin/donations/new", get(donations::form).post(donations::create))
        .route("/admin/donations/{id}/edit", get(donations::edit).post(donations::save))
        .route("/admin/donations/{id}/history", get(donations::history))
        .route("/admin/donations/{id}", get(donations::page).post(donations::item_create))
        .route("/admin/donations/{id}/accession", post(donations::accession))
        .route("/admin/donations/{id}/entry", post(donations::entry))
        .route("/admin/donations/{id}/exit", post(donations::exit))
        .route("/admin/objects/{accession}", get(objects::page).post(objects::save))
        .route("/admin/objects/{accession}/status", post(objects::set_status))
        .route("/admin/objects/{accession}/deaccession", post(objects::deaccession))
        .route("/admin/objects/{accession}/history", get(objects::history))
        .route("/admin/objects/{accession}/move", post(locations::move_object))
        .route("/admin/locations", get(locations::list).post(locations::create))
        .route("/admin/locations/{code}", get(locations::page))
        .route("/admin/locations/{code}/print", get(locations::print))
        .route("/admin/locations/{code}/move", post(locations::move_contents))
        .route("/admin/inventory", get(locations::checks).post(locations::start_check))
        .route("/admin/inventory/{id}", get(locations::check))
        .route("/admin/inventory/{id}/marks", post(locations::mark))
        .route("/admin/inventory/{id}/finish", post(locations::finish))
        .route(
            "/admin/objects/{accession}/images",
            post(objects::upload).layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/admin/images/{id}", post(objects::image_update))
        .route(
            "/admin/imports",
            get(imports::form).post(imports::submit).layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
        )
        .route("/admin/imports/{id}/report.csv", get(imports::report))
        .route("/admin/dimensions", get(forms::dimensions_preview))
        .route("/admin/activity", get(activity::page))
        .route("/admin/vocabularies", get(vocabularies::index))
        .route("/admin/vocabularies/{name}", get(vocabularies::page).post(vocabularies::save))
        .route("/admin/users", get(accounts::users).post(accounts::user_create))
        .route("/admin/users/{id}", post(accounts::user_update))
        .route("/admin/settings/locations", post(accounts::locations_setting))
        .route("/admin/tokens", get(accounts::tokens).post(accounts::token_create))
        .route("/admin/tokens/{id}/revoke", post(accounts::token_revoke))
}

/// The frame of every workspace page.
pub struct Desk {
    pub lang: Lang,
    pub title: String,
    pub user: String,
    pub role: Role,
    pub csrf: String,
    pub switch_href: String,
    /// The museum's time zone, for every time shown.
    pub tz: chrono_tz::Tz,
    /// What the form that led here did, to confirm it.
    pub done: Option<Done>,
    /// Whether this user sees where objects are.
    pub sees_locations: bool,
}

impl Desk {
    /// The Chinese or the English of a label, as the page's language is.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn html_lang(&self) -> &'static str {
        self.lang.html()
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn can_edit(&self) -> bool {
        self.role.can_edit()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn role_label(&self) -> &'static str {
        labels::role(self.role).get(self.lang)
    }

    /// A label in the page's language.
    pub fn l(&self, label: Label) -> &'static str {
        label.get(self.lang)
    }

    pub fn status(&self, s: &crate::model::artefact::PublicationStatus) -> &'static str {
        self.l(labels::publication_status(*s))
    }

    pub fn donation_status(&self, s: &crate::model::donation::DonationStatus) -> &'static str {
        self.l(labels::donation_status(*s))
    }

    pub fn role(&self, r: &Role) -> &'static str {
        self.l(labels::role(*r))
    }

    pub fn image_role(&self, r: &crate::model::image::ImageRole) -> &'static str {
        self.l(labels::image_role(*r))
    }

    /// The names of the inscription kinds the catalogue knows, for a form's suggestions.
    pub fn inscription_kinds(&self) -> Vec<&'static str> {
        labels::INSCRIPTION_KINDS.iter().map(|(_, n)| n.get(self.lang)).collect()
    }

    /// A time as stored (RFC 3339), in the museum's time zone; as stored if it is not one.
    pub fn time_text(&self, stored: &str) -> String {
        match chrono::DateTime::parse_from_rfc3339(stored) {
            Ok(at) => self.time(&at.to_utc()),
            Err(_) => stored.to_string(),
        }
    }

    /// The confirmation of what the form that led here did.
    pub fn notice(&self) -> Option<&'static str> {
        let (zh, en) = match self.done? {
            Done::Saved => ("已保存。", "Saved."),
            Done::Created => ("已登记。", "Recorded."),
            Done::ItemAdded => {
                ("藏品已保存为草稿，可继续添加下一件。", "The item is saved as a draft; add the next one below.")
            }
            Done::Uploaded => ("图像已上传。", "The image is uploaded."),
            Done::Published => ("已发布到公开网站。", "Published on the public site."),
            Done::Unpublished => ("已取消发布，公众不再可见。", "Unpublished: the public no longer sees it."),
            Done::Accessioned => ("已入藏。", "Accessioned."),
            Done::Deaccessioned => ("已注销；记录保留。", "Deaccessioned; the record is kept."),
            Done::Batched => ("批量修改已完成。", "The batch change is made."),
            Done::AddedToSet => ("已加入集合。", "Added to the set."),
            Done::Moved => ("已移动，移动记录已保存。", "Moved; the movement is recorded."),
        };
        Some(self.t(zh, en))
    }

    /// A moment in the museum's time zone.
    pub fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        labels::time(*at, self.tz, self.lang)
    }
}

/// A signed-in user on a workspace page: without a session, a redirect to sign in.
pub struct Workspace {
    pub session: Session,
    pub lang: Lang,
    /// The museum's time zone.
    pub tz: chrono_tz::Tz,
    /// The path and query of this page (for the language switch).
    pub here: String,
    /// Whether this user sees where objects are.
    pub sees_locations: bool,
}

impl Workspace {
    pub fn principal(&self) -> &Principal {
        &self.session.principal
    }

    pub fn viewer(&self) -> Viewer {
        Viewer::Staff(self.session.principal.clone())
    }

    pub fn desk(&self, title: impl Into<String>) -> Desk {
        Desk {
            lang: self.lang,
            title: title.into(),
            user: self.session.principal.name.clone(),
            role: self.session.principal.role,
            csrf: self.session.csrf.clone(),
            switch_href: super::pages::with_lang(&self.here, self.lang.other()),
            tz: self.tz,
            sees_locations: self.sees_locations,
            done: self.here.split_once('?').and_then(|(_, q)| {
                url::form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == "done")
                    .and_then(|(_, v)| Done::from_code(&v))
            }),
        }
    }

    /// 403 unless the user may edit records.
    pub fn editor(&self) -> Result<&Principal, Response> {
        if self.session.principal.role.can_edit() { Ok(&self.session.principal) } else { Err(self.refuse()) }
    }

    /// 403 unless the user is an admin.
    pub fn admin(&self) -> Result<&Principal, Response> {
        if self.session.principal.role == Role::Admin { Ok(&self.session.principal) } else { Err(self.refuse()) }
    }

    fn refuse(&self) -> Response {
        message_page(
            self,
            StatusCode::FORBIDDEN,
            self.desk("").t("无权操作", "Not allowed"),
            self.desk("").t("您的角色不能打开此页或做此操作。", "Your role may not open this page or do this."),
        )
    }

    /// A link to `path` in this page's language.
    pub fn link(&self, path: &str) -> String {
        super::pages::with_lang(path, self.lang)
    }
}

fn sign_in_redirect(parts: &Parts) -> Response {
    let here = parts.uri.path_and_query().map_or("/admin", |p| p.as_str());
    let next = url::form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>();
    Redirect::to(&format!("/login?next={next}")).into_response()
}

impl FromRequestParts<AppState> for Workspace {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let PageLang { lang, .. } = PageLang::from_request_parts(parts, state).await.unwrap_or_else(|e| match e {});
        let here = parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_string(), |p| p.as_str().to_string());
        match session_of(parts, state).await.map_err(IntoResponse::into_response)? {
            Some(session) => {
                let sees_locations = state.catalogue.sees_locations(&Viewer::Staff(session.principal.clone()));
                Ok(Workspace { session, lang, tz: state.catalogue.config.timezone, here, sees_locations })
            }
            None => Err(sign_in_redirect(parts)),
        }
    }
}

/// A submitted workspace form: the user, and the fields once the CSRF token checks out.
pub struct Submitted {
    pub ws: Workspace,
    pub fields: Fields,
}

impl FromRequest<AppState> for Submitted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let ws = Workspace::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(|e| {
            message_page(&ws, StatusCode::PAYLOAD_TOO_LARGE, "413", &format!("the form could not be read: {e}"))
        })?;
        let fields = Fields::parse(&bytes);
        if !same_secret(fields.get("csrf").unwrap_or(""), &ws.session.csrf) {
            return Err(csrf_refused(&ws));
        }
        Ok(Submitted { ws, fields })
    }
}

pub fn csrf_refused(ws: &Workspace) -> Response {
    let d = ws.desk("");
    message_page(
        ws,
        StatusCode::FORBIDDEN,
        d.t("表单已失效", "The form has expired"),
        d.t(
            "此表单缺少有效的安全令牌（可能已在别处登出）。请返回、刷新页面后再提交。",
            "This form did not carry a valid security token (perhaps you signed out elsewhere). Go back, reload the page and submit again.",
        ),
    )
}

#[derive(Template)]
#[template(path = "admin/message.html")]
struct MessagePage<'a> {
    d: Desk,
    message: &'a str,
}

/// A page that says one thing: a refusal, a failure, a confirmation.
pub fn message_page(ws: &Workspace, status: StatusCode, heading: &str, message: &str) -> Response {
    render(&MessagePage { d: ws.desk(heading), message }, status)
}

/// Renders a workspace page; never cached, never framed.
pub fn render(page: &impl Template, status: StatusCode) -> Response {
    match page.render() {
        Ok(html) => {
            let mut res = (status, Html(html)).into_response();
            let h = res.headers_mut();
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert("x-frame-options", HeaderValue::from_static("DENY"));
            h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
            res
        }
        Err(e) => super::pages::failed(e),
    }
}

/// What a form did, confirmed on the page it leads to (`?done=saved`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Saved,
    Created,
    ItemAdded,
    Uploaded,
    Published,
    Unpublished,
    Accessioned,
    Deaccessioned,
    Batched,
    AddedToSet,
    Moved,
}

impl Done {
    const ALL: [Done; 11] = [
        Done::Saved,
        Done::Created,
        Done::ItemAdded,
        Done::Uploaded,
        Done::Published,
        Done::Unpublished,
        Done::Accessioned,
        Done::Deaccessioned,
        Done::Batched,
        Done::AddedToSet,
        Done::Moved,
    ];

    fn code(self) -> &'static str {
        match self {
            Done::Saved => "saved",
            Done::Created => "created",
            Done::ItemAdded => "item_added",
            Done::Uploaded => "uploaded",
            Done::Published => "published",
            Done::Unpublished => "unpublished",
            Done::Accessioned => "accessioned",
            Done::Deaccessioned => "deaccessioned",
            Done::Batched => "batched",
            Done::AddedToSet => "added_to_set",
            Done::Moved => "moved",
        }
    }

    fn from_code(code: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// A 303 after a form that did `what`, to `path` (which may end in a `#fragment`) in this
/// page's language, where it is confirmed.
pub fn done(ws: &Workspace, path: &str, what: Done) -> Response {
    let (path, fragment) = path.split_once('#').map_or((path, None), |(p, f)| (p, Some(f)));
    let joined = if path.contains('?') {
        format!("{path}&done={}", what.code())
    } else {
        format!("{path}?done={}", what.code())
    };
    let mut to = ws.link(&joined);
    if let Some(f) = fragment {
        to = format!("{to}#{f}");
    }
    see_other(&to)
}

/// A 303 to `path` after a form was handled.
pub fn see_other(path: &str) -> Response {
    match HeaderValue::try_from(path) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        // Never a panic for a location no header can carry: the dashboard instead.
        Err(_) => Redirect::to("/admin").into_response(),
    }
}

/// Runs store work on the blocking pool; a store failure becomes a page.
pub async fn blocking<T: Send + 'static>(
    ws: &Workspace,
    f: impl FnOnce() -> crate::catalogue::Result<T> + Send + 'static,
) -> Result<T, Response> {
    crate::catalogue::blocking(f).await.map_err(|e| store_error_page(ws, e))
}

/// A creation through the catalogue: the record, or the problems its form shows again
/// (422); any other failure is a page.
pub async fn create<T: Send + 'static>(
    ws: &Workspace,
    f: impl FnOnce() -> crate::catalogue::Result<T> + Send + 'static,
) -> Result<Result<T, Vec<String>>, Response> {
    match crate::catalogue::blocking(f).await {
        Ok(r) => Ok(Ok(r)),
        Err(crate::catalogue::StoreError::Invalid(v)) => Ok(Err(v.lines())),
        Err(e) => Err(store_error_page(ws, e)),
    }
}

/// What a workspace edit came to.
pub enum Edited {
    /// Saved, or there was nothing to save.
    Done,
    /// Someone saved first: the form goes back with the differences (409).
    Stale,
    /// The result would be invalid: the form goes back with these problems (422).
    Invalid(Vec<String>),
}

/// The workspace's one edit-with-version flow, for objects, donors and donations: the version
/// the form was made from against the stored one, then only the fields the form changed,
/// through the catalogue's edit (`save`), which checks the version again as it writes.
pub async fn edit(
    ws: &Workspace,
    form_version: i64,
    stored_version: i64,
    change: serde_json::Map<String, serde_json::Value>,
    save: impl FnOnce(&serde_json::Map<String, serde_json::Value>) -> crate::catalogue::Result<()> + Send + 'static,
) -> Result<Edited, Response> {
    use crate::catalogue::StoreError;
    if form_version != stored_version {
        return Ok(Edited::Stale);
    }
    if change.is_empty() {
        return Ok(Edited::Done);
    }
    match crate::catalogue::blocking(move || save(&change)).await {
        Ok(()) => Ok(Edited::Done),
        Err(StoreError::Invalid(v)) => Ok(Edited::Invalid(v.lines())),
        Err(StoreError::Conflict { current_version: Some(_), .. }) => Ok(Edited::Stale),
        Err(e) => Err(store_error_page(ws, e)),
    }
}

/// The version a form was made from (`-1`, never current, when it has none).
pub fn version_of(f: &forms::Fields) -> i64 {
    f.get("version").and_then(|v| v.parse().ok()).unwrap_or(-1)
}

pub fn store_error_page(ws: &Workspace, e: crate::catalogue::StoreError) -> Response {
    use crate::catalogue::StoreError;
    let d = ws.desk("");
    if let Some(problem) = crate::web::error::storage_problem(&e) {
        return message_page(
            ws,
            crate::web::error::storage_status(problem),
            d.t("无法保存", "Not saved"),
            problem.message(),
        );
    }
    match e {
        StoreError::NotFound { entity, key } => {
            let what =
                crate::web::labels::entity(&entity.replace(' ', "_")).map_or(entity, |l| l.get(ws.lang)).to_string();
            let what = if ws.lang == Lang::En { what.to_lowercase() } else { what };
            message_page(
                ws,
                StatusCode::NOT_FOUND,
                d.t("找不到记录", "Not found"),
                &format!("{} {what} {key}", d.t("没有此记录：", "There is no")),
            )
        }
        StoreError::Forbidden(why) => message_page(
            ws,
            StatusCode::FORBIDDEN,
            d.t("无权查看", "Not allowed"),
            d.t("存放位置只对保管人员显示；如需查看，请管理员允许研究人员查看存放位置。", &why),
        ),
        StoreError::Invalid(v) => {
            message_page(ws, StatusCode::UNPROCESSABLE_ENTITY, d.t("无法保存", "Not saved"), &v.to_string())
        }
        StoreError::Conflict { message, .. } => {
            message_page(ws, StatusCode::CONFLICT, d.t("无法保存", "Not saved"), &message)
        }
        other => super::pages::failed(other),
    }
}

pub fn parse_id(ws: &Workspace, raw: &str) -> Result<i64, Response> {
    raw.parse().map_err(|_| {
        message_page(ws, StatusCode::NOT_FOUND, ws.desk("").t("找不到记录", "Not found"), "ids are numbers")
    })
}
