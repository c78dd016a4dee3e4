//! `/static/`: the site's own files and the vendored viewers.

use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn static_files_and_the_vendored_viewers_are_served() {
    let app = TestApp::spawn().await;
    for (path, ct) in [
        ("/static/site.css", "text/css"),
        ("/static/vendor/openseadragon/openseadragon.min.js", "javascript"),
        ("/static/vendor/mirador/mirador.min.js", "javascript"),
        ("/static/mirador.html", "text/html"),
    ] {
        let res = app.get(path).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(res.headers()["content-type"].to_str().unwrap().contains(ct), "{path}");
    }
    assert_eq!(app.get("/static/../Cargo.toml").send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/static/nope.js").send().await.unwrap().status(), StatusCode::NOT_FOUND);
}
