//! The public site's two languages: which one a visitor reads, and how a record's
//! text and names are picked for it. Every interface string is in `text`.

mod text;

pub use text::{EN, Text, ZH};

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::model::common::LocalText;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The value of the `lang` attribute of the page.
    pub fn html(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" | "zh-tw" | "zh-hant" | "zh-hk" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// A record's text in this language, else the other; with the language it is in.
    pub fn pick(self, t: &LocalText) -> Option<(String, &'static str)> {
        let (first, second) = match self {
            Lang::Zh => ((&t.zh, "zh"), (&t.en, "en")),
            Lang::En => ((&t.en, "en"), (&t.zh, "zh")),
        };
        [first, second]
            .into_iter()
            .find_map(|(v, code)| v.as_deref().filter(|s| !s.trim().is_empty()).map(|s| (s.to_string(), code)))
    }
}

/// The visitor's language: `?lang=` (remembered in a cookie), else the cookie, else
/// `Accept-Language`, else Chinese.
pub struct PageLang {
    pub lang: Lang,
    /// Set when the URL chose the language: the answer remembers it in a cookie.
    pub chosen: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "lang").and_then(|(_, v)| Lang::parse(&v))
        });
        if let Some(lang) = from_query {
            return Ok(PageLang { lang, chosen: true });
        }
        let from_cookie = parts.headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
            c.split(';').find_map(|kv| {
                let (k, v) = kv.trim().split_once('=')?;
                (k == "lang").then(|| Lang::parse(v)).flatten()
            })
        });
        if let Some(lang) = from_cookie {
            return Ok(PageLang { lang, chosen: false });
        }
        let accept = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        Ok(PageLang { lang: from_accept_language(accept), chosen: false })
    }
}

/// The preferred of Chinese and English in an `Accept-Language` header (Chinese if neither).
pub fn from_accept_language(header: &str) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|v| v.parse::<f32>().ok())).unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("zh") => Lang::Zh,
            Some("en") => Lang::En,
            _ => continue,
        };
        if best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::Zh, |(_, l)| l)
}

/// A party's name as a page in `l` shows it: on English pages the English name (else the
/// pinyin) with the Chinese beside it, `Li Zhenya 李振亚`.
pub fn display_name(p: &crate::model::party::Party, l: Lang) -> String {
    match (l, p.name.zh.as_deref(), p.name.en.as_deref()) {
        (Lang::En, Some(zh), Some(en)) if en != zh => format!("{en} {zh}"),
        (Lang::En, Some(zh), None) => crate::model::english::name_with_pinyin(zh),
        _ => l.pick(&p.name).map(|(n, _)| n).unwrap_or_default(),
    }
}

/// The language a name is in: one that begins in Latin letters (`Li Zhenya 李振亚`) is English.
pub fn name_lang(s: &str) -> &'static str {
    if s.starts_with(|c: char| c.is_ascii_alphabetic()) || !crate::model::english::has_chinese(s) { "en" } else { "zh" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_of_the_two() {
        assert_eq!(from_accept_language("en-GB,en;q=0.9,zh;q=0.5"), Lang::En);
        assert_eq!(from_accept_language("fr, zh-TW;q=0.8, en;q=0.7"), Lang::Zh);
        assert_eq!(from_accept_language("de"), Lang::Zh);
        assert_eq!(from_accept_language(""), Lang::Zh);
    }

    #[test]
    fn a_record_falls_back_to_the_language_it_has() {
        let only_zh = LocalText { zh: Some("书法条幅".into()), en: None };
        assert_eq!(Lang::En.pick(&only_zh), Some(("书法条幅".into(), "zh")));
        let both = LocalText { zh: Some("书法".into()), en: Some("Calligraphy".into()) };
        assert_eq!(Lang::En.pick(&both), Some(("Calligraphy".into(), "en")));
        assert_eq!(Lang::Zh.pick(&LocalText::default()), None);
    }
}
