//! `/`: the home page, with the donations the public may see.

use super::donations::{DonationLink, link, public_donations};
use super::i18n::PageLang;
use super::{Chrome, base_url, blocking, render};
use crate::web::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    q: String,
    donations: Vec<DonationLink>,
}

pub async fn home(State(state): State<AppState>, lang: PageLang, headers: HeaderMap) -> Response {
    let base = base_url(&state, &headers);
    let l = lang.lang;
    let st = state.clone();
    let donations = match blocking(move || public_donations(&st, l)).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let t = l.text();
    let c = Chrome::new(l, &base, "/", String::new(), t.site_description.into());
    let donations = donations.into_iter().map(|(d, _)| link(&d, Vec::new(), l)).collect();
    render(&HomePage { c, q: String::new(), donations }, &lang, StatusCode::OK)
}
