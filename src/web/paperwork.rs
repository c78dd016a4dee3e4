//! What each printed document says, composed from the records in the reader's
//! language: the API, the workspace and `catalogue print` all print through here.
//!
//! Private values (contact details, valuations, locations, internal notes) are on the
//! two internal documents only, the catalogue card and the register, and only for a
//! viewer who may see them; a receipt, a certificate, a letter and a label never carry
//! one. A donor who did not consent to be named is never named on a label or a
//! certificate: the label says 匿名捐赠 / Anonymous gift, the certificate is addressed
//! as the curator chose.

use std::cmp::Ordering;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::catalogue::{ArtefactFilter, Catalogue, Document, PageRequest, Picture, PrintError, Printed, StoreError};
use crate::model::artefact::{Artefact, Quantity};
use crate::model::common::LocalText;
use crate::model::date::HistoricalDate;
use crate::model::party::Party;
use crate::model::role::Viewer;
use crate::model::view::{ArtefactRecord, DonationRecord, Redact};
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

    fn receipt(&self, id: i64) -> Result<Value, PrintFailure> {
        let gift = self.gift(id)?;
        let d = &gift.donation.record;
        let items: Vec<Value> = gift
            .items
            .iter()
            .map(|a| {
                json!({
                    "accession": a.record.accession_number.as_str(),
                    "title": self.text(&a.record.body.title),
                    "description": self.text(&a.record.body.description),
                    "quantity": self.quantity(&a.record.body.quantity),
                    "condition": self.condition(&a.record),
                })
            })
            .collect();
        if items.is_empty() {
            return Err(PrintFailure::Invalid(format!(
                "donation {id} has no objects yet: add its items, then print the receipt"
            )));
        }
        Ok(json!({
            "receipt_number": d.receipt_number.clone().unwrap_or_else(|| "—".into()),
            "date": d.date.as_ref().map(|d| self.date(d)).unwrap_or_else(|| self.today()),
            // The receipt is the donor's own: it names every donor.
            "donors": self.donor_names(&gift.donors),
            "occasion": self.text(&d.occasion),
            "terms": d.terms.clone().unwrap_or_default(),
            "items": items,
        }))
    }

    fn certificate(&self, id: i64, to: Option<&str>) -> Result<Value, PrintFailure> {
        let gift = self.gift(id)?;
        let d = &gift.donation.record;
        if gift.items.is_empty() {
            return Err(PrintFailure::Invalid(format!(
                "donation {id} has no objects yet: there is nothing to certify"
            )));
        }
        let sep = if self.lang == Lang::Zh { "、" } else { ", " };
        let addressee = match to.map(str::trim).filter(|t| !t.is_empty()) {
            Some(to) => to.to_string(),
            None if gift.named() => self.donor_names(&gift.donors).join(sep),
            // Not everyone agreed to be named: the curator says how to address them.
            None => self.t("尊敬的捐赠者", "Dear donor"),
        };
        let addressee =
            if self.lang == Lang::Zh { addressee.trim_start_matches("尊敬的").to_string() } else { addressee };
        Ok(json!({
            "addressee": addressee,
            "number": d.receipt_number.clone().unwrap_or_default(),
            "date": d.date.as_ref().map(|d| self.date(d)).unwrap_or_default(),
            "occasion": self.text(&d.occasion),
            "items": gift.items.iter().map(|a| self.text(&a.record.body.title)).collect::<Vec<_>>(),
            "issued": self.today(),
        }))
    }

    /// The credit line on a label, in both languages: as consented, else anonymous.
    fn credit(&self, a: &Artefact) -> Result<(String, String), PrintFailure> {
        let gift = match a.body.donation_id {
            Some(id) => Some(self.gift_donors(id)?),
            None => None,
        };
        Ok(match gift {
            Some((donors, credit)) if !donors.is_empty() && donors.iter().all(|p| p.naming_consent) => {
                let zh = a.body.credit_line.clone().or(credit).unwrap_or_else(|| {
                    let names: Vec<String> = donors.iter().filter_map(|p| p.name.zh.clone()).collect();
                    format!("{}捐赠", names.join("、"))
                });
                let en_names: Vec<String> =
                    donors.iter().filter_map(|p| Lang::En.pick(&p.name).map(|(n, _)| n)).collect();
                (zh, format!("Gift of {}", join_en(&en_names)))
            }
            Some(_) => ("匿名捐赠".into(), "Anonymous gift".into()),
            None => (a.body.credit_line.clone().unwrap_or_default(), String::new()),
        })
    }

    fn gift_donors(&self, id: i64) -> Result<(Vec<Party>, Option<String>), PrintFailure> {
        let Some(d) = self.catalogue.donation(id)? else { return Ok((Vec::new(), None)) };
        Ok((self.donors(&d.record.donor_ids)?, d.record.credit_line))
    }

    /// The parties of a donation's donor ids (one that no longer exists is left out).
    fn donors(&self, ids: &[i64]) -> Result<Vec<Party>, PrintFailure> {
        let found = ids.iter().filter_map(|id| self.catalogue.party(*id).transpose());
        Ok(found.map(|p| p.map(|p| p.record)).collect::<Result<Vec<_>, _>>()?)
    }

    fn labels(&self, accessions: &[String]) -> Result<Value, PrintFailure> {
        if accessions.is_empty() {
            return Err(PrintFailure::Invalid("name at least one accession number to print labels for".into()));
        }
        let mut items = Vec::new();
        for accession in accessions {
            let a = self.artefact(accession)?.record;
            let b = &a.body;
            let mut lines = Vec::new();
            let mut line = |zh: String, en: String| {
                if !zh.is_empty() || !en.is_empty() {
                    lines.push(json!({"zh": zh, "en": en}));
                }
            };
            for m in &b.makers {
                let role = m.role.as_deref().unwrap_or_default();
                let (role_zh, role_en) = split_both(role);
                let name_en = b
                    .makers
                    .iter()
                    .find(|x| x.name == m.name)
                    .and_then(|x| x.party_id)
                    .and_then(|id| self.catalogue.party(id).ok().flatten())
                    .and_then(|p| p.record.name.en)
                    .unwrap_or_default();
                let with = |name: &str, role: &str| {
                    if role.is_empty() { name.to_string() } else { format!("{name}（{role}）") }
                };
                let en = if name_en.is_empty() {
                    String::new()
                } else {
                    with(&name_en, role_en).replace('（', " (").replace('）', ")")
                };
                line(with(&m.name, role_zh), en);
            }
            let (period_zh, period_en) =
                (self.term_in(names::PERIOD, &b.period, Lang::Zh), self.term_in(names::PERIOD, &b.period, Lang::En));
            let date_zh = b.date.as_ref().map(|d| date_in(d, Lang::Zh)).unwrap_or_default();
            let date_en = b.date.as_ref().map(|d| date_in(d, Lang::En)).unwrap_or_default();
            line(join_nonempty(&[period_zh, date_zh], " "), join_nonempty(&[period_en, date_en], " "));
            let technique = b.technique.clone().unwrap_or_default();
            line(
                join_nonempty(&[self.materials(&a, Lang::Zh), technique.clone()], "，"),
                join_nonempty(&[self.materials(&a, Lang::En), technique], ", "),
            );
            if let Some(dims) = b.dimensions.as_ref().and_then(|d| d.text.clone()).filter(|t| !t.trim().is_empty()) {
                line(dims, String::new());
            }
            let (credit_zh, credit_en) = self.credit(&a)?;
            items.push(json!({
                "accession": a.accession_number.as_str(),
                "title_zh": Lang::Zh.pick(&b.title).map(|(s, _)| s).unwrap_or_default(),
                "title_en": b.title.en.clone().unwrap_or_default(),
                "lines": lines,
                "credit_zh": credit_zh,
                "credit_en": credit_en,
            }));
        }
        Ok(json!({ "items": items }))
    }

    fn term_in(&self, vocabulary: &str, code: &Option<String>, lang: Lang) -> String {
        code.as_deref().map_or_else(String::new, |c| labels::term(self.vocab, vocabulary, c, lang))
    }

    fn cards(&self, accessions: &[String]) -> Result<(Value, Vec<Picture>), PrintFailure> {
        if accessions.is_empty() {
            return Err(PrintFailure::Invalid("name at least one accession number to print a card for".into()));
        }
        let mut cards = Vec::new();
        let mut pictures = Vec::new();
        for (i, accession) in accessions.iter().enumerate() {
            let (card, picture) = self.card(accession, i)?;
            cards.push(card);
            pictures.extend(picture);
        }
        Ok((json!({ "cards": cards, "printed": self.today() }), pictures))
    }

    fn card(&self, accession: &str, n: usize) -> Result<(Value, Option<Picture>), PrintFailure> {
        let mut record = self.artefact(accession)?;
        if !self.viewer.sees_private() {
            record.record.redact_private();
        }
        let value = serde_json::to_value(&record.record).expect("an artefact serialises");
        let mut fields = Vec::new();
        if let Some(id) = record.record.body.donation_id
            && let Some(d) = self.catalogue.donation(id)?
        {
            let label = self.text(&d.record.occasion);
            fields.push(json!({"label": labels::field_name("donation_id", self.lang), "value": label}));
        }
        if let Value::Object(map) = &value {
            // The census register's order, then whatever else the record holds.
            let rank = |k: &str| CARD_ORDER.iter().position(|o| *o == k).unwrap_or(CARD_ORDER.len());
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| rank(k));
            for key in keys {
                let v = &map[key];
                if matches!(key.as_str(), "accession_number" | "title" | "donation_id") {
                    continue;
                }
                match (key.as_str(), v) {
                    ("private" | "record_source", Value::Object(inner)) => {
                        inner.iter().for_each(|(k, v)| self.field(&mut fields, k, v));
                    }
                    _ => self.field(&mut fields, key, v),
                }
            }
        }
        let images = self.catalogue.images_of(record.id)?;
        let name = format!("image-{n}.jpg");
        let (image, caption, picture) = match self.catalogue.card_picture(&images) {
            Some((bytes, img)) => (name.clone(), self.text(&img.meta.caption), Some((name, bytes))),
            None => (String::new(), String::new(), None),
        };
        let card = json!({
            "accession": accession,
            "title": self.text(&record.record.body.title),
            "fields": fields,
            "image": image,
            "image_caption": caption,
        });
        Ok((card, picture))
    }

    fn field(&self, out: &mut Vec<Value>, key: &str, v: &Value) {
        let shown = labels::value(key, v, self.vocab, self.lang);
        if shown != "—" {
            out.push(json!({"label": labels::field_name(key, self.lang), "value": shown}));
        }
    }

    fn register(&self, range: &Range) -> Result<Value, PrintFailure> {
        if let (Some(a), Some(b)) = (&range.from, &range.to)
            && natural(a, b) == Ordering::Greater
        {
            return Err(PrintFailure::Invalid(format!("the range starts after it ends: {a} comes after {b}")));
        }
        let all = self.all(ArtefactFilter { include_deaccessioned: true, ..Default::default() })?;
        let mut chosen: Vec<ArtefactRecord> = all
            .into_iter()
            .filter(|a| {
                let n = a.record.accession_number.as_str();
                let year = a.record.body.acquired.as_ref().and_then(|d| d.earliest);
                range.year.is_none_or(|y| year == Some(y) || (year.is_none() && year_of(n) == Some(y)))
                    && range.from.as_deref().is_none_or(|f| natural(n, f) != Ordering::Less)
                    && range.to.as_deref().is_none_or(|t| natural(n, t) != Ordering::Greater)
            })
            .collect();
        if chosen.is_empty() {
            let what = match (range.year, &range.from, &range.to) {
                (Some(y), _, _) => self.t(&format!("{y}年入藏的藏品"), &format!("objects acquired in {y}")),
                _ => self.t("这一范围内的总登记号", "accession numbers in this range"),
            };
            return Err(PrintFailure::NotFound(format!("the register has no {what}: nothing to print")));
        }
        chosen.sort_by(|a, b| natural(a.record.accession_number.as_str(), b.record.accession_number.as_str()));
        let rows: Vec<Value> = chosen
            .iter()
            .map(|r| {
                let a = &r.record;
                let b = &a.body;
                let period = match (self.term(names::PERIOD, &b.period), b.date.as_ref().map(|d| self.date(d))) {
                    (p, Some(d)) if !p.is_empty() => format!("{p} {d}"),
                    (p, None) => p,
                    (_, Some(d)) => d,
                };
                let source = join_nonempty(
                    &[
                        self.term(names::ACQUISITION_METHOD, &b.acquisition_method),
                        b.source_note.clone().unwrap_or_default(),
                    ],
                    if self.lang == Lang::Zh { "：" } else { ": " },
                );
                let mut notes = Vec::new();
                if let Some(r) = b.reproduction.as_ref().and_then(|r| r.note.clone()) {
                    notes.push(r);
                }
                if let Some(d) = &a.deaccession {
                    notes.push(format!("{}{}", self.t("已注销：", "Deaccessioned: "), d.reason));
                }
                json!({
                    "accession": a.accession_number.as_str(),
                    "title": self.text(&b.title),
                    "period": period,
                    "material": self.materials(a, self.lang),
                    "quantity": self.quantity(&b.quantity),
                    "dimensions": b.dimensions.as_ref().and_then(|d| d.text.clone()).unwrap_or_default(),
                    "condition": self.condition(a),
                    "source": source,
                    "acquired": b.acquired.as_ref().map(|d| self.date(d)).unwrap_or_default(),
                    "note": notes.join(if self.lang == Lang::Zh { "；" } else { "; " }),
                })
            })
            .collect();
        let columns = if self.lang == Lang::Zh {
            ["总登记号", "名称", "年代", "质地", "数量", "尺寸", "完残情况", "来源", "入藏日期", "备注"]
        } else {
            [
                "Accession no.",
                "Title",
                "Period",
                "Material",
                "Quantity",
                "Dimensions",
                "Condition",
                "Source",
                "Acquired",
                "Remarks",
            ]
        };
        let range_text = match (range.year, &range.from, &range.to) {
            (Some(y), _, _) => self.t(&format!("{y}年入藏"), &format!("acquired in {y}")),
            (None, None, None) => String::new(),
            (None, a, b) => format!("{} – {}", a.clone().unwrap_or_default(), b.clone().unwrap_or_default()),
        };
        Ok(json!({ "columns": columns, "rows": rows, "range": range_text, "printed": self.today() }))
    }

    fn today(&self) -> String {
        let today = chrono::Utc::now().with_timezone(&self.catalogue.config.timezone).date_naive();
        day_in(today, self.lang)
    }
}

/// The order of a catalogue card's fields: the census register's.
const CARD_ORDER: &[&str] = &[
    "other_titles",
    "object_name",
    "category",
    "makers",
    "period",
    "date",
    "materials",
    "technique",
    "dimensions",
    "quantity",
    "completeness",
    "preservation",
    "grade",
    "inscriptions",
    "description",
    "acquisition_method",
    "source_note",
    "acquired",
    "provenance",
    "reproduction",
    "credit_line",
    "rights",
    "department",
    "status",
    "deaccession",
    "private",
    "record_source",
];

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
