//! `sitemap.xml` (published objects and public donations only) and `robots.txt`.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::donations::public_donations;
use super::i18n::Lang;
use super::{base_url, blocking, segment};
use crate::catalogue::{ArtefactFilter, PageRequest, StoreError};
use crate::model::artefact::PublicationStatus;
use crate::web::AppState;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let st = state.clone();
    let paths = blocking(move || -> Result<Vec<String>, StoreError> {
        let mut paths = vec!["/".to_string(), "/donors".to_string()];
        let mut page = PageRequest { page: 1, per_page: 200 };
        loop {
            let filter = ArtefactFilter {
                status: Some(PublicationStatus::Published),
                include_deaccessioned: false,
                page,
                ..Default::default()
            };
            let found = st.catalogue.artefacts(&filter)?;
            let n = found.items.len();
            paths.extend(
                found.items.iter().map(|a| format!("/objects/{}", segment(a.record.accession_number.as_str()))),
            );
            // One sitemap holds at most 50,000 addresses.
            if n < page.per_page as usize || paths.len() >= 49_000 {
                break;
            }
            page.page += 1;
        }
        paths.extend(public_donations(&st, Lang::Zh)?.into_iter().map(|(d, _)| format!("/donations/{}", d.id)));
        Ok(paths)
    })
    .await;
    let paths = match paths {
        Ok(p) => p,
        Err(r) => return r,
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for p in paths {
        let sep = if p.contains('?') { '&' } else { '?' };
        let zh = xml_escape(&format!("{base}{p}{sep}lang=zh"));
        let en = xml_escape(&format!("{base}{p}{sep}lang=en"));
        xml.push_str(&format!(
            "<url><loc>{zh}</loc><xhtml:link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"{zh}\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{en}\"/></url>\n"
        ));
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"))], xml).into_response()
}

pub async fn robots(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /admin\nDisallow: /search\n\nSitemap: {base}/sitemap.xml\n"
    );
    (StatusCode::OK, [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], body)
        .into_response()
}
