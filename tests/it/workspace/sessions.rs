//! Signing in and out: cookies, rotation, expiry, CSRF and throttling.

use catalogue::model::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use super::{Browser, PASSWORD, set, signed_in};
use crate::helpers::{DataDir, TestApp};

fn session_cookie(page: &super::Page) -> Option<&String> {
    page.set_cookies.iter().find(|c| c.starts_with("mc_session=") && !c.starts_with("mc_session=;"))
}

#[tokio::test]
async fn signing_in_rotates_the_session_and_signing_out_ends_it() {
    let app = TestApp::spawn().await;
    app.state.add_user("test", "wang", Role::Curator, Some(PASSWORD)).unwrap();
    let mut b = Browser::new(&app);

    // The workspace sends a stranger to sign in, and back afterwards.
    let page = b.get("/admin/tokens").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/login?next=%2Fadmin%2Ftokens"));

    // A session id planted before sign-in is not the one the user gets.
    b.cookies.insert("mc_session".into(), "planted-by-someone-else".into());
    let login = b.get(page.location.as_deref().unwrap()).await;
    let res = b.submit(&login, "form", &[("name", "wang"), ("password", PASSWORD)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some("/admin/tokens"));
    let cookie = session_cookie(&res).expect("a session cookie").clone();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP gets no Secure flag: {cookie}");
    let first = b.cookies["mc_session"].clone();
    assert_ne!(first, "planted-by-someone-else");
    assert_eq!(first.len(), 64, "256 random bits");
    assert_eq!(b.get("/admin").await.status, StatusCode::OK);

    // Signing in again (say, in a form left open in another tab) gives a new id and ends the old session.
    let session = b.cookies.remove("mc_session").unwrap();
    let login = b.get("/login").await;
    b.cookies.insert("mc_session".into(), session);
    let res = b.submit(&login, "form", &[("name", "wang"), ("password", PASSWORD)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let second = b.cookies["mc_session"].clone();
    assert_ne!(first, second);
    let mut old = Browser::new(&app);
    old.cookies.insert("mc_session".into(), first);
    assert_eq!(old.get("/admin").await.status, StatusCode::SEE_OTHER, "the old session no longer works");

    // Only a hash of the id is stored.
    let db = rusqlite::Connection::open(app.path().join("catalogue.sqlite3")).unwrap();
    let stored: String = db.query_row("SELECT id_hash FROM sessions", [], |r| r.get(0)).unwrap();
    assert_ne!(stored, second);

    // Signing out ends the session on the server, not only in this browser.
    let admin = b.get("/admin").await;
    let out = b.submit(&admin, "form.signout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(!b.cookies.contains_key("mc_session"), "the cookie is cleared");
    let mut replay = Browser::new(&app);
    replay.cookies.insert("mc_session".into(), second);
    assert_eq!(replay.get("/admin").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn cookies_are_secure_when_the_catalogue_is_served_over_tls() {
    let dir = DataDir::Temp(tempfile::tempdir().unwrap());
    let app = TestApp::spawn_with(dir, |c| c.public_url = Some("https://collection.example.org".into())).await;
    app.state.add_user("test", "wang", Role::Curator, Some(PASSWORD)).unwrap();
    let mut b = Browser::new(&app);
    let res = b.try_sign_in("wang", PASSWORD).await;
    let cookie = session_cookie(&res).expect("a session cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn sessions_end_when_idle_and_after_their_lifetime() {
    let app = TestApp::spawn().await;
    let (mut idle, _) = signed_in(&app, "idle", Role::Researcher).await;
    let (mut old, _) = signed_in(&app, "old", Role::Researcher).await;
    let db = rusqlite::Connection::open(app.path().join("catalogue.sqlite3")).unwrap();
    let ago = |h: i64| (chrono::Utc::now() - chrono::Duration::hours(h)).to_rfc3339();
    db.execute(
        "UPDATE sessions SET last_seen_at = ?1 WHERE user_id = (SELECT id FROM users WHERE name = 'idle')",
        [ago(3)],
    )
    .unwrap();
    db.execute(
        "UPDATE sessions SET created_at = ?1 WHERE user_id = (SELECT id FROM users WHERE name = 'old')",
        [ago(13)],
    )
    .unwrap();
    assert_eq!(idle.get("/admin").await.status, StatusCode::SEE_OTHER, "idle for 3 h (limit 2 h)");
    assert_eq!(old.get("/admin").await.status, StatusCode::SEE_OTHER, "13 h old (limit 12 h)");
    let left: i64 = db.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0, "expired sessions are removed");
}

#[tokio::test]
async fn forms_and_cookie_writes_without_the_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    let (mut b, dashboard) = signed_in(&app, "wang", Role::Curator).await;
    let before = app.written();

    // A form posted from elsewhere carries no token, or a wrong one.
    let donor = vec![("name_zh".to_string(), "李振亚".to_string()), ("kind".to_string(), "person".to_string())];
    let res = b.post("/admin/donors/new", &donor).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("安全令牌") || res.body.contains("security token"), "{}", res.body);
    let mut wrong = donor.clone();
    set(&mut wrong, "csrf", &"0".repeat(64));
    assert_eq!(b.post("/admin/donors/new", &wrong).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.written(), before, "nothing was stored");

    // With the page's token it goes through.
    let mut right = donor.clone();
    set(&mut right, "csrf", &dashboard.csrf());
    assert_eq!(b.post("/admin/donors/new", &right).await.status, StatusCode::SEE_OTHER);

    // The JSON API, reached with the session cookie, wants the token in a header for writes.
    let body = json!({"name": {"zh": "黎澍"}}).to_string();
    let url = app.url("/api/v1/parties");
    let res = b.send(|c| c.post(&url).header("content-type", "application/json").body(body.clone())).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert!(res.body.contains("csrf_failed"), "{}", res.body);
    let token = dashboard.csrf();
    let res = b
        .send(|c| c.post(&url).header("content-type", "application/json").header("x-csrf-token", token).body(body))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    // Reads need no token.
    assert_eq!(b.send(|c| c.get(app.url("/api/v1/donations"))).await.status, StatusCode::OK);

    // The sign-in form has its own token, tied to a cookie.
    let mut stranger = Browser::new(&app);
    let fields: Vec<(String, String)> =
        [("name", "wang"), ("password", PASSWORD)].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let res = stranger.post("/login", &fields).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(!stranger.cookies.contains_key("mc_session"));
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_with_one_generic_message() {
    let app = TestApp::spawn().await;
    app.state.add_user("test", "wang", Role::Curator, Some(PASSWORD)).unwrap();
    let mut b = Browser::new(&app);
    let unknown = b.try_sign_in("nobody", "whatever it is").await;
    let wrong = b.try_sign_in("wang", "not the password").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let message = |p: &super::Page| {
        let doc = scraper::Html::parse_document(&p.body);
        let sel = scraper::Selector::parse(".problems").unwrap();
        doc.select(&sel).next().map(|e| e.text().collect::<String>()).unwrap_or_default()
    };
    assert!(!message(&wrong).is_empty());
    assert_eq!(message(&unknown), message(&wrong), "an unknown name and a wrong password read the same");

    for _ in 0..4 {
        assert_eq!(b.try_sign_in("wang", "not the password").await.status, StatusCode::UNAUTHORIZED);
    }
    // Five failures: now even the right password must wait.
    let blocked = b.try_sign_in("wang", PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS, "{}", blocked.body);
    assert!(!b.cookies.contains_key("mc_session"));
    let html = blocked.body;
    assert!(html.contains("失败次数过多") || html.contains("Too many failed attempts"), "{html}");
    // The wait is short at first.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(b.try_sign_in("wang", PASSWORD).await.status, StatusCode::SEE_OTHER);
    b.cookies.clear();
    // And a success forgets the account's failures.
    assert_eq!(b.try_sign_in("wang", "not the password").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(b.try_sign_in("wang", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_throttled_too() {
    let app = TestApp::spawn().await;
    app.state.add_user("test", "wang", Role::Curator, Some(PASSWORD)).unwrap();
    let mut b = Browser::new(&app);
    // 20 failures spread over names, none reaching an account's limit.
    for i in 0..20 {
        let res = b.try_sign_in(&format!("guess{}", i % 5), "not the password").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let res = b.try_sign_in("wang", PASSWORD).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.location.is_none());
}

#[tokio::test]
async fn behind_a_trusted_proxy_throttling_counts_the_forwarded_address() {
    let dir = DataDir::Temp(tempfile::tempdir().unwrap());
    let app = TestApp::spawn_with(dir, |c| c.trust_forwarded_for = true).await;
    app.state.add_user("test", "wang", Role::Curator, Some(PASSWORD)).unwrap();
    let attempt = async |from: &str, name: &str, password: &str| {
        let mut b = Browser::new(&app);
        let login = b.get("/login").await;
        let (_, mut fields) = login.form("form");
        set(&mut fields, "name", name);
        set(&mut fields, "password", password);
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&fields).finish();
        let url = app.url("/login");
        let from = from.to_string();
        b.send(|c| {
            c.post(&url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-forwarded-for", format!("198.51.100.1, {from}"))
                .body(body)
        })
        .await
        .status
    };
    for i in 0..20 {
        assert_eq!(
            attempt("203.0.113.7", &format!("guess{}", i % 5), "wrong password").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(attempt("203.0.113.7", "wang", PASSWORD).await, StatusCode::TOO_MANY_REQUESTS, "that address waits");
    assert_eq!(attempt("203.0.113.8", "wang", PASSWORD).await, StatusCode::SEE_OTHER, "another address does not");
}

/// `next` as an attacker would write it: whatever a browser would resolve to
/// another site sends the user to the dashboard, and a value no header can carry
/// is never a 500, signed in or signing in.
#[tokio::test]
async fn the_page_after_signing_in_is_always_on_this_site_and_never_a_server_error() {
    let app = TestApp::spawn().await;
    let (mut b, _) = signed_in(&app, "wang", Role::Curator).await;
    let away = [
        "%2F%09%2Fevil.example",
        "%2F%0A%2Fevil.example",
        "%5C%5Cevil.example",
        "%2F%5Cevil.example",
        "%09%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
    ];
    for next in away {
        let page = b.get(&format!("/login?next={next}")).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next}: {}", page.body);
        assert_eq!(page.location.as_deref(), Some("/admin"), "{next}");
    }
    for next in ["%2Fadmin%0D%0Ax", "%2Fadmin%0Bx", "%2Fadmin%00x", "%2Fadmin%0Ax"] {
        let page = b.get(&format!("/login?next={next}")).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next}: {}", page.body);
        let to = page.location.unwrap();
        assert!(to.starts_with("/admin") && !to.bytes().any(|c| c.is_ascii_control()), "{next} → {to:?}");
    }

    // Through a real sign-in: the form carries `next`, and the answer is a proper redirect with its session.
    for next in ["/\t/evil.example", "/admin\r\nx", "/admin\u{0}x", "/admin\u{b}x"] {
        let mut fresh = Browser::new(&app);
        let login = fresh
            .get(&format!("/login?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()))
            .await;
        assert_eq!(login.status, StatusCode::OK);
        let res = fresh.submit(&login, "form", &[("name", "wang"), ("password", PASSWORD), ("next", next)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{next:?}: {}", res.body);
        let to = res.location.clone().unwrap();
        assert!(to.starts_with("/admin") && !to.contains("evil"), "{next:?} → {to:?}");
        assert!(session_cookie(&res).is_some(), "{next:?}: signed in with a proper answer");
    }
}
