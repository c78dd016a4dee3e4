//! Slow, stalled and too many clients; a graceful stop on SIGTERM.

use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use catalogue::model::role::Role;

use crate::helpers::{DataDir, TestApp};

async fn spawn_with_limits(f: impl FnOnce(&mut catalogue::catalogue::config::Limits)) -> TestApp {
    TestApp::spawn_with(DataDir::Temp(tempfile::tempdir().unwrap()), |c| f(&mut c.limits)).await
}

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_string()
}

/// Reads what the server sends until it closes the connection (or `limit` passes).
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(limit, stream.read_to_end(&mut got)).await;
    read.ok().map(|_| String::from_utf8_lossy(&got).to_string())
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off_while_others_are_served() {
    let app = spawn_with_limits(|l| l.header_timeout = Duration::from_secs(1)).await;
    let mut slow = TcpStream::connect(addr(&app)).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: catalogue\r\nX-Slow: ").await.unwrap();
    // Others are served meanwhile.
    let res = app.get("/healthz").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let said = read_until_closed(&mut slow, Duration::from_secs(5)).await;
    let said = said.expect("the server closed the connection within the header deadline");
    assert!(said.is_empty() || said.starts_with("HTTP/1.1 408"), "{said}");
}

#[tokio::test]
async fn a_body_that_stops_arriving_gets_408_and_changes_nothing() {
    let app = spawn_with_limits(|l| l.body_idle_timeout = Duration::from_secs(1)).await;
    let before = app.written();
    let mut stream = TcpStream::connect(addr(&app)).await.unwrap();
    let head = format!(
        "POST /api/v1/parties HTTP/1.1\r\nHost: catalogue\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{{\"name\": {{\"zh\":",
        app.curator
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let said = read_until_closed(&mut stream, Duration::from_secs(10)).await.expect("an answer");
    assert!(said.starts_with("HTTP/1.1 408"), "{said}");
    assert!(said.contains("body_timeout"), "{said}");
    assert_eq!(app.written(), before);
}

#[tokio::test]
async fn past_the_limit_of_requests_in_flight_the_answer_is_503_at_once() {
    let app = spawn_with_limits(|l| {
        l.max_in_flight = 1;
        l.body_idle_timeout = Duration::from_secs(2);
    })
    .await;
    // One request in flight: its body is still coming.
    let mut stream = TcpStream::connect(addr(&app)).await.unwrap();
    let head = format!(
        "POST /api/v1/parties HTTP/1.1\r\nHost: catalogue\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{{",
        app.curator
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let res = app.get("/api/v1/vocabularies").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()["retry-after"], "1");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], "busy");
    // Health and metrics still answer.
    assert_eq!(app.get("/healthz").send().await.unwrap().status(), StatusCode::OK);
    let admin = app.user("admin", catalogue::model::role::Role::Admin);
    assert_eq!(app.get("/metrics").bearer_auth(admin).send().await.unwrap().status(), StatusCode::OK);
    // Once the stalled request is given up, the server answers again.
    let said = read_until_closed(&mut stream, Duration::from_secs(10)).await.expect("an answer");
    assert!(said.starts_with("HTTP/1.1 408"), "{said}");
    assert_eq!(app.get("/api/v1/vocabularies").send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn sigterm_lets_the_request_in_flight_finish_and_the_server_stop_cleanly() {
    use crate::helpers::{gauge, kill, search_total, start_server, token_in, until};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let token = token_in(data, "curator", Role::Curator);
    let admin = token_in(data, "admin", Role::Admin);
    let mut lines = String::new();
    for i in 0..8000 {
        let line = serde_json::json!({"source": "sigterm-test", "accession_number": format!("ST{i:05}"), "title": format!("停机测试{i}")});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    let (mut server, base) = start_server(data.to_str().unwrap());
    let client = reqwest::Client::new();
    let import = {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        tokio::spawn(async move {
            let form = reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(lines.into_bytes()).file_name("x.jsonl"));
            client.post(format!("{base}/api/v1/imports")).bearer_auth(token).multipart(form).send().await
        })
    };
    // Once the import is running, ask the server to stop.
    for _ in 0..600 {
        if gauge(&client, &base, &admin, "catalogue_imports_running").await == 1.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = std::process::Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(status.success());
    let res = import.await.unwrap().expect("the import in flight was answered");
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let exit = tokio::task::spawn_blocking(move || server.wait()).await.unwrap().unwrap();
    assert!(exit.success(), "the server stopped cleanly: {exit:?}");
    // New connections are refused once it has stopped.
    assert!(client.get(format!("{base}/healthz")).send().await.is_err());
    // Started again, everything is there, and the indexes catch up with what the last batch left.
    let (server, base) = start_server(data.to_str().unwrap());
    until("the indexes to hold all 8000 records", Duration::from_secs(10), async || {
        search_total(&client, &base, Some(&token)).await == 8000
    })
    .await;
    kill(server);
}
