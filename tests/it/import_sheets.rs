//! `catalogue import` of curators' spreadsheets: census headers, encodings,
//! Excel, mappings, donors and donations found or created, and broken files
//! that write nothing.

use std::path::{Path, PathBuf};
use std::process::Output;

use catalogue::store::Store;
use serde_json::Value;

fn catalogue(args: &[&str]) -> Output {
    crate::helpers::run_catalogue(args)
}

fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn seed(name: &str) -> String {
    format!("{}/tests/fixtures/seed/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn store(dir: &Path) -> Store {
    Store::open(&dir.join("catalogue.sqlite3")).unwrap()
}

/// Every artefact as (accession, document without its donation id).
fn records(dir: &Path) -> Vec<(String, Value)> {
    let s = store(dir);
    let page = s
        .artefacts(&catalogue::store::ArtefactFilter {
            include_deaccessioned: true,
            page: catalogue::store::PageRequest { page: 1, per_page: 200 },
            ..Default::default()
        })
        .unwrap();
    page.items
        .into_iter()
        .map(|a| (a.record.accession_number.to_string(), serde_json::to_value(&a.record).unwrap()))
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn the_seed_register_in_utf8_and_in_gbk_imports_to_identical_records() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let out = catalogue(&["--data-dir", a.path().to_str().unwrap(), "import", &seed("register.csv")]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        said(&out).contains("(UTF-8): created 2") && said(&out).contains("donors created 1, donations created 1"),
        "{}",
        said(&out)
    );
    let out = catalogue(&["--data-dir", b.path().to_str().unwrap(), "import", &seed("register-gbk.csv")]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("(GB18030 (GBK)): created 2"), "{}", said(&out));
    let (ra, rb) = (records(a.path()), records(b.path()));
    assert_eq!(ra.len(), 2);
    assert_eq!(ra, rb, "the same records from either encoding");
    let scroll = &ra.iter().find(|(_, r)| r["title"]["zh"] == "黎澍书陆游《村饮》诗").unwrap().1;
    assert_eq!(scroll["date"]["earliest"], 1923, "年代 约1923年 is read as a date");
    assert_eq!(scroll["category"], "calligraphy-painting", "类别 matched to the census list");
    assert_eq!(scroll["acquisition_method"], "gift");
    // The donor and the donation are made and linked; the donor is not named until consent is recorded.
    let s = store(a.path());
    let donor = s.parties(Some("李振亚"), Default::default()).unwrap().items.remove(0);
    assert!(!donor.record.naming_consent);
    let donation = s.donation(scroll["donation_id"].as_i64().unwrap()).unwrap().unwrap();
    assert_eq!(donation.record.donor_ids, vec![donor.id]);
    assert_eq!(donation.record.year, Some(2023));
    assert!(ra.iter().all(|(acc, _)| acc.starts_with("2023.1.")), "numbered from the donation: {ra:?}");
    // Importing the other file into the first catalogue finds everything already there.
    let out = catalogue(&["--data-dir", a.path().to_str().unwrap(), "import", &seed("register-gbk.csv")]);
    assert!(said(&out).contains("created 0, updated 0, unchanged 2"), "{}", said(&out));
    assert_eq!(records(a.path()).len(), 2);
}

#[test]
fn broken_files_give_row_level_errors_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let header = "总登记号,藏品名称,类别,质地,年代,入藏日期";
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "ragged.csv",
            format!("{header}\n2024.1.1,甲,瓷器,瓷,清,2024\n2024.1.2,乙,瓷器\n").into_bytes(),
            &["row 3", "has 3 cells; the header has 6"],
        ),
        (
            "encoding.csv",
            [header.as_bytes(), b"\n2024.1.1,\xff\xfe\xfa\x80\x81,x,x,x,x\n"].concat(),
            &["not valid UTF-8, GBK/GB18030 or Big5"],
        ),
        (
            "duplicate.csv",
            format!("{header}\n2024.1.1,甲,瓷器,瓷,清,2024\n2024.1.1,乙,瓷器,瓷,清,2024\n").into_bytes(),
            &["row 3", "appears in row 2 too"],
        ),
        ("vocabulary.csv", format!("{header}\n2024.1.1,甲,飞船,瓷,清,2024\n").into_bytes(), &["row 2", "类别", "飞船"]),
        (
            "date.csv",
            format!("{header}\n2024.1.1,甲,瓷器,瓷,清,某年某月\n").into_bytes(),
            &["row 2", "入藏日期", "cannot be read as a date"],
        ),
        ("empty.csv", Vec::new(), &["the file is empty"]),
        ("header.csv", format!("{header}\n").into_bytes(), &["header row but no records"]),
        ("empty.xlsx", Vec::new(), &["the file is empty"]),
        ("notxlsx.xlsx", b"PK\x03\x04 not really a workbook".to_vec(), &["not a readable .xlsx workbook"]),
        ("notitle.csv", "总登记号,类别\n2024.1.1,瓷器\n".as_bytes().to_vec(), &["no column gives the title"]),
    ];
    for (name, bytes, expected) in cases {
        let path = write(dir.path(), name, &bytes);
        let out = catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
        assert!(!out.status.success(), "{name} should fail: {}", said(&out));
        for e in expected {
            assert!(said(&out).contains(e), "{name}: expected `{e}` in\n{}", said(&out));
        }
        assert!(said(&out).contains("nothing imported"), "{name}: {}", said(&out));
    }
    assert_eq!(store(Path::new(data)).artefact_count().unwrap(), 0);
    assert_eq!(store(Path::new(data)).audit_count().unwrap(), 0, "not a single audit row");
}

#[test]
fn an_excel_register_with_private_columns_imports_and_keeps_them_private() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let rows: [&[&str]; 3] = [
        &[
            "总登记号",
            "藏品名称",
            "作者",
            "具体年代",
            "类别",
            "质地",
            "通长",
            "通宽",
            "存放位置",
            "估价",
            "捐赠人",
            "捐赠人联系方式",
            "入藏日期",
            "公开",
        ],
        &[
            "2024.8.1",
            "青花缠枝莲纹盘",
            "",
            "清乾隆",
            "瓷器",
            "瓷",
            "23",
            "4.5",
            "库房A-3-2",
            "¥120,000",
            "王守仁",
            "wang@example.org；13800138000",
            "2024年5月",
            "是",
        ],
        &["2024.8.2", "铜镜", "", "唐", "铜器", "铜", "", "", "库房B-1", "", "王守仁", "", "2024年5月", "否"],
    ];
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    let path = dir.path().join("register.xlsx");
    book.save(&path).unwrap();
    let data = dir.path().join("data");
    let out = catalogue(&["--data-dir", data.to_str().unwrap(), "import", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    let s = store(&data);
    let dish = s.artefact("2024.8.1").unwrap().unwrap().record;
    assert_eq!(dish.body.private.storage_location.as_deref(), Some("库房A-3-2"));
    assert_eq!(dish.body.private.valuation.as_ref().map(|v| v.amount), Some(120000.0));
    assert_eq!(dish.body.status.as_str(), "published");
    assert_eq!(dish.body.date.as_ref().and_then(|d| d.earliest), Some(1736), "清乾隆");
    let dims = dish.body.dimensions.as_ref().unwrap();
    assert_eq!(dims.items.len(), 2, "通长 and 通宽 as structured values: {dims:?}");
    assert_eq!(s.artefact("2024.8.2").unwrap().unwrap().record.body.status.as_str(), "draft");
    let donor = s.parties(Some("王守仁"), Default::default()).unwrap().items.remove(0);
    assert_eq!(donor.record.contact.email.as_deref(), Some("wang@example.org"));
    assert_eq!(donor.record.contact.phone.as_deref(), Some("13800138000"));
    // The public view of the published dish has none of it.
    let public = catalogue::model::view::PublicArtefact::of(&dish).unwrap();
    let text = serde_json::to_string(&public).unwrap();
    for secret in ["库房", "120000", "wang@", "13800138000"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[test]
fn big5_english_headers_tsv_and_mapping_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    // Big5, as a Taiwanese register is saved.
    let (big5, _, _) = encoding_rs::BIG5.encode("總登記號,藏品名稱,類別\n2024.2.1,青花瓷盤,瓷器\n");
    let path = write(dir.path(), "big5.csv", &big5);
    // Traditional-character headers are the template's too.
    let out = catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
    assert!(out.status.success() && said(&out).contains("(Big5): created 1"), "{}", said(&out));
    assert_eq!(
        store(Path::new(data)).artefact("2024.2.1").unwrap().unwrap().record.body.title.zh.as_deref(),
        Some("青花瓷盤")
    );
    // Any other headers, with a mapping file.
    let path = write(dir.path(), "own.csv", "Objekt-Nr,Bezeichnung,Gattung\n2024.2.5,Teller,瓷器\n".as_bytes());
    let out = catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
    assert!(!out.status.success() && said(&out).contains("no column gives the title"), "{}", said(&out));
    let mapping = write(
        dir.path(),
        "map.toml",
        "[columns]\n\"Objekt-Nr\" = \"accession\"\n\"Bezeichnung\" = \"title\"\n\"Gattung\" = \"category\"\n"
            .as_bytes(),
    );
    let out = catalogue(&["--data-dir", data, "import", path.to_str().unwrap(), "--map", mapping.to_str().unwrap()]);
    assert!(out.status.success() && said(&out).contains("created 1"), "{}", said(&out));
    assert_eq!(
        store(Path::new(data)).artefact("2024.2.5").unwrap().unwrap().record.body.category.as_deref(),
        Some("porcelain")
    );
    // English headers, tab separated.
    let path = write(
        dir.path(),
        "en.tsv",
        b"Accession number\tTitle\tMaker\tDate\tUnknown column\n2024.2.2\tFan leaf\tWen Zhengming\t1550\tx\n",
    );
    let out = catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        said(&out).contains("Unknown column") && said(&out).contains("left out"),
        "an unknown column is reported: {}",
        said(&out)
    );
    let fan = store(Path::new(data)).artefact("2024.2.2").unwrap().unwrap().record;
    assert_eq!(fan.body.title.en.as_deref(), Some("Fan leaf"));
    assert_eq!(fan.body.makers[0].name, "Wen Zhengming");
    // A mapping to a field that does not exist is a clear error.
    let bad = write(dir.path(), "bad.toml", b"[columns]\n\"Title\" = \"heading\"\n");
    let out = catalogue(&["--data-dir", data, "import", path.to_str().unwrap(), "--map", bad.to_str().unwrap()]);
    assert!(!out.status.success() && said(&out).contains("`heading`, which is not a field"), "{}", said(&out));
    // --dry-run checks without writing.
    let path = write(dir.path(), "dry.csv", "总登记号,藏品名称\n2024.2.3,试\n".as_bytes());
    let out = catalogue(&["--data-dir", data, "import", "--dry-run", path.to_str().unwrap()]);
    assert!(out.status.success() && said(&out).contains("1 records valid"), "{}", said(&out));
    assert!(store(Path::new(data)).artefact("2024.2.3").unwrap().is_none());
    // --encoding overrides detection.
    let (gbk, _, _) = encoding_rs::GB18030.encode("总登记号,藏品名称\n2024.2.4,瓷盘\n");
    let path = write(dir.path(), "forced.csv", &gbk);
    let out = catalogue(&["--data-dir", data, "import", "--encoding", "utf-8", path.to_str().unwrap()]);
    assert!(!out.status.success() && said(&out).contains("not valid UTF-8"), "{}", said(&out));
}
