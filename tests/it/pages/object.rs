//! `/objects/{accession}`: an object's page, its images and its credit.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{assert_no_sentinel, sentinel_records, visit};
use crate::helpers::TestApp;
use crate::helpers::images::{read_fixture, upload};

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
    // Nor does the public index or an anonymous answer know where it is kept.
    app.settled().await;
    assert!(app.found("SENTINEL-LOC-7", None).await.is_empty(), "the public index holds no location");
    let anonymous = app.get("/api/v1/artefacts/2024.3.1").send().await.unwrap().text().await.unwrap();
    assert!(!anonymous.contains("SENTINEL"), "{anonymous}");
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
    assert_eq!(page.one("section[aria-labelledby=acq-h] dd[lang=en]"), "Anonymous gift", "in the page's language");
    assert!(!page.text.contains("某先生"), "the donor who did not consent is not named");
    // Each leads to the other among the related objects.
    app.settled().await;
    let page = visit(&app, "/objects/2024.1.1?lang=en", &[]).await;
    let rows = page.all("section.related h3");
    assert_eq!(rows[0], "The original", "{rows:?}");
    assert_eq!(page.attr("section.related-row:nth-of-type(1) ul.tiles a", "href"), ["/objects/1950.1.1?lang=en"]);
    let original = visit(&app, "/objects/1950.1.1", &[]).await;
    assert_eq!(original.all("section.related h3")[0], "本件的复制品");
    assert_eq!(original.attr("section.related-row:nth-of-type(1) ul.tiles a", "href"), ["/objects/2024.1.1?lang=zh"]);
    // An original that is not published is not linked.
    let a = app.read("/api/v1/artefacts/1950.1.1").await;
    let res = app
        .patch_json("/api/v1/artefacts/1950.1.1", &app.curator, &json!({"version": a["version"], "status": "internal"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = visit(&app, "/objects/2024.1.1", &[]).await;
    assert!(page.attr("p.notice a", "href").is_empty());
    assert!(page.one("p.notice").contains("复制品"));
    app.settled().await;
    let page = visit(&app, "/objects/2024.1.1", &[]).await;
    assert!(!page.all("section.related h3").contains(&"原件".to_string()), "nor shown among the related");
}

#[tokio::test]
async fn an_english_object_page_says_in_english_what_the_catalogue_can() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let zh = visit(&app, "/objects/2023.15.2", &[]).await;
    let field = |page: &super::Page, label: &str| -> String {
        let labels = page.all("section.fields dt");
        let values = page.all("section.fields dd");
        let i = labels.iter().position(|l| l == label).unwrap_or_else(|| panic!("no {label} in {labels:?}"));
        values[i].clone()
    };
    assert_eq!(field(&zh, "具体年代"), "约1923年", "the Chinese page as written");
    assert_eq!(field(&zh, "数量"), "1 件");
    let en = visit(&app, "/objects/2023.15.2?lang=en", &[]).await;
    assert_eq!(field(&en, "Date"), "c. 1923");
    assert_eq!(field(&en, "Quantity"), "1 item");
    assert_eq!(field(&en, "Maker"), "Li Shu 黎澍 (calligrapher)", "the name with its pinyin, the role in English");
    assert_eq!(en.one("section[aria-labelledby=acq-h] dd[lang=en]"), "Gift of Li Zhenya");
    let citation = en.one(".cite .citation");
    assert!(citation.starts_with("Li Shu 黎澍. ") && citation.contains(". c. 1923. "), "{citation}");
    assert!(zh.one(".cite .citation").contains("约1923年"));
    // A Chinese value the catalogue cannot say in English stays as written, marked Chinese.
    let position = en.all("[lang=zh]");
    assert!(position.iter().any(|p| p == "上款" || p.contains("晓缘仁兄")), "{position:?}");
}

/// A JPEG of `w` × `h` pixels.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn an_image_downloads_as_large_as_its_rights_allow_with_the_statement_in_words() {
    let app = TestApp::spawn().await;
    for (acc, rights) in [("2024.2.1", Some("CC0")), ("2024.2.2", None), ("2024.2.3", Some("版权所有，翻印必究"))]
    {
        let mut body =
            json!({"accession_number": acc, "title": {"zh": "扇面", "en": "Fan leaf"}, "status": "published"});
        if let Some(r) = rights {
            body["rights"] = json!(r);
        }
        app.create("/api/v1/artefacts", body).await;
        upload(&app, Some(&app.curator), acc, "big.jpg", jpeg(2000, 1000), &[]).await;
    }
    // Free to reuse: the full image, and the licence in words with its URI.
    let open = visit(&app, "/objects/2024.2.1?lang=en", &[]).await;
    let href = open.attr("a.download", "href");
    assert!(href[0].ends_with("/full/max/0/default.jpg"), "{href:?}");
    assert_eq!(open.one("a.download"), "Download image (2000 × 1000 px)");
    assert_eq!(
        open.attr(".image-rights a[rel=license]", "href"),
        ["http://creativecommons.org/publicdomain/zero/1.0/"]
    );
    assert_eq!(open.one(".image-rights a[rel=license]"), "CC0 1.0 Public Domain Dedication");
    let full = app.get(&href[0]).send().await.unwrap();
    assert_eq!(full.status(), StatusCode::OK);
    let got = image::load_from_memory(&full.bytes().await.unwrap()).unwrap();
    assert_eq!((got.width(), got.height()), (2000, 1000), "the download is the size it says");
    // Nothing said: not evaluated, and a smaller size; the museum's own words are kept as written.
    for (acc, words) in [("2024.2.2", "版权未评估"), ("2024.2.3", "版权所有，翻印必究")] {
        let page = visit(&app, &format!("/objects/{acc}"), &[]).await;
        assert_eq!(page.one("a.download"), "下载图像（1200 × 600 像素，依其权利状况提供较小尺寸）");
        assert!(page.one(".image-rights").contains(words), "{}", page.one(".image-rights"));
        let small = app.get(&page.attr("a.download", "href")[0]).send().await.unwrap();
        let got = image::load_from_memory(&small.bytes().await.unwrap()).unwrap();
        assert_eq!((got.width(), got.height()), (1200, 600));
    }
    let own = visit(&app, "/objects/2024.2.3", &[]).await;
    assert!(own.attr(".image-rights a", "href").is_empty(), "the museum's own words are no standard statement");
}

#[tokio::test]
async fn an_object_page_offers_related_objects_and_a_citation_to_copy_in_chinese_punctuation() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let page = visit(&app, "/objects/2023.15.2", &[]).await;
    let rows = page.all("section.related h3");
    assert_eq!(
        rows,
        ["本次捐赠的其他藏品", "同类藏品（书法、绘画）"],
        "the maker's row is left out: this is their only object"
    );
    let donation_row = page.attr("section.related-row:nth-of-type(1) ul.tiles a", "href");
    assert_eq!(donation_row, ["/objects/2023.15.1?lang=zh"], "the other object of the donation, not this one");
    let like = page.attr("section.related-row:nth-of-type(2) ul.tiles a", "href");
    assert!(!like.is_empty() && like.len() <= 6 && !like.iter().any(|h| h.contains("2023.15.2")), "{like:?}");
    let see_all = page.attr("section.related .see-all a", "href");
    let all = visit(&app, &see_all[1], &[]).await;
    assert!(all.one(".total").parse::<u64>().unwrap() > like.len() as u64 - 1);
    // Chinese punctuation in Chinese: the nested title marks, the maker's role, the access date.
    let citation = page.one("#citation");
    assert!(citation.contains("《黎澍书陆游〈村饮〉诗》"), "{citation}");
    assert!(citation.contains("（访问日期 "), "{citation}");
    assert_eq!(page.attr("button.copy", "data-copy"), ["citation"], "a copy button, shown by the script");
    let maker = page.one("a.maker");
    assert_eq!(maker, "黎澍（书写者）");
    for text in page.all("main dt, main dd, main h1, main h2, main h3, main p, main a") {
        let chars: Vec<char> = text.chars().collect();
        for w in chars.windows(2) {
            let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
            assert!(!(cjk(w[0]) && matches!(w[1], ':' | '(' | ',')), "half-width `{}{}` in `{text}`", w[0], w[1]);
        }
    }
    // English pages keep theirs.
    let en = visit(&app, "/objects/2023.15.2?lang=en", &[]).await;
    assert_eq!(en.all("section.related h3")[0], "More from this donation");
    assert!(en.one("#citation").contains(" (accessed "), "{}", en.one("#citation"));
}
