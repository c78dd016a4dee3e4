//! `/login` and `/logout`.

use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Fields, render};
use crate::catalogue::random_token;
use crate::web::AppState;
use crate::web::auth::{
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, clear_cookie, client_address, cookie, same_secret, session_of, set_cookie,
    throttle_keys,
};
use crate::web::pages::i18n::{Lang, PageLang};

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    lang: Lang,
    csrf: String,
    next: String,
    name: String,
    problem: Option<String>,
}

impl LoginPage {
    fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.lang == Lang::Zh { zh } else { en }
    }

    fn html_lang(&self) -> &'static str {
        self.lang.html()
    }
}

/// Where to go after signing in: a path on this site, read as a browser reads a
/// `Location` (the URL standard's parser: tabs and newlines removed, `\` as `/`,
/// leading and trailing spaces and control characters trimmed), and answered in
/// its serialised form, so what the browser follows is what was checked and the
/// header is always valid. Anything that would leave the site goes to `/admin`.
pub(crate) fn safe_next(next: Option<&str>) -> String {
    const FALLBACK: &str = "/admin";
    let Some(next) = next else { return FALLBACK.to_string() };
    let base = url::Url::parse("http://catalogue.invalid/").expect("a valid base URL");
    // A browser strips these before it resolves; a value that does not start with
    // one slash once they are gone is not a path on this site.
    let trimmed = next.trim_matches(|c: char| c <= ' ').replace(['\t', '\n', '\r'], "").replace('\\', "/");
    if !trimmed.starts_with('/') || trimmed.starts_with("//") {
        return FALLBACK.to_string();
    }
    match base.join(next) {
        Ok(u) if u.scheme() == base.scheme() && u.host() == base.host() && u.port() == base.port() => {
            let mut path = u.path().to_string();
            if let Some(q) = u.query() {
                path.push('?');
                path.push_str(q);
            }
            if let Some(f) = u.fragment() {
                path.push('#');
                path.push_str(f);
            }
            // The serialised path is percent-encoded ASCII, but one that begins with
            // `//` would be read as another host by the browser.
            if path.starts_with("//") { FALLBACK.to_string() } else { path }
        }
        _ => FALLBACK.to_string(),
    }
}

fn query_next(q: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(q.unwrap_or("").as_bytes()).find(|(k, _)| k == "next").map(|(_, v)| v.into_owned())
}

/// The sign-in form, with a fresh CSRF token in a cookie of its own.
fn login_page(
    state: &AppState,
    lang: Lang,
    next: String,
    name: String,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let csrf = random_token();
    let mut res = render(&LoginPage { lang, csrf: csrf.clone(), next, name, problem }, status);
    res.headers_mut().append(header::SET_COOKIE, set_cookie(state, LOGIN_CSRF_COOKIE, &csrf, "/login"));
    res
}

pub async fn form(State(state): State<AppState>, lang: PageLang, req: Request) -> Response {
    let (mut parts, _) = req.into_parts();
    let next = safe_next(query_next(parts.uri.query()).as_deref());
    if let Ok(Some(_)) = session_of(&mut parts, &state).await {
        return super::see_other(&next);
    }
    login_page(&state, lang.lang, next, String::new(), None, StatusCode::OK)
}

pub async fn submit(State(state): State<AppState>, req: Request) -> Response {
    let (mut parts, body) = req.into_parts();
    let lang = PageLang::from_request_parts(&mut parts, &state).await.unwrap_or_else(|e| match e {}).lang;
    let t = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "the sign-in form is too large").into_response();
    };
    let f = Fields::parse(&bytes);
    let next = safe_next(f.get("next"));
    let name = f.get("name").unwrap_or("").to_string();
    let form_token = f.get("csrf").unwrap_or("");
    if !cookie(&parts.headers, LOGIN_CSRF_COOKIE).is_some_and(|c| !c.is_empty() && same_secret(c, form_token)) {
        let problem = t("表单已失效，请重新登录。", "The form had expired; please sign in again.");
        return login_page(&state, lang, next, name, Some(problem.into()), StatusCode::FORBIDDEN);
    }
    let password = f.v("password").to_string();
    let address = client_address(&parts, &state);
    let keys = throttle_keys(&name, address.as_deref());
    let catalogue = state.catalogue.clone();
    let k = keys.clone();
    let wait = match crate::catalogue::blocking(move || catalogue.login_wait(&k)).await {
        Ok(w) => w,
        Err(e) => return crate::web::pages::failed(e),
    };
    if let Some(wait) = wait {
        let secs = wait.as_secs().max(1);
        tracing::warn!(user = %name, address = ?address, "sign-in refused: too many failed attempts");
        let problem = match lang {
            Lang::Zh => format!("失败次数过多，请 {secs} 秒后再试。"),
            Lang::En => format!("Too many failed attempts; try again in {secs} seconds."),
        };
        let mut res = login_page(&state, lang, next, name, Some(problem), StatusCode::TOO_MANY_REQUESTS);
        if let Ok(v) = secs.to_string().parse() {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return res;
    }
    let old = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string);
    let n = name.clone();
    let a = address.clone();
    let catalogue = state.catalogue.clone();
    let outcome =
        crate::catalogue::blocking(move || catalogue.sign_in(&n, &password, &keys, old.as_deref(), a.as_deref())).await;
    match outcome {
        Ok(Some(secret)) => {
            tracing::info!(user = %name, "signed in");
            let mut res = super::see_other(&next);
            let h = res.headers_mut();
            h.append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, &secret, "/"));
            h.append(header::SET_COOKIE, clear_cookie(LOGIN_CSRF_COOKIE, "/login"));
            res
        }
        Ok(None) => {
            tracing::info!(user = %name, address = ?address, "sign-in failed");
            let problem = t("用户名或密码不正确。", "The name or password is not right.");
            login_page(&state, lang, next, name, Some(problem.into()), StatusCode::UNAUTHORIZED)
        }
        Err(e) => match crate::catalogue::storage_problem(&e) {
            // Signing in writes a session: say plainly why it cannot happen now.
            Some(problem) => {
                let why = t(
                    "目录的数据盘暂时无法写入，现在不能登录；公开的浏览和检索仍然可用。",
                    "The catalogue cannot sign anyone in just now: its data disk cannot be written to. Browsing and searching still work.",
                );
                login_page(&state, lang, next, name, Some(why.into()), crate::web::error::storage_status(problem))
            }
            None => crate::web::pages::failed(e),
        },
    }
}

/// Signs out: the session ends on the server, the cookie is cleared.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    submitted: Result<super::Submitted, Response>,
) -> Response {
    let submitted = match submitted {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Some(secret) = cookie(&headers, SESSION_COOKIE).map(str::to_string) {
        let catalogue = state.catalogue.clone();
        if let Err(r) = super::blocking(&submitted.ws, move || catalogue.sign_out(&secret)).await {
            return r;
        }
    }
    let mut res = super::see_other(&submitted.ws.link("/"));
    res.headers_mut().append(header::SET_COOKIE, clear_cookie(SESSION_COOKIE, "/"));
    res
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn paths_on_this_site_are_kept() {
        assert_eq!(safe_next(Some("/admin/tokens")), "/admin/tokens");
        assert_eq!(safe_next(Some("/admin/objects?q=%E9%8F%A1&page=2")), "/admin/objects?q=%E9%8F%A1&page=2");
        assert_eq!(safe_next(Some("/admin/a/../b")), "/admin/b");
        assert_eq!(safe_next(None), "/admin");
        // A character a browser keeps is escaped in place: still a path on this site.
        assert_eq!(safe_next(Some("/\u{b}/evil.example")), "/%0B/evil.example");
    }

    #[test]
    fn anything_a_browser_would_read_as_another_site_goes_to_the_dashboard() {
        for next in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            " //evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "\\/evil.example",
            "https://evil.example/",
            "http:evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "\u{0}//evil.example",
        ] {
            assert_eq!(safe_next(Some(next)), "/admin", "{next:?}");
        }
    }

    #[test]
    fn control_characters_inside_a_path_are_escaped_so_the_header_is_valid() {
        for next in ["/admin\r\nSet-Cookie: x=1", "/admin\u{0}x", "/admin\u{b}x", "/admin x"] {
            let kept = safe_next(Some(next));
            assert!(kept.starts_with("/admin"), "{next:?} → {kept:?}");
            assert!(axum::http::HeaderValue::try_from(kept.as_str()).is_ok(), "{next:?} → {kept:?}");
            assert!(!kept.bytes().any(|b| b.is_ascii_control() || b == b' '), "{next:?} → {kept:?}");
        }
    }
}
