//! Crash safety: the server is killed with SIGKILL in the middle of an import,
//! of an image's derivatives, and of index commits, then started again. Nothing
//! partial is left visible, the indexes catch up with the database, and the audit
//! log matches what was written. `CRASH_RECORDS` sets the import's size (20 000
//! here; `benches/crash.sh` runs 100 000).

use std::path::Path;
use std::time::Duration;

use catalogue::model::role::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{gauge, kill, search_total, start_server, token_in, until};

fn records() -> usize {
    std::env::var("CRASH_RECORDS").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000)
}

fn audit_rows(data: &Path) -> i64 {
    let db = rusqlite::Connection::open(data.join("catalogue.sqlite3")).unwrap();
    db.query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap()
}

fn artefacts(data: &Path) -> i64 {
    let db = rusqlite::Connection::open(data.join("catalogue.sqlite3")).unwrap();
    db.query_row("SELECT count(*) FROM artefacts", [], |r| r.get(0)).unwrap()
}

/// Files under `dir` whose name satisfies `f`.
fn files_named(dir: &Path, f: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if f(&name) {
            out.push(p.display().to_string());
        }
        if p.is_dir() {
            out.extend(files_named(&p, f));
        }
    }
    out
}

#[tokio::test]
async fn killed_in_the_middle_of_an_import_nothing_is_half_stored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let token = token_in(data, "curator", Role::Curator);
    let admin = token_in(data, "admin", Role::Admin);
    let n = records();
    let file = data.join("register.jsonl");
    let mut lines = String::new();
    for i in 0..n {
        let line = json!({"source": "crash-test", "accession_number": format!("CT{i:06}"),
            "title": format!("测试藏品第{i}号"), "dimensions": "高12厘米", "date": "1923"});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(&file, &lines).unwrap();
    let audit_before = audit_rows(data);

    let (server, base) = start_server(data.to_str().unwrap());
    let client = reqwest::Client::new();
    let upload = {
        let (client, base, token, body) = (client.clone(), base.clone(), token.clone(), lines.clone().into_bytes());
        tokio::spawn(async move {
            let form = Form::new().part("file", Part::bytes(body).file_name("register.jsonl"));
            client.post(format!("{base}/api/v1/imports")).bearer_auth(token).multipart(form).send().await
        })
    };
    // Kill once the import is writing, well before its end.
    until("the import to be under way", Duration::from_secs(60), async || {
        gauge(&client, &base, &admin, "catalogue_import_rows_read").await >= 1000.0
    })
    .await;
    let read = gauge(&client, &base, &admin, "catalogue_import_rows_read").await;
    kill(server);
    assert!(upload.await.unwrap().is_err(), "the import had not answered when the server died");
    assert!(read < n as f64, "killed in the middle ({read} of {n} rows read)");

    // After a restart: no record, no audit row, no upload left over.
    let (server, base) = start_server(data.to_str().unwrap());
    assert_eq!(artefacts(data), 0, "the import's transaction was rolled back whole");
    assert_eq!(audit_rows(data), audit_before, "the audit log holds no row of a write that did not happen");
    let leftovers = files_named(&data.join("tmp"), &|n| n.starts_with("upload-"));
    assert!(leftovers.is_empty(), "uploads in flight were cleaned up: {leftovers:?}");
    assert_eq!(search_total(&client, &base, Some(&token)).await, 0);

    // The same import, allowed to finish, is then complete in the database, the audit log and both indexes.
    let form = Form::new().part("file", Part::bytes(lines.into_bytes()).file_name("register.jsonl"));
    let res = client.post(format!("{base}/api/v1/imports")).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let report: Value = res.json().await.unwrap();
    assert_eq!(artefacts(data), n as i64, "{report}");
    assert_eq!(audit_rows(data), audit_before + n as i64);
    until("both indexes to catch up", Duration::from_secs(120), async || {
        gauge(&client, &base, &admin, "catalogue_index_lag").await == 0.0
            && search_total(&client, &base, Some(&token)).await == n as u64
            && search_total(&client, &base, None).await == n as u64
    })
    .await;
    kill(server);
}

/// A large photograph-like JPEG, so deriving its tiles takes a while.
fn big_jpeg() -> Vec<u8> {
    let (w, h) = (6000u32, 4000u32);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, ((x ^ y) & 0xff) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn killed_while_deriving_an_image_no_half_made_file_is_left_visible() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let token = token_in(data, "curator", Role::Curator);
    let (server, base) = start_server(data.to_str().unwrap());
    let client = reqwest::Client::new();
    let res = client
        .post(format!("{base}/api/v1/artefacts"))
        .bearer_auth(&token)
        .json(&json!({"accession_number": "2023.15.1", "title": {"zh": "村饮诗轴"}, "status": "published"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let audit_before = audit_rows(data);
    let jpeg = big_jpeg();
    let upload = {
        let (client, base, token, body) = (client.clone(), base.clone(), token.clone(), jpeg.clone());
        tokio::spawn(async move {
            let form = Form::new().part("file", Part::bytes(body).file_name("scan.jpg"));
            client
                .post(format!("{base}/api/v1/artefacts/2023.15.1/images"))
                .bearer_auth(token)
                .multipart(form)
                .send()
                .await
        })
    };
    let derivatives = data.join("derivatives");
    until("derivatives to be in the making", Duration::from_secs(60), async || {
        !files_named(&derivatives, &|n| n.starts_with(".staging-")).is_empty()
    })
    .await;
    kill(server);
    assert!(upload.await.unwrap().is_err(), "the upload had not answered when the server died");
    assert!(!files_named(&data.join("tmp"), &|n| n.starts_with("upload-")).is_empty(), "the upload was left in tmp");

    // Leftovers of a crash just after an original was stored, before its record was committed.
    let orphan = "ab".to_string() + &"0".repeat(62);
    std::fs::create_dir_all(data.join("originals/ab")).unwrap();
    std::fs::write(data.join("originals/ab").join(&orphan), b"an original no record refers to").unwrap();
    std::fs::write(data.join("originals/ab").join(format!("{orphan}#3")), b"half written").unwrap();

    let (server, base) = start_server(data.to_str().unwrap());
    let staging = files_named(&derivatives, &|n| n.starts_with(".staging-"));
    assert!(staging.is_empty(), "half-made derivatives were removed: {staging:?}");
    let uploads = files_named(&data.join("tmp"), &|n| n.starts_with("upload-"));
    assert!(uploads.is_empty(), "the dead server's upload was removed: {uploads:?}");
    assert!(files_named(&data.join("originals"), &|n| n.len() >= 64).is_empty(), "no unreferenced original is served");
    let quarantined = data.join("quarantine/originals").join(&orphan);
    assert_eq!(std::fs::read(&quarantined).unwrap(), b"an original no record refers to", "kept, out of the way");
    assert_eq!(audit_rows(data), audit_before);
    let images: Value = client
        .get(format!("{base}/api/v1/artefacts/2023.15.1/images"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(images, json!([]), "no image record");

    // The same file uploads cleanly afterwards.
    let form = Form::new().part("file", Part::bytes(jpeg).file_name("scan.jpg"));
    let res = client
        .post(format!("{base}/api/v1/artefacts/2023.15.1/images"))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    kill(server);
}

#[tokio::test]
async fn killed_during_index_commits_the_indexes_catch_up_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let token = token_in(data, "curator", Role::Curator);
    let admin = token_in(data, "admin", Role::Admin);
    let (server, base) = start_server(data.to_str().unwrap());
    let client = reqwest::Client::new();
    // Many writes in a burst, then the kill while the indexer is behind. At most 128 at
    // once: past the server's cap on requests in flight (256) a client is told to come
    // back (503 busy), which on a slow disk the burst would otherwise reach.
    let mut writes = Vec::new();
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(128));
    for i in 0..300 {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        let slots = slots.clone();
        writes.push(tokio::spawn(async move {
            let _slot = slots.acquire_owned().await.unwrap();
            client
                .post(format!("{base}/api/v1/artefacts"))
                .bearer_auth(token)
                .json(&json!({"accession_number": format!("2023.1.{}", i + 1), "title": {"zh": format!("索引测试{i}")},
                              "status": if i % 2 == 0 { "published" } else { "internal" }}))
                .send()
                .await
                .map(|r| r.status())
        }));
    }
    for w in writes.drain(..200) {
        assert_eq!(w.await.unwrap().unwrap(), StatusCode::CREATED);
    }
    kill(server);
    let mut written = 200;
    for w in writes {
        if matches!(w.await.unwrap(), Ok(StatusCode::CREATED)) {
            written += 1;
        }
    }
    let stored = artefacts(data);
    assert!(stored >= written, "every acknowledged write is in the database ({stored} < {written})");
    let (server, base) = start_server(data.to_str().unwrap());
    let published: i64 = rusqlite::Connection::open(data.join("catalogue.sqlite3"))
        .unwrap()
        .query_row("SELECT count(*) FROM artefacts WHERE status = 'published'", [], |r| r.get(0))
        .unwrap();
    // The internal index holds every record, the public one the published ones.
    until("both indexes to catch up", Duration::from_secs(60), async || {
        gauge(&client, &base, &admin, "catalogue_index_lag").await == 0.0
            && search_total(&client, &base, Some(&token)).await == stored as u64
            && search_total(&client, &base, None).await == published as u64
    })
    .await;
    assert_eq!(audit_rows(data) - 4, stored, "one audit row per record (after the two users' and their tokens')");
    kill(server);
}

/// A large catalogue whose indexes are behind its records (a register imported
/// while no server ran): searches show each committed part of the catch-up as it
/// is made, and a server killed in the middle of it and started again answers at
/// once from everything committed before, never from less.
#[tokio::test]
async fn a_restarted_server_searches_what_was_committed_at_once_and_never_goes_blank() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let n = records();
    let file = data.join("register.jsonl");
    let lines: String = (0..n)
        .map(|i| {
            json!({"source": "restart-test", "accession_number": format!("RS{i:06}"), "title": format!("重启测试第{i}号"), "status": "published"})
                .to_string()
                + "\n"
        })
        .collect();
    std::fs::write(&file, lines).unwrap();
    let out = crate::helpers::run_catalogue(&["--data-dir", data.to_str().unwrap(), "import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let (server, base) = start_server(data.to_str().unwrap());
    let client = reqwest::Client::new();
    // Part of the catch-up is searchable before the whole of it is done.
    let mut seen = 0;
    until("part of the catch-up to be searchable", Duration::from_secs(120), async || {
        seen = search_total(&client, &base, None).await;
        seen > 0
    })
    .await;
    assert!(seen < n as u64, "the first searchable part ({seen}) is not the whole register ({n})");
    kill(server);
    let committed = {
        let db = rusqlite::Connection::open(data.join("catalogue.sqlite3")).unwrap();
        db.query_row("SELECT count(*) FROM artefacts", [], |r| r.get::<_, i64>(0)).unwrap()
    };
    assert_eq!(committed, n as i64);

    // Started again: the first search already finds all that was searchable before the kill.
    let (server, base) = start_server(data.to_str().unwrap());
    let first = search_total(&client, &base, None).await;
    assert!(first >= seen, "after the restart the first search found {first}, fewer than the {seen} found before");
    let mut last = first;
    until("the catch-up to finish", Duration::from_secs(300), async || {
        let now = search_total(&client, &base, None).await;
        assert!(now >= last, "results went back from {last} to {now}");
        last = now;
        now == n as u64
    })
    .await;
    kill(server);
}
