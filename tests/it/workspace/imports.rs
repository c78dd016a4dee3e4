//! Importing a register from the workspace: checked first, then imported whole.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use super::{Browser, Page, signed_in};
use crate::helpers::TestApp;

fn register() -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/register.csv")).unwrap()
}

async fn upload(b: &mut Browser, app: &TestApp, csrf: Option<&str>, action: &str, name: &str, bytes: Vec<u8>) -> Page {
    upload_with(b, app, csrf, action, name, bytes, &[]).await
}

async fn upload_with(
    b: &mut Browser,
    app: &TestApp,
    csrf: Option<&str>,
    action: &str,
    name: &str,
    bytes: Vec<u8>,
    fields: &[(&str, &str)],
) -> Page {
    let mut form = Form::new();
    if let Some(t) = csrf {
        form = form.text("csrf", t.to_string());
    }
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let form = form.text("action", action.to_string()).part("file", Part::bytes(bytes).file_name(name.to_string()));
    let url = app.url("/admin/imports");
    b.send(|c| c.post(&url).multipart(form)).await
}

#[tokio::test]
async fn a_curator_checks_then_imports_a_register_in_the_browser() {
    let app = TestApp::spawn().await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let page = b.get("/admin/imports").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page.csrf();

    // A check writes nothing and says what would happen.
    let checked = upload(&mut b, &app, Some(&csrf), "check", "register.csv", register()).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains(r#"<dd class="valid">2</dd>"#), "{}", checked.body);
    assert!(checked.body.contains(r#"<dd class="created">2</dd>"#), "two records to create: {}", checked.body);
    assert!(checked.body.contains("table class=\"preview\"") && checked.body.contains("村饮"), "{}", checked.body);
    assert_eq!(app.state.artefact_count().unwrap(), 0, "a check writes nothing");

    let done = upload(&mut b, &app, Some(&csrf), "import", "register.csv", register()).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains(r#"<dd class="created">2</dd>"#), "{}", done.body);
    assert_eq!(app.state.artefact_count().unwrap(), 2);

    // With the strict box ticked, a register with a row kept only with a warning is refused
    // whole, its problem named by row and column.
    let bad = String::from_utf8(register()).unwrap().replacen("书法、绘画", "不存在的类别", 1);
    assert!(page.body.contains(r#"name="strict" value="true""#), "the form has the strict box");
    let before = app.written();
    let refused =
        upload_with(&mut b, &app, Some(&csrf), "import", "bad.csv", bad.into_bytes(), &[("strict", "true")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("不存在的类别") && refused.body.contains("row-problems"), "{}", refused.body);
    assert_eq!(app.written(), before, "nothing was imported");

    // The page lists the imports tried, newest first, each with its report to download.
    let listed = b.get("/admin/imports").await;
    let log = &listed.body[listed.body.find("table class=\"import-log\"").expect("the list of past imports")..];
    let (bad_at, good_at) = (log.find("bad.csv").unwrap(), log.find("register.csv").unwrap());
    assert!(bad_at < good_at, "newest first: {log}");
    assert!(log.contains("未导入（有错误）") && log.contains("仅检查") && log.contains("已导入"), "{log}");
    assert!(log.contains("<td>wang</td>"), "who ran it: {log}");
    // An import from the command line is the system's, said in words.
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/register.csv");
    let options = catalogue::catalogue::import::ReadOptions { dry_run: true, ..Default::default() };
    let format = catalogue::catalogue::import::Format::of(&seed).unwrap();
    app.state.import("system:import", &seed, "register.csv", format, &options, &|_| {}).unwrap();
    let listed = b.get("/admin/imports").await;
    assert!(listed.body.contains("<td>命令行（系统）</td>") && !listed.body.contains("system:"), "{}", listed.body);
    let link = refused
        .body
        .split("class=\"report-link\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    assert!(log.contains(link.split('?').next().unwrap()), "the result links to the same report as the list");
    let res = b.send(|c| c.get(app.url(&link))).await;
    assert_eq!(res.status, StatusCode::OK, "{link}: {}", res.body);
    assert!(res.body.starts_with('\u{feff}'), "with a byte-order mark, for Excel");
    assert!(res.body.contains("bad.csv,") && res.body.contains("不存在的类别"), "{}", res.body);
    assert!(res.body.contains("refused: nothing imported from this file"), "{}", res.body);
    let missing = b.get("/admin/imports/99999/report.csv").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("没有这次导入。"), "{}", missing.body);
    assert_eq!(b.get("/admin/imports/x/report.csv").await.status, StatusCode::NOT_FOUND);

    // Without the form's token, or as a researcher, nothing happens.
    let res = upload(&mut b, &app, None, "import", "register.csv", register()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.written(), before);
    let (mut reader, page) = signed_in(&app, "reader", Role::Researcher).await;
    let before = app.written();
    let res = upload(&mut reader, &app, Some(&page.csrf()), "import", "register.csv", register()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.written(), before);
}
