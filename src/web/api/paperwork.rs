//! The printed paperwork as PDF: a donation's receipt, certificate and letter, an
//! object's label and catalogue card, a sheet of labels, the accession register. Staff only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;

use super::parse_id;
use crate::model::role::Viewer;
use crate::web::AppState;
use crate::web::error::{ApiResult, AppError, ErrorBody};
use crate::web::extract::{ApiQuery, Staff};
use crate::web::pages::i18n::Lang;
use crate::web::paperwork::{self, Range, Request};

/// A printed document: the PDF's bytes.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct Pdf(pub Vec<u8>);

/// The language a document is printed in.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PrintLang {
    #[default]
    Zh,
    En,
}

impl From<PrintLang> for Lang {
    fn from(l: PrintLang) -> Lang {
        match l {
            PrintLang::Zh => Lang::Zh,
            PrintLang::En => Lang::En,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DocParams {
    /// `zh` (default) or `en`.
    pub lang: Option<PrintLang>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LetterParams {
    /// `zh` (default) or `en`.
    pub lang: Option<PrintLang>,
    /// How the donor is addressed (e.g. for a donor who did not consent to be named);
    /// by default the donors' names, or "尊敬的捐赠者" / "Dear donor".
    pub to: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LabelsParams {
    /// `zh` (default) or `en`.
    pub lang: Option<PrintLang>,
    /// Accession numbers, separated by commas.
    pub accessions: Option<String>,
    /// A set's id: a label for each of its objects.
    pub set: Option<i64>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegisterParams {
    /// `zh` (default) or `en`.
    pub lang: Option<PrintLang>,
    /// Objects acquired in this year (four digits).
    pub year: Option<String>,
    /// From this accession number on.
    pub from: Option<String>,
    /// Up to this accession number.
    pub to: Option<String>,
}

async fn pdf(state: &AppState, viewer: Viewer, req: Request, lang: Option<PrintLang>) -> ApiResult<Response> {
    let catalogue = state.catalogue.clone();
    let name = req.file_name();
    let lang: Lang = lang.unwrap_or_default().into();
    let printed = crate::web::blocking(move || paperwork::print(&catalogue, &viewer, &req, lang)).await?;
    Ok(paperwork::pdf_response(&name, printed.pdf))
}

/// A donation's receipt on entry (入馆凭证): the donors, each object with its description,
/// quantity and condition, and lines to sign.
#[utoipa::path(get, path = "/api/v1/donations/{id}/receipt.pdf", operation_id = "printReceipt", tag = "paperwork", params(("id" = i64, Path), DocParams), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Pdf), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn receipt(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DocParams>,
) -> ApiResult<Response> {
    let donation = parse_id(&id, "donation")?;
    pdf(&state, viewer, Request::Receipt { donation }, q.lang).await
}

/// A donation's certificate (捐赠证书), addressed to the donors as they consented to be named.
#[utoipa::path(get, path = "/api/v1/donations/{id}/certificate.pdf", operation_id = "printCertificate", tag = "paperwork", params(("id" = i64, Path), LetterParams), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Pdf), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn certificate(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<LetterParams>,
) -> ApiResult<Response> {
    let donation = parse_id(&id, "donation")?;
    pdf(&state, viewer, Request::Certificate { donation, to: q.to }, q.lang).await
}

/// A thank-you letter to a donation's donors.
#[utoipa::path(get, path = "/api/v1/donations/{id}/letter.pdf", operation_id = "printLetter", tag = "paperwork", params(("id" = i64, Path), LetterParams), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Pdf), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn letter(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<LetterParams>,
) -> ApiResult<Response> {
    let donation = parse_id(&id, "donation")?;
    pdf(&state, viewer, Request::Letter { donation, to: q.to }, q.lang).await
}

/// An object's label (展签), in both languages.
#[utoipa::path(get, path = "/api/v1/artefacts/{accession}/label.pdf", operation_id = "printLabel", tag = "paperwork", params(("accession" = String, Path), DocParams), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Pdf), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn label(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(accession): Path<String>,
    ApiQuery(q): ApiQuery<DocParams>,
) -> ApiResult<Response> {
    pdf(&state, viewer, Request::Labels { accessions: vec![accession] }, q.lang).await
}

/// A sheet of labels, eight to a page: for accession numbers, or for a set's objects.
#[utoipa::path(get, path = "/api/v1/labels.pdf", operation_id = "printLabels", tag = "paperwork", params(LabelsParams), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Pdf), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn labels(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    ApiQuery(q): ApiQuery<LabelsParams>,
) -> ApiResult<Response> {
    let mut accessions: Vec<String> = q
        .accessions
        .iter()
        .flat_map(|a| a.split(','))
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect();
    if let Some(set) = q.set {
        let Viewer::Staff(user) = viewer.clone() else { return Err(AppError::unauthorized()) };
        let catalogue = state.catalogue.clone();
        let (_, members) = crate::web::blocking(move || catalogue.set(&user, set)).await?;
        accessions.extend(members);
    }
    pdf(&state, viewer, Request::Labels { accessions }, q.lang).await
}

/// An object's catalogue card (藏品卡片): every field and the primary image, on one A4 page.
#[utoipa::path(get, path = "/api/v1/artefacts/{accession}/card.pdf", operation_id = "printCard", tag = "paperwork", params(("accession" = String, Path), DocParams), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Pdf), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn card(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    Path(accession): Path<String>,
    ApiQuery(q): ApiQuery<DocParams>,
) -> ApiResult<Response> {
    pdf(&state, viewer, Request::Card { accessions: vec![accession] }, q.lang).await
}

/// The accession register (总登记账) for an acquisition year or a range of accession
/// numbers, paginated with running headers.
#[utoipa::path(get, path = "/api/v1/register.pdf", operation_id = "printRegister", tag = "paperwork", params(RegisterParams), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Pdf), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    Staff(viewer): Staff,
    ApiQuery(q): ApiQuery<RegisterParams>,
) -> ApiResult<Response> {
    let given = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let year = match given(q.year) {
        None => None,
        Some(y) => Some(y.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y)).ok_or_else(|| {
            AppError::field(StatusCode::BAD_REQUEST, "invalid_query", "year", format!("{y} is not a four-digit year"))
        })?),
    };
    let range = Range { year, from: given(q.from), to: given(q.to) };
    pdf(&state, viewer, Request::Register(range), q.lang).await
}
