//! Images for tests: the fixtures, an upload through the API, an artefact to hang them on,
//! and a served image read back and compared.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images").join(name)
}

pub fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

pub async fn upload(
    app: &TestApp,
    token: Option<&str>,
    accession: &str,
    file_name: &str,
    bytes: Vec<u8>,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut form = Form::new().part("file", Part::bytes(bytes).file_name(file_name.to_string()));
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let mut req = app.client.post(app.url(&format!("/api/v1/artefacts/{accession}/images"))).multipart(form);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

pub async fn artefact(app: &TestApp, accession: &str, status: &str) {
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": accession, "title": {"zh": "测试藏品", "en": "Test object"}, "status": status}),
    )
    .await;
}

pub async fn get_image(app: &TestApp, path: &str, token: Option<&str>) -> (StatusCode, Vec<u8>) {
    let mut req = app.get(path);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.bytes().await.unwrap().to_vec())
}

pub fn decode(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory(bytes).expect("a decodable image").into_rgb8()
}

pub fn close(a: &[u8], b: &[u8], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(*y) <= tolerance)
}
