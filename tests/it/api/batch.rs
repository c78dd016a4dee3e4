//! `POST /api/v1/batch`: a preview changes nothing; a batch is one transaction, all or
//! nothing, one audit row per record, each record at the version read.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn three_drafts(app: &TestApp) {
    for (n, title) in [(1, "青花瓷盘"), (2, "青花瓷碗"), (3, "书法立轴")] {
        app.create("/api/v1/artefacts", json!({"accession_number": format!("2024.3.{n}"), "title": {"zh": title}}))
            .await;
    }
    app.settled().await;
}

async fn batch(app: &TestApp, body: Value) -> (StatusCode, Value) {
    let res = app.post_json("/api/v1/batch", Some(&app.curator), &body).await;
    let status = res.status();
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn a_search_result_is_previewed_then_published_with_one_audit_row_each() {
    let app = TestApp::spawn().await;
    three_drafts(&app).await;
    let audit = app.state.audit_count().unwrap();
    let (status, preview) =
        batch(&app, json!({"search": {"q": "青花"}, "change": {"action": "accession"}, "preview": true})).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["applied"], false);
    let changes = preview["changes"].as_array().unwrap();
    let mut accessions: Vec<&str> = changes.iter().map(|c| c["accession"].as_str().unwrap()).collect();
    accessions.sort();
    assert_eq!(accessions, ["2024.3.1", "2024.3.2"]);
    assert_eq!((changes[0]["before"].as_str(), changes[0]["after"].as_str()), (Some("draft"), Some("internal")));
    assert_eq!(app.state.audit_count().unwrap(), audit, "a preview writes nothing");
    assert_eq!(app.read("/api/v1/artefacts/2024.3.1").await["status"], "draft");
    // Applied with the versions the preview read.
    let records: Vec<Value> =
        changes.iter().map(|c| json!({"accession": c["accession"], "version": c["version"]})).collect();
    let (status, done) = batch(&app, json!({"records": records, "change": {"action": "accession"}})).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["applied"], true);
    assert_eq!(app.state.audit_count().unwrap(), audit + 2, "one audit row per record changed");
    for acc in ["2024.3.1", "2024.3.2"] {
        let a = app.read(&format!("/api/v1/artefacts/{acc}")).await;
        assert_eq!((a["status"].as_str(), a["version"].as_i64()), (Some("internal"), Some(2)));
        let history = app.read(&format!("/api/v1/artefacts/{acc}/history")).await;
        assert_eq!(history[1]["action"], "batch");
        assert_eq!(history[1]["changed"], json!(["status"]));
    }
    assert_eq!(app.read("/api/v1/artefacts/2024.3.3").await["status"], "draft", "not in the result, not changed");
}

#[tokio::test]
async fn one_record_changed_in_between_refuses_the_whole_batch() {
    let app = TestApp::spawn().await;
    three_drafts(&app).await;
    let (_, preview) = batch(
        &app,
        json!({"search": {"q": "", "filters": ["status:draft"]}, "change": {"action": "publish"}, "preview": true}),
    )
    .await;
    assert_eq!(preview["changes"].as_array().unwrap().len(), 3, "{preview}");
    let records: Vec<Value> = preview["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!({"accession": c["accession"], "version": c["version"]}))
        .collect();
    // Someone edits one of them before the batch is applied.
    let res = app
        .patch_json("/api/v1/artefacts/2024.3.2", &app.curator, &json!({"version": 1, "title": {"zh": "青花大碗"}}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let audit = app.state.audit_count().unwrap();
    let (status, err) = batch(&app, json!({"records": records, "change": {"action": "publish"}})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["details"].as_array().unwrap().len(), 1);
    assert_eq!(err["details"][0]["field"], "2024.3.2");
    assert_eq!(app.state.audit_count().unwrap(), audit, "nothing was written");
    for acc in ["2024.3.1", "2024.3.2", "2024.3.3"] {
        assert_eq!(app.read(&format!("/api/v1/artefacts/{acc}")).await["status"], "draft", "{acc} is unchanged");
    }
}

#[tokio::test]
async fn setting_a_field_checks_its_term_and_names_each_refusal() {
    let app = TestApp::spawn().await;
    three_drafts(&app).await;
    let records = json!([{"accession": "2024.3.1", "version": 1}, {"accession": "2024.3.2", "version": 1}]);
    let (status, err) =
        batch(&app, json!({"records": records, "change": {"action": "set", "field": "category", "value": "不是类别"}}))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["details"].as_array().unwrap().len(), 2);
    assert!(err["details"][0]["problem"].as_str().unwrap().contains("category"), "{err}");
    let (status, done) =
        batch(&app, json!({"records": records, "change": {"action": "set", "field": "category", "value": "瓷器"}}))
            .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(app.read("/api/v1/artefacts/2024.3.2").await["category"], "porcelain");
    // A private field, set in a batch, stays private.
    let records = json!([{"accession": "2024.3.1", "version": 2}]);
    let (status, _) = batch(
        &app,
        json!({"records": records, "change": {"action": "set", "field": "storage_location", "value": "库房 B-3"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.read("/api/v1/artefacts/2024.3.1").await["private"]["storage_location"], "库房 B-3");
    // Unpublishing a draft, or a record that does not exist, is refused by name.
    let records = json!([{"accession": "2024.3.3", "version": 1}, {"accession": "9.9.9", "version": 1}]);
    let (status, err) = batch(&app, json!({"records": records, "change": {"action": "unpublish"}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let fields: Vec<&str> = err["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["2024.3.3", "9.9.9"]);
}

#[tokio::test]
async fn bad_batches_are_4xx_and_only_curators_may_send_them() {
    let app = TestApp::spawn().await;
    three_drafts(&app).await;
    for (body, status) in [
        (json!({"change": {"action": "publish"}}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"records": [], "change": {"action": "publish"}}), StatusCode::UNPROCESSABLE_ENTITY),
        (
            json!({"records": [{"accession": "2024.3.1", "version": 1}], "change": {"action": "burn"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (json!({"search": {"filters": ["colour:red"]}, "change": {"action": "publish"}}), StatusCode::BAD_REQUEST),
        (
            json!({"search": {"q": ""}, "records": [], "change": {"action": "publish"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (got, err) = batch(&app, body.clone()).await;
        assert_eq!(got, status, "{body}: {err}");
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()), "{err}");
    }
    let researcher = app.user("reader", Role::Researcher);
    let body = json!({"records": [{"accession": "2024.3.1", "version": 1}], "change": {"action": "publish"}});
    let res = app.post_json("/api/v1/batch", Some(&researcher), &body).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post_json("/api/v1/batch", None, &body).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.read("/api/v1/artefacts/2024.3.1").await["status"], "draft");
}
