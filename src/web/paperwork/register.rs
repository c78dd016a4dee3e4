//! The register (总登记账): a row an object, over a range of years or numbers.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::{Compose, PrintFailure, Range, join_nonempty, natural, year_of};
use crate::catalogue::ArtefactFilter;
use crate::model::view::ArtefactRecord;
use crate::model::vocab::names;
use crate::web::pages::i18n::Lang;

impl Compose<'_> {
    pub(super) fn register(&self, range: &Range) -> Result<Value, PrintFailure> {
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
}
