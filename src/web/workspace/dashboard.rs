//! `/admin`: what is waiting, and what changed lately.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::activity::{ActivityRow, rows};
use super::{Desk, Workspace, blocking, render};
use crate::catalogue::{ArtefactFilter, DonationSummary, PageRequest};
use crate::model::artefact::PublicationStatus;
use crate::web::AppState;

pub struct DonationRow {
    pub href: String,
    pub label: String,
    pub date: String,
    pub status: String,
    pub drafts: i64,
    pub accessioned: i64,
    pub published: i64,
}

pub struct DraftRow {
    pub href: String,
    pub accession: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct Dashboard {
    d: Desk,
    donations: Vec<DonationRow>,
    drafts: Vec<DraftRow>,
    drafts_total: u64,
    changes: Vec<ActivityRow>,
}

pub fn donation_label(s: &crate::model::donation::Donation, id: i64) -> String {
    s.occasion.zh.clone().or_else(|| s.occasion.en.clone()).unwrap_or_else(|| format!("#{id}"))
}

pub async fn page(State(state): State<AppState>, ws: Workspace) -> Result<Response, Response> {
    let catalogue = state.catalogue.clone();
    let (donations, drafts, (changes, _)) = blocking(&ws, move || {
        let drafts = catalogue.artefacts(&ArtefactFilter {
            status: Some(PublicationStatus::Draft),
            page: PageRequest { page: 1, per_page: 20 },
            ..Default::default()
        })?;
        Ok((catalogue.recent_donations(10)?, drafts, catalogue.activity(15, 0)?))
    })
    .await?;
    let d = ws.desk(ws.desk("").t("工作台", "Workspace"));
    let donations = donations
        .into_iter()
        .map(|DonationSummary { donation, drafts, accessioned, published }| DonationRow {
            href: ws.link(&format!("/admin/donations/{}", donation.id)),
            label: donation_label(&donation.record, donation.id),
            date: donation.record.date.as_ref().map(|d| d.text.clone()).unwrap_or_default(),
            status: d.donation_status(&donation.record.status).to_string(),
            drafts,
            accessioned,
            published,
        })
        .collect();
    let drafts_total = drafts.total;
    let drafts = drafts
        .items
        .into_iter()
        .map(|a| DraftRow {
            href: ws
                .link(&format!("/admin/objects/{}", super::super::pages::segment(a.record.accession_number.as_str()))),
            accession: a.record.accession_number.as_str().to_string(),
            title: a.record.body.title.zh.clone().or(a.record.body.title.en.clone()).unwrap_or_default(),
        })
        .collect();
    let changes = rows(&ws, changes);
    Ok(render(&Dashboard { d, donations, drafts, drafts_total, changes }, StatusCode::OK))
}
