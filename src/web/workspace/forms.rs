//! Workspace forms: reading a submitted form, and turning it into the same JSON
//! documents the API takes, so the same validation speaks to both.

use std::collections::HashMap;

use axum::Json;
use axum::extract::RawQuery;
use serde_json::{Map, Value, json};

use crate::model::artefact::Artefact;
use crate::model::dimensions::{self, ParseOptions, Parsed};
use crate::model::donation::Donation;
use crate::model::party::{Party, PartyKind};
use crate::model::vocab::{Vocabularies, names};
use crate::web::pages::i18n::Lang;

/// The fields of a submitted form (or the values a form is filled with).
#[derive(Debug, Clone, Default)]
pub struct Fields(HashMap<String, String>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        let mut map = HashMap::new();
        for (k, v) in url::form_urlencoded::parse(body) {
            map.insert(k.into_owned(), v.into_owned());
        }
        Fields(map)
    }

    /// The trimmed value of `name`, absent when empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    /// The value of `name` for a form field (empty when absent).
    pub fn v(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// Whether a checkbox was ticked.
    pub fn on(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    fn text(&self, name: &str) -> Value {
        self.get(name).map_or(Value::Null, |s| Value::String(s.to_string()))
    }

    fn local(&self, prefix: &str) -> Value {
        json!({"zh": self.text(&format!("{prefix}_zh")), "en": self.text(&format!("{prefix}_en"))})
    }
}

/// One field that differs between the stored record and an edit.
pub struct DiffRow {
    pub field: String,
    pub stored: String,
    pub yours: String,
}

/// The form fields whose values differ between the record as stored now and an edit,
/// each by its label.
pub fn diff(stored: &Fields, yours: &Fields, lang: Lang) -> Vec<DiffRow> {
    let mut keys: Vec<&str> = stored.keys().chain(yours.keys()).filter(|k| !matches!(*k, "csrf" | "version")).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter(|k| stored.v(k).trim() != yours.v(k).trim())
        .map(|k| DiffRow {
            field: crate::web::labels::form_field(k, lang),
            stored: Some(stored.v(k).trim()).filter(|s| !s.is_empty()).unwrap_or("—").to_string(),
            yours: Some(yours.v(k).trim()).filter(|s| !s.is_empty()).unwrap_or("—").to_string(),
        })
        .collect()
}

/// Rows of inscriptions and provenance shown on an item form.
pub const ROWS: usize = 3;

/// Splits a list typed as text: `纸、绢`, `paper, silk`.
fn list(s: Option<&str>) -> Vec<String> {
    s.unwrap_or("")
        .split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

use crate::web::labels::term as label;

/// An item form filled in from a stored artefact.
pub fn item_values(a: &Artefact, vocab: &Vocabularies, lang: Lang) -> Fields {
    let b = &a.body;
    let mut f = Fields::default();
    let opt = |f: &mut Fields, k: &str, v: Option<&str>| f.set(k, v.unwrap_or(""));
    opt(&mut f, "title_zh", b.title.zh.as_deref());
    opt(&mut f, "title_en", b.title.en.as_deref());
    opt(&mut f, "object_name", b.object_name.as_deref());
    let vocab_field = |f: &mut Fields, k: &str, voc: &str, v: &Option<String>| {
        f.set(k, v.as_deref().map(|c| label(vocab, voc, c, lang)).unwrap_or_default());
    };
    vocab_field(&mut f, "category", names::CATEGORY, &b.category);
    vocab_field(&mut f, "period", names::PERIOD, &b.period);
    vocab_field(&mut f, "acquisition_method", names::ACQUISITION_METHOD, &b.acquisition_method);
    vocab_field(&mut f, "completeness", names::COMPLETENESS, &b.completeness);
    vocab_field(&mut f, "preservation", names::PRESERVATION, &b.preservation);
    vocab_field(&mut f, "grade", names::GRADE, &b.grade);
    f.set("other_titles", b.other_titles.join("、"));
    f.set(
        "materials",
        b.materials.iter().map(|m| label(vocab, names::MATERIAL, m, lang)).collect::<Vec<_>>().join("、"),
    );
    opt(&mut f, "technique", b.technique.as_deref());
    opt(&mut f, "date", b.date.as_ref().map(|d| d.text.as_str()));
    opt(&mut f, "dimensions", b.dimensions.as_ref().and_then(|d| d.text.as_deref()));
    f.set("quantity", b.quantity.as_ref().map(|q| format!("{}{}", q.count, q.unit)).unwrap_or_default());
    f.set(
        "makers",
        b.makers
            .iter()
            .map(|m| match &m.role {
                Some(r) => format!("{} | {r}", m.name),
                None => m.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
    );
    opt(&mut f, "description_zh", b.description.zh.as_deref());
    opt(&mut f, "description_en", b.description.en.as_deref());
    opt(&mut f, "source_note", b.source_note.as_deref());
    opt(&mut f, "acquired", b.acquired.as_ref().map(|d| d.text.as_str()));
    opt(&mut f, "credit_line", b.credit_line.as_deref());
    opt(&mut f, "department", b.department.as_deref());
    opt(&mut f, "rights", b.rights.as_deref());
    if let Some(r) = &b.reproduction {
        f.set("reproduction", "on");
        opt(&mut f, "reproduction_note", r.note.as_deref());
        opt(&mut f, "reproduction_original", r.original.as_deref());
    }
    for (i, ins) in b.inscriptions.iter().enumerate() {
        let kind = ins.kind.as_deref().map(|k| crate::web::labels::inscription_kind(k, lang));
        opt(&mut f, &format!("ins_kind_{i}"), kind.as_deref());
        f.set(format!("ins_text_{i}"), ins.text.clone());
        opt(&mut f, &format!("ins_position_{i}"), ins.position.as_deref());
        opt(&mut f, &format!("ins_translation_{i}"), ins.translation.as_deref());
    }
    for (i, p) in b.provenance.iter().enumerate() {
        f.set(format!("prov_owner_{i}"), p.owner.clone());
        f.set(
            format!("prov_method_{i}"),
            p.method
                .and_then(|m| serde_json::to_value(m).ok())
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        );
        opt(&mut f, &format!("prov_date_{i}"), p.date.as_ref().map(|d| d.text.as_str()));
        opt(&mut f, &format!("prov_note_{i}"), p.note.as_deref());
    }
    let p = &b.private;
    opt(&mut f, "storage_location", p.storage_location.as_deref());
    f.set("valuation_amount", p.valuation.as_ref().map(|m| m.amount.to_string()).unwrap_or_default());
    f.set("valuation_currency", p.valuation.as_ref().map(|m| m.currency.clone()).unwrap_or_default());
    opt(&mut f, "insurance", p.insurance.as_deref());
    opt(&mut f, "internal_notes", p.internal_notes.as_deref());
    f
}

/// How many inscription and provenance rows a form shows: the stored ones and one blank
/// (however many there are: a row past any fixed limit would be lost on saving).
/// A form's rows are numbered from 0 without gaps, so the count of row fields bounds the
/// numbers too: a forged `ins_text_999999999` cannot make the server walk a billion rows.
pub fn row_count(f: &Fields) -> usize {
    let numbers: Vec<usize> = f
        .keys()
        .filter_map(|k| k.strip_prefix("ins_text_").or_else(|| k.strip_prefix("prov_owner_")))
        .filter_map(|i| i.parse::<usize>().ok())
        .collect();
    numbers.iter().max().map_or(ROWS, |i| (i + 2).min(numbers.len() + ROWS).max(ROWS))
}

/// The JSON of the artefact fields an item form covers. Rows keep what the form does not show
/// (a maker's party, an inscription's note) from `current`.
pub fn item_json(f: &Fields, current: Option<&Artefact>, sees_private: bool) -> Map<String, Value> {
    let cur = current.and_then(|a| serde_json::to_value(a).ok()).unwrap_or(Value::Null);
    let row = |field: &str, i: usize| -> Map<String, Value> {
        cur.get(field).and_then(|v| v.get(i)).and_then(Value::as_object).cloned().unwrap_or_default()
    };
    let mut m = Map::new();
    m.insert("title".into(), f.local("title"));
    for k in [
        "object_name",
        "category",
        "period",
        "acquisition_method",
        "technique",
        "date",
        "dimensions",
        "quantity",
        "source_note",
        "acquired",
        "credit_line",
        "department",
        "rights",
        "completeness",
        "preservation",
        "grade",
    ] {
        m.insert(k.into(), f.text(k));
    }
    m.insert("materials".into(), json!(list(f.get("materials"))));
    m.insert("other_titles".into(), json!(list(f.get("other_titles"))));
    m.insert("description".into(), f.local("description"));
    let makers: Vec<Value> = f
        .v("makers")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let (name, role) = match line.split_once('|') {
                Some((n, r)) => (n.trim(), Some(r.trim()).filter(|r| !r.is_empty())),
                None => (line, None),
            };
            let mut o = row("makers", i);
            if o.get("name").and_then(Value::as_str) != Some(name) {
                o.remove("party_id");
            }
            o.insert("name".into(), json!(name));
            o.insert("role".into(), json!(role));
            o.retain(|_, v| !v.is_null());
            Value::Object(o)
        })
        .collect();
    m.insert("makers".into(), Value::Array(makers));
    let rows = row_count(f);
    let mut inscriptions = Vec::new();
    for i in 0..rows {
        let Some(text) = f.get(&format!("ins_text_{i}")) else { continue };
        let mut o = row("inscriptions", i);
        o.insert("text".into(), json!(text));
        for k in ["kind", "position", "translation"] {
            o.insert(k.into(), f.text(&format!("ins_{k}_{i}")));
        }
        if let Some(Value::String(kind)) = o.get_mut("kind") {
            *kind = crate::web::labels::inscription_code(kind);
        }
        o.retain(|_, v| !v.is_null());
        inscriptions.push(Value::Object(o));
    }
    m.insert("inscriptions".into(), Value::Array(inscriptions));
    let mut provenance = Vec::new();
    for i in 0..rows {
        let Some(owner) = f.get(&format!("prov_owner_{i}")) else { continue };
        let mut o = row("provenance", i);
        if o.get("owner").and_then(Value::as_str) != Some(owner) {
            o.remove("party_id");
        }
        o.insert("owner".into(), json!(owner));
        for k in ["method", "date", "note"] {
            o.insert(k.into(), f.text(&format!("prov_{k}_{i}")));
        }
        o.retain(|_, v| !v.is_null());
        provenance.push(Value::Object(o));
    }
    m.insert("provenance".into(), Value::Array(provenance));
    m.insert(
        "reproduction".into(),
        if f.on("reproduction") {
            let mut o = cur.get("reproduction").and_then(Value::as_object).cloned().unwrap_or_default();
            o.insert("note".into(), f.text("reproduction_note"));
            o.insert("original".into(), f.text("reproduction_original"));
            o.retain(|_, v| !v.is_null());
            Value::Object(o)
        } else {
            Value::Null
        },
    );
    if sees_private {
        let valuation = match (f.get("valuation_amount"), f.get("valuation_currency")) {
            (None, _) => Value::Null,
            (Some(a), c) => json!({
                "amount": a.replace([',', '，'], "").parse::<f64>().map_or(Value::String(a.to_string()), |n| json!(n)),
                "currency": c.unwrap_or("CNY"),
            }),
        };
        m.insert(
            "private".into(),
            json!({
                "storage_location": f.text("storage_location"),
                "valuation": valuation,
                "insurance": f.text("insurance"),
                "internal_notes": f.text("internal_notes"),
            }),
        );
    }
    m
}

/// The fields whose JSON differs between `before` and `after`: what an edit changes.
pub fn changes(before: &Map<String, Value>, after: &Map<String, Value>) -> Map<String, Value> {
    after
        .iter()
        .filter(|(k, v)| before.get(*k).unwrap_or(&Value::Null) != *v)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Drops empty values, so a new record's document only holds what was typed.
pub fn without_empty(mut m: Map<String, Value>) -> Map<String, Value> {
    fn empty(v: &Value) -> bool {
        match v {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.values().all(empty),
            _ => false,
        }
    }
    m.retain(|_, v| !empty(v));
    for v in m.values_mut() {
        if let Value::Object(o) = v {
            o.retain(|_, v| !v.is_null());
        }
    }
    m
}

/// A donor (party) document from the donor form, empty fields as nulls (which clear on an edit).
pub fn party_doc(f: &Fields) -> Map<String, Value> {
    let mut relations = Vec::new();
    if let Some(name) = f.get("relation_name") {
        let mut r = json!({
            "kind": f.get("relation_kind").unwrap_or("related_to"),
            "party_id": f.get("relation_party").and_then(|s| s.parse::<i64>().ok()),
            "name": name,
            "note": f.text("relation_note"),
        });
        if let Some(o) = r.as_object_mut() {
            o.retain(|_, v| !v.is_null());
        }
        relations.push(r);
    }
    let v = json!({
        "kind": f.get("kind").unwrap_or("person"),
        "name": f.local("name"),
        "other_names": list(f.get("other_names")),
        "biography": f.local("biography"),
        "relations": relations,
        "naming_consent": f.on("naming_consent"),
        "credit_line": f.text("credit_line"),
        "contact": {"email": f.text("email"), "phone": f.text("phone"), "address": f.text("address"), "note": f.text("contact_note")},
        "internal_notes": f.text("internal_notes"),
    });
    v.as_object().cloned().unwrap_or_default()
}

/// A new donor's document: only what was typed.
pub fn party_json(f: &Fields) -> Value {
    Value::Object(without_empty(party_doc(f)))
}

/// A donor form filled in from a stored party; `related` names the party of the first relation.
pub fn party_values(p: &Party, related: Option<String>) -> Fields {
    let mut f = Fields::default();
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    f.set("kind", if p.kind == PartyKind::Organisation { "organisation" } else { "person" });
    f.set("name_zh", o(&p.name.zh));
    f.set("name_en", o(&p.name.en));
    f.set("other_names", p.other_names.join("、"));
    f.set("biography_zh", o(&p.biography.zh));
    f.set("biography_en", o(&p.biography.en));
    if let Some(r) = p.relations.first() {
        f.set("relation_kind", r.kind.clone());
        f.set("relation_name", r.name.clone().or(related).unwrap_or_default());
        if let Some(id) = r.party_id {
            f.set("relation_party", id.to_string());
        }
        f.set("relation_note", o(&r.note));
    }
    if p.naming_consent {
        f.set("naming_consent", "on");
    }
    f.set("credit_line", o(&p.credit_line));
    f.set("email", o(&p.contact.email));
    f.set("phone", o(&p.contact.phone));
    f.set("address", o(&p.contact.address));
    f.set("contact_note", o(&p.contact.note));
    f.set("internal_notes", o(&p.internal_notes));
    f
}

/// A donation document from the donation form, empty fields as nulls.
pub fn donation_doc(f: &Fields) -> Map<String, Value> {
    let mut donors: Vec<i64> = Vec::new();
    for key in DONOR_FIELDS {
        if let Some(id) = f.get(key).and_then(|s| s.parse().ok())
            && !donors.contains(&id)
        {
            donors.push(id);
        }
    }
    let v = json!({
        "date": f.text("date"),
        "occasion": f.local("occasion"),
        "venue": f.text("venue"),
        "donor_ids": donors,
        "receipt_number": f.text("receipt_number"),
        "number": f.get("number").map(|n| n.parse::<u32>().map_or(json!(n), |n| json!(n))),
        "status": f.get("status").unwrap_or("received"),
        "terms": f.text("terms"),
        "credit_line": f.text("credit_line"),
        "internal_notes": f.text("internal_notes"),
    });
    v.as_object().cloned().unwrap_or_default()
}

/// The donation form's donors: the first and those who gave with them (families give together).
pub const DONOR_FIELDS: [&str; 3] = ["donor", "donor_2", "donor_3"];

/// A new donation's document: only what was typed.
pub fn donation_json(f: &Fields) -> Value {
    let mut m = without_empty(donation_doc(f));
    m.insert("donor_ids".into(), m.get("donor_ids").cloned().unwrap_or(json!([])));
    Value::Object(m)
}

/// A donation form filled in from a stored donation.
pub fn donation_values(d: &Donation) -> Fields {
    let mut f = Fields::default();
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    f.set("date", d.date.as_ref().map(|d| d.text.clone()).unwrap_or_default());
    f.set("occasion_zh", o(&d.occasion.zh));
    f.set("occasion_en", o(&d.occasion.en));
    f.set("venue", o(&d.venue));
    for (key, id) in DONOR_FIELDS.iter().zip(&d.donor_ids) {
        f.set(*key, id.to_string());
    }
    f.set("receipt_number", o(&d.receipt_number));
    f.set("number", d.number.map(|n| n.to_string()).unwrap_or_default());
    f.set("status", d.status.as_str());
    f.set("terms", o(&d.terms));
    f.set("credit_line", o(&d.credit_line));
    f.set("internal_notes", o(&d.internal_notes));
    f
}

/// `GET /admin/dimensions?text=…`: what the catalogue reads in typed dimensions (the item
/// form's live preview).
pub async fn dimensions_preview(ws: super::Workspace, RawQuery(q): RawQuery) -> Json<Value> {
    let text = url::form_urlencoded::parse(q.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "text")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    Json(match dimensions::parse(&text, ParseOptions::default()) {
        Parsed::Measured(items) => json!({"ok": true, "items": items}),
        Parsed::NotMeasured => json!({"ok": true, "not_measured": true, "items": []}),
        Parsed::Unreadable(why) => {
            let problem = if ws.lang == Lang::Zh { why.zh() } else { why.to_string() };
            json!({"ok": false, "problem": problem})
        }
    })
}

/// Terms offered for completion in a vocabulary field.
pub struct Choices {
    pub categories: Vec<String>,
    pub periods: Vec<String>,
    pub materials: Vec<String>,
    pub methods: Vec<String>,
    pub completeness: Vec<String>,
    pub preservation: Vec<String>,
    pub grades: Vec<String>,
}

impl Choices {
    pub fn of(vocab: &Vocabularies, lang: Lang) -> Choices {
        let terms = |name: &str| {
            vocab
                .get(name)
                .map(|v| v.terms.iter().map(|t| if lang == Lang::Zh { t.zh.clone() } else { t.en.clone() }).collect())
                .unwrap_or_default()
        };
        Choices {
            categories: terms(names::CATEGORY),
            periods: terms(names::PERIOD),
            materials: terms(names::MATERIAL),
            methods: terms(names::ACQUISITION_METHOD),
            completeness: terms(names::COMPLETENESS),
            preservation: terms(names::PRESERVATION),
            grades: terms(names::GRADE),
        }
    }
}

/// What an edit changes in a list the form shows only the first `shown` of: the rest are kept.
pub fn keep_rest(change: &mut Map<String, Value>, key: &str, current: &Value, shown: usize) {
    if let Some(Value::Array(new)) = change.get_mut(key)
        && let Some(Value::Array(old)) = current.get(key)
    {
        new.extend(old.iter().skip(shown).cloned());
    }
}
