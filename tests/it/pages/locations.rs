//! Where objects are kept never reaches the public: a crawl of the whole public site, the
//! anonymous API, OAI-PMH and every public export of the demo catalogue (whose relics are in
//! a store room and a gallery) finds no location's code or name and no movement's note.

use std::collections::{BTreeSet, VecDeque};

use scraper::{Html, Selector};

use super::visit;
use crate::helpers::{TestApp, run_catalogue_ok};

/// Same-site links a visitor follows (not files, feeds, images or the workspace).
fn links(html: &str) -> Vec<String> {
    let a = Selector::parse("a[href]").unwrap();
    let skip = ["/static/", "/iiif/", "/admin", "/login", "/logout", ".pdf", ".csv"];
    Html::parse_document(html)
        .select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .filter(|h| h.starts_with('/') && !h.starts_with("//") && !skip.iter().any(|s| h.contains(s)))
        .collect()
}

#[tokio::test]
async fn no_public_page_answer_or_export_says_where_an_object_is() {
    let app = TestApp::spawn().await;
    app.with_demo_images().await;
    // A published object with a movement note of its own, kept in the gallery.
    let version = app.read("/api/v1/artefacts/2023.15.1").await["version"].clone();
    let res = app
        .patch_json(
            "/api/v1/artefacts/2023.15.1",
            &app.curator,
            &serde_json::json!({"version": version, "status": "published"}),
        )
        .await;
    assert!(res.status().is_success());
    let res = app
        .post_json(
            "/api/v1/artefacts/2023.15.1/movements",
            Some(&app.curator),
            &serde_json::json!({"to": "B1-PH", "reason": "photography", "note": "MOVE-NOTE-4417"}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    app.settled().await;
    let locations = app.read("/api/v1/locations").await;
    let mut secrets: Vec<String> = vec!["MOVE-NOTE-4417".into()];
    for l in locations.as_array().unwrap() {
        secrets.push(l["code"].as_str().unwrap().to_string());
        for lang in ["zh", "en"] {
            secrets.extend(l["name"][lang].as_str().map(String::from));
        }
    }
    assert!(secrets.len() > 10, "{secrets:?}");
    // A code is looked for as a word of its own (`B1` is inside other words of a page).
    let part_of_word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "-./_".contains(c));
    let said = |text: &str, secret: &str| {
        text.match_indices(secret).any(|(at, _)| {
            !part_of_word(text[..at].chars().next_back()) && !part_of_word(text[at + secret.len()..].chars().next())
        })
    };
    let leaks = |what: &str, text: &str| -> Vec<String> {
        secrets.iter().filter(|s| said(text, s)).map(|s| format!("{what}: {s}")).collect()
    };
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_string(), "/?lang=en".to_string(), "/objects/2023.15.1".to_string()]);
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 250 {
            continue;
        }
        let page = visit(&app, &path, &[]).await;
        found.extend(leaks(&path, &page.text));
        queue.extend(links(&page.text));
    }
    assert!(seen.len() > 100, "crawled only {} pages", seen.len());
    assert!(seen.contains("/objects/2023.15.1"));
    for path in [
        "/api/v1/artefacts/2023.15.1",
        "/api/v1/artefacts?per_page=200",
        "/api/v1/search?q=B1-PH",
        "/api/v1/search?q=摄影室",
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai?verb=ListRecords&metadataPrefix=lido",
        "/iiif/3/manifests/2023.15.1",
    ] {
        let text = app.get(path).send().await.unwrap().text().await.unwrap();
        found.extend(leaks(path, &text));
    }
    let hits = app.found("B1-PH", None).await;
    assert!(hits.is_empty(), "the public index holds no location: {hits:?}");
    let data = app.path().to_str().unwrap().to_string();
    for format in ["jsonl", "csv", "lido", "linked-art"] {
        let out = run_catalogue_ok(&["--data-dir", &data, "export", "--format", format, "--public"]);
        assert!(out.contains("2023.15.1"), "the published object is exported as {format}");
        found.extend(leaks(&format!("export --format {format} --public"), &out));
    }
    assert!(found.is_empty(), "locations reached the public:\n{}", found.join("\n"));
}
