//! What probing the running catalogue as an attacker, a careless client and a
//! visitor found: security headers, errors in the catalogue's own form from
//! every layer, strict parameters, and images a visitor can open.

use std::io::Write;

use catalogue::model::role::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::TestApp;
use crate::helpers::images::{artefact, read_fixture, upload};

/// The JSON error body of `res`, checking it is the catalogue's.
async fn json_error(res: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(res.status(), status, "{}", res.url());
    let ct = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(ct.starts_with("application/json"), "{ct}");
    let body: Value = res.json().await.unwrap();
    assert!(body["code"].as_str().is_some_and(|c| !c.is_empty()), "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    artefact(&app, "2023.1.1", "published").await;
    let (status, image) =
        upload(&app, Some(&app.curator), "2023.1.1", "hopper.jpg", read_fixture("hopper.jpg"), &[]).await;
    assert_eq!(status, StatusCode::CREATED, "{image}");
    let id = image["image"]["id"].as_str().unwrap().to_string();
    for (path, framed) in [
        ("/".to_string(), false),
        ("/objects/2023.1.1".into(), false),
        ("/no-such-page".into(), false),
        ("/login".into(), false),
        ("/api/v1/search?q=".into(), false),
        ("/api/v1/nothing".into(), false),
        ("/static/site.css".into(), false),
        ("/favicon.ico".into(), false),
        (format!("/iiif/3/{id}/info.json"), true),
        (format!("/iiif/3/{id}/full/200,/0/default.jpg"), true),
    ] {
        let res = app.get(&path).send().await.unwrap();
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert!(h.contains_key("referrer-policy"), "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}: {csp}");
        if framed {
            // IIIF images may be embedded by other sites, with CORS.
            assert!(!csp.contains("frame-ancestors"), "{path}: {csp}");
            assert_eq!(h["access-control-allow-origin"], "*", "{path}");
        } else {
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
        }
    }
    let page = app.get("/").send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && csp.contains("style-src 'self'"), "{csp}");
    // No inline script or style a policy without 'unsafe-inline' would block.
    for path in ["/", "/objects/2023.1.1", "/search?q=%E6%9D%8E", "/login", "/static/mirador.html"] {
        let html = app.get(path).send().await.unwrap().text().await.unwrap();
        let doc = scraper::Html::parse_document(&html);
        let inline =
            scraper::Selector::parse("script:not([src]):not([type='application/ld+json']), style, [style]").unwrap();
        let found: Vec<String> = doc.select(&inline).map(|e| e.html().chars().take(80).collect()).collect();
        assert!(found.is_empty(), "{path}: {found:?}");
        assert!(!html.contains("javascript:"), "{path}");
    }
}

#[tokio::test]
async fn the_site_has_an_icon() {
    let app = TestApp::spawn().await;
    let res = app.get("/favicon.ico").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/x-icon");
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "an ICO file");
    let html = app.get("/").send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"<link rel="icon" href="/favicon.ico""#));
}

#[tokio::test]
async fn errors_from_every_layer_are_the_catalogue_s_json_or_its_error_page() {
    let app = TestApp::spawn().await;
    artefact(&app, "2023.1.1", "published").await;

    // An upload that is not multipart: axum's extractor said so in plain text.
    let res = app
        .as_curator(app.client.post(app.url("/api/v1/artefacts/2023.1.1/images")))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert!(status.is_client_error(), "{status}");
    json_error(res, status).await;

    // A path segment that is not UTF-8.
    let res = app.get("/api/v1/artefacts/%FF%FE").send().await.unwrap();
    let status = res.status();
    assert!(status.is_client_error(), "{status}");
    json_error(res, status).await;
    let res = app.get("/objects/%FF%FE").send().await.unwrap();
    assert!(res.status().is_client_error());
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));

    // A method a route does not take.
    let res = app.client.delete(app.url("/api/v1/search")).send().await.unwrap();
    let body = json_error(res, StatusCode::METHOD_NOT_ALLOWED).await;
    assert_eq!(body["code"], "method_not_allowed");

    // Over-long addresses and headers: 414 and 431 with a message, before hyper's own bare answer.
    let long = format!("/api/v1/search?q={}", "a".repeat(20_000));
    let body = json_error(app.get(&long).send().await.unwrap(), StatusCode::URI_TOO_LONG).await;
    assert_eq!(body["code"], "uri_too_long");
    let res = app.get(&format!("/search?q={}", "a".repeat(20_000))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::URI_TOO_LONG);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let res = app.get("/api/v1/search").header("x-padding", "b".repeat(40_000)).send().await.unwrap();
    let body = json_error(res, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE).await;
    assert_eq!(body["code"], "headers_too_large");

    // A file under /static that is not there: the site's page, not a bare text.
    let res = app.get("/static/nothing.js").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}

/// What the server answers to `request` sent as raw bytes.
async fn raw(app: &TestApp, request: &[u8]) -> String {
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // The server may answer and close before all is sent: what it said is what counts.
    let _ = stream.write_all(request).await;
    let mut said = Vec::new();
    let _ = stream.read_to_end(&mut said).await;
    String::from_utf8_lossy(&said).into_owned()
}

/// Requests too long or too broken for the router, which hyper itself refuses,
/// are still answered in the catalogue's JSON, with the status hyper chose.
#[tokio::test]
async fn requests_hyper_refuses_itself_are_answered_in_the_catalogue_s_form() {
    let app = TestApp::spawn().await;
    let get =
        |q: usize| format!("GET /api/v1/search?q={} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "x".repeat(q));
    for (request, status, code) in [
        // Past the router's limit, before hyper's.
        (get(30_000), "414", "uri_too_long"),
        // Past what an `http::Uri` holds: hyper's own 414.
        (get(70_000), "414", "uri_too_long"),
        // Headers past hyper's read buffer: its own 431.
        (
            format!("GET / HTTP/1.1\r\nHost: x\r\nX-Padding: {}\r\n\r\n", "y".repeat(200_000)),
            "431",
            "headers_too_large",
        ),
        // Not HTTP at all.
        ("NOT HTTP AT ALL\r\n\r\n".to_string(), "400", "bad_request"),
    ] {
        let said = raw(&app, request.as_bytes()).await;
        let head: String = said.chars().take(300).collect();
        assert!(said.starts_with(&format!("HTTP/1.1 {status} ")), "{head}");
        assert!(said.to_ascii_lowercase().contains("content-type: application/json"), "{head}");
        assert!(said.contains(&format!("\"code\":\"{code}\"")), "{said}");
        assert!(said.to_ascii_lowercase().contains("x-content-type-options: nosniff"), "{head}");
    }
    // The server goes on answering.
    assert_eq!(app.get("/healthz").send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn search_parameters_that_cannot_be_honoured_are_400_with_a_message() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("q=&filter=year:abc", "filter"),
        ("q=&filter=colour:red", "filter"),
        ("q=&filter=has_image:maybe", "filter"),
        ("q=&facets=maybe", "facets"),
        ("q=%FF%FE", "q"),
    ] {
        let res = app.get(&format!("/api/v1/search?{query}")).send().await.unwrap();
        let body = json_error(res, StatusCode::BAD_REQUEST).await;
        assert_eq!(body["details"][0]["field"], field, "{query}: {body}");
    }
    for query in ["q=&filter=year:1900..1930", "q=&filter=year:..1949", "q=&facets=false", "q=%E6%9D%8E"] {
        assert_eq!(
            app.get(&format!("/api/v1/search?{query}")).send().await.unwrap().status(),
            StatusCode::OK,
            "{query}"
        );
    }
    // The public results page says so too, on its error page.
    for query in ["q=&filter=year:abc", "q=%FF%FE"] {
        let res = app.get(&format!("/search?{query}")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query}");
    }
}

async fn import(app: &TestApp, name: &str, bytes: Vec<u8>, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    app.as_curator(app.client.post(app.url("/api/v1/imports"))).multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn damaged_or_undecodable_imports_are_4xx_and_import_nothing() {
    let app = TestApp::spawn().await;
    let lines: String = (0..200)
        .map(|i| {
            json!({"source": "gz-test", "accession_number": format!("GZ{i:04}"), "title": format!("压缩{i}")})
                .to_string()
                + "\n"
        })
        .collect();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let before = app.written();

    let truncated = gz[..gz.len() / 2].to_vec();
    let body = json_error(import(&app, "register.jsonl.gz", truncated, &[]).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(body["code"], "unreadable_file", "{body}");
    assert_eq!(body["details"][0]["field"], "file");
    let mut bad_utf8 = b"{\"source\": \"x\", \"accession_number\": \"U1\", \"title\": \"".to_vec();
    bad_utf8.extend([0xff, 0xfe]);
    bad_utf8.extend(b"\"}\n");
    let body = json_error(import(&app, "register.jsonl", bad_utf8, &[]).await, StatusCode::BAD_REQUEST).await;
    assert!(body["message"].as_str().unwrap().contains("line 1 is not UTF-8"), "{body}");
    let body = json_error(
        import(&app, "register.jsonl", lines.clone().into_bytes(), &[("dry_run", "maybe")]).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(body["details"][0]["field"], "dry_run", "{body}");
    assert!(body["message"].as_str().unwrap().contains("true or false"));
    assert_eq!(app.written(), before, "nothing was imported");

    // A whole gzip upload is read as one, whatever name it was stored under.
    let res = import(&app, "register.jsonl.gz", gz, &[]).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let record = app.read("/api/v1/artefacts/GZ0007").await;
    assert!(record["title"].to_string().contains("压缩7"), "{record}");
}

/// The object page's "larger image" asks `!1600,1600` of images of any size.
#[tokio::test]
async fn an_image_smaller_than_the_confining_box_is_served_whole_not_refused() {
    let app = TestApp::spawn().await;
    artefact(&app, "2023.1.1", "published").await;
    let (status, body) =
        upload(&app, Some(&app.curator), "2023.1.1", "hopper.jpg", read_fixture("hopper.jpg"), &[]).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let img = &body["image"];
    let id = img["id"].as_str().unwrap();
    let (w, h) = (img["width"].as_u64().unwrap() as u32, img["height"].as_u64().unwrap() as u32);
    assert!(w < 1600 && h < 1600);
    let res = app.get(&format!("/iiif/3/{id}/full/!1600,1600/0/default.jpg")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let img = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (w, h), "the region, not upscaled");
    // Without ^, sizes larger than the region are still refused.
    let res = app.get(&format!("/iiif/3/{id}/full/{},/0/default.jpg", w * 2)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // The object page links to that size.
    let html = app.get("/objects/2023.1.1").send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("/iiif/3/{id}/full/!1600,1600/0/default.jpg")));
}

#[tokio::test]
async fn metrics_gauges_need_an_administrator_even_through_a_session_less_client() {
    let app = TestApp::spawn().await;
    let text = app.get("/metrics").send().await.unwrap().text().await.unwrap();
    assert!(!text.contains("catalogue_artefacts"), "{text}");
    let admin = app.user("root", Role::Admin);
    assert_eq!(app.get("/metrics").bearer_auth(admin).send().await.unwrap().status(), StatusCode::OK);
}
