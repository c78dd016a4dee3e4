//! LIDO 1.1 XML of published objects, for aggregators: `catalogue export
//! --format lido` (one `lido:lidoWrap`) and the `lido` format of OAI-PMH (one
//! `lido:lido` per record). Everything comes from the public view and the
//! public context, so no private field can reach it.
//!
//! Each record carries the titles in both languages, the census category and
//! object name as classification, inscriptions, the repository and accession
//! number, descriptions, measurements in display form (the text as written)
//! and indexing form (type, unit, value per part), the production event
//! (makers, date, period, materials and technique), the acquisition event
//! (the donation: occasion, donors named as they consented, date, method), the
//! credit line and rights, and the public images.

use super::linked_art::Acquisition;
use super::public::PublicContext;
use super::xml::Xml;
use crate::model::date::HistoricalDate;
use crate::model::dimensions::Dimension;
use crate::model::view::PublicArtefact;
use crate::model::vocab::{Vocabularies, names};

pub const NAMESPACE: &str = "http://www.lido-schema.org";
pub const SCHEMA: &str = "http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd";
/// LIDO terminology: a local identifier, and a URI.
const LOCAL_ID: &str = "http://terminology.lido-schema.org/lido00100";
const URI: &str = "http://terminology.lido-schema.org/lido00099";

/// The namespace declarations of a LIDO document's root element.
pub const ROOT_ATTRIBUTES: &[(&str, &str)] = &[
    ("xmlns:lido", NAMESPACE),
    ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ("xsi:schemaLocation", "http://www.lido-schema.org http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"),
];

/// Where and whose the records are.
pub struct Repository<'a> {
    /// The museum's name, as configured (`museum_name`).
    pub name: &'a str,
    /// The catalogue's public address, for permalinks and images.
    pub base: &'a str,
    pub vocab: &'a Vocabularies,
}

/// Writes one `lido:lido` element; with `standalone`, it declares the namespaces
/// itself (as an OAI-PMH record's metadata must).
pub fn record(
    x: &mut Xml,
    repo: &Repository<'_>,
    p: &PublicArtefact,
    public: &PublicContext,
    updated: &str,
    standalone: bool,
) {
    let acc = crate::model::text::urlencode(&p.accession_number);
    let permalink = format!("{}/objects/{acc}", repo.base);
    x.open("lido:lido", if standalone { ROOT_ATTRIBUTES } else { &[] });
    x.leaf("lido:lidoRecID", &[("lido:source", repo.name), ("lido:type", LOCAL_ID)], &p.accession_number);
    x.leaf("lido:objectPublishedID", &[("lido:type", URI)], &permalink);
    x.open("lido:category", &[]);
    x.leaf("lido:conceptID", &[("lido:type", URI)], "http://www.cidoc-crm.org/cidoc-crm/E22_Human-Made_Object");
    x.leaf("lido:term", &[("xml:lang", "en")], "Human-Made Object");
    x.close("lido:category");

    x.open("lido:descriptiveMetadata", &[("xml:lang", "zh")]);
    classification(x, repo, p);
    identification(x, repo, p);
    events(x, repo, p, public);
    x.close("lido:descriptiveMetadata");

    x.open("lido:administrativeMetadata", &[("xml:lang", "zh")]);
    x.open("lido:rightsWorkWrap", &[]);
    x.open("lido:rightsWorkSet", &[]);
    if let Some(rights) = &p.rights {
        x.open("lido:rightsType", &[]);
        x.leaf("lido:term", &[], rights);
        x.close("lido:rightsType");
    }
    x.leaf("lido:creditLine", &[], &public.credit_line(p, super::public::ANONYMOUS_CREDIT));
    x.close("lido:rightsWorkSet");
    x.close("lido:rightsWorkWrap");
    x.open("lido:recordWrap", &[]);
    x.leaf("lido:recordID", &[("lido:type", LOCAL_ID)], &p.accession_number);
    x.open("lido:recordType", &[]);
    x.leaf("lido:term", &[("xml:lang", "en")], "item");
    x.close("lido:recordType");
    x.open("lido:recordSource", &[]);
    legal_body(x, repo);
    x.close("lido:recordSource");
    x.open("lido:recordInfoSet", &[]);
    x.leaf("lido:recordInfoLink", &[], &permalink);
    x.leaf("lido:recordMetadataDate", &[], updated);
    x.close("lido:recordInfoSet");
    x.close("lido:recordWrap");
    if !public.images.is_empty() {
        x.open("lido:resourceWrap", &[]);
        for (i, image) in public.images.iter().enumerate() {
            let service = format!("{}/iiif/3/{}", repo.base, crate::model::text::urlencode(&image.meta.id));
            let order = (i + 1).to_string();
            x.open("lido:resourceSet", &[("lido:sortorder", &order)]);
            x.leaf("lido:resourceID", &[("lido:type", LOCAL_ID)], &image.meta.id);
            for (kind, size) in [("image_thumb", "!400,400"), ("image_master", "max")] {
                x.open("lido:resourceRepresentation", &[("lido:type", kind)]);
                x.leaf("lido:linkResource", &[], &format!("{service}/full/{size}/0/default.jpg"));
                x.close("lido:resourceRepresentation");
            }
            x.open("lido:resourceType", &[]);
            x.leaf("lido:term", &[("xml:lang", "en")], "digital image");
            x.close("lido:resourceType");
            for (lang, caption) in [("zh", &image.meta.caption.zh), ("en", &image.meta.caption.en)] {
                if let Some(c) = caption {
                    x.leaf("lido:resourceDescription", &[("xml:lang", lang)], c);
                }
            }
            x.close("lido:resourceSet");
        }
        x.close("lido:resourceWrap");
    }
    x.close("lido:administrativeMetadata");
    x.close("lido:lido");
}

fn legal_body(x: &mut Xml, repo: &Repository<'_>) {
    x.open("lido:legalBodyName", &[]);
    x.leaf("lido:appellationValue", &[], repo.name);
    x.close("lido:legalBodyName");
    x.leaf("lido:legalBodyWeblink", &[], &format!("{}/", repo.base));
}

/// A term in both languages, from a vocabulary when it has the code.
fn terms(x: &mut Xml, repo: &Repository<'_>, list: &str, code: &str) {
    match repo.vocab.resolve(list, code) {
        Ok(term) => {
            x.leaf("lido:term", &[("xml:lang", "zh")], &term.zh);
            x.leaf("lido:term", &[("xml:lang", "en")], &term.en);
        }
        Err(_) => x.leaf("lido:term", &[], code),
    }
}

fn classification(x: &mut Xml, repo: &Repository<'_>, p: &PublicArtefact) {
    x.open("lido:objectClassificationWrap", &[]);
    x.open("lido:objectWorkTypeWrap", &[]);
    x.open("lido:objectWorkType", &[]);
    match (&p.object_name, &p.category) {
        (Some(name), _) => x.leaf("lido:term", &[("xml:lang", "zh")], name),
        (None, Some(category)) => terms(x, repo, names::CATEGORY, category),
        (None, None) => x.leaf("lido:term", &[("xml:lang", "en")], "object"),
    }
    x.close("lido:objectWorkType");
    x.close("lido:objectWorkTypeWrap");
    if let Some(category) = &p.category {
        x.open("lido:classificationWrap", &[]);
        x.open("lido:classification", &[("lido:type", "census category")]);
        terms(x, repo, names::CATEGORY, category);
        x.close("lido:classification");
        x.close("lido:classificationWrap");
    }
    x.close("lido:objectClassificationWrap");
}

fn identification(x: &mut Xml, repo: &Repository<'_>, p: &PublicArtefact) {
    x.open("lido:objectIdentificationWrap", &[]);
    x.open("lido:titleWrap", &[]);
    x.open("lido:titleSet", &[]);
    let mut titled = false;
    for (lang, title) in [("zh", &p.title.zh), ("en", &p.title.en)] {
        if let Some(t) = title.as_deref().filter(|t| !t.trim().is_empty()) {
            x.leaf("lido:appellationValue", &[("xml:lang", lang), ("lido:pref", "preferred")], t);
            titled = true;
        }
    }
    if !titled {
        x.leaf("lido:appellationValue", &[], &p.accession_number);
    }
    x.close("lido:titleSet");
    for other in &p.other_titles {
        x.open("lido:titleSet", &[]);
        x.leaf("lido:appellationValue", &[("lido:pref", "alternative")], other);
        x.close("lido:titleSet");
    }
    x.close("lido:titleWrap");

    if !p.inscriptions.is_empty() {
        x.open("lido:inscriptionsWrap", &[]);
        for i in &p.inscriptions {
            let kind = i.kind.as_deref().unwrap_or("inscription");
            x.open("lido:inscriptions", &[("lido:type", kind)]);
            x.leaf("lido:inscriptionTranscription", &[], &i.text);
            let notes: Vec<String> = [
                i.position.as_ref().map(|s| format!("位置：{s}")),
                i.translation.as_ref().map(|s| format!("Translation: {s}")),
                i.note.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !notes.is_empty() {
                x.open("lido:inscriptionDescription", &[]);
                x.leaf("lido:descriptiveNoteValue", &[], &notes.join("；"));
                x.close("lido:inscriptionDescription");
            }
            x.close("lido:inscriptions");
        }
        x.close("lido:inscriptionsWrap");
    }

    x.open("lido:repositoryWrap", &[]);
    x.open("lido:repositorySet", &[("lido:type", "current")]);
    x.open("lido:repositoryName", &[]);
    legal_body(x, repo);
    x.close("lido:repositoryName");
    x.leaf("lido:workID", &[("lido:type", "accession number")], &p.accession_number);
    x.close("lido:repositorySet");
    x.close("lido:repositoryWrap");

    let descriptions: Vec<(&str, &String)> = [("zh", &p.description.zh), ("en", &p.description.en)]
        .into_iter()
        .filter_map(|(l, d)| d.as_ref().filter(|d| !d.trim().is_empty()).map(|d| (l, d)))
        .collect();
    if !descriptions.is_empty() {
        x.open("lido:objectDescriptionWrap", &[]);
        x.open("lido:objectDescriptionSet", &[]);
        for (lang, d) in descriptions {
            x.leaf("lido:descriptiveNoteValue", &[("xml:lang", lang)], d);
        }
        x.close("lido:objectDescriptionSet");
        x.close("lido:objectDescriptionWrap");
    }

    if let Some(d) = &p.dimensions
        && (d.text.is_some() || !d.items.is_empty())
    {
        x.open("lido:objectMeasurementsWrap", &[]);
        // One set per part measured (the whole object first), the text as written on the first.
        let mut parts: Vec<Option<&str>> = Vec::new();
        for item in &d.items {
            if !parts.contains(&item.part.as_deref()) {
                parts.push(item.part.as_deref());
            }
        }
        if parts.is_empty() {
            parts.push(None);
        }
        for (n, part) in parts.iter().enumerate() {
            x.open("lido:objectMeasurementsSet", &[]);
            if n == 0
                && let Some(text) = &d.text
            {
                x.leaf("lido:displayObjectMeasurements", &[], text);
            }
            let items: Vec<&Dimension> = d.items.iter().filter(|i| i.part.as_deref() == *part).collect();
            if !items.is_empty() {
                x.open("lido:objectMeasurements", &[]);
                for item in &items {
                    x.open("lido:measurementsSet", &[]);
                    x.leaf("lido:measurementType", &[("xml:lang", "en")], &code(&item.kind));
                    x.leaf("lido:measurementUnit", &[], &code(&item.unit));
                    x.leaf("lido:measurementValue", &[], &number(item.value));
                    x.close("lido:measurementsSet");
                }
                if items.iter().any(|i| i.approximate) {
                    x.leaf("lido:qualifierMeasurements", &[("xml:lang", "en")], "approximate");
                }
                if let Some(part) = part {
                    x.leaf("lido:extentMeasurements", &[], part);
                }
                x.close("lido:objectMeasurements");
            }
            x.close("lido:objectMeasurementsSet");
        }
        x.close("lido:objectMeasurementsWrap");
    }
    x.close("lido:objectIdentificationWrap");
}

fn events(x: &mut Xml, repo: &Repository<'_>, p: &PublicArtefact, public: &PublicContext) {
    let produced = !p.makers.is_empty()
        || p.date.is_some()
        || p.period.is_some()
        || !p.materials.is_empty()
        || p.technique.is_some();
    let acquisition = public.acquisition(p);
    if !produced && acquisition.is_none() {
        return;
    }
    x.open("lido:eventWrap", &[]);
    if produced {
        x.open("lido:eventSet", &[]);
        x.open("lido:event", &[]);
        event_type(x, "Production", "制作");
        for m in &p.makers {
            actor(x, &m.name, m.role.as_deref());
        }
        if let Some(d) = &p.date {
            event_date(x, d);
        }
        if let Some(period) = &p.period {
            x.open("lido:periodName", &[]);
            terms(x, repo, names::PERIOD, period);
            x.close("lido:periodName");
        }
        if !p.materials.is_empty() || p.technique.is_some() {
            x.open("lido:eventMaterialsTech", &[]);
            let mut shown: Vec<String> = p
                .materials
                .iter()
                .map(|m| repo.vocab.resolve(names::MATERIAL, m).map(|t| t.zh.clone()).unwrap_or_else(|_| m.clone()))
                .collect();
            shown.extend(p.technique.clone());
            x.leaf("lido:displayMaterialsTech", &[], &shown.join("，"));
            x.open("lido:materialsTech", &[]);
            for m in &p.materials {
                x.open("lido:termMaterialsTech", &[("lido:type", "material")]);
                terms(x, repo, names::MATERIAL, m);
                x.close("lido:termMaterialsTech");
            }
            if let Some(t) = &p.technique {
                x.open("lido:termMaterialsTech", &[("lido:type", "technique")]);
                x.leaf("lido:term", &[], t);
                x.close("lido:termMaterialsTech");
            }
            x.close("lido:materialsTech");
            x.close("lido:eventMaterialsTech");
        }
        x.close("lido:event");
        x.close("lido:eventSet");
    }
    if let Some(Acquisition { donors, date, label }) = &acquisition {
        x.open("lido:eventSet", &[]);
        x.open("lido:event", &[]);
        event_type(x, "Acquisition", "入藏");
        if let Some(label) = label {
            x.open("lido:eventName", &[]);
            x.leaf("lido:appellationValue", &[], label);
            x.close("lido:eventName");
        }
        for donor in donors {
            actor(x, donor.as_deref().unwrap_or("匿名捐赠者"), Some("donor"));
        }
        if let Some(d) = date {
            event_date(x, d);
        }
        x.open("lido:eventMethod", &[]);
        match &p.acquisition_method {
            Some(method) => terms(x, repo, names::ACQUISITION_METHOD, method),
            None => x.leaf("lido:term", &[("xml:lang", "en")], "gift"),
        }
        x.close("lido:eventMethod");
        x.close("lido:event");
        x.close("lido:eventSet");
    }
    x.close("lido:eventWrap");
}

fn event_type(x: &mut Xml, en: &str, zh: &str) {
    x.open("lido:eventType", &[]);
    x.leaf("lido:term", &[("xml:lang", "en")], en);
    x.leaf("lido:term", &[("xml:lang", "zh")], zh);
    x.close("lido:eventType");
}

fn actor(x: &mut Xml, name: &str, role: Option<&str>) {
    x.open("lido:eventActor", &[]);
    x.open("lido:actorInRole", &[]);
    x.open("lido:actor", &[]);
    x.open("lido:nameActorSet", &[]);
    x.leaf("lido:appellationValue", &[], name);
    x.close("lido:nameActorSet");
    x.close("lido:actor");
    if let Some(role) = role {
        x.open("lido:roleActor", &[]);
        x.leaf("lido:term", &[], role);
        x.close("lido:roleActor");
    }
    x.close("lido:actorInRole");
    x.close("lido:eventActor");
}

/// A date as written, and as the years it spans when they are known.
fn event_date(x: &mut Xml, d: &HistoricalDate) {
    x.open("lido:eventDate", &[]);
    x.leaf("lido:displayDate", &[], &d.text);
    if let Some(earliest) = d.earliest {
        let latest = d.latest.unwrap_or(earliest);
        x.open("lido:date", &[]);
        x.leaf("lido:earliestDate", &[], &year(earliest));
        x.leaf("lido:latestDate", &[], &year(latest));
        x.close("lido:date");
    }
    x.close("lido:eventDate");
}

/// An ISO 8601 year: four digits, a minus sign before the year before 1 CE.
fn year(y: i32) -> String {
    if y < 0 { format!("-{:04}", -y) } else { format!("{y:04}") }
}

fn number(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The serialised name of a unit or kind (`cm`, `height`).
fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_iso_8601() {
        assert_eq!(year(1923), "1923");
        assert_eq!(year(618), "0618");
        assert_eq!(year(-221), "-0221");
    }

    #[test]
    fn measurement_values_drop_trailing_zeros() {
        assert_eq!(number(62.0), "62");
        assert_eq!(number(62.5), "62.5");
        assert_eq!(number(0.125), "0.125");
    }
}
