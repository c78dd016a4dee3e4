//! Who may do what, route by route, and private fields that never reach a researcher.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Browser, PASSWORD, Page};
use crate::helpers::TestApp;
use crate::helpers::images::{read_fixture, upload};

/// Sentinel values in every private field: none may appear where a researcher or the public looks.
const SENTINELS: &[&str] = &[
    "SENTINEL-STORAGE-ROOM",
    "987654321",
    "SENTINEL-INSURANCE",
    "SENTINEL-ARTEFACT-NOTE",
    "sentinel-donor@example.org",
    "SENTINEL-PHONE-5550100",
    "SENTINEL-ADDRESS",
    "SENTINEL-DONOR-NOTE",
    "SENTINEL-DONATION-NOTE",
];

struct Fixture {
    app: TestApp,
    donor: i64,
    donation: i64,
    public_image: String,
    internal_image: String,
    researcher: String,
    admin: String,
}

/// A catalogue with a published artefact (public image) and an unpublished one holding every
/// private field, an internal image, and a donor with contact details.
async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let donor = app
        .create(
            "/api/v1/parties",
            json!({"name": {"zh": "李振亚"}, "naming_consent": true, "internal_notes": "SENTINEL-DONOR-NOTE",
                   "contact": {"email": "sentinel-donor@example.org", "phone": "SENTINEL-PHONE-5550100", "address": "SENTINEL-ADDRESS"}}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let donation = app
        .create(
            "/api/v1/donations",
            json!({"number": 15, "year": 2023, "donor_ids": [donor], "occasion": {"zh": "第15场捐赠仪式"},
                   "internal_notes": "SENTINEL-DONATION-NOTE"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    app.create(
        "/api/v1/artefacts",
        json!({"donation_id": donation, "title": {"zh": "村饮诗轴"}, "status": "published"}),
    )
    .await;
    app.create(
        "/api/v1/artefacts",
        json!({"donation_id": donation, "title": {"zh": "毛主席走遍全国"}, "status": "internal",
               "private": {"storage_location": "SENTINEL-STORAGE-ROOM", "valuation": {"amount": 987654321.0, "currency": "CNY"},
                           "insurance": "SENTINEL-INSURANCE", "internal_notes": "SENTINEL-ARTEFACT-NOTE"}}),
    )
    .await;
    let curator = app.curator.clone();
    let (s, v) = upload(&app, Some(&curator), "2023.15.1", "hopper.jpg", read_fixture("hopper.jpg"), &[]).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let public_image = v["image"]["id"].as_str().unwrap().to_string();
    let (s, v) = upload(
        &app,
        Some(&curator),
        "2023.15.2",
        "hopper.jpg",
        read_fixture("hopper.jpg"),
        &[("visibility", "internal")],
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let internal_image = v["image"]["id"].as_str().unwrap().to_string();
    for (name, role) in [("reader", Role::Researcher), ("boss", Role::Admin)] {
        app.state.add_user("test", name, role, Some(PASSWORD)).unwrap();
    }
    app.state.add_user("test", "keeper", Role::Curator, Some(PASSWORD)).unwrap();
    let token = |name: &str| {
        let u = app.state.user(name).unwrap().unwrap();
        app.state.create_token("test", u.id, None).unwrap().secret
    };
    let researcher = token("reader");
    let admin = token("boss");
    app.settled().await;
    Fixture { app, donor, donation, public_image, internal_image, researcher, admin }
}

/// One row of the matrix: a request and what the public, a researcher, a curator and an admin get.
struct Row {
    method: &'static str,
    path: String,
    body: Option<Value>,
    expect: [u16; 4],
}

fn row(method: &'static str, path: impl Into<String>, body: Option<Value>, expect: [u16; 4]) -> Row {
    Row { method, path: path.into(), body, expect }
}

#[tokio::test]
async fn every_api_and_iiif_route_answers_each_role_as_the_design_says() {
    let f = fixture().await;
    let (d, p, pub_img, int_img) = (f.donation, f.donor, &f.public_image, &f.internal_image);
    let stale = json!({"version": 999});
    let rows = vec![
        row("GET", "/api/v1/openapi.json", None, [200, 200, 200, 200]),
        row("GET", "/api/v1/artefacts", None, [200, 200, 200, 200]),
        row("POST", "/api/v1/artefacts", Some(json!({"donation_id": d, "title": {"zh": "新"}})), [401, 403, 201, 201]),
        row("GET", "/api/v1/artefacts/2023.15.1", None, [200, 200, 200, 200]),
        row("GET", "/api/v1/artefacts/2023.15.2", None, [404, 200, 200, 200]),
        row("PATCH", "/api/v1/artefacts/2023.15.2", Some(stale.clone()), [401, 403, 409, 409]),
        row(
            "POST",
            "/api/v1/artefacts/2023.15.2/deaccession",
            Some(json!({"version": 999, "reason": "x"})),
            [401, 403, 409, 409],
        ),
        row(
            "POST",
            "/api/v1/batch",
            Some(json!({"records": [{"accession": "2023.15.2", "version": 999}], "change": {"action": "publish"}})),
            [401, 403, 409, 409],
        ),
        row("GET", "/api/v1/artefacts/2023.15.2/history", None, [401, 200, 200, 200]),
        row("GET", "/api/v1/artefacts/2023.15.1/images", None, [200, 200, 200, 200]),
        row("GET", "/api/v1/artefacts/2023.15.2/images", None, [404, 200, 200, 200]),
        row("POST", "/api/v1/artefacts/2023.15.2/images", None, [401, 403, 422, 422]),
        row("POST", "/api/v1/imports", None, [401, 403, 422, 422]),
        row("GET", "/api/v1/imports", None, [401, 403, 200, 200]),
        row("GET", "/api/v1/imports/1", None, [401, 403, 404, 404]),
        row("GET", "/api/v1/imports/1/report.csv", None, [401, 403, 404, 404]),
        row("GET", format!("/api/v1/images/{pub_img}"), None, [200, 200, 200, 200]),
        row("GET", format!("/api/v1/images/{int_img}"), None, [404, 200, 200, 200]),
        row("PATCH", format!("/api/v1/images/{int_img}"), Some(stale.clone()), [401, 403, 409, 409]),
        row("GET", format!("/api/v1/images/{int_img}/history"), None, [401, 200, 200, 200]),
        row("GET", "/api/v1/parties", None, [401, 200, 200, 200]),
        row("POST", "/api/v1/parties", Some(json!({"name": {"zh": "某"}})), [401, 403, 201, 201]),
        row("GET", format!("/api/v1/parties/{p}"), None, [401, 200, 200, 200]),
        row("PATCH", format!("/api/v1/parties/{p}"), Some(stale.clone()), [401, 403, 409, 409]),
        row("GET", format!("/api/v1/parties/{p}/history"), None, [401, 200, 200, 200]),
        row("GET", "/api/v1/donations", None, [401, 200, 200, 200]),
        row("POST", "/api/v1/donations", Some(json!({"donor_ids": [p]})), [401, 403, 201, 201]),
        row("GET", format!("/api/v1/donations/{d}"), None, [401, 200, 200, 200]),
        row("PATCH", format!("/api/v1/donations/{d}"), Some(stale), [401, 403, 409, 409]),
        row("GET", format!("/api/v1/donations/{d}/history"), None, [401, 200, 200, 200]),
        row("GET", format!("/api/v1/donations/{d}/next-accession"), None, [401, 200, 200, 200]),
        row("GET", "/api/v1/search?q=%E6%AF%9B%E4%B8%BB%E5%B8%AD", None, [200, 200, 200, 200]),
        row("GET", "/api/v1/suggest?q=%E6%AF%9B", None, [200, 200, 200, 200]),
        row("GET", "/api/v1/vocabularies", None, [200, 200, 200, 200]),
        row("GET", "/api/v1/vocabularies/category", None, [200, 200, 200, 200]),
        row("GET", format!("/iiif/3/{pub_img}/info.json"), None, [200, 200, 200, 200]),
        row("GET", format!("/iiif/3/{int_img}/info.json"), None, [404, 200, 200, 200]),
        row("GET", format!("/iiif/3/{int_img}/full/max/0/default.jpg"), None, [404, 200, 200, 200]),
        // The base URI redirects whatever the id (so it tells nothing); info.json decides.
        row("GET", format!("/iiif/3/{int_img}"), None, [303, 303, 303, 303]),
        row("GET", "/iiif/3/manifests/2023.15.1", None, [200, 200, 200, 200]),
        row("GET", "/iiif/3/manifests/2023.15.2", None, [404, 200, 200, 200]),
    ];
    let tokens = [None, Some(f.researcher.as_str()), Some(f.app.curator.as_str()), Some(f.admin.as_str())];
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut wrong = Vec::new();
    for r in &rows {
        for (who, token) in ["public", "researcher", "curator", "admin"].iter().zip(tokens) {
            let url = f.app.url(&r.path);
            let mut req = match r.method {
                "GET" => client.get(&url),
                "POST" => client.post(&url),
                _ => client.patch(&url),
            };
            req = match &r.body {
                Some(b) => req.json(b),
                None if r.method == "POST" => req.multipart(reqwest::multipart::Form::new().text("note", "")),
                None => req,
            };
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let res = req.send().await.unwrap();
            let want = r.expect[["public", "researcher", "curator", "admin"].iter().position(|w| w == who).unwrap()];
            if res.status().as_u16() != want {
                wrong.push(format!("{} {} as {who}: {} (expected {want})", r.method, r.path, res.status()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Browsers for the public and each role, signed in through the form.
async fn browsers(app: &TestApp) -> Vec<(&'static str, Browser, String)> {
    let mut out = vec![("public", Browser::new(app), String::new())];
    for (who, name) in [("researcher", "reader"), ("curator", "keeper"), ("admin", "boss")] {
        let mut b = Browser::new(app);
        let page = b.sign_in(name, PASSWORD).await;
        let csrf = page.csrf();
        out.push((who, b, csrf));
    }
    out
}

#[tokio::test]
async fn every_page_and_form_answers_each_role_as_the_design_says() {
    let f = fixture().await;
    let d = f.donation;
    let gets = vec![
        ("/", [200, 200, 200, 200]),
        ("/search?q=%E6%9D%91%E9%A5%AE", [200, 200, 200, 200]),
        ("/objects/2023.15.1", [200, 200, 200, 200]),
        ("/objects/2023.15.2", [404, 404, 404, 404]),
        ("/donors", [200, 200, 200, 200]),
        ("/sitemap.xml", [200, 200, 200, 200]),
        ("/robots.txt", [200, 200, 200, 200]),
        ("/oai?verb=Identify", [200, 200, 200, 200]),
        ("/healthz", [200, 200, 200, 200]),
        ("/metrics", [401, 403, 403, 200]),
        ("/static/admin.js", [200, 200, 200, 200]),
        ("/login", [200, 303, 303, 303]),
        ("/search.csv?q=%E6%9D%91%E9%A5%AE", [303, 200, 200, 200]),
        ("/admin", [303, 200, 200, 200]),
        ("/admin/objects", [303, 200, 200, 200]),
        ("/admin/objects?status=draft&category=calligraphy-painting&sort=date", [303, 200, 200, 200]),
        ("/admin/objects?status=lost", [303, 400, 400, 400]),
        ("/admin/donations", [303, 200, 200, 200]),
        ("/admin/donations?donor=x", [303, 400, 400, 400]),
        ("/admin/donors", [303, 200, 200, 200]),
        ("/admin/donors?find=li", [303, 200, 200, 200]),
        ("/admin/donors/new", [303, 403, 200, 200]),
        ("/admin/donations/new", [303, 403, 200, 200]),
        ("/admin/imports", [303, 403, 200, 200]),
        ("/admin/imports/1/report.csv", [303, 403, 404, 404]),
        ("/admin/objects/2023.15.2", [303, 200, 200, 200]),
        ("/admin/objects/2023.15.2/history", [303, 200, 200, 200]),
        ("/admin/dimensions?text=45cm", [303, 200, 200, 200]),
        ("/admin/tokens", [303, 200, 200, 200]),
        ("/admin/users", [303, 403, 403, 200]),
        ("/admin/vocabularies", [303, 403, 403, 200]),
        ("/admin/vocabularies/category", [303, 403, 403, 200]),
        ("/admin/activity", [303, 403, 403, 200]),
    ];
    let p = f.donor;
    let staff_pages = [
        format!("/admin/donations/{d}"),
        format!("/admin/donations/{d}/edit"),
        format!("/admin/donations/{d}/history"),
        format!("/admin/donors/{p}"),
        format!("/admin/donors/{p}/history"),
    ];
    let mut wrong = Vec::new();
    let mut bs = browsers(&f.app).await;
    for (path, expect) in
        gets.iter().map(|(p, e)| (p.to_string(), *e)).chain(staff_pages.into_iter().map(|p| (p, [303, 200, 200, 200])))
    {
        for (i, (who, b, _)) in bs.iter_mut().enumerate() {
            let got = b.get(&path).await.status.as_u16();
            if got != expect[i] {
                wrong.push(format!("GET {path} as {who}: {got} (expected {})", expect[i]));
            }
        }
    }
    // Forms: refused for roles without the right, done for the others.
    type Post = (String, Vec<(&'static str, &'static str)>, [u16; 4]);
    let posts: Vec<Post> = vec![
        ("/admin/donors/new".into(), vec![("name_zh", "某人")], [303, 403, 303, 303]),
        ("/admin/donations/new".into(), vec![("donor", "1"), ("date", "2024年")], [303, 403, 303, 303]),
        (format!("/admin/donations/{d}"), vec![("title_zh", "某物")], [303, 403, 303, 303]),
        (
            "/admin/objects/2023.15.1/status".into(),
            vec![("status", "published"), ("version", "999")],
            [303, 403, 409, 409],
        ),
        (
            "/admin/objects/2023.15.1/deaccession".into(),
            vec![("reason", "x"), ("confirm", "on"), ("version", "999")],
            [303, 403, 409, 409],
        ),
        ("/admin/objects/2023.15.1".into(), vec![("title_zh", "改"), ("version", "999")], [303, 403, 409, 409]),
        (
            format!("/admin/images/{}", f.internal_image),
            vec![("role", "detail"), ("version", "999")],
            [303, 403, 409, 409],
        ),
        (format!("/admin/donations/{d}/accession"), vec![], [303, 403, 303, 303]),
        (format!("/admin/donations/{d}/edit"), vec![("venue", "某处"), ("version", "999")], [303, 403, 409, 409]),
        (format!("/admin/donors/{p}"), vec![("name_zh", "某"), ("version", "999")], [303, 403, 409, 409]),
        (
            "/admin/vocabularies/material".into(),
            vec![("code", "x-test"), ("zh", "测试"), ("en", "test")],
            [303, 403, 403, 303],
        ),
        ("/admin/users".into(), vec![("name", "newbie"), ("role", "researcher")], [303, 403, 403, 303]),
        ("/admin/users/1".into(), vec![("role", "researcher")], [303, 403, 403, 303]),
        ("/admin/tokens".into(), vec![("label", "mine")], [303, 200, 200, 200]),
        ("/admin/tokens/999999/revoke".into(), vec![], [303, 404, 404, 404]),
    ];
    for (path, fields, expect) in posts {
        for (i, (who, b, csrf)) in bs.iter_mut().enumerate() {
            let mut body: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            body.push(("csrf".into(), csrf.clone()));
            let got = b.post(&path, &body).await.status.as_u16();
            if got != expect[i] {
                wrong.push(format!("POST {path} as {who}: {got} (expected {})", expect[i]));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[tokio::test]
async fn a_researcher_sees_all_holdings_but_never_a_private_field() {
    let f = fixture().await;
    let app = &f.app;
    let leaks = |what: &str, body: &str| -> Vec<String> {
        SENTINELS.iter().filter(|s| body.contains(*s)).map(|s| format!("{what} shows {s}")).collect()
    };
    let mut found = Vec::new();

    // Through the API with a token.
    let api = [
        "/api/v1/artefacts?per_page=200",
        "/api/v1/artefacts/2023.15.2",
        "/api/v1/artefacts/2023.15.2/history",
        "/api/v1/parties",
        &format!("/api/v1/parties/{}", f.donor),
        &format!("/api/v1/parties/{}/history", f.donor),
        "/api/v1/donations",
        &format!("/api/v1/donations/{}", f.donation),
        &format!("/api/v1/donations/{}/history", f.donation),
        "/api/v1/search?q=%E6%AF%9B%E4%B8%BB%E5%B8%AD",
        "/api/v1/search?q=SENTINEL",
        "/api/v1/suggest?q=SENTINEL",
        "/iiif/3/manifests/2023.15.2",
    ];
    for path in api {
        let res = app.get(path).bearer_auth(&f.researcher).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        found.extend(leaks(path, &res.text().await.unwrap()));
    }
    // The researcher can search the unpublished record, but not by a private value.
    let v: Value = app
        .get("/api/v1/search?q=SENTINEL-STORAGE-ROOM")
        .bearer_auth(&f.researcher)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["total"], 0, "a private value is not searchable by a researcher");
    let v: Value = app
        .get("/api/v1/search?q=%E6%AF%9B%E4%B8%BB%E5%B8%AD")
        .bearer_auth(&f.researcher)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["total"], 1, "but the unpublished record is found: {v}");

    // Through the web, signed in.
    let mut b = Browser::new(app);
    b.sign_in("reader", PASSWORD).await;
    let pages = [
        "/admin".to_string(),
        "/admin/objects".into(),
        "/admin/objects?q=SENTINEL".into(),
        "/admin/donations".into(),
        "/admin/donors".into(),
        "/admin/objects/2023.15.2".into(),
        "/admin/objects/2023.15.2/history".into(),
        format!("/admin/donations/{}", f.donation),
        format!("/admin/donations/{}/edit", f.donation),
        format!("/admin/donations/{}/history", f.donation),
        format!("/admin/donors/{}", f.donor),
        format!("/admin/donors/{}/history", f.donor),
        "/search?q=%E6%AF%9B%E4%B8%BB%E5%B8%AD".into(),
        "/search.csv?q=%E6%AF%9B%E4%B8%BB%E5%B8%AD".into(),
        "/search.csv".into(),
    ];
    for path in &pages {
        let page: Page = b.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        found.extend(leaks(path, &page.body));
    }
    let search = b.get("/search?q=%E6%AF%9B%E4%B8%BB%E5%B8%AD").await;
    assert!(search.body.contains("/admin/objects/2023.15.2"), "the unpublished record is listed, marked");
    assert!(search.body.contains("status-internal"));
    let csv = b.get("/search.csv").await.body;
    assert!(csv.contains("2023.15.2") && csv.contains("2023.15.1"), "{csv}");
    assert!(!csv.contains("存放位置"), "no private columns: {csv}");
    assert!(found.is_empty(), "{}", found.join("\n"));

    // The same pages show the private fields to a curator: the check can fail.
    let mut keeper = Browser::new(app);
    keeper.sign_in("keeper", PASSWORD).await;
    let page = keeper.get("/admin/objects/2023.15.2").await;
    assert!(page.body.contains("SENTINEL-STORAGE-ROOM") && page.body.contains("SENTINEL-ARTEFACT-NOTE"));
    let csv = keeper.get("/search.csv").await.body;
    assert!(csv.contains("SENTINEL-STORAGE-ROOM") && csv.contains("sentinel-donor@example.org"), "{csv}");
}

#[tokio::test]
async fn admins_manage_accounts_and_everyone_their_own_tokens() {
    let f = fixture().await;
    let app = &f.app;
    let mut admin = Browser::new(app);
    let dashboard = admin.sign_in("boss", PASSWORD).await;
    assert!(dashboard.body.contains("/admin/users"));

    // A new researcher account, made in the users page.
    let users = admin.get("/admin/users").await;
    let res = admin
        .submit(
            &users,
            r#"form[action^="/admin/users?"]"#,
            &[("name", "scholar"), ("role", "researcher"), ("password", "short")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "a short password is refused");
    assert!(res.body.contains("10"), "{}", res.body);
    let res = admin
        .submit(
            &users,
            r#"form[action^="/admin/users?"]"#,
            &[("name", "scholar"), ("role", "researcher"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut scholar = Browser::new(app);
    scholar.sign_in("scholar", PASSWORD).await;

    // Their own API token: shown once, works, then revoked.
    let tokens = scholar.get("/admin/tokens").await;
    let made = scholar.submit(&tokens, r#"form[action^="/admin/tokens?"]"#, &[("label", "notebook")]).await;
    assert_eq!(made.status, StatusCode::OK);
    let secret = made.body.split("<code class=\"token\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert!(secret.starts_with("mct_"));
    assert_eq!(app.get("/api/v1/donations").bearer_auth(&secret).send().await.unwrap().status(), StatusCode::OK);
    let listed = scholar.get("/admin/tokens").await;
    assert!(listed.body.contains("notebook") && !listed.body.contains(&secret), "listed without its secret");
    let res = scholar.submit(&listed, r#"form[action*="/revoke"]"#, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/donations").bearer_auth(&secret).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    // Nobody revokes another user's token.
    let theirs = app.state.tokens_of(app.state.user("boss").unwrap().unwrap().id).unwrap()[0].id;
    let csrf = listed.csrf();
    let res = scholar.post(&format!("/admin/tokens/{theirs}/revoke"), &[("csrf".into(), csrf)]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/donations").bearer_auth(&f.admin).send().await.unwrap().status(), StatusCode::OK);

    // Disabling the account ends its session at once; admins cannot lock themselves out.
    let id = app.state.user("scholar").unwrap().unwrap().id;
    let users = admin.get("/admin/users").await;
    let res = admin.submit(&users, &format!(r#"form[action^="/admin/users/{id}?"]"#), &[("disabled", "on")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(scholar.get("/admin").await.status, StatusCode::SEE_OTHER);
    assert_eq!(scholar.try_sign_in("scholar", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    let me = app.state.user("boss").unwrap().unwrap().id;
    let res = admin.submit(&users, &format!(r#"form[action^="/admin/users/{me}?"]"#), &[("role", "curator")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The activity log lists who did what, in words, not the log's codes.
    let log = admin.get("/admin/activity").await;
    assert!(
        log.body.contains("scholar") && log.body.contains("撤销访问令牌") && log.body.contains("登录"),
        "{}",
        log.body
    );
    for code in ["revoke_token", "sign_in", "create_token", "user 2", "(UTC)"] {
        assert!(!log.body.contains(code), "{code} on the activity page");
    }
}
