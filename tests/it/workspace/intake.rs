//! A curator records a donation through the workspace forms, as in a browser without scripts.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use super::{Browser, signed_in};
use crate::helpers::TestApp;
use crate::helpers::images::read_fixture;

/// Waits until the public search finds `q` (the indexer follows the outbox within a second).
async fn public_total(app: &TestApp, q: &str) -> u64 {
    let mut total = 0;
    for _ in 0..40 {
        let v: serde_json::Value =
            app.get(&format!("/api/v1/search?q={}", urlencode(q))).send().await.unwrap().json().await.unwrap();
        total = v["total"].as_u64().unwrap();
        if total > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    total
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn a_curator_records_the_seed_donation_through_the_intake_screens() {
    let app = TestApp::spawn().await;
    let (mut b, dashboard) = signed_in(&app, "wang", Role::Curator).await;

    // Donor: 李振亚, descendant of 李书城, who is already in the catalogue.
    assert!(dashboard.body.contains("/admin/donors/new"), "the dashboard offers a new donation");
    let ancestor = app.create("/api/v1/parties", serde_json::json!({"name": {"zh": "李书城"}})).await;
    let form = b.get("/admin/donors/new").await;
    assert!(form.body.contains("李书城"), "existing parties are offered");
    let res = b
        .submit(
            &form,
            "form.record",
            &[
                ("name_zh", "李振亚"),
                ("relation_kind", "descendant_of"),
                ("relation_name", "李书城"),
                ("naming_consent", "on"),
                ("credit_line", "李振亚 捐赠"),
                ("email", "li.zhenya@example.org"),
                ("phone", "+86 21 5555 0100"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let donation_form = b.follow(&res).await;
    let donor_id: i64 =
        res.location.as_deref().unwrap().split("donor=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
    let donor = app.read(&format!("/api/v1/parties/{donor_id}")).await;
    assert_eq!(donor["relations"][0]["party_id"], ancestor["id"], "the relation links to 李书城's record");
    assert_eq!(donor["contact"]["email"], "li.zhenya@example.org");

    // The donation event, its donor chosen.
    let res = b
        .submit(
            &donation_form,
            "form.record",
            &[
                ("date", "2023年"),
                ("occasion_zh", "「有实其积」第15场捐赠仪式——李书城、薛文淑珍贵遗物捐赠专场"),
                ("venue", "初心讲堂"),
                ("receipt_number", "JZ-2023-015"),
                ("number", "15"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let donation_page = b.follow(&res).await;
    assert!(donation_page.body.contains("2023.15.1"), "the next accession number is shown");

    // An item with a mistake is sent back with the problem named and what was typed kept.
    let bad =
        b.submit(&donation_page, "form.record", &[("title_zh", "黎澍书陆游《村饮》"), ("category", "不是类别")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("category") && bad.body.contains("黎澍书陆游《村饮》"), "{}", bad.body);
    assert_eq!(app.state.artefact_count().unwrap(), 0, "nothing half-stored");

    // Item 1: the calligraphy, with its dedication and provenance.
    let res = b
        .submit(
            &bad,
            "form.record",
            &[
                ("category", "书法、绘画"),
                ("makers", "黎澍 | 书"),
                ("materials", "纸"),
                ("dimensions", "待测量"),
                ("ins_kind_0", "dedication"),
                ("ins_text_0", "晓缘仁兄"),
                ("prov_owner_0", "李书城"),
                ("prov_method_0", "gift"),
                ("storage_location", "库房 B-3"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Saved, the curator is back at the donation's steps, told so, the item listed.
    let location = res.location.clone().unwrap();
    assert!(location.starts_with("/admin/donations/") && location.ends_with("#items"), "{location}");
    let donation_page = b.follow(&res).await;
    assert!(donation_page.body.contains("藏品已保存为草稿"), "the save is confirmed");
    assert!(donation_page.body.contains(">2023.15.1</a>"), "the item is listed");
    assert!(donation_page.body.contains("href=\"#images\""), "the images step is a link");
    let calligraphy = b.get("/admin/objects/2023.15.1").await;
    let listed: i64 = location.trim_start_matches("/admin/donations/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(donation_id(&calligraphy), listed, "the object page links back to its donation");
    // Item 2: the 1:1 printed reproduction.
    let res = b
        .submit(
            &donation_page,
            "form.record",
            &[
                ("title_zh", "《毛主席走遍全国》复制品"),
                ("makers", "李琦"),
                ("reproduction", "on"),
                ("reproduction_note", "1:1 印刷复制品，小批量印制"),
                ("dimensions", "纵 60 厘米，横 90 厘米"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(b.follow(&res).await.body.contains(">2023.15.2</a>"));
    let reproduction = b.get("/admin/objects/2023.15.2").await;
    let stored = app.read("/api/v1/artefacts/2023.15.2").await;
    assert_eq!(stored["status"], "draft");
    assert_eq!(stored["dimensions"]["items"][0]["value"], 60.0, "the typed dimensions were parsed");
    assert_eq!(stored["reproduction"]["note"], "1:1 印刷复制品，小批量印制");

    // An image, uploaded through the form without scripts.
    let form = Form::new()
        .text("csrf", reproduction.csrf())
        .text("role", "primary")
        .part("file", Part::bytes(read_fixture("hopper.jpg")).file_name("hopper.jpg"));
    let url = app.url("/admin/objects/2023.15.2/images");
    let res = b.send(|c| c.post(&url).multipart(form)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let with_image = b.follow(&res).await;
    assert!(with_image.body.contains("/iiif/3/"), "the image is listed");
    // A broken file is refused with a page saying why, and nothing is added.
    let form = Form::new()
        .text("csrf", reproduction.csrf())
        .part("file", Part::bytes(b"not an image".to_vec()).file_name("x.jpg"));
    let res = b.send(|c| c.post(&url).multipart(form)).await;
    assert!(res.status.is_client_error(), "{}", res.status);
    assert_eq!(app.state.images_of_accession("2023.15.2").unwrap().len(), 1);

    // Accession: both drafts become accessioned records; the donation is accessioned.
    let donation_page = b.get(&format!("/admin/donations/{}", donation_id(&calligraphy))).await;
    let res = b.submit(&donation_page, "form.accession", &[]).await;
    let after = b.follow(&res).await;
    assert!(after.body.contains(r#"donation-status">已入藏"#), "{}", after.body);
    assert_eq!(app.read("/api/v1/artefacts/2023.15.1").await["status"], "internal");

    // Publish the reproduction only.
    let page = b.get("/admin/objects/2023.15.2").await;
    let (action, mut fields) = page.form(r#"form[action^="/admin/objects/2023.15.2/status"]"#);
    super::set(&mut fields, "status", "published");
    let res = b.post(&action, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // The public sees the published item, its image, and not the other one or anything private.
    assert!(public_total(&app, "毛主席走遍全国").await >= 1);
    let mut visitor = Browser::new(&app);
    let public = visitor.get("/objects/2023.15.2").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("毛主席走遍全国"));
    assert_eq!(visitor.get("/objects/2023.15.1").await.status, StatusCode::NOT_FOUND);
    let found = visitor.get(&format!("/search?q={}", urlencode("晓缘仁兄"))).await;
    assert!(!found.body.contains("2023.15.1"), "the unpublished item is not found publicly");
    for secret in ["li.zhenya@example.org", "5555 0100", "库房 B-3"] {
        assert!(!public.body.contains(secret) && !found.body.contains(secret), "{secret} leaked");
    }

    // Every step is in the history, with who did it.
    let history = b.get("/admin/objects/2023.15.2/history").await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.body.contains("wang") && history.body.contains("已公开"), "{}", history.body);
    assert!(!history.body.contains("published"), "the status by its name, not its code");
}

fn donation_id(object_page: &super::Page) -> i64 {
    let at = object_page.body.find("/admin/donations/").expect("a link to the donation");
    object_page.body[at + "/admin/donations/".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn an_edit_made_stale_by_another_save_shows_the_difference_and_loses_nothing() {
    let app = TestApp::spawn().await;
    let (_, donation) = app.seed_donation().await;
    app.create("/api/v1/artefacts", serde_json::json!({"donation_id": donation, "title": {"zh": "书法"}})).await;
    let (mut first, _) = signed_in(&app, "wang", Role::Curator).await;
    let (mut second, _) = signed_in(&app, "zhao", Role::Curator).await;
    let a = first.get("/admin/objects/2023.15.1").await;
    let b = second.get("/admin/objects/2023.15.1").await;

    let res = first.submit(&a, "form.record", &[("title_zh", "黎澍书陆游《村饮》")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = second.submit(&b, "form.record", &[("title_zh", "村饮诗轴"), ("technique", "水墨")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("wang"), "says who saved first");
    assert!(res.body.contains("黎澍书陆游《村饮》") && res.body.contains("村饮诗轴"), "both values are shown");
    assert_eq!(
        app.read("/api/v1/artefacts/2023.15.1").await["title"]["zh"],
        "黎澍书陆游《村饮》",
        "the first save stands"
    );

    // Saving the returned form again is a deliberate choice, and works.
    let res = second.submit(&res, "form.record", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let now = app.read("/api/v1/artefacts/2023.15.1").await;
    assert_eq!(now["title"]["zh"], "村饮诗轴");
    assert_eq!(now["technique"], "水墨");
    // Only what changed is recorded as changed.
    let history: serde_json::Value = app.read("/api/v1/artefacts/2023.15.1/history").await;
    let last = history.as_array().unwrap().last().unwrap();
    assert_eq!(last["actor"], "zhao");
    let changed: Vec<&str> = last["changed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(changed, ["technique", "title"]);
}

#[tokio::test]
async fn editing_a_record_with_many_inscriptions_and_owners_keeps_every_one() {
    let app = TestApp::spawn().await;
    let (_, donation) = app.seed_donation().await;
    let inscriptions: Vec<_> = (0..70).map(|i| serde_json::json!({"text": format!("钤印{i}")})).collect();
    let provenance: Vec<_> = (0..60).map(|i| serde_json::json!({"owner": format!("藏家{i}")})).collect();
    app.create(
        "/api/v1/artefacts",
        serde_json::json!({"donation_id": donation, "title": {"zh": "册页"}, "inscriptions": inscriptions,
            "provenance": provenance}),
    )
    .await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let page = b.get("/admin/objects/2023.15.1").await;
    let res = b.submit(&page, "form.record", &[("title_zh", "百印册页"), ("ins_text_69", "钤印六十九")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let now = app.read("/api/v1/artefacts/2023.15.1").await;
    assert_eq!(now["title"]["zh"], "百印册页");
    let texts: Vec<&str> =
        now["inscriptions"].as_array().unwrap().iter().map(|i| i["text"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), 70, "{texts:?}");
    assert_eq!((texts[0], texts[68], texts[69]), ("钤印0", "钤印68", "钤印六十九"));
    assert_eq!(now["provenance"].as_array().unwrap().len(), 60);
    assert_eq!(now["provenance"][59]["owner"], "藏家59");
}

#[tokio::test]
async fn deaccessioning_needs_a_reason_and_keeps_the_record() {
    let app = TestApp::spawn().await;
    let (_, donation) = app.seed_donation().await;
    app.create(
        "/api/v1/artefacts",
        serde_json::json!({"donation_id": donation, "title": {"zh": "书法"}, "status": "published"}),
    )
    .await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let page = b.get("/admin/objects/2023.15.1").await;
    assert!(page.body.contains("section class=\"actions danger\""), "deaccession is set apart from publishing");
    let res = b.submit(&page, "form.deaccession", &[("reason", "  "), ("confirm", "on")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let res = b.submit(&page, "form.deaccession", &[("reason", "归还捐赠人")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "unconfirmed: {}", res.body);
    assert!(res.body.contains("请勾选确认框"));
    assert!(app.read("/api/v1/artefacts/2023.15.1").await["deaccession"].is_null(), "nothing was changed");
    let res = b.submit(&page, "form.deaccession", &[("reason", "归还捐赠人"), ("confirm", "on")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let after = b.follow(&res).await;
    assert!(after.body.contains("归还捐赠人"));
    assert!(after.body.contains("已注销；记录保留。"), "the deaccession is confirmed");
    assert!(
        !after.body.contains("form.deaccession") && !after.body.contains("class=\"deaccession\""),
        "and not offered again"
    );
    // A draft was never accessioned: deaccession is not offered.
    app.create("/api/v1/artefacts", serde_json::json!({"donation_id": donation, "title": {"zh": "草稿"}})).await;
    let draft = b.get("/admin/objects/2023.15.2").await;
    assert_eq!(draft.status, StatusCode::OK);
    assert!(!draft.body.contains("class=\"deaccession\""), "{}", draft.body);
    assert_eq!(Browser::new(&app).get("/objects/2023.15.1").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn donors_and_donations_are_edited_with_the_same_care_for_concurrent_saves() {
    let app = TestApp::spawn().await;
    let (donor, donation) = app.seed_donation().await;
    let relations = serde_json::json!({"version": 1, "relations": [
        {"kind": "descendant_of", "name": "李书城"}, {"kind": "related_to", "name": "薛文淑"}]});
    assert_eq!(
        app.patch_json(&format!("/api/v1/parties/{donor}"), &app.curator, &relations).await.status(),
        StatusCode::OK
    );
    let (mut first, _) = signed_in(&app, "wang", Role::Curator).await;
    let (mut second, _) = signed_in(&app, "zhao", Role::Curator).await;
    let path = format!("/admin/donors/{donor}");
    let a = first.get(&path).await;
    let b = second.get(&path).await;
    assert!(a.body.contains(r#"value="李振亚""#) && a.body.contains(r#"value="李书城""#), "the form is filled in");

    let res = first.submit(&a, "form.record", &[("phone", "+86 21 5555 0199"), ("relation_note", "孙")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = second.submit(&b, "form.record", &[("credit_line", "李振亚先生捐赠")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("+86 21 5555 0199") && res.body.contains("wang"), "{}", res.body);
    let stored = app.read(&format!("/api/v1/parties/{donor}")).await;
    assert_eq!(stored["contact"]["phone"], "+86 21 5555 0199");
    assert_eq!(stored["relations"][0]["note"], "孙");
    assert_eq!(stored["relations"][1]["name"], "薛文淑", "relations the form does not show are kept");
    assert!(stored.get("credit_line").is_none(), "the stale save changed nothing");

    // The donation's details, edited after intake.
    let page = first.get(&format!("/admin/donations/{donation}/edit")).await;
    let res = first.submit(&page, "form.record", &[("venue", "初心讲堂"), ("status", "accessioned")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let stored = app.read(&format!("/api/v1/donations/{donation}")).await;
    assert_eq!((stored["venue"].as_str(), stored["status"].as_str()), (Some("初心讲堂"), Some("accessioned")));
    assert_eq!(stored["donor_ids"], serde_json::json!([donor]));
    let history = first.get(&format!("/admin/donations/{donation}/history")).await;
    assert!(history.body.contains("初心讲堂") && history.body.contains("wang"), "{}", history.body);
}

#[tokio::test]
async fn an_admin_adds_a_term_that_curators_can_use_at_once() {
    let app = TestApp::spawn().await;
    let (_, donation) = app.seed_donation().await;
    let (mut admin, _) = signed_in(&app, "boss", Role::Admin).await;
    let page = admin.get("/admin/vocabularies/material").await;
    assert_eq!(page.status, StatusCode::OK);
    // A name another term has is refused: it would make the list ambiguous.
    let res = admin.submit(&page, "form.new-term", &[("code", "paper2"), ("zh", "纸"), ("en", "Paper again")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let res = admin
        .submit(
            &page,
            "form.new-term",
            &[("code", "xuan-paper"), ("zh", "宣纸"), ("en", "Xuan paper"), ("aliases", "宣紙")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let (mut curator, _) = signed_in(&app, "wang", Role::Curator).await;
    let page = curator.get(&format!("/admin/donations/{donation}")).await;
    assert!(page.body.contains(r#"<option value="宣纸">"#), "offered for completion");
    let res = curator.submit(&page, "form.record", &[("title_zh", "村饮诗轴"), ("materials", "宣紙")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.read("/api/v1/artefacts/2023.15.1").await["materials"], serde_json::json!(["xuan-paper"]));
    let log = admin.get("/admin/activity").await;
    assert!(log.body.contains("词表 #"), "the change is in the activity log, by its kind in words");
}

#[tokio::test]
async fn the_item_form_holds_the_census_condition_fields_and_other_titles() {
    let app = TestApp::spawn().await;
    let (_, donation) = app.seed_donation().await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let page = b.get(&format!("/admin/donations/{donation}")).await;
    for label in ["完残程度", "保存状态", "级别", "其他名称"] {
        assert!(page.body.contains(label), "the form asks for {label}");
    }
    let res = b
        .submit(
            &page,
            "form.record",
            &[
                ("title_zh", "黎澍书陆游《村饮》"),
                ("other_titles", "村饮诗轴、陆游诗"),
                ("completeness", "基本完整"),
                ("preservation", "部分损腐"),
                ("grade", "三級文物"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let stored = app.read("/api/v1/artefacts/2023.15.1").await;
    assert_eq!(stored["completeness"], "mostly-complete");
    assert_eq!(stored["preservation"], "needs-treatment");
    assert_eq!(stored["grade"], "grade-3", "a Traditional alias is read as its term");
    assert_eq!(stored["other_titles"], serde_json::json!(["村饮诗轴", "陆游诗"]));
    // Read back in the form by name, and in English by the English name.
    let form = b.get("/admin/objects/2023.15.1").await;
    assert!(form.body.contains("value=\"基本完整\"") && form.body.contains("value=\"三级文物\""), "{}", form.body);
    let en = b.get("/admin/objects/2023.15.1?lang=en").await;
    assert!(en.body.contains("value=\"Mostly complete\"") && en.body.contains("value=\"Grade 3\""));
    // Saved again unchanged, nothing changes.
    let res = b.submit(&form, "form.record", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.read("/api/v1/artefacts/2023.15.1").await["version"], stored["version"]);
}

#[tokio::test]
async fn the_dimensions_preview_says_what_it_cannot_read_in_the_page_s_language() {
    let app = TestApp::spawn().await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let zh: serde_json::Value = serde_json::from_str(&b.get("/admin/dimensions?text=45&lang=zh").await.body).unwrap();
    assert_eq!(zh["ok"], false);
    assert_eq!(zh["problem"], "45 没有单位，请写明，如“45厘米”或“45 cm”");
    let en: serde_json::Value = serde_json::from_str(&b.get("/admin/dimensions?text=tall&lang=en").await.body).unwrap();
    assert_eq!(en["problem"], "no number in the text");
    let read: serde_json::Value =
        serde_json::from_str(&b.get("/admin/dimensions?text=%E9%AB%9845%E5%8E%98%E7%B1%B3").await.body).unwrap();
    assert_eq!((read["ok"].as_bool(), read["items"][0]["value"].as_f64()), (Some(true), Some(45.0)));
}

#[tokio::test]
async fn a_family_gives_together_and_the_donation_takes_its_donor_s_credit_line() {
    let app = TestApp::spawn().await;
    let li = app
        .create(
            "/api/v1/parties",
            serde_json::json!({"name": {"zh": "李振亚"}, "naming_consent": true, "credit_line": "李振亚先生捐赠"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let xue =
        app.create("/api/v1/parties", serde_json::json!({"name": {"zh": "薛晓缘"}})).await["id"].as_i64().unwrap();
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let form = b.get(&format!("/admin/donations/new?donor={li}")).await;
    assert!(form.body.contains("value=\"李振亚先生捐赠\""), "the credit line starts as the donor's own wording");
    let res = b.submit(&form, "form.record", &[("date", "2024年"), ("donor_2", &xue.to_string())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = b.follow(&res).await;
    assert!(page.body.contains("李振亚") && page.body.contains("薛晓缘"), "both donors are named");
    let id: i64 =
        res.location.unwrap().trim_start_matches("/admin/donations/").split('?').next().unwrap().parse().unwrap();
    let stored = app.read(&format!("/api/v1/donations/{id}")).await;
    assert_eq!(stored["donor_ids"], serde_json::json!([li, xue]));
    assert_eq!(stored["credit_line"], "李振亚先生捐赠");
    // A donor who did not agree to be named lends no wording.
    let shy = app
        .create(
            "/api/v1/parties",
            serde_json::json!({"name": {"zh": "某先生"}, "naming_consent": false, "credit_line": "某先生捐赠"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let form = b.get(&format!("/admin/donations/new?donor={shy}")).await;
    assert!(!form.body.contains("某先生捐赠"));
    // Edited in the form, the donors are kept, and a fourth given through the API is not lost.
    let fourth =
        app.create("/api/v1/parties", serde_json::json!({"name": {"zh": "李某"}})).await["id"].as_i64().unwrap();
    let all = serde_json::json!({"version": 1, "donor_ids": [li, xue, shy, fourth]});
    assert_eq!(app.patch_json(&format!("/api/v1/donations/{id}"), &app.curator, &all).await.status(), StatusCode::OK);
    let edit = b.get(&format!("/admin/donations/{id}/edit")).await;
    let res = b.submit(&edit, "form.record", &[("venue", "初心讲堂")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let stored = app.read(&format!("/api/v1/donations/{id}")).await;
    assert_eq!(stored["donor_ids"], serde_json::json!([li, xue, shy, fourth]));
    assert_eq!(stored["venue"], "初心讲堂");
}

#[tokio::test]
async fn the_history_marks_what_changed_in_a_value_not_the_whole_value() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        serde_json::json!({"accession_number": "2023.15.1", "title": {"zh": "黎澍书陆游《村饮》"}, "dimensions": "纵23.7厘米，横20.6厘米"}),
    )
    .await;
    let res = app
        .patch_json(
            "/api/v1/artefacts/2023.15.1",
            &app.curator,
            &serde_json::json!({"version": 1, "dimensions": "纵23.9厘米，横20.6厘米", "title": {"zh": "黎澍书陆游诗《村饮》"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let (mut b, _) = signed_in(&app, "wang", Role::Researcher).await;
    let page = b.get("/admin/objects/2023.15.1/history").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<del>7</del>") && page.body.contains("<ins>9</ins>"), "{}", page.body);
    assert!(page.body.contains("<ins>诗</ins>"), "the word put in is marked, the title around it is not");
    assert!(page.body.contains("尺寸") && page.body.contains("名称"), "fields by their labels");
}

#[tokio::test]
async fn a_history_names_the_donation_and_the_donors_it_refers_to() {
    let app = TestApp::spawn().await;
    let li = app.create("/api/v1/parties", serde_json::json!({"name": {"zh": "李振亚"}})).await["id"].as_i64().unwrap();
    let xue = app.create("/api/v1/parties", serde_json::json!({"name": {"zh": "薛明"}})).await["id"].as_i64().unwrap();
    let gift =
        serde_json::json!({"year": 2023, "number": 15, "occasion": {"zh": "第十五次捐赠仪式"}, "donor_ids": [li]});
    let donation = app.create("/api/v1/donations", gift).await["id"].as_i64().unwrap();
    let both = serde_json::json!({"version": 1, "donor_ids": [li, xue]});
    let res = app.patch_json(&format!("/api/v1/donations/{donation}"), &app.curator, &both).await;
    assert_eq!(res.status(), StatusCode::OK);
    app.create(
        "/api/v1/artefacts",
        serde_json::json!({"donation_id": donation, "title": {"zh": "黎澍书陆游《村饮》"}}),
    )
    .await;
    let (mut b, _) = signed_in(&app, "wang", Role::Researcher).await;
    let page = b.get(&format!("/admin/donations/{donation}/history")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("第十五次捐赠仪式"), "the page is titled by the donation's occasion: {}", page.body);
    assert!(page.body.contains("李振亚") && page.body.contains("薛明"), "donors by name: {}", page.body);
    assert!(!page.body.contains(&format!(">{xue}<")), "not by number");
    let page = b.get("/admin/objects/2023.15.1/history").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("第十五次捐赠仪式"), "the donation by its occasion: {}", page.body);
    assert!(!page.body.contains("修改前"), "a new record's values have nothing before them: {}", page.body);
    let page = b.get(&format!("/admin/donors/{li}/history")).await;
    assert!(page.body.contains("修改记录 · 李振亚"), "a donor's history is titled by their name: {}", page.body);
}
