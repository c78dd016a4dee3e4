//! Every workspace page speaks the museum's language: walked link by link in Chinese
//! and in English, no page shows a program's code (a status, role, action, image role,
//! kind of record or field name as the program writes it), a time in UTC, or a phrase of
//! the interface in the other language.

use std::collections::{BTreeSet, VecDeque};

use catalogue::model::role::Role;
use scraper::{Html, Selector};

use super::signed_in;
use crate::helpers::TestApp;

/// The codes no screen may show (`tests/fixtures/screen-codes.json`): `codes` in either
/// language, `word_codes` (English words too) on a Chinese page.
fn screen_codes() -> (Vec<String>, Vec<String>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/screen-codes.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let list = |k: &str| v[k].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    (list("codes"), list("word_codes"))
}

/// The text a person reads on a page: its text nodes, the options of its lists and the
/// labels of its buttons; not the values typed into its fields (those are the record's),
/// nor what a page marks as an identifier to copy (`<code>`: a vocabulary term's code
/// on the page that defines it, an API token).
fn visible_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let body = Selector::parse("body").unwrap();
    let mut out = String::new();
    for b in doc.select(&body) {
        for node in b.descendants() {
            let Some(t) = node.value().as_text() else { continue };
            if node.ancestors().any(|a| a.value().as_element().is_some_and(|e| e.name() == "code")) {
                continue;
            }
            out.push_str(t);
            out.push('\n');
        }
    }
    out
}

/// The interface's own words in each language: every `t("中文", "English")` and
/// `l("中文", "English")` pair of the workspace's templates and code. Only phrases are kept
/// (four or more Chinese characters; three or more English words), which a record's own
/// text does not happen to hold.
fn interface_phrases() -> (BTreeSet<String>, BTreeSet<String>) {
    let pair = regex::Regex::new(r#"\b[tl]\(\s*"([^"]+)",\s*"([^"]+)"\s*\)"#).unwrap();
    let (mut zh, mut en) = (BTreeSet::new(), BTreeSet::new());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs =
        vec![root.join("assets/templates/admin"), root.join("src/web/workspace"), root.join("src/web/labels")];
    while let Some(p) = dirs.pop() {
        if p.is_dir() {
            dirs.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for c in pair.captures_iter(&text) {
            let (z, e) = (c[1].trim(), c[2].trim());
            if z.chars().filter(|ch| ('\u{4e00}'..='\u{9fff}').contains(ch)).count() >= 4 && !z.contains('{') {
                zh.insert(z.to_string());
            }
            if e.split_whitespace().count() >= 3 && !e.contains('{') && z != e {
                en.insert(e.to_string());
            }
        }
    }
    (zh, en)
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).filter(|w| !w.is_empty())
}

/// Links to workspace pages a person can open (not downloads, not signing out).
fn links(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let a = Selector::parse("a[href]").unwrap();
    doc.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .filter(|h| h.starts_with("/admin") && !h.contains(".csv") && !h.contains('#'))
        .map(|h| h.split('?').next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn no_workspace_page_shows_a_code_or_the_other_language() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    // A change with a history, and an import in the log.
    let version = app.read("/api/v1/artefacts/2023.15.2").await["version"].clone();
    let res = app
        .patch_json(
            "/api/v1/artefacts/2023.15.2",
            &app.curator,
            &serde_json::json!({"version": version, "credit_line": "李振亚捐赠", "technique": "水墨"}),
        )
        .await;
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    // An inventory check with a discrepancy, so its page and report are walked too.
    let check = app.state.start_check("test", "B1-K2", Some("年度盘点")).unwrap();
    app.state.mark_check("test", check.id, &[("2023.15.1".into(), catalogue::catalogue::Mark::Found, None)]).unwrap();
    let (mut b, _) = signed_in(&app, "boss", Role::Admin).await;
    // A setting changed, for the activity log.
    let users = b.get("/admin/users").await;
    let saved = b.submit(&users, "form.locations-setting", &[("researchers_see_locations", "on")]).await;
    assert_eq!(saved.status, reqwest::StatusCode::SEE_OTHER);

    let (codes, word_codes) = screen_codes();
    let (zh_phrases, en_phrases) = interface_phrases();
    assert!(zh_phrases.len() > 150 && en_phrases.len() > 100, "{} {}", zh_phrases.len(), en_phrases.len());
    assert!(codes.len() > 10 && word_codes.len() > 10);
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/admin".to_string()]);
    let mut problems = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 120 {
            continue;
        }
        for lang in ["zh", "en"] {
            let page = b.get(&format!("{path}?lang={lang}")).await;
            assert!(page.status.is_success(), "{path}?lang={lang}: {}", page.status);
            let text = visible_text(&page.body);
            for w in words(&text) {
                if codes.iter().any(|c| c == w) || (lang == "zh" && word_codes.iter().any(|c| c == w)) {
                    let at = text.find(w).unwrap_or(0);
                    let around: String =
                        text[text.floor_char_boundary(at.saturating_sub(60))..].chars().take(90).collect();
                    problems.push(format!("{path}?lang={lang}: `{w}` in …{}…", around.replace('\n', " ")));
                }
            }
            // The interface in the other language, outside the record's own text.
            let other = if lang == "zh" { &en_phrases } else { &zh_phrases };
            for phrase in other.iter().filter(|p| text.contains(p.as_str())) {
                problems.push(format!("{path}?lang={lang}: “{phrase}” from the other language"));
            }
            if lang == "en" {
                queue.extend(links(&page.body));
            }
        }
    }
    assert!(seen.len() >= 10, "walked only {seen:?}");
    for walked in ["/admin/locations", "/admin/locations/B1-K2", "/admin/inventory", "/admin/inventory/1"] {
        assert!(seen.contains(walked), "{walked} was not walked: {seen:?}");
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "codes on screen:\n{}", problems.join("\n"));
}
