//! The first real donation, recorded end to end through the API and read back exactly.

use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn the_fifteenth_donation_ceremony_is_recorded_and_read_back_exactly() {
    let app = TestApp::spawn().await;
    let li_shucheng = app
        .create(
            "/api/v1/parties",
            json!({
                "name": {"zh": "李书城", "en": "Li Shucheng"},
                "biography": {"zh": "近代民主革命家、爱国人士，中华人民共和国首任农业部部长。"}
            }),
        )
        .await;
    let li_shucheng_id = li_shucheng["id"].as_i64().unwrap();
    let donor_input = json!({
        "name": {"zh": "李振亚", "en": "Li Zhenya"},
        "relations": [{"kind": "descendant_of", "party_id": li_shucheng_id, "note": "李书城后人"}],
        "naming_consent": true,
        "credit_line": "李振亚先生捐赠",
        "contact": {"phone": "+86 21 5555 0101"}
    });
    let donor = app.create("/api/v1/parties", donor_input.clone()).await;
    let donor_id = donor["id"].as_i64().unwrap();
    let donation = app
        .create(
            "/api/v1/donations",
            json!({
                "number": 15, "year": 2023, "date": "2023年初",
                "occasion": {"zh": "「有实其积」第15场捐赠仪式——李书城、薛文淑珍贵遗物捐赠专场"},
                "venue": "中共一大纪念馆初心讲堂",
                "donor_ids": [donor_id], "status": "received", "terms": "无偿捐赠"
            }),
        )
        .await;
    let donation_id = donation["id"].as_i64().unwrap();

    // The first item has no number yet: the donation's next one is proposed and assigned.
    let proposed = app.read(&format!("/api/v1/donations/{donation_id}/next-accession")).await;
    assert_eq!(proposed["accession_number"], "2023.15.1");
    let reproduction = app
        .create(
            "/api/v1/artefacts",
            json!({
                "donation_id": donation_id,
                "title": {"zh": "《毛主席走遍全国》复制件"},
                "makers": [{"name": "李琦", "role": "原作作者"}],
                "category": "书法、绘画", "materials": ["纸"], "quantity": "1件",
                "reproduction": {"note": "按原件尺寸1:1印制，印量较少，为珍贵复制件", "original": "李琦《毛主席走遍全国》原作"},
                "provenance": [{"owner": "李振亚", "party_id": donor_id, "method": "gift", "date": "2023"}],
                "status": "published"
            }),
        )
        .await;
    assert_eq!(reproduction["accession_number"], "2023.15.1");
    assert_eq!(reproduction["category"], "calligraphy-painting");
    assert_eq!(reproduction["materials"], json!(["paper"]));
    assert_eq!(reproduction["reproduction"]["original"], "李琦《毛主席走遍全国》原作");

    let scroll_input = json!({
        "donation_id": donation_id,
        "title": {"zh": "黎澍书陆游《村饮》诗"},
        "makers": [{"name": "黎澍", "role": "书写者"}],
        "date": "约1923年",
        "inscriptions": [{"kind": "dedication", "text": "晓缘仁兄", "position": "上款", "note": "「晓缘仁兄」即李书城"}],
        "provenance": [
            {"owner": "李书城", "party_id": li_shucheng_id, "method": "gift", "date": "约1923年"},
            {"owner": "李书城后人", "method": "by_descent"},
            {"owner": "李振亚", "party_id": donor_id, "method": "gift", "date": "2023"}
        ],
        "private": {"storage_location": "库房A-3-12", "internal_notes": "待装裱"}
    });
    let scroll = app.create("/api/v1/artefacts", scroll_input.clone()).await;
    assert_eq!(scroll["accession_number"], "2023.15.2");

    let read = app.read("/api/v1/artefacts/2023.15.2").await;
    assert_eq!(read, scroll, "what was stored is what is read");
    assert_eq!(read["date"], json!({"text": "约1923年", "earliest": 1923, "latest": 1923, "qualifier": "circa"}));
    assert_eq!(read["inscriptions"], scroll_input["inscriptions"]);
    assert_eq!(read["private"], scroll_input["private"]);
    let owners: Vec<&str> =
        read["provenance"].as_array().unwrap().iter().map(|p| p["owner"].as_str().unwrap()).collect();
    assert_eq!(owners, ["李书城", "李书城后人", "李振亚"]);
    assert_eq!(read["provenance"][1]["method"], "by_descent");

    let donor_read = app.read(&format!("/api/v1/parties/{donor_id}")).await;
    for key in ["name", "relations", "naming_consent", "credit_line", "contact"] {
        assert_eq!(donor_read[key], donor_input[key], "party field {key}");
    }

    let items = app.read(&format!("/api/v1/artefacts?donation={donation_id}")).await;
    let numbers: Vec<&Value> = items["items"].as_array().unwrap().iter().map(|a| &a["accession_number"]).collect();
    assert_eq!(numbers, [&json!("2023.15.1"), &json!("2023.15.2")]);
    let by_donor = app.read(&format!("/api/v1/artefacts?donor={donor_id}")).await;
    assert_eq!(by_donor["total"], 2);
    let donations = app.read(&format!("/api/v1/donations?donor={donor_id}")).await;
    assert_eq!(donations["items"][0]["venue"], "中共一大纪念馆初心讲堂");
}
