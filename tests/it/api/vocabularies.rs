//! The controlled vocabularies are public.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_census_vocabularies_are_listed_in_chinese_and_english() {
    let app = TestApp::spawn().await;
    let all: Value = app.get("/api/v1/vocabularies").send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> = all.as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["category", "material", "acquisition_method", "completeness", "preservation", "grade", "period"]
    );
    let category: Value = app.get("/api/v1/vocabularies/category").send().await.unwrap().json().await.unwrap();
    assert_eq!(category["zh"], "类别");
    assert_eq!(category["terms"].as_array().unwrap().len(), 35);
    let periods: Value = app.get("/api/v1/vocabularies/period").send().await.unwrap().json().await.unwrap();
    let republic = periods["terms"].as_array().unwrap().iter().find(|t| t["zh"] == "中华民国").unwrap();
    assert_eq!((republic["earliest"].as_i64(), republic["latest"].as_i64()), (Some(1912), Some(1949)));
    let res = app.get("/api/v1/vocabularies/colours").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap().contains("category"));
}

/// A term renamed by an administrator reaches the search indexes at once, through
/// the outbox: the records that use it are found by the new name, with no restart.
#[tokio::test]
async fn a_renamed_term_reaches_the_records_that_use_it_in_search() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        serde_json::json!({"accession_number": "2024.3.1", "title": {"zh": "山水册页"}, "category": "calligraphy-painting", "status": "published"}),
    )
    .await;
    let waited = app.until_found("山水册页", None, "2024.3.1", std::time::Duration::from_secs(10)).await;
    assert!(waited.is_some());
    assert!(app.found("翰墨丹青", None).await.is_empty(), "not a label yet");

    let vocab = app.state.vocabularies();
    let mut term = vocab.resolve("category", "calligraphy-painting").unwrap().clone();
    term.aliases.push("翰墨丹青".into());
    app.state.save_term("admin", "category", &term).unwrap();
    let found = app.until_found("翰墨丹青", None, "2024.3.1", std::time::Duration::from_secs(10)).await;
    assert!(found.is_some(), "the record was indexed again with the term's new alias");
}
