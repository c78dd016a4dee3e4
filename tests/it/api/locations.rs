//! Where every object is: locations as a tree, movements written like every other write,
//! whole boxes moved, shelf lists, inventory checks, object entry and exit. Locations are
//! shown to curators, to researchers only when a setting allows it, and never to the public.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{DataDir, TestApp, fields, run_catalogue_ok};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let res = app.post_json(path, Some(token), &body).await;
    let status = res.status();
    (status, res.json().await.unwrap())
}

/// A store (building → room → cabinet → shelf → box) and three objects in box B-12.
async fn store_with_a_box(app: &TestApp) {
    for (code, zh, en, parent, kind) in [
        ("B1", "一号楼", "Building 1", None, "storage"),
        ("B1-R3", "三号库房", "Store room 3", Some("B1"), "storage"),
        ("B1-R3-C2", "二号柜", "Cabinet 2", Some("B1-R3"), "storage"),
        ("B1-R3-C2-S1", "第一层", "Shelf 1", Some("B1-R3-C2"), "storage"),
        ("B-12", "十二号囊匣", "Box 12", Some("B1-R3-C2-S1"), "storage"),
        ("G1", "一号展厅", "Gallery 1", Some("B1"), "display"),
    ] {
        app.create(
            "/api/v1/locations",
            json!({"code": code, "name": {"zh": zh, "en": en}, "parent": parent, "kind": kind}),
        )
        .await;
    }
    for n in 1..=3 {
        let a = format!("2024.7.{n}");
        app.create("/api/v1/artefacts", json!({"accession_number": a, "title": {"zh": format!("册页{n}")}})).await;
        let (status, moved) = post(
            app,
            &app.curator,
            &format!("/api/v1/artefacts/{a}/movements"),
            json!({"to": "b-12", "reason": "storage", "date": "2024-05-01"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{moved}");
    }
}

fn accessions(contents: &Value) -> Vec<(String, String)> {
    contents
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["accession"].as_str().unwrap().to_string(), e["location"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn moving_a_box_moves_its_objects_and_each_keeps_its_history() {
    let app = TestApp::spawn().await;
    store_with_a_box(&app).await;
    let room = app.read("/api/v1/locations/b1-r3").await;
    assert_eq!(room["children"], json!(["B1-R3-C2"]));
    assert_eq!(room["contents"].as_array().unwrap().len(), 3, "a shelf list takes in what is below");
    let shallow = app.read("/api/v1/locations/B1-R3?below=false").await;
    assert!(shallow["contents"].as_array().unwrap().is_empty());

    let (status, moved) = post(
        &app,
        &app.curator,
        "/api/v1/locations/B-12/movements",
        json!({"to": "G1", "reason": "display", "note": "2024年秋季展"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    assert_eq!(moved.as_array().unwrap().len(), 3);
    assert!(app.read("/api/v1/locations/B-12").await["contents"].as_array().unwrap().is_empty());
    let gallery = app.read("/api/v1/locations/G1").await;
    assert_eq!(
        accessions(&gallery["contents"]),
        ["2024.7.1", "2024.7.2", "2024.7.3"].map(|a| (a.to_string(), "G1".to_string()))
    );

    let w = app.read("/api/v1/artefacts/2024.7.2/movements").await;
    assert_eq!(w["current"]["code"], "G1");
    let steps: Vec<(Value, Value, Value)> = w["movements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["from"].clone(), m["to"].clone(), m["reason"].clone()))
        .collect();
    assert_eq!(steps, [(Value::Null, json!("B-12"), json!("storage")), (json!("B-12"), json!("G1"), json!("display"))]);
    assert_eq!(w["movements"][1]["note"], "2024年秋季展");
    // A move is an edit of the object: its version moves on and its history says so.
    let record = app.read("/api/v1/artefacts/2024.7.2").await;
    assert_eq!(record["version"], 3);
    let history = app.read("/api/v1/artefacts/2024.7.2/history").await;
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["action"].as_str(), last["after"]["location"].as_str()), (Some("move"), Some("G1")));
}

#[tokio::test]
async fn a_batch_or_a_set_moves_all_or_nothing() {
    let app = TestApp::spawn().await;
    store_with_a_box(&app).await;
    let before = app.written();
    let (status, err) = post(
        &app,
        &app.curator,
        "/api/v1/movements",
        json!({"items": [{"accession": "2024.7.1"}, {"accession": "9.9.9"}], "to": "G1", "reason": "photography"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    assert_eq!(app.written(), before, "one object that cannot move moves none");
    assert_eq!(app.read("/api/v1/artefacts/2024.7.1/movements").await["current"]["code"], "B-12");

    let (_, set) = post(&app, &app.curator, "/api/v1/sets", json!({"name": "摄影"})).await;
    let id = set["id"].as_i64().unwrap();
    post(&app, &app.curator, &format!("/api/v1/sets/{id}/members"), json!({"add": ["2024.7.1", "2024.7.3"]})).await;
    let (status, moved) =
        post(&app, &app.curator, "/api/v1/movements", json!({"set": id, "to": "G1", "reason": "photography"})).await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    let gallery = app.read("/api/v1/locations/G1").await;
    assert_eq!(accessions(&gallery["contents"]).len(), 2);
}

#[tokio::test]
async fn two_curators_moving_one_object_at_once_one_wins_and_the_other_gets_409() {
    let app = TestApp::spawn().await;
    store_with_a_box(&app).await;
    let other = app.user("wang", Role::Curator);
    let version = app.read("/api/v1/artefacts/2024.7.1").await["version"].as_i64().unwrap();
    let path = "/api/v1/artefacts/2024.7.1/movements";
    let first = json!({"version": version, "to": "G1", "reason": "display"});
    let second = json!({"version": version, "to": "B1-R3-C2-S1", "reason": "storage"});
    let (a, b) =
        tokio::join!(app.post_json(path, Some(&app.curator), &first), app.post_json(path, Some(&other), &second));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    let loser: Value =
        if a.status() == StatusCode::CONFLICT { a.json().await.unwrap() } else { b.json().await.unwrap() };
    assert_eq!(loser["code"], "version_conflict", "{loser}");
    assert_eq!(loser["current_version"], version + 1);
    let w = app.read(path).await;
    assert_eq!(w["movements"].as_array().unwrap().len(), 2, "the loser wrote nothing");
}

#[tokio::test]
async fn a_bad_move_or_location_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    store_with_a_box(&app).await;
    let (_, donor) = post(&app, &app.curator, "/api/v1/parties", json!({"name": {"zh": "赵某"}})).await;
    let (_, gift) =
        post(&app, &app.curator, "/api/v1/donations", json!({"number": 9, "year": 2024, "donor_ids": [donor["id"]]}))
            .await;
    let gift_id = gift["id"].as_i64().unwrap();
    let (status, entered) = post(
        &app,
        &app.curator,
        &format!("/api/v1/donations/{gift_id}/entry"),
        json!({"version": gift["version"], "date": "2024-06-10"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{entered}");
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2024.9.1", "donation_id": gift_id, "title": {"zh": "砚台"}}),
    )
    .await;
    let before = app.written();
    let cases = [
        ("/api/v1/artefacts/2024.7.1/movements", json!({"to": "NOWHERE", "reason": "storage"}), "to"),
        ("/api/v1/artefacts/2024.7.1/movements", json!({"to": "G1", "reason": "lunch"}), "reason"),
        (
            "/api/v1/artefacts/2024.7.1/movements",
            json!({"to": "G1", "reason": "display", "date": "2999-01-01"}),
            "date",
        ),
        (
            "/api/v1/artefacts/2024.7.1/movements",
            json!({"to": "G1", "reason": "display", "date": "2024-04-30"}),
            "date",
        ),
        (
            "/api/v1/artefacts/2024.9.1/movements",
            json!({"to": "G1", "reason": "display", "date": "2024-06-09"}),
            "date",
        ),
        ("/api/v1/artefacts/2024.7.1/movements", json!({"to": "B-12", "reason": "storage"}), "to"),
        ("/api/v1/locations", json!({"code": "库房 1", "name": {"zh": "库房"}}), "code"),
        ("/api/v1/locations", json!({"code": "X1", "name": {}}), "name"),
        ("/api/v1/locations", json!({"code": "X1", "name": {"zh": "某处"}, "parent": "NOPE"}), "parent"),
    ];
    for (path, body, field) in cases {
        let (status, err) = post(&app, &app.curator, path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {err}");
        assert!(fields(&err).contains(&field.to_string()), "{body}: {err}");
        assert!(!err["message"].as_str().unwrap_or_default().is_empty());
    }
    let (status, err) =
        post(&app, &app.curator, "/api/v1/locations", json!({"code": "b1", "name": {"zh": "重复"}})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a code is one code in any case: {err}");
    // A location that would contain itself.
    let b1 = app.read("/api/v1/locations/B1").await;
    let res = app
        .patch_json(
            "/api/v1/locations/B1",
            &app.curator,
            &json!({"version": b1["version"], "code": "B1", "name": b1["name"], "parent": "B-12"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = res.json().await.unwrap();
    assert!(err["message"].as_str().unwrap().contains("cannot contain itself"), "{err}");
    assert_eq!(app.written(), before, "nothing was written");
    // The same change, well made, is taken.
    let res = app
        .patch_json(
            "/api/v1/locations/G1",
            &app.curator,
            &json!({"version": 1, "code": "G-TEMP", "name": {"zh": "临时展厅", "en": "Temporary gallery"}, "parent": "B1", "kind": "display"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let renamed: Value = res.json().await.unwrap();
    assert_eq!((renamed["code"].as_str(), renamed["version"].as_i64()), (Some("G-TEMP"), Some(2)));
    let res = app
        .patch_json("/api/v1/locations/G-TEMP", &app.curator, &json!({"version": 1, "code": "G1", "name": {"zh": "x"}}))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "a stale version");
}

#[tokio::test]
async fn an_inventory_check_of_a_shelf_with_one_object_missing_reports_it() {
    let app = TestApp::spawn().await;
    store_with_a_box(&app).await;
    app.create("/api/v1/artefacts", json!({"accession_number": "2024.7.9", "title": {"zh": "误放的扇面"}})).await;
    post(&app, &app.curator, "/api/v1/artefacts/2024.7.9/movements", json!({"to": "G1", "reason": "display"})).await;
    let (status, check) =
        post(&app, &app.curator, "/api/v1/inventory-checks", json!({"location": "B1-R3-C2-S1", "note": "年度盘点"}))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{check}");
    assert_eq!(check["expected"], 3);
    let id = check["id"].as_i64().unwrap();
    let marks = format!("/api/v1/inventory-checks/{id}/marks");
    let (status, after) = post(
        &app,
        &app.curator,
        &marks,
        json!({"marks": [
            {"accession": "2024.7.1", "mark": "found"},
            {"accession": " 2024.7.3 ", "mark": "found"},
            {"accession": "2024.7.9", "mark": "found"},
        ]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    let (status, err) =
        post(&app, &app.curator, &marks, json!({"marks": [{"accession": "2024.7.1", "mark": "elsewhere"}]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, report) = post(&app, &app.curator, &format!("/api/v1/inventory-checks/{id}/finish"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let found: Vec<(&str, Value, bool)> = report["discrepancies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["accession"].as_str().unwrap(), l["mark"].clone(), l["expected"].as_bool().unwrap()))
        .collect();
    assert_eq!(found, [("2024.7.2", Value::Null, true), ("2024.7.9", json!("found"), false)], "{report}");
    assert_eq!(report["discrepancies"][1]["recorded"], "G1");
    // The check is kept, and closed.
    assert!(app.read(&format!("/api/v1/inventory-checks/{id}")).await["finished_at"].is_string());
    let (status, _) =
        post(&app, &app.curator, &marks, json!({"marks": [{"accession": "2024.7.2", "mark": "found"}]})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(app.read("/api/v1/inventory-checks").await.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_finished_check_can_correct_the_locations_it_found_wrong() {
    let app = TestApp::spawn().await;
    store_with_a_box(&app).await;
    let (_, check) = post(&app, &app.curator, "/api/v1/inventory-checks", json!({"location": "B-12"})).await;
    let id = check["id"].clone();
    post(
        &app,
        &app.curator,
        &format!("/api/v1/inventory-checks/{id}/marks"),
        json!({"marks": [{"accession": "2024.7.1", "mark": "found"}, {"accession": "2024.7.2", "mark": "elsewhere", "found_in": "g1"},
                         {"accession": "2024.7.3", "mark": "missing"}]}),
    )
    .await;
    let (status, report) =
        post(&app, &app.curator, &format!("/api/v1/inventory-checks/{id}/finish"), json!({"correct": true})).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["discrepancies"].as_array().unwrap().len(), 2, "{report}");
    let w = app.read("/api/v1/artefacts/2024.7.2/movements").await;
    assert_eq!((w["current"]["code"].as_str(), w["movements"][1]["reason"].as_str()), (Some("G1"), Some("inventory")));
    assert_eq!(
        app.read("/api/v1/artefacts/2024.7.3/movements").await["current"]["code"],
        "B-12",
        "missing is not moved"
    );
}

#[tokio::test]
async fn locations_are_for_staff_researchers_only_when_allowed_and_never_the_public() {
    let app = TestApp::spawn().await;
    store_with_a_box(&app).await;
    let researcher = app.user("reader", Role::Researcher);
    for path in [
        "/api/v1/locations",
        "/api/v1/locations/B-12",
        "/api/v1/artefacts/2024.7.1/movements",
        "/api/v1/inventory-checks",
    ] {
        let res = app.get(path).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        let res = app.get(path).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        let body = res.text().await.unwrap();
        assert!(!body.contains("B-12") && !body.contains("十二号"), "{path}: {body}");
    }
    let (status, _) =
        post(&app, &researcher, "/api/v1/artefacts/2024.7.1/movements", json!({"to": "G1", "reason": "display"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let dir = app.stop().await;
    let app = TestApp::spawn_with(dir, |c| c.researchers_see_locations = true).await;
    let res = app.get("/api/v1/artefacts/2024.7.1/movements").bearer_auth(&researcher).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "with the setting, a researcher sees where it is");
    let w: Value = res.json().await.unwrap();
    assert_eq!(w["current"]["code"], "B-12", "and the history survived the restart");
}

#[tokio::test]
async fn a_gift_is_received_with_an_entry_number_and_leaves_with_an_exit_record() {
    let app = TestApp::spawn().await;
    let (_, donation) = app.seed_donation().await;
    let path = format!("/api/v1/donations/{donation}");
    let version = app.read(&path).await["version"].clone();
    let (status, received) = post(
        &app,
        &app.curator,
        &format!("{path}/entry"),
        json!({"version": version, "date": "2026-03-01", "received_by": "张馆员"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{received}");
    assert_eq!(received["status"], "received");
    assert_eq!(received["entry"]["number"], "E2026-001");
    assert_eq!(received["receipt_number"], "E2026-001", "the receipt carries the entry number");
    let (status, again) =
        post(&app, &app.curator, &format!("{path}/entry"), json!({"version": received["version"]})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    // A second gift the same year takes the next number.
    let (_, other) =
        post(&app, &app.curator, "/api/v1/donations", json!({"donor_ids": [received["donor_ids"][0]]})).await;
    let (_, second) = post(
        &app,
        &app.curator,
        &format!("/api/v1/donations/{}/entry", other["id"]),
        json!({"version": 1, "date": "2026-04-02"}),
    )
    .await;
    assert_eq!(second["entry"]["number"], "E2026-002");
    // An accessioned object keeps the gift from leaving until it is deaccessioned.
    app.create("/api/v1/artefacts", json!({"donation_id": donation, "title": {"zh": "书法"}, "status": "internal"}))
        .await;
    let (status, err) = post(
        &app,
        &app.curator,
        &format!("{path}/exit"),
        json!({"version": received["version"], "outcome": "returned", "to": "李振亚"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["message"].as_str().unwrap().contains("2023.15.1"), "{err}");
    let (status, err) =
        post(&app, &app.curator, &format!("{path}/exit"), json!({"version": received["version"], "outcome": "lost"}))
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, declined) = post(
        &app,
        &app.curator,
        &format!("/api/v1/donations/{}/exit", other["id"]),
        json!({"version": second["version"], "outcome": "declined", "date": "2026-04-05", "to": "捐赠人"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{declined}");
    assert_eq!(
        (declined["status"].as_str(), declined["exit"]["number"].as_str()),
        (Some("declined"), Some("X2026-001"))
    );
    let (status, _) = post(
        &app,
        &app.curator,
        &format!("/api/v1/donations/{}/exit", other["id"]),
        json!({"version": declined["version"], "outcome": "returned"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn movement_history_survives_a_backup_and_its_restore() {
    let app = TestApp::spawn().await;
    store_with_a_box(&app).await;
    post(&app, &app.curator, "/api/v1/locations/B-12/movements", json!({"to": "G1", "reason": "display"})).await;
    let work = tempfile::tempdir().unwrap();
    let (backup, restored) = (work.path().join("backup"), work.path().join("restored"));
    let data = app.path().to_str().unwrap().to_string();
    run_catalogue_ok(&["--data-dir", &data, "backup", backup.to_str().unwrap()]);
    run_catalogue_ok(&["restore", backup.to_str().unwrap(), "--data-dir", restored.to_str().unwrap()]);
    drop(app);
    let app = TestApp::spawn_with(DataDir::Kept(restored), |_| {}).await;
    let w = app.read("/api/v1/artefacts/2024.7.3/movements").await;
    assert_eq!(w["current"]["code"], "G1");
    assert_eq!(w["movements"].as_array().unwrap().len(), 2);
}
