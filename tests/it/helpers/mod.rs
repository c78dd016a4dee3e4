//! Test fixtures: a real catalogue server in a temporary data directory, in this
//! process ([`TestApp`]) or as the `catalogue` binary ([`process`]).

pub mod images;
mod process;

pub use process::{
    gauge, kill, run_catalogue, run_catalogue_ok, run_catalogue_with, run_catalogue_with_input, said, search_total,
    start_server, token_in, until,
};

use std::path::{Path, PathBuf};

use catalogue::catalogue::Catalogue;
use catalogue::catalogue::config::Config;
use catalogue::model::role::Role;
use catalogue::web::AppState;
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct TestApp {
    pub base: String,
    pub state: Catalogue,
    pub client: Client,
    /// A curator's API token.
    pub curator: String,
    dir: DataDir,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

/// A data directory removed when the test ends (unless kept for a restart).
pub enum DataDir {
    Temp(tempfile::TempDir),
    Kept(PathBuf),
}

impl DataDir {
    pub fn path(&self) -> &Path {
        match self {
            DataDir::Temp(t) => t.path(),
            DataDir::Kept(p) => p,
        }
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(DataDir::Temp(tempfile::tempdir().expect("temp dir")), |_| {}).await
    }

    pub async fn spawn_with(dir: DataDir, configure: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::for_data_dir(dir.path());
        configure(&mut config);
        let state = Catalogue::open(config).expect("open the catalogue");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(catalogue::web::state::serve(listener, AppState::new(state.clone()), async {
            let _ = stopped.await;
        }));
        // The server cleans up after crashes before it answers anything: until it answers,
        // an image added here could be taken for a crash's leftover and removed.
        let client = Client::new();
        let ready = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        while client.get(format!("{base}/healthz")).send().await.is_err() {
            assert!(tokio::time::Instant::now() < ready, "the server answers within 30 s");
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        // On a read-only disk no token can be made: the test brings one from before.
        let curator = match state.user("curator").unwrap() {
            _ if state.read_only => String::new(),
            Some(u) => state.create_token("test", u.id, None).unwrap().secret,
            None => token_for(&state, "curator", Role::Curator),
        };
        TestApp { base, state, client, curator, dir, stop: Some(stop), task: Some(task) }
    }

    /// Stops the server and hands back its data directory, for a restart.
    pub async fn stop(mut self) -> DataDir {
        self.stop.take().unwrap().send(()).unwrap();
        self.task.take().unwrap().await.unwrap().unwrap();
        let dir = std::mem::replace(&mut self.dir, DataDir::Kept(PathBuf::new()));
        drop(self);
        dir
    }

    /// The data directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A new user of `role` and their token.
    pub fn user(&self, name: &str, role: Role) -> String {
        token_for(&self.state, name, role)
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(self.url(path))
    }

    pub fn as_curator(&self, req: RequestBuilder) -> RequestBuilder {
        req.bearer_auth(&self.curator)
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request")
    }

    pub async fn patch_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client.patch(self.url(path)).bearer_auth(token).json(body).send().await.expect("request")
    }

    /// Creates a record as the curator and returns its JSON, asserting 201.
    pub async fn create(&self, path: &str, body: Value) -> Value {
        let res = self.post_json(path, Some(&self.curator), &body).await;
        let status = res.status();
        let json: Value = res.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "creating at {path}: {json}");
        json
    }

    /// Reads JSON as the curator, asserting 200.
    pub async fn read(&self, path: &str) -> Value {
        let res = self.as_curator(self.get(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "reading {path}");
        res.json().await.unwrap()
    }

    /// How many audit rows and artefacts there are: what a failed write must leave unchanged.
    pub fn written(&self) -> (i64, i64) {
        (self.state.audit_count().unwrap(), self.state.artefact_count().unwrap())
    }

    /// The seed donation's donor and donation, created through the API.
    pub async fn seed_donation(&self) -> (i64, i64) {
        let donor = self.create("/api/v1/parties", json!({"name": {"zh": "李振亚"}, "naming_consent": true})).await;
        let donor_id = donor["id"].as_i64().unwrap();
        let donation = self
            .create(
                "/api/v1/donations",
                json!({"number": 15, "year": 2023, "donor_ids": [donor_id], "occasion": {"zh": "第15场捐赠仪式"}}),
            )
            .await;
        (donor_id, donation["id"].as_i64().unwrap())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn token_for(state: &Catalogue, name: &str, role: Role) -> String {
    let user = state.add_user("test", name, role, None).expect("add user");
    state.create_token("test", user.id, None).expect("token").secret
}

/// A database at an older schema: the first `applied` migrations, as that release wrote them.
pub fn old_schema(path: &Path, applied: usize) -> rusqlite::Connection {
    const MIGRATIONS: &[&str] = &[
        include_str!("../../../src/store/migrations/0001_init.sql"),
        include_str!("../../../src/store/migrations/0002_images.sql"),
        include_str!("../../../src/store/migrations/0003_sessions.sql"),
        include_str!("../../../src/store/migrations/0004_import_log.sql"),
        include_str!("../../../src/store/migrations/0005_sets.sql"),
        include_str!("../../../src/store/migrations/0006_reproductions.sql"),
    ];
    let c = rusqlite::Connection::open(path).expect("open");
    for sql in &MIGRATIONS[..applied] {
        c.execute_batch(sql).expect("an old migration");
    }
    c.pragma_update(None, "user_version", applied as i64).unwrap();
    c
}

/// The error body's field names.
pub fn fields(err: &Value) -> Vec<String> {
    err["details"]
        .as_array()
        .map(|d| d.iter().map(|p| p["field"].as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

impl TestApp {
    /// Searches as `token` (anonymous without one) and returns the JSON answer, asserting 200.
    pub async fn search(&self, q: &str, token: Option<&str>) -> Value {
        let mut req = self.get("/api/v1/search").query(&[("q", q), ("per_page", "50")]);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "searching {q:?}");
        res.json().await.unwrap()
    }

    /// An anonymous search with these parameters (`q`, `filter`, `sort` …), answered 200.
    pub async fn search_with(&self, params: &[(&str, &str)]) -> Value {
        let res = self.get("/api/v1/search").query(params).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "searching {params:?}");
        res.json().await.unwrap()
    }

    /// The accession numbers a search returns, in order.
    pub async fn found(&self, q: &str, token: Option<&str>) -> Vec<String> {
        let v = self.search(q, token).await;
        v["hits"].as_array().unwrap().iter().map(|h| h["accession"].as_str().unwrap().to_string()).collect()
    }

    /// Waits (up to `limit`) until a search finds `accession`; returns how long it took.
    pub async fn until_found(
        &self,
        q: &str,
        token: Option<&str>,
        accession: &str,
        limit: std::time::Duration,
    ) -> Option<std::time::Duration> {
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            if self.found(q, token).await.iter().any(|a| a == accession) {
                return Some(start.elapsed());
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        None
    }

    /// Both search indexes as committed on disk, opened read-only beside the server's.
    pub fn indexes_on_disk(&self) -> std::sync::Arc<catalogue::search::index::Indexes> {
        let config = self.state.config.search_config().unwrap();
        catalogue::search::SearchService::open_read_only(&self.state.config.data_dir, &config).unwrap().indexes()
    }

    /// Waits (up to ten seconds) until both indexes hold every outbox row written so
    /// far, then reloads their readers, so that a search sees everything stored.
    pub async fn settled(&self) {
        let start = std::time::Instant::now();
        loop {
            let lag = self.state.index_lag().unwrap();
            if lag == 0 {
                self.state.refresh_search().unwrap();
                return;
            }
            assert!(start.elapsed() < std::time::Duration::from_secs(30), "the indexer is stuck {lag} changes behind");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Loads the demo catalogue and waits until the indexer has applied it.
    pub async fn with_demo(&self) {
        self.state.load_demo().unwrap();
        let waited = self.until_found("晓缘仁兄", None, "2023.15.2", std::time::Duration::from_secs(10)).await;
        assert!(waited.is_some(), "the demo catalogue was indexed");
        // The indexer applies a long outbox in batches: one record found is not all of them.
        self.settled().await;
    }

    /// Loads the demo catalogue with its photographs, and waits until both are indexed.
    pub async fn with_demo_images(&self) {
        self.with_demo().await;
        assert!(self.state.load_demo_images().await.unwrap() > 0, "the demo photographs were added");
        self.settled().await;
    }
}
