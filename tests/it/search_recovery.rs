//! The indexes recover from a crash between the database commit and the index
//! commit, and `catalogue reindex` swaps in rebuilt indexes under a running server.

use std::time::Duration;

use catalogue::model::accession::AccessionPattern;
use catalogue::model::artefact::{ArtefactInput, Rules};
use catalogue::model::common::LocalText;
use catalogue::model::vocab::Vocabularies;
use catalogue::store::Store;
use serde_json::{Value, json};

use crate::helpers::{TestApp, run_catalogue, said, start_server};

async fn search(client: &reqwest::Client, base: &str, q: &str) -> Value {
    client.get(format!("{base}/api/v1/search")).query(&[("q", q)]).send().await.unwrap().json().await.unwrap()
}

async fn total(client: &reqwest::Client, base: &str, q: &str) -> u64 {
    search(client, base, q).await["total"].as_u64().unwrap()
}

async fn wait_total(client: &reqwest::Client, base: &str, q: &str, want: u64) -> u64 {
    let mut last = 0;
    for _ in 0..100 {
        last = total(client, base, q).await;
        if last == want {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    last
}

#[tokio::test]
async fn a_record_committed_before_a_crash_is_searchable_once_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    // Written to the database by a process that dies before any index commit.
    {
        let store = Store::open(&dir.path().join("catalogue.sqlite3")).unwrap();
        let vocab = Vocabularies::shipped();
        let input = ArtefactInput {
            accession_number: Some("2023.5.1".into()),
            title: Some(LocalText::zh("碑帖拓本残页")),
            status: Some(catalogue::model::artefact::PublicationStatus::Published),
            ..Default::default()
        };
        let new = input.validate(&Rules { vocab: &vocab, pattern: None, implied_unit: None }).unwrap();
        store.create_artefact("test", new, &AccessionPattern::default()).unwrap();
    }
    let client = reqwest::Client::new();
    let (mut server, base) = start_server(data);
    assert_eq!(wait_total(&client, &base, "碑帖拓本残页", 1).await, 1);
    server.kill().unwrap();
    server.wait().unwrap();
    let (mut server, base) = start_server(data);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(total(&client, &base, "碑帖拓本残页").await, 1, "applied once, not twice");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn killing_the_server_right_after_a_write_loses_nothing_from_search() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let store = Store::open(&dir.path().join("catalogue.sqlite3")).unwrap();
    let user = store.add_user("test", "curator", catalogue::model::role::Role::Curator, None).unwrap();
    let token = store.create_token("test", user.id, None).unwrap().secret;
    drop(store);
    let client = reqwest::Client::new();
    for round in 1..=3 {
        let (mut server, base) = start_server(data);
        let res = client
            .post(format!("{base}/api/v1/artefacts"))
            .bearer_auth(&token)
            .json(&json!({"accession_number": format!("2023.6.{round}"), "title": {"zh": "急救包"}, "status": "published"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        // SIGKILL: no graceful shutdown, the index commit may or may not have happened.
        server.kill().unwrap();
        server.wait().unwrap();
    }
    let (mut server, base) = start_server(data);
    assert_eq!(wait_total(&client, &base, "急救包", 3).await, 3, "every committed record is searchable exactly once");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn reindex_rebuilds_under_a_running_server_which_keeps_answering() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let before = app.search("", None).await["total"].as_u64().unwrap();
    let generation = |app: &TestApp| app.state.index_generation();
    let old = generation(&app);
    let data = app.state.config.data_dir.to_str().unwrap().to_string();
    let out = run_catalogue(&["--data-dir", &data, "reindex"]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rebuilt both indexes"));
    for _ in 0..50 {
        if generation(&app) != old {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_ne!(generation(&app), old, "the server moved to the rebuilt indexes");
    // The server merges a rebuilt generation into one segment per index while it serves.
    let segments = |app: &TestApp| {
        let i = app.indexes_on_disk();
        [&i.internal, &i.public].map(|x| x.index.searchable_segment_ids().unwrap().len())
    };
    for _ in 0..100 {
        if segments(&app) == [1, 1] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(segments(&app), [1, 1]);
    assert_eq!(app.search("", None).await["total"].as_u64().unwrap(), before);
    assert_eq!(app.found("晓缘仁兄", None).await.first().map(String::as_str), Some("2023.15.2"));
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.15.9", "title": {"zh": "新入藏信札"}, "status": "published"}),
    )
    .await;
    app.until_found("信札", None, "2023.15.9", Duration::from_secs(2))
        .await
        .expect("writes after a reindex are indexed");
}

/// Indexes another version made (other fields, or documents stored another way) are set
/// aside and rebuilt from the database when the server starts.
#[tokio::test]
async fn indexes_made_by_another_version_are_rebuilt_at_start() {
    let mut other_fields = tantivy::schema::Schema::builder();
    other_fields.add_text_field("gram", tantivy::schema::TEXT);
    let old_indexes = [
        (other_fields.build(), tantivy::IndexSettings::default()),
        // This version's fields, with tantivy's default document store (16 KB LZ4 blocks).
        (catalogue::search::schema::schema().0, tantivy::IndexSettings::default()),
    ];
    for (schema, settings) in old_indexes {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_str().unwrap();
        let demo = run_catalogue(&["--data-dir", data, "demo"]);
        assert!(demo.status.success(), "{}", said(&demo));
        // Replace the generation in use by empty indexes as an older version made them.
        let root = dir.path().join("index");
        let old = std::fs::read_to_string(root.join("CURRENT")).unwrap().trim().to_string();
        std::fs::remove_dir_all(root.join(&old)).unwrap();
        for name in ["internal", "public"] {
            let path = root.join(&old).join(name);
            std::fs::create_dir_all(&path).unwrap();
            let index = tantivy::Index::builder()
                .schema(schema.clone())
                .settings(settings.clone())
                .create_in_dir(&path)
                .unwrap();
            let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
            writer.commit().unwrap();
        }
        let client = reqwest::Client::new();
        let (mut server, base) = start_server(data);
        let v = search(&client, &base, "晓缘仁兄").await;
        assert_eq!(v["hits"][0]["accession"], "2023.15.2", "{v}");
        let current = std::fs::read_to_string(root.join("CURRENT")).unwrap();
        assert_ne!(current.trim(), old, "a new generation is in use");
        assert!(!root.join(&old).exists(), "the outdated generation is removed");
        server.kill().unwrap();
        server.wait().unwrap();
    }
}
