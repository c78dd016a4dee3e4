//! IIIF Presentation API 3.0 manifests: one per artefact, one canvas per image
//! the caller may see, each with an Image API 3.0 service.

use serde_json::{Map, Value, json};

use crate::model::common::LocalText;
use crate::model::image::ImageRecord;
use crate::model::rights::licence_uri;
use crate::model::text::urlencode;
use crate::model::view::PublicArtefact;

pub const CONTEXT: &str = "http://iiif.io/api/presentation/3/context.json";

/// A language map (`{"zh": [...], "en": [...]}`) of the languages the text has; `none` when empty.
fn lang_map(t: &LocalText) -> Value {
    let mut m = Map::new();
    if let Some(zh) = t.zh.as_deref().filter(|s| !s.is_empty()) {
        m.insert("zh".into(), json!([zh]));
    }
    if let Some(en) = t.en.as_deref().filter(|s| !s.is_empty()) {
        m.insert("en".into(), json!([en]));
    }
    if m.is_empty() {
        m.insert("none".into(), json!([""]));
    }
    Value::Object(m)
}

fn both(zh: &str, en: &str) -> Value {
    json!({"zh": [zh], "en": [en]})
}

fn same(v: &str) -> Value {
    json!({"none": [v]})
}

fn entry(label_zh: &str, label_en: &str, value: Value) -> Value {
    json!({"label": both(label_zh, label_en), "value": value})
}

/// The manifest of artefact `a` at `base` (the catalogue's public address), with `images` in order.
pub fn manifest(base: &str, a: &PublicArtefact, images: &[ImageRecord]) -> Value {
    let id = format!("{base}/iiif/3/manifests/{}", urlencode(&a.accession_number));
    let mut metadata = vec![entry("总登记号", "Accession number", same(&a.accession_number))];
    if !a.makers.is_empty() {
        let names: Vec<&str> = a.makers.iter().map(|m| m.name.as_str()).collect();
        metadata.push(entry("作者", "Maker", same(&names.join("; "))));
    }
    if let Some(d) = &a.date {
        metadata.push(entry("年代", "Date", same(&d.text)));
    }
    if !a.materials.is_empty() {
        metadata.push(entry("质地", "Material", same(&a.materials.join("; "))));
    }
    if let Some(text) = a.dimensions.as_ref().and_then(|d| d.text.as_deref()) {
        metadata.push(entry("尺寸", "Dimensions", same(text)));
    }
    for i in &a.inscriptions {
        metadata.push(entry("题识", "Inscription", same(&i.text)));
    }
    if a.reproduction.is_some() {
        metadata.push(entry("复制品", "Reproduction", both("是", "yes")));
    }
    let credit = a
        .credit_line
        .clone()
        .or_else(|| a.record_source.as_ref().and_then(|s| s.attribution.clone()))
        .unwrap_or_else(|| "museum-catalogue".into());
    let canvases: Vec<Value> =
        images.iter().enumerate().map(|(n, img)| canvas(base, &id, n + 1, img, &a.title)).collect();
    let mut m = json!({
        "@context": CONTEXT,
        "id": id,
        "type": "Manifest",
        "label": lang_map(&a.title),
        "metadata": metadata,
        "requiredStatement": entry("致谢", "Credit line", same(&credit)),
        "provider": [{
            "id": format!("{base}/"),
            "type": "Agent",
            "label": both("博物馆藏品目录", "Museum catalogue"),
            "homepage": [{"id": format!("{base}/"), "type": "Text", "label": both("藏品检索", "Collection search"), "format": "text/html"}]
        }],
        "homepage": [{
            "id": format!("{base}/objects/{}", urlencode(&a.accession_number)),
            "type": "Text",
            "label": lang_map(&a.title),
            "format": "text/html"
        }],
        "items": canvases,
    });
    if !a.description.is_empty() {
        m["summary"] = lang_map(&a.description);
    }
    if let Some(rights) = a.rights.as_deref().filter(|r| r.starts_with("http://") || r.starts_with("https://")) {
        m["rights"] = json!(rights);
    } else if let Some(l) = a.record_source.as_ref().and_then(|s| s.licence.as_deref()).and_then(licence_uri) {
        m["rights"] = json!(l);
    }
    if let Some(first) = images.first() {
        m["thumbnail"] = json!([thumbnail(base, first)]);
    }
    m
}

fn thumbnail(base: &str, img: &ImageRecord) -> Value {
    let service = format!("{base}/iiif/3/{}", img.meta.id);
    json!({
        "id": format!("{service}/full/!400,400/0/default.jpg"),
        "type": "Image",
        "format": "image/jpeg",
        "service": [{"id": service, "type": "ImageService3", "profile": "level2"}]
    })
}

fn canvas(base: &str, manifest_id: &str, n: usize, img: &ImageRecord, title: &LocalText) -> Value {
    let canvas_id = format!("{manifest_id}/canvas/{n}");
    let service = format!("{base}/iiif/3/{}", img.meta.id);
    let label = if img.meta.caption.is_empty() { lang_map(title) } else { lang_map(&img.meta.caption) };
    let mut c = json!({
        "id": canvas_id,
        "type": "Canvas",
        "label": label,
        "width": img.meta.width,
        "height": img.meta.height,
        "thumbnail": [thumbnail(base, img)],
        "items": [{
            "id": format!("{canvas_id}/page"),
            "type": "AnnotationPage",
            "items": [{
                "id": format!("{canvas_id}/page/image"),
                "type": "Annotation",
                "motivation": "painting",
                "target": canvas_id,
                "body": {
                    "id": format!("{service}/full/max/0/default.jpg"),
                    "type": "Image",
                    "format": "image/jpeg",
                    "width": img.meta.width,
                    "height": img.meta.height,
                    "service": [{"id": service, "type": "ImageService3", "profile": "level2"}]
                }
            }]
        }]
    });
    if let Some(p) = &img.meta.photographer {
        c["metadata"] = json!([entry("摄影", "Photographer", same(p))]);
    }
    if let Some(r) = img.meta.rights.as_deref().and_then(licence_uri) {
        c["rights"] = json!(r);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_become_uris_the_specification_accepts() {
        assert_eq!(licence_uri("CC0").as_deref(), Some("http://creativecommons.org/publicdomain/zero/1.0/"));
        assert_eq!(licence_uri("CC BY 4.0").as_deref(), Some("http://creativecommons.org/licenses/by/4.0/"));
        assert_eq!(
            licence_uri("https://creativecommons.org/licenses/by-sa/3.0/").as_deref(),
            Some("http://creativecommons.org/licenses/by-sa/3.0/")
        );
        assert_eq!(licence_uri("All rights reserved"), None);
    }

    #[test]
    fn accession_numbers_are_encoded_as_one_segment() {
        assert_eq!(urlencode("2023.15.1"), "2023.15.1");
        assert_eq!(urlencode("南購銅 1/2"), "%E5%8D%97%E8%B3%BC%E9%8A%85%201%2F2");
    }
}
