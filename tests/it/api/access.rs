//! The safe default: writes need a curator's token; the public reads only published artefacts' public fields.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

const SECRET_PLACE: &str = "库房B-密-0917";
const SECRET_NOTE: &str = "内部备注：捐赠人希望低调处理";
const SECRET_PHONE: &str = "+86 21 5555 0199";

async fn catalogue_with_private_values(app: &TestApp) {
    let donor =
        app.create("/api/v1/parties", json!({"name": {"zh": "李振亚"}, "contact": {"phone": SECRET_PHONE}})).await;
    let private = json!({"storage_location": SECRET_PLACE, "internal_notes": SECRET_NOTE, "valuation": {"amount": 880000.0, "currency": "CNY"}});
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.15.1", "title": {"zh": "公开的藏品"}, "status": "published", "private": private,
               "provenance": [{"owner": "李振亚", "party_id": donor["id"], "method": "gift"}, {"owner": "某私人藏家", "public": false}]}),
    )
    .await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.15.2", "title": {"zh": "未公开的藏品"}, "status": "internal"}),
    )
    .await;
    app.create("/api/v1/artefacts", json!({"accession_number": "2023.15.3", "title": {"zh": "草稿"}})).await;
}

#[tokio::test]
async fn writes_without_a_token_are_401_and_with_a_bad_token_too() {
    let app = TestApp::spawn().await;
    let body = json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}});
    for path in ["/api/v1/artefacts", "/api/v1/parties", "/api/v1/donations"] {
        let res = app.post_json(path, None, &body).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "authentication_required");
    }
    let res = app.post_json("/api/v1/artefacts", Some("mct_0000"), &body).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "invalid_token");
    let res =
        app.client.patch(app.url("/api/v1/artefacts/2023.1.1")).json(&json!({"version": 1})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.written().1, 0);
}

#[tokio::test]
async fn researchers_read_but_may_not_write() {
    let app = TestApp::spawn().await;
    catalogue_with_private_values(&app).await;
    let researcher = app.user("reader", Role::Researcher);
    let res = app
        .post_json(
            "/api/v1/artefacts",
            Some(&researcher),
            &json!({"accession_number": "2023.1.1", "title": {"zh": "甲"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let list: Value = app.get("/api/v1/artefacts").bearer_auth(&researcher).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 3, "researchers see all holdings");
    let body =
        app.get("/api/v1/artefacts/2023.15.1").bearer_auth(&researcher).send().await.unwrap().text().await.unwrap();
    assert!(body.contains("公开的藏品"));
    for secret in [SECRET_PLACE, SECRET_NOTE, "880000"] {
        assert!(!body.contains(secret), "researcher saw {secret}: {body}");
    }
    let parties = app.get("/api/v1/parties").bearer_auth(&researcher).send().await.unwrap().text().await.unwrap();
    assert!(parties.contains("李振亚") && !parties.contains(SECRET_PHONE), "{parties}");
}

#[tokio::test]
async fn the_public_sees_published_artefacts_and_only_their_public_fields() {
    let app = TestApp::spawn().await;
    catalogue_with_private_values(&app).await;
    let list: Value = app
        .get("/api/v1/artefacts?status=internal&include_deaccessioned=true")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "the public's filters cannot widen what it sees");
    assert_eq!(list["items"][0]["accession_number"], "2023.15.1");

    let res = app.get("/api/v1/artefacts/2023.15.1").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    for secret in [SECRET_PLACE, SECRET_NOTE, "880000", "valuation", "private", "某私人藏家", "version"] {
        assert!(!body.contains(secret), "the public saw {secret}: {body}");
    }
    assert!(body.contains("李振亚"), "public provenance is shown");

    let unpublished = app.get("/api/v1/artefacts/2023.15.2").send().await.unwrap();
    let absent = app.get("/api/v1/artefacts/2099.1.1").send().await.unwrap();
    assert_eq!(unpublished.status(), StatusCode::NOT_FOUND);
    assert_eq!(absent.status(), StatusCode::NOT_FOUND);
    let (a, b): (Value, Value) = (unpublished.json().await.unwrap(), absent.json().await.unwrap());
    assert_eq!(a["code"], b["code"], "an unpublished record looks absent");

    for path in ["/api/v1/parties", "/api/v1/parties/1", "/api/v1/donations", "/api/v1/artefacts/2023.15.1/history"] {
        assert_eq!(app.get(path).send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn curators_see_private_fields() {
    let app = TestApp::spawn().await;
    catalogue_with_private_values(&app).await;
    let a = app.read("/api/v1/artefacts/2023.15.1").await;
    assert_eq!(a["private"]["storage_location"], SECRET_PLACE);
    let parties = app.read("/api/v1/parties?name=李振亚").await;
    assert_eq!(parties["items"][0]["contact"]["phone"], SECRET_PHONE);
}
