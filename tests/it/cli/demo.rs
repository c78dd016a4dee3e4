//! `catalogue demo`.

use crate::helpers::run_catalogue_with_input;

#[test]
fn demo_loads_idempotently_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for _ in 0..2 {
        let out = run_catalogue_with_input(&["--data-dir", data, "demo"], None);
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
