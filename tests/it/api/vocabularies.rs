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
