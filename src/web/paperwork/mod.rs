//! What each printed document says, composed from the records in the reader's
//! language: the API, the workspace and `catalogue print` all print through here.
//!
//! Private values (contact details, valuations, locations, internal notes) are on the
//! two internal documents only, the catalogue card and the register, and only for a
//! viewer who may see them; a receipt, a certificate, a letter and a label never carry
//! one. A donor who did not consent to be named is never named on a label or a
//! certificate: the label says 匿名捐赠 / Anonymous gift, the certificate is addressed
//! as the curator chose.

mod card;
mod gift;
mod label;
mod register;

use std::cmp::Ordering;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::catalogue::{ArtefactFilter, Catalogue, Document, PageRequest, PrintError, Printed, StoreError};
use crate::model::artefact::{Artefact, Quantity};
use crate::model::common::LocalText;
use crate::model::date::HistoricalDate;
use crate::model::party::Party;
use crate::model::role::Viewer;
use crate::model::view::{ArtefactRecord, DonationRecord};
use crate::model::vocab::{Vocabularies, names};
use crate::web::error::AppError;
use crate::web::labels;
use crate::web::pages::i18n::Lang;

/// What to print.
#[derive(Debug, Clone)]
pub enum Request {
    Receipt {
        donation: i64,
    },
    /// `to`: how the donor is addressed, when the curator says.
    Certificate {
        donation: i64,
        to: Option<String>,
    },
    Letter {
        donation: i64,
        to: Option<String>,
    },
    Labels {
        accessions: Vec<String>,
    },
    Card {
        accessions: Vec<String>,
    },
    Register(Range),
}

/// Which part of the register: acquisition years, or accession numbers (both ends
/// included), or everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Range {
    pub year: Option<i32>,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PrintFailure {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Print(#[from] PrintError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Request {
    pub fn document(&self) -> Document {
        match self {
            Request::Receipt { .. } => Document::Receipt,
            Request::Certificate { .. } => Document::Certificate,
            Request::Letter { .. } => Document::Letter,
            Request::Labels { .. } => Document::Labels,
            Request::Card { .. } => Document::Card,
            Request::Register(_) => Document::Register,
        }
    }

    /// A file name for the PDF: `receipt-15.pdf`, `label-2023.15.1.pdf`.
    pub fn file_name(&self) -> String {
        let what = match self {
            Request::Receipt { donation }
            | Request::Certificate { donation, .. }
            | Request::Letter { donation, .. } => donation.to_string(),
            Request::Labels { accessions } if accessions.len() == 1 => accessions[0].clone(),
            Request::Labels { accessions } => format!("{}", accessions.len()),
            Request::Card { accessions } if accessions.len() == 1 => accessions[0].clone(),
            Request::Card { accessions } => format!("{}", accessions.len()),
            Request::Register(r) => match (r.year, &r.from, &r.to) {
                (Some(y), _, _) => y.to_string(),
                (None, Some(a), Some(b)) => format!("{a}-{b}"),
                (None, Some(a), None) => format!("{a}-"),
                (None, None, Some(b)) => format!("-{b}"),
                (None, None, None) => "all".into(),
            },
        };
        let safe: String =
            what.chars().map(|c| if c.is_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
        format!("{}-{safe}.pdf", self.document().name())
    }
}

impl From<PrintFailure> for AppError {
    fn from(e: PrintFailure) -> Self {
        match e {
            PrintFailure::NotFound(m) => AppError::not_found(m),
            PrintFailure::Invalid(m) => AppError::new(StatusCode::UNPROCESSABLE_ENTITY, "nothing_to_print", m),
            PrintFailure::Print(PrintError::Template { file, message }) => AppError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "template_invalid",
                format!("the museum's paperwork template cannot be used: {file}: {message}"),
            ),
            PrintFailure::Print(e @ (PrintError::Io(_) | PrintError::Join(_) | PrintError::NotBuilt)) => {
                tracing::error!(error = %e, "printing");
                AppError::internal()
            }
            PrintFailure::Store(e) => e.into(),
        }
    }
}

/// A printed document as the answer to a request: shown in the browser, never cached.
pub fn pdf_response(name: &str, pdf: Vec<u8>) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "application/pdf".to_string()),
        (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
        (header::CACHE_CONTROL, "private, no-store".to_string()),
    ];
    (headers, pdf).into_response()
}

/// Prints `req` for `viewer` in `lang`.
pub fn print(catalogue: &Catalogue, viewer: &Viewer, req: &Request, lang: Lang) -> Result<Printed, PrintFailure> {
    let vocab = catalogue.vocabularies();
    let c = Compose { catalogue, vocab: &vocab, lang, viewer };
    let (data, pictures) = match req {
        Request::Receipt { donation } => (c.receipt(*donation)?, Vec::new()),
        Request::Certificate { donation, to } | Request::Letter { donation, to } => {
            (c.certificate(*donation, to.as_deref())?, Vec::new())
        }
        Request::Labels { accessions } => (c.labels(accessions)?, Vec::new()),
        Request::Card { accessions } => c.cards(accessions)?,
        Request::Register(range) => (c.register(range)?, Vec::new()),
    };
    let mut data = data;
    data["lang"] = json!(lang.code());
    Ok(catalogue.print(req.document(), data, pictures)?)
}

struct Compose<'a> {
    catalogue: &'a Catalogue,
    vocab: &'a Vocabularies,
    lang: Lang,
    viewer: &'a Viewer,
}

/// A donation with its donors and its objects.
struct Gift {
    donation: DonationRecord,
    donors: Vec<Party>,
    items: Vec<ArtefactRecord>,
}

impl Gift {
    /// Whether every donor agreed to be named in public.
    fn named(&self) -> bool {
        !self.donors.is_empty() && self.donors.iter().all(|p| p.naming_consent)
    }
}

impl Compose<'_> {
    fn t(&self, zh: &str, en: &str) -> String {
        match self.lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        }
    }

    fn text(&self, t: &LocalText) -> String {
        self.lang.pick(t).map(|(s, _)| s).unwrap_or_default()
    }

    fn gift(&self, id: i64) -> Result<Gift, PrintFailure> {
        let donation =
            self.catalogue.donation(id)?.ok_or_else(|| PrintFailure::NotFound(format!("there is no donation {id}")))?;
        let donors = self.donors(&donation.record.donor_ids)?;
        let filter = ArtefactFilter { donation_id: Some(id), ..Default::default() };
        let items = self.all(filter)?;
        Ok(Gift { donation, donors, items })
    }

    /// Every artefact of a filter, page after page.
    fn all(&self, mut filter: ArtefactFilter) -> Result<Vec<ArtefactRecord>, PrintFailure> {
        let mut out = Vec::new();
        filter.page = PageRequest { page: 1, per_page: 500 };
        loop {
            let page = self.catalogue.artefacts(&filter)?;
            let n = page.items.len();
            out.extend(page.items);
            if n < filter.page.per_page as usize || out.len() as u64 >= page.total {
                return Ok(out);
            }
            filter.page.page += 1;
        }
    }

    fn artefact(&self, accession: &str) -> Result<ArtefactRecord, PrintFailure> {
        self.catalogue
            .artefact(accession)?
            .ok_or_else(|| PrintFailure::NotFound(format!("there is no object {accession}")))
    }

    fn date(&self, d: &HistoricalDate) -> String {
        date_in(d, self.lang)
    }

    fn quantity(&self, q: &Option<Quantity>) -> String {
        q.as_ref().map_or_else(String::new, |q| quantity_in(q, self.lang))
    }

    fn term(&self, vocabulary: &str, code: &Option<String>) -> String {
        code.as_deref().map_or_else(String::new, |c| labels::term(self.vocab, vocabulary, c, self.lang))
    }

    fn condition(&self, a: &Artefact) -> String {
        let parts: Vec<String> = [
            self.term(names::COMPLETENESS, &a.body.completeness),
            self.term(names::PRESERVATION, &a.body.preservation),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
        parts.join(if self.lang == Lang::Zh { "，" } else { ", " })
    }

    fn materials(&self, a: &Artefact, lang: Lang) -> String {
        let terms: Vec<String> =
            a.body.materials.iter().map(|m| labels::term(self.vocab, names::MATERIAL, m, lang)).collect();
        terms.join(if lang == Lang::Zh { "、" } else { ", " })
    }

    fn donor_names(&self, donors: &[Party]) -> Vec<String> {
        donors.iter().map(|p| self.text(&p.name)).filter(|n| !n.is_empty()).collect()
    }

    fn today(&self) -> String {
        let today = chrono::Utc::now().with_timezone(&self.catalogue.config.timezone).date_naive();
        day_in(today, self.lang)
    }
}

/// A day as the page's language writes it: 2023年3月1日, 1 March 2023.
pub fn day_in(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%-d %B %Y").to_string(),
    }
}

/// A date as written for Chinese; in English, the years it stands for when it was
/// written in Chinese (约1923年 → c. 1923).
pub fn date_in(d: &HistoricalDate, lang: Lang) -> String {
    let cjk = d.text.chars().any(|c| ('\u{3400}'..='\u{9FFF}').contains(&c));
    if lang == Lang::Zh || !cjk {
        return d.text.clone();
    }
    let approx = d.text.contains('约') || d.text.contains('約') || d.text.contains("左右");
    let years = match (d.earliest, d.latest) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => return d.text.clone(),
    };
    if approx { format!("c. {years}") } else { years }
}

/// A quantity: 1件 in Chinese, "1 item" in English where the unit has an English name.
pub fn quantity_in(q: &Quantity, lang: Lang) -> String {
    if lang == Lang::Zh {
        return format!("{}{}", q.count, q.unit);
    }
    let (one, many) = match q.unit.as_str() {
        "件" => ("item", "items"),
        "套" => ("set", "sets"),
        "张" | "張" => ("sheet", "sheets"),
        "幅" => ("scroll", "scrolls"),
        "册" | "冊" => ("volume", "volumes"),
        "枚" => ("piece", "pieces"),
        "组" | "組" => ("group", "groups"),
        "对" | "對" => ("pair", "pairs"),
        other => return format!("{} {other}", q.count),
    };
    format!("{} {}", q.count, if q.count == 1 { one } else { many })
}

/// A role written `原作作者 / author of the original work`: its Chinese and English halves.
fn split_both(role: &str) -> (&str, &str) {
    match role.split_once(" / ") {
        Some((zh, en)) => (zh.trim(), en.trim()),
        None => (role, ""),
    }
}

fn join_nonempty(parts: &[String], sep: &str) -> String {
    parts.iter().filter(|p| !p.trim().is_empty()).cloned().collect::<Vec<_>>().join(sep)
}

fn join_en(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The year an accession number starts with (2023.15.1 → 2023).
fn year_of(accession: &str) -> Option<i32> {
    let digits: String = accession.chars().take_while(char::is_ascii_digit).collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// Accession numbers in the order a register keeps them: numbers by value
/// (2023.15.2 before 2023.15.10), the rest as text.
pub fn natural(a: &str, b: &str) -> Ordering {
    fn parts(s: &str) -> Vec<(u8, u64, String)> {
        let mut out = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                let (d, r) = rest.split_at(digits);
                out.push((0, d.parse().unwrap_or(u64::MAX), String::new()));
                rest = r;
            } else {
                let len: usize = rest.chars().take_while(|c| !c.is_ascii_digit()).map(char::len_utf8).sum();
                let (t, r) = rest.split_at(len);
                out.push((1, 0, t.to_string()));
                rest = r;
            }
        }
        out
    }
    parts(a).cmp(&parts(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accession_numbers_sort_by_their_numbers() {
        assert_eq!(natural("2023.15.2", "2023.15.10"), Ordering::Less);
        assert_eq!(natural("2023.15.10", "2023.15.10"), Ordering::Equal);
        assert_eq!(natural("JZ-2024-1", "JZ-2023-9"), Ordering::Greater);
        assert_eq!(year_of("2023.15.1"), Some(2023));
        assert_eq!(year_of("JZ-1"), None);
    }

    #[test]
    fn english_says_chinese_dates_and_quantities_in_english() {
        let d = HistoricalDate { text: "约1923年".into(), earliest: Some(1923), latest: Some(1923), qualifier: None };
        assert_eq!(date_in(&d, Lang::En), "c. 1923");
        assert_eq!(date_in(&d, Lang::Zh), "约1923年");
        let q = Quantity { count: 1, unit: "件".into() };
        assert_eq!(quantity_in(&q, Lang::En), "1 item");
        assert_eq!(quantity_in(&Quantity { count: 3, unit: "件".into() }, Lang::En), "3 items");
        assert_eq!(quantity_in(&q, Lang::Zh), "1件");
        assert_eq!(day_in(chrono::NaiveDate::from_ymd_opt(2023, 3, 1).unwrap(), Lang::En), "1 March 2023");
    }
}
