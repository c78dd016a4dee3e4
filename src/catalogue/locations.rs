//! Where every object is: locations, movements, shelf lists and inventory checks
//! (Spectrum's location and movement control, and inventory).
//!
//! Locations are never public. Curators and admins see them; researchers only when the
//! `researchers_see_locations` setting allows it; the public never.

use chrono::NaiveDate;

use super::Catalogue;
use crate::model::location::{LocationInput, MoveReason, code};
use crate::model::role::Viewer;
use crate::model::validation::ValidationErrors;
use crate::store::{InventoryCheck, LocationRecord, Mark, MoveOrder, Movement, Result, ShelfEntry, StoreError};

/// Where an object is and how it came there.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Whereabouts {
    pub accession: String,
    /// Its current location; none while it has never been placed.
    pub current: Option<LocationRecord>,
    /// Every movement, oldest first.
    pub movements: Vec<Movement>,
}

/// What a move asks: where to, why, when (today by default) and a note.
#[derive(Debug, Clone)]
pub struct MoveRequest<'a> {
    pub to: &'a str,
    pub reason: &'a str,
    pub date: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// The setting an admin makes in the workspace: researchers see where objects are.
pub const RESEARCHERS_SEE_LOCATIONS: &str = "researchers_see_locations";

impl Catalogue {
    /// Whether `viewer` may see where objects are.
    pub fn sees_locations(&self, viewer: &Viewer) -> bool {
        match viewer {
            Viewer::Public => false,
            Viewer::Staff(p) => p.role.sees_private() || self.researchers_see_locations(),
        }
    }

    /// Whether researchers see where objects are.
    pub fn researchers_see_locations(&self) -> bool {
        self.researchers_see_locations.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// An admin lets researchers see where objects are, or stops them; `catalogue.toml`'s
    /// `researchers_see_locations = true` cannot be undone here.
    pub fn allow_researchers_locations(&self, admin: &crate::model::role::Principal, allow: bool) -> Result<()> {
        if admin.role != crate::model::role::Role::Admin {
            return Err(StoreError::Forbidden(
                "only an admin decides whether researchers see where objects are".into(),
            ));
        }
        if !allow && self.config.researchers_see_locations {
            return Err(ValidationErrors::single(
                "researchers_see_locations",
                "is set in the catalogue's configuration; change it there",
            )
            .into());
        }
        self.store.change_setting(&admin.name, RESEARCHERS_SEE_LOCATIONS, if allow { "1" } else { "0" })?;
        self.researchers_see_locations.store(allow, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    fn check_sees_locations(&self, viewer: &Viewer) -> Result<()> {
        if self.sees_locations(viewer) {
            Ok(())
        } else {
            Err(StoreError::Forbidden(
                "where objects are kept is shown to curators; ask an admin to let researchers see it".into(),
            ))
        }
    }

    /// A day that has come: `raw` as `2026-12-07`, or today when none is given.
    pub(super) fn past_day(&self, raw: Option<&str>) -> std::result::Result<NaiveDate, String> {
        let today = self.today();
        match raw.map(str::trim).filter(|d| !d.is_empty()) {
            None => Ok(today),
            Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(day) if day > today => Err(format!("{day} is in the future; record it when it happens")),
                Ok(day) => Ok(day),
                Err(_) => Err(format!("`{d}` is not a date: write it as 2026-12-07")),
            },
        }
    }

    /// The museum's date today.
    pub fn today(&self) -> NaiveDate {
        chrono::Utc::now().with_timezone(&self.config.timezone).date_naive()
    }

    pub fn create_location(&self, actor: &str, input: &LocationInput) -> Result<LocationRecord> {
        let (code, location, parent) = input.validate()?;
        self.store.create_location(actor, &code, &location, parent.as_deref())
    }

    /// Changes the location coded `current` (at `version`) to `input`.
    pub fn change_location(
        &self,
        actor: &str,
        current: &str,
        version: i64,
        input: &LocationInput,
    ) -> Result<LocationRecord> {
        let (new_code, location, parent) = input.validate()?;
        self.store.change_location(actor, &looked_up(current), version, &new_code, &location, parent.as_deref())
    }

    pub fn location(&self, viewer: &Viewer, code: &str) -> Result<LocationRecord> {
        self.check_sees_locations(viewer)?;
        let code = looked_up(code);
        self.store.location(&code)?.ok_or_else(|| StoreError::not_found("location", code))
    }

    /// Every location, by code.
    pub fn locations(&self, viewer: &Viewer) -> Result<Vec<LocationRecord>> {
        self.check_sees_locations(viewer)?;
        self.store.locations()
    }

    /// How many objects each location holds itself, by location id (a count over every
    /// object: for the pages that show counts, not for those that only name locations).
    pub fn location_counts(&self, viewer: &Viewer) -> Result<std::collections::HashMap<i64, u64>> {
        self.check_sees_locations(viewer)?;
        Ok(self.store.location_counts()?.into_iter().collect())
    }

    /// What a location holds (with `below`, everything inside it too): a shelf list.
    pub fn shelf_list(&self, viewer: &Viewer, code: &str, below: bool) -> Result<Vec<ShelfEntry>> {
        self.check_sees_locations(viewer)?;
        self.store.shelf_list(&looked_up(code), below)
    }

    /// Where an object is, and its movements.
    pub fn whereabouts(&self, viewer: &Viewer, accession: &str) -> Result<Whereabouts> {
        self.check_sees_locations(viewer)?;
        Ok(Whereabouts {
            accession: accession.to_string(),
            current: self.store.current_location(accession)?,
            movements: self.store.movements(accession)?,
        })
    }

    /// Moves objects (each at the version read, when given) in one transaction.
    pub fn move_artefacts(
        &self,
        actor: &str,
        selection: &[(String, Option<i64>)],
        request: &MoveRequest<'_>,
    ) -> Result<Vec<Movement>> {
        if selection.is_empty() {
            return Err(ValidationErrors::single("accessions", "name at least one object to move").into());
        }
        let order = self.order(request)?;
        self.store.move_artefacts(actor, selection, &order)
    }

    /// Moves everything in location `from` (with `below`, in the locations inside it too).
    pub fn move_contents(
        &self,
        actor: &str,
        from: &str,
        below: bool,
        request: &MoveRequest<'_>,
    ) -> Result<Vec<Movement>> {
        let order = self.order(request)?;
        self.store.move_contents(actor, &looked_up(from), below, &order)
    }

    /// The checked order of a move request.
    fn order(&self, r: &MoveRequest<'_>) -> Result<MoveOrder> {
        let mut e = ValidationErrors::default();
        let to = e.check("to", code(r.to));
        let reason = MoveReason::parse(r.reason);
        if reason.is_none() {
            let known: Vec<&str> = MoveReason::ALL.iter().map(|m| m.as_str()).collect();
            e.push(
                "reason",
                format!("`{}` is not a reason for a move: use one of {}", r.reason.trim(), known.join(", ")),
            );
        }
        let today = self.today();
        let date = e.check("date", self.past_day(r.date));
        let note = e.check("note", crate::model::validation::optional_text(r.note, 1000)).flatten();
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok(MoveOrder {
            to: to.unwrap_or_default(),
            reason: reason.unwrap_or(MoveReason::Recorded),
            date: date.unwrap_or(today),
            note,
        })
    }

    /// Starts an inventory check of a location and everything inside it.
    pub fn start_check(&self, actor: &str, location: &str, note: Option<&str>) -> Result<InventoryCheck> {
        let note =
            crate::model::validation::optional_text(note, 1000).map_err(|p| ValidationErrors::single("note", p))?;
        self.store.start_check(actor, &looked_up(location), note.as_deref())
    }

    /// Marks objects of an open check (typed or scanned accession numbers).
    pub fn mark_check(&self, actor: &str, id: i64, marks: &[(String, Mark, Option<String>)]) -> Result<InventoryCheck> {
        if marks.is_empty() {
            return Err(ValidationErrors::single("marks", "mark at least one object").into());
        }
        let marks: Vec<_> =
            marks.iter().map(|(a, m, at)| (a.trim().to_string(), *m, at.as_deref().map(looked_up))).collect();
        self.store.mark_check(actor, id, &marks)
    }

    /// Finishes a check. With `correct`, objects found where their record does not say are
    /// moved there, dated today, for the reason `inventory`.
    pub fn finish_check(&self, actor: &str, id: i64, correct: bool) -> Result<InventoryCheck> {
        let order = correct.then(|| MoveOrder {
            to: String::new(),
            reason: MoveReason::Inventory,
            date: self.today(),
            note: Some(format!("inventory check {id}")),
        });
        self.store.finish_check(actor, id, order.as_ref())
    }

    pub fn inventory_check(&self, viewer: &Viewer, id: i64) -> Result<InventoryCheck> {
        self.check_sees_locations(viewer)?;
        self.store.inventory_check(id)
    }

    pub fn inventory_checks(&self, viewer: &Viewer) -> Result<Vec<InventoryCheck>> {
        self.check_sees_locations(viewer)?;
        self.store.inventory_checks(200)
    }
}

/// A code as typed or scanned, in the form the store keeps (capitals, trimmed).
fn looked_up(code: &str) -> String {
    code.trim().to_ascii_uppercase()
}
