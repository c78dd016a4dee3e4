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

/// A register's 存放位置 that names a location (its code or its name) places the object
/// there; one that names none is kept as written, as the record's location note.
#[test]
fn a_register_s_storage_locations_place_its_objects_where_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    run_catalogue_ok(&["--data-dir", data, "demo"]);
    let sheet = dir.path().join("register.csv");
    std::fs::write(
        &sheet,
        "总登记号,藏品名称,类别,存放位置\n\
         2024.8.1,砚台,文具,b1-k2\n\
         2024.8.2,印章,玺印符牌,十五号囊匣\n\
         2024.8.3,扇面,书法、绘画,老库房东墙\n",
    )
    .unwrap();
    let said = run_catalogue_ok(&["--data-dir", data, "import", sheet.to_str().unwrap()]);
    assert!(said.contains("placed in the location their storage location names 2"), "{said}");
    let shelf = run_catalogue_ok(&["--data-dir", data, "locations", "show", "B1-K2"]);
    assert!(shelf.contains("B1-K2\t2024.8.1\t砚台"), "{shelf}");
    assert!(shelf.contains("B1-K2-SH3-S2-X15\t2024.8.2\t印章"), "{shelf}");
    let store = catalogue::store::Store::open(&dir.path().join("catalogue.sqlite3")).unwrap();
    let kept = store.artefact("2024.8.3").unwrap().unwrap().record.body.private.storage_location;
    assert_eq!(kept.as_deref(), Some("老库房东墙"), "kept as written");
    assert!(store.artefact("2024.8.1").unwrap().unwrap().record.body.private.storage_location.is_none());
    assert_eq!(store.movements("2024.8.1").unwrap()[0].reason, catalogue::model::location::MoveReason::Recorded);
    // The same file again changes nothing and moves nothing.
    let said = run_catalogue_ok(&["--data-dir", data, "import", sheet.to_str().unwrap()]);
    assert!(!said.contains("placed"), "{said}");
    assert_eq!(store.movements("2024.8.1").unwrap().len(), 1);
}
