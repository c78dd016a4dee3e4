//! Bad input gets a clear 4xx naming what to fix, and nothing is written.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DataDir, TestApp, fields};

/// Posts `body` as the curator and checks the status, error code and fields named, and that nothing was written.
async fn refused(app: &TestApp, body: Value, status: StatusCode, expected_fields: &[&str]) -> Value {
    let before = app.written();
    let res = app.post_json("/api/v1/artefacts", Some(&app.curator), &body).await;
    assert_eq!(res.status(), status, "for {body}");
    let err: Value = res.json().await.unwrap();
    assert_eq!(fields(&err), expected_fields, "for {body}: {err}");
    assert!(!err["message"].as_str().unwrap().is_empty());
    assert_eq!(app.written(), before, "nothing written for {body}");
    err
}

#[tokio::test]
async fn a_missing_title_is_named() {
    let app = TestApp::spawn().await;
    refused(&app, json!({"accession_number": "2023.1.1"}), StatusCode::UNPROCESSABLE_ENTITY, &["title"]).await;
    refused(
        &app,
        json!({"accession_number": "2023.1.1", "title": {"zh": "  "}}),
        StatusCode::UNPROCESSABLE_ENTITY,
        &["title"],
    )
    .await;
}

#[tokio::test]
async fn a_malformed_accession_number_is_named() {
    let app = TestApp::spawn().await;
    for bad in ["2023 1 1", "2023.1", "../2023.1.1", ""] {
        refused(
            &app,
            json!({"accession_number": bad, "title": {"zh": "甲"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            &["accession_number"],
        )
        .await;
    }
}

#[tokio::test]
async fn negative_and_unitless_dimensions_are_named() {
    let app = TestApp::spawn().await;
    for bad in ["-5 cm", "高-5厘米", "45", "45 x 30"] {
        let err = refused(
            &app,
            json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "dimensions": bad}),
            StatusCode::UNPROCESSABLE_ENTITY,
            &["dimensions"],
        )
        .await;
        assert!(err["details"][0]["problem"].as_str().unwrap().contains(bad), "{err}");
    }
    refused(
        &app,
        json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "dimensions": {"items": [{"kind": "height", "value": -3, "unit": "cm"}]}}),
        StatusCode::UNPROCESSABLE_ENTITY,
        &["dimensions.items[0]"],
    )
    .await;
    refused(
        &app,
        json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "dimensions": {"items": [{"kind": "height", "value": 3, "unit": "furlong"}]}}),
        StatusCode::UNPROCESSABLE_ENTITY,
        &["dimensions.items[0].unit"],
    )
    .await;
}

#[tokio::test]
async fn an_unknown_vocabulary_term_is_named_with_where_to_look() {
    let app = TestApp::spawn().await;
    let err = refused(
        &app,
        json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "category": "太空船", "materials": ["纸", "unobtainium"]}),
        StatusCode::UNPROCESSABLE_ENTITY,
        &["category", "materials[1]"],
    )
    .await;
    assert!(err["details"][0]["problem"].as_str().unwrap().contains("/api/v1/vocabularies/category"));
}

#[tokio::test]
async fn wrong_types_and_unknown_fields_are_named() {
    let app = TestApp::spawn().await;
    refused(
        &app,
        json!({"accession_number": "2023.1.1", "title": {"zh": 5}}),
        StatusCode::UNPROCESSABLE_ENTITY,
        &["title.zh"],
    )
    .await;
    refused(
        &app,
        json!({"accession_number": "2023.1.1", "titel": {"zh": "甲"}}),
        StatusCode::UNPROCESSABLE_ENTITY,
        &["titel"],
    )
    .await;
    refused(&app, json!([1, 2]), StatusCode::UNPROCESSABLE_ENTITY, &["body"]).await;
}

#[tokio::test]
async fn references_to_missing_records_are_named() {
    let app = TestApp::spawn().await;
    refused(
        &app,
        json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "donation_id": 999, "makers": [{"name": "某", "party_id": 998}]}),
        StatusCode::UNPROCESSABLE_ENTITY,
        &["donation_id", "makers[0].party_id"],
    )
    .await;
}

#[tokio::test]
async fn malformed_json_is_a_400() {
    let app = TestApp::spawn().await;
    let before = app.written();
    let res = app
        .as_curator(app.client.post(app.url("/api/v1/artefacts")))
        .header("content-type", "application/json")
        .body(r#"{"title": {"zh": "甲"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["code"], "malformed_json");
    assert_eq!(app.written(), before);
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = TestApp::spawn().await;
    let before = app.written();
    for content_type in [None, Some("text/plain"), Some("application/x-www-form-urlencoded")] {
        let mut req = app.as_curator(app.client.post(app.url("/api/v1/artefacts"))).body(r#"{"title": {"zh": "甲"}}"#);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type:?}");
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "unsupported_media_type");
    }
    assert_eq!(app.written(), before);
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let dir = DataDir::Temp(tempfile::tempdir().unwrap());
    let app = TestApp::spawn_with(dir, |c| c.max_body_bytes = 16 * 1024).await;
    let before = app.written();
    let body =
        json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "description": {"zh": "长".repeat(20_000)}});
    let res = app.post_json("/api/v1/artefacts", Some(&app.curator), &body).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let err: Value = res.json().await.unwrap();
    assert_eq!(err["code"], "payload_too_large");
    assert!(err["message"].as_str().unwrap().contains("16384"));
    assert_eq!(app.written(), before);
}

#[tokio::test]
async fn bad_query_parameters_and_ids_are_4xx() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/v1/artefacts?per_page=0",
        "/api/v1/artefacts?per_page=1000",
        "/api/v1/artefacts?status=lost",
        "/api/v1/artefacts?donation=x",
    ] {
        let res = app.as_curator(app.get(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "invalid_query");
    }
    let res = app.as_curator(app.get("/api/v1/parties/abc")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app.as_curator(app.get("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "not_found");
}

/// A value of the wrong JSON type is refused with its field named, never read by position.
#[tokio::test]
async fn values_of_the_wrong_json_type_are_named_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    for (body, field) in [
        (json!({"accession_number": "2023.1.1", "title": ["a", "b"]}), "title"),
        (json!({"accession_number": "2023.1.1", "title": {"zh": ["a"]}}), "title.zh"),
        (json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "date": ["1923"]}), "date"),
        (json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "quantity": [1, "件"]}), "quantity"),
        (json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "dimensions": 12}), "dimensions"),
        (json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}, "materials": "paper"}), "materials"),
        (json!({"accession_number": ["2023.1.1"], "title": {"zh": "甲"}}), "accession_number"),
    ] {
        let err = refused(&app, body.clone(), StatusCode::UNPROCESSABLE_ENTITY, &[field]).await;
        assert_eq!(err["code"], "validation_failed", "{body}: {err}");
    }
    let before = app.written();
    for body in
        [json!({"kind": "person", "name": ["a"]}), json!({"kind": "person", "name": {"zh": "李"}, "other_names": "x"})]
    {
        let res = app.post_json("/api/v1/parties", Some(&app.curator), &body).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let err: Value = res.json().await.unwrap();
        assert!(!fields(&err).is_empty(), "{body}: {err}");
    }
    assert_eq!(app.written(), before);
}
