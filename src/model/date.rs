//! Historical dates: the text as written plus a machine-readable year range.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::vocab::Vocabularies;

/// How exact a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DateQualifier {
    Circa,
    Before,
    After,
    Uncertain,
}

/// A date as a museum writes it (`约1923年`, `清乾隆`, `1976-77`, `c. 1860`),
/// with the earliest and latest year it allows (negative years are BCE).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HistoricalDate {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<DateQualifier>,
}

static RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{3,4})\s*(?:年)?\s*(?:-|–|—|~|〜|至|到|to)\s*(?:公元)?(\d{1,4})").expect("regex"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{3,4})").expect("regex"));
static DECADE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{3})0\s*(?:s\b|'s|年代)").expect("regex"));
static CENTURY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(\d{1,2})\s*(?:st|nd|rd|th)?\s*(?:century|世纪|世紀)").expect("regex"));
static BCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(公元前|前\d|\bb\.?\s?c\.?(?:e\.?)?\b)").expect("regex"));

impl HistoricalDate {
    /// Reads the year range from a date text; a text it cannot read keeps no years.
    pub fn parse(text: &str, vocab: &Vocabularies) -> HistoricalDate {
        let text = text.trim().to_string();
        let norm: String = super::text::nfkc(&text).to_lowercase();
        let qualifier = qualifier_of(&norm);
        let bce = BCE.is_match(&norm);
        let sign = if bce { -1 } else { 1 };
        let (mut earliest, mut latest) = (None, None);
        if let Some(c) = CENTURY.captures(&norm) {
            let n: i32 = c[1].parse().unwrap_or(0);
            if (1..=21).contains(&n) {
                if bce {
                    (earliest, latest) = (Some(-100 * n), Some(-100 * (n - 1) - 1));
                } else {
                    (earliest, latest) = (Some(100 * (n - 1) + 1), Some(100 * n));
                }
            }
        } else if let Some(c) = DECADE.captures(&norm) {
            let d: i32 = c[1].parse::<i32>().unwrap_or(0) * 10;
            (earliest, latest) = (Some(d), Some(d + 9));
        } else if let Some((a, b)) = range_of(&norm, bce) {
            (earliest, latest) = if bce { (Some(-a), Some(-b)) } else { (Some(a), Some(b)) };
        } else if let Some(c) = YEAR.captures(&norm) {
            let y: i32 = c[1].parse().unwrap_or(0);
            (earliest, latest) = (Some(sign * y), Some(sign * y));
        } else if let Some(p) = vocab.period_in(&norm) {
            (earliest, latest) = (p.earliest, p.latest);
        }
        match qualifier {
            Some(DateQualifier::Before) => earliest = None,
            Some(DateQualifier::After) => latest = None,
            _ => {}
        }
        HistoricalDate { text, earliest, latest, qualifier }
    }

    /// Checks a date whose years were given explicitly.
    pub fn validate(&self) -> Result<(), String> {
        match (self.earliest, self.latest) {
            (Some(a), Some(b)) if a > b => Err(format!("earliest year {a} is after latest year {b}")),
            _ => Ok(()),
        }
    }
}

/// A year range; before the common era the first year is the larger (`1200-800 BCE`).
fn range_of(norm: &str, bce: bool) -> Option<(i32, i32)> {
    let c = RANGE.captures(norm)?;
    let a: i32 = c[1].parse().ok()?;
    let tail = &c[2];
    if bce {
        let b: i32 = tail.parse().ok()?;
        return (b <= a).then_some((a, b));
    }
    // `1976-77`: the second year shares the first one's leading digits.
    let b: i32 = if tail.len() < c[1].len() {
        let prefix = &c[1][..c[1].len() - tail.len()];
        format!("{prefix}{tail}").parse().ok()?
    } else {
        tail.parse().ok()?
    };
    // `1995-01-17` is a day, not a range.
    (b >= a && b - a < 2000 && !(tail.len() == 2 && norm[c.get(2)?.end()..].starts_with('-'))).then_some((a, b))
}

fn qualifier_of(norm: &str) -> Option<DateQualifier> {
    let has = |words: &[&str]| words.iter().any(|w| norm.contains(w));
    if has(&["before", "不晚于", "不晚於", "以前", "之前"]) {
        Some(DateQualifier::Before)
    } else if has(&["after", "不早于", "不早於", "以后", "以後", "之后", "之後"]) {
        Some(DateQualifier::After)
    } else if has(&["约", "約", "大约", "circa", "c.", "ca.", "about", "approx", "左右"]) {
        Some(DateQualifier::Circa)
    } else if has(&["?", "uncertain", "可能", "或为", "或為"]) {
        Some(DateQualifier::Uncertain)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn years(text: &str) -> (Option<i32>, Option<i32>, Option<DateQualifier>) {
        let d = HistoricalDate::parse(text, &Vocabularies::shipped());
        (d.earliest, d.latest, d.qualifier)
    }

    #[test]
    fn reads_years_ranges_and_qualifiers() {
        assert_eq!(years("约1923年"), (Some(1923), Some(1923), Some(DateQualifier::Circa)));
        assert_eq!(years("1976-77"), (Some(1976), Some(1977), None));
        assert_eq!(years("c. 1930-1950"), (Some(1930), Some(1950), Some(DateQualifier::Circa)));
        assert_eq!(years("1995-01-17"), (Some(1995), Some(1995), None));
        assert_eq!(years("before 1900"), (None, Some(1900), Some(DateQualifier::Before)));
        assert_eq!(years("1920s"), (Some(1920), Some(1929), None));
        assert_eq!(years("19th century"), (Some(1801), Some(1900), None));
        assert_eq!(years("公元前221年"), (Some(-221), Some(-221), None));
        assert_eq!(years("c. 1200-800 BCE"), (Some(-1200), Some(-800), Some(DateQualifier::Circa)));
    }

    #[test]
    fn period_names_map_to_their_years() {
        assert_eq!(years("民国"), (Some(1912), Some(1949), None));
        assert_eq!(years("清"), (Some(1644), Some(1911), None));
        assert_eq!(years("清乾隆"), (Some(1736), Some(1795), None));
    }

    #[test]
    fn unreadable_dates_keep_their_text_only() {
        let d = HistoricalDate::parse("date not known", &Vocabularies::shipped());
        assert_eq!((d.text.as_str(), d.earliest, d.latest), ("date not known", None, None));
    }
}
