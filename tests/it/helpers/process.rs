//! The `catalogue` binary as a user runs it: one command line runner and one server starter.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use catalogue::model::role::Role;
use catalogue::store::Store;
use serde_json::Value;

/// The binary with its arguments, quiet (warnings only, no backtraces) and with no
/// data directory taken from the environment of whoever runs the tests.
fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_catalogue"));
    command.args(args).env_remove("CATALOGUE_DATA_DIR").env("RUST_LOG", "warn").env("RUST_BACKTRACE", "0");
    command
}

/// Runs `catalogue ARGS` and waits for it.
pub fn run_catalogue(args: &[&str]) -> Output {
    run_catalogue_with(args, |_| {})
}

/// Runs `catalogue ARGS` with extra environment (`setup`) and waits for it.
pub fn run_catalogue_with(args: &[&str], setup: impl FnOnce(&mut Command)) -> Output {
    let mut command = command(args);
    setup(&mut command);
    command.output().expect("run catalogue")
}

/// Runs `catalogue ARGS`, typing `input` (when there is some) at its standard input.
pub fn run_catalogue_with_input(args: &[&str], input: Option<&str>) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run catalogue");
    let mut stdin = child.stdin.take().unwrap();
    if let Some(s) = input {
        stdin.write_all(s.as_bytes()).unwrap();
    }
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// Runs `catalogue ARGS`, asserts that it succeeded and returns what it printed.
pub fn run_catalogue_ok(args: &[&str]) -> String {
    let out = run_catalogue(args);
    let said = said(&out);
    assert!(out.status.success(), "catalogue {args:?} failed:\n{said}");
    said
}

/// What a run printed, standard output then standard error.
pub fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Starts `catalogue serve` on a free port over `data` and returns the child and its base URL.
pub fn start_server(data: &str) -> (Child, String) {
    let mut child = command(&["--data-dir", data, "serve", "--addr", "127.0.0.1:0"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        let line = lines.next().expect("the server logs its address").unwrap();
        if let Some(i) = line.find("http://127.0.0.1:") {
            break line[i..].split_whitespace().next().unwrap().trim_end_matches('/').to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

/// A new user of `role` and their API token, made in the data directory before a server starts.
pub fn token_in(data: &Path, name: &str, role: Role) -> String {
    let store = Store::open(&data.join("catalogue.sqlite3")).unwrap();
    let user = store.add_user("test", name, role, None).unwrap();
    store.create_token("test", user.id, None).unwrap().secret
}

/// A gauge from `/metrics`, read with an administrator's token.
pub async fn gauge(client: &reqwest::Client, base: &str, admin: &str, name: &str) -> f64 {
    let res = client.get(format!("{base}/metrics")).bearer_auth(admin).send().await.unwrap();
    let text = res.text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

/// Waits (up to `limit`) until `check` holds.
pub async fn until(what: &str, limit: Duration, mut check: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Kills a server started by [`start_server`] and reaps it.
pub fn kill(mut server: Child) {
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush, no commit.
    server.wait().unwrap();
}

/// How many records an (anonymous, without `token`) empty search finds on the server at `base`.
pub async fn search_total(client: &reqwest::Client, base: &str, token: Option<&str>) -> u64 {
    let mut req = client.get(format!("{base}/api/v1/search?q=&per_page=1"));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let v: Value = req.send().await.unwrap().json().await.unwrap();
    v["total"].as_u64().unwrap()
}
