//! The papers of a gift: the receipt, and the certificate or letter of thanks.

use serde_json::{Value, json};

use super::{Compose, PrintFailure, join_en};
use crate::model::artefact::Artefact;
use crate::model::party::Party;
use crate::web::pages::i18n::Lang;

impl Compose<'_> {
    pub(super) fn receipt(&self, id: i64) -> Result<Value, PrintFailure> {
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

    pub(super) fn certificate(&self, id: i64, to: Option<&str>) -> Result<Value, PrintFailure> {
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
    pub(super) fn credit(&self, a: &Artefact) -> Result<(String, String), PrintFailure> {
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

    pub(super) fn gift_donors(&self, id: i64) -> Result<(Vec<Party>, Option<String>), PrintFailure> {
        let Some(d) = self.catalogue.donation(id)? else { return Ok((Vec::new(), None)) };
        Ok((self.donors(&d.record.donor_ids)?, d.record.credit_line))
    }

    /// The parties of a donation's donor ids (one that no longer exists is left out).
    pub(super) fn donors(&self, ids: &[i64]) -> Result<Vec<Party>, PrintFailure> {
        let found = ids.iter().filter_map(|id| self.catalogue.party(*id).transpose());
        Ok(found.map(|p| p.map(|p| p.record)).collect::<Result<Vec<_>, _>>()?)
    }
}
