//! `/api/v1/donations`: donations numbered within their year, listed by donor and
//! status, edited with the version read, their next accession number and history.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, fields};

#[tokio::test]
async fn a_donation_without_a_number_takes_the_next_of_its_year() {
    let app = TestApp::spawn().await;
    let (donor, fifteenth) = app.seed_donation().await;
    let next = app.create("/api/v1/donations", json!({"year": 2023, "donor_ids": [donor]})).await;
    assert_eq!(next["number"], 16, "{next}");
    let other_year = app.create("/api/v1/donations", json!({"year": 2024, "donor_ids": [donor]})).await;
    assert_eq!(other_year["number"], 1, "{other_year}");
    let chosen = app.create("/api/v1/donations", json!({"year": 2023, "number": 40, "donor_ids": [donor]})).await;
    assert_eq!(chosen["number"], 40, "a number given is kept");
    // Without a year nothing can be counted, and the donation keeps no number.
    let undated = app.create("/api/v1/donations", json!({"donor_ids": [donor]})).await;
    assert!(undated["number"].is_null(), "{undated}");
    let proposed = app.read(&format!("/api/v1/donations/{}/next-accession", next["id"])).await;
    assert_eq!(proposed["accession_number"], "2023.16.1");
    let proposed = app.read(&format!("/api/v1/donations/{fifteenth}/next-accession")).await;
    assert_eq!(proposed["accession_number"], "2023.15.1");
}

#[tokio::test]
async fn donations_that_arrive_at_once_never_share_a_number() {
    let app = TestApp::spawn().await;
    let (donor, _) = app.seed_donation().await;
    let body = json!({"year": 2023, "donor_ids": [donor]});
    let all =
        futures_util::future::join_all((0..8).map(|_| app.post_json("/api/v1/donations", Some(&app.curator), &body)));
    let mut numbers = Vec::new();
    for res in all.await {
        assert_eq!(res.status(), StatusCode::CREATED);
        let v: serde_json::Value = res.json().await.unwrap();
        numbers.push(v["number"].as_u64().unwrap());
    }
    numbers.sort();
    assert_eq!(numbers, (16..24).collect::<Vec<_>>());
}

#[tokio::test]
async fn donations_are_listed_by_donor_and_status() {
    let app = TestApp::spawn().await;
    let (donor, donation) = app.seed_donation().await;
    let other = app.create("/api/v1/parties", json!({"name": {"zh": "王守仁"}})).await;
    app.create("/api/v1/donations", json!({"year": 2024, "donor_ids": [other["id"]]})).await;
    let listed = app.read(&format!("/api/v1/donations?donor={donor}")).await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], donation);
    let res = app
        .patch_json(
            &format!("/api/v1/donations/{donation}"),
            &app.curator,
            &json!({"version": 1, "status": "accessioned"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(app.read("/api/v1/donations?status=accessioned").await["total"], 1);
    assert_eq!(app.read("/api/v1/donations").await["total"], 2);
    let res = app.as_curator(app.get("/api/v1/donations?status=lost")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_stale_edit_of_a_donation_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, donation) = app.seed_donation().await;
    let path = format!("/api/v1/donations/{donation}");
    let res = app.patch_json(&path, &app.curator, &json!({"version": 1, "status": "accessioned"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.patch_json(&path, &app.curator, &json!({"version": 1, "occasion": {"zh": "另一场"}})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let now = app.read(&path).await;
    assert_eq!(now["occasion"]["zh"], "第15场捐赠仪式");
    assert_eq!(now["version"], 2);
    let history = app.read(&format!("{path}/history")).await;
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[1]["changed"], json!(["status"]));
}

#[tokio::test]
async fn a_bad_donation_is_refused_with_its_fields_named_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let res = app.post_json("/api/v1/donations", Some(&app.curator), &json!({"donor_ids": [], "status": "lost"})).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&res.json().await.unwrap()), ["status"]);
    let res = app.post_json("/api/v1/donations", Some(&app.curator), &json!({"donor_ids": [42]})).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&res.json().await.unwrap()), ["donor_ids[0]"]);
    assert_eq!(app.state.donations(&Default::default()).unwrap().total, 0);
}
