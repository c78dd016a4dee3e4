//! `/objects/{accession}`: every public field of a published artefact, its
//! public images in a deep-zoom viewer fed by the IIIF Image API, and a
//! citation for researchers.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::i18n::{Lang, PageLang, Text};
use super::{Chrome, base_url, blocking, not_found, render, segment};
use crate::catalogue::StoreError;
use crate::catalogue::formats::PublicContext;
use crate::model::dimensions::Dimension;
use crate::model::english;
use crate::model::view::PublicArtefact;
use crate::web::AppState;
use crate::web::labels::value_label;

pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub lang: Option<&'static str>,
    /// The value as links, when its parts have pages of their own (makers).
    pub links: Vec<(String, String)>,
}

pub struct DimensionsView {
    pub structured: Vec<String>,
    pub text: Option<String>,
    pub text_lang: &'static str,
}

pub struct InscriptionView {
    pub kind: Option<String>,
    pub text: String,
    pub position: Option<String>,
    pub translation: Option<String>,
    pub note: Option<String>,
}

pub struct ImageView {
    pub thumb: String,
    pub thumb_w: u32,
    pub thumb_h: u32,
    pub display: String,
    pub alt: String,
    pub caption: Option<String>,
    pub caption_lang: &'static str,
    /// The largest image its rights allow, and what that is (`3000 × 2000 px`).
    pub download: String,
    pub download_size: String,
    /// Downloaded smaller than the original because of its rights.
    pub reduced: bool,
    /// The rights as the record wrote them, when that is not the statement's URI or name.
    pub rights_written: Option<(String, &'static str)>,
    /// The rights statement in words, and its URI where it is a standard one.
    pub rights: String,
    pub rights_lang: &'static str,
    pub rights_uri: Option<String>,
}

/// The longest edge of an image whose rights do not let anyone reuse it.
const RESTRICTED_EDGE: u32 = 1200;

/// An image's rights as the page shows them.
struct RightsShown {
    /// As the record wrote them, beside the statement they were read as (not a bare URI).
    written: Option<(String, &'static str)>,
    words: String,
    lang: &'static str,
    uri: Option<String>,
    open: bool,
}

/// An image's rights: its own, else the record's, else the source dataset's licence; a
/// statement in words where one is recognised, else the curator's words, else
/// "copyright not evaluated".
fn image_rights(i: &crate::model::image::ImageRecord, p: &PublicArtefact, l: Lang) -> RightsShown {
    use crate::model::rights;
    let written =
        [i.meta.rights.as_deref(), p.rights.as_deref(), p.record_source.as_ref().and_then(|s| s.licence.as_deref())]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|w| !w.is_empty());
    let lang_of = |w: &str| if english::has_chinese(w) { "zh" } else { "en" };
    match (written, written.map_or_else(|| Some(rights::not_evaluated()), rights::read)) {
        (w, Some(r)) => RightsShown {
            written: w.filter(|w| !w.starts_with("http")).map(|w| (w.to_string(), lang_of(w))),
            words: if l == Lang::En { r.en } else { r.zh },
            lang: l.code(),
            uri: Some(r.uri),
            open: r.open,
        },
        (w, None) => {
            let w = w.unwrap_or_default().to_string();
            RightsShown { written: None, lang: lang_of(&w), words: w, uri: None, open: false }
        }
    }
}

pub struct ObjectView {
    pub title: String,
    pub title_lang: &'static str,
    pub other_titles: String,
    pub reproduction: bool,
    pub reproduction_note: Option<String>,
    pub original: Option<String>,
    pub original_href: Option<String>,
    pub images: Vec<ImageView>,
    /// JSON array of the images' info.json URLs, for the viewer.
    pub tile_sources: String,
    pub manifest: String,
    pub manifest_drag: String,
    /// The bundled Mirador with this object's manifest.
    pub mirador: String,
    pub fields: Vec<Field>,
    pub dimensions: Option<DimensionsView>,
    pub description: Option<(String, &'static str)>,
    pub inscriptions: Vec<InscriptionView>,
    pub provenance: Vec<String>,
    pub donation: Option<(String, String)>,
    pub credit_line: String,
    /// `zh` or `en`: the language the credit line is in.
    pub credit_line_lang: &'static str,
    pub rights: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub permalink: String,
    /// The permalink as an IRI, for reading and citing.
    pub permalink_iri: String,
    pub citation: String,
    /// Rows of related objects: this donation, donor, maker, category and period.
    pub related: Vec<super::related::RelatedRow>,
}

#[derive(Template)]
#[template(path = "object.html")]
pub struct ObjectPage {
    pub c: Chrome,
    pub o: ObjectView,
}

fn dimension(d: &Dimension, lang: Lang) -> String {
    let unit = serde_json::to_value(d.unit).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    let approx = if d.approximate { if lang == Lang::Zh { "约" } else { "c. " } } else { "" };
    let part = d.part.as_deref().map(|p| format!("{p} ")).unwrap_or_default();
    format!("{part}{}{}{approx}{} {unit}", crate::web::labels::dimension_kind(d.kind, lang), lang.text().colon, d.value)
}

fn push(fields: &mut Vec<Field>, label: &'static str, value: Option<String>, lang: Option<&'static str>) {
    if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
        fields.push(Field { label, value, lang, links: Vec::new() });
    }
}

/// What the page needs besides the artefact: its public images and donation facts.
struct Extras {
    public: PublicContext,
    /// The original of a reproduction is published too.
    original_published: bool,
}

fn extras(state: &AppState, p: &PublicArtefact) -> Result<Extras, StoreError> {
    let public = state.catalogue.public_context(p)?;
    let original_published = match p.reproduction.as_ref().and_then(|r| r.original_accession.as_deref()) {
        Some(acc) => state.catalogue.artefact(acc)?.is_some_and(|a| PublicArtefact::of(&a.record).is_some()),
        None => false,
    };
    Ok(Extras { public, original_published })
}

/// A citation in the page's language: the makers (on an English page with their
/// pinyin), the title, the date as the page shows it, the number and the permalink.
fn citation(t: &Text, p: &PublicArtefact, title: &str, date: Option<&str>, permalink: &str, lang: Lang) -> String {
    let makers: Vec<String> = p
        .makers
        .iter()
        .map(|m| if lang == Lang::En { english::name_with_pinyin(&m.name) } else { m.name.clone() })
        .collect();
    let mut parts = Vec::new();
    if !makers.is_empty() {
        parts.push(makers.join(if lang == Lang::Zh { "，" } else { ", " }));
    }
    // A title within the title's own marks takes the inner ones: 《黎澍书陆游〈村饮〉诗》.
    let inner = title.replace('《', "〈").replace('》', "〉");
    parts.push(if lang == Lang::Zh { format!("《{inner}》") } else { title.to_string() });
    if let Some(d) = date {
        parts.push(d.to_string());
    }
    parts.push(format!("{} {}", t.accession_number, p.accession_number));
    let today = chrono::Utc::now().format("%Y-%m-%d");
    // GB/T 7714 separates the parts with a full stop and a space in Chinese too.
    format!("{}. {permalink}{}{} {today}{}", parts.join(". "), t.paren_open, t.accessed, t.paren_close)
}

pub async fn page(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    Path(accession): Path<String>,
) -> Response {
    let base = base_url(&state, &headers);
    let linked_art = accession.ends_with(".jsonld");
    let accession = accession.strip_suffix(".jsonld").unwrap_or(&accession).to_string();
    let st = state.clone();
    let l = lang.lang;
    let loaded =
        blocking(move || -> anyhow::Result<Option<(PublicArtefact, Extras, Vec<super::related::RelatedRow>)>> {
            let Some(record) = st.catalogue.artefact(&accession)? else { return Ok(None) };
            let Some(p) = PublicArtefact::with_id(record.id, &record.record) else { return Ok(None) };
            let extras = extras(&st, &p)?;
            let related =
                if linked_art { Vec::new() } else { super::related::related(&st.catalogue, &p, &extras.public, l)? };
            Ok(Some((p, extras, related)))
        })
        .await;
    let (p, extras, related) = match loaded {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(&lang, &base),
        Err(r) => return r,
    };
    let t = l.text();
    let credit_line = extras.public.credit_line(&p, t.anonymous);
    if linked_art {
        let acquisition = extras.public.acquisition(&p);
        let doc = crate::catalogue::formats::linked_art::object(
            &base,
            &p,
            &credit_line,
            acquisition.as_ref(),
            &extras.public.images,
        );
        let mut res = axum::Json(doc).into_response();
        res.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static(
                "application/ld+json;profile=\"https://linked.art/ns/v1/linked-art.json\"",
            ),
        );
        return res;
    }
    let credit_shown = match l {
        Lang::En => extras.public.credit_line_en(&p, t.anonymous).0,
        Lang::Zh => credit_line.clone(),
    };
    let vocab = state.catalogue.vocabularies();
    let (title, title_lang) = l.pick(&p.title).unwrap_or_else(|| (p.accession_number.clone(), "zh"));
    let acc = segment(&p.accession_number);
    let mut fields = Vec::new();
    push(&mut fields, t.accession_number, Some(p.accession_number.clone()), None);
    push(&mut fields, t.object_name, p.object_name.clone(), Some("zh"));
    push(&mut fields, t.department, p.department.clone(), None);
    push(&mut fields, t.category, p.category.as_deref().map(|c| value_label(&vocab, l, "category", c)), None);
    // An English page says what it can in English (names with their pinyin, roles,
    // dates, quantities); what it cannot stays Chinese, marked as such.
    let english = l == Lang::En;
    let zh_if = |s: &str| english::has_chinese(s).then_some("zh");
    let makers: Vec<(String, String)> = p
        .makers
        .iter()
        .map(|m| {
            let href = format!("/makers/{}?lang={}", segment(&m.name), l.code());
            let name = if english { english::name_with_pinyin(&m.name) } else { m.name.clone() };
            let role = m.role.as_deref().map(|r| match english {
                true => english::role(r).unwrap_or_else(|| r.to_string()),
                // A role written in both languages (`书写者 / calligrapher`): its Chinese.
                false => r.split(" / ").find(|part| english::has_chinese(part)).unwrap_or(r).trim().to_string(),
            });
            let text = match role {
                Some(r) => format!("{name}{}{r}{}", t.paren_open, t.paren_close),
                None => name,
            };
            (text, href)
        })
        .collect();
    let maker_links = makers.clone();
    let makers = makers.into_iter().map(|(text, _)| text).collect::<Vec<_>>().join("; ");
    // Marked Chinese on an English page only when no name in it could be romanised.
    let makers_lang =
        zh_if(&makers).filter(|_| english && p.makers.iter().all(|m| english::romanised_name(&m.name).is_none()));
    push(&mut fields, t.maker, Some(makers), makers_lang);
    if let Some(f) = fields.last_mut().filter(|f| f.label == t.maker) {
        f.links = maker_links;
    }
    let date = p.date.as_ref().map(|d| match english {
        true => english::date(d, &vocab).unwrap_or_else(|| d.text.clone()),
        false => d.text.clone(),
    });
    let date_lang = date.as_deref().and_then(zh_if);
    push(&mut fields, t.date, date.clone(), date_lang);
    push(&mut fields, t.period, p.period.as_deref().map(|c| value_label(&vocab, l, "period", c)), None);
    let materials: Vec<String> = p.materials.iter().map(|m| value_label(&vocab, l, "material", m)).collect();
    push(&mut fields, t.materials, Some(materials.join("、")), None);
    push(&mut fields, t.technique, p.technique.clone(), None);
    let quantity = p.quantity.as_ref().map(|q| match english {
        true => english::quantity(q).unwrap_or_else(|| format!("{} {}", q.count, q.unit)),
        false => format!("{} {}", q.count, q.unit),
    });
    let quantity_lang = quantity.as_deref().and_then(zh_if);
    push(&mut fields, t.quantity, quantity, quantity_lang);
    let dimensions = p.dimensions.as_ref().map(|d| DimensionsView {
        structured: d.items.iter().map(|v| dimension(v, l)).collect(),
        text: d.text.clone(),
        text_lang: if d.text.as_deref().is_some_and(|s| s.chars().any(|c| c > '\u{2e80}')) { "zh" } else { "en" },
    });
    let provenance = p
        .provenance
        .iter()
        .map(|e| {
            let mut s = e.owner.clone();
            if let Some(m) = e.method {
                s.push_str(&format!(" ({})", crate::web::labels::transfer_method(m, l)));
            }
            if let Some(d) = &e.date {
                s.push_str(&format!(", {}", d.text));
            }
            if let Some(place) = &e.place {
                s.push_str(&format!(", {place}"));
            }
            s
        })
        .collect();
    let images: Vec<ImageView> = extras
        .public
        .images
        .iter()
        .map(|i| {
            let id = segment(&i.meta.id);
            let caption = l.pick(&i.meta.caption);
            let (tw, th) = crate::catalogue::formats::fit(i.meta.width, i.meta.height, 240);
            let r = image_rights(i, &p, l);
            let open = r.open;
            let (dw, dh) = if open {
                let area = u64::from(i.meta.width) * u64::from(i.meta.height);
                let edge = if area <= crate::catalogue::formats::MAX_AREA {
                    i.meta.width.max(i.meta.height)
                } else {
                    let s = (crate::catalogue::formats::MAX_AREA as f64 / area as f64).sqrt();
                    (f64::from(i.meta.width.max(i.meta.height)) * s) as u32
                };
                crate::catalogue::formats::fit(i.meta.width, i.meta.height, edge)
            } else {
                crate::catalogue::formats::fit(i.meta.width, i.meta.height, RESTRICTED_EDGE)
            };
            let reduced = (dw, dh) != (i.meta.width, i.meta.height);
            ImageView {
                download: if open && !reduced {
                    format!("/iiif/3/{id}/full/max/0/default.jpg")
                } else {
                    format!("/iiif/3/{id}/full/{dw},{dh}/0/default.jpg")
                },
                download_size: format!("{dw} × {dh} {}", t.pixels),
                reduced: reduced && !open,
                rights_written: r.written,
                rights: r.words,
                rights_lang: r.lang,
                rights_uri: r.uri,
                thumb: super::browse::thumbnail(&i.meta.id),
                thumb_w: tw,
                thumb_h: th,
                display: format!("/iiif/3/{id}/full/!1600,1600/0/default.jpg"),
                alt: caption.as_ref().map(|(c, _)| format!("{title}: {c}")).unwrap_or_else(|| title.clone()),
                caption_lang: caption.as_ref().map_or("zh", |(_, lang)| lang),
                caption: caption.map(|(c, _)| c),
            }
        })
        .collect();
    let tile_sources = serde_json::to_string(
        &extras
            .public
            .images
            .iter()
            .map(|i| format!("{base}/iiif/3/{}/info.json", segment(&i.meta.id)))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let manifest = format!("{base}/iiif/3/manifests/{acc}");
    let permalink = format!("{base}/objects/{acc}");
    // What people read and copy: the IRI, with the accession number's characters as written.
    let permalink_iri = format!("{base}/objects/{}", crate::model::text::iri_encode(&p.accession_number));
    let source = p.record_source.as_ref().map(|s| {
        [s.attribution.as_deref(), s.licence.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" · ")
    });
    let description = l.pick(&p.description);
    let summary = description.as_ref().map(|(d, _)| d.chars().take(160).collect::<String>());
    let og_image = extras
        .public
        .images
        .first()
        .map(|i| format!("{base}/iiif/3/{}/full/!1200,1200/0/default.jpg", segment(&i.meta.id)));
    let json_ld = json!({
        "@context": "https://schema.org",
        "@type": "VisualArtwork",
        "@id": permalink,
        "url": permalink,
        "name": title,
        "identifier": p.accession_number,
        "creator": p.makers.iter().map(|m| json!({"@type": "Person", "name": m.name})).collect::<Vec<_>>(),
        "dateCreated": p.date.as_ref().map(|d| d.text.clone()),
        "artMedium": materials.join(", "),
        "description": summary,
        "image": og_image,
        "creditText": credit_line,
        "inLanguage": title_lang,
    });
    let mut c = Chrome::new(
        l,
        &base,
        &format!("/objects/{acc}"),
        title.clone(),
        summary.clone().unwrap_or_else(|| format!("{} {}", t.accession_number, p.accession_number)),
    );
    c.og_type = "article";
    c.og_image = og_image;
    // `</` cannot end the script element early once escaped.
    c.json_ld = Some(json_ld.to_string().replace("</", "<\\/"));
    let o = ObjectView {
        related,
        citation: citation(t, &p, &title, date.as_deref(), &permalink_iri, l),
        title,
        title_lang,
        other_titles: p.other_titles.join("、"),
        reproduction: p.reproduction.is_some(),
        reproduction_note: p.reproduction.as_ref().and_then(|r| r.note.clone()),
        original: p.reproduction.as_ref().and_then(|r| r.original.clone()),
        original_href: p
            .reproduction
            .as_ref()
            .and_then(|r| r.original_accession.as_deref())
            .filter(|_| extras.original_published)
            .map(|a| format!("/objects/{}?lang={}", segment(a), l.code())),
        images,
        tile_sources,
        manifest_drag: format!("{manifest}?manifest={manifest}"),
        mirador: format!("/static/mirador.html?manifest={}", crate::model::text::urlencode(&manifest)),
        manifest,
        fields,
        dimensions,
        description,
        inscriptions: p
            .inscriptions
            .iter()
            .map(|i| InscriptionView {
                kind: i.kind.as_deref().map(|k| crate::web::labels::inscription_kind(k, l)),
                text: i.text.clone(),
                position: i.position.clone(),
                translation: i.translation.clone(),
                note: i.note.clone(),
            })
            .collect(),
        provenance,
        donation: extras.public.donation.map(|(id, occasion)| {
            (
                l.pick(&occasion).map(|(s, _)| s).unwrap_or_else(|| format!("#{id}")),
                format!("/donations/{id}?lang={}", l.code()),
            )
        }),
        credit_line_lang: if english::has_chinese(&credit_shown) { "zh" } else { "en" },
        credit_line: credit_shown,
        rights: p.rights.clone(),
        source,
        source_url: p.record_source.as_ref().and_then(|s| s.url.clone()),
        permalink,
        permalink_iri,
    };
    render(&ObjectPage { c, o }, &lang, StatusCode::OK)
}
