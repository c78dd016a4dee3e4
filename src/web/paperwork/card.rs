//! The catalogue card: every field of a record, in the census register's order.

use serde_json::{Value, json};

use super::{Compose, PrintFailure};
use crate::catalogue::Picture;
use crate::model::view::Redact;
use crate::web::labels;

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

impl Compose<'_> {
    pub(super) fn cards(&self, accessions: &[String]) -> Result<(Value, Vec<Picture>), PrintFailure> {
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

    pub(super) fn card(&self, accession: &str, n: usize) -> Result<(Value, Option<Picture>), PrintFailure> {
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
        // Where it is kept, for those who may know.
        if self.catalogue.sees_locations(self.viewer)
            && let Some(at) = self.catalogue.whereabouts(self.viewer, accession)?.current
        {
            let name = self.text(&at.location.name);
            fields.push(
                json!({"label": labels::field_name("location", self.lang), "value": format!("{} {name}", at.code)}),
            );
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

    pub(super) fn field(&self, out: &mut Vec<Value>, key: &str, v: &Value) {
        let shown = labels::value(key, v, self.vocab, self.lang);
        if shown != "—" {
            out.push(json!({"label": labels::field_name(key, self.lang), "value": shown}));
        }
    }
}
