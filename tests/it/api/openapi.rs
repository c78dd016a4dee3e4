//! The OpenAPI document describes every route.

use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_openapi_document_lists_every_route_with_its_methods() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/v1/openapi.json").send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let expected = [
        ("/api/v1/artefacts", &["get", "post"][..]),
        ("/api/v1/artefacts/{accession}", &["get", "patch"]),
        ("/api/v1/artefacts/{accession}/deaccession", &["post"]),
        ("/api/v1/batch", &["post"]),
        ("/api/v1/sets", &["get", "post"]),
        ("/api/v1/sets/{id}", &["get"]),
        ("/api/v1/sets/{id}/members", &["post"]),
        ("/api/v1/artefacts/{accession}/history", &["get"]),
        ("/api/v1/parties", &["get", "post"]),
        ("/api/v1/parties/{id}", &["get", "patch"]),
        ("/api/v1/parties/{id}/history", &["get"]),
        ("/api/v1/donations", &["get", "post"]),
        ("/api/v1/donations/{id}", &["get", "patch"]),
        ("/api/v1/donations/{id}/history", &["get"]),
        ("/api/v1/donations/{id}/next-accession", &["get"]),
        ("/api/v1/search", &["get"]),
        ("/api/v1/suggest", &["get"]),
        ("/api/v1/vocabularies", &["get"]),
        ("/api/v1/vocabularies/{name}", &["get"]),
        ("/api/v1/artefacts/{accession}/images", &["get", "post"]),
        ("/api/v1/images/{id}", &["get", "patch"]),
        ("/api/v1/images/{id}/history", &["get"]),
        ("/api/v1/imports", &["get", "post"]),
        ("/api/v1/imports/{id}", &["get"]),
        ("/api/v1/imports/{id}/report.csv", &["get"]),
        ("/api/v1/donations/{id}/receipt.pdf", &["get"]),
        ("/api/v1/donations/{id}/certificate.pdf", &["get"]),
        ("/api/v1/donations/{id}/letter.pdf", &["get"]),
        ("/api/v1/artefacts/{accession}/label.pdf", &["get"]),
        ("/api/v1/artefacts/{accession}/card.pdf", &["get"]),
        ("/api/v1/labels.pdf", &["get"]),
        ("/api/v1/register.pdf", &["get"]),
        ("/api/v1/donations/{id}/entry", &["post"]),
        ("/api/v1/donations/{id}/exit", &["post"]),
        ("/api/v1/locations", &["get", "post"]),
        ("/api/v1/locations/{code}", &["get", "patch"]),
        ("/api/v1/locations/{code}/movements", &["post"]),
        ("/api/v1/movements", &["post"]),
        ("/api/v1/artefacts/{accession}/movements", &["get", "post"]),
        ("/api/v1/inventory-checks", &["get", "post"]),
        ("/api/v1/inventory-checks/{id}", &["get"]),
        ("/api/v1/inventory-checks/{id}/marks", &["post"]),
        ("/api/v1/inventory-checks/{id}/finish", &["post"]),
    ];
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), expected.len(), "{:?}", paths.keys().collect::<Vec<_>>());
    for (path, methods) in expected {
        for m in methods {
            assert!(paths[path][m].is_object(), "{m} {path} is described");
        }
    }
    assert!(doc["components"]["schemas"]["ArtefactInput"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn healthz_answers_once_the_store_is_open() {
    let app = TestApp::spawn().await;
    let res = app.get("/healthz").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
}

/// Found by fuzzing the API from this document: references to schemas it did not hold, path
/// parameters it did not declare, and one schema for every kind of stored record.
#[tokio::test]
async fn every_reference_resolves_and_every_path_parameter_is_declared() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/v1/openapi.json").send().await.unwrap().json().await.unwrap();
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for r in text.split("#/components/schemas/").skip(1) {
        let name: String = r.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        assert!(schemas.contains_key(&name), "#/components/schemas/{name} is referenced but not defined");
    }
    for (path, ops) in doc["paths"].as_object().unwrap() {
        let wanted: Vec<&str> = path.split('{').skip(1).map(|p| p.split('}').next().unwrap()).collect();
        for (method, op) in ops.as_object().unwrap() {
            for name in &wanted {
                let declared = op["parameters"]
                    .as_array()
                    .is_some_and(|ps| ps.iter().any(|p| p["in"] == "path" && p["name"] == *name));
                assert!(declared, "{method} {path} does not declare its path parameter {name}");
            }
        }
    }
    let party =
        &doc["paths"]["/api/v1/parties/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    let donation =
        &doc["paths"]["/api/v1/donations/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_ne!(party, donation, "a party is not described as a donation");
}

/// As client generators read it: each operation has an id of its own, and every
/// request body, multipart ones too, a named schema.
#[tokio::test]
async fn every_operation_and_request_body_has_a_name_of_its_own() {
    let app = TestApp::spawn().await;
    let doc: Value = app.get("/api/v1/openapi.json").send().await.unwrap().json().await.unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(ids.insert(id.to_string()), "{id} is repeated");
            if let Some(content) = op["requestBody"]["content"].as_object() {
                for (media, body) in content {
                    let schema = body["schema"]["$ref"].as_str();
                    assert!(schema.is_some(), "{method} {path} ({media}) has no named schema: {body}");
                }
            }
        }
    }
    assert!(ids.contains("uploadArtefactImage") && ids.contains("updateDonation") && ids.contains("importFile"));
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["ImageUploadForm"]["properties"]["file"]["format"], "binary");
    assert_eq!(schemas["ImportForm"]["properties"]["file"]["format"], "binary");
    // A stored record is one level of allOf: its identity, then the record's own parts.
    let stored = schemas["Stored_Artefact"]["allOf"].as_array().unwrap();
    assert!(stored.iter().all(|s| s.get("allOf").is_none()), "{stored:?}");
}
