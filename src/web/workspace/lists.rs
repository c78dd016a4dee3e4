//! What the workspace's lists share (`/admin/objects`, `/admin/donations`, `/admin/donors`):
//! the query string they are asked with, and the pages they are cut into. A list's filters
//! live in its URL, so a list can be bookmarked and shared like a search.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::web::pages::i18n::Lang;

/// Rows on one page of a list.
pub const PER_PAGE: u32 = 25;

/// A list's query string, as pairs in the order written; `lang` is the page's own.
#[derive(Debug, Clone, Default)]
pub struct Query(Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        let pairs = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .filter(|(k, v)| k != "lang" && !v.trim().is_empty())
            .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
            .collect();
        Query(pairs)
    }

    /// The value of `key`, or "" when it is not asked for.
    pub fn get(&self, key: &str) -> &str {
        self.0.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
    }

    /// The page asked for (the first when none, or when it is not a number).
    pub fn page(&self) -> u32 {
        self.get("page").parse().unwrap_or(1).max(1)
    }

    /// The URL of this list at `path` with `key` set to `value` ("" leaves it out), in `lang`.
    pub fn with(&self, path: &str, key: &str, value: &str, lang: Lang) -> String {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.0 {
            if k != key {
                ser.append_pair(k, v);
            }
        }
        if !value.is_empty() {
            ser.append_pair(key, value);
        }
        ser.append_pair("lang", lang.code());
        format!("{path}?{}", ser.finish())
    }
}

/// A list's handler takes its query string as it is; reading it never fails.
impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Query::parse(parts.uri.query()))
    }
}

/// Where a list's pages go: the previous and the next, and where this one stands.
pub struct Pager {
    pub page: u32,
    pub last: u32,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(query: &Query, path: &str, total: u64, per_page: u32, lang: Lang) -> Pager {
        let last = total.div_ceil(u64::from(per_page.max(1))).max(1) as u32;
        let page = query.page().min(last);
        let at = |n: u32| query.with(path, "page", &n.to_string(), lang);
        Pager { page, last, total, prev: (page > 1).then(|| at(page - 1)), next: (page < last).then(|| at(page + 1)) }
    }
}

/// One choice of a list's filter: its value, what a person reads, and whether it is chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, chosen: &str) -> Choice {
        let value = value.into();
        let selected = value == chosen;
        Choice { value, label: label.into(), selected }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_keeps_its_filters_and_changes_one_at_a_time() {
        let q = Query::parse(Some("q=%E6%9D%8E&status=draft&lang=en&page=2&category="));
        assert_eq!(q.get("q"), "李");
        assert_eq!(q.get("category"), "", "an empty field is no filter");
        assert_eq!(q.page(), 2);
        assert_eq!(
            q.with("/admin/objects", "page", "3", Lang::Zh),
            "/admin/objects?q=%E6%9D%8E&status=draft&page=3&lang=zh"
        );
        assert_eq!(q.with("/admin/objects", "status", "", Lang::En), "/admin/objects?q=%E6%9D%8E&page=2&lang=en");
        assert_eq!(Query::parse(Some("page=x")).page(), 1);
    }

    #[test]
    fn a_pager_stays_within_its_pages() {
        let q = Query::parse(Some("page=9"));
        let p = Pager::new(&q, "/admin/donors", 60, 25, Lang::Zh);
        assert_eq!((p.page, p.last), (3, 3));
        assert!(p.next.is_none());
        assert_eq!(p.prev.as_deref(), Some("/admin/donors?page=2&lang=zh"));
        let empty = Pager::new(&Query::default(), "/admin/donors", 0, 25, Lang::En);
        assert_eq!((empty.page, empty.last, empty.prev.is_none(), empty.next.is_none()), (1, 1, true, true));
    }
}
