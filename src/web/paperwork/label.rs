//! Object labels: the credit line as the donor consented, in both languages.

use serde_json::{Value, json};

use super::{Compose, PrintFailure, date_in, join_nonempty, split_both};
use crate::model::vocab::names;
use crate::web::labels;
use crate::web::pages::i18n::Lang;

impl Compose<'_> {
    pub(super) fn labels(&self, accessions: &[String]) -> Result<Value, PrintFailure> {
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

    pub(super) fn term_in(&self, vocabulary: &str, code: &Option<String>, lang: Lang) -> String {
        code.as_deref().map_or_else(String::new, |c| labels::term(self.vocab, vocabulary, c, lang))
    }
}
