//! `catalogue images add|rebuild` and `catalogue fixity`, run as a curator would.

use std::path::Path;
use std::process::Command;

use catalogue::store::Store;

use crate::helpers::images::fixture;

use crate::helpers::{run_catalogue, run_catalogue_with, said};

fn validator_record(data: &str) {
    let records = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iiif-validator.jsonl");
    let out = run_catalogue(&["--data-dir", data, "import", records]);
    assert!(out.status.success(), "{}", said(&out));
}

fn originals(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for sub in std::fs::read_dir(dir.join("originals")).unwrap().flatten() {
        out.extend(std::fs::read_dir(sub.path()).unwrap().flatten().map(|e| e.path()));
    }
    out
}

#[test]
fn images_add_keeps_a_chosen_id_and_refuses_what_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    validator_record(data);
    let png = fixture("iiif-validator.png");
    let id = "67352ccc-d1b0-11e1-89ae-279075081939";
    let out = run_catalogue(&["--data-dir", data, "images", "add", "IIIF-TEST-1", png.to_str().unwrap(), "--id", id]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains(&format!("image {id} (1000×1000 png")), "{}", said(&out));
    // Several files: the good ones are added, the bad named, and the command fails.
    let notes = dir.path().join("notes.jpg");
    std::fs::write(&notes, "not a picture").unwrap();
    let jpg = fixture("hopper.jpg");
    let out = run_catalogue(&[
        "--data-dir",
        data,
        "images",
        "add",
        "IIIF-TEST-1",
        jpg.to_str().unwrap(),
        notes.to_str().unwrap(),
        "--role",
        "condition",
    ]);
    assert!(!out.status.success());
    let text = said(&out);
    assert!(text.contains("added:") && text.contains("Internal"), "{text}");
    assert!(text.contains("refused:") && text.contains("notes.jpg") && text.contains("not a JPEG"), "{text}");
    let store = Store::open(&dir.path().join("catalogue.sqlite3")).unwrap();
    assert_eq!(store.images_of_accession("IIIF-TEST-1").unwrap().len(), 2);
    let out = run_catalogue(&["--data-dir", data, "images", "add", "NO-SUCH-1", jpg.to_str().unwrap()]);
    assert!(!out.status.success() && said(&out).contains("there is no artefact NO-SUCH-1"), "{}", said(&out));
    let out =
        run_catalogue(&["--data-dir", data, "images", "add", "IIIF-TEST-1", jpg.to_str().unwrap(), "--role", "cover"]);
    assert!(!out.status.success() && said(&out).contains("primary, detail"), "{}", said(&out));
}

#[test]
fn fixity_finds_changed_and_missing_originals_and_rebuild_restores_derivatives() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    validator_record(data);
    for f in ["iiif-validator.png", "hopper.jpg"] {
        let out = run_catalogue(&["--data-dir", data, "images", "add", "IIIF-TEST-1", fixture(f).to_str().unwrap()]);
        assert!(out.status.success(), "{}", said(&out));
    }
    let out = run_catalogue(&["--data-dir", data, "fixity"]);
    assert!(out.status.success() && said(&out).contains("all 2 originals present and intact"), "{}", said(&out));

    // Derivatives are a cache: remove them and rebuild.
    std::fs::remove_dir_all(dir.path().join("derivatives")).unwrap();
    let out = run_catalogue(&["--data-dir", data, "images", "rebuild"]);
    assert!(out.status.success() && said(&out).contains("rebuilt the derivatives of 2 originals"), "{}", said(&out));
    let pyramids = walk(&dir.path().join("derivatives")).into_iter().filter(|p| p.ends_with("pyramid.json")).count();
    assert_eq!(pyramids, 2);

    // One original altered, one gone.
    let mut files = originals(dir.path());
    files.sort();
    let mut bytes = std::fs::read(&files[0]).unwrap();
    bytes[100] ^= 0xFF;
    std::fs::write(&files[0], bytes).unwrap();
    std::fs::remove_file(&files[1]).unwrap();
    let out = run_catalogue(&["--data-dir", data, "fixity"]);
    assert!(!out.status.success());
    let said = said(&out);
    assert!(said.contains("checksum is now") && said.contains("missing"), "{said}");
    assert!(said.contains("2 of 2 originals are missing or changed"), "{said}");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() { stack.push(e.path()) } else { out.push(e.path()) }
        }
    }
    out
}

/// A local S3-compatible server (moto, from PyPI), stopped when dropped.
struct S3Server {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn s3_server() -> S3Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("moto_server (pip install 'moto[server]')");
    let endpoint = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    S3Server { child, endpoint }
}

#[tokio::test]
#[ignore = "needs moto_server (PyPI moto[server]); .ci/run installs it"]
async fn originals_go_to_an_s3_compatible_store_by_configuration() {
    let s3 = s3_server();
    let http = reqwest::Client::new();
    assert!(http.put(format!("{}/museum", s3.endpoint)).send().await.unwrap().status().is_success());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    validator_record(data);
    let run = |args: &[&str]| {
        let args = [&["--data-dir", data, "--image-store", "s3://museum/scans"], args].concat();
        run_catalogue_with(&args, |c| {
            c.env("AWS_ENDPOINT", &s3.endpoint)
                .env("AWS_ALLOW_HTTP", "true")
                .env("AWS_ACCESS_KEY_ID", "catalogue")
                .env("AWS_SECRET_ACCESS_KEY", "catalogue-secret")
                .env("AWS_REGION", "us-east-1");
        })
    };
    let jpg = fixture("hopper.jpg");
    let out = run(&["images", "add", "IIIF-TEST-1", jpg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(!dir.path().join("originals").join("ff").exists(), "nothing in the local folder");
    let listing = http.get(format!("{}/museum?list-type=2", s3.endpoint)).send().await.unwrap().text().await.unwrap();
    let sha = "ffe89a0ab0e94114e10777e7313d7fa83d634e34ebc2ea7479085cffa504c920";
    assert!(listing.contains(&format!("<Key>scans/ff/{sha}</Key>")), "{listing}");
    let size = std::fs::metadata(&jpg).unwrap().len();
    assert!(listing.contains(&format!("<Size>{size}</Size>")), "the whole file: {listing}");
    // fixity reads it back from the store and hashes it: the bytes are the file's.
    let out = run(&["fixity"]);
    assert!(out.status.success(), "{}", said(&out));
    // Derivatives are local and can be made again from the store.
    std::fs::remove_dir_all(dir.path().join("derivatives")).unwrap();
    let out = run(&["images", "rebuild"]);
    assert!(out.status.success() && said(&out).contains("rebuilt the derivatives of 1 originals"), "{}", said(&out));
}
