//! `catalogue user add`: accounts and their first token from the command line.

use crate::helpers::{DataDir, TestApp, run_catalogue_with_input};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn user_add_prints_a_working_token_alone_on_the_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = run_catalogue_with_input(
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
    let ok = run_catalogue_with_input(&["--data-dir", data, "user", "add", "li", "--role", "researcher"], None);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("without a password"));
    let again = run_catalogue_with_input(&["--data-dir", data, "user", "add", "li", "--role", "admin"], None);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let short = run_catalogue_with_input(
        &["--data-dir", data, "user", "add", "wu", "--role", "admin", "--password-stdin"],
        Some("short\n"),
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    let bad_role = run_catalogue_with_input(&["--data-dir", data, "user", "add", "wu", "--role", "emperor"], None);
    assert!(!bad_role.status.success());
}
