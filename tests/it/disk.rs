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

/// Uploads a real photograph to `accession` as the curator.
async fn upload_scan(app: &TestApp, accession: &str, fields: &[(&str, &str)]) -> (StatusCode, Value) {
    let photo = crate::helpers::images::read_fixture("hopper.jpg");
    crate::helpers::images::upload(app, Some(&app.curator), accession, "hopper.jpg", photo, fields).await
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
    let (status, body) = upload_scan(&app, "2024.1.1", &[]).await;
    assert_eq!(status, StatusCode::INSUFFICIENT_STORAGE, "{body}");

    // Reads and searches keep working.
    assert_eq!(app.read("/api/v1/artefacts/2024.1.1").await["title"]["zh"], "磁盘测试1");
    assert_eq!(app.get("/api/v1/search?q=磁盘测试").send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.get("/healthz").send().await.unwrap().status(), StatusCode::OK);

    // Space freed: writing resumes, and the database is whole.
    std::fs::remove_file(filler).unwrap();
    assert_eq!(post_artefact(&app, 100).await.0, StatusCode::CREATED);
    assert_eq!(integrity(&data), "ok");
    let (status, _) = upload_scan(&app, "2024.1.1", &[]).await;
    assert_eq!(status, StatusCode::CREATED);
    drop(app);
}

/// An ext4 file system on a loop device, mounted with `errors=remount-ro` the way
/// production data disks are, so that a file-system error turns it read-only
/// under the running server. Unmounted and deleted when dropped.
struct Ext4Disk {
    dir: tempfile::TempDir,
    image: tempfile::NamedTempFile,
}

impl Ext4Disk {
    fn mount(megabytes: u64) -> Ext4Disk {
        let image = tempfile::NamedTempFile::new().unwrap();
        image.as_file().set_len(megabytes << 20).unwrap();
        run("mkfs.ext4", &["-q", "-F", image.path().to_str().unwrap()]);
        let dir = tempfile::tempdir().unwrap();
        let disk = Ext4Disk { dir, image };
        disk.attach();
        disk
    }

    fn attach(&self) {
        self.attach_with("loop,errors=remount-ro");
    }

    fn attach_with(&self, options: &str) {
        run("mount", &["-o", options, self.image.path().to_str().unwrap(), self.path().to_str().unwrap()]);
    }

    fn unmount(&self) {
        let start = std::time::Instant::now();
        while !Command::new("umount").arg(self.path()).status().unwrap().success() {
            assert!(start.elapsed() < std::time::Duration::from_secs(20), "the data disk stays busy");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The loop device's name (`loop3`), which names the file system under /sys/fs/ext4.
    fn device(&self) -> String {
        let out = Command::new("findmnt").args(["-n", "-o", "SOURCE"]).arg(self.path()).output().unwrap();
        let source = String::from_utf8(out.stdout).unwrap();
        source.trim().trim_start_matches("/dev/").to_string()
    }

    /// Makes the kernel record a file-system error, as a failing disk does:
    /// with `errors=remount-ro` the file system turns read-only at once,
    /// open files and all.
    fn fail(&self) {
        std::fs::write(format!("/sys/fs/ext4/{}/trigger_fs_error", self.device()), "test").unwrap();
    }

    fn writable(&self) -> bool {
        std::fs::write(self.path().join(".probe"), b"x").is_ok()
    }

    /// Unmounts (waiting for the last open file to close), checks and repairs
    /// the file system as an operator would, and mounts it again read-write.
    fn repair(&self) {
        self.unmount();
        // e2fsck exits 1 when it fixed something, which is expected after an error.
        let status = Command::new("e2fsck").args(["-f", "-y"]).arg(self.image.path()).output().unwrap();
        assert!(status.status.code().is_some_and(|c| c <= 1), "e2fsck: {status:?}");
        self.attach();
    }
}

impl Drop for Ext4Disk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

fn run(program: &str, args: &[&str]) {
    let out = Command::new(program).args(args).output().unwrap();
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn read_only_test_record(n: usize) -> Value {
    json!({"accession_number": format!("2024.2.{n}"), "title": {"zh": format!("只读测试{n}")}, "status": "published"})
}

/// A new record, an edit and an image upload are all refused with 503 `read_only`
/// and a message saying why.
async fn writes_are_refused(app: &TestApp) {
    let refused = |status: StatusCode, body: &Value| {
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["code"], "read_only", "{body}");
        assert!(body["message"].as_str().unwrap().contains("read-only"), "{body}");
    };
    let res = app.post_json("/api/v1/artefacts", Some(&app.curator), &read_only_test_record(4)).await;
    refused(res.status(), &res.json().await.unwrap());
    let res =
        app.patch_json("/api/v1/artefacts/2024.2.2", &app.curator, &json!({"title": {"zh": "改"}, "version": 1})).await;
    refused(res.status(), &res.json().await.unwrap());
    let (status, body) = upload_scan(app, "2024.2.2", &[]).await;
    refused(status, &body);
}

#[tokio::test]
#[ignore = "needs root, to mount a loop device"]
async fn a_data_disk_turned_read_only_refuses_writes_clearly_keeps_reads_and_loses_nothing() {
    let disk = Ext4Disk::mount(128);
    let data = disk.path().join("data");
    let app = TestApp::spawn_with(DataDir::Kept(data.clone()), |_| {}).await;
    for n in 1..=3 {
        app.create("/api/v1/artefacts", read_only_test_record(n)).await;
    }
    let (status, image) = upload_scan(&app, "2024.2.1", &[("visibility", "public")]).await;
    assert_eq!(status, StatusCode::CREATED, "{image}");
    let waited = app.until_found("只读测试3", None, "2024.2.3", std::time::Duration::from_secs(10)).await;
    assert!(waited.is_some(), "indexed before the disk failed");

    let (mut curator, _) = crate::workspace::signed_in(&app, "editor", catalogue::model::role::Role::Curator).await;
    crate::workspace::signed_in(&app, "reader", catalogue::model::role::Role::Researcher).await;
    let edit_form = curator.get("/admin/objects/2024.2.2").await;
    // For /metrics after the failure: no token can be made on a read-only disk.
    let admin = app.user("admin", catalogue::model::role::Role::Admin);

    disk.fail();
    assert!(!disk.writable(), "the file system turned read-only");

    // Every kind of write is refused with 503 read_only and a message saying why.
    writes_are_refused(&app).await;

    // In the workspace: an edit is not saved and the page says why; signing in
    // cannot happen and says why; a signed-in curator keeps reading.
    let saved = curator.submit(&edit_form, "form.record", &[("title_zh", "改")]).await;
    assert_eq!(saved.status, StatusCode::SERVICE_UNAVAILABLE, "{}", saved.body);
    assert!(saved.body.contains("read-only") || saved.body.contains("只读"), "{}", saved.body);
    let mut newcomer = crate::workspace::Browser::new(&app);
    let sign_in = newcomer.try_sign_in("reader", crate::workspace::PASSWORD).await;
    assert_eq!(sign_in.status, StatusCode::SERVICE_UNAVAILABLE, "{}", sign_in.body);
    assert!(sign_in.body.contains("不能登录"), "{}", sign_in.body);
    assert_eq!(curator.get("/admin/objects/2024.2.3").await.status, StatusCode::OK);

    // Reads, searches, pages and image tiles keep working.
    assert_eq!(app.read("/api/v1/artefacts/2024.2.2").await["title"]["zh"], "只读测试2");
    assert_eq!(app.found("只读测试", None).await.len(), 3);
    let page = app.get("/objects/2024.2.1").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let id = image["image"]["id"].as_str().unwrap();
    for path in [
        format!("/iiif/3/{id}/info.json"),
        format!("/iiif/3/{id}/full/max/0/default.jpg"),
        format!("/iiif/3/{id}/10,20,64,48/32,/0/gray.png"),
    ] {
        let res = app.get(&path).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    let health = app.get("/healthz").send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);

    // Restarted while the disk is still read-only, it serves reads (the
    // write-ahead log left behind included) and refuses writes.
    let token = app.curator.clone();
    let dir = app.stop().await;
    let mut app = TestApp::spawn_with(dir, |_| {}).await;
    assert!(app.state.read_only);
    app.curator = token;
    let metrics = app.get("/metrics").bearer_auth(&admin).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("\ncatalogue_read_only 1\n"), "{metrics}");
    assert_eq!(app.read("/api/v1/artefacts/2024.2.3").await["title"]["zh"], "只读测试3");
    assert_eq!(app.found("只读测试", None).await.len(), 3);
    let res = app.get(&format!("/iiif/3/{id}/full/max/0/default.jpg")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    writes_are_refused(&app).await;

    // The operator stops the server, repairs the disk and starts again:
    // every acknowledged write is there, the database is whole, writing works.
    let dir = app.stop().await;
    disk.repair();
    assert_eq!(integrity(&data), "ok");
    let app = TestApp::spawn_with(dir, |_| {}).await;
    for n in 1..=3 {
        assert_eq!(app.read(&format!("/api/v1/artefacts/2024.2.{n}")).await["title"]["zh"], format!("只读测试{n}"));
    }
    assert_eq!(app.get("/api/v1/artefacts/2024.2.4").send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let res = app.get(&format!("/iiif/3/{id}/full/max/0/default.jpg")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the scan survived");
    let fixity = crate::helpers::run_catalogue(&["fixity", "--data-dir", data.to_str().unwrap()]);
    assert!(fixity.status.success(), "fixity: {}", String::from_utf8_lossy(&fixity.stderr));
    app.create("/api/v1/artefacts", read_only_test_record(4)).await;
    let waited = app.until_found("只读测试4", None, "2024.2.4", std::time::Duration::from_secs(10)).await;
    assert!(waited.is_some(), "indexing resumed");
    drop(app);
}

#[tokio::test]
#[ignore = "needs root, to mount a loop device"]
async fn a_catalogue_on_a_read_only_mount_serves_reads_and_refuses_writes() {
    let disk = Ext4Disk::mount(64);
    let data = disk.path().join("data");
    let app = TestApp::spawn_with(DataDir::Kept(data.clone()), |_| {}).await;
    app.with_demo().await;
    let token = app.curator.clone();
    let dir = app.stop().await;
    // A clean stop leaves no write-ahead log: the database is read as immutable.
    assert!(!data.join("catalogue.sqlite3-wal").exists());
    disk.unmount();
    disk.attach_with("loop,ro");
    assert!(!disk.writable());

    let mut app = TestApp::spawn_with(dir, |_| {}).await;
    assert!(app.state.read_only);
    app.curator = token;
    assert_eq!(app.found("晓缘仁兄", None).await.first().map(String::as_str), Some("2023.15.2"));
    assert_eq!(app.get("/objects/2023.15.2").send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.as_curator(app.get("/api/v1/artefacts/2023.15.1")).send().await.unwrap().status(), StatusCode::OK);
    let version = app.read("/api/v1/artefacts/2023.15.1").await["version"].clone();
    let res = app
        .patch_json(
            "/api/v1/artefacts/2023.15.1",
            &app.curator.clone(),
            &json!({"title": {"zh": "改"}, "version": version}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "read_only");
    drop(app);
}
