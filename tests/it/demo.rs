//! The demo catalogue.

use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_demo_catalogue_loads_once_with_the_seed_donation_and_real_records() {
    let app = TestApp::spawn().await;
    let first = app.state.load_demo().unwrap();
    assert_eq!((first.parties, first.donations), (7, 1));
    assert!(first.artefacts >= 300, "{first:?}");
    let written = app.written();
    let second = app.state.load_demo().unwrap();
    assert_eq!((second.parties, second.donations, second.artefacts), (0, 0, 0));
    assert_eq!(app.written(), written, "a second load writes nothing");

    // What a visitor sees of the seed donation.
    let scroll: Value = app.get("/api/v1/artefacts/2023.15.2").send().await.unwrap().json().await.unwrap();
    assert_eq!(scroll["inscriptions"][0]["text"], "晓缘仁兄");
    assert_eq!(scroll["credit_line"], "李振亚先生捐赠");
    assert_eq!(scroll["date"]["earliest"], 1923);
    let copy: Value = app.get("/api/v1/artefacts/2023.15.1").send().await.unwrap().json().await.unwrap();
    assert!(copy["reproduction"]["note"].as_str().unwrap().contains("1:1"));
    assert!(copy.get("dimensions").is_none(), "the report gives no dimensions, so none are recorded");

    // The donor and his relation to 李书城.
    let donors = app.read("/api/v1/parties?name=李振亚").await;
    let relation = &donors["items"][0]["relations"][0];
    assert_eq!(relation["kind"], "descendant_of");
    let li_shucheng = app.read(&format!("/api/v1/parties/{}", relation["party_id"])).await;
    assert_eq!(li_shucheng["name"]["zh"], "李书城");

    // Real records keep their numbers, sources and licences.
    let npm: Value = app.get("/api/v1/artefacts?per_page=200").send().await.unwrap().json().await.unwrap();
    let items = npm["items"].as_array().unwrap();
    let palace =
        items.iter().find(|a| a["accession_number"].as_str().unwrap().contains('贈')).expect("a Palace Museum gift");
    assert_eq!(palace["record_source"]["attribution"], "國立故宮博物院");
    assert_eq!(palace["acquisition_method"], "gift");
}
