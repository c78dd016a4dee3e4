//! Each record's history, from the audit log.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn history_lists_each_change_with_its_actor() {
    let app = TestApp::spawn().await;
    let other = app.user("wang", Role::Curator);
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "private": {"storage_location": "A-1"}}),
    )
    .await;
    let res = app.patch_json("/api/v1/artefacts/2023.1.1", &other, &json!({"version": 1, "title": {"zh": "乙"}})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .post_json(
            "/api/v1/artefacts/2023.1.1/deaccession",
            Some(&app.curator),
            &json!({"version": 2, "reason": "重复登记"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let history = app.read("/api/v1/artefacts/2023.1.1/history").await;
    let entries = history.as_array().unwrap();
    let summary: Vec<(&str, &str)> =
        entries.iter().map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap())).collect();
    assert_eq!(summary, [("create", "curator"), ("update", "wang"), ("deaccession", "curator")]);
    assert_eq!(entries[1]["changed"], json!(["title"]));
    assert_eq!(entries[1]["before"]["title"]["zh"], "甲");
    assert_eq!(entries[1]["after"]["title"]["zh"], "乙");
    assert_eq!(entries[2]["after"]["deaccession"]["reason"], "重复登记");
    assert_eq!(entries[0]["after"]["private"]["storage_location"], "A-1");
}

#[tokio::test]
async fn researchers_see_history_without_private_values() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "private": {"storage_location": "A-1"}}),
    )
    .await;
    app.patch_json(
        "/api/v1/artefacts/2023.1.1",
        &app.curator,
        &json!({"version": 1, "private": {"storage_location": "B-7"}}),
    )
    .await;
    let researcher = app.user("reader", Role::Researcher);
    let res = app.get("/api/v1/artefacts/2023.1.1/history").bearer_auth(&researcher).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(!text.contains("A-1") && !text.contains("B-7"), "{text}");
    let history: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(history[1]["changed"], json!([]), "a change only to private fields shows as no visible change");
}

#[tokio::test]
async fn a_missing_artefact_has_no_history() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.as_curator(app.get("/api/v1/artefacts/9.9.9/history")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}
