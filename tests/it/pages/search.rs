//! `/search`: results, facets, hints and refusals.

use reqwest::StatusCode;

use super::visit;
use crate::helpers::TestApp;

#[tokio::test]
async fn search_results_have_facets_that_combine_and_come_off() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let page = visit(&app, "/search?q=%E6%9D%8E%E6%9B%B8%E5%9F%8E", &[]).await; // 李書城, Traditional
    assert_eq!(page.status, StatusCode::OK);
    let links = page.attr("ol.hits h3 a", "href");
    assert!(links.iter().any(|h| h.starts_with("/objects/2023.15.2")), "{links:?}");
    assert!(page.one(".total").parse::<u64>().unwrap() >= 2);
    assert!(!page.all("ol.hits .snippet mark").is_empty(), "matches are highlighted");
    let facet_groups = page.all(".facet h3");
    assert!(facet_groups.contains(&"类别".to_string()), "{facet_groups:?}");
    let donations = page.all("section.facet[aria-labelledby=facet-donation] a");
    assert!(donations.iter().all(|d| d.contains("捐赠")), "donations by their occasion, not their id: {donations:?}");
    let has_image = page.all("section.facet[aria-labelledby=facet-has_image] a");
    assert_eq!(has_image, vec!["无"], "the seed items have no scans yet");

    // Browse everything, then narrow by a category and by having an image.
    let all = visit(&app, "/search?lang=en", &[]).await;
    let total: u64 = all.one(".total").parse().unwrap();
    assert!(total >= 300, "{total}");
    assert!(!all.all("nav.pagination a[rel=next]").is_empty(), "results come in pages");
    let category = all.attr("section.facet[aria-labelledby=facet-category] a", "href")[0].clone();
    let narrowed = visit(&app, &category, &[]).await;
    let n1: u64 = narrowed.one(".total").parse().unwrap();
    assert!(n1 < total && n1 > 0);
    assert_eq!(narrowed.all(".active a.chip").len(), 1);
    let with_image = narrowed
        .attr("section.facet[aria-labelledby=facet-has_image] a", "href")
        .into_iter()
        .find(|h| h.contains("has_image%3Ayes"));
    if let Some(href) = with_image {
        let both = visit(&app, &href, &[]).await;
        assert_eq!(both.all(".active a.chip").len(), 2, "filters combine");
        assert!(both.one(".total").parse::<u64>().unwrap() <= n1);
    }
    // Removing the filter gives everything back.
    let removed = visit(&app, &narrowed.attr(".active a.chip", "href")[0], &[]).await;
    assert_eq!(removed.one(".total").parse::<u64>().unwrap(), total);
    // Sort and page stay in the URL.
    let sorted = visit(&app, "/search?sort=date&page=2&lang=en", &[]).await;
    assert_eq!(sorted.attr("select#sort option[selected]", "value"), vec!["date"]);
    assert_eq!(sorted.one("nav.pagination [aria-current=page]"), "2");
}

#[tokio::test]
async fn no_results_says_so_with_hints_and_bad_requests_are_400_pages() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let page = visit(&app, "/search?q=%E6%97%A0%E6%AD%A4%E8%97%8F%E5%93%81%E4%B9%A6%E5%9F%8E", &[]).await; // 无此藏品书城
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.one(".total"), "0");
    assert!(page.one(".empty").contains("没有找到"));
    let other = page.all("a.other-script");
    assert!(other.iter().any(|o| o.contains("書城")), "the query in Traditional characters: {other:?}");
    let bad = visit(&app, "/search?filter=secret:1", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.one("main p").contains("secret"));
    let missing = visit(&app, "/no/such/page", &[("Accept-Language", "en")]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.one("h1"), "Not found");
}

#[tokio::test]
async fn a_date_range_narrows_without_scripts_and_shows_as_a_chip() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let all = visit(&app, "/search?lang=en", &[]).await;
    let total: u64 = all.one(".total").parse().unwrap();
    assert_eq!(all.attr("section.years input[name=from]", "value"), vec![""], "a plain form, empty");
    // The form's two fields, as a browser without scripts sends them.
    let range = visit(&app, "/search?q=&from=1900&to=1930&lang=en", &[]).await;
    assert_eq!(range.status, StatusCode::OK);
    let n: u64 = range.one(".total").parse().unwrap();
    assert!(n > 0 && n < total, "{n} of {total}");
    assert_eq!(
        range.all(".active a.chip").iter().map(|c| c.replace('×', "").trim().to_string()).collect::<Vec<_>>(),
        ["Date range: 1900–1930"]
    );
    assert_eq!(range.attr("section.years input[name=from]", "value"), vec!["1900"], "the range stays in its fields");
    assert_eq!(range.attr("section.years input[name=to]", "value"), vec!["1930"]);
    // The same as the fielded syntax, and one end is enough.
    let fielded = visit(&app, "/search?filter=year%3A1900..1930&lang=en", &[]).await;
    assert_eq!(fielded.one(".total").parse::<u64>().unwrap(), n);
    let before = visit(&app, "/search?to=1930&lang=en", &[]).await;
    assert!(before.one(".total").parse::<u64>().unwrap() >= n);
    // Removing the chip gives everything back.
    let removed = visit(&app, &range.attr(".active a.chip", "href")[0], &[]).await;
    assert_eq!(removed.one(".total").parse::<u64>().unwrap(), total);
    // A year that is not one, or a range that runs backwards: a 400 page that says what to fix.
    for bad in ["/search?from=nineteen", "/search?from=1930&to=1900"] {
        let page = visit(&app, bad, &[]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(page.text.contains("1900") || page.text.contains("nineteen"), "{}", page.text);
    }
}

#[tokio::test]
async fn results_show_as_a_grid_or_a_list_with_as_many_a_page_as_asked() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let list = visit(&app, "/search?lang=en", &[]).await;
    let total: u64 = list.one(".total").parse().unwrap();
    assert!(total > 100, "{total}");
    assert_eq!(list.all("ol.hits > li").len(), 20, "twenty a page unless asked");
    assert!(list.all("ol.hits.grid").is_empty());
    assert_eq!(list.all(".view-choice a[aria-current]"), ["List"]);
    // The grid keeps the query and filters; its links keep the grid.
    let grid_href = list.attr(".view-choice a", "href").into_iter().find(|h| h.contains("view=grid")).unwrap();
    let grid = visit(&app, &grid_href, &[]).await;
    assert_eq!(grid.all("ol.hits.grid > li").len(), 20);
    assert_eq!(grid.all(".view-choice a[aria-current]"), ["Grid"]);
    let next = grid.attr("a[rel=next]", "href");
    assert!(next[0].contains("view=grid") && next[0].contains("page=2"), "{next:?}");
    assert!(grid.attr("form.sort input[name=view]", "value") == ["grid"], "the sort form keeps the view");
    // A hundred a page, and fewer pages.
    let hundred = list.attr(".per-page a", "href").into_iter().find(|h| h.contains("per_page=100")).unwrap();
    let big = visit(&app, &hundred, &[]).await;
    assert_eq!(big.all("ol.hits > li").len() as u64, total.min(100));
    assert_eq!(big.all(".per-page a[aria-current]"), ["100"]);
    let last: u32 =
        big.all("nav.pagination a, nav.pagination span").iter().filter_map(|p| p.parse().ok()).max().unwrap();
    assert_eq!(u64::from(last), total.div_ceil(100));
    // What a page cannot show: a 400 that says what to write.
    for (bad, says) in
        [("per_page=7", "20, 50 or 100"), ("view=mosaic", "view=grid"), ("per_page=100&page=200", "too deep")]
    {
        let page = visit(&app, &format!("/search?{bad}"), &[]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(page.text.contains(says), "{bad}: {}", page.text);
    }
}
