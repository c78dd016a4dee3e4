//! The curators' workspace over real HTTP, as a browser without scripts uses it:
//! sign-in, sessions, CSRF, throttling, the intake screens, conflicts, roles.

mod access;
mod imports;
mod intake;
mod lists;
mod locations;
mod paperwork;
mod sessions;
mod words;

use std::collections::BTreeMap;

use catalogue::model::role::Role;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode, redirect};
use scraper::{Html, Selector};

use crate::helpers::TestApp;

pub const PASSWORD: &str = "a long enough password";

/// A browser: its own cookie jar, no automatic redirects (so tests see each 303).
pub struct Browser {
    base: String,
    client: Client,
    pub cookies: BTreeMap<String, String>,
}

/// An answer, read whole.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Page {
    /// The session's CSRF token, from the page's meta element.
    pub fn csrf(&self) -> String {
        let doc = Html::parse_document(&self.body);
        let sel = Selector::parse(r#"meta[name="csrf-token"]"#).unwrap();
        doc.select(&sel).next().and_then(|m| m.value().attr("content")).expect("a csrf meta element").to_string()
    }

    /// The fields of the form matching `selector`, as a browser would send them unchanged, and its action.
    pub fn form(&self, selector: &str) -> (String, Vec<(String, String)>) {
        let doc = Html::parse_document(&self.body);
        let form_sel = Selector::parse(selector).unwrap();
        let form = doc.select(&form_sel).next().unwrap_or_else(|| panic!("no form {selector} in:\n{}", self.body));
        let action = form.value().attr("action").unwrap_or("").to_string();
        let mut fields = Vec::new();
        let field_sel = Selector::parse("input, select, textarea").unwrap();
        let option_sel = Selector::parse("option").unwrap();
        for el in form.select(&field_sel) {
            let v = el.value();
            let Some(name) = v.attr("name") else { continue };
            if v.attr("disabled").is_some() {
                continue;
            }
            match v.name() {
                "input" => match v.attr("type").unwrap_or("text") {
                    "checkbox" | "radio" => {
                        if v.attr("checked").is_some() {
                            fields.push((name.into(), v.attr("value").unwrap_or("on").into()));
                        }
                    }
                    "submit" | "file" => {}
                    _ => fields.push((name.into(), v.attr("value").unwrap_or("").into())),
                },
                "select" => {
                    let options: Vec<_> = el.select(&option_sel).collect();
                    let chosen = options.iter().find(|o| o.value().attr("selected").is_some()).or(options.first());
                    if let Some(o) = chosen {
                        fields.push((name.into(), o.value().attr("value").unwrap_or("").into()));
                    }
                }
                _ => fields.push((name.into(), el.text().collect())),
            }
        }
        (action, fields)
    }
}

/// Sets `name` to `value` in a form's fields (adding it if absent).
pub fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_string(),
        None => fields.push((name.to_string(), value.to_string())),
    }
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            base: app.base.clone(),
            client: Client::builder().redirect(redirect::Policy::none()).build().unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn read(&mut self, res: reqwest::Response) -> Page {
        let status = res.status();
        let location = res.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_string());
        let set_cookies: Vec<String> =
            res.headers().get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
        for c in &set_cookies {
            let first = c.split(';').next().unwrap();
            let (k, v) = first.split_once('=').unwrap();
            if v.is_empty() || c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        Page { status, location, set_cookies, body: res.text().await.unwrap() }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") { path.to_string() } else { format!("{}{path}", self.base) }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let res = self.client.get(self.url(path)).header(COOKIE, self.cookie_header()).send().await.unwrap();
        self.read(res).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(String, String)]) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let res = self
            .client
            .post(self.url(path))
            .header(COOKIE, self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        self.read(res).await
    }

    /// Sends a request built by `f` with this browser's cookies.
    pub async fn send(&mut self, f: impl FnOnce(&Client) -> reqwest::RequestBuilder) -> Page {
        let res = f(&self.client).header(COOKIE, self.cookie_header()).send().await.unwrap();
        self.read(res).await
    }

    /// Fills the form `selector` on `page` (keeping what it holds), changes `values`, submits it.
    pub async fn submit(&mut self, page: &Page, selector: &str, values: &[(&str, &str)]) -> Page {
        let (action, mut fields) = page.form(selector);
        for (k, v) in values {
            set(&mut fields, k, v);
        }
        self.post(&action, &fields).await
    }

    /// Follows a 303 and returns the page it leads to.
    pub async fn follow(&mut self, page: &Page) -> Page {
        assert_eq!(page.status, StatusCode::SEE_OTHER, "expected a redirect, got:\n{}", page.body);
        let to = page.location.clone().unwrap();
        self.get(&to).await
    }

    /// Signs in through the form; panics unless it works.
    pub async fn sign_in(&mut self, name: &str, password: &str) -> Page {
        let res = self.try_sign_in(name, password).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "sign-in of {name}: {}", res.body);
        self.follow(&res).await
    }

    pub async fn try_sign_in(&mut self, name: &str, password: &str) -> Page {
        let login = self.get("/login").await;
        assert_eq!(login.status, StatusCode::OK);
        self.submit(&login, "form", &[("name", name), ("password", password)]).await
    }
}

/// A user with a password, signed in in a browser of their own.
pub async fn signed_in(app: &TestApp, name: &str, role: Role) -> (Browser, Page) {
    app.state.add_user("test", name, role, Some(PASSWORD)).unwrap();
    let mut b = Browser::new(app);
    let page = b.sign_in(name, PASSWORD).await;
    (b, page)
}
