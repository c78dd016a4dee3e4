//! `/api/v1/parties`: donors and other people and organisations, created, read as each
//! role may see them, listed by name, edited with the version read, and their history.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fields};

#[tokio::test]
async fn a_donor_is_edited_with_the_version_read_and_a_stale_edit_changes_nothing() {
    let app = TestApp::spawn().await;
    let donor = app
        .create(
            "/api/v1/parties",
            json!({"name": {"zh": "李振亚", "en": "Li Zhenya"}, "naming_consent": true,
                   "contact": {"phone": "13900001111"}, "internal_notes": "经纪念馆联系"}),
        )
        .await;
    let id = donor["id"].as_i64().unwrap();
    assert_eq!(donor["version"], 1);
    let path = format!("/api/v1/parties/{id}");
    let res = app.patch_json(&path, &app.curator, &json!({"version": 1, "credit_line": "李振亚先生捐赠"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let edited: Value = res.json().await.unwrap();
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["credit_line"], "李振亚先生捐赠");
    assert_eq!(edited["name"]["en"], "Li Zhenya", "fields not named are kept");
    // A second client still holding version 1 is told, and its change is not applied.
    let res = app.patch_json(&path, &app.curator, &json!({"version": 1, "credit_line": "李先生捐赠"})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app.read(&path).await["credit_line"], "李振亚先生捐赠");
    assert_eq!(app.read(&path).await["version"], 2);
}

#[tokio::test]
async fn a_researcher_reads_donors_without_their_contact_and_the_public_not_at_all() {
    let app = TestApp::spawn().await;
    let donor = app
        .create(
            "/api/v1/parties",
            json!({"name": {"zh": "李振亚"}, "contact": {"email": "li@example.org"}, "internal_notes": "私下说明"}),
        )
        .await;
    let path = format!("/api/v1/parties/{}", donor["id"]);
    let curator = app.read(&path).await;
    assert_eq!(curator["contact"]["email"], "li@example.org");
    let researcher = app.user("researcher", Role::Researcher);
    let res = app.get(&path).bearer_auth(&researcher).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(text.contains("李振亚") && !text.contains("li@example.org") && !text.contains("私下说明"), "{text}");
    let res = app.get(&path).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(!res.text().await.unwrap().contains("李振亚"));
    let res = app.patch_json(&path, &researcher, &json!({"version": 1, "credit_line": "x"})).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn donors_are_listed_by_a_name_in_either_language() {
    let app = TestApp::spawn().await;
    app.create("/api/v1/parties", json!({"name": {"zh": "李振亚", "en": "Li Zhenya"}})).await;
    app.create("/api/v1/parties", json!({"name": {"zh": "王守仁"}})).await;
    for (name, want) in [("李振亚", 1), ("Zhenya", 1), ("王", 1), ("张", 0)] {
        let list = app.read(&format!("/api/v1/parties?name={name}")).await;
        assert_eq!(list["total"], want, "{name}: {list}");
    }
    assert_eq!(app.read("/api/v1/parties").await["total"], 2);
}

#[tokio::test]
async fn a_bad_party_is_refused_with_its_fields_named() {
    let app = TestApp::spawn().await;
    let res =
        app.post_json("/api/v1/parties", Some(&app.curator), &json!({"relations": [{"kind": "descendant_of"}]})).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&res.json().await.unwrap()), ["name", "relations[0]"]);
    assert_eq!(app.read("/api/v1/parties").await["total"], 0);
}

#[tokio::test]
async fn a_party_s_history_names_each_change() {
    let app = TestApp::spawn().await;
    let (donor, _) = app.seed_donation().await;
    let path = format!("/api/v1/parties/{donor}");
    let res = app.patch_json(&path, &app.curator, &json!({"version": 1, "credit_line": "李振亚先生捐赠"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let history = app.read(&format!("{path}/history")).await;
    assert_eq!(history[0]["action"], "create");
    assert_eq!(history[1]["changed"], json!(["credit_line"]));
    let res = app.as_curator(app.get("/api/v1/parties/999/history")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
