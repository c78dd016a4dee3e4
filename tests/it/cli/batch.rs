//! `catalogue batch`: previewed by default, applied with `--yes`, all or nothing.

use std::process::Output;

use catalogue::store::Store;

use crate::helpers::{run_catalogue, run_catalogue_ok, said};

fn storage(data: &std::path::Path, accession: &str) -> Option<String> {
    let store = Store::open(&data.join("catalogue.sqlite3")).unwrap();
    store.artefact(accession).unwrap().unwrap().record.body.private.storage_location
}

/// A data directory with the demo catalogue in it.
fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    run_catalogue_ok(&["--data-dir", dir.path().to_str().unwrap(), "demo"]);
    dir
}

/// `catalogue batch ARGS` over `dir`.
fn batch(dir: &tempfile::TempDir, args: &[&str]) -> Output {
    run_catalogue(&[&["--data-dir", dir.path().to_str().unwrap(), "batch"], args].concat())
}

const MOVE: [&str; 4] = ["2023.15.1", "2023.15.2", "--set", "storage_location=库房 C-7"];

#[test]
fn a_batch_is_previewed_then_made_with_yes() {
    let dir = demo();
    let before = storage(dir.path(), "2023.15.1");
    let preview = said(&batch(&dir, &MOVE));
    assert!(preview.contains("change\t2023.15.1\tstorage_location") && preview.contains("库房 C-7"), "{preview}");
    assert!(preview.contains("preview only"), "{preview}");
    assert_eq!(storage(dir.path(), "2023.15.1"), before, "a preview changes nothing");
    let done = said(&batch(&dir, &[&MOVE[..], &["--yes"]].concat()));
    assert!(done.contains("changed 2 record(s)"), "{done}");
    assert_eq!(storage(dir.path(), "2023.15.2").as_deref(), Some("库房 C-7"));
    // Chosen by a search: the calligraphy with its dedication.
    let found = said(&batch(&dir, &["--search", "晓缘仁兄", "--set", "grade=三级文物"]));
    assert!(found.contains("change\t2023.15.2\tgrade"), "{found}");
}

#[test]
fn a_batch_that_cannot_be_made_whole_changes_nothing() {
    let dir = demo();
    let before = storage(dir.path(), "2023.15.1");
    let out = batch(&dir, &["2023.15.1", "NO-SUCH-9", "--set", "storage_location=库房 C-7", "--yes"]);
    assert!(!out.status.success());
    let text = said(&out);
    assert!(text.contains("refused\tNO-SUCH-9") && text.contains("nothing was changed"), "{text}");
    assert_eq!(storage(dir.path(), "2023.15.1"), before);
    let out = batch(&dir, &["2023.15.1", "--set", "colour=red"]);
    assert!(!out.status.success() && said(&out).contains("cannot set `colour`"), "{}", said(&out));
    assert!(!batch(&dir, &["2023.15.1"]).status.success(), "a batch needs a change");
    let out = batch(&dir, &["--publish"]);
    assert!(!out.status.success() && said(&out).contains("choose records"), "{}", said(&out));
}

#[test]
fn a_batch_fills_a_set_its_user_keeps_and_takes_one_as_its_selection() {
    let dir = demo();
    let data = dir.path().to_str().unwrap();
    run_catalogue_ok(&["--data-dir", data, "user", "add", "zhang", "--role", "curator"]);
    let out = batch(&dir, &["--search", "", "--add-to-set", "春季展览"]);
    assert!(!out.status.success() && said(&out).contains("--as NAME"), "{}", said(&out));
    let preview = said(&batch(&dir, &["2023.15.1", "2023.15.2", "--add-to-set", "春季展览", "--as", "zhang"]));
    assert!(preview.contains("add\t2023.15.1") && preview.contains("a new set “春季展览”"), "{preview}");
    let store = Store::open(&dir.path().join("catalogue.sqlite3")).unwrap();
    assert!(store.sets_for("zhang").unwrap().is_empty(), "a preview makes no set");
    let done = said(&batch(&dir, &["2023.15.1", "2023.15.2", "--add-to-set", "春季展览", "--as", "zhang", "--yes"]));
    assert!(done.contains("added 2 record(s)"), "{done}");
    let sets = store.sets_for("zhang").unwrap();
    assert_eq!((sets.len(), sets[0].count, sets[0].shared), (1, 2, false), "{sets:?}");
    let again = said(&batch(&dir, &["2023.15.1", "--add-to-set", &sets[0].id.to_string(), "--as", "zhang", "--yes"]));
    assert!(again.contains("added 0 record(s)") && again.contains("1 already in it"), "{again}");
    // A missing record adds nothing, and makes no set.
    let out = batch(&dir, &["2023.15.1", "NO-SUCH-9", "--add-to-set", "借展", "--as", "zhang", "--yes"]);
    assert!(!out.status.success() && said(&out).contains("refused\tNO-SUCH-9"), "{}", said(&out));
    assert_eq!(store.sets_for("zhang").unwrap().len(), 1);
    // The set as a batch's selection.
    let moved =
        said(&batch(&dir, &["--from-set", "春季展览", "--as", "zhang", "--set", "storage_location=展厅 2", "--yes"]));
    assert!(moved.contains("changed 2 record(s)"), "{moved}");
    assert_eq!(storage(dir.path(), "2023.15.2").as_deref(), Some("展厅 2"));
    let out = batch(&dir, &["--from-set", "没有的集合", "--as", "zhang", "--publish"]);
    assert!(!out.status.success() && said(&out).contains("no set “没有的集合”"), "{}", said(&out));
}
