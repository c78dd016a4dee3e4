//! The public web pages, read as a visitor's browser would get them and
//! checked with CSS selectors: both languages, facets, object pages, and that
//! nothing unpublished or private ever shows.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::images::{read_fixture, upload};

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
    d
}

fn assert_no_sentinel(page: &Page, what: &str) {
    for s in ["SENTINEL", "sentinel-donor", "987654", "不愿具名者"] {
        assert!(!page.text.contains(s), "{what} shows `{s}`");
    }
}

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

#[tokio::test]
async fn search_results_have_facets_that_combine_and_come_off() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let page = visit(&app, "/search?q=%E6%9D%8E%E6%9B%B8%E5%9F%8E", &[]).await; // 李書城, Traditional
    assert_eq!(page.status, StatusCode::OK);
    let links = page.attr("ol.hits h3 a", "href");
    assert!(links.iter().any(|h| h.starts_with("/objects/2023.15.2")), "{links:?}");
    assert!(page.one(".total").parse::<u64>().unwrap() >= 2);
    assert!(!page.all("ol.hits .snippet mark").is_empty(), "matches are highlighted");
    let facet_groups = page.all(".facet h3");
    assert!(facet_groups.contains(&"类别".to_string()), "{facet_groups:?}");
    let donations = page.all("section.facet[aria-labelledby=facet-donation] a");
    assert!(donations.iter().all(|d| d.contains("捐赠")), "donations by their occasion, not their id: {donations:?}");
    let has_image = page.all("section.facet[aria-labelledby=facet-has_image] a");
    assert_eq!(has_image, vec!["无"], "the seed items have no scans yet");

    // Browse everything, then narrow by a category and by having an image.
    let all = visit(&app, "/search?lang=en", &[]).await;
    let total: u64 = all.one(".total").parse().unwrap();
    assert!(total >= 300, "{total}");
    assert!(!all.all("nav.pagination a[rel=next]").is_empty(), "results come in pages");
    let category = all.attr("section.facet[aria-labelledby=facet-category] a", "href")[0].clone();
    let narrowed = visit(&app, &category, &[]).await;
    let n1: u64 = narrowed.one(".total").parse().unwrap();
    assert!(n1 < total && n1 > 0);
    assert_eq!(narrowed.all(".active a.chip").len(), 1);
    let with_image = narrowed
        .attr("section.facet[aria-labelledby=facet-has_image] a", "href")
        .into_iter()
        .find(|h| h.contains("has_image%3Ayes"));
    if let Some(href) = with_image {
        let both = visit(&app, &href, &[]).await;
        assert_eq!(both.all(".active a.chip").len(), 2, "filters combine");
        assert!(both.one(".total").parse::<u64>().unwrap() <= n1);
    }
    // Removing the filter gives everything back.
    let removed = visit(&app, &narrowed.attr(".active a.chip", "href")[0], &[]).await;
    assert_eq!(removed.one(".total").parse::<u64>().unwrap(), total);
    // Sort and page stay in the URL.
    let sorted = visit(&app, "/search?sort=date&page=2&lang=en", &[]).await;
    assert_eq!(sorted.attr("select#sort option[selected]", "value"), vec!["date"]);
    assert_eq!(sorted.one("nav.pagination [aria-current=page]"), "2");
}

#[tokio::test]
async fn no_results_says_so_with_hints_and_bad_requests_are_400_pages() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let page = visit(&app, "/search?q=%E6%97%A0%E6%AD%A4%E8%97%8F%E5%93%81%E4%B9%A6%E5%9F%8E", &[]).await; // 无此藏品书城
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.one(".total"), "0");
    assert!(page.one(".empty").contains("没有找到"));
    let other = page.all("a.other-script");
    assert!(other.iter().any(|o| o.contains("書城")), "the query in Traditional characters: {other:?}");
    let bad = visit(&app, "/search?filter=secret:1", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.one("main p").contains("secret"));
    let missing = visit(&app, "/no/such/page", &[("Accept-Language", "en")]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.one("h1"), "Not found");
}

#[tokio::test]
async fn an_object_page_shows_every_public_field_and_nothing_private() {
    let app = TestApp::spawn().await;
    let donation = sentinel_records(&app).await;
    let page = visit(&app, "/objects/2024.3.1", &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.one("h1"), "青花瓷盘");
    let labels = page.all("section.fields dt");
    assert!(labels.contains(&"总登记号".to_string()) && labels.contains(&"尺寸".to_string()), "{labels:?}");
    let dims = page.all("section.fields dd li");
    assert!(dims.iter().any(|d| d.contains("高") && d.contains("4.5")), "{dims:?}");
    assert!(page.text.contains("高4.5厘米，口径23厘米"), "as written too");
    let credit = page.one("section[aria-labelledby=acq-h] dd[lang=zh]");
    assert!(credit.contains("王守仁"), "the consenting donor is credited: {credit}");
    assert!(page.one(".cite .citation").contains("2024.3.1"));
    assert_no_sentinel(&page, "the object page");
    // JSON-LD is valid and public.
    let ld: Value = serde_json::from_str(&page.one("script[type=\"application/ld+json\"]")).unwrap();
    assert_eq!(ld["@type"], "VisualArtwork");
    assert_eq!(ld["identifier"], "2024.3.1");
    // Linked Art of the same object.
    let res = app.get("/objects/2024.3.1.jsonld").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/ld+json"));
    let la: Value = res.json().await.unwrap();
    assert_eq!(la["type"], "HumanMadeObject");
    assert_eq!(la["@context"], "https://linked.art/ns/v1/linked-art.json");
    let ids: Vec<&str> = la["identified_by"].as_array().unwrap().iter().filter_map(|i| i["content"].as_str()).collect();
    assert!(ids.contains(&"2024.3.1") && ids.contains(&"青花瓷盘"), "{ids:?}");
    let height =
        la["dimension"].as_array().unwrap().iter().find(|d| d["classified_as"][0]["_label"] == "height").unwrap();
    assert_eq!(
        (height["value"].as_f64(), height["classified_as"][0]["id"].as_str()),
        (Some(45.0), Some("http://vocab.getty.edu/aat/300055644"))
    );
    let acquisition = &la["changed_ownership_through"][0]["part"][0];
    assert_eq!(acquisition["type"], "Acquisition");
    let from: Vec<&str> = acquisition["transferred_title_from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["_label"].as_str().unwrap())
        .collect();
    assert_eq!(from, ["王守仁", "anonymous donor"]);
    assert!(!la.to_string().contains("SENTINEL") && !la.to_string().contains("不愿具名者"), "{la}");
    assert_eq!(app.get("/objects/2024.3.2.jsonld").send().await.unwrap().status(), StatusCode::NOT_FOUND);
    // In English the title is English.
    let en = visit(&app, "/objects/2024.3.1?lang=en", &[]).await;
    assert_eq!(en.one("h1"), "Blue-and-white dish");
    assert_eq!(en.attr("h1", "lang"), vec!["en"]);
    // Unpublished: a 404 like any missing page, in HTML, JSON-LD, sitemap and suggestions alike.
    let draft = visit(&app, "/objects/2024.3.2", &[]).await;
    assert_eq!(draft.status, StatusCode::NOT_FOUND);
    assert_no_sentinel(&draft, "the 404 page");
    let donation_page = visit(&app, &format!("/donations/{donation}"), &[]).await;
    assert_eq!(donation_page.status, StatusCode::OK);
    let items = donation_page.attr("ul.cards a", "href");
    assert_eq!(items.len(), 1, "only the published item: {items:?}");
    let donors = donation_page.all("dd ul li");
    assert!(donors.contains(&"王守仁".to_string()) && donors.contains(&"匿名捐赠".to_string()), "{donors:?}");
    assert_no_sentinel(&donation_page, "the donation page");
    let acknowledgements = visit(&app, "/donors", &[]).await;
    assert_eq!(acknowledgements.all("ul.donors > li h2"), vec!["王守仁"]);
    assert_no_sentinel(&acknowledgements, "the donors page");
    let sitemap = app.get("/sitemap.xml").send().await.unwrap().text().await.unwrap();
    assert!(sitemap.contains("/objects/2024.3.1?lang=zh"));
    assert!(!sitemap.contains("2024.3.2"), "no unpublished object in the sitemap");
    let suggest: Value = app.get("/api/v1/suggest?q=未公开").send().await.unwrap().json().await.unwrap();
    assert_eq!(suggest["suggestions"], json!([]));
    let robots = app.get("/robots.txt").send().await.unwrap().text().await.unwrap();
    assert!(robots.contains(&format!("Sitemap: {}/sitemap.xml", app.base)));
}

#[tokio::test]
async fn a_donation_with_nothing_published_is_not_found() {
    let app = TestApp::spawn().await;
    let (_, donation) = app.seed_donation().await;
    app.create("/api/v1/artefacts", json!({"donation_id": donation, "title": {"zh": "待编目"}, "status": "draft"}))
        .await;
    let page = visit(&app, &format!("/donations/{donation}"), &[]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let donors = visit(&app, "/donors", &[]).await;
    assert!(donors.all("ul.donors > li").is_empty(), "no donor is listed for an unpublished gift");
}

#[tokio::test]
async fn object_images_feed_the_viewer_and_internal_ones_stay_hidden() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2024.1.1", "title": {"zh": "扇面"}, "status": "published"}),
    )
    .await;
    let (_, public) =
        upload(&app, Some(&app.curator), "2024.1.1", "f.jpg", read_fixture("hopper.jpg"), &[("caption_zh", "正面")])
            .await;
    let (_, deed) = upload(
        &app,
        Some(&app.curator),
        "2024.1.1",
        "d.png",
        read_fixture("iiif-validator.png"),
        &[("role", "document")],
    )
    .await;
    let page = visit(&app, "/objects/2024.1.1", &[]).await;
    let tiles: Vec<String> = serde_json::from_str(&page.attr("#viewer", "data-tiles")[0]).unwrap();
    let public_id = public["image"]["id"].as_str().unwrap();
    assert_eq!(tiles, vec![format!("{}/iiif/3/{public_id}/info.json", app.base)]);
    assert!(!page.text.contains(deed["image"]["id"].as_str().unwrap()), "the internal deed's id is nowhere");
    assert_eq!(page.attr(".image-list img", "alt"), vec!["扇面: 正面"]);
    assert!(page.attr("meta[property=\"og:image\"]", "content")[0].contains(public_id));
    let manifest_link = page.attr("p.iiif a[type=\"application/ld+json\"]", "href")[0].clone();
    let manifest: Value = reqwest::get(&manifest_link).await.unwrap().json().await.unwrap();
    assert_eq!(manifest["type"], "Manifest");
    // An object with no scans says so.
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2024.1.2", "title": {"zh": "书法"}, "status": "published"}),
    )
    .await;
    let bare = visit(&app, "/objects/2024.1.2", &[]).await;
    assert!(bare.all("#viewer").is_empty());
    assert_eq!(bare.one("section.images p.muted"), "本件尚无扫描图像。");
}

#[tokio::test]
async fn static_files_and_the_vendored_viewers_are_served() {
    let app = TestApp::spawn().await;
    for (path, ct) in [
        ("/static/site.css", "text/css"),
        ("/static/vendor/openseadragon/openseadragon.min.js", "javascript"),
        ("/static/vendor/mirador/mirador.min.js", "javascript"),
        ("/static/mirador.html", "text/html"),
    ] {
        let res = app.get(path).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(res.headers()["content-type"].to_str().unwrap().contains(ct), "{path}");
    }
    assert_eq!(app.get("/static/../Cargo.toml").send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/static/nope.js").send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reproduction_says_so_and_an_anonymous_gift_is_credited_anonymously() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "1950.1.1", "title": {"zh": "毛主席走遍全国"}, "status": "published"}),
    )
    .await;
    let shy = app.create("/api/v1/parties", json!({"name": {"zh": "某先生"}, "naming_consent": false})).await;
    let donation = app
        .create(
            "/api/v1/donations",
            json!({"number": 1, "year": 2024, "donor_ids": [shy["id"]], "occasion": {"zh": "捐赠"}}),
        )
        .await;
    app.create(
        "/api/v1/artefacts",
        json!({"donation_id": donation["id"], "accession_number": "2024.1.1", "title": {"zh": "复制件"}, "status": "published",
               "reproduction": {"note": "按原件尺寸1:1印制", "original": "李琦《毛主席走遍全国》", "original_accession": "1950.1.1"}}),
    )
    .await;
    let page = visit(&app, "/objects/2024.1.1?lang=en", &[]).await;
    let notice = page.one("p.notice[role=note]");
    assert!(notice.contains("reproduction") && notice.contains("1:1"), "{notice}");
    assert_eq!(page.attr("p.notice a", "href"), vec!["/objects/1950.1.1?lang=en"]);
    assert_eq!(page.one("section[aria-labelledby=acq-h] dd[lang=zh]"), "匿名捐赠");
    assert!(!page.text.contains("某先生"), "the donor who did not consent is not named");
    // An original that is not published is not linked.
    let a = app.read("/api/v1/artefacts/1950.1.1").await;
    let res = app
        .patch_json("/api/v1/artefacts/1950.1.1", &app.curator, &json!({"version": a["version"], "status": "internal"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = visit(&app, "/objects/2024.1.1", &[]).await;
    assert!(page.attr("p.notice a", "href").is_empty());
    assert!(page.one("p.notice").contains("复制品"));
}
