//! Restarting on the same data directory loses nothing.

use serde_json::json;

use crate::helpers::{DataDir, TestApp};

#[tokio::test]
async fn everything_is_still_there_after_a_restart() {
    let app = TestApp::spawn().await;
    let (donor, donation) = app.seed_donation().await;
    let created = app
        .create(
            "/api/v1/artefacts",
            json!({"donation_id": donation, "title": {"zh": "黎澍书陆游《村饮》诗"}, "date": "约1923年",
                   "inscriptions": [{"kind": "dedication", "text": "晓缘仁兄"}], "private": {"storage_location": "A-3"}}),
        )
        .await;
    let patched = app
        .patch_json("/api/v1/artefacts/2023.15.1", &app.curator, &json!({"version": 1, "status": "published"}))
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let history_before = app.read("/api/v1/artefacts/2023.15.1/history").await;
    let donor_before = app.read(&format!("/api/v1/parties/{donor}")).await;
    let written = app.written();
    let dir = app.stop().await;

    let path = dir.path().to_path_buf();
    let again = TestApp::spawn_with(DataDir::Kept(path), |_| {}).await;
    let read = again.read("/api/v1/artefacts/2023.15.1").await;
    assert_eq!(read, patched);
    assert_eq!(read["inscriptions"], created["inscriptions"]);
    assert_eq!(again.read("/api/v1/artefacts/2023.15.1/history").await, history_before);
    assert_eq!(again.read(&format!("/api/v1/parties/{donor}")).await, donor_before);
    assert_eq!(again.get("/api/v1/artefacts/2023.15.1").send().await.unwrap().status(), 200, "still published");
    // The restarted server's own token is one more audit row; the records are the same.
    assert_eq!(again.written().1, written.1);
    drop(again);
    drop(dir);
}
