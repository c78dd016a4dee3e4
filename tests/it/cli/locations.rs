//! `catalogue locations`, `catalogue move` and `catalogue inventory`, as a registrar runs
//! them over the demo catalogue (which keeps its two relics in the store and a gallery).

use crate::helpers::{run_catalogue, run_catalogue_ok, run_catalogue_with_input, said};

#[test]
fn a_registrar_adds_a_shelf_moves_a_box_and_checks_it_with_a_scanner() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let run = |args: &[&str]| run_catalogue_ok(&[&["--data-dir", data], args].concat());
    run(&["demo"]);
    let tree = run(&["locations", "list"]);
    assert!(tree.contains("B1-K2-SH3-S2-X15  十五号囊匣  (1)"), "{tree}");
    assert!(tree.contains("\n      B1-K2-SH3-S2  第二层  (0)"), "nested under its cabinet: {tree}");
    let shelf = run(&["locations", "show", "b1-k2"]);
    assert!(shelf.contains("B1-K2-SH3-S2-X15\t2023.15.2\t黎澍书陆游《村饮》诗"), "{shelf}");
    assert!(!shelf.contains("2023.15.1"), "the reproduction is on display: {shelf}");

    let added =
        run(&["locations", "add", "B1-K3", "--name", "三号文物库房", "--name-en", "Store room 3", "--parent", "B1"]);
    assert!(added.contains("added location B1-K3 in B1"), "{added}");
    let moved =
        run(&["move", "--from", "B1-K2-SH3-S2-X15", "--to", "B1-K3", "--reason", "storage", "--note", "库房调整"]);
    assert!(moved.contains("moved 1 objects to B1-K3"), "{moved}");
    let moved = run(&["move", "2023.15.1", "--to", "b1-k3", "--reason", "storage"]);
    assert!(moved.contains("moved 1 objects"), "{moved}");

    let started = run(&["inventory", "start", "B1-K3"]);
    assert!(started.contains("inventory check 1 of B1-K3: 2 objects to find"), "{started}");
    let out = run_catalogue_with_input(&["--data-dir", data, "inventory", "mark", "1", "-"], Some("2023.15.2\n\n"));
    assert!(out.status.success(), "{}", said(&out));
    let report = run(&["inventory", "finish", "1"]);
    assert!(report.contains("1 of 2 expected objects marked"), "{report}");
    assert!(report.contains("2023.15.1\tnot seen"), "{report}");
    assert!(!report.contains("2023.15.2"), "found where recorded: {report}");

    // Bad input: a clear message, nothing written.
    for (args, says) in [
        (&["move", "2023.15.2", "--to", "NOWHERE", "--reason", "storage"][..], "there is no location NOWHERE"),
        (&["move", "2023.15.2", "--to", "B1-G1", "--reason", "lunch"], "not a reason for a move"),
        (&["locations", "add", "库房", "--name", "库房"], "may hold only letters"),
        (&["inventory", "mark", "1", "2023.15.1"], "is finished"),
    ] {
        let out = run_catalogue(&[&["--data-dir", data], args].concat());
        assert!(!out.status.success(), "{args:?}");
        assert!(said(&out).contains(says), "{args:?}: {}", said(&out));
    }
}
