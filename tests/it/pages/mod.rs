//! The public web pages, read as a visitor's browser would get them and
//! checked with CSS selectors: both languages, facets, object pages, and that
//! nothing unpublished or private ever shows. One file per page, as the site's URLs go.

mod assets;
mod browse;
mod donations;
mod home;
mod locations;
mod object;
mod people;
mod search;

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::json;

use crate::helpers::TestApp;

struct Page {
    status: StatusCode,
    html: Html,
    text: String,
    headers: reqwest::header::HeaderMap,
}

impl Page {
    fn all(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.html.select(&sel).map(|e| e.text().collect::<String>().trim().to_string()).collect()
    }
    fn one(&self, css: &str) -> String {
        self.all(css).into_iter().next().unwrap_or_else(|| panic!("no `{css}` in the page"))
    }
    fn attr(&self, css: &str, name: &str) -> Vec<String> {
        let sel = Selector::parse(css).unwrap();
        self.html.select(&sel).filter_map(|e| e.value().attr(name).map(String::from)).collect()
    }
}

async fn visit(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut req = app.get(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    Page { status, html: Html::parse_document(&text), text, headers }
}

/// A published artefact and an unpublished one, each carrying private sentinel values.
async fn sentinel_records(app: &TestApp) -> i64 {
    let donor = app
        .create(
            "/api/v1/parties",
            json!({"name": {"zh": "王守仁"}, "naming_consent": true,
                   "contact": {"email": "sentinel-donor@example.org", "phone": "SENTINEL-PHONE-5521"},
                   "internal_notes": "SENTINEL-PARTY-NOTE"}),
        )
        .await;
    let shy = app.create("/api/v1/parties", json!({"name": {"zh": "不愿具名者"}, "naming_consent": false})).await;
    let donation = app
        .create(
            "/api/v1/donations",
            json!({"number": 3, "year": 2024, "donor_ids": [donor["id"], shy["id"]], "occasion": {"zh": "春季捐赠", "en": "Spring donation"},
                   "internal_notes": "SENTINEL-DONATION-NOTE"}),
        )
        .await;
    let d = donation["id"].as_i64().unwrap();
    app.create(
        "/api/v1/artefacts",
        json!({"donation_id": d, "accession_number": "2024.3.1", "title": {"zh": "青花瓷盘", "en": "Blue-and-white dish"},
               "status": "published", "dimensions": "高4.5厘米，口径23厘米", "category": "瓷器",
               "private": {"storage_location": "SENTINEL-SHELF-9", "valuation": {"amount": 987654, "currency": "CNY"},
                           "internal_notes": "SENTINEL-ART-NOTE"}}),
    )
    .await;
    app.create(
        "/api/v1/artefacts",
        json!({"donation_id": d, "accession_number": "2024.3.2", "title": {"zh": "未公开的卷轴 SENTINEL-DRAFT"}, "status": "draft"}),
    )
    .await;
    // Where the published one is kept: never public.
    app.create(
        "/api/v1/locations",
        json!({"code": "SENTINEL-LOC-7", "name": {"zh": "哨兵库房 SENTINEL", "en": "SENTINEL store"}}),
    )
    .await;
    app.create(
        "/api/v1/artefacts/2024.3.1/movements",
        json!({"to": "SENTINEL-LOC-7", "reason": "storage", "note": "SENTINEL-MOVE-NOTE"}),
    )
    .await;
    d
}

fn assert_no_sentinel(page: &Page, what: &str) {
    for s in ["SENTINEL", "sentinel-donor", "987654", "不愿具名者"] {
        assert!(!page.text.contains(s), "{what} shows `{s}`");
    }
}
