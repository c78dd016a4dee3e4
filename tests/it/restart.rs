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

/// An upgrade turns the free-text storage locations written on records into locations: each
/// text a location of its own, coded by it when it is a code, with the object moved there;
/// a text that is a sentence stays on the record as its note.
#[tokio::test]
async fn an_upgrade_turns_written_storage_locations_into_locations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalogue.sqlite3");
    {
        let c = crate::helpers::old_schema(&path, 6);
        let doc = |n: &str, place: &str| {
            serde_json::json!({"accession_number": n, "title": {"zh": "旧记录"}, "status": "internal",
                               "private": {"storage_location": place, "internal_notes": "保留"}})
            .to_string()
        };
        for (n, place) in [
            ("2020.1.1", "库房B-3"),
            ("2020.1.2", " 库房B-3 "),
            ("2020.1.3", "a-1-3"),
            ("2020.1.4", "暂存于修复室，待修复后返回三号库房。"),
        ] {
            c.execute(
                "INSERT INTO artefacts(accession_number, status, version, doc, created_at, updated_at)
                 VALUES (?1, 'internal', 1, ?2, '2020-05-01T08:00:00Z', '2020-05-01T08:00:00Z')",
                rusqlite::params![n, doc(n, place)],
            )
            .unwrap();
        }
    }
    let app =
        crate::helpers::TestApp::spawn_with(crate::helpers::DataDir::Kept(dir.path().to_path_buf()), |_| {}).await;
    let locations = app.read("/api/v1/locations").await;
    let mut made: Vec<(String, String, u64)> = locations
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["code"].as_str().unwrap().into(),
                l["name"]["zh"].as_str().unwrap().into(),
                l["objects"].as_u64().unwrap(),
            )
        })
        .collect();
    made.sort();
    assert_eq!(made, [("A-1-3".into(), "a-1-3".into(), 1), ("L-0002".into(), "库房B-3".into(), 2)]);
    let moved = app.read("/api/v1/artefacts/2020.1.2/movements").await;
    assert_eq!(moved["current"]["code"], "L-0002");
    assert_eq!(moved["movements"][0]["reason"], "recorded");
    assert_eq!(moved["movements"][0]["date"], "2020-05-01");
    let record = app.read("/api/v1/artefacts/2020.1.2").await;
    assert!(record["private"]["storage_location"].is_null(), "the text became the location");
    assert_eq!(record["private"]["internal_notes"], "保留");
    assert_eq!(record["version"], 2);
    let kept = app.read("/api/v1/artefacts/2020.1.4").await;
    assert_eq!(
        kept["private"]["storage_location"], "暂存于修复室，待修复后返回三号库房。",
        "a sentence stays as written"
    );
    assert!(app.read("/api/v1/artefacts/2020.1.4/movements").await["current"].is_null());
    let history = app.read("/api/v1/artefacts/2020.1.1/history").await;
    assert_eq!(history[0]["action"], "move");
    assert_eq!(history[0]["actor"], "system:migration");
}
