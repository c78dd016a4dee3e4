//! The paperwork of the seed donation as PDF, read back as a person reads it: the text
//! `pdftotext` extracts, the fonts `pdffonts` lists, and no private value anywhere it
//! should not be.

use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use catalogue::model::role::Role;

/// What `pdftotext` reads from a PDF, in the order it was set (`-raw`), with the layout's spaces and
/// line breaks taken out (Chinese lines break anywhere).
pub fn pdf_text(pdf: &[u8]) -> String {
    pdf_page_texts(pdf).concat()
}

/// [`pdf_text`] page by page.
pub fn pdf_page_texts(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out =
        Command::new("pdftotext").arg("-raw").arg("-enc").arg("UTF-8").arg(&path).arg("-").output().expect("pdftotext");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // pdftotext ends each page with a form feed.
    let mut pages: Vec<String> = text.split('\x0c').map(|page| page.split_whitespace().collect()).collect();
    if pages.last().is_some_and(String::is_empty) {
        pages.pop();
    }
    pages
}

/// The fonts `pdffonts` lists, each as (name, embedded).
pub fn pdf_fonts(pdf: &[u8]) -> Vec<(String, bool)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdffonts").arg(&path).output().expect("pdffonts");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .skip(2)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            // name type [encoding…] emb sub uni object ID
            let n = cols.len();
            (n >= 7).then(|| (cols[0].to_string(), cols[n - 5] == "yes"))
        })
        .collect()
}

/// Pages of the PDF as PNG files in `dir`, for a person (or the browser artifacts) to look at.
pub fn pdf_pages(pdf: &[u8], dir: &Path, stem: &str) -> Vec<std::path::PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(format!("{stem}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    // An earlier run's pages of a longer document are not this one's.
    for old in page_pictures(dir, stem) {
        std::fs::remove_file(old).unwrap();
    }
    let status = Command::new("pdftoppm").args(["-r", "60", "-png"]).arg(&path).arg(dir.join(stem)).status().unwrap();
    assert!(status.success(), "pdftoppm");
    page_pictures(dir, stem)
}

/// `stem-1.png`, `stem-2.png` … in `dir` (and not `stem-en-1.png`), in order.
fn page_pictures(dir: &Path, stem: &str) -> Vec<std::path::PathBuf> {
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let page = name.strip_prefix(&format!("{stem}-")).and_then(|r| r.strip_suffix(".png"));
            page.is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
        .collect();
    pages.sort();
    pages
}

/// Where a document's pages go as pictures, beside the browser tests' screenshots, to look at.
fn artifacts() -> std::path::PathBuf {
    std::env::var_os("BROWSER_ARTIFACTS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/artifacts"))
        .join("paperwork")
}

fn in_order(text: &str, words: &[&str]) -> Result<(), String> {
    let mut from = 0;
    for w in words {
        match text[from..].find(w) {
            Some(i) => from += i + w.len(),
            None => return Err(format!("“{w}” is not there after the words before it, in:\n{text}")),
        }
    }
    Ok(())
}

async fn pdf(app: &TestApp, path: &str, token: &str) -> Vec<u8> {
    let res = app.get(path).bearer_auth(token).send().await.unwrap();
    let status = res.status();
    let kind = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
    let body = res.bytes().await.unwrap().to_vec();
    assert_eq!(status, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&body));
    assert_eq!(kind.as_deref(), Some("application/pdf"), "{path}");
    assert!(body.starts_with(b"%PDF-"), "{path} is a PDF");
    body
}

async fn error(app: &TestApp, path: &str, token: &str) -> (StatusCode, Value) {
    let res = app.get(path).bearer_auth(token).send().await.unwrap();
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

/// The demo's seed donation, with private values put on it to look for.
const PRIVATE: [&str; 4] = ["库房A-3-12", "待装裱", "13800138000", "88000"];

async fn seed_with_private_values(app: &TestApp) -> i64 {
    app.with_demo().await;
    let scroll = app.read("/api/v1/artefacts/2023.15.2").await;
    let res = app
        .patch_json(
            "/api/v1/artefacts/2023.15.2",
            &app.curator,
            &json!({"version": scroll["version"], "private": {"storage_location": PRIVATE[0], "internal_notes": PRIVATE[1],
                "valuation": {"amount": 88000, "currency": "CNY"}}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let donation_id = scroll["donation_id"].as_i64().unwrap();
    let donation = app.read(&format!("/api/v1/donations/{donation_id}")).await;
    let donor_id = donation["donor_ids"][0].as_i64().unwrap();
    let donor = app.read(&format!("/api/v1/parties/{donor_id}")).await;
    let res = app
        .patch_json(
            &format!("/api/v1/parties/{donor_id}"),
            &app.curator,
            &json!({"version": donor["version"], "contact": {"phone": PRIVATE[2]}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    donation_id
}

fn no_private_value(what: &str, text: &str) {
    for p in PRIVATE {
        assert!(!text.contains(p), "{what} shows the private value {p}:\n{text}");
    }
}

#[tokio::test]
async fn the_seed_donation_prints_its_receipt_certificate_letter_and_labels_in_both_languages() {
    let app = TestApp::spawn().await;
    let id = seed_with_private_values(&app).await;
    let curator = app.curator.clone();
    let artifacts = artifacts();

    let receipt = pdf(&app, &format!("/api/v1/donations/{id}/receipt.pdf"), &curator).await;
    let text = pdf_text(&receipt);
    in_order(
        &text,
        &[
            "中共一大纪念馆",
            "文物入馆凭证",
            "李振亚",
            "李书城",
            "《毛主席走遍全国》复制件",
            "黎澍书陆游《村饮》诗",
            "捐赠人（签字）",
        ],
    )
    .unwrap();
    no_private_value("the receipt", &text);
    let fonts = pdf_fonts(&receipt);
    assert!(!fonts.is_empty() && fonts.iter().all(|(_, embedded)| *embedded), "every font is embedded: {fonts:?}");
    assert!(fonts.iter().any(|(name, _)| name.contains("NotoSerifCJKsc")), "{fonts:?}");

    let certificate = pdf(&app, &format!("/api/v1/donations/{id}/certificate.pdf"), &curator).await;
    let text = pdf_text(&certificate);
    in_order(
        &text,
        &["捐赠证书", "李振亚", "李书城", "《毛主席走遍全国》复制件", "黎澍书陆游《村饮》诗", "中共一大纪念馆"],
    )
    .unwrap();
    no_private_value("the certificate", &text);

    let letter = pdf(&app, &format!("/api/v1/donations/{id}/letter.pdf"), &curator).await;
    let text = pdf_text(&letter);
    in_order(
        &text,
        &["中共一大纪念馆", "感谢信", "尊敬的李振亚", "《毛主席走遍全国》复制件", "此致", "中共一大纪念馆"],
    )
    .unwrap();
    no_private_value("the letter", &text);

    let labels = pdf(&app, "/api/v1/labels.pdf?accessions=2023.15.1,2023.15.2", &curator).await;
    let text = pdf_text(&labels);
    in_order(
        &text,
        &["《毛主席走遍全国》复制件", "李琦", "李振亚先生捐赠", "黎澍书陆游《村饮》诗", "黎澍", "约1923年"],
    )
    .unwrap();
    assert!(text.contains("GiftofLiZhenya"), "the label's credit line is in both languages: {text}");
    no_private_value("the labels", &text);
    let one = pdf(&app, "/api/v1/artefacts/2023.15.2/label.pdf", &curator).await;
    let text = pdf_text(&one);
    assert!(text.contains("黎澍书陆游《村饮》诗") && !text.contains("毛主席走遍全国"), "{text}");

    // In English: the museum, the donor and the objects by their English names.
    let receipt_en = pdf_text(&pdf(&app, &format!("/api/v1/donations/{id}/receipt.pdf?lang=en"), &curator).await);
    in_order(
        &receipt_en,
        &[
            "MemorialoftheFirstNationalCongress",
            "Receiptofobjects",
            "LiZhenya",
            "ChairmanMaoTravels",
            "Donor(signature)",
        ],
    )
    .unwrap();
    assert!(receipt_en.contains("1item"), "quantities in English: {receipt_en}");
    let certificate_en = pdf(&app, &format!("/api/v1/donations/{id}/certificate.pdf?lang=en"), &curator).await;
    let text = pdf_text(&certificate_en);
    in_order(
        &text,
        &[
            "CertificateofDonation",
            "LiZhenya",
            "ChairmanMaoTravels",
            "VillageDrinking",
            "MemorialoftheFirstNationalCongress",
        ],
    )
    .unwrap();
    no_private_value("the English certificate", &text);
    let letter_en = pdf_text(&pdf(&app, &format!("/api/v1/donations/{id}/letter.pdf?lang=en"), &curator).await);
    in_order(&letter_en, &["Letterofthanks", "DearLiZhenya", "ChairmanMaoTravels", "Withgratitude"]).unwrap();

    for (stem, bytes) in [
        ("receipt", &receipt),
        ("certificate", &certificate),
        ("letter", &letter),
        ("labels", &labels),
        ("certificate-en", &certificate_en),
    ] {
        let pages = pdf_pages(bytes, &artifacts, stem);
        assert_eq!(pages.len(), 1, "{stem} is one page");
        let picture = image::open(&pages[0]).unwrap().to_luma8();
        let inked = picture.pixels().filter(|p| p.0[0] < 128).count();
        assert!(inked > 1_000, "{stem} has text to see: {inked} dark pixels");
    }
}

#[tokio::test]
async fn the_catalogue_card_shows_every_field_and_private_values_only_to_curators() {
    let app = TestApp::spawn().await;
    seed_with_private_values(&app).await;
    let card = pdf_text(&pdf(&app, "/api/v1/artefacts/2023.15.2/card.pdf", &app.curator.clone()).await);
    in_order(&card, &["藏品卡片", "2023.15.2", "黎澍书陆游《村饮》诗"]).unwrap();
    for value in ["约1923年", "晓缘仁兄", "李书城", "存放位置", PRIVATE[0], PRIVATE[1]] {
        assert!(card.contains(value), "the card shows {value}: {card}");
    }
    assert!(!card.contains("storage_location") && !card.contains("donation_id"), "no field code on the card: {card}");
    let researcher = app.user("rita", Role::Researcher);
    let card = pdf_text(&pdf(&app, "/api/v1/artefacts/2023.15.2/card.pdf", &researcher).await);
    assert!(card.contains("晓缘仁兄"), "{card}");
    no_private_value("a researcher's card", &card);
}

#[tokio::test]
async fn the_register_of_a_year_lists_its_objects_in_the_registers_columns() {
    let app = TestApp::spawn().await;
    seed_with_private_values(&app).await;
    let register = pdf(&app, "/api/v1/register.pdf?year=2023", &app.curator.clone()).await;
    let text = pdf_text(&register);
    in_order(
        &text,
        &[
            "中共一大纪念馆",
            "藏品总登记账",
            "总登记号",
            "名称",
            "年代",
            "质地",
            "数量",
            "尺寸",
            "完残情况",
            "来源",
            "入藏日期",
            "备注",
        ],
    )
    .unwrap();
    in_order(&text, &["2023.15.1", "《毛主席走遍全国》复制件", "纸", "1件", "接受捐赠", "按原件尺寸1:1印制"]).unwrap();
    in_order(&text, &["2023.15.2", "黎澍书陆游《村饮》诗", "约1923年"]).unwrap();
    assert!(text.contains("第1页"), "a running header with the page number: {text}");
    assert!(text.contains("共2件，1页"), "the count of objects and pages at the end: {text}");
    let by_range =
        pdf_text(&pdf(&app, "/api/v1/register.pdf?from=2023.15.2&to=2023.15.2&lang=en", &app.curator.clone()).await);
    assert!(by_range.contains("2023.15.2") && !by_range.contains("2023.15.1"), "{by_range}");
    assert!(by_range.contains("Accessionregister") && by_range.contains("Accessionno."), "{by_range}");
}

#[tokio::test]
async fn a_long_register_is_set_in_parts_that_join_into_one_numbered_document() {
    let app = TestApp::spawn().await;
    let rows = catalogue::paperwork::ROWS_PER_PART * 2 + 37;
    let mut csv = String::from("总登记号,藏品名称,年代,质地\n");
    for i in 1..=rows {
        csv.push_str(&format!("2020.1.{i},第{i}号铜镜,清,铜\n"));
    }
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("register.csv"));
    let res = app.client.post(app.url("/api/v1/imports")).bearer_auth(&app.curator).multipart(form).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::OK);
    let register = pdf(&app, "/api/v1/register.pdf?year=2020", &app.curator.clone()).await;
    let fonts = pdf_fonts(&register);
    assert!(!fonts.is_empty() && fonts.iter().all(|(_, embedded)| *embedded), "every part's fonts embedded: {fonts:?}");
    let pages = pdf_pages(&register, &artifacts(), "register-long").len();
    assert!(pages > 3, "three parts, more than a page each: {pages}");
    let text = pdf_text(&register);
    // Every row once, in register order, across the joins.
    let numbers: Vec<String> = (1..=rows).map(|i| format!("2020.1.{i}第{i}号铜镜")).collect();
    in_order(&text, &numbers.iter().map(String::as_str).collect::<Vec<_>>()).unwrap();
    for i in [1, rows / 2, rows] {
        assert_eq!(text.matches(&format!("2020.1.{i}第")).count(), 1, "row {i} once");
    }
    // The pages are numbered on through the parts; the count is printed once, at the end.
    let headers: Vec<String> = (1..=pages).map(|p| format!("第{p}页")).collect();
    in_order(&text, &headers.iter().map(String::as_str).collect::<Vec<_>>()).unwrap();
    assert!(!text.contains(&format!("第{}页", pages + 1)), "no page beyond the last: {pages}");
    assert_eq!(text.matches("共").count(), 1, "one closing count: {text}");
    let end: String = text.chars().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect();
    assert!(end.contains(&format!("共{rows}件，{pages}页")), "{end}");
    let columns = text.matches("总登记号").count();
    assert_eq!(columns, pages, "the columns' header on every page");
    // Every page but the last is full, where the parts join too: the rows here are all
    // one line high.
    let rows_on: Vec<usize> = pdf_page_texts(&register).iter().map(|page| page.matches("号铜镜").count()).collect();
    assert_eq!(rows_on.len(), pages);
    assert!(rows_on[..pages - 1].iter().all(|n| *n == rows_on[0]) && rows_on[pages - 1] <= rows_on[0], "{rows_on:?}");
}

#[tokio::test]
async fn a_donor_who_did_not_consent_is_addressed_as_the_curator_chose_and_labelled_anonymous() {
    let app = TestApp::spawn().await;
    let donor = app.create("/api/v1/parties", json!({"name": {"zh": "王某某", "en": "Wang Moumou"}})).await;
    let donation = app
        .create(
            "/api/v1/donations",
            json!({"number": 3, "year": 2024, "donor_ids": [donor["id"]], "occasion": {"zh": "春季捐赠"}}),
        )
        .await;
    let id = donation["id"].as_i64().unwrap();
    app.create(
        "/api/v1/artefacts",
        json!({"donation_id": id, "title": {"zh": "青花瓷碗", "en": "Blue-and-white bowl"}}),
    )
    .await;
    let curator = app.curator.clone();
    let label = pdf_text(&pdf(&app, "/api/v1/artefacts/2024.3.1/label.pdf", &curator).await);
    assert!(label.contains("匿名捐赠") && label.contains("Anonymousgift"), "{label}");
    assert!(!label.contains("王某某") && !label.contains("Wang"), "the label does not name the donor: {label}");
    let certificate = pdf_text(&pdf(&app, &format!("/api/v1/donations/{id}/certificate.pdf"), &curator).await);
    assert!(!certificate.contains("王某某"), "{certificate}");
    assert!(certificate.contains("捐赠者："), "addressed without a name: {certificate}");
    let to = percent_encoding::utf8_percent_encode("王先生", percent_encoding::NON_ALPHANUMERIC);
    let certificate = pdf_text(&pdf(&app, &format!("/api/v1/donations/{id}/certificate.pdf?to={to}"), &curator).await);
    assert!(certificate.contains("王先生："), "addressed as the curator chose: {certificate}");
    let en = pdf_text(&pdf(&app, &format!("/api/v1/donations/{id}/certificate.pdf?lang=en"), &curator).await);
    assert!(en.contains("Deardonor") && !en.contains("Wang"), "{en}");
}

#[tokio::test]
async fn printing_what_does_not_exist_or_a_broken_template_is_refused_with_a_message() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let curator = app.curator.clone();
    for (path, status, says) in [
        ("/api/v1/donations/999/receipt.pdf", StatusCode::NOT_FOUND, "no donation 999"),
        ("/api/v1/donations/abc/certificate.pdf", StatusCode::NOT_FOUND, "ids are numbers"),
        ("/api/v1/artefacts/1999.1.1/label.pdf", StatusCode::NOT_FOUND, "no object 1999.1.1"),
        ("/api/v1/artefacts/1999.1.1/card.pdf", StatusCode::NOT_FOUND, "no object 1999.1.1"),
        ("/api/v1/labels.pdf", StatusCode::UNPROCESSABLE_ENTITY, "at least one accession number"),
        ("/api/v1/register.pdf?year=1850", StatusCode::NOT_FOUND, "1850"),
        ("/api/v1/register.pdf?year=19x", StatusCode::BAD_REQUEST, "four-digit year"),
        ("/api/v1/register.pdf?from=2023.15.9&to=2023.15.1", StatusCode::UNPROCESSABLE_ENTITY, "starts after it ends"),
        ("/api/v1/donations/1/receipt.pdf?lang=fr", StatusCode::BAD_REQUEST, "lang"),
    ] {
        let (got, body) = error(&app, path, &curator).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(body["message"].as_str().unwrap_or_default().contains(says), "{path}: {body}");
    }
    let anonymous = app.get("/api/v1/donations/1/receipt.pdf").send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "the paperwork is for staff");

    // A museum's own template that does not parse: a 422 naming the file and line, no PDF.
    let dir = app.path().join("paperwork");
    std::fs::write(dir.join("labels.typ"), "#import \"common.typ\": *\n#let broken = (\n").unwrap();
    let (got, body) = error(&app, "/api/v1/artefacts/2023.15.1/label.pdf", &curator).await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("labels.typ") && message.contains("line"), "{message}");
    std::fs::remove_file(dir.join("labels.typ")).unwrap();
    pdf(&app, "/api/v1/artefacts/2023.15.1/label.pdf", &curator).await;

    // The museum's own letterhead is used without code.
    std::fs::write(
        dir.join("museum.toml"),
        "[name]\nzh = \"某某博物馆\"\nen = \"Some Museum\"\n[signatory]\nzh = \"馆长 张三\"\n",
    )
    .unwrap();
    let text = pdf_text(&pdf(&app, "/api/v1/donations/1/certificate.pdf", &curator).await);
    assert!(text.contains("某某博物馆") && text.contains("馆长张三") && !text.contains("中共一大纪念馆"), "{text}");
    std::fs::write(dir.join("museum.toml"), "[name]\nzh = 3\n").unwrap();
    let (got, body) = error(&app, "/api/v1/donations/1/certificate.pdf", &curator).await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["message"].as_str().unwrap().contains("museum.toml"), "{body}");
}
