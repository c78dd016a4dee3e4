//! `/donors/{id}` and `/makers/{name}`: a person's names in every script, dates,
//! biography and relations as the public may read them, with their objects and donations.

use reqwest::StatusCode;
use serde_json::json;

use super::{assert_no_sentinel, sentinel_records, visit};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_donor_who_consented_has_a_page_with_names_relations_objects_and_donations() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    // From the acknowledgements, to the donor's page.
    let list = visit(&app, "/donors", &[]).await;
    let href = list.attr("ul.donors h2 a", "href")[0].clone();
    let zh = visit(&app, &href, &[]).await;
    assert_eq!(zh.status, StatusCode::OK);
    assert_eq!(zh.one("h1"), "李振亚");
    assert_eq!(zh.all("article.person dd[lang=zh]")[..2], ["李振亚", "李振亞"], "both scripts");
    assert_eq!(zh.all("ul.relations li"), ["李书城后人"]);
    let objects = zh.attr("ul.tiles a", "href");
    assert_eq!(objects.len(), 2, "{objects:?}");
    assert!(objects.iter().all(|h| h.starts_with("/objects/2023.15.")), "{objects:?}");
    assert_eq!(zh.attr(".cards a", "href").len(), 1, "the donation");
    // In English: the name with its Chinese, the relation, the dates in English.
    let en = visit(&app, &href.replace("lang=zh", "lang=en"), &[]).await;
    assert_eq!(en.one("h1"), "Li Zhenya 李振亚");
    assert_eq!(en.all("ul.relations li"), ["descendant of Li Shucheng 李书城"]);
    assert_eq!(en.all(".cards .muted"), ["early 2023"]);
    assert!(en.all(".tile-sub").contains(&"c. 1923".to_string()), "{:?}", en.all(".tile-sub"));
    // The acknowledgements name the donor as the donor's page does.
    let list_en = visit(&app, "/donors?lang=en", &[]).await;
    assert_eq!(list_en.all("ul.donors h2 a"), ["Li Zhenya 李振亚"]);
    // The donation page links its donor here.
    let donation = visit(&app, &zh.attr(".cards a", "href")[0], &[]).await;
    assert!(donation.attr("dd a", "href").contains(&href), "{:?}", donation.attr("dd a", "href"));
}

#[tokio::test]
async fn a_donor_who_did_not_consent_has_no_page_and_is_named_by_no_relation() {
    let app = TestApp::spawn().await;
    let donation = sentinel_records(&app).await;
    let record: serde_json::Value = app.read(&format!("/api/v1/donations/{donation}")).await;
    let ids: Vec<i64> = record["donor_ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    let (named, shy) = (ids[0], ids[1]);
    app.settled().await;
    let page = visit(&app, &format!("/donors/{named}"), &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.one("h1"), "王守仁");
    assert_no_sentinel(&page, "a donor's page");
    assert_eq!(visit(&app, &format!("/donors/{shy}"), &[]).await.status, StatusCode::NOT_FOUND);
    for missing in ["/donors/99999", "/donors/abc"] {
        assert_eq!(visit(&app, missing, &[]).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
    // A relation to the donor who did not consent is left out; one to a named person is kept.
    let patched = app
        .patch_json(
            &format!("/api/v1/parties/{named}"),
            &app.user("relating-curator", catalogue::model::role::Role::Curator),
            &json!({"relations": [{"kind": "sibling_of", "party_id": shy}, {"kind": "child_of", "name": "王华"}], "version": 1}),
        )
        .await;
    assert!(patched.status().is_success(), "{}", patched.text().await.unwrap());
    let page = visit(&app, &format!("/donors/{named}"), &[]).await;
    assert_eq!(page.all("ul.relations li"), ["王华之子女"]);
    assert_no_sentinel(&page, "a donor's relations");
    // A donor with nothing published has no page either.
    let idle = app.create("/api/v1/parties", json!({"name": {"zh": "尚无公开"}, "naming_consent": true})).await;
    assert_eq!(visit(&app, &format!("/donors/{}", idle["id"]), &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_maker_s_page_is_reached_from_their_object_and_holds_their_objects() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let object = visit(&app, "/objects/2023.15.2", &[]).await;
    let href = object.attr("a.maker", "href");
    assert_eq!(href.len(), 1, "{href:?}");
    let maker = visit(&app, &href[0], &[]).await;
    assert_eq!(maker.status, StatusCode::OK);
    assert_eq!(maker.one("h1"), "黎澍");
    assert_eq!(maker.attr("ul.tiles a", "href"), ["/objects/2023.15.2?lang=zh"]);
    let en = visit(&app, &href[0].replace("lang=zh", "lang=en"), &[]).await;
    assert_eq!(en.one("h1"), "Li Shu 黎澍");
    // A maker of many: all their objects are counted, and the search lists them.
    let turner = visit(&app, "/makers/Joseph%20Mallord%20William%20Turner?lang=en", &[]).await;
    let counted: u64 = turner.one("h2 .count").split_whitespace().next().unwrap().parse().unwrap();
    let results = visit(&app, &turner.attr(".see-all a", "href")[0], &[]).await;
    assert_eq!(results.one(".total").parse::<u64>().unwrap(), counted);
    assert!(counted > 20, "{counted}");
    // Nobody of that name made a published object.
    assert_eq!(visit(&app, "/makers/%E6%97%A0%E6%AD%A4%E4%BA%BA", &[]).await.status, StatusCode::NOT_FOUND);
}
