//! `/metrics`: Prometheus text with requests by route pattern, latencies and gauges.

use serde_json::json;

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
    let res = app.get("/metrics").send().await.unwrap();
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    let value = |series: &str| -> Option<f64> {
        text.lines().find(|l| l.starts_with(series)).and_then(|l| l.rsplit(' ').next()).and_then(|v| v.parse().ok())
    };
    let route = "route=\"/api/v1/artefacts/{accession}\"";
    assert_eq!(
        value(&format!("catalogue_http_requests_total{{method=\"GET\",{route},status=\"200\"}}")),
        Some(2.0),
        "{text}"
    );
    assert_eq!(value(&format!("catalogue_http_requests_total{{method=\"GET\",{route},status=\"404\"}}")), Some(1.0));
    assert_eq!(value(&format!("catalogue_http_request_duration_seconds_count{{{route}}}")), Some(3.0));
    assert_eq!(value(&format!("catalogue_http_request_duration_seconds_bucket{{{route},le=\"+Inf\"}}")), Some(3.0));
    assert_eq!(value("catalogue_index_lag "), Some(0.0));
    assert_eq!(value("catalogue_artefacts "), Some(1.0));
    assert!(!text.contains("9999.9.9") && !text.contains("2024.1.1"), "routes, not raw paths: no record's number");
}
