//! `/oai`: OAI-PMH 2.0 for aggregators — published records only, pages with
//! resumption tokens, the protocol's error codes, responses valid against the schema.

use std::process::Command;

use serde_json::json;

use crate::helpers::TestApp;

async fn oai(app: &TestApp, query: &str) -> String {
    let res = app.get(&format!("/oai?{query}")).send().await.unwrap();
    assert_eq!(res.status(), 200, "{query}");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/xml"));
    res.text().await.unwrap()
}

fn error_code(xml: &str) -> Option<String> {
    let at = xml.find("<error code=\"")? + 13;
    Some(xml[at..at + xml[at..].find('"')?].to_string())
}

fn token(xml: &str) -> Option<String> {
    let start = xml.find("<resumptionToken")?;
    let open_end = start + xml[start..].find('>')?;
    if xml[..open_end].ends_with('/') {
        return None;
    }
    let close = open_end + xml[open_end..].find("</resumptionToken>")?;
    Some(xml[open_end + 1..close].replace("&amp;", "&"))
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn harvesting_pages_through_every_published_record_and_nothing_else() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    app.create(
        "/api/v1/artefacts",
        json!({"accession_number": "2099.1.1", "title": {"zh": "未公开 SENTINEL"}, "status": "draft",
               "private": {"storage_location": "SENTINEL-SHELF"}}),
    )
    .await;
    let published = app.state.harvest(&Default::default(), 0, 1).unwrap().1;
    let mut xml = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    let mut records = 0;
    let mut pages = 0;
    loop {
        pages += 1;
        records += xml.matches("<record>").count();
        assert!(!xml.contains("SENTINEL"), "nothing unpublished or private");
        match token(&xml) {
            Some(t) => xml = oai(&app, &format!("verb=ListRecords&resumptionToken={}", encode(&t))).await,
            None => break,
        }
    }
    assert_eq!(records as u64, published);
    assert!(pages >= 4, "{records} records came in {pages} pages");
    let host = app.base.trim_start_matches("http://").split(':').next().unwrap().to_string();
    let one = oai(&app, &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:{host}:2023.15.2")).await;
    assert!(one.contains("<dc:title xml:lang=\"zh\">黎澍书陆游《村饮》诗</dc:title>"), "{one}");
    assert!(one.contains("<dc:creator>黎澍</dc:creator>"));
    let sets = oai(&app, "verb=ListSets").await;
    assert!(sets.contains("<setSpec>calligraphy-painting</setSpec>"), "{sets}");
    let in_set = oai(&app, "verb=ListIdentifiers&metadataPrefix=oai_dc&set=calligraphy-painting").await;
    assert!(in_set.contains(&format!("oai:{host}:2023.15.2")));
    for (query, code) in [
        ("verb=Bogus", "badVerb"),
        ("", "badVerb"),
        ("verb=ListRecords", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2023-01-01", "badArgument"),
        ("verb=Identify&extra=1", "badArgument"),
        ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01", "noRecordsMatch"),
        ("verb=ListRecords&resumptionToken=forged", "badResumptionToken"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere:1", "idDoesNotExist"),
    ] {
        assert_eq!(error_code(&oai(&app, query).await).as_deref(), Some(code), "{query}");
    }
    let draft = oai(&app, &format!("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:{host}:2099.1.1")).await;
    assert_eq!(error_code(&draft).as_deref(), Some("idDoesNotExist"), "an unpublished record does not exist here");
}

#[tokio::test]
#[ignore = "needs xmllint (Debian libxml2-utils); .ci/run installs it"]
async fn every_response_is_valid_against_the_oai_pmh_schema() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let host = app.base.trim_start_matches("http://").split(':').next().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/OAI-PMH.xsd");
    let first = oai(&app, "verb=ListRecords&metadataPrefix=oai_dc").await;
    let next = format!("verb=ListRecords&resumptionToken={}", encode(&token(&first).unwrap()));
    for query in [
        "verb=Identify".to_string(),
        "verb=ListMetadataFormats".to_string(),
        "verb=ListSets".to_string(),
        "verb=ListIdentifiers&metadataPrefix=oai_dc".to_string(),
        "verb=ListRecords&metadataPrefix=oai_dc".to_string(),
        next,
        format!("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:{host}:2023.15.1"),
        format!("verb=GetRecord&metadataPrefix=lido&identifier=oai:{host}:2023.15.2"),
        "verb=ListRecords&metadataPrefix=lido".to_string(),
        "verb=Bogus".to_string(),
        "verb=ListRecords&metadataPrefix=nope".to_string(),
    ] {
        let path = dir.path().join("response.xml");
        std::fs::write(&path, oai(&app, &query).await).unwrap();
        let out = Command::new("xmllint").args(["--noout", "--schema", schema]).arg(&path).output().expect("xmllint");
        assert!(out.status.success(), "{query}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[tokio::test]
async fn lido_records_are_offered_and_harvested_like_dublin_core() {
    let app = TestApp::spawn().await;
    app.with_demo().await;
    let host = app.base.trim_start_matches("http://").split(':').next().unwrap().to_string();
    let formats = oai(&app, "verb=ListMetadataFormats").await;
    assert!(formats.contains("<metadataPrefix>lido</metadataPrefix>"), "{formats}");
    assert!(formats.contains("<metadataNamespace>http://www.lido-schema.org</metadataNamespace>"), "{formats}");

    let one = oai(&app, &format!("verb=GetRecord&metadataPrefix=lido&identifier=oai:{host}:2023.15.2")).await;
    let doc = roxmltree::Document::parse(&one).expect("well-formed");
    let lido = doc
        .descendants()
        .find(|n| n.has_tag_name(("http://www.lido-schema.org", "lido")))
        .expect("the metadata is a lido:lido element");
    let text = |name: &str| {
        lido.descendants()
            .find(|n| n.has_tag_name(("http://www.lido-schema.org", name)))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    assert_eq!(text("lidoRecID").as_deref(), Some("2023.15.2"));
    assert_eq!(text("inscriptionTranscription").as_deref(), Some("晓缘仁兄"));
    assert_eq!(text("creditLine").as_deref(), Some("李振亚先生捐赠"));

    // Every published record, page by page, in LIDO as in oai_dc.
    let published = app.state.harvest(&Default::default(), 0, 1).unwrap().1;
    let mut xml = oai(&app, "verb=ListRecords&metadataPrefix=lido").await;
    let mut records = 0;
    loop {
        records += xml.matches("<lido:lido ").count();
        match token(&xml) {
            Some(t) => xml = oai(&app, &format!("verb=ListRecords&resumptionToken={}", encode(&t))).await,
            None => break,
        }
    }
    assert_eq!(records as u64, published);
    let bad = oai(&app, "verb=ListRecords&metadataPrefix=marc").await;
    assert_eq!(error_code(&bad).as_deref(), Some("cannotDisseminateFormat"));
}
