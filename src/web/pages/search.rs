//! `/search`: results with thumbnails, snippets, facets, sort and pages. The
//! query and filters live in the URL, so every page of results can be shared.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::i18n::{Lang, PageLang, Text};
use super::{Chrome, bad_request, base_url, blocking, render, segment};
use crate::catalogue::{SearchRequest, Sort};
use crate::model::role::Scope;
use crate::web::AppState;
use crate::web::auth::PageSession;
use crate::web::labels::value_label;

/// Results a page shows unless the visitor chooses another of `PER_PAGE_CHOICES`.
const PER_PAGE: u32 = 20;
const PER_PAGE_CHOICES: [u32; 3] = [20, 50, 100];

pub struct HitView {
    pub href: String,
    pub title: String,
    pub title_lang: &'static str,
    pub date: Option<String>,
    pub makers: String,
    pub accession: String,
    /// Escaped HTML from the search, matches in `<mark>`.
    pub snippet: String,
    pub thumbnail: Option<String>,
    /// For signed-in staff: the record's status when it is not published, as its code
    /// (for the badge's style) and as read.
    pub status: Option<(String, &'static str)>,
}

pub struct FacetValue {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub selected: bool,
}

pub struct FacetGroup {
    pub name: String,
    pub label: &'static str,
    pub values: Vec<FacetValue>,
}

pub struct ActiveFilter {
    pub label: String,
    pub remove_href: String,
}

pub struct SortOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub struct PageLink {
    pub number: u32,
    pub href: String,
    pub current: bool,
}

pub struct OtherScript {
    pub label: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub c: Chrome,
    pub q: String,
    pub total: u64,
    pub hits: Vec<HitView>,
    pub facets: Vec<FacetGroup>,
    pub active: Vec<ActiveFilter>,
    pub filter_values: Vec<String>,
    pub clear_href: String,
    /// The filters but the year range, for the date-range form; and that range's ends.
    pub other_filters: Vec<String>,
    pub year_from: String,
    pub year_to: String,
    pub sorts: Vec<SortOption>,
    pub pages: Vec<PageLink>,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub other_scripts: Vec<OtherScript>,
    /// A query that finds more (typos corrected, or a near miss of one that found nothing).
    pub suggestion: Option<OtherScript>,
    /// Results as a grid of images rather than a list; links to either.
    pub grid: bool,
    pub views: Vec<PageChoice>,
    /// How many results a page shows, as choices.
    pub per_page: Vec<PageChoice>,
    /// The view and page size, kept by the forms that change something else.
    pub keep: Vec<(&'static str, String)>,
    /// Set for signed-in staff, who search all holdings: who they are, and the CSV of the results.
    pub staff: Option<StaffView>,
}

pub struct PageChoice {
    pub label: String,
    pub href: String,
    pub current: bool,
}

pub struct StaffView {
    pub name: String,
    pub csv_href: String,
}

/// What a results URL holds.
#[derive(Debug, Clone, Default)]
struct Params {
    q: String,
    filters: Vec<(String, String)>,
    sort: Option<&'static str>,
    page: u32,
    /// `grid` for a grid of images; a list unless asked.
    grid: bool,
    /// Results a page, when not the default.
    per_page: Option<u32>,
}

impl Params {
    /// The search these parameters ask for, one page of it, without facets or snippets.
    fn request(&self, page: u32, per_page: u32) -> SearchRequest {
        SearchRequest {
            q: self.q.clone(),
            filters: self.filters.clone(),
            sort: self
                .sort
                .and_then(|s| serde_json::from_value::<Sort>(serde_json::Value::String(s.into())).ok())
                .unwrap_or_default(),
            page,
            per_page,
            facets: false,
            snippets: false,
            exact_total: false,
        }
    }
}

const SORTS: &[&str] = &["relevance", "accession", "date", "date_desc", "acquired"];

fn parse(raw: Option<&str>) -> Result<Params, String> {
    let mut p = Params { page: 1, ..Default::default() };
    let (mut from, mut to) = (None, None);
    crate::web::extract::check_query_text(raw).map_err(|e| e.body.message)?;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "q" => p.q = v.trim().to_string(),
            "filter" => {
                let (name, value) = v.split_once(':').ok_or_else(|| format!("filter `{v}` should be name:value"))?;
                crate::catalogue::check_filter(name, value)?;
                if !p.filters.iter().any(|(n, x)| n == name && x == value) {
                    p.filters.push((name.to_string(), value.to_string()));
                }
            }
            "sort" => {
                p.sort = Some(SORTS.iter().find(|s| **s == v).ok_or_else(|| format!("`{v}` is not a sort order"))?)
            }
            "page" => p.page = v.parse().ok().filter(|n| (1..=500).contains(n)).ok_or("page must be 1 to 500")?,
            "view" => {
                p.grid = match v.as_ref() {
                    "grid" => true,
                    "list" => false,
                    _ => return Err(format!("`{v}` is not a view; use view=list or view=grid")),
                }
            }
            "per_page" => {
                let n = v.parse().ok().filter(|n| PER_PAGE_CHOICES.contains(n));
                let n = n.ok_or_else(|| format!("per_page `{v}` should be one of 20, 50 or 100"))?;
                p.per_page = (n != PER_PAGE).then_some(n);
            }
            // The date-range form's two fields, read as one `year` filter.
            "from" => from = year_field(&v, "from")?,
            "to" => to = year_field(&v, "to")?,
            _ => {} // lang and anything a link may add
        }
    }
    if p.q.chars().count() > 500 {
        return Err("the search is longer than 500 characters".into());
    }
    if from.is_some() || to.is_some() {
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            return Err(format!("the date range runs backwards: from {a} to {b}; put the earlier year first"));
        }
        p.filters.retain(|(n, _)| n != "year");
        let year = |y: Option<i64>| y.map(|y| y.to_string()).unwrap_or_default();
        p.filters.push(("year".into(), format!("{}..{}", year(from), year(to))));
    }
    Ok(p)
}

/// A year typed in the date-range form: empty for none, negative before the common era.
fn year_field(v: &str, which: &str) -> Result<Option<i64>, String> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>().ok().filter(|y| (-9999..=9999).contains(y)).map(Some).ok_or_else(|| {
        format!("the `{which}` year `{v}` should be a year such as 1900 (negative before the common era)")
    })
}

/// The two ends of a `year` filter (`1900..1930`, `..1949`), for the form's fields.
fn year_ends(filters: &[(String, String)]) -> (String, String) {
    let value = filters.iter().find(|(n, _)| n == "year").map(|(_, v)| v.as_str()).unwrap_or_default();
    let (a, b) = value.split_once("..").unwrap_or((value, value));
    (a.to_string(), b.to_string())
}

/// The results URL for `p` (page 1 unless given), in `lang`.
fn href(p: &Params, lang: Lang) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    if !p.q.is_empty() {
        ser.append_pair("q", &p.q);
    }
    for (n, v) in &p.filters {
        ser.append_pair("filter", &format!("{n}:{v}"));
    }
    if let Some(s) = p.sort {
        ser.append_pair("sort", s);
    }
    if let Some(n) = p.per_page {
        ser.append_pair("per_page", &n.to_string());
    }
    if p.grid {
        ser.append_pair("view", "grid");
    }
    if p.page > 1 {
        ser.append_pair("page", &p.page.to_string());
    }
    ser.append_pair("lang", lang.code());
    format!("/search?{}", ser.finish())
}

fn facet_label(t: &Text, name: &str) -> &'static str {
    match name {
        "category" => t.facet_category,
        "material" => t.facet_material,
        "period" => t.facet_period,
        "maker" => t.facet_maker,
        "donor" => t.facet_donor,
        "donation" => t.facet_donation,
        "acquired" => t.facet_acquired,
        "year" => t.facet_year,
        _ => t.facet_has_image,
    }
}

/// The query in the other script, when it differs.
fn other_scripts(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    for converted in [crate::model::text::to_traditional(q), crate::model::text::to_simplified(q)] {
        if converted != q && !out.contains(&converted) {
            out.push(converted);
        }
    }
    out
}

pub async fn page(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    lang: PageLang,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let base = base_url(&state, &headers);
    let params = match parse(raw.as_deref()) {
        Ok(p) => p,
        Err(message) => return bad_request(&lang, &base, message),
    };
    let l = lang.lang;
    let t = l.text();
    let vocab = state.catalogue.vocabularies();
    let per_page = params.per_page.unwrap_or(PER_PAGE);
    // Deep pages of large pages are refused as the search refuses them, not failed.
    if (params.page as usize) * (per_page as usize) > crate::catalogue::MAX_WINDOW {
        return bad_request(
            &lang,
            &base,
            format!("page {} of {per_page} results is too deep; narrow the search or show fewer a page", params.page),
        );
    }
    let req =
        SearchRequest { facets: true, snippets: true, exact_total: true, ..params.request(params.page, per_page) };
    let catalogue = state.catalogue.clone();
    let wanted: Vec<String> = params.filters.iter().filter(|(n, _)| n == "donation").map(|(_, v)| v.clone()).collect();
    let scope = match &session {
        Some(s) => Scope::staff(s.principal.role),
        None => Scope::Public,
    };
    let searched = blocking(move || -> anyhow::Result<_> {
        let found = catalogue.search(&req, scope)?;
        // Donation facets count by id; visitors read the occasion.
        let mut donations = std::collections::HashMap::new();
        let ids = found.facets.get("donation").into_iter().flatten().map(|f| f.value.clone()).chain(wanted);
        for id in ids {
            if let Ok(n) = id.parse::<i64>()
                && let Some(d) = catalogue.donation(n)?
            {
                donations.insert(id, d.record.occasion);
            }
        }
        Ok((found, donations))
    })
    .await;
    let (found, donation_labels) = match searched {
        Ok(r) => r,
        Err(r) => return r,
    };
    let label = |name: &str, value: &str| match (name, donation_labels.get(value)) {
        ("donation", Some(occasion)) => l.pick(occasion).map(|(s, _)| s).unwrap_or_else(|| value.to_string()),
        ("year", _) => value.replace("..", "–"),
        _ => value_label(&vocab, l, name, value),
    };
    let hits = found
        .hits
        .into_iter()
        .map(|h| {
            let (title, title_lang) = l.pick(&h.title).unwrap_or_else(|| (h.accession.clone(), "zh"));
            let staff = session.is_some();
            HitView {
                href: if staff {
                    format!("/admin/objects/{}?lang={}", segment(&h.accession), l.code())
                } else {
                    format!("/objects/{}?lang={}", segment(&h.accession), l.code())
                },
                status: (staff && h.status != "published").then(|| {
                    let label = crate::web::labels::status_code(&h.status).map_or("", |s| s.get(l));
                    (h.status.clone(), label)
                }),
                title,
                title_lang,
                date: h.date.as_deref().map(|d| super::date_text(d, l, &vocab)),
                makers: h.makers.join("、"),
                accession: h.accession,
                snippet: h.snippet,
                thumbnail: h.thumbnail.as_deref().map(super::browse::thumbnail),
            }
        })
        .collect();
    let toggled = |name: &str, value: &str| {
        let mut p = params.clone();
        p.page = 1;
        if let Some(i) = p.filters.iter().position(|(n, v)| n == name && v == value) {
            p.filters.remove(i);
        } else {
            p.filters.push((name.to_string(), value.to_string()));
        }
        href(&p, l)
    };
    let facets = crate::catalogue::FACETS
        .iter()
        .filter_map(|name| {
            let counts = found.facets.get(*name)?;
            if counts.is_empty() {
                return None;
            }
            Some(FacetGroup {
                name: name.to_string(),
                label: facet_label(t, name),
                values: counts
                    .iter()
                    .take(12)
                    .map(|fc| FacetValue {
                        label: label(name, &fc.value),
                        count: fc.count,
                        href: toggled(name, &fc.value),
                        selected: params.filters.iter().any(|(n, v)| n == name && *v == fc.value),
                    })
                    .collect(),
            })
        })
        .collect();
    let active = params
        .filters
        .iter()
        .map(|(n, v)| ActiveFilter {
            label: format!("{}{}{}", facet_label(t, n), t.colon, label(n, v)),
            remove_href: toggled(n, v),
        })
        .collect();
    let (year_from, year_to) = year_ends(&params.filters);
    let clear_href = href(&Params { q: params.q.clone(), sort: params.sort, ..Default::default() }, l);
    let sort_labels = [t.sort_relevance, t.sort_accession, t.sort_date, t.sort_date_desc, t.sort_acquired];
    let sorts = SORTS
        .iter()
        .zip(sort_labels)
        .map(|(value, label)| SortOption { value, label, selected: params.sort.unwrap_or("relevance") == *value })
        .collect();
    let deepest = (crate::catalogue::MAX_WINDOW / per_page as usize) as u64;
    let last = found.total.div_ceil(u64::from(per_page)).clamp(1, deepest.min(500)) as u32;
    let at = |n: u32| href(&Params { page: n, ..params.clone() }, l);
    let pages = if last > 1 {
        let from = params.page.saturating_sub(3).max(1);
        let to = (from + 6).min(last);
        (from..=to).map(|n| PageLink { number: n, href: at(n), current: n == params.page }).collect()
    } else {
        Vec::new()
    };
    let other_scripts = if found.total == 0 {
        other_scripts(&params.q)
            .into_iter()
            .map(|q| OtherScript { href: href(&Params { q: q.clone(), ..params.clone() }, l), label: q })
            .collect()
    } else {
        Vec::new()
    };
    let suggestion = found
        .suggestion
        .as_ref()
        .map(|q| OtherScript { href: href(&Params { q: q.clone(), page: 1, ..params.clone() }, l), label: q.clone() });
    let title =
        if params.q.is_empty() { t.nav_search.to_string() } else { format!("{} – {}", params.q, t.nav_search) };
    let path = href(&params, l);
    let path_for_csv = path.clone();
    let c = Chrome::new(l, &base, &path, title, format!("{} {}", found.total, t.results_count));
    let views = [(false, t.view_list), (true, t.view_grid)]
        .into_iter()
        .map(|(grid, label)| PageChoice {
            label: label.to_string(),
            href: href(&Params { grid, ..params.clone() }, l),
            current: grid == params.grid,
        })
        .collect();
    let per_page_choices = PER_PAGE_CHOICES
        .into_iter()
        .map(|n| PageChoice {
            label: n.to_string(),
            href: href(&Params { per_page: (n != PER_PAGE).then_some(n), page: 1, ..params.clone() }, l),
            current: n == per_page,
        })
        .collect();
    let mut keep = Vec::new();
    if let Some(n) = params.per_page {
        keep.push(("per_page", n.to_string()));
    }
    if params.grid {
        keep.push(("view", "grid".to_string()));
    }
    let page = SearchPage {
        grid: params.grid,
        views,
        per_page: per_page_choices,
        keep,
        c,
        q: params.q.clone(),
        total: found.total,
        hits,
        facets,
        active,
        filter_values: params.filters.iter().map(|(n, v)| format!("{n}:{v}")).collect(),
        other_filters: params.filters.iter().filter(|(n, _)| n != "year").map(|(n, v)| format!("{n}:{v}")).collect(),
        year_from,
        year_to,
        clear_href,
        sorts,
        prev_href: (params.page > 1).then(|| at(params.page - 1)),
        next_href: (params.page < last).then(|| at(params.page + 1)),
        pages,
        other_scripts,
        suggestion,
        staff: session.map(|s| StaffView {
            name: s.principal.name,
            csv_href: format!("/search.csv?{}", path_for_csv.split_once('?').map_or("", |(_, q)| q)),
        }),
    };
    let mut res = render(&page, &lang, StatusCode::OK);
    if page.staff.is_some() {
        res.headers_mut()
            .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("private, no-store"));
    }
    res
}

/// The most rows a result-list export holds.
const CSV_MAX_ROWS: u32 = 5000;

/// `/search.csv`: the results of a search as the census-headed CSV, for signed-in staff
/// (researchers get every record without private fields, curators everything).
pub async fn csv(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    lang: PageLang,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    use axum::response::IntoResponse;
    let base = base_url(&state, &headers);
    let Some(session) = session else {
        let next = url::form_urlencoded::byte_serialize(format!("/search?{}", raw.unwrap_or_default()).as_bytes())
            .collect::<String>();
        return axum::response::Redirect::to(&format!("/login?next={next}")).into_response();
    };
    let params = match parse(raw.as_deref()) {
        Ok(p) => p,
        Err(message) => return bad_request(&lang, &base, message),
    };
    let scope = Scope::staff(session.principal.role);
    let catalogue = state.catalogue.clone();
    let made =
        blocking(move || catalogue.search_csv(scope, CSV_MAX_ROWS, &|page, per_page| params.request(page, per_page)))
            .await;
    match made {
        Ok(body) => (
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"search-results.csv\""),
                (axum::http::header::CACHE_CONTROL, "private, no-store"),
            ],
            body,
        )
            .into_response(),
        Err(r) => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_results_url_round_trips() {
        let p =
            parse(Some("q=%E6%9D%8E%E6%9B%B8%E5%9F%8E&filter=category:calligraphy&sort=date&page=2&lang=en")).unwrap();
        assert_eq!(p.q, "李書城");
        assert_eq!(p.filters, vec![("category".to_string(), "calligraphy".to_string())]);
        let again = parse(href(&p, Lang::En).split_once('?').map(|(_, q)| q)).unwrap();
        assert_eq!((again.q, again.filters, again.sort, again.page), (p.q, p.filters, p.sort, p.page));
        assert!(parse(Some("filter=secret:x")).is_err());
        assert!(parse(Some("page=0")).is_err());
    }
}
