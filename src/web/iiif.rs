//! `/iiif/3`: the IIIF Image API 3.0 (level 2) and Presentation API 3.0 manifests.
//! Internal images, and images of artefacts that are not published, do not exist
//! for anonymous callers (404).

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::catalogue::formats::Pyramid;
use crate::catalogue::formats::image_api::{self, IiifError, ImageRequest};
use crate::catalogue::formats::manifest;
use crate::model::image::ImageRecord;
use crate::model::role::Viewer;
use crate::model::view::PublicArtefact;
use crate::web::AppState;
use crate::web::blocking;
use crate::web::error::{ApiResult, AppError};
use crate::web::extract::Caller;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/manifests/{accession}", get(manifest_of))
        .route("/{id}", get(base_redirect))
        .route("/{id}/info.json", get(info))
        .route("/{id}/{region}/{size}/{rotation}/{quality_format}", get(image))
        .fallback(|| async { AppError::not_found("no such IIIF resource") })
        .layer(axum::middleware::map_response(cors))
}

async fn cors(mut res: Response) -> Response {
    res.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    res
}

/// The address the caller reached the catalogue at: the configured public URL, else from `Host`.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.catalogue.config.public_url {
        return u.clone();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = match headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

impl From<IiifError> for AppError {
    fn from(e: IiifError) -> Self {
        match e.status {
            501 => AppError::new(StatusCode::NOT_IMPLEMENTED, "not_implemented", e.message),
            _ => AppError::new(StatusCode::BAD_REQUEST, "invalid_iiif_request", e.message),
        }
    }
}

/// The image and its pyramid, if the caller may see it.
async fn find(state: &AppState, viewer: &Viewer, id: &str) -> ApiResult<(ImageRecord, Pyramid)> {
    let catalogue = state.catalogue.clone();
    let key = id.to_string();
    let image = match blocking(move || catalogue.image(&key)).await {
        Ok(i) => i,
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            return Err(AppError::not_found(format!("there is no image {id}")));
        }
        Err(e) => return Err(e),
    };
    if *viewer == Viewer::Public && !image.visible_to_public() {
        return Err(AppError::not_found(format!("there is no image {id}")));
    }
    let pyramid = state.catalogue.pyramid(&image).await?;
    Ok((image, pyramid))
}

fn cache_control(image: &ImageRecord) -> HeaderValue {
    HeaderValue::from_static(if image.visible_to_public() { "public, max-age=86400" } else { "private, no-store" })
}

/// Changed whenever the way images are made changes, so that no cache keeps an older rendering.
const RENDERING: &str = "1";

/// The validators of what `image` answers to `what` (its canonical request, or its info.json
/// at a base URL): one original asked the same way gives the same bytes, so the original's
/// hash and the request make the entity tag. Last-Modified is the image record's last change.
struct Validators {
    etag: String,
    modified: chrono::DateTime<chrono::Utc>,
}

impl Validators {
    fn of(image: &ImageRecord, what: &str) -> Validators {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{RENDERING}\n{}\n{what}", image.meta.sha256).as_bytes());
        let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
        Validators { etag: format!("\"{hex}\""), modified: image.updated_at }
    }

    /// Whether the caller's copy is current (RFC 9110: `If-None-Match` first; `If-Modified-Since`
    /// only without it).
    fn fresh(&self, headers: &HeaderMap) -> bool {
        if let Some(tags) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
            return tags.split(',').map(|t| t.trim().trim_start_matches("W/")).any(|t| t == "*" || t == self.etag);
        }
        let since = headers
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok());
        since.is_some_and(|s| self.modified.timestamp() <= s.timestamp())
    }

    fn apply(&self, h: &mut HeaderMap) {
        if let Ok(v) = HeaderValue::from_str(&self.etag) {
            h.insert(header::ETAG, v);
        }
        let date = self.modified.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        if let Ok(v) = HeaderValue::from_str(&date) {
            h.insert(header::LAST_MODIFIED, v);
        }
    }

    /// `304 Not Modified`, with the headers the full answer would have carried.
    fn not_modified(&self, image: &ImageRecord) -> Response {
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        self.apply(res.headers_mut());
        res.headers_mut().insert(header::CACHE_CONTROL, cache_control(image));
        res
    }
}

async fn base_redirect(Path(id): Path<String>) -> Redirect {
    Redirect::to(&format!("{}/info.json", crate::model::text::urlencode(&id)))
}

async fn info(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (image, pyramid) = find(&state, &viewer, &id).await?;
    let service = format!("{}/iiif/3/{}", base_url(&state, &headers), crate::model::text::urlencode(&id));
    let wants_ld =
        headers.get(header::ACCEPT).and_then(|a| a.to_str().ok()).is_some_and(|a| a.contains("application/ld+json"));
    let validators = Validators::of(&image, &format!("info.json {service} {wants_ld}"));
    if validators.fresh(&headers) {
        return Ok(validators.not_modified(&image));
    }
    let body = image_api::info(&service, &pyramid);
    let ct = if wants_ld {
        HeaderValue::from_static("application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"")
    } else {
        HeaderValue::from_static("application/json")
    };
    let mut res = axum::Json(body).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, ct);
    res.headers_mut().insert(header::CACHE_CONTROL, cache_control(&image));
    validators.apply(res.headers_mut());
    res.headers_mut()
        .insert(header::LINK, HeaderValue::from_static("<http://iiif.io/api/image/3/level2.json>;rel=\"profile\""));
    Ok(res)
}

async fn image(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path((id, region, size, rotation, quality_format)): Path<(String, String, String, String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    // Syntax first: a malformed request is 400 whatever the image.
    let req = ImageRequest::parse(&region, &size, &rotation, &quality_format)?;
    let (image, pyramid) = find(&state, &viewer, &id).await?;
    let plan = req.plan(pyramid.width, pyramid.height)?;
    let canonical = req.canonical(&plan, pyramid.width, pyramid.height);
    let format = req.format;
    // A copy the caller holds of the same rendering is current: nothing is read or made.
    let validators = Validators::of(&image, &canonical);
    if validators.fresh(&headers) {
        return Ok(validators.not_modified(&image));
    }
    let bytes = state.catalogue.iiif_image(&image, req, plan, pyramid).await?;
    let canonical = format!(
        "<{}/iiif/3/{}/{}>;rel=\"canonical\", <{}>;rel=\"profile\"",
        base_url(&state, &headers),
        crate::model::text::urlencode(&id),
        canonical,
        image_api::PROFILE_URI
    );
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    h.insert(header::CACHE_CONTROL, cache_control(&image));
    validators.apply(h);
    if let Ok(v) = HeaderValue::from_str(&canonical) {
        h.insert(header::LINK, v);
    }
    Ok(res)
}

async fn manifest_of(
    State(state): State<AppState>,
    Caller(viewer): Caller,
    Path(accession): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let catalogue = state.catalogue.clone();
    let a = accession.clone();
    let (record, images) = blocking(move || {
        let record = catalogue.artefact(&a)?;
        let images = match &record {
            Some(r) => catalogue.images_of(r.id)?,
            None => Vec::new(),
        };
        Ok::<_, crate::catalogue::StoreError>((record, images))
    })
    .await?;
    let missing = || AppError::not_found(format!("there is no artefact {accession}"));
    let record = record.ok_or_else(missing)?;
    let (view, images): (PublicArtefact, Vec<ImageRecord>) = match viewer {
        Viewer::Public => {
            let view = PublicArtefact::with_id(record.id, &record.record).ok_or_else(missing)?;
            (view, images.into_iter().filter(ImageRecord::visible_to_public).collect())
        }
        _ => (PublicArtefact::fields(record.id, &record.record), images),
    };
    let body = manifest::manifest(&base_url(&state, &headers), &view, &images);
    let mut res = axum::Json(body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\""),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if viewer == Viewer::Public { "public, max-age=300" } else { "private, no-store" }),
    );
    Ok(res)
}
