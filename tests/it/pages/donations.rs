//! `/donations/{id}`: a donation's page.

use reqwest::StatusCode;
use serde_json::json;

use super::visit;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_donation_with_nothing_published_is_not_found() {
    let app = TestApp::spawn().await;
    let (_, donation) = app.seed_donation().await;
    app.create("/api/v1/artefacts", json!({"donation_id": donation, "title": {"zh": "待编目"}, "status": "draft"}))
        .await;
    let page = visit(&app, &format!("/donations/{donation}"), &[]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let donors = visit(&app, "/donors", &[]).await;
    assert!(donors.all("ul.donors > li").is_empty(), "no donor is listed for an unpublished gift");
}
