//! Search through the API: Chinese in both scripts, pinyin, English, privacy, facets.

use std::time::Duration;

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn the_seed_case_is_found_by_every_way_a_researcher_types_it() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let cases = [
        ("李书城", "2023.15.2"),
        ("李書城", "2023.15.2"),
        ("li shucheng", "2023.15.2"),
        ("lishucheng", "2023.15.2"),
        ("lsc", "2023.15.2"),
        ("晓缘仁兄", "2023.15.2"),
        ("曉緣仁兄", "2023.15.2"),
        ("村饮", "2023.15.2"),
        ("村飲", "2023.15.2"),
        ("陆游", "2023.15.2"),
        ("毛主席走遍全国", "2023.15.1"),
        ("毛主席走遍全國", "2023.15.1"),
    ];
    for (q, first) in cases {
        let found = app.found(q, None).await;
        assert_eq!(found.first().map(String::as_str), Some(first), "{q}: {found:?}");
    }
    let donor = app.found("李振亚", None).await;
    assert_eq!(
        donor[..2].iter().collect::<std::collections::BTreeSet<_>>(),
        ["2023.15.1".to_string(), "2023.15.2".to_string()].iter().collect()
    );
}

#[tokio::test]
async fn hits_carry_snippets_of_the_original_text_with_marks() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.1.1", "title": {"zh": "銅鍍金七政寶"}, "description": {"zh": "<b>舊藏</b> 曉緣仁兄 & 友"}, "status": "published"}),
    )
    .await;
    app.until_found("晓缘", None, "2023.1.1", Duration::from_secs(5)).await.expect("indexed");
    let v = app.search("晓缘仁兄", None).await;
    let snippet = v["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>曉緣"), "Traditional stays Traditional: {snippet}");
    assert!(snippet.contains("&lt;b&gt;舊藏&lt;/b&gt;") && snippet.contains("&amp;"), "escaped: {snippet}");
    let v = app.search("铜镀金", None).await;
    assert!(v["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"), "{v}");
}

#[tokio::test]
async fn a_write_is_searchable_within_one_second_and_changes_follow() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.9.1", "title": {"zh": "初心讲堂纪念册"}, "status": "published"}),
    )
    .await;
    let took = app.until_found("初心讲堂", None, "2023.9.1", Duration::from_secs(1)).await;
    assert!(took.is_some(), "searchable within a second");

    let res = app
        .patch_json("/api/v1/artefacts/2023.9.1", &app.curator, &json!({"version": 1, "title": {"zh": "纪念徽章"}}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    app.until_found("纪念徽章", None, "2023.9.1", Duration::from_secs(1)).await.expect("the new title is found");
    assert!(app.found("初心讲堂", None).await.is_empty(), "the old title is gone");

    let res =
        app.patch_json("/api/v1/artefacts/2023.9.1", &app.curator, &json!({"version": 2, "status": "internal"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let researcher = app.user("reader", Role::Researcher);
    app.until_found("纪念徽章", Some(&researcher), "2023.9.1", Duration::from_secs(1))
        .await
        .expect("staff still find it");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.found("纪念徽章", None).await.is_empty(), "the public no longer finds an unpublished artefact");
    let hit = &app.search("纪念徽章", Some(&researcher)).await["hits"][0];
    assert_eq!(hit["status"], "internal", "marked as such for staff");
}

#[tokio::test]
async fn private_values_are_never_matched_suggested_or_shown_to_the_public() {
    let app = TestApp::spawn().await;
    let donor = app
        .create("/api/v1/parties", json!({"name": {"zh": "捐赠人甲"}, "naming_consent": false, "contact": {"phone": "13900001234", "address": "秘密路九号"}}))
        .await;
    let donation =
        app.create("/api/v1/donations", json!({"number": 3, "year": 2024, "donor_ids": [donor["id"]]})).await;
    app.create(
        "/api/v1/artefacts",
        json!({"donation_id": donation["id"], "title": {"zh": "青花瓷盘"}, "status": "published",
               "private": {"storage_location": "库房密柜七号", "internal_notes": "估价待议保密"}}),
    )
    .await;
    app.until_found("青花瓷盘", None, "2024.3.1", Duration::from_secs(5)).await.expect("indexed");
    let researcher = app.user("reader", Role::Researcher);
    for secret in ["库房密柜", "估价待议", "秘密路", "13900001234", "捐赠人甲"] {
        assert!(app.found(secret, None).await.is_empty(), "the public found {secret}");
        let public = app.search(secret, None).await.to_string();
        assert!(!public.contains(secret), "{public}");
        if secret != "捐赠人甲" {
            assert!(app.found(secret, Some(&researcher)).await.is_empty(), "a researcher found {secret}");
        }
    }
    let everything = app.search("", None).await.to_string();
    for secret in ["库房密柜", "估价待议", "秘密路", "13900001234", "捐赠人甲"] {
        assert!(!everything.contains(secret), "a facet or hit showed {secret}: {everything}");
    }
    let suggest: Value =
        app.get("/api/v1/suggest").query(&[("q", "捐赠人")]).send().await.unwrap().json().await.unwrap();
    assert_eq!(suggest["suggestions"], json!([]), "an anonymous donor is not suggested");
    // Curators find by private values; researchers see the donor's name but not the contact.
    assert_eq!(app.found("库房密柜", Some(&app.curator)).await, ["2024.3.1"]);
    assert_eq!(app.found("捐赠人甲", Some(&researcher)).await, ["2024.3.1"]);
}

#[tokio::test]
async fn traditional_simplified_full_width_and_accession_numbers_are_equivalent() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.15.7", "title": {"zh": "ABC123號 铜鎏金佛像"}, "status": "published"}),
    )
    .await;
    app.until_found("佛像", None, "2023.15.7", Duration::from_secs(5)).await.expect("indexed");
    for q in ["銅鎏金", "铜鎏金", "ＡＢＣ１２３", "abc123", "2023.15.7", "accession:2023.15.7", "佛"] {
        assert_eq!(app.found(q, None).await.first().map(String::as_str), Some("2023.15.7"), "{q}");
    }
    assert!(app.found("2023.15", None).await.is_empty(), "an accession number is one token");
}

#[tokio::test]
async fn english_queries_fold_case_diacritics_and_plurals() {
    let app = TestApp::spawn().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2023.2.1", "title": {"en": "Paris Vineyards"}, "makers": [{"name": "Brassaï"}], "status": "published"}),
    )
    .await;
    app.until_found("paris", None, "2023.2.1", Duration::from_secs(5)).await.expect("indexed");
    for q in ["brassai", "BRASSAÏ", "vineyard", "vineyards paris"] {
        assert_eq!(app.found(q, None).await, ["2023.2.1"], "{q}");
    }
}

#[tokio::test]
async fn names_are_found_as_an_ascii_keyboard_types_them_with_typos_and_initials() {
    let app = TestApp::spawn().await;
    for (accession, title, maker) in [
        ("2023.3.1", "Untitled from the Museum in Progress project", "C. & I. Hohenbüchler"),
        ("2023.3.2", "Cardinal", "Paweł Althamer"),
        ("2023.3.3", "Costume design", "Kenneth Rowell"),
        ("2023.3.4", "Rain, Steam and Speed", "J.M.W. Turner"),
        ("2023.3.5", "Sketch", "Søren Ærø"),
    ] {
        let body = json!({"accession_number": accession, "title": {"en": title}, "makers": [{"name": maker}], "status": "published"});
        app.create("/api/v1/artefacts", body).await;
    }
    app.until_found("cardinal", None, "2023.3.2", Duration::from_secs(5)).await.expect("indexed");
    app.until_found("sketch", None, "2023.3.5", Duration::from_secs(5)).await.expect("indexed");
    for (q, first) in [
        ("c. & i. hohenbuchler", "2023.3.1"),
        ("C. & I. Hohenbüchler", "2023.3.1"),
        ("pawel althamer", "2023.3.2"),
        ("Paweł", "2023.3.2"),
        ("j.m.w. turner", "2023.3.4"),
        ("soren aero", "2023.3.5"),
        // One letter swapped, dropped or replaced.
        ("kenenth rowell", "2023.3.3"),
        ("kenneth rowel", "2023.3.3"),
        ("althamr", "2023.3.2"),
    ] {
        let found = app.found(q, None).await;
        assert_eq!(found.first().map(String::as_str), Some(first), "{q}: {found:?}");
    }
    // A query with a typo is answered for the word meant, and says so.
    let v = app.search("kenenth rowell", None).await;
    assert_eq!(v["suggestion"], "kenneth rowell", "{v}");
    // A word the index holds is never corrected, and a short word has no typos.
    let v = app.search("kenneth rowell", None).await;
    assert!(v.get("suggestion").is_none(), "{v}");
    assert!(app.found("sren", None).await.is_empty(), "a word of four letters is not corrected");
    assert!(app.found("turnr", None).await.first().is_some_and(|a| a == "2023.3.4"), "five letters, one edit");
    assert!(app.found("2023.3.9", None).await.is_empty(), "numbers are never corrected");
}

#[tokio::test]
async fn a_name_that_finds_nothing_is_offered_the_one_that_reads_or_looks_the_same() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let v = app.search("李書誠", None).await;
    assert_eq!(v["suggestion"], "李书城", "{v}");
    let offered = app.found("李书城", None).await;
    assert_eq!(offered.first().map(String::as_str), Some("2023.15.2"));
    // A character that looks alike (季 for 李, which reads otherwise), and one that
    // looks alike and reads the same (诚 for 城), in the script typed or the other.
    for typed in ["季书城", "季書城", "李书诚", "季书诚"] {
        let v = app.search(typed, None).await;
        assert_eq!(v["total"], 0, "{typed}: {v}");
        assert_eq!(v["suggestion"], "李书城", "{typed}: {v}");
    }
    // A query that finds records is not second-guessed.
    assert!(app.search("李书城", None).await.get("suggestion").is_none());
    // Nothing that reads alike: no suggestion.
    assert!(app.search("鑫鑫鑫", None).await.get("suggestion").is_none());
    // The public results page offers it as a link, in the page's language.
    let page = app.get("/search?q=%E6%9D%8E%E6%9B%B8%E8%AA%A0").send().await.unwrap().text().await.unwrap();
    assert!(page.contains("您是不是要找") && page.contains("class=\"suggestion\""), "{page}");
    let page = app.get("/search?q=%E6%9D%8E%E6%9B%B8%E8%AA%A0&lang=en").send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Did you mean"), "{page}");
}

#[tokio::test]
async fn english_finds_chinese_only_records_and_chinese_finds_english_ones() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    for (accession, body) in [
        ("2023.4.1", json!({"title": {"zh": "銅鏡"}})),
        ("2023.4.2", json!({"title": {"en": "Bronze mirror with grapes"}})),
        ("2023.4.3", json!({"title": {"zh": "乾隆款掐絲琺瑯瓶"}})),
    ] {
        let mut body = body;
        body["accession_number"] = json!(accession);
        body["status"] = json!("published");
        app.create("/api/v1/artefacts", body).await;
    }
    app.until_found("grapes", None, "2023.4.2", Duration::from_secs(5)).await.expect("indexed");
    app.until_found("乾隆", None, "2023.4.3", Duration::from_secs(5)).await.expect("indexed");
    // The English record first, then the Chinese one the bridge names.
    assert_eq!(app.found("bronze mirror", None).await[..2], ["2023.4.2", "2023.4.1"]);
    assert_eq!(app.found("铜镜", None).await[..2], ["2023.4.1", "2023.4.2"]);
    for q in ["Qianlong", "cloisonne vase", "Ch'ien-lung"] {
        let found = app.found(q, None).await;
        assert!(found.contains(&"2023.4.3".to_string()), "{q}: {found:?}");
    }
    // The snippet of a bridged hit marks the Chinese word that matched.
    let v = app.search("cloisonne", None).await;
    let snippet = v["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<mark>掐絲琺瑯</mark>"), "{snippet}");
    // The seed case's calligraphy, by its English name.
    assert!(app.found("calligraphy", None).await.contains(&"2023.15.2".to_string()));
}

#[tokio::test]
async fn facets_count_and_filter_and_fielded_syntax_narrows() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let v = app.search("", None).await;
    let categories = v["facets"]["category"].as_array().unwrap();
    assert!(
        categories.iter().any(|c| c["value"] == "calligraphy-painting" && c["count"].as_u64().unwrap() >= 2),
        "{categories:?}"
    );
    let donors = v["facets"]["donor"].as_array().unwrap();
    assert_eq!(donors, &vec![json!({"value": "李振亚", "count": 2})]);
    let filtered =
        app.search_with(&[("q", ""), ("filter", "donor:李振亚"), ("filter", "category:calligraphy-painting")]).await;
    assert_eq!(filtered["total"], 2);
    assert_eq!(app.found("donor:李振亚 year:1900..1930", None).await, ["2023.15.2"]);
    assert_eq!(app.found("陆游 OR 毛主席", None).await.len(), 2);
    assert_eq!(app.found("李振亚 NOT 陆游", None).await, ["2023.15.1"]);
    // A record without a period is faceted by the one its date names (清乾隆 → 乾隆).
    let qing = app.search("清", None).await;
    let periods = qing["facets"]["period"].as_array().unwrap();
    let qianlong = periods.iter().find(|p| p["value"] == "qianlong").unwrap_or_else(|| panic!("{periods:?}"));
    let by_period = app.search_with(&[("q", "清"), ("filter", "period:qianlong")]).await;
    assert_eq!(by_period["total"], qianlong["count"], "the filter finds what the facet counts");
    let sorted = app.search_with(&[("q", "李振亚"), ("sort", "accession")]).await;
    assert_eq!(sorted["hits"][0]["accession"], "2023.15.1");
}

#[tokio::test]
async fn bad_query_syntax_never_fails_but_bad_parameters_are_400() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    for q in ["\"unclosed", "year:abc", "AND", "OR OR", "((", "donor:", ":::", "-", "NOT NOT", "\u{0}\u{fffd}"] {
        let res = app.get("/api/v1/search").query(&[("q", q)]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{q:?}");
    }
    assert_eq!(
        app.found("\"村饮", None).await.first().map(String::as_str),
        Some("2023.15.2"),
        "falls back to plain terms"
    );
    for (k, v) in [
        ("sort", "best"),
        ("page", "0"),
        ("per_page", "500"),
        ("filter", "colour:red"),
        ("filter", "nocolon"),
        ("bogus", "1"),
    ] {
        let res = app.get("/api/v1/search").query(&[(k, v)]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{k}={v}");
        assert_eq!(res.json::<Value>().await.unwrap()["code"], "invalid_query");
    }
}

#[tokio::test]
async fn suggestions_complete_titles_makers_and_donors_in_either_script_or_pinyin() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    for (q, expected) in [
        ("毛主", "《毛主席走遍全国》复制件"),
        ("黎", "黎澍"),
        ("李振", "李振亚"),
        ("lizhen", "李振亚"),
        ("黎澍書", "黎澍书陆游《村饮》诗"),
    ] {
        let v: Value = app.get("/api/v1/suggest").query(&[("q", q)]).send().await.unwrap().json().await.unwrap();
        let s: Vec<&str> = v["suggestions"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        assert!(s.contains(&expected), "{q}: {s:?}");
    }
}

/// Every term of every field of an index, as text.
fn all_terms(index: &catalogue::search::index::SearchIndex) -> Vec<String> {
    let searcher = index.reader.searcher();
    let schema = index.index.schema();
    let mut out = Vec::new();
    for (field, entry) in schema.fields() {
        if !entry.is_indexed() {
            continue;
        }
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).unwrap();
            let mut stream = inverted.terms().stream().unwrap();
            while stream.advance() {
                out.push(String::from_utf8_lossy(stream.key()).to_string());
            }
        }
    }
    out
}

#[tokio::test]
async fn the_public_index_holds_no_term_of_a_private_value() {
    let app = TestApp::spawn().await;
    let donor =
        app.create("/api/v1/parties", json!({"name": {"zh": "无名氏"}, "contact": {"phone": "13900001234"}})).await;
    let donation = app
        .create(
            "/api/v1/donations",
            json!({"number": 4, "year": 2024, "donor_ids": [donor["id"]], "internal_notes": "捐赠协议另附"}),
        )
        .await;
    app.create(
        "/api/v1/artefacts",
        json!({"donation_id": donation["id"], "title": {"zh": "青花瓷盘"}, "status": "published",
               "private": {"storage_location": "库房密柜七号", "internal_notes": "估价待议", "insurance": "保单XK2024"},
               "provenance": [{"owner": "某私人藏家", "public": false}]}),
    )
    .await;
    app.until_found("青花瓷盘", None, "2024.4.1", Duration::from_secs(5)).await.expect("indexed");
    let indexes = app.indexes_on_disk();
    let public = all_terms(&indexes.public).join("\n");
    let internal = all_terms(&indexes.internal).join("\n");
    for secret in ["密柜", "七号", "估价", "待议", "xk2024", "13900001234", "协议", "无名", "私人", "藏家"]
    {
        assert!(!public.contains(secret), "the public index holds {secret}");
        assert!(internal.contains(secret), "the internal index holds {secret} (so this test can fail)");
    }
    assert!(public.contains("青花"), "the public index holds the public title");
}

/// Found by fuzzing: a page number near 2^32 made the search reserve memory for billions of
/// results and the process abort. Deep pages are refused with a 400 that says what to do.
#[tokio::test]
async fn a_page_beyond_the_first_ten_thousand_results_is_refused_not_attempted() {
    let app = crate::helpers::TestApp::spawn().await;
    for query in ["page=4294967295", "page=501&per_page=20", "page=51&per_page=200"] {
        let res = app.get(&format!("/api/v1/search?q=&{query}")).send().await.unwrap();
        assert_eq!(res.status(), reqwest::StatusCode::BAD_REQUEST, "{query}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("10000"), "{body}");
    }
    let res = app.get("/api/v1/search?q=&page=50&per_page=200").send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK, "the last page of the window is served");
    assert_eq!(app.get("/healthz").send().await.unwrap().status(), reqwest::StatusCode::OK);
}
