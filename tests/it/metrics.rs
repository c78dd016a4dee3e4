//! `/metrics`: Prometheus text with requests by route pattern, latencies and gauges.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn metrics_count_requests_by_route_and_report_index_lag() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2024.1.1", "title": {"zh": "甲"}, "status": "published"}),
    )
    .await;
    for accession in ["2024.1.1", "2024.1.1", "9999.9.9"] {
        app.get(&format!("/api/v1/artefacts/{accession}")).send().await.unwrap();
    }
    // Wait for the indexer to catch up, so the lag is zero.
    let found = app.until_found("甲", None, "2024.1.1", std::time::Duration::from_secs(10)).await;
    assert!(found.is_some());
    let admin = app.user("admin", Role::Admin);
    let res = app.get("/metrics").bearer_auth(&admin).send().await.unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    let value = |series: &str| -> Option<f64> {
        text.lines().find(|l| l.starts_with(series)).and_then(|l| l.rsplit(' ').next()).and_then(|v| v.parse().ok())
    };
    let route = "route=\"/api/v1/artefacts/{accession}\"";
    assert_eq!(
        value(&format!("catalogue_http_requests_total{{method=\"GET\",{route},status=\"200\",outcome=\"success\"}}")),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        value(&format!(
            "catalogue_http_requests_total{{method=\"GET\",{route},status=\"404\",outcome=\"client_error\"}}"
        )),
        Some(1.0)
    );
    assert_eq!(value(&format!("catalogue_http_request_duration_seconds_count{{{route}}}")), Some(3.0));
    assert_eq!(value(&format!("catalogue_http_request_duration_seconds_bucket{{{route},le=\"+Inf\"}}")), Some(3.0));
    assert_eq!(value("catalogue_index_lag "), Some(0.0));
    assert_eq!(value("catalogue_artefacts "), Some(1.0));
    assert!(!text.contains("9999.9.9") && !text.contains("2024.1.1"), "routes, not raw paths: no record's number");
}

/// The metrics tell how many records are not public: only administrators read them.
#[tokio::test]
async fn metrics_are_for_administrators_only() {
    let app = TestApp::spawn().await;
    let res = app.get("/metrics").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "authentication_required", "{body}");
    let text = app.as_curator(app.get("/metrics")).send().await.unwrap();
    assert_eq!(text.status(), StatusCode::FORBIDDEN);
    let researcher = app.user("reader", Role::Researcher);
    let res = app.get("/metrics").bearer_auth(researcher).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body = res.text().await.unwrap();
    assert!(!body.contains("catalogue_artefacts"), "{body}");
    let admin = app.user("admin", Role::Admin);
    let res = app.get("/metrics").bearer_auth(admin).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("\ncatalogue_artefacts "));
}

/// A 501 from the IIIF server (a rotation level 2 does not require) is a correct
/// answer to the client's choice: counted as a client error, not with the server's failures.
#[tokio::test]
async fn a_feature_the_server_does_not_offer_is_not_counted_as_a_server_error() {
    let app = TestApp::spawn().await;
    let res = app.get("/iiif/3/some-image/full/max/45/default.jpg").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_IMPLEMENTED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "not_implemented");
    let admin = app.user("admin", Role::Admin);
    let text = app.get("/metrics").bearer_auth(&admin).send().await.unwrap().text().await.unwrap();
    let route = "route=\"/iiif/3/{id}/{region}/{size}/{rotation}/{quality_format}\"";
    let line =
        text.lines().find(|l| l.contains(route) && l.contains("status=\"501\"")).unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("outcome=\"client_error\""), "{line}");
    assert!(!text.contains("outcome=\"server_error\""), "{text}");
}
