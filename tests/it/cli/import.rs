//! `catalogue import` of the open datasets' JSON lines: all or nothing, re-import updates.

use catalogue::store::Store;

use crate::helpers::run_catalogue;

fn demo_records() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/records.jsonl").to_string()
}

fn count(dir: &std::path::Path) -> i64 {
    Store::open(&dir.join("catalogue.sqlite3")).unwrap().artefact_count().unwrap()
}

#[test]
fn importing_a_dataset_twice_creates_then_finds_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let records = demo_records();
    let first = run_catalogue(&["--data-dir", data, "import", &records]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let summary = String::from_utf8_lossy(&first.stderr);
    assert!(summary.contains("created 310, updated 0, unchanged 0"), "{summary}");
    assert_eq!(count(dir.path()), 310);
    let again = run_catalogue(&["--data-dir", data, "import", &records]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("created 0, updated 0, unchanged 310"));
    assert_eq!(count(dir.path()), 310);

    // A changed record is updated, with its history.
    let changed = dir.path().join("changed.jsonl");
    let line = std::fs::read_to_string(&records)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .replace("\"title\": \"", "\"title\": \"修訂 ");
    std::fs::write(&changed, format!("{line}\n")).unwrap();
    let update = run_catalogue(&["--data-dir", data, "import", changed.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&update.stderr).contains("created 0, updated 1, unchanged 0"),
        "{}",
        String::from_utf8_lossy(&update.stderr)
    );
    let store = Store::open(&dir.path().join("catalogue.sqlite3")).unwrap();
    let number: serde_json::Value = serde_json::from_str(&line).unwrap();
    let a = store.artefact(number["accession_number"].as_str().unwrap()).unwrap().unwrap();
    assert!(a.record.body.title.zh.as_deref().unwrap().starts_with("修訂"));
    assert_eq!(a.version, 2);
    let history = store.history(catalogue::store::Entity::Artefact, a.id).unwrap();
    assert_eq!(history.iter().map(|h| h.action.as_str()).collect::<Vec<_>>(), ["import", "import"]);
}

#[test]
fn a_file_with_a_bad_row_imports_nothing_and_names_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let lines: Vec<String> =
        std::fs::read_to_string(demo_records()).unwrap().lines().take(3).map(String::from).collect();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, format!("{}\n{}\n{{\"source\": 5, oops\n{}\n", lines[0], lines[1], lines[2])).unwrap();
    let out = run_catalogue(&["--data-dir", data, "import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 3") && err.contains("nothing imported"), "{err}");
    assert_eq!(count(dir.path()), 0, "all or nothing");
}

#[test]
fn a_dry_run_checks_everything_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = run_catalogue(&["--data-dir", data, "import", "--dry-run", &demo_records()]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("310 records valid"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(count(dir.path()), 0);
}

#[test]
fn importing_as_an_unknown_user_or_an_unknown_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = run_catalogue(&["--data-dir", data, "import", "--as", "nobody", &demo_records()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no user nobody"));
    let odd = dir.path().join("records.xyz");
    std::fs::write(&odd, "x").unwrap();
    let out = run_catalogue(&["--data-dir", data, "import", odd.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format"));
    assert_eq!(count(dir.path()), 0);
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_shared_datasets_import_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data");
    let zh = format!("{root}/zh/npm-taipei.jsonl.gz");
    let en = format!("{root}/en/en-records.jsonl.gz");
    let out = run_catalogue(&["--data-dir", data, "import", &zh, &en]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(count(dir.path()) > 318_000);
}
