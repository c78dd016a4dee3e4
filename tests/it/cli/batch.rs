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
