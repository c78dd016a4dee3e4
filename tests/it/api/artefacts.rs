//! Updating, concurrency and deaccession of artefacts.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fields};

#[tokio::test]
async fn an_update_with_the_current_version_applies_and_bumps_the_version() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.1.1", "title": {"zh": "扇面"}, "private": {"storage_location": "A-1"}}),
    )
    .await;
    let res = app
        .patch_json(
            "/api/v1/artefacts/2023.1.1",
            &app.curator,
            &json!({"version": 1, "title": {"en": "Fan leaf"}, "dimensions": "纵23.7厘米，横20.6厘米", "private": {"internal_notes": "n"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let a: Value = res.json().await.unwrap();
    assert_eq!(a["version"], 2);
    assert_eq!(a["title"], json!({"zh": "扇面", "en": "Fan leaf"}), "title fields merge");
    assert_eq!(a["private"], json!({"storage_location": "A-1", "internal_notes": "n"}), "private fields merge");
    assert_eq!(a["dimensions"]["items"][0]["normalised"], 237.0);
    assert_eq!(a["dimensions"]["items"][1]["kind"], "width");
}

#[tokio::test]
async fn a_stale_update_gets_409_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.create("/api/v1/artefacts", json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}})).await;
    let first =
        app.patch_json("/api/v1/artefacts/2023.1.1", &app.curator, &json!({"version": 1, "title": {"zh": "乙"}})).await;
    assert_eq!(first.status(), StatusCode::OK);
    let before = app.written();
    let stale =
        app.patch_json("/api/v1/artefacts/2023.1.1", &app.curator, &json!({"version": 1, "title": {"zh": "丙"}})).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let err: Value = stale.json().await.unwrap();
    assert_eq!(err["code"], "version_conflict");
    assert_eq!(err["current_version"], 2);
    assert_eq!(app.written(), before);
    assert_eq!(app.read("/api/v1/artefacts/2023.1.1").await["title"]["zh"], "乙");
}

#[tokio::test]
async fn an_update_without_a_version_is_refused() {
    let app = TestApp::spawn().await;
    app.create("/api/v1/artefacts", json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}})).await;
    let res = app.patch_json("/api/v1/artefacts/2023.1.1", &app.curator, &json!({"title": {"zh": "乙"}})).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&res.json().await.unwrap()), ["version"]);
}

#[tokio::test]
async fn an_update_that_makes_the_record_invalid_is_refused_whole() {
    let app = TestApp::spawn().await;
    app.create("/api/v1/artefacts", json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}})).await;
    let before = app.written();
    let res = app
        .patch_json(
            "/api/v1/artefacts/2023.1.1",
            &app.curator,
            &json!({"version": 1, "title": null, "grade": "一级", "category": "nope"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&res.json().await.unwrap()), ["title", "category"]);
    assert_eq!(app.written(), before);
    let renumber = app
        .patch_json("/api/v1/artefacts/2023.1.1", &app.curator, &json!({"version": 1, "accession_number": "2023.1.9"}))
        .await;
    assert_eq!(renumber.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.read("/api/v1/artefacts/2023.1.1").await["version"], 1);
}

#[tokio::test]
async fn a_duplicate_accession_number_is_a_conflict() {
    let app = TestApp::spawn().await;
    app.create("/api/v1/artefacts", json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}})).await;
    let before = app.written();
    let res = app
        .post_json(
            "/api/v1/artefacts",
            Some(&app.curator),
            &json!({"accession_number": "2023.1.1", "title": {"zh": "乙"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let err: Value = res.json().await.unwrap();
    assert!(err["message"].as_str().unwrap().contains("2023.1.1"), "{err}");
    assert_eq!(app.written(), before);
}

#[tokio::test]
async fn deaccession_keeps_the_record_with_its_reason_and_hides_it_from_the_public() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "status": "published"}),
    )
    .await;
    assert_eq!(app.get("/api/v1/artefacts/2023.1.1").send().await.unwrap().status(), StatusCode::OK);

    let no_reason = app
        .post_json("/api/v1/artefacts/2023.1.1/deaccession", Some(&app.curator), &json!({"version": 1, "reason": " "}))
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .post_json(
            "/api/v1/artefacts/2023.1.1/deaccession",
            Some(&app.curator),
            &json!({"version": 1, "reason": "归还捐赠人"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let a: Value = res.json().await.unwrap();
    assert_eq!(a["deaccession"]["reason"], "归还捐赠人");
    assert_eq!(a["deaccession"]["by"], "curator");

    assert_eq!(app.get("/api/v1/artefacts/2023.1.1").send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(app.read("/api/v1/artefacts").await["total"], 0, "listed only on request");
    assert_eq!(app.read("/api/v1/artefacts?include_deaccessioned=true").await["total"], 1);
    let again = app
        .post_json("/api/v1/artefacts/2023.1.1/deaccession", Some(&app.curator), &json!({"version": 2, "reason": "x"}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let delete = app.as_curator(app.client.delete(app.url("/api/v1/artefacts/2023.1.1"))).send().await.unwrap();
    assert_eq!(delete.status(), StatusCode::METHOD_NOT_ALLOWED, "nothing is hard-deleted");
}

#[tokio::test]
async fn numbers_must_follow_the_configured_pattern_for_new_records() {
    let app = TestApp::spawn().await;
    let res = app
        .post_json(
            "/api/v1/artefacts",
            Some(&app.curator),
            &json!({"accession_number": "P77231", "title": {"zh": "甲"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = res.json().await.unwrap();
    assert_eq!(fields(&err), ["accession_number"]);
    assert!(err["details"][0]["problem"].as_str().unwrap().contains("{year}.{donation}.{item}"));
}

#[tokio::test]
async fn a_donation_without_a_number_cannot_propose_accession_numbers() {
    let app = TestApp::spawn().await;
    let donor = app.create("/api/v1/parties", json!({"name": {"zh": "某"}})).await;
    let d = app.create("/api/v1/donations", json!({"donor_ids": [donor["id"]]})).await;
    let res = app
        .post_json("/api/v1/artefacts", Some(&app.curator), &json!({"donation_id": d["id"], "title": {"zh": "甲"}}))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&res.json().await.unwrap()), ["donation_id"]);
}

/// The department that keeps an object is a field of its own: stored, shown on its public
/// page in either language, and found by search.
#[tokio::test]
async fn the_department_is_kept_shown_and_searchable() {
    let app = TestApp::spawn().await;
    let v = app
        .create(
            "/api/v1/artefacts",
            json!({"accession_number": "2023.2.1", "title": {"zh": "团扇"}, "department": "书画部", "status": "published"}),
        )
        .await;
    assert_eq!(v["department"], "书画部");
    let long = "部".repeat(2_001);
    let res = app
        .as_curator(app.client.post(app.url("/api/v1/artefacts")))
        .json(&json!({"accession_number": "2023.2.2", "title": {"zh": "甲"}, "department": long}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&res.json().await.unwrap()), ["department"]);
    for (lang, label) in [("zh", "部门"), ("en", "Department")] {
        let page = app.get(&format!("/objects/2023.2.1?lang={lang}")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&format!("<dt>{label}</dt>")) && page.contains("书画部"), "{lang}: {page}");
    }
    app.settled().await;
    assert_eq!(app.found("书画部", None).await, ["2023.2.1"]);
}
