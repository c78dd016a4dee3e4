//! `POST /api/v1/imports`: registers uploaded by curators, all or nothing.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::helpers::TestApp;

async fn post(app: &TestApp, token: Option<&str>, form: Form) -> (StatusCode, Value) {
    let mut req = app.client.post(app.url("/api/v1/imports")).multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn register() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed/register-gbk.csv")).unwrap()
}

fn file(bytes: Vec<u8>, name: &str) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()))
}

#[tokio::test]
async fn a_curator_uploads_a_register_which_is_checked_then_imported() {
    let app = TestApp::spawn().await;
    let (status, report) =
        post(&app, Some(&app.curator), file(register(), "register.csv").text("dry_run", "true")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    // A dry run says what the import would do, and shows the first records as they will be stored.
    assert_eq!(
        (report["valid"].as_u64(), report["created"].as_u64(), report["dry_run"].as_bool()),
        (Some(2), Some(2), Some(true))
    );
    assert_eq!((report["donors_created"].as_u64(), report["donations_created"].as_u64()), (Some(1), Some(1)));
    assert_eq!(report["preview"].as_array().map(Vec::len), Some(2), "{report}");
    assert_eq!(report["preview"][1]["title"]["zh"], "黎澍书陆游《村饮》诗");
    assert_eq!(report["preview"][1]["date"]["text"], "约1923年");
    assert_eq!(report["encoding"], "GB18030 (GBK)");
    assert_eq!(app.state.artefact_count().unwrap(), 0, "a dry run writes nothing");
    let (status, report) = post(&app, Some(&app.curator), file(register(), "register.csv")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!((report["created"].as_u64(), report["donors_created"].as_u64()), (Some(2), Some(1)));
    let history = app.read("/api/v1/artefacts/2023.1.1/history").await;
    assert_eq!(history[0]["actor"], "curator", "the import is recorded under the curator");
}

#[tokio::test]
async fn a_bad_register_is_refused_row_by_row_and_only_curators_import() {
    let app = TestApp::spawn().await;
    let csv = "总登记号,藏品名称,公开\n2024.1.1,甲,也许\n2024.1.2,乙,是\n2024.1.2,丙,是\n";
    let (status, body) = post(&app, Some(&app.curator), file(csv.as_bytes().to_vec(), "r.csv")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "import_failed");
    assert!(body["message"].as_str().unwrap().starts_with("r.csv: 2 problems; nothing was imported"), "{body}");
    let fields: Vec<&str> = body["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["row 2, 公开", "row 4, 总登记号"], "{body}");
    assert_eq!(app.state.artefact_count().unwrap(), 0);
    let researcher = app.user("wang", catalogue::model::role::Role::Researcher);
    let (status, _) = post(&app, Some(&researcher), file(register(), "register.csv")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(&app, None, file(register(), "register.csv")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = post(&app, Some(&app.curator), Form::new().text("dry_run", "true")).await;
    assert_eq!((status, body["details"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("file")));
    let (status, body) = post(&app, Some(&app.curator), file(register(), "register.dat")).await;
    assert_eq!((status, body["details"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("format")));
    let (status, body) =
        post(&app, Some(&app.curator), file(register(), "r.csv").text("mapping", "[columns]\n\"X\" = \"nothing\"\n"))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["message"].as_str().unwrap().contains("not a field"), "{body}");
    assert_eq!(app.state.artefact_count().unwrap(), 0);
}

/// A row the catalogue can keep only with a warning is imported and reported;
/// with `strict=true` the same file is refused whole, and nothing is written.
#[tokio::test]
async fn warnings_are_reported_and_strict_turns_them_into_a_refusal() {
    let app = TestApp::spawn().await;
    let csv = "总登记号,藏品名称,具体尺寸\n2024.5.1,,(含底座)\n2024.5.2,瓷盘,高3厘米\n".as_bytes().to_vec();
    let (status, report) = post(&app, Some(&app.curator), file(csv.clone(), "r.csv").text("strict", "true")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{report}");
    assert!(report["details"].to_string().contains("[无题]"), "{report}");
    assert_eq!(app.state.artefact_count().unwrap(), 0);
    let (status, report) = post(&app, Some(&app.curator), file(csv.clone(), "r.csv").text("strict", "maybe")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{report}");
    assert_eq!(report["details"][0]["field"], "strict");
    let (status, report) = post(&app, Some(&app.curator), file(csv, "r.csv")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["created"], 2);
    let warned: Vec<&str> =
        report["warnings"].as_array().unwrap().iter().map(|w| w["column"].as_str().unwrap()).collect();
    assert_eq!(warned, ["藏品名称", "具体尺寸"], "{report}");
}

/// Every import tried is in the log, with who, when, its counts and its report (JSON and CSV).
#[tokio::test]
async fn past_imports_are_listed_with_their_reports_for_curators_only() {
    let app = TestApp::spawn().await;
    let csv = "总登记号,藏品名称,具体尺寸\n2024.5.1,,(含底座)\n2024.5.2,瓷盘,高3厘米\n".as_bytes().to_vec();
    let (status, checked) =
        post(&app, Some(&app.curator), file(csv.clone(), "登记表.csv").text("dry_run", "true")).await;
    assert_eq!(status, StatusCode::OK, "{checked}");
    let (status, done) = post(&app, Some(&app.curator), file(csv, "登记表.csv")).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let bad = "总登记号,藏品名称\n2024.6.1,甲\n2024.6.1,乙\n".as_bytes().to_vec();
    let (status, refused) = post(&app, Some(&app.curator), file(bad, "dup.csv")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let id = done["id"].as_i64().expect("the report names its log entry");

    let log = app.read("/api/v1/imports").await;
    let names: Vec<(&str, bool, u64, u64)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file_name"].as_str().unwrap(),
                e["dry_run"].as_bool().unwrap(),
                e["created"].as_u64().unwrap(),
                e["errors"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(names, [("dup.csv", false, 0, 1), ("登记表.csv", false, 2, 0), ("登记表.csv", true, 2, 0)]);
    assert_eq!(log[1]["actor"], "curator");
    assert_eq!(log[1]["warnings"], 2);
    let refused_id = log[0]["id"].as_i64().unwrap();
    assert!(
        refused["message"].as_str().unwrap().contains(&format!("/api/v1/imports/{refused_id}/report.csv")),
        "{refused}"
    );

    let report = app.read(&format!("/api/v1/imports/{refused_id}")).await;
    assert!(report["errors"][0]["problem"].as_str().unwrap().contains("appears in row 2 too"), "{report}");
    let report = app.read(&format!("/api/v1/imports/{id}")).await;
    assert_eq!(report["created"], 2);
    assert_eq!(report["warnings"][0]["problem"].as_str().unwrap(), "no title; recorded as [无题]");
    let res = app.get(&format!("/api/v1/imports/{id}/report.csv")).bearer_auth(&app.curator).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        res.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''import-"),
        "{:?}",
        res.headers()
    );
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "file,row,column,value,severity,problem,outcome");
    assert_eq!(lines[1], "登记表.csv,2,藏品名称,,warning,no title; recorded as [无题],placeholder");
    assert!(
        lines[2].starts_with("登记表.csv,2,具体尺寸,(含底座),warning,") && lines[2].ends_with(",kept as written"),
        "{text}"
    );

    // Only curators read the log: the reports hold what the rows said, private columns too.
    let researcher = app.user("wang", catalogue::model::role::Role::Researcher);
    for path in
        ["/api/v1/imports".to_string(), format!("/api/v1/imports/{id}"), format!("/api/v1/imports/{id}/report.csv")]
    {
        let res = app.get(&path).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        let res = app.get(&path).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for path in ["/api/v1/imports/999", "/api/v1/imports/x/report.csv"] {
        let res = app.get(path).bearer_auth(&app.curator).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "not_found");
    }
}

/// An answer lists the first thousand warnings and counts them all; the report has every
/// one (past the first thousand they are kept on disk, not in memory, as they are found).
#[tokio::test]
async fn a_register_with_many_warnings_answers_with_the_first_thousand_and_reports_all() {
    let app = TestApp::spawn().await;
    let n = 2500;
    let mut csv = String::from("总登记号,藏品名称\n");
    for i in 1..=n {
        csv.push_str(&format!("2024.7.{i},\n"));
    }
    let (status, report) = post(&app, Some(&app.curator), file(csv.clone().into_bytes(), "untitled.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(report["created"], n);
    assert_eq!((report["warnings"].as_array().unwrap().len(), report["warnings_total"].as_u64()), (1000, Some(n)));
    let id = report["id"].as_i64().unwrap();
    let logged = app.read(&format!("/api/v1/imports/{id}")).await;
    assert_eq!((logged["warnings"].as_array().unwrap().len(), logged["warnings_total"].as_u64()), (1000, Some(n)));
    let report_csv = |id: i64| {
        let req = app.get(&format!("/api/v1/imports/{id}/report.csv")).bearer_auth(&app.curator);
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    let text = report_csv(id).await;
    assert_eq!(text.lines().count(), 1 + n as usize, "a header and every warning");
    let rows: Vec<u64> = text
        .lines()
        .skip(1)
        .map(|l| l.strip_prefix("untitled.csv,").unwrap().split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(rows, (2..=n + 1).collect::<Vec<_>>(), "every row once, in order");

    // Strictly, every warning is an error, in row order, and nothing is written.
    let before = app.state.artefact_count().unwrap();
    let form = file(csv.replace("2024.7.", "2024.8.").into_bytes(), "untitled.csv").text("strict", "true");
    let (status, body) = post(&app, Some(&app.curator), form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["message"].as_str().unwrap().starts_with(&format!("untitled.csv: {n} problems")), "{body}");
    assert_eq!(body["details"].as_array().unwrap().len(), 1000);
    assert_eq!(app.state.artefact_count().unwrap(), before);
    let log = app.read("/api/v1/imports").await;
    let text = report_csv(log[0]["id"].as_i64().unwrap()).await;
    assert_eq!(text.lines().filter(|l| l.contains(",error,")).count(), n as usize);
    assert!(text.lines().last().unwrap().starts_with(&format!("untitled.csv,{},", n + 1)));
}
