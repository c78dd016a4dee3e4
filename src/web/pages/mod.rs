//! The public site: server-rendered pages (askama templates in
//! `assets/templates/`) that work without JavaScript, in Chinese and English.
//! Every page reads through the public view types, so an unpublished record is
//! a 404 and a private field has no way onto a page.

mod browse;
mod donations;
mod donors;
mod home;
pub mod i18n;
mod object;
mod people;
mod related;
mod search;
mod seo;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rust_embed::Embed;

use crate::web::AppState;
use i18n::{Lang, PageLang, Text};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/search", get(search::page))
        .route("/search.csv", get(search::csv))
        .route("/objects/{accession}", get(object::page))
        .route("/donations/{id}", get(donations::donation))
        .route("/donors", get(donors::donors))
        .route("/donors/{id}", get(people::donor))
        .route("/makers/{name}", get(people::maker))
        .route("/browse", get(browse::index))
        .route("/browse/{facet}", get(browse::facet))
        .route("/sitemap.xml", get(seo::sitemap))
        .route("/robots.txt", get(seo::robots))
        .route("/static/{*path}", get(static_file))
        .route("/favicon.ico", get(favicon))
}

/// What every page's frame needs: language, titles and links for sharing.
pub struct Chrome {
    pub lang: &'static str,
    pub html_lang: &'static str,
    pub other_lang: &'static str,
    pub t: &'static Text,
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub alternate_zh: String,
    pub alternate_en: String,
    pub switch_href: String,
    pub og_type: &'static str,
    pub og_image: Option<String>,
    /// schema.org JSON-LD, already serialised (and safe inside a script element).
    pub json_ld: Option<String>,
}

impl Chrome {
    /// The frame of the page at `path_and_query` (without `lang`), titled `title`.
    pub fn new(lang: Lang, base: &str, path_and_query: &str, title: String, description: String) -> Chrome {
        let t = lang.text();
        let with = |l: Lang| with_lang(path_and_query, l);
        Chrome {
            lang: lang.code(),
            html_lang: lang.html(),
            other_lang: lang.other().code(),
            t,
            title: if title.is_empty() { t.site_name.to_string() } else { format!("{title} · {}", t.site_name) },
            description,
            canonical: format!("{base}{}", with(lang)),
            alternate_zh: format!("{base}{}", with(Lang::Zh)),
            alternate_en: format!("{base}{}", with(Lang::En)),
            switch_href: with(lang.other()),
            og_type: "website",
            og_image: None,
            json_ld: None,
        }
    }
}

/// `path` with `lang=` set to `lang` (replacing any there).
pub fn with_lang(path: &str, lang: Lang) -> String {
    let (p, q) = path.split_once('?').unwrap_or((path, ""));
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
        if k != "lang" {
            ser.append_pair(&k, &v);
        }
    }
    ser.append_pair("lang", lang.code());
    format!("{p}?{}", ser.finish())
}

/// A date as a page in `lang` shows it: as written on Chinese pages; on English pages
/// in English where the catalogue can say it (`约1923年` → `c. 1923`), else as written.
pub fn date_text(text: &str, lang: Lang, vocab: &crate::model::vocab::Vocabularies) -> String {
    match lang {
        Lang::Zh => text.to_string(),
        Lang::En => crate::model::english::date(&crate::model::date::HistoricalDate::parse(text, vocab), vocab)
            .unwrap_or_else(|| text.to_string()),
    }
}

/// Percent-encodes one path segment.
pub fn segment(s: &str) -> String {
    crate::model::text::urlencode(s)
}

/// Renders a page; remembers a language chosen in the URL in a cookie.
pub fn render(page: &impl Template, lang: &PageLang, status: StatusCode) -> Response {
    match page.render() {
        Ok(html) => {
            let mut res = (status, Html(html)).into_response();
            if lang.chosen {
                let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.lang.code());
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    res.headers_mut().insert(header::SET_COOKIE, v);
                }
            }
            res.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
            res
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be made; it has been logged").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    heading: &'static str,
    message: String,
}

/// The page for a missing (or unpublished: the same to a visitor) page or record.
pub fn not_found(lang: &PageLang, base: &str) -> Response {
    let t = lang.lang.text();
    let c = Chrome::new(lang.lang, base, "/", t.not_found_title.into(), t.not_found_text.into());
    render(&ErrorPage { c, heading: t.not_found_title, message: t.not_found_text.into() }, lang, StatusCode::NOT_FOUND)
}

/// A page for a request the site cannot answer, saying what to change.
pub fn bad_request(lang: &PageLang, base: &str, message: String) -> Response {
    let t = lang.lang.text();
    let c = Chrome::new(lang.lang, base, "/search", t.bad_request_title.into(), message.clone());
    render(&ErrorPage { c, heading: t.bad_request_title, message }, lang, StatusCode::BAD_REQUEST)
}

/// The page for any other request the site cannot answer, with its status.
pub fn problem(lang: &PageLang, base: &str, status: StatusCode, message: String) -> Response {
    let t = lang.lang.text();
    let c = Chrome::new(lang.lang, base, "/", t.request_problem_title.into(), message.clone());
    render(&ErrorPage { c, heading: t.request_problem_title, message }, lang, status)
}

/// Something went wrong on our side: logged, and a plain page.
pub fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "page failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html("<!doctype html><title>Error</title><p>Something went wrong on our side; it has been logged.</p>"),
    )
        .into_response()
}

/// Runs store work on the blocking pool; a failure becomes the error page.
pub async fn blocking<T: Send + 'static, E: std::fmt::Display + Send + 'static>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, Response> {
    crate::catalogue::blocking(move || f().map_err(|e| anyhow::anyhow!("{e}"))).await.map_err(failed)
}

pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    crate::web::iiif::base_url(state, headers)
}

#[derive(Embed)]
#[folder = "assets/static/"]
struct Static;

/// The site's icon, where browsers look for it.
async fn favicon(state: State<AppState>, lang: PageLang, headers: HeaderMap) -> Response {
    static_file(state, lang, headers, Path("favicon.ico".to_string())).await
}

async fn static_file(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(path): Path<String>,
) -> Response {
    match Static::get(&path) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            let cache = if path.starts_with("vendor/") { "public, max-age=604800" } else { "public, max-age=3600" };
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_str(mime.as_ref())
                            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
                ],
                file.data.into_owned(),
            )
                .into_response()
        }
        None => not_found(&lang, &base_url(&state, &headers)),
    }
}
