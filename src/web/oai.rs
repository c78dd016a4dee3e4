//! `/oai`: OAI-PMH 2.0 for aggregators. Published records only, in `oai_dc` or LIDO 1.1;
//! sets are the census categories; lists come in pages with resumption tokens;
//! bad verbs and arguments get the protocol's error codes.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::catalogue::formats::lido;
use crate::catalogue::{HarvestFilter, StoreError};
use crate::model::view::{ArtefactRecord, PublicArtefact};
use crate::model::vocab::{Vocabularies, names};
use crate::web::AppState;

const PAGE: u32 = 100;
const EARLIEST: &str = "2000-01-01T00:00:00Z";

use crate::catalogue::formats::xml::escape as esc;

struct OaiError {
    code: &'static str,
    message: String,
}

fn err(code: &'static str, message: impl Into<String>) -> OaiError {
    OaiError { code, message: message.into() }
}

/// The repository's name for records: `oai:{host}:{accession}`, a space in the number
/// written `%20` (an identifier has no spaces); other characters as the number has them,
/// so identifiers already harvested stay the same.
fn identifier(host: &str, accession: &str) -> String {
    format!("oai:{host}:{}", accession.replace(' ', "%20"))
}

/// The accession number an identifier names, if it is one of this repository's.
fn accession_of<'a>(host: &str, id: &'a str) -> Option<std::borrow::Cow<'a, str>> {
    let local = id.strip_prefix("oai:")?.strip_prefix(host)?.strip_prefix(':')?;
    Some(if local.contains("%20") { local.replace("%20", " ").into() } else { local.into() })
}

/// The host part of the repository's identifiers.
fn repository_host(base: &str) -> String {
    let host = base.split("://").nth(1).unwrap_or(base);
    host.split(['/', ':']).next().unwrap_or("localhost").to_string()
}

fn datestamp(r: &ArtefactRecord) -> String {
    r.updated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Checks a from/until argument: a day or a UTC second, as the protocol allows.
fn instant(value: &str, end_of_day: bool) -> Result<String, OaiError> {
    if chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok() {
        return Ok(format!("{value}T{}Z", if end_of_day { "23:59:59" } else { "00:00:00" }));
    }
    if chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%SZ").is_ok() {
        return Ok(value.to_string());
    }
    Err(err("badArgument", format!("`{value}` is not a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDThh:mm:ssZ)")))
}

/// A list request's arguments, carried from page to page in the resumption token.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListArgs {
    prefix: String,
    from: Option<String>,
    until: Option<String>,
    set: Option<String>,
    offset: u64,
}

impl ListArgs {
    fn token(&self) -> String {
        let part = |o: &Option<String>| o.clone().unwrap_or_default();
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("p", &self.prefix)
            .append_pair("f", &part(&self.from))
            .append_pair("u", &part(&self.until))
            .append_pair("s", &part(&self.set))
            .append_pair("o", &self.offset.to_string())
            .finish()
    }

    fn from_token(token: &str) -> Result<ListArgs, OaiError> {
        let bad = || err("badResumptionToken", "the resumption token is not one this repository issued");
        let pairs: std::collections::HashMap<String, String> =
            url::form_urlencoded::parse(token.as_bytes()).into_owned().collect();
        let get = |k: &str| pairs.get(k).cloned().ok_or_else(bad);
        let opt = |k: &str| get(k).map(|v| Some(v).filter(|v| !v.is_empty()));
        Ok(ListArgs {
            prefix: get("p")?,
            from: opt("f")?,
            until: opt("u")?,
            set: opt("s")?,
            offset: get("o")?.parse().map_err(|_| bad())?,
        })
    }
}

fn oai_dc(p: &PublicArtefact, vocab: &Vocabularies, base: &str, credit: Option<&str>) -> String {
    let mut x = String::from(
        "<oai_dc:dc xmlns:oai_dc=\"http://www.openarchives.org/OAI/2.0/oai_dc/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd\">",
    );
    let mut el = |name: &str, value: &str, lang: Option<&str>| {
        if !value.trim().is_empty() {
            match lang {
                Some(l) => x.push_str(&format!("<dc:{name} xml:lang=\"{l}\">{}</dc:{name}>", esc(value))),
                None => x.push_str(&format!("<dc:{name}>{}</dc:{name}>", esc(value))),
            }
        }
    };
    if let Some(t) = &p.title.zh {
        el("title", t, Some("zh"));
    }
    if let Some(t) = &p.title.en {
        el("title", t, Some("en"));
    }
    for m in &p.makers {
        el("creator", &m.name, None);
    }
    if let Some(d) = &p.date {
        el("date", &d.text, None);
    }
    if let Some(c) = &p.category
        && let Ok(term) = vocab.resolve(names::CATEGORY, c)
    {
        el("subject", &term.zh, Some("zh"));
        el("subject", &term.en, Some("en"));
    }
    for m in &p.materials {
        el("format", vocab.resolve(names::MATERIAL, m).map(|t| t.zh.as_str()).unwrap_or(m), None);
    }
    if let Some(d) = p.dimensions.as_ref().and_then(|d| d.text.as_deref()) {
        el("format", d, None);
    }
    if let Some(t) = &p.description.zh {
        el("description", t, Some("zh"));
    }
    if let Some(t) = &p.description.en {
        el("description", t, Some("en"));
    }
    for i in &p.inscriptions {
        el("description", &i.text, Some("zh"));
    }
    el("type", "PhysicalObject", None);
    el("identifier", &p.accession_number, None);
    el("identifier", &format!("{base}/objects/{}", crate::model::text::urlencode(&p.accession_number)), None);
    if let Some(c) = credit.or(p.credit_line.as_deref()) {
        el("rights", c, None);
    }
    if let Some(r) = &p.rights {
        el("rights", r, None);
    }
    x.push_str("</oai_dc:dc>");
    x
}

fn header_xml(host: &str, r: &ArtefactRecord) -> String {
    let set = r.record.body.category.as_deref().map(|c| format!("<setSpec>{}</setSpec>", esc(c))).unwrap_or_default();
    format!(
        "<header><identifier>{}</identifier><datestamp>{}</datestamp>{set}</header>",
        esc(&identifier(host, r.record.accession_number.as_str())),
        datestamp(r)
    )
}

/// The metadata formats offered: `oai_dc` and LIDO 1.1.
const FORMATS: &[(&str, &str, &str)] = &[
    ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    ("lido", crate::catalogue::formats::lido::SCHEMA, crate::catalogue::formats::lido::NAMESPACE),
];

fn check_format(prefix: &str) -> Result<(), OaiError> {
    if FORMATS.iter().any(|(p, _, _)| *p == prefix) {
        return Ok(());
    }
    Err(err("cannotDisseminateFormat", format!("`{prefix}` is not offered; use oai_dc or lido")))
}

fn record_xml(
    state: &AppState,
    host: &str,
    base: &str,
    r: &ArtefactRecord,
    prefix: &str,
) -> Result<Option<String>, StoreError> {
    let Some(p) = PublicArtefact::with_id(r.id, &r.record) else { return Ok(None) };
    let vocab = state.catalogue.vocabularies();
    let metadata = if prefix == "lido" {
        let public = state.catalogue.public_context(&p)?;
        let repo = lido::Repository { name: &state.catalogue.config.museum_name, base, vocab: &vocab };
        let mut x = crate::catalogue::formats::xml::Xml::new();
        lido::record(&mut x, &repo, &p, &public, &datestamp(r), true);
        x.out
    } else {
        oai_dc(&p, &vocab, base, None)
    };
    Ok(Some(format!("<record>{}<metadata>{metadata}</metadata></record>", header_xml(host, r))))
}

fn respond(base: &str, request_attrs: &str, body: Result<String, OaiError>) -> Response {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    let inner = match body {
        Ok(b) => b,
        Err(e) => format!("<error code=\"{}\">{}</error>", e.code, esc(&e.message)),
    };
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd\">\
         <responseDate>{now}</responseDate><request{request_attrs}>{}/oai</request>{inner}</OAI-PMH>\n",
        esc(base)
    );
    let mut res = xml.into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"));
    res
}

pub async fn handle(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let base = crate::web::iiif::base_url(&state, &headers);
    let args: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect();
    // The request element echoes the arguments only when they were valid.
    let attrs: String = args.iter().map(|(k, v)| format!(" {}=\"{}\"", esc(k), esc(v))).collect();
    let st = state.clone();
    let b = base.clone();
    let result =
        crate::catalogue::blocking(move || Ok::<_, crate::catalogue::Interrupted>(answer(&st, &b, &args))).await;
    match result {
        Ok(Ok(xml)) => respond(&base, &attrs, Ok(xml)),
        Ok(Err(e)) => {
            // A bad verb or bad arguments: the request element carries no attributes.
            let attrs = if matches!(e.code, "badVerb" | "badArgument") { String::new() } else { attrs };
            respond(&base, &attrs, Err(e))
        }
        Err(e) => crate::web::pages::failed(e),
    }
}

fn answer(state: &AppState, base: &str, args: &[(String, String)]) -> Result<String, OaiError> {
    let mut seen = std::collections::HashSet::new();
    for (k, _) in args {
        if !seen.insert(k.as_str()) {
            return Err(err("badArgument", format!("`{k}` is given more than once")));
        }
    }
    let get = |k: &str| args.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let verb = get("verb").ok_or_else(|| err("badVerb", "no verb; use Identify, ListRecords, GetRecord …"))?;
    let allowed: &[&str] = match verb.as_str() {
        "Identify" => &["verb"],
        "ListMetadataFormats" => &["verb", "identifier"],
        "ListSets" => &["verb", "resumptionToken"],
        "GetRecord" => &["verb", "identifier", "metadataPrefix"],
        "ListIdentifiers" | "ListRecords" => &["verb", "metadataPrefix", "from", "until", "set", "resumptionToken"],
        other => return Err(err("badVerb", format!("`{other}` is not an OAI-PMH verb"))),
    };
    if let Some((k, _)) = args.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(err("badArgument", format!("{verb} does not take `{k}`")));
    }
    let host = repository_host(base);
    let vocab = state.catalogue.vocabularies();
    let store = |e: crate::catalogue::StoreError| {
        tracing::error!(error = %e, "oai-pmh store error");
        err("badArgument", "the repository could not answer; try again")
    };
    let find = |id: &str| -> Result<ArtefactRecord, OaiError> {
        let accession = accession_of(&host, id)
            .ok_or_else(|| err("idDoesNotExist", format!("`{id}` is not an identifier of this repository")))?;
        match state.catalogue.artefact(&accession).map_err(store)? {
            Some(r) if PublicArtefact::of(&r.record).is_some() => Ok(r),
            _ => Err(err("idDoesNotExist", format!("there is no record `{id}`"))),
        }
    };
    match verb.as_str() {
        "Identify" => Ok(format!(
            "<Identify><repositoryName>{}</repositoryName><baseURL>{}/oai</baseURL><protocolVersion>2.0</protocolVersion>\
             <adminEmail>collections@{}</adminEmail><earliestDatestamp>{EARLIEST}</earliestDatestamp>\
             <deletedRecord>no</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>",
            esc(&state.catalogue.config.museum_name),
            esc(base),
            esc(&host)
        )),
        "ListMetadataFormats" => {
            if let Some(id) = get("identifier") {
                find(&id)?;
            }
            let mut x = String::from("<ListMetadataFormats>");
            for (prefix, schema, namespace) in FORMATS {
                x.push_str(&format!(
                    "<metadataFormat><metadataPrefix>{prefix}</metadataPrefix><schema>{schema}</schema>\
                     <metadataNamespace>{namespace}</metadataNamespace></metadataFormat>"
                ));
            }
            x.push_str("</ListMetadataFormats>");
            Ok(x)
        }
        "ListSets" => {
            if get("resumptionToken").is_some() {
                return Err(err("badResumptionToken", "ListSets is answered in one page"));
            }
            let sets = state.catalogue.published_categories().map_err(store)?;
            if sets.is_empty() {
                return Err(err("noSetHierarchy", "no published record has a category yet"));
            }
            let mut x = String::from("<ListSets>");
            for (code, _) in sets {
                let name = vocab
                    .resolve(names::CATEGORY, &code)
                    .map(|t| format!("{} / {}", t.zh, t.en))
                    .unwrap_or(code.clone());
                x.push_str(&format!("<set><setSpec>{}</setSpec><setName>{}</setName></set>", esc(&code), esc(&name)));
            }
            x.push_str("</ListSets>");
            Ok(x)
        }
        "GetRecord" => {
            let id = get("identifier").ok_or_else(|| err("badArgument", "GetRecord needs identifier"))?;
            let prefix = get("metadataPrefix").ok_or_else(|| err("badArgument", "GetRecord needs metadataPrefix"))?;
            check_format(&prefix)?;
            let r = find(&id)?;
            let rec = record_xml(state, &host, base, &r, &prefix)
                .map_err(store)?
                .ok_or_else(|| err("idDoesNotExist", "not published"))?;
            Ok(format!("<GetRecord>{rec}</GetRecord>"))
        }
        _ => {
            let list = match get("resumptionToken") {
                Some(token) => {
                    if args.len() > 2 {
                        return Err(err("badArgument", "resumptionToken is exclusive: send it with the verb alone"));
                    }
                    ListArgs::from_token(&token)?
                }
                None => {
                    let prefix = get("metadataPrefix")
                        .ok_or_else(|| err("badArgument", format!("{verb} needs metadataPrefix")))?;
                    let from = get("from").map(|f| instant(&f, false)).transpose()?;
                    let until = get("until").map(|u| instant(&u, true)).transpose()?;
                    if let (Some(f), Some(u)) = (get("from"), get("until"))
                        && f.len() != u.len()
                    {
                        return Err(err("badArgument", "from and until must have the same granularity"));
                    }
                    if let (Some(f), Some(u)) = (&from, &until)
                        && f > u
                    {
                        return Err(err("badArgument", "from is after until"));
                    }
                    ListArgs { prefix, from, until, set: get("set"), offset: 0 }
                }
            };
            check_format(&list.prefix)?;
            let filter =
                HarvestFilter { from: list.from.clone(), until: list.until.clone(), category: list.set.clone() };
            let (records, total) = state.catalogue.harvest(&filter, list.offset, PAGE).map_err(store)?;
            if records.is_empty() {
                return Err(if list.offset == 0 {
                    err("noRecordsMatch", "no published record matches")
                } else {
                    err("badResumptionToken", "the resumption token points past the end of the list")
                });
            }
            let mut x = format!("<{verb}>");
            for r in &records {
                if verb == "ListIdentifiers" {
                    x.push_str(&header_xml(&host, r));
                } else if let Some(rec) = record_xml(state, &host, base, r, &list.prefix).map_err(store)? {
                    x.push_str(&rec);
                }
            }
            let next = list.offset + records.len() as u64;
            if next < total {
                let token = ListArgs { offset: next, ..list.clone() }.token();
                x.push_str(&format!(
                    "<resumptionToken completeListSize=\"{total}\" cursor=\"{}\">{}</resumptionToken>",
                    list.offset,
                    esc(&token)
                ));
            } else if list.offset > 0 {
                x.push_str(&format!("<resumptionToken completeListSize=\"{total}\" cursor=\"{}\"/>", list.offset));
            }
            x.push_str(&format!("</{verb}>"));
            Ok(x)
        }
    }
}
