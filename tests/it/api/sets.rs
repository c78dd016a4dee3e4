//! `/api/v1/sets`: named lists of records, private to their owner unless shared, changed
//! by their owner alone, and taken whole as a batch's selection.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn objects(app: &TestApp) {
    for n in 1..=3 {
        app.create(
            "/api/v1/artefacts",
            json!({"accession_number": format!("2024.5.{n}"), "title": {"zh": format!("展品{n}")}}),
        )
        .await;
    }
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let res = app.post_json(path, Some(token), &body).await;
    let status = res.status();
    (status, res.json().await.unwrap())
}

#[tokio::test]
async fn a_curator_keeps_a_set_and_batches_over_it() {
    let app = TestApp::spawn().await;
    objects(&app).await;
    let (status, set) = post(&app, &app.curator, "/api/v1/sets", json!({"name": "2024年春季展览"})).await;
    assert_eq!(status, StatusCode::CREATED, "{set}");
    let id = set["id"].as_i64().unwrap();
    let members = format!("/api/v1/sets/{id}/members");
    let (status, after) = post(&app, &app.curator, &members, json!({"add": ["2024.5.1", "2024.5.3"]})).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["accessions"], json!(["2024.5.1", "2024.5.3"]));
    assert_eq!(after["count"], 2);
    // All or nothing: one number that does not exist adds none.
    let (status, err) = post(&app, &app.curator, &members, json!({"add": ["2024.5.2", "9.9.9"]})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    assert_eq!(app.read(&format!("/api/v1/sets/{id}")).await["accessions"], json!(["2024.5.1", "2024.5.3"]));
    // The set as a batch's selection.
    let (status, report) = post(
        &app,
        &app.curator,
        "/api/v1/batch",
        json!({"set": id, "change": {"action": "set", "field": "rights", "value": "CC BY 4.0"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["changes"].as_array().unwrap().len(), 2);
    assert_eq!(app.read("/api/v1/artefacts/2024.5.3").await["rights"], "CC BY 4.0");
    assert!(app.read("/api/v1/artefacts/2024.5.2").await["rights"].is_null(), "not in the set, not changed");
    let (status, after) = post(&app, &app.curator, &members, json!({"remove": ["2024.5.1"]})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after["accessions"], json!(["2024.5.3"]));
}

#[tokio::test]
async fn a_private_set_is_its_owner_s_and_a_shared_one_is_read_by_all_staff() {
    let app = TestApp::spawn().await;
    objects(&app).await;
    let (_, private) = post(&app, &app.curator, "/api/v1/sets", json!({"name": "我的清单"})).await;
    let (_, shared) = post(&app, &app.curator, "/api/v1/sets", json!({"name": "借展", "shared": true})).await;
    let other = app.user("li", Role::Curator);
    let researcher = app.user("reader", Role::Researcher);
    let listed: Value = app.get("/api/v1/sets").bearer_auth(&other).send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> = listed.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["借展"], "another curator sees the shared set only");
    let res = app.get(&format!("/api/v1/sets/{}", private["id"])).bearer_auth(&other).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "another's private set does not exist for them");
    let res = app.get(&format!("/api/v1/sets/{}", shared["id"])).bearer_auth(&researcher).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Only the owner changes a set; a researcher makes none.
    let (status, _) =
        post(&app, &other, &format!("/api/v1/sets/{}/members", shared["id"]), json!({"add": ["2024.5.1"]})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = post(&app, &researcher, "/api/v1/sets", json!({"name": "x"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/sets").send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    // Names: required, and one owner's are their own.
    let (status, err) = post(&app, &app.curator, "/api/v1/sets", json!({"name": "  "})).await;
    assert_eq!((status, err["details"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")));
    let (status, _) = post(&app, &app.curator, "/api/v1/sets", json!({"name": "借展"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = post(&app, &other, "/api/v1/sets", json!({"name": "借展"})).await;
    assert_eq!(status, StatusCode::CREATED, "another curator may use the same name");
}
