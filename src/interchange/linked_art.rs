//! Linked Art JSON-LD of a published object: a HumanMadeObject with its
//! names and accession number, dimensions classified with Getty AAT terms, its
//! production, materials, credit line, images and manifest, and the donation as
//! an acquisition transferring title from the donor to the museum.

use serde_json::{Value, json};

use crate::model::date::HistoricalDate;
use crate::model::dimensions::{Dimension, DimensionKind, Quantity};
use crate::model::image::ImageRecord;
use crate::model::view::PublicArtefact;

pub const CONTEXT: &str = "https://linked.art/ns/v1/linked-art.json";

fn aat(id: &str, label: &str) -> Value {
    json!({"id": format!("http://vocab.getty.edu/aat/{id}"), "type": "Type", "_label": label})
}

fn language(code: &str) -> Value {
    match code {
        "zh" => json!({"id": "http://vocab.getty.edu/aat/300388113", "type": "Language", "_label": "Chinese"}),
        _ => json!({"id": "http://vocab.getty.edu/aat/300388277", "type": "Language", "_label": "English"}),
    }
}

fn dimension(d: &Dimension) -> Option<Value> {
    let (aat_id, label) = match d.kind {
        DimensionKind::Height => ("300055644", "height"),
        DimensionKind::Width => ("300055647", "width"),
        DimensionKind::Depth => ("300072633", "depth"),
        DimensionKind::Length => ("300055645", "length"),
        DimensionKind::Thickness => ("300055646", "thickness"),
        DimensionKind::Diameter => ("300055624", "diameter"),
        DimensionKind::Circumference => ("300055623", "circumference"),
        DimensionKind::Weight => ("300056240", "weight"),
        DimensionKind::Duration => ("300055660", "running time"),
        DimensionKind::Size => ("300055642", "size"),
    };
    // Values as the catalogue normalises them: millimetres, grams, seconds.
    let unit = match d.unit.quantity() {
        Quantity::Length => {
            json!({"id": "http://vocab.getty.edu/aat/300379097", "type": "MeasurementUnit", "_label": "millimeters"})
        }
        Quantity::Mass => {
            json!({"id": "http://vocab.getty.edu/aat/300379225", "type": "MeasurementUnit", "_label": "grams"})
        }
        Quantity::Time => {
            json!({"id": "http://vocab.getty.edu/aat/300379239", "type": "MeasurementUnit", "_label": "seconds"})
        }
    };
    let mut v =
        json!({"type": "Dimension", "value": d.normalised, "unit": unit, "classified_as": [aat(aat_id, label)]});
    if let Some(part) = &d.part {
        v["referred_to_by"] = json!([{"type": "LinguisticObject", "content": part}]);
    }
    Some(v)
}

fn timespan(d: &HistoricalDate) -> Value {
    let mut t = json!({"type": "TimeSpan", "identified_by": [{"type": "Name", "content": d.text}]});
    if let Some(y) = d.earliest {
        t["begin_of_the_begin"] = json!(format!("{y:04}-01-01T00:00:00Z"));
    }
    if let Some(y) = d.latest.or(d.earliest) {
        t["end_of_the_end"] = json!(format!("{y:04}-12-31T23:59:59Z"));
    }
    t
}

fn statement(content: &str, aat_id: &str, label: &str) -> Value {
    json!({"type": "LinguisticObject", "content": content, "classified_as": [aat(aat_id, label)]})
}

/// The donation behind an object, as the public may know it.
pub struct Acquisition {
    /// Donor names that may be shown (the others appear as anonymous).
    pub donors: Vec<Option<String>>,
    pub date: Option<HistoricalDate>,
    pub label: Option<String>,
}

/// The Linked Art document of `p`, served at `{base}/objects/{accession}.jsonld`.
pub fn object(
    base: &str,
    p: &PublicArtefact,
    credit_line: &str,
    acquisition: Option<&Acquisition>,
    images: &[ImageRecord],
) -> Value {
    let acc = crate::model::text::urlencode(&p.accession_number);
    let id = format!("{base}/objects/{acc}.jsonld");
    let mut names = Vec::new();
    for (text, code) in [(&p.title.zh, "zh"), (&p.title.en, "en")] {
        if let Some(t) = text.as_deref().filter(|t| !t.is_empty()) {
            names.push(json!({"type": "Name", "content": t, "language": [language(code)],
                "classified_as": [aat("300404670", "preferred terms")]}));
        }
    }
    for other in &p.other_titles {
        names.push(json!({"type": "Name", "content": other, "classified_as": [aat("300417227", "alternate titles")]}));
    }
    names.push(json!({"type": "Identifier", "content": p.accession_number,
        "classified_as": [aat("300312355", "accession numbers")]}));
    let label = p.title.zh.clone().or_else(|| p.title.en.clone()).unwrap_or_else(|| p.accession_number.clone());
    let mut doc = json!({
        "@context": CONTEXT,
        "id": id,
        "type": "HumanMadeObject",
        "_label": label,
        "identified_by": names,
        "classified_as": [aat("300133025", "works of art")],
    });
    if let Some(d) = &p.dimensions {
        let dims: Vec<Value> = d.items.iter().filter_map(dimension).collect();
        if !dims.is_empty() {
            doc["dimension"] = json!(dims);
        }
    }
    let mut production = json!({"type": "Production"});
    if !p.makers.is_empty() {
        production["carried_out_by"] =
            json!(p.makers.iter().map(|m| json!({"type": "Person", "_label": m.name})).collect::<Vec<_>>());
    }
    if let Some(d) = &p.date {
        production["timespan"] = timespan(d);
    }
    if production.as_object().is_some_and(|o| o.len() > 1) {
        doc["produced_by"] = production;
    }
    if !p.materials.is_empty() {
        doc["made_of"] =
            json!(p.materials.iter().map(|m| json!({"type": "Material", "_label": m})).collect::<Vec<_>>());
    }
    let mut statements = vec![statement(credit_line, "300026687", "acknowledgments")];
    for (text, code) in [(&p.description.zh, "zh"), (&p.description.en, "en")] {
        if let Some(t) = text.as_deref().filter(|t| !t.is_empty()) {
            let mut s = statement(t, "300435416", "description");
            s["language"] = json!([language(code)]);
            statements.push(s);
        }
    }
    for i in &p.inscriptions {
        statements.push(statement(&i.text, "300435414", "inscription description"));
    }
    if let Some(d) = &p.dimensions
        && let Some(text) = &d.text
    {
        statements.push(statement(text, "300435430", "dimensions description"));
    }
    if let Some(r) = &p.rights {
        statements.push(statement(r, "300435434", "copyright/licensing statement"));
    }
    doc["referred_to_by"] = json!(statements);
    if let Some(a) = acquisition {
        let from: Vec<Value> = a
            .donors
            .iter()
            .map(|d| match d {
                Some(name) => json!({"type": "Person", "_label": name}),
                None => json!({"type": "Person", "_label": "anonymous donor"}),
            })
            .collect();
        let mut acq = json!({
            "type": "Acquisition",
            "_label": a.label.clone().unwrap_or_else(|| format!("Gift of {label}")),
            "classified_as": [aat("300417639", "gift (act of giving)")],
            "transferred_title_of": [{"id": id, "type": "HumanMadeObject", "_label": label}],
            "transferred_title_from": from,
            "transferred_title_to": [{"id": format!("{base}/"), "type": "Group", "_label": "the museum"}],
        });
        if let Some(d) = &a.date {
            acq["timespan"] = timespan(d);
        }
        doc["changed_ownership_through"] = json!([{"type": "Activity", "_label": "Provenance entry", "part": [acq]}]);
    }
    if !images.is_empty() {
        doc["representation"] =
            json!(images
            .iter()
            .map(|i| {
                let service = format!("{base}/iiif/3/{}", crate::model::text::urlencode(&i.meta.id));
                json!({"type": "VisualItem", "digitally_shown_by": [{
                    "type": "DigitalObject",
                    "format": "image/jpeg",
                    "access_point": [{"id": format!("{service}/full/max/0/default.jpg"), "type": "DigitalObject"}],
                    "digitally_available_via": [{"type": "DigitalService",
                        "access_point": [{"id": format!("{service}/info.json"), "type": "DigitalObject"}],
                        "conforms_to": [{"id": "http://iiif.io/api/image", "type": "InformationObject"}]}]
                }]})
            })
            .collect::<Vec<_>>());
    }
    doc["subject_of"] = json!([
        {"type": "LinguisticObject", "_label": "Web page", "digitally_carried_by": [{"type": "DigitalObject",
            "format": "text/html", "access_point": [{"id": format!("{base}/objects/{acc}"), "type": "DigitalObject"}]}]},
        {"type": "LinguisticObject", "_label": "IIIF manifest", "digitally_carried_by": [{"type": "DigitalObject",
            "format": "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"",
            "conforms_to": [{"id": "http://iiif.io/api/presentation", "type": "InformationObject"}],
            "access_point": [{"id": format!("{base}/iiif/3/manifests/{acc}"), "type": "DigitalObject"}]}]},
    ]);
    doc
}
