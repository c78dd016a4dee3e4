//! `catalogue dimensions check`.

use crate::helpers::run_catalogue_with_input;

#[test]
fn dimensions_check_lists_the_texts_it_cannot_read() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dimensions.txt");
    let out = run_catalogue_with_input(&["dimensions", "check", fixture], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(lines[0].starts_with("line 13\t\"45 x 30\""), "{listed}");
    assert!(lines[1].starts_with("line 14\t\"-5 cm\"") && lines[1].contains("negative"), "{listed}");
    let summary = String::from_utf8(out.stderr).unwrap();
    assert!(summary.contains("14 dimension texts: 10 structured, 2 state no measurement"), "{summary}");

    let strict = run_catalogue_with_input(&["dimensions", "check", fixture, "--min-rate", "99"], None);
    assert!(!strict.status.success());
    let assumed = run_catalogue_with_input(&["dimensions", "check", fixture, "--implied-unit", "cm"], None);
    assert_eq!(String::from_utf8(assumed.stdout).unwrap().lines().count(), 1, "only the negative value is left");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let out = run_catalogue_with_input(&["dimensions", "check", "/nonexistent/dims.jsonl"], None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/dims.jsonl"));
}
