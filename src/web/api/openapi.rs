//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{artefacts, donations, images, imports, parties, search, vocabularies};

#[derive(OpenApi)]
#[openapi(
    info(title = "museum-catalogue API", description = "Catalogue of museum donations: artefacts, parties, donations, images and vocabularies. Images are served by the IIIF Image API 3.0 at /iiif/3/{id} and manifests at /iiif/3/manifests/{accession}."),
    paths(
        artefacts::list, artefacts::get, artefacts::create, artefacts::update, artefacts::deaccession, artefacts::history,
        parties::list, parties::get, parties::create, parties::update, parties::history,
        donations::list, donations::get, donations::create, donations::update, donations::history, donations::next_accession,
        search::search, search::suggest,
        vocabularies::list, vocabularies::get,
        images::upload, images::list, images::get, images::update, images::history,
        imports::create,
    ),
    // Types only named through aliases and query parameters, which are not collected on their own.
    components(schemas(crate::model::donation::Donation, crate::search::Sort)),
    modifiers(&BearerAuth),
    tags((name = "artefacts"), (name = "parties"), (name = "donations"), (name = "search"), (name = "vocabularies"), (name = "images"), (name = "imports")),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The OpenAPI document of this API.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
