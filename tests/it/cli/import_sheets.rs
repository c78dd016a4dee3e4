//! `catalogue import` of curators' spreadsheets: census headers, encodings,
//! Excel, mappings, donors and donations found or created, and broken files
//! that write nothing.

use std::path::{Path, PathBuf};

use catalogue::store::Store;
use serde_json::Value;

use crate::helpers::{run_catalogue, said};

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
    let out = run_catalogue(&["--data-dir", a.path().to_str().unwrap(), "import", &seed("register.csv")]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        said(&out).contains("(UTF-8): created 2") && said(&out).contains("donors created 1, donations created 1"),
        "{}",
        said(&out)
    );
    let out = run_catalogue(&["--data-dir", b.path().to_str().unwrap(), "import", &seed("register-gbk.csv")]);
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
    let out = run_catalogue(&["--data-dir", a.path().to_str().unwrap(), "import", &seed("register-gbk.csv")]);
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
        (
            "published.csv",
            "总登记号,藏品名称,公开\n2024.1.1,甲,也许\n".as_bytes().to_vec(),
            &["row 2", "公开", "should be 是 or 否"],
        ),
        ("empty.csv", Vec::new(), &["the file is empty"]),
        ("header.csv", format!("{header}\n").into_bytes(), &["header row but no records"]),
        ("empty.xlsx", Vec::new(), &["the file is empty"]),
        ("notxlsx.xlsx", b"PK\x03\x04 not really a workbook".to_vec(), &["not a readable .xlsx workbook"]),
        ("notitle.csv", "总登记号,类别\n2024.1.1,瓷器\n".as_bytes().to_vec(), &["no column gives the title"]),
        (
            "renamed.csv",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n".to_vec(),
            &["renamed.csv", "not a CSV or TSV table: it is a PDF document"],
        ),
        ("book.csv", b"PK\x03\x04\x14\x00\x06\x00".to_vec(), &["give it the .xlsx name"]),
        (
            "utf16.csv",
            [
                b"\xff\xfe".as_slice(),
                "总登记号".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>().as_slice(),
            ]
            .concat(),
            &["UTF-16"],
        ),
        ("binary.csv", b"title\n\x00\x01\x02\x03".to_vec(), &["binary data"]),
    ];
    for (name, bytes, expected) in cases {
        let path = write(dir.path(), name, &bytes);
        let out = run_catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
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
fn an_accession_number_of_another_donation_refuses_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let out = run_catalogue(&["--data-dir", data, "import", &seed("register.csv")]);
    assert!(out.status.success(), "{}", said(&out));
    let before = records(Path::new(data));
    let number = &before[0].0;
    // Another donor's row with a number the first donation's object already has.
    let path = write(
        dir.path(),
        "other.csv",
        format!("总登记号,藏品名称,捐赠人,入藏日期\n2024.3.1,青花盘,王明,2024\n{number},铜镜,王明,2024\n").as_bytes(),
    );
    let out = run_catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", said(&out));
    assert!(
        said(&out).contains("row 3")
            && said(&out).contains("already the number of an object of another donation (2023, no. 1)"),
        "{}",
        said(&out)
    );
    assert!(said(&out).contains("nothing imported"), "{}", said(&out));
    assert_eq!(records(Path::new(data)), before, "nothing written, not even the first row or the donor");
    assert!(store(Path::new(data)).parties(Some("王明"), Default::default()).unwrap().items.is_empty());
    // The same donor's own register may update it.
    let path = write(
        dir.path(),
        "same.csv",
        format!("总登记号,藏品名称,捐赠人,入藏日期\n{number},改名,李振亚,2023\n").as_bytes(),
    );
    let out = run_catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
    assert!(out.status.success() && said(&out).contains("updated 1"), "{}", said(&out));
    // Each run is in the import log, refused or not.
    let log = store(Path::new(data)).import_log(10).unwrap();
    let runs: Vec<(&str, bool)> = log.iter().map(|e| (e.file_name.as_str(), e.refused())).collect();
    assert_eq!(runs, [("same.csv", false), ("other.csv", true), ("register.csv", false)]);
    assert_eq!(log[1].tally.errors, 1);
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
    let out = run_catalogue(&["--data-dir", data.to_str().unwrap(), "import", path.to_str().unwrap()]);
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
    let out = run_catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
    assert!(out.status.success() && said(&out).contains("(Big5): created 1"), "{}", said(&out));
    assert_eq!(
        store(Path::new(data)).artefact("2024.2.1").unwrap().unwrap().record.body.title.zh.as_deref(),
        Some("青花瓷盤")
    );
    // Any other headers, with a mapping file.
    let path = write(dir.path(), "own.csv", "Objekt-Nr,Bezeichnung,Gattung\n2024.2.5,Teller,瓷器\n".as_bytes());
    let out = run_catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
    assert!(!out.status.success() && said(&out).contains("no column gives the title"), "{}", said(&out));
    let mapping = write(
        dir.path(),
        "map.toml",
        "[columns]\n\"Objekt-Nr\" = \"accession\"\n\"Bezeichnung\" = \"title\"\n\"Gattung\" = \"category\"\n"
            .as_bytes(),
    );
    let out =
        run_catalogue(&["--data-dir", data, "import", path.to_str().unwrap(), "--map", mapping.to_str().unwrap()]);
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
    let out = run_catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
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
    let out = run_catalogue(&["--data-dir", data, "import", path.to_str().unwrap(), "--map", bad.to_str().unwrap()]);
    assert!(!out.status.success() && said(&out).contains("`heading`, which is not a field"), "{}", said(&out));
    // --dry-run checks without writing.
    let path = write(dir.path(), "dry.csv", "总登记号,藏品名称\n2024.2.3,试\n".as_bytes());
    let out = run_catalogue(&["--data-dir", data, "import", "--dry-run", path.to_str().unwrap()]);
    assert!(out.status.success() && said(&out).contains("1 records valid"), "{}", said(&out));
    assert!(store(Path::new(data)).artefact("2024.2.3").unwrap().is_none());
    // --encoding overrides detection.
    let (gbk, _, _) = encoding_rs::GB18030.encode("总登记号,藏品名称\n2024.2.4,瓷盘\n");
    let path = write(dir.path(), "forced.csv", &gbk);
    let out = run_catalogue(&["--data-dir", data, "import", "--encoding", "utf-8", path.to_str().unwrap()]);
    assert!(!out.status.success() && said(&out).contains("not valid UTF-8"), "{}", said(&out));
}

/// What a register says is kept as written; what the catalogue derives from it is
/// best effort, with a warning on the row, and the report lists each. `--strict`
/// refuses the same file whole.
#[test]
fn messy_rows_are_kept_as_written_with_warnings_and_strict_refuses_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let header = "總登記號,藏品名稱,類別,質地,年代,具體年代,具體尺寸,入藏日期,估價,備註";
    let rows = [
        "2024.9.1,,瓷器,瓷,,,(單片),2024,,無題一件",
        "2024.9.2,青花盤,飛船,瓷,,,高(不定),某年某月,,",
        "2024.9.3,書法,書法、繪畫,紙;絹本設色,唐宋之間,約1923年,45 × 30,2024,一萬多,",
        "2024.9.4,Whitefriar\u{92}s vase,,,,,,2024,,",
        "Box #3 of 5,模板,,,,,,,,",
    ];
    let file = write(dir.path(), "messy.csv", format!("{header}\n{}\n", rows.join("\n")).as_bytes());
    let report = dir.path().join("report.csv");

    let strict = run_catalogue(&["--data-dir", data, "import", "--strict", file.to_str().unwrap()]);
    assert!(!strict.status.success(), "{}", said(&strict));
    assert!(said(&strict).contains("nothing imported"), "{}", said(&strict));
    assert_eq!(store(Path::new(data)).artefact_count().unwrap(), 0, "strict: nothing written");

    let out =
        run_catalogue(&["--data-dir", data, "import", file.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("created 4") && said(&out).contains("skipped 1"), "{}", said(&out));
    assert_eq!(store(Path::new(data)).artefact_count().unwrap(), 4, "a row left out keeps none of the others out");
    let get = |n: &str| store(Path::new(data)).artefact(n).unwrap().unwrap().record.body;
    let untitled = get("2024.9.1");
    assert_eq!(untitled.title.zh.as_deref(), Some("[无题]"));
    let dims = untitled.dimensions.unwrap();
    assert_eq!(
        (dims.text.as_deref(), dims.items.len()),
        (Some("(單片)"), 0),
        "a note without a number, kept as written"
    );
    let odd = get("2024.9.2");
    assert_eq!(odd.object_name.as_deref(), Some("飛船"), "an unknown category kept as the object name");
    assert_eq!(odd.category, None);
    assert_eq!(odd.acquired.as_ref().map(|d| d.text.as_str()), Some("某年某月"));
    assert_eq!(odd.acquired.as_ref().and_then(|d| d.earliest), None);
    let scroll = get("2024.9.3");
    assert_eq!(scroll.technique.as_deref(), Some("紙;絹本設色"), "materials as written");
    assert_eq!(scroll.materials, ["paper"], "the census material it names");
    assert_eq!(scroll.date.as_ref().map(|d| d.text.as_str()), Some("約1923年（唐宋之間）"));
    assert!(scroll.dimensions.as_ref().is_some_and(|d| !d.items.is_empty()), "45 × 30 read (cm implied)");
    let record = store(Path::new(data)).artefact("2024.9.3").unwrap().unwrap().record;
    assert!(
        record.body.private.internal_notes.as_deref().is_some_and(|n| n.contains("一萬多")),
        "the amount kept as a note"
    );
    assert_eq!(get("2024.9.4").title.en.as_deref(), Some("Whitefriar’s vase"), "Windows-1252 punctuation repaired");

    // The report: one line per warning, as Excel opens it.
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 with a byte-order mark");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let has = |row: &str, column: &str, said: &str| {
        lines.iter().any(|l| &l[1] == row && &l[2] == column && l[5].contains(said) && &l[4] == "warning")
    };
    assert!(has("2", "藏品名稱", "[无题]"), "{text}");
    assert!(has("2", "具體尺寸", "kept as written"), "{text}");
    assert!(has("3", "類別", "object name"), "{text}");
    assert!(has("3", "入藏日期", "kept as written"), "{text}");
    assert!(has("4", "質地", "technique"), "{text}");
    assert!(has("4", "年代", "period"), "{text}");
    assert!(has("4", "估價", "internal notes"), "{text}");
    assert!(has("4", "具體尺寸", "gives no unit; read as centimetres"), "{text}");
    assert!(has("5", "藏品名稱", "repaired"), "{text}");
    assert!(has("6", "總登記號", "row left out"), "{text}");
    let outcome =
        |row: &str, column: &str| lines.iter().find(|l| &l[1] == row && &l[2] == column).map(|l| l[6].to_string());
    assert_eq!(outcome("5", "藏品名稱").as_deref(), Some("repaired"));
    assert_eq!(outcome("6", "總登記號").as_deref(), Some("left out"));
    assert_eq!(outcome("2", "藏品名稱").as_deref(), Some("placeholder"));
}

/// English registers under the headers museums' public exports use.
#[test]
fn registers_under_moma_tate_and_met_headers_land_in_their_fields() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let moma = "Title,Artist,ConstituentID,Date,Medium,Dimensions,CreditLine,AccessionNumber,Classification,Department,DateAcquired\n\
        \"Ferdinandsbrücke Project, Vienna, Austria\",Otto Wagner,6210,1896,Ink and cut-and-pasted painted pages on paper,19 1/8 x 66 1/2\" (48.6 x 168.9 cm),Fractional and promised gift of Jo Carole and Ronald S. Lauder,885.1996,Architecture,Architecture & Design,1996-04-09\n";
    let met = "Object Number,Department,Object Name,Title,Artist Display Name,Object Date,Medium,Dimensions,Credit Line,Period,Dynasty\n\
        29.100.5,Asian Art,Vase,Vase with flowers,,ca. 1700,Porcelain painted in underglaze blue,H. 12 in. (30.5 cm),\"H. O. Havemeyer Collection, Bequest of Mrs. H. O. Havemeyer, 1929\",Qing dynasty (1644–1911),Kangxi period\n";
    for (name, text) in [("Artworks.csv", moma), ("MetObjects.csv", met)] {
        let path = write(dir.path(), name, text.as_bytes());
        let out = run_catalogue(&["--data-dir", data, "import", path.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", said(&out));
        // Only what cannot be derived is a warning: MoMA's ConstituentID is no field, its
        // classification no census category (kept as the object name), the Met's period
        // no census period (kept with the date). Medium and credit line are fields.
        let warned = said(&out).lines().filter(|l| l.contains("warning: ")).count();
        assert_eq!(warned, if name == "Artworks.csv" { 2 } else { 1 }, "{}", said(&out));
    }
    let get = |n: &str| store(Path::new(data)).artefact(n).unwrap().unwrap().record.body;
    let bridge = get("885.1996");
    assert_eq!(bridge.makers[0].name, "Otto Wagner");
    assert_eq!(bridge.technique.as_deref(), Some("Ink and cut-and-pasted painted pages on paper"));
    assert_eq!(bridge.credit_line.as_deref(), Some("Fractional and promised gift of Jo Carole and Ronald S. Lauder"));
    assert!(bridge.dimensions.as_ref().is_some_and(|d| !d.items.is_empty()), "{:?}", bridge.dimensions);
    assert_eq!(bridge.object_name.as_deref(), Some("Architecture"), "MoMA's classification is not a census category");
    assert_eq!(bridge.acquired.as_ref().and_then(|d| d.earliest), Some(1996));
    assert_eq!(bridge.department.as_deref(), Some("Architecture & Design"));
    let vase = get("29.100.5");
    assert_eq!(vase.department.as_deref(), Some("Asian Art"));
    assert_eq!(vase.title.en.as_deref(), Some("Vase with flowers"));
    assert_eq!(vase.object_name.as_deref(), Some("Vase"));
    assert_eq!(vase.credit_line.as_deref(), Some("H. O. Havemeyer Collection, Bequest of Mrs. H. O. Havemeyer, 1929"));
    assert!(
        vase.date.as_ref().is_some_and(|d| d.text.contains("ca. 1700") && d.text.contains("Kangxi period")),
        "{:?}",
        vase.date
    );
}

/// Builds a register from one of the shared datasets (see `catalogue bench import --format csv`).
fn register_from(dataset: &str, columns: &'static [(&'static str, &'static str)], to: &Path) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    catalogue::cli::bench::import::write_register(&root.join(dataset), columns, to, 1).unwrap() as usize
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_palace_museum_records_as_a_traditional_character_register_import_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let csv_path = dir.path().join("npm.csv");
    let rows = register_from(
        "zh/npm-taipei.jsonl.gz",
        &[("總登記號", "accession_number"), ("藏品名稱", "title"), ("具體年代", "date"), ("具體尺寸", "dimensions")],
        &csv_path,
    );
    assert!(rows > 38_000, "{rows}");
    let report = dir.path().join("report.csv");
    let out = run_catalogue(&[
        "--data-dir",
        data.to_str().unwrap(),
        "import",
        csv_path.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains(&format!("created {rows},")), "{}", said(&out));
    // Each row whose dimensions yield no structured value is a warning in the report, and no other.
    let text = std::fs::read_to_string(&report).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let warned: Vec<String> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[2] == "具體尺寸" && r[5].contains("no measurement could be read"))
        .map(|r| r[3].to_string())
        .collect();
    let opts =
        catalogue::model::dimensions::ParseOptions { implied_unit: Some(catalogue::model::dimensions::Unit::Cm) };
    assert!(!warned.is_empty());
    for d in &warned {
        let parsed = catalogue::model::dimensions::parse(d, opts);
        assert!(matches!(parsed, catalogue::model::dimensions::Parsed::Unreadable(_)), "{d} was read: {parsed:?}");
    }
    let stored = store(&data);
    let unstructured: usize = stored
        .artefacts_after(0, 100_000)
        .unwrap()
        .iter()
        .filter(|a| a.record.body.dimensions.as_ref().is_some_and(|d| d.items.is_empty() && !d.not_measured))
        .count();
    assert_eq!(unstructured, warned.len(), "one warning per dimension kept only as written");
}

#[test]
#[ignore = "needs ../shared/data"]
fn the_english_records_as_registers_under_moma_s_and_the_met_s_column_names_import_whole() {
    use catalogue::cli::bench::import::{MET, MOMA};
    for (name, columns) in [("Artworks.csv", MOMA), ("MetObjects.csv", MET)] {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let csv_path = dir.path().join(name);
        let rows = register_from("en/en-records.jsonl.gz", columns, &csv_path);
        let out = run_catalogue(&["--data-dir", data.to_str().unwrap(), "import", csv_path.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", said(&out));
        // Every row is imported, numbers with spaces and slashes among them (`MC 7`, `82.8.7.1/1`).
        let summary = said(&out);
        assert!(summary.contains(&format!("created {rows},")) && summary.contains("skipped 0,"), "{name}: {summary}");
        assert!(!summary.contains("is not a column the catalogue knows"), "{name}: every column is known");
        // A few records field by field: the first MoMA record of the dataset.
        let st = store(&data);
        for n in ["MC 7", "PIB Template - Graham", "82.8.7.1/1"] {
            assert!(st.artefact(n).unwrap().is_some(), "{name}: {n} was imported as written");
        }
        let r = st.artefact("3.1995.11").unwrap().unwrap().record.body;
        assert_eq!(r.technique.as_deref(), Some("Gelatin silver photograph"));
        assert_eq!(
            r.credit_line.as_deref(),
            Some("Purchase and partial gift of the architect in honor of Lily Auchincloss")
        );
        assert_eq!(r.department.as_deref(), Some("Architecture & Design"));
        assert_eq!(r.makers[0].name, "Bernard Tschumi");
        assert!(r.dimensions.as_ref().is_some_and(|d| d.items.len() >= 2), "{:?}", r.dimensions);
        if name == "Artworks.csv" {
            assert_eq!(r.acquired.as_ref().and_then(|d| d.earliest), Some(1995));
        }
    }
}
