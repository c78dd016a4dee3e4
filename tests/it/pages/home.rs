//! `/`: the home page.

use reqwest::StatusCode;

use super::visit;
use crate::helpers::TestApp;

#[tokio::test]
async fn the_home_page_speaks_chinese_by_default_and_english_on_request() {
    let app = TestApp::spawn().await;
    let zh = visit(&app, "/", &[]).await;
    assert_eq!(zh.status, StatusCode::OK);
    assert_eq!(zh.attr("html", "lang"), vec!["zh-Hans"]);
    assert_eq!(zh.one("h1"), "馆藏检索");
    assert_eq!(zh.one("form.search label"), "检索藏品");
    assert_eq!(zh.attr("form.search input#q", "name"), vec!["q"], "the search box is labelled and named");
    let by_header = visit(&app, "/", &[("Accept-Language", "en-GB,en;q=0.9")]).await;
    assert_eq!(by_header.attr("html", "lang"), vec!["en"]);
    assert_eq!(by_header.one("h1"), "Collection search");
    // The toggle leads to the other language, in the URL, and the choice is remembered.
    let toggle = zh.attr("a.lang", "href")[0].clone();
    assert!(toggle.contains("lang=en"), "{toggle}");
    let en = visit(&app, &toggle, &[]).await;
    assert_eq!(en.attr("html", "lang"), vec!["en"]);
    let cookie = en.headers["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("lang=en") && cookie.contains("Path=/"), "{cookie}");
    let remembered = visit(&app, "/", &[("Cookie", "lang=en")]).await;
    assert_eq!(remembered.one("h1"), "Collection search");
    // Shareable: canonical and alternates carry the language.
    assert!(en.attr("link[rel=canonical]", "href")[0].ends_with("/?lang=en"));
    assert_eq!(en.attr("link[rel=alternate]", "hreflang"), vec!["zh-Hans", "en"]);
}
