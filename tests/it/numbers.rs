//! Accession numbers as museums write them, with a space or a slash inside (`MC 7`,
//! `82.8.7.1/1`, `南購銅 1/2`): imported as written, and reachable at every address
//! that names them — pages, API, workspace, sitemap, OAI-PMH — and by search.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::workspace::signed_in;

const NUMBERS: [(&str, &str, &str); 3] = [
    ("MC 7", "MC%207", "Spaced number"),
    ("82.8.7.1/1", "82.8.7.1%2F1", "Slashed number"),
    ("南購銅 1/2", "%E5%8D%97%E8%B3%BC%E9%8A%85%201%2F2", "銅鏡一對之一"),
];

async fn import(app: &TestApp, csv: &str) -> (StatusCode, Value) {
    let form = Form::new().part("file", Part::bytes(csv.as_bytes().to_vec()).file_name("register.csv"));
    let res =
        app.client.post(app.url("/api/v1/imports")).bearer_auth(&app.curator).multipart(form).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn numbers_with_spaces_and_slashes_are_kept_and_reachable_everywhere() {
    let app = TestApp::spawn().await;
    let mut csv = String::from("总登记号,藏品名称,公开\n");
    for (number, _, title) in NUMBERS {
        csv.push_str(&format!("{number},{title},是\n"));
    }
    let (status, report) = import(&app, &csv).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["created"], 3, "{report}");
    app.settled().await;

    let (mut ws, _) = signed_in(&app, "wang", Role::Curator).await;
    let sitemap = app.get("/sitemap.xml").send().await.unwrap().text().await.unwrap();
    for (number, encoded, title) in NUMBERS {
        // The API, by the number percent-encoded as one path segment.
        let record = app.read(&format!("/api/v1/artefacts/{encoded}")).await;
        assert_eq!(record["accession_number"], number);
        // Search: the number as typed, unquoted, comes first.
        assert_eq!(app.found(number, None).await.first().map(String::as_str), Some(number), "searching {number}");
        // The public search page links to the object page, which shows it.
        let html = app.get("/search").query(&[("q", number)]).send().await.unwrap().text().await.unwrap();
        let href = format!("/objects/{encoded}?lang=");
        assert!(html.contains(&href), "{number}: no link {href} in the results page");
        let page = app.get(&format!("/objects/{encoded}")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{number}");
        assert!(page.text().await.unwrap().contains(title));
        let linked_art = app.get(&format!("/objects/{encoded}.jsonld")).send().await.unwrap();
        assert_eq!(linked_art.status(), StatusCode::OK, "{number}");
        let doc: Value = linked_art.json().await.unwrap();
        assert!(doc["id"].as_str().unwrap().ends_with(&format!("/objects/{encoded}.jsonld")), "{doc}");
        assert!(sitemap.contains(&format!("/objects/{encoded}?lang=zh</loc>")), "{number} is in the sitemap");
        // The workspace's object page, and a save from it, which comes back to the same page.
        let page = ws.get(&format!("/admin/objects/{encoded}")).await;
        assert_eq!(page.status, StatusCode::OK, "{number}: {}", page.body);
        let saved = ws.submit(&page, "form.record", &[("technique", "水墨")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{number}: {}", saved.body);
        assert!(saved.location.as_deref().unwrap().starts_with(&format!("/admin/objects/{encoded}?")));
        assert_eq!(app.read(&format!("/api/v1/artefacts/{encoded}")).await["technique"], "水墨");
    }

    // OAI-PMH: an identifier has no space, so the space is written %20, and read back.
    let host = app.base.trim_start_matches("http://").split(':').next().unwrap().to_string();
    let list = app.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").send().await.unwrap().text().await.unwrap();
    assert!(list.contains(&format!("<identifier>oai:{host}:MC%207</identifier>")), "{list}");
    assert!(list.contains(&format!("<identifier>oai:{host}:82.8.7.1/1</identifier>")), "{list}");
    let one = app
        .get("/oai")
        .query(&[("verb", "GetRecord"), ("metadataPrefix", "oai_dc"), ("identifier", &format!("oai:{host}:MC%207"))])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(one.contains("Spaced number"), "{one}");
}

#[tokio::test]
async fn numbers_that_cannot_be_addressed_are_left_out_with_the_reason() {
    let app = TestApp::spawn().await;
    let csv = "总登记号,藏品名称,公开\nMC  7,Two spaces,是\n100%,Percent,是\n..,Dots,是\nMC 8,Kept,是\n";
    let (status, report) = import(&app, csv).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["created"].as_u64(), report["skipped"].as_u64()), (Some(1), Some(3)), "{report}");
    let warnings = report["warnings"].to_string();
    for reason in ["two spaces in a row", "must not contain '%'", "a letter or a digit"] {
        assert!(warnings.contains(reason), "{reason}: {warnings}");
    }
    // An API create is held to the pattern of new numbers, spaces or not.
    let res = app
        .post_json(
            "/api/v1/artefacts",
            Some(&app.curator),
            &serde_json::json!({
        "accession_number": "MC 9", "title": {"en": "x"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.state.artefact_count().unwrap(), 1, "nothing else was written");
}
