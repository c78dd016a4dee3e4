//! The workspace's lists of objects, donations and donors: filters, counts, pages, and
//! the intake's donor picker, which finds donors (not makers) in either script or pinyin.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::json;

use super::signed_in;
use crate::helpers::TestApp;

/// Two donors with a donation each, a party who is not a donor, and three objects.
async fn holdings(app: &TestApp) -> (i64, i64) {
    let li = app.create("/api/v1/parties", json!({"name": {"zh": "李振亚", "en": "Li Zhenya"}})).await["id"]
        .as_i64()
        .unwrap();
    let wang = app.create("/api/v1/parties", json!({"name": {"zh": "王守仁"}})).await["id"].as_i64().unwrap();
    app.create("/api/v1/parties", json!({"name": {"zh": "黎澍"}})).await;
    let first = app
        .create("/api/v1/donations", json!({"number": 15, "year": 2023, "donor_ids": [li], "occasion": {"zh": "第15场捐赠仪式"}, "status": "accessioned"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let second = app
        .create(
            "/api/v1/donations",
            json!({"number": 3, "year": 2024, "donor_ids": [wang], "occasion": {"zh": "春季捐赠"}, "internal_notes": "私密备注甲乙"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    for (accession, donation, title, category, status) in [
        ("2023.15.1", first, "毛主席走遍全国", "书法、绘画", "published"),
        ("2023.15.2", first, "晓缘仁兄书法", "书法、绘画", "draft"),
        ("2024.3.1", second, "青花瓷盘", "瓷器", "internal"),
    ] {
        app.create(
            "/api/v1/artefacts",
            json!({"donation_id": donation, "accession_number": accession, "title": {"zh": title}, "category": category, "status": status}),
        )
        .await;
    }
    app.settled().await;
    (li, first)
}

fn cells(html: &str, css: &str) -> Vec<String> {
    let sel = Selector::parse(css).unwrap();
    Html::parse_document(html).select(&sel).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

#[tokio::test]
async fn the_object_list_filters_counts_and_pages() {
    let app = TestApp::spawn().await;
    holdings(&app).await;
    let (mut b, dashboard) = signed_in(&app, "wang", Role::Curator).await;
    assert!(dashboard.body.contains("href=\"/admin/objects?lang=zh\""), "the menu offers the list");
    let all = b.get("/admin/objects").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(cells(&all.body, "table.list td.acc"), ["2023.15.1", "2023.15.2", "2024.3.1"]);
    assert_eq!(cells(&all.body, "p.count"), ["共 3 件"]);
    assert!(cells(&all.body, "table.list td.state").contains(&"草稿".to_string()), "statuses in words");
    let options = cells(&all.body, "select[name=category] option");
    assert!(
        options.contains(&"书法、绘画（2）".to_string()) && options.contains(&"瓷器（1）".to_string()),
        "{options:?}"
    );
    let drafts = b.get("/admin/objects?status=draft").await;
    assert_eq!(cells(&drafts.body, "table.list td.acc"), ["2023.15.2"]);
    let chosen = cells(&drafts.body, "select[name=status] option[selected]");
    assert_eq!(chosen, ["草稿"], "the chosen filter stays chosen");
    let painting = b.get("/admin/objects?category=calligraphy-painting&status=published").await;
    assert_eq!(cells(&painting.body, "table.list td.acc"), ["2023.15.1"]);
    let found = b.get("/admin/objects?q=%E7%93%B7%E7%9B%A4&lang=en").await;
    assert_eq!(cells(&found.body, "table.list td.acc"), ["2024.3.1"]);
    assert_eq!(cells(&found.body, "p.count"), ["1 object"]);
    assert!(cells(&found.body, "table.list td.state").contains(&"Internal only".to_string()));
    let none = b.get("/admin/objects?q=nothing-like-this").await;
    assert!(none.body.contains("没有符合条件的藏品"));
    // A title mistyped with a character that looks alike (晚 for 晓) is offered as a link.
    let near = b.get("/admin/objects?q=%E6%99%9A%E7%BC%98%E4%BB%81%E5%85%84%E4%B9%A6%E6%B3%95").await;
    assert_eq!(cells(&near.body, "p.did-you-mean a.suggestion"), ["晓缘仁兄书法"], "{}", near.body);
    let offered = cells(&near.body, "p.did-you-mean").concat();
    assert!(offered.starts_with("您是不是要找"), "{offered}");
    let bad = b.get("/admin/objects?status=lost").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("lost"), "the refusal names what was wrong");
}

#[tokio::test]
async fn a_long_list_comes_in_pages() {
    let app = TestApp::spawn().await;
    for i in 1..=30 {
        app.create(
            "/api/v1/artefacts",
            json!({"accession_number": format!("2020.1.{i}"), "title": {"zh": format!("藏品{i}")}}),
        )
        .await;
    }
    app.settled().await;
    let (mut b, _) = signed_in(&app, "wang", Role::Researcher).await;
    let first = b.get("/admin/objects?sort=accession").await;
    assert_eq!(cells(&first.body, "table.list tbody tr").len(), 25);
    assert_eq!(cells(&first.body, "p.count"), ["共 30 件"]);
    assert!(first.body.contains("第 1 / 2 页"));
    let next = Html::parse_document(&first.body)
        .select(&Selector::parse("a[rel=next]").unwrap())
        .next()
        .and_then(|a| a.value().attr("href").map(String::from))
        .expect("a link to the next page");
    let second = b.get(&next).await;
    assert_eq!(cells(&second.body, "table.list tbody tr").len(), 5);
    assert!(second.body.contains("rel=\"prev\"") && !second.body.contains("rel=\"next\""));
}

#[tokio::test]
async fn the_donation_list_filters_by_status_and_donor() {
    let app = TestApp::spawn().await;
    let (li, first) = holdings(&app).await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let all = b.get("/admin/donations").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(cells(&all.body, "table.list td:nth-child(1)"), ["春季捐赠", "第15场捐赠仪式"], "newest first");
    assert_eq!(cells(&all.body, "table.list td:nth-child(2)"), ["2024年第3号", "2023年第15号"]);
    assert_eq!(cells(&all.body, "table.list td:nth-child(4)"), ["王守仁", "李振亚"]);
    let accessioned = b.get("/admin/donations?status=accessioned").await;
    assert_eq!(cells(&accessioned.body, "table.list td:nth-child(1)"), ["第15场捐赠仪式"]);
    assert_eq!(cells(&accessioned.body, "table.list td:nth-child(5)"), ["已入藏"]);
    let by_li = b.get(&format!("/admin/donations?donor={li}&lang=en")).await;
    assert_eq!(cells(&by_li.body, "table.list td:nth-child(2)"), ["2023, no. 15"]);
    assert!(by_li.body.contains(&format!("href=\"/admin/donations/{first}?lang=en\"")));
    // Drafts 1, accessioned 0, published 1.
    assert_eq!(cells(&by_li.body, "table.list td:nth-child(n+6)"), ["1", "0", "1"]);
    let bad = b.get("/admin/donations?status=lost").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    for (q, want) in [("春季", vec!["春季捐赠"]), ("春季捐贈", vec!["春季捐赠"]), ("私密备注", vec![])]
    {
        let found = b
            .get(&format!(
                "/admin/donations?q={}",
                url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
            ))
            .await;
        assert_eq!(cells(&found.body, "table.list td:nth-child(1)"), want, "{q}: private notes are never matched");
    }
}

#[tokio::test]
async fn donors_are_found_in_either_script_or_pinyin_and_makers_are_not_donors() {
    let app = TestApp::spawn().await;
    let (li, _) = holdings(&app).await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let all = b.get("/admin/donors").await;
    assert_eq!(cells(&all.body, "table.list td:nth-child(1)"), ["李振亚", "王守仁"], "黎澍 gave nothing");
    for find in ["李振亞", "lizhenya", "li%20zhenya", "lzy", "Zhenya"] {
        let found = b.get(&format!("/admin/donors?find={find}")).await;
        assert_eq!(cells(&found.body, "table.list td:nth-child(1)"), ["李振亚"], "{find}");
    }
    let page = b.get(&format!("/admin/donors/{li}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(cells(&page.body, "section table.list td:nth-child(1)").contains(&"第15场捐赠仪式".to_string()));
    assert!(
        cells(&page.body, "section table.list td:nth-child(1)").contains(&"2023.15.2".to_string()),
        "the items they gave"
    );
    // The intake's picker starts empty and finds donors, not every party.
    let picker = b.get("/admin/donors/new").await;
    assert!(cells(&picker.body, "select[name=donor] option").is_empty(), "{}", picker.body);
    let found = b.get("/admin/donors/new?find=li").await;
    assert_eq!(cells(&found.body, "select[name=donor] option"), ["李振亚"], "黎澍 (li shu) is a maker, not a donor");
    let none = b.get("/admin/donors/new?find=%E9%BB%8E%E6%BE%8D").await;
    assert!(cells(&none.body, "select[name=donor] option").is_empty());
    assert!(none.body.contains("没有找到这位捐赠人"));
}

#[tokio::test]
async fn a_batch_from_the_list_is_previewed_then_made_and_refused_whole_if_one_changed_meanwhile() {
    let app = TestApp::spawn().await;
    holdings(&app).await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    // The whole result of a search for drafts and internal records: publish them.
    let list = b.get("/admin/objects?category=calligraphy-painting").await;
    assert_eq!(cells(&list.body, "table.list td.acc"), ["2023.15.1", "2023.15.2"]);
    let preview = b
        .submit(
            &list,
            "form.batch",
            &[("action", "set"), ("field", "storage_location"), ("value", "库房 C-7"), ("whole", "1")],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(cells(&preview.body, "table.batch td:nth-child(1)"), ["2023.15.1", "2023.15.2"]);
    assert_eq!(cells(&preview.body, "table.batch td:nth-child(4)"), ["库房 C-7", "库房 C-7"]);
    assert!(preview.body.contains("2 件将被修改"), "{}", preview.body);
    let audit = app.state.audit_count().unwrap();
    assert_eq!(app.read("/api/v1/artefacts/2023.15.1").await["version"], 1, "a preview changes nothing");
    // Someone edits one of them before the curator confirms: nothing is changed.
    let res = app
        .patch_json(
            "/api/v1/artefacts/2023.15.2",
            &app.curator,
            &json!({"version": 1, "title": {"zh": "晓缘仁兄书法轴"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let refused = b.submit(&preview, "form.batch-apply", &[("apply", "1")]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("预览之后已被他人修改") && refused.body.contains("2023.15.2"), "{}", refused.body);
    assert_eq!(app.state.audit_count().unwrap(), audit + 1, "only the other edit was written");
    assert!(app.read("/api/v1/artefacts/2023.15.1").await["private"]["storage_location"].is_null());
    // Chosen again, it is made, each record once in the history.
    let list = b.get("/admin/objects?category=calligraphy-painting").await;
    let preview = b
        .submit(
            &list,
            "form.batch",
            &[
                ("action", "set"),
                ("field", "storage_location"),
                ("value", "库房 C-7"),
                ("pick_0", "2023.15.1"),
                ("pick_1", "2023.15.2"),
            ],
        )
        .await;
    let done = b.submit(&preview, "form.batch-apply", &[("apply", "1")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(b.follow(&done).await.body.contains("批量修改已完成。"));
    for acc in ["2023.15.1", "2023.15.2"] {
        assert_eq!(app.read(&format!("/api/v1/artefacts/{acc}")).await["private"]["storage_location"], "库房 C-7");
    }
    // Accessioning records that are not drafts is refused by name, in words.
    let list = b.get("/admin/objects?lang=en").await;
    let preview = b
        .submit(&list, "form.batch", &[("action", "accession"), ("pick_0", "2023.15.1"), ("pick_1", "2023.15.2")])
        .await;
    assert!(preview.body.contains("Accessioned already, not a draft"), "{}", preview.body);
    assert!(!preview.body.contains("batch-apply"), "a batch with a refusal cannot be confirmed");
    // A researcher cannot batch.
    let (mut r, _) = signed_in(&app, "reader", Role::Researcher).await;
    let page = r.get("/admin/objects").await;
    assert!(!page.body.contains("form method=\"post\" action=\"/admin/batch"), "no batch form for a researcher");
}

#[tokio::test]
async fn a_curator_gathers_objects_in_a_set_exports_it_and_changes_it_whole() {
    let app = TestApp::spawn().await;
    holdings(&app).await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let sets = b.get("/admin/sets").await;
    assert!(sets.body.contains("尚无集合"));
    let res = b.submit(&sets, "form.new-set", &[("name", "2024年春季展览"), ("shared", "on")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let set_path = res.location.clone().unwrap();
    let set_page = b.follow(&res).await;
    assert!(set_page.body.contains("已登记。") && set_page.body.contains("共 0 件"));
    // From the list: tick two objects and add them to the set.
    let list = b.get("/admin/objects").await;
    let set_id = set_path.trim_start_matches("/admin/sets/").split('?').next().unwrap().to_string();
    let res = b
        .submit(
            &list,
            "form.batch",
            &[("action", "add_to_set"), ("add_set", &set_id), ("pick_0", "2023.15.1"), ("pick_2", "2024.3.1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = b.follow(&res).await;
    assert!(page.body.contains("已加入集合。"), "{}", page.body);
    assert_eq!(cells(&page.body, "table.list td.acc"), ["2023.15.1", "2024.3.1"]);
    // Exported as the census CSV.
    let csv = b.get(&format!("/admin/sets/{set_id}/export.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("\u{feff}") || csv.body.contains("总登记号"), "{}", csv.body);
    assert!(csv.body.contains("2023.15.1") && csv.body.contains("2024.3.1") && !csv.body.contains("2023.15.2"));
    // The whole set as a batch: publish both.
    let preview = b.submit(&page, "form.batch", &[("action", "publish")]).await;
    assert_eq!(cells(&preview.body, "table.batch td:nth-child(1)"), ["2024.3.1"], "2023.15.1 is published already");
    let done = b.submit(&preview, "form.batch-apply", &[("apply", "1")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(app.read("/api/v1/artefacts/2024.3.1").await["status"], "published");
    // Taken out again.
    let page = b.get(&format!("/admin/sets/{set_id}")).await;
    let res = b.submit(&page, "form.set-remove", &[("drop_0", "2023.15.1")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(cells(&b.follow(&res).await.body, "table.list td.acc"), ["2024.3.1"]);
    // A researcher reads the shared set, and cannot change it.
    let (mut r, _) = signed_in(&app, "reader", Role::Researcher).await;
    let seen = r.get(&format!("/admin/sets/{set_id}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains("set-remove") && !seen.body.contains("form method=\"post\" action=\"/admin/batch"));
}
