//! `/browse` and the home page's showcase: every value of a facet with its count and an
//! image, in the order a visitor reads them, each opening the results it counts.

use reqwest::StatusCode;

use super::{Page, visit};
use crate::helpers::TestApp;

/// Each tile's label and the number of objects it says it has.
fn tiles(page: &Page, within: &str) -> Vec<(String, u64, String)> {
    let labels = page.all(&format!("{within} ul.tiles .tile-label"));
    let subs = page.all(&format!("{within} ul.tiles .tile-sub"));
    let hrefs = page.attr(&format!("{within} ul.tiles a"), "href");
    assert_eq!((labels.len(), subs.len()), (hrefs.len(), hrefs.len()), "every tile has a label and a count");
    labels
        .into_iter()
        .zip(subs)
        .zip(hrefs)
        .map(|((l, s), h)| (l, s.split_whitespace().next().unwrap().parse().unwrap(), h))
        .collect()
}

#[tokio::test]
async fn each_facet_lists_every_value_in_reading_order_and_opens_what_it_counts() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let periods = visit(&app, "/browse/period", &[]).await;
    assert_eq!(periods.status, StatusCode::OK);
    assert_eq!(periods.one("h1"), "年代");
    let shown = tiles(&periods, "main");
    let labels: Vec<&str> = shown.iter().map(|(l, _, _)| l.as_str()).collect();
    // In time, a dynasty before its reigns, not by count or code.
    let at = |name: &str| labels.iter().position(|l| *l == name).unwrap_or_else(|| panic!("{name} in {labels:?}"));
    assert!(at("战国") < at("北宋") && at("北宋") < at("明") && at("明") < at("清"), "{labels:?}");
    assert!(at("清") < at("康熙") && at("康熙") < at("乾隆"), "{labels:?}");
    // Every count is what its results page finds.
    for (label, count, href) in shown.iter().take(6) {
        let results = visit(&app, href, &[]).await;
        assert_eq!(results.one(".total").parse::<u64>().unwrap(), *count, "{label}: {href}");
    }
    // Materials are counted from whichever field says them: the category (漆器), the technique (on paper).
    let materials = visit(&app, "/browse/material?lang=en", &[]).await;
    let names: Vec<String> = tiles(&materials, "main").into_iter().map(|(l, _, _)| l).collect();
    for want in ["Paper", "Lacquer", "Copper and bronze"] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    // Makers and donors in English with their pinyin; only the donors who consented.
    let donors = visit(&app, "/browse/donor?lang=en", &[]).await;
    let donors: Vec<String> = tiles(&donors, "main").into_iter().map(|(l, _, _)| l).collect();
    assert_eq!(donors, ["Li Zhenya 李振亚"]);
    // The index of all facets links to each.
    let index = visit(&app, "/browse?lang=en", &[]).await;
    assert_eq!(
        index.all("nav.browse-by a"),
        ["Categories", "Periods", "Materials", "Makers", "Donors", "Donations", "Years acquired"]
    );
    assert!(index.all("section.browse-section h2").len() >= 6, "{:?}", index.all("section.browse-section h2"));
    // A facet there is not, or a page that is not a number.
    assert_eq!(visit(&app, "/browse/storage_location", &[]).await.status, StatusCode::NOT_FOUND);
    let bad = visit(&app, "/browse/maker?page=two", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text.contains("page"), "{}", bad.text);
    assert_eq!(visit(&app, "/browse/maker?page=99", &[]).await.status, StatusCode::NOT_FOUND);
    // The makers are counted once an index commit: a new maker is there after the next.
    let makers = visit(&app, "/browse/maker?lang=en", &[]).await;
    assert!(!makers.text.contains("Qi Baishi"), "not yet");
    app.create(
        "/api/v1/artefacts",
        serde_json::json!({"accession_number": "2024.9.1", "title": {"zh": "虾"}, "status": "published", "makers": [{"name": "Qi Baishi"}]}),
    )
    .await;
    app.settled().await;
    let makers = visit(&app, "/browse/maker?lang=en", &[]).await;
    let found: Vec<(String, u64, String)> =
        tiles(&makers, "main").into_iter().filter(|(l, _, _)| l == "Qi Baishi").collect();
    assert_eq!(found.len(), 1, "the new maker is listed");
    assert_eq!(found[0].1, 1);
}

#[tokio::test]
async fn the_home_page_shows_featured_objects_the_categories_and_the_latest_donations() {
    let app = TestApp::spawn().await;
    app.with_demo_images().await;
    let home = visit(&app, "/?lang=en", &[]).await;
    // Featured: published objects with images, each a link to its page.
    let featured = home.attr("section.featured ul.tiles a", "href");
    assert!(!featured.is_empty() && featured.len() <= 8, "{featured:?}");
    assert!(featured.iter().all(|h| h.starts_with("/objects/")), "{featured:?}");
    assert_eq!(home.attr("section.featured ul.tiles img", "src").len(), featured.len(), "each with its image");
    // Categories, periods and materials, a few of each with their counts and a link to all.
    let headings = home.all("section.browse-section h2");
    assert_eq!(headings, ["Featured objects", "Categories", "Periods", "Materials"]);
    let categories = tiles(&home, "section[aria-labelledby=browse-category]");
    assert!(!categories.is_empty() && categories.len() <= 8);
    assert!(categories.iter().all(|(_, n, h)| *n > 0 && h.starts_with("/search?filter=category")));
    assert!(home.attr(".see-all a", "href").iter().any(|h| h.starts_with("/browse/period")));
    // The donation, with its donor as they consented to be named.
    assert_eq!(home.all(".cards .donors-line"), ["Li Zhenya 李振亚"]);
    let zh = visit(&app, "/", &[]).await;
    assert_eq!(zh.all(".cards .donors-line"), ["李振亚"]);
}

#[tokio::test]
async fn the_home_page_features_the_shared_set_curators_chose() {
    let app =
        TestApp::spawn_with(crate::helpers::DataDir::Temp(tempfile::tempdir().unwrap()), |c| c.featured_set = Some(1))
            .await;
    app.with_demo_images().await;
    let curator = app.user("featuring-curator", catalogue::model::role::Role::Curator);
    let set =
        app.post_json("/api/v1/sets", Some(&curator), &serde_json::json!({"name": "首页精选", "shared": true})).await;
    assert_eq!(set.status(), StatusCode::CREATED, "{}", set.text().await.unwrap());
    let added = app
        .post_json("/api/v1/sets/1/members", Some(&curator), &serde_json::json!({"add": ["DEMO-PH-3", "2023.15.2"]}))
        .await;
    assert!(added.status().is_success(), "{}", added.text().await.unwrap());
    let home = visit(&app, "/?lang=en", &[]).await;
    // The set's objects with a public image, in its order; the rest are not featured.
    let featured = home.attr("section.featured ul.tiles a", "href");
    assert_eq!(featured, ["/objects/DEMO-PH-3?lang=en"]);
    // A private set is never featured: the home page falls back to the latest acquired.
    let shy =
        app.post_json("/api/v1/sets", Some(&curator), &serde_json::json!({"name": "私人", "shared": false})).await;
    assert_eq!(shy.status(), StatusCode::CREATED);
    let other =
        TestApp::spawn_with(crate::helpers::DataDir::Temp(tempfile::tempdir().unwrap()), |c| c.featured_set = Some(2))
            .await;
    other.with_demo_images().await;
    let fallback = visit(&other, "/?lang=en", &[]).await;
    assert!(fallback.attr("section.featured ul.tiles a", "href").len() > 1);
}
