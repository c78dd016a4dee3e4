//! A full disk: writes fail with a clear error, reads keep working, nothing is
//! corrupted, and writing resumes once there is space again. A small tmpfs
//! stands in for the disk, so this needs root (`.ci/run` runs it).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DataDir, TestApp};

/// A tmpfs of `megabytes` mounted on a temporary folder, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(ok.success(), "mounting a tmpfs needs root");
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Fills the disk with a file until it is full; returns the file.
fn fill(disk: &Path) -> PathBuf {
    let path = disk.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    let _ = f.sync_all();
    path
}

fn integrity(data: &Path) -> String {
    let c = rusqlite::Connection::open(data.join("catalogue.sqlite3")).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

async fn post_artefact(app: &TestApp, n: usize) -> (StatusCode, Value) {
    let body = json!({"accession_number": format!("2024.1.{n}"), "title": {"zh": format!("磁盘测试{n}")},
        "description": {"zh": "长".repeat(20_000)}});
    let res = app.post_json("/api/v1/artefacts", Some(&app.curator), &body).await;
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
#[ignore = "needs root, to mount a small tmpfs"]
async fn a_full_disk_refuses_writes_clearly_keeps_reads_and_recovers() {
    let disk = SmallDisk::mount(64);
    let data = disk.path().join("data");
    let app = TestApp::spawn_with(DataDir::Kept(data.clone()), |_| {}).await;
    assert_eq!(post_artefact(&app, 1).await.0, StatusCode::CREATED);
    let filler = fill(disk.path());

    // Writes are refused with 507 and a message saying why; never a 500.
    let mut refused = None;
    for n in 2..60 {
        let (status, body) = post_artefact(&app, n).await;
        assert!(status == StatusCode::CREATED || status == StatusCode::INSUFFICIENT_STORAGE, "{status}: {body}");
        if status == StatusCode::INSUFFICIENT_STORAGE {
            refused = Some(body);
            break;
        }
    }
    let body = refused.expect("a write was refused once the disk was full");
    assert_eq!(body["code"], "storage_full");
    assert!(body["message"].as_str().unwrap().contains("disk is full"), "{body}");
    // An image upload too.
    let (status, body) = crate::images::upload(
        &app,
        Some(&app.curator.clone()),
        "2024.1.1",
        "hopper.jpg",
        crate::images::read_fixture("hopper.jpg"),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{body}");

    // Reads and searches keep working.
    assert_eq!(app.read("/api/v1/artefacts/2024.1.1").await["title"]["zh"], "磁盘测试1");
    assert_eq!(app.get("/api/v1/search?q=磁盘测试").send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.get("/healthz").send().await.unwrap().status(), StatusCode::OK);

    // Space freed: writing resumes, and the database is whole.
    std::fs::remove_file(filler).unwrap();
    assert_eq!(post_artefact(&app, 100).await.0, StatusCode::CREATED);
    assert_eq!(integrity(&data), "ok");
    let (status, _) = crate::images::upload(
        &app,
        Some(&app.curator.clone()),
        "2024.1.1",
        "hopper.jpg",
        crate::images::read_fixture("hopper.jpg"),
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    drop(app);
}
