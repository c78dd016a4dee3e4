//! What the faces read: records, lists, histories, the activity log, accounts and the
//! catalogue's own health. Each is a synchronous call on the store's read pool; the
//! async faces run it through [`blocking`](super::blocking).

use std::path::Path;
use std::time::Duration;

use super::{Catalogue, Result};
use crate::model::accession::{AccessionNumber, AccessionPattern};
use crate::model::image::ImageRecord;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::party::Party;
use crate::model::role::{Principal, Scope, Viewer};
use crate::model::view::{ArtefactRecord, DonationRecord, PartyRecord, Redact, Stored};
use crate::search::{SearchRequest, SearchResults, name_matches};
use crate::store::{
    Activity, ArtefactFilter, AuditEntry, DocRecord, DonationFilter, DonationSummary, Entity, HarvestFilter,
    ImportEntry, Page, PageRequest, Session, SessionLimits, TokenInfo, User, UserInfo,
};

/// A party named as a donor, and how many donations they gave.
#[derive(Debug, Clone)]
pub struct Donor {
    pub party: PartyRecord,
    pub donations: i64,
}

impl Catalogue {
    pub fn artefact(&self, accession: &str) -> Result<Option<ArtefactRecord>> {
        self.store.artefact(accession)
    }

    pub fn artefacts(&self, filter: &ArtefactFilter) -> Result<Page<ArtefactRecord>> {
        self.store.artefacts(filter)
    }

    pub fn artefact_count(&self) -> Result<i64> {
        self.store.artefact_count()
    }

    /// A party or a donation by its id.
    pub fn record<T: DocRecord>(&self, id: i64) -> Result<Option<Stored<T>>> {
        self.store.record(id)
    }

    pub fn donation(&self, id: i64) -> Result<Option<DonationRecord>> {
        self.store.donation(id)
    }

    pub fn donations(&self, filter: &DonationFilter) -> Result<Page<DonationRecord>> {
        self.store.donations(filter)
    }

    /// The donations `filter` asks for, each with its items counted by status.
    pub fn donation_summaries(&self, filter: &DonationFilter) -> Result<Page<DonationSummary>> {
        self.store.donation_summaries(filter)
    }

    /// The parties named as donors whose name `find` finds (every donor, if it is empty) in
    /// either script, by pinyin or by initials ([`name_matches`]), with how many donations
    /// each gave: the donor list and the intake's donor picker, which leave out makers and
    /// the people donors' relations name.
    pub fn donors(&self, find: &str, page: PageRequest) -> Result<Page<Donor>> {
        fn names(p: &Party) -> impl Iterator<Item = &str> {
            [p.name.zh.as_deref(), p.name.en.as_deref()]
                .into_iter()
                .flatten()
                .chain(p.other_names.iter().map(String::as_str))
        }
        let found: Vec<Donor> = self
            .store
            .donors()?
            .into_iter()
            .filter(|(p, _)| names(&p.record).any(|n| name_matches(n, find)))
            .map(|(party, donations)| Donor { party, donations })
            .collect();
        let total = found.len() as u64;
        let per_page = page.per_page.max(1);
        let skip = (page.page.max(1) as usize - 1).saturating_mul(per_page as usize);
        let items = found.into_iter().skip(skip).take(per_page as usize).collect();
        Ok(Page { items, total, page: page.page.max(1), per_page })
    }

    /// The latest donations with their item counts, newest first.
    pub fn recent_donations(&self, limit: u32) -> Result<Vec<DonationSummary>> {
        self.store.recent_donations(limit)
    }

    /// The accession number the next item of the donation would get.
    pub fn next_accession(&self, donation_id: i64, pattern: &AccessionPattern) -> Result<AccessionNumber> {
        self.store.next_accession(donation_id, pattern)
    }

    pub fn party(&self, id: i64) -> Result<Option<PartyRecord>> {
        self.store.party(id)
    }

    /// Parties whose name contains `name` (all when `None`), a page at a time.
    pub fn parties(&self, name: Option<&str>, page: PageRequest) -> Result<Page<PartyRecord>> {
        self.store.parties(name, page)
    }

    /// One image by its identifier: `NotFound` when there is none.
    pub fn image(&self, id: &str) -> Result<ImageRecord> {
        self.store.image(id)
    }

    pub fn images_of(&self, artefact_id: i64) -> Result<Vec<ImageRecord>> {
        self.store.images_of(artefact_id)
    }

    pub fn images_of_accession(&self, accession: &str) -> Result<Vec<ImageRecord>> {
        self.store.images_of_accession(accession)
    }

    /// Every stored original as (SHA-256, the first image identifier using it).
    pub fn image_originals(&self) -> Result<Vec<(String, String)>> {
        self.store.image_originals()
    }

    /// How many originals are stored, and their bytes.
    pub fn image_store_size(&self) -> Result<(i64, i64)> {
        self.store.image_store_size()
    }

    /// The audit rows of one record, oldest first.
    pub fn history(&self, entity: Entity, entity_id: i64) -> Result<Vec<AuditEntry>> {
        self.store.history(entity, entity_id)
    }

    /// The audit rows of one record of type `T` as `viewer` may see them: for a viewer who may
    /// not see private fields, each before and after without them, and as changed only the
    /// fields that still differ.
    pub fn history_as<T: Redact + Serialize + DeserializeOwned>(
        &self,
        entity: Entity,
        entity_id: i64,
        viewer: &Viewer,
    ) -> Result<Vec<AuditEntry>> {
        Ok(redacted::<T>(self.store.history(entity, entity_id)?, viewer))
    }

    pub fn image_history(&self, id: &str) -> Result<Vec<AuditEntry>> {
        self.store.image_history(id)
    }

    /// A page of the activity log, newest first, with the total.
    pub fn activity(&self, limit: u32, offset: u64) -> Result<(Vec<Activity>, u64)> {
        self.store.activity(limit, offset)
    }

    pub fn audit_count(&self) -> Result<i64> {
        self.store.audit_count()
    }

    /// The latest imports, newest first.
    pub fn import_log(&self, limit: u32) -> Result<Vec<ImportEntry>> {
        self.store.import_log(limit)
    }

    /// Published artefacts for a harvester (OAI-PMH), with how many match in all.
    pub fn harvest(&self, filter: &HarvestFilter, offset: u64, limit: u32) -> Result<(Vec<ArtefactRecord>, u64)> {
        self.store.harvest(filter, offset, limit)
    }

    /// The categories of published artefacts with their counts: the harvest's sets.
    pub fn published_categories(&self) -> Result<Vec<(String, u64)>> {
        self.store.published_categories()
    }

    pub fn user(&self, name: &str) -> Result<Option<User>> {
        self.store.user(name)
    }

    pub fn users(&self) -> Result<Vec<UserInfo>> {
        self.store.users()
    }

    pub fn tokens_of(&self, user_id: i64) -> Result<Vec<TokenInfo>> {
        self.store.tokens_of(user_id)
    }

    /// The signed-in session behind a cookie's secret, if it is still alive.
    pub fn session(&self, secret: &str, limits: SessionLimits) -> Result<Option<Session>> {
        self.store.session(secret, limits)
    }

    /// Who holds an API token, if it is live.
    pub fn authenticate_token(&self, secret: &str) -> Result<Option<Principal>> {
        self.store.authenticate_token(secret)
    }

    /// How long sign-in must wait after failures under any of `keys`.
    pub fn login_wait(&self, keys: &[String]) -> Result<Option<Duration>> {
        self.store.login_wait(keys)
    }

    /// Whether the database answers.
    pub fn ping(&self) -> Result<()> {
        self.store.ping()
    }

    /// How many committed changes the search indexes have still to apply (the one further behind).
    pub fn index_lag(&self) -> anyhow::Result<i64> {
        let indexes = self.search.indexes();
        let applied = indexes.internal.applied()?.min(indexes.public.applied()?);
        Ok((self.store.last_outbox_id()? - applied).max(0))
    }

    /// A search as a viewer of `scope` may run it: over the public index, or over all holdings.
    pub fn search(&self, req: &SearchRequest, scope: Scope) -> crate::search::Result<SearchResults> {
        self.search.search(req, scope)
    }

    /// Every value of one facet over what `scope` may see (a browse page's list).
    pub fn facet_values(&self, name: &str, scope: Scope) -> crate::search::Result<Vec<crate::search::FacetCount>> {
        self.search.facet_values(name, scope)
    }

    /// Completions of `prefix` from the titles `scope` may see.
    pub fn suggest(&self, prefix: &str, scope: Scope, limit: usize) -> crate::search::Result<Vec<String>> {
        self.search.suggest(prefix, scope, limit)
    }

    /// Reloads the search readers, so this process sees what another has committed.
    pub fn refresh_search(&self) -> crate::search::Result<()> {
        self.search.refresh()
    }

    /// The generation of the search indexes being served.
    pub fn index_generation(&self) -> String {
        self.search.indexes().generation.clone()
    }

    /// A consistent copy of the database at `dest`, taken while it is in use.
    pub fn backup_database(&self, dest: &Path) -> Result<()> {
        self.store.backup_to(dest)
    }
}

fn redacted<T: Redact + Serialize + DeserializeOwned>(entries: Vec<AuditEntry>, viewer: &Viewer) -> Vec<AuditEntry> {
    if viewer.sees_private() {
        return entries;
    }
    let redact = |v: Option<Value>| {
        v.map(|v| match serde_json::from_value::<T>(v.clone()) {
            Ok(mut r) => {
                r.redact_private();
                serde_json::to_value(r).unwrap_or(Value::Null)
            }
            Err(_) => Value::Null,
        })
    };
    entries
        .into_iter()
        .map(|mut e| {
            e.before = redact(e.before.take());
            e.after = redact(e.after.take());
            let (b, a) = (e.before.as_ref().and_then(Value::as_object), e.after.as_ref().and_then(Value::as_object));
            e.changed.retain(|k| b.and_then(|b| b.get(k)) != a.and_then(|a| a.get(k)));
            e
        })
        .collect()
}
