//! The `catalogue` command line, run as a user would run it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{DataDir, TestApp};

fn catalogue(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_catalogue"))
        .args(args)
        .env_remove("CATALOGUE_DATA_DIR")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run catalogue");
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn user_add_prints_a_working_token_alone_on_the_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = catalogue(
        &["--data-dir", data, "user", "add", "zhang", "--role", "curator", "--password-stdin"],
        Some("long enough secret\n"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().to_string();
    assert!(token.starts_with("mct_") && !token.contains(' '), "{stdout}");
    assert!(!stdout.contains("long enough secret"));

    let app = TestApp::spawn_with(DataDir::Kept(dir.path().to_path_buf()), |_| {}).await;
    let res = app
        .post_json("/api/v1/artefacts", Some(&token), &json!({"accession_number": "2023.2.1", "title": {"zh": "甲"}}))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let history = app.read("/api/v1/artefacts/2023.2.1/history").await;
    assert_eq!(history[0]["actor"], "zhang");
    let throttle = ["name:zhang".to_string()];
    assert!(app.state.sign_in("zhang", "long enough secret", &throttle, None, None).unwrap().is_some());
    assert!(app.state.sign_in("zhang", "wrong password!", &throttle, None, None).unwrap().is_none());
}

#[test]
fn user_add_refuses_a_duplicate_name_and_a_short_password() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let ok = catalogue(&["--data-dir", data, "user", "add", "li", "--role", "researcher"], None);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("without a password"));
    let again = catalogue(&["--data-dir", data, "user", "add", "li", "--role", "admin"], None);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let short =
        catalogue(&["--data-dir", data, "user", "add", "wu", "--role", "admin", "--password-stdin"], Some("short\n"));
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    let bad_role = catalogue(&["--data-dir", data, "user", "add", "wu", "--role", "emperor"], None);
    assert!(!bad_role.status.success());
}

#[test]
fn demo_loads_idempotently_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for _ in 0..2 {
        let out = catalogue(&["--data-dir", data, "demo"], None);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let store = catalogue::store::Store::open(&dir.path().join("catalogue.sqlite3")).unwrap();
    assert_eq!(store.artefact_count().unwrap(), 315);
    // Each photograph record has its photograph, once; the seed items have no scans yet.
    for (accession, width) in [("DEMO-PH-1", 384), ("DEMO-PH-2", 512), ("DEMO-PH-3", 384)] {
        let images = store.images_of_accession(accession).unwrap();
        assert_eq!(images.len(), 1, "{accession}");
        assert_eq!(images[0].meta.width, width, "{accession}");
        assert!(images[0].visible_to_public() && images[0].meta.rights.is_some(), "{accession}");
    }
    assert!(store.images_of_accession("2023.15.1").unwrap().is_empty());
    assert!(store.images_of_accession("2023.15.2").unwrap().is_empty());
    assert_eq!(store.image_originals().unwrap().len(), 3);
}

#[test]
fn dimensions_check_lists_the_texts_it_cannot_read() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dimensions.txt");
    let out = catalogue(&["dimensions", "check", fixture], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(lines[0].starts_with("line 13\t\"45 x 30\""), "{listed}");
    assert!(lines[1].starts_with("line 14\t\"-5 cm\"") && lines[1].contains("negative"), "{listed}");
    let summary = String::from_utf8(out.stderr).unwrap();
    assert!(summary.contains("14 dimension texts: 10 structured, 2 state no measurement"), "{summary}");

    let strict = catalogue(&["dimensions", "check", fixture, "--min-rate", "99"], None);
    assert!(!strict.status.success());
    let assumed = catalogue(&["dimensions", "check", fixture, "--implied-unit", "cm"], None);
    assert_eq!(String::from_utf8(assumed.stdout).unwrap().lines().count(), 1, "only the negative value is left");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let out = catalogue(&["dimensions", "check", "/nonexistent/dims.jsonl"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/dims.jsonl"));
}
