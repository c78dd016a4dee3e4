//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{artefacts, batch, donations, images, imports, locations, paperwork, parties, search, sets, vocabularies};

#[derive(OpenApi)]
#[openapi(
    info(title = "museum-catalogue API", description = "Catalogue of museum donations: artefacts, parties, donations, images and vocabularies. Images are served by the IIIF Image API 3.0 at /iiif/3/{id} and manifests at /iiif/3/manifests/{accession}."),
    paths(
        artefacts::list, artefacts::get, artefacts::create, artefacts::update, artefacts::deaccession, artefacts::history, batch::batch,
        parties::list, parties::get, parties::create, parties::update, parties::history,
        donations::list, donations::get, donations::create, donations::update, donations::history, donations::next_accession, donations::entry, donations::exit,
        locations::list, locations::create, locations::get, locations::update, locations::move_contents, locations::move_many,
        locations::whereabouts, locations::move_one, locations::checks, locations::start_check, locations::check, locations::mark, locations::finish,
        search::search, search::suggest,
        sets::list, sets::create, sets::get, sets::members,
        vocabularies::list, vocabularies::get,
        images::upload, images::list, images::get, images::update, images::history,
        imports::create, imports::list, imports::get, imports::report_csv,
        paperwork::receipt, paperwork::certificate, paperwork::letter, paperwork::label, paperwork::labels, paperwork::card, paperwork::register,
    ),
    // Types only named through aliases and query parameters, which are not collected on their own.
    components(schemas(crate::model::donation::Donation, crate::catalogue::Sort, paperwork::PrintLang)),
    modifiers(&BearerAuth, &FlatAllOf),
    tags((name = "artefacts"), (name = "parties"), (name = "donations"), (name = "search"), (name = "vocabularies"), (name = "images"), (name = "imports"), (name = "sets"), (name = "locations"), (name = "paperwork")),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// `allOf` inside `allOf` flattened into one list (the same schema: `allOf` is
/// associative). A stored record (`Stored<Artefact>`) is its identity and version
/// composed with the record, itself composed of its body and its number; client
/// generators read one level of `allOf`, and silently dropped the record's fields.
struct FlatAllOf;

fn flatten(schema: &mut utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    let RefOr::T(Schema::AllOf(all)) = schema else { return };
    let mut items = Vec::with_capacity(all.items.len());
    for mut item in std::mem::take(&mut all.items) {
        flatten(&mut item);
        match item {
            RefOr::T(Schema::AllOf(inner)) => items.extend(inner.items),
            other => items.push(other),
        }
    }
    all.items = items;
}

impl Modify for FlatAllOf {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.schemas.values_mut().for_each(flatten);
        }
    }
}

/// The OpenAPI document of this API.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
