//! Backup while the server runs, restore into a new data directory, and the copy
//! taken before a schema upgrade.

use std::path::Path;

use reqwest::StatusCode;

use crate::helpers::{TestApp, run_catalogue, run_catalogue_ok};

fn export(data: &Path) -> Vec<u8> {
    let out = run_catalogue(&["--data-dir", data.to_str().unwrap(), "export", "--format", "jsonl"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Every original's checksum, from its bytes.
fn originals(data: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for prefix in std::fs::read_dir(data.join("originals")).unwrap().flatten() {
        for f in std::fs::read_dir(prefix.path()).unwrap().flatten() {
            let bytes = std::fs::read(f.path()).unwrap();
            use sha2::Digest;
            let sum = hex::encode(sha2::Sha256::digest(&bytes));
            assert_eq!(sum, f.file_name().to_string_lossy(), "an original is named by its checksum");
            out.push(sum);
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_to_the_same_catalogue_and_images() {
    let app = TestApp::spawn().await;
    let state = &app.state;
    state.load_demo().unwrap();
    assert!(state.load_demo_images().await.unwrap() > 0);
    let data = app.path().to_path_buf();
    let work = tempfile::tempdir().unwrap();
    let backup = work.path().join("backup-1");
    let restored = work.path().join("restored");

    // Writes keep coming while the backup is taken; the backup is one consistent moment.
    let writer = {
        let (client, url, token) = (app.client.clone(), app.url("/api/v1/artefacts"), app.curator.clone());
        tokio::spawn(async move {
            for i in 0..30 {
                let body =
                    serde_json::json!({"accession_number": format!("2030.1.{}", i + 1), "title": {"zh": "备份中写入"}});
                let res = client.post(&url).bearer_auth(&token).json(&body).send().await.unwrap();
                assert_eq!(res.status(), StatusCode::CREATED);
            }
        })
    };
    let said = run_catalogue_ok(&["--data-dir", data.to_str().unwrap(), "backup", backup.to_str().unwrap()]);
    assert!(said.contains("backed up"), "{said}");
    writer.await.unwrap();

    // The folder checks with sha256sum's own format.
    let sums = std::fs::read_to_string(backup.join("SHA256SUMS")).unwrap();
    assert!(sums.lines().any(|l| l.ends_with("  catalogue.sqlite3")));
    assert_eq!(sums.lines().filter(|l| l.contains("  originals/")).count(), originals(&data).len());

    // Backing up over an existing backup is refused.
    let out = run_catalogue(&["--data-dir", data.to_str().unwrap(), "backup", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));

    let said = run_catalogue_ok(&["restore", backup.to_str().unwrap(), "--data-dir", restored.to_str().unwrap()]);
    assert!(said.contains("restored"), "{said}");
    assert_eq!(originals(&restored), originals(&data), "the same originals, byte for byte");
    // The restored catalogue is the backed-up moment: the live one has moved on since by
    // at most the writes made during the backup, and is otherwise the same.
    let now = String::from_utf8(export(&data)).unwrap();
    let then = String::from_utf8(export(&restored)).unwrap();
    let extra: Vec<&str> = now.lines().filter(|l| !then.lines().any(|t| t == *l)).collect();
    assert!(then.lines().all(|l| now.lines().any(|n| n == l)), "every restored record is as it was");
    assert!(extra.iter().all(|l| l.contains("备份中写入")), "only the writes made during the backup differ");
    let fixity = run_catalogue_ok(&["--data-dir", restored.to_str().unwrap(), "fixity"]);
    assert!(fixity.contains("intact"), "{fixity}");
    let found = run_catalogue_ok(&["--data-dir", restored.to_str().unwrap(), "search", "李书城"]);
    assert!(found.contains("2023.15."), "the restored catalogue is searchable: {found}");

    // A second backup after the writes, restored, exports identically to the live catalogue.
    let backup2 = work.path().join("backup-2");
    run_catalogue_ok(&["--data-dir", data.to_str().unwrap(), "backup", backup2.to_str().unwrap()]);
    let restored2 = work.path().join("restored-2");
    run_catalogue_ok(&["restore", backup2.to_str().unwrap(), "--data-dir", restored2.to_str().unwrap()]);
    assert_eq!(export(&restored2), export(&data), "exports identical");

    // A damaged backup is refused, naming the file, and nothing is restored.
    let (_, first) = sums.lines().find(|l| l.contains("  originals/")).unwrap().split_once("  ").unwrap();
    let damaged = backup.join(first);
    let mut bytes = std::fs::read(&damaged).unwrap();
    bytes[100] ^= 0xff;
    std::fs::write(&damaged, bytes).unwrap();
    let target = work.path().join("restored-damaged");
    let out = run_catalogue(&["restore", backup.to_str().unwrap(), "--data-dir", target.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(first) && said.contains("changed"), "{said}");
    assert!(!target.join("catalogue.sqlite3").exists(), "nothing was restored");
    // Nor into a directory that holds a catalogue.
    let out = run_catalogue(&["restore", backup2.to_str().unwrap(), "--data-dir", data.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}

#[test]
fn an_upgrade_copies_the_database_before_migrating() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalogue.sqlite3");
    {
        // A catalogue at the schema before sessions existed.
        let c = crate::helpers::old_schema(&path, 2);
        c.execute("INSERT INTO users(name, role, created_at) VALUES ('ada', 'admin', '2024-01-01T00:00:00Z')", [])
            .unwrap();
    }
    let store = catalogue::store::Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 7);
    let copies: Vec<_> = std::fs::read_dir(dir.path().join("backups")).unwrap().flatten().collect();
    assert_eq!(copies.len(), 1, "one copy before the upgrade");
    let copy = rusqlite::Connection::open(copies[0].path()).unwrap();
    let version: i64 = copy.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 2, "the copy is the database as it was");
    let users: i64 = copy.query_row("SELECT count(*) FROM users", [], |r| r.get(0)).unwrap();
    assert_eq!(users, 1);
    // Opening again applies nothing and copies nothing.
    drop(store);
    catalogue::store::Store::open(&path).unwrap();
    assert_eq!(std::fs::read_dir(dir.path().join("backups")).unwrap().count(), 1);
}
