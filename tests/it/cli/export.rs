//! `catalogue export`: JSON lines and CSV that import back as the same records,
//! and public exports that hold nothing private or unpublished.

use std::path::Path;

use crate::helpers::{run_catalogue, run_catalogue_ok};

fn export(data: &Path, format: &str, public: bool, to: &Path) -> String {
    let mut args = vec!["--data-dir", data.to_str().unwrap(), "export", "--format", format, "-o", to.to_str().unwrap()];
    if public {
        args.push("--public");
    }
    run_catalogue_ok(&args);
    std::fs::read_to_string(to).unwrap()
}

#[test]
fn json_lines_and_csv_round_trip_through_an_empty_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (dir.path().join("a"), dir.path().join("b"), dir.path().join("c"));
    run_catalogue_ok(&["--data-dir", a.to_str().unwrap(), "demo"]);
    let first = export(&a, "jsonl", false, &dir.path().join("a.jsonl"));
    assert_eq!(first.lines().count(), 315);
    let said =
        run_catalogue_ok(&["--data-dir", b.to_str().unwrap(), "import", dir.path().join("a.jsonl").to_str().unwrap()]);
    assert!(said.contains("created 315") && said.contains("donors created 1, donations created 1"), "{said}");
    let second = export(&b, "jsonl", false, &dir.path().join("b.jsonl"));
    assert_eq!(first, second, "every field of every record comes back");
    // The seed donation comes back with its donor and its number.
    let store = catalogue::store::Store::open(&b.join("catalogue.sqlite3")).unwrap();
    let scroll = store.artefact("2023.15.2").unwrap().unwrap();
    let donation = store.donation(scroll.record.body.donation_id.unwrap()).unwrap().unwrap();
    assert_eq!((donation.record.number, donation.record.year), (Some(15), Some(2023)));
    let donor = store.party(donation.record.donor_ids[0]).unwrap().unwrap();
    assert_eq!(donor.record.name.zh.as_deref(), Some("李振亚"));
    assert!(donor.record.naming_consent, "the donor's consent travels with the export");

    // CSV carries the register's fields; exported, imported and exported again it is the same file.
    let csv = export(&a, "csv", false, &dir.path().join("a.csv"));
    assert!(csv.starts_with("\u{feff}总登记号,藏品名称"), "census headers, with a BOM for Excel");
    run_catalogue_ok(&["--data-dir", c.to_str().unwrap(), "import", dir.path().join("a.csv").to_str().unwrap()]);
    let again = export(&c, "csv", false, &dir.path().join("c.csv"));
    assert_eq!(csv, again);
}

#[test]
fn a_public_export_holds_no_private_field_and_no_unpublished_record() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let register = dir.path().join("register.csv");
    std::fs::write(
        &register,
        "总登记号,藏品名称,类别,存放位置,估价,内部备注,捐赠人,捐赠人联系方式,入藏日期,公开\n\
         2024.5.1,青花瓷盘,瓷器,SENTINEL-SHELF,987654,SENTINEL-NOTE,赵某,sentinel@example.org,2024,是\n\
         2024.5.2,未公开的画 SENTINEL-DRAFT,书法、绘画,,,,赵某,,2024,否\n",
    )
    .unwrap();
    run_catalogue_ok(&["--data-dir", data.to_str().unwrap(), "import", register.to_str().unwrap()]);
    let full = export(&data, "jsonl", false, &dir.path().join("full.jsonl"));
    for s in ["SENTINEL-SHELF", "987654", "SENTINEL-NOTE", "sentinel@example.org", "SENTINEL-DRAFT"] {
        assert!(full.contains(s), "the full export keeps {s}");
    }
    // LIDO and Linked Art are public whatever is asked.
    for (format, public) in [("jsonl", true), ("csv", true), ("lido", false), ("linked-art", false)] {
        let public = export(&data, format, public, &dir.path().join(format!("public.{format}")));
        assert!(public.contains("青花瓷盘"), "{format}: the published record is there");
        for s in ["SENTINEL", "987654", "sentinel@", "赵某"] {
            // 赵某 did not consent to be named.
            assert!(!public.contains(s), "{format} public export shows `{s}`:\n{public}");
        }
    }
    // A public export is not a catalogue: importing it is refused.
    let out = run_catalogue(&[
        "--data-dir",
        dir.path().join("other").to_str().unwrap(),
        "import",
        dir.path().join("public.jsonl").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot be imported"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
