//! Where every object is, in the workspace: an object's location and its movements on its
//! page, moving it, a location's shelf list, moving a whole box, and an inventory check
//! with a scanner. Researchers see none of it unless the museum allows it.

use catalogue::model::role::Role;
use reqwest::StatusCode;

use super::signed_in;
use crate::helpers::TestApp;

#[tokio::test]
async fn a_curator_moves_an_object_and_a_box_and_checks_a_shelf() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let object = b.get("/admin/objects/2023.15.2").await;
    assert!(object.body.contains("B1-K2-SH3-S2-X15 十五号囊匣"), "{}", object.body);
    let moved =
        b.submit(&object, "form.move", &[("to", "B1-PH"), ("reason", "photography"), ("note", "高清拍摄")]).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let after = b.follow(&moved).await;
    assert!(after.body.contains("已移动"), "confirmed");
    assert!(after.body.contains("B1-PH 摄影室") && after.body.contains("拍摄") && after.body.contains("高清拍摄"));
    // A second form made from the old page is stale: one object, one movement at a time.
    let stale = b.submit(&object, "form.move", &[("to", "B1-CL"), ("reason", "conservation")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("有人已修改或移动了这件藏品"));

    // The shelf list of the building, and its printable form.
    let building = b.get("/admin/locations/B1?lang=en").await;
    assert_eq!(building.status, StatusCode::OK);
    assert!(building.body.contains("2 objects, with those inside it"), "{}", building.body);
    let print = b.get("/admin/locations/B1/print").await;
    assert!(print.body.contains("2023.15.2") && !print.body.contains("form"), "the printed list has no forms");

    // Everything in the studio goes back to the store room.
    let studio = b.get("/admin/locations/B1-PH").await;
    let moved = b.submit(&studio, "form.move", &[("to", "B1-K2"), ("reason", "storage")]).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let store = b.follow(&moved).await;
    assert!(store.body.contains("2023.15.2"), "{}", store.body);

    // An inventory check of the store room with a scanner: the one object is found.
    let room = b.get("/admin/locations/B1-K2").await;
    let started = b.submit(&room, "form[action^=\"/admin/inventory\"]", &[]).await;
    let check = b.follow(&started).await;
    assert!(check.body.contains("应在 1 件，已核对 0 件"), "{}", check.body);
    let marked = b.submit(&check, "form.marks", &[("found", "2023.15.2\n")]).await;
    let check = b.follow(&marked).await;
    assert!(check.body.contains("已核对 1 件；差异 0 处"), "{}", check.body);
    let finished = b.submit(&check, "form[action$=\"/finish?lang=zh\"]", &[]).await;
    let report = b.follow(&finished).await;
    assert!(report.body.contains("完成于") && !report.body.contains("form class=\"marks\""), "{}", report.body);
}

#[tokio::test]
async fn a_researcher_sees_no_location_unless_the_museum_allows_it() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let (mut b, home) = signed_in(&app, "reader", Role::Researcher).await;
    assert!(!home.body.contains("/admin/locations"), "no link to locations");
    let object = b.get("/admin/objects/2023.15.2").await;
    assert_eq!(object.status, StatusCode::OK);
    assert!(!object.body.contains("B1-K2") && !object.body.contains("十五号囊匣"), "{}", object.body);
    let page = b.get("/admin/locations").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("请管理员允许研究人员查看"), "{}", page.body);
    let dir = app.stop().await;
    let app = TestApp::spawn_with(dir, |c| c.researchers_see_locations = true).await;
    let mut b = super::Browser::new(&app);
    b.sign_in("reader", super::PASSWORD).await;
    let object = b.get("/admin/objects/2023.15.2").await;
    assert!(object.body.contains("十五号囊匣"), "with the setting, a researcher sees where it is");
    assert!(!object.body.contains("form class=\"move\""), "but does not move it");
}

#[tokio::test]
async fn a_gift_is_received_and_declined_from_its_page() {
    let app = TestApp::spawn().await;
    let donor = app.create("/api/v1/parties", serde_json::json!({"name": {"zh": "赵某"}})).await;
    let gift = app.create("/api/v1/donations", serde_json::json!({"donor_ids": [donor["id"]]})).await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let path = format!("/admin/donations/{}", gift["id"]);
    let page = b.get(&path).await;
    let received = b.submit(&page, "form.entry", &[("received_by", "张馆员")]).await;
    assert_eq!(received.status, StatusCode::SEE_OTHER, "{}", received.body);
    let page = b.follow(&received).await;
    let year = app.state.today().format("%Y").to_string();
    assert!(page.body.contains(&format!("E{year}-001")) && page.body.contains("张馆员"), "{}", page.body);
    assert!(page.body.contains("已接收") && !page.body.contains("form class=\"entry\""), "{}", page.body);
    // A date in the future is refused with the form.
    let refused = b.submit(&page, "form.exit", &[("date", "2999-01-01")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let declined = b.submit(&page, "form.exit", &[("outcome", "declined"), ("to", "赵某")]).await;
    let page = b.follow(&declined).await;
    assert!(page.body.contains("已婉拒") && page.body.contains(&format!("X{year}-001")), "{}", page.body);
    let receipt = app.read(&format!("/api/v1/donations/{}", gift["id"])).await;
    assert_eq!(receipt["receipt_number"], format!("E{year}-001"), "the receipt carries the entry number");
}

#[tokio::test]
async fn objects_ticked_in_the_list_move_together() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let list = b.get("/admin/objects?category=calligraphy-painting").await;
    assert!(list.body.contains("移至存放位置"), "the list offers a move");
    let ticked = [
        ("action", "move"),
        ("move_to", "B1-CL"),
        ("move_reason", "conservation"),
        ("pick_0", "2023.15.1"),
        ("pick_1", "2023.15.2"),
    ];
    let moved = b.submit(&list, "form.batch", &ticked).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let studio = b.follow(&moved).await;
    assert!(studio.body.contains("已移动") && studio.body.contains("共 2 件"), "{}", studio.body);
    // One of them sent again to where it already is: neither moves, and the page says so.
    let moves = app.read("/api/v1/artefacts/2023.15.1/movements").await["movements"].as_array().unwrap().len();
    app.post_json(
        "/api/v1/artefacts/2023.15.2/movements",
        Some(&app.curator),
        &serde_json::json!({"to": "B1-K2", "reason": "storage"}),
    )
    .await;
    let again = b
        .submit(
            &list,
            "form.batch",
            &[
                ("move_to", "B1-K2"),
                ("move_reason", "storage"),
                ("action", "move"),
                ("pick_0", "2023.15.1"),
                ("pick_1", "2023.15.2"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
    assert!(again.body.contains("没有移动任何藏品"), "{}", again.body);
    let w = app.read("/api/v1/artefacts/2023.15.1/movements").await;
    assert_eq!((w["current"]["code"].as_str(), w["movements"].as_array().unwrap().len()), (Some("B1-CL"), moves));
    let (mut reader, _) = signed_in(&app, "reader", Role::Researcher).await;
    let list = reader.get("/admin/objects").await;
    assert!(!list.body.contains("移至存放位置"));
}

#[tokio::test]
async fn an_admin_lets_researchers_see_locations_and_the_change_is_logged() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let (mut admin, _) = signed_in(&app, "boss", Role::Admin).await;
    let (mut reader, _) = signed_in(&app, "reader", Role::Researcher).await;
    assert_eq!(reader.get("/admin/locations").await.status, StatusCode::FORBIDDEN);
    let users = admin.get("/admin/users").await;
    let saved = admin.submit(&users, "form.locations-setting", &[("researchers_see_locations", "on")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let object = reader.get("/admin/objects/2023.15.2").await;
    assert!(object.body.contains("十五号囊匣"), "allowed, a researcher sees where it is");
    assert_eq!(reader.get("/admin/locations").await.status, StatusCode::OK);
    // Unticked, it is hidden again.
    let users = admin.get("/admin/users").await;
    let (action, mut fields) = users.form("form.locations-setting");
    fields.retain(|(k, _)| k != "researchers_see_locations");
    admin.post(&action, &fields).await;
    assert_eq!(reader.get("/admin/locations").await.status, StatusCode::FORBIDDEN);
    let log = admin.get("/admin/activity").await;
    assert!(log.body.contains("设置"), "the activity log names the setting's change");
    // Only an admin decides.
    let (mut curator, _) = signed_in(&app, "wang", Role::Curator).await;
    let users = admin.get("/admin/users").await;
    let (action, mut fields) = users.form("form.locations-setting");
    let csrf = curator.get("/admin").await.csrf();
    super::set(&mut fields, "csrf", &csrf);
    let refused = curator.post(&action, &fields).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
