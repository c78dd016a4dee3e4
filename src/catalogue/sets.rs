//! Sets: named lists of artefacts a curator keeps (an exhibition's checklist, a loan, a
//! photography campaign). A set is private to its owner unless shared, when all staff see
//! it; only its owner changes it. It can be opened as a list, exported, and taken as a
//! batch's selection.

use super::Catalogue;
use super::batch::Chosen;
use crate::model::role::Principal;
use crate::model::validation::ValidationErrors;
use crate::store::{RecordSet, Result, StoreError};

/// The longest name a set may have, in characters.
const MAX_NAME: usize = 100;

impl Catalogue {
    /// A new, empty set kept by `owner`.
    pub fn create_set(&self, owner: &Principal, name: &str, shared: bool) -> Result<RecordSet> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ValidationErrors::single("name", "is required: name the set, e.g. 2024年春季展览").into());
        }
        if name.chars().count() > MAX_NAME {
            return Err(ValidationErrors::single("name", format!("is longer than {MAX_NAME} characters")).into());
        }
        self.store.create_set(&owner.name, name, shared)
    }

    /// The sets `user` keeps and those shared with all staff.
    pub fn sets(&self, user: &Principal) -> Result<Vec<RecordSet>> {
        self.store.sets_for(&user.name)
    }

    /// The records' numbers of a set shared with all staff, in the order it keeps them;
    /// none when the set is private or gone (the home page features a shared set only).
    pub fn shared_set_members(&self, id: i64) -> Result<Vec<String>> {
        match self.store.record_set(id)? {
            Some(set) if set.shared => self.store.set_members(id),
            _ => Ok(Vec::new()),
        }
    }

    /// A set `user` may see (their own, or a shared one), with its records' numbers; another's
    /// private set is not found, as if it did not exist.
    pub fn set(&self, user: &Principal, id: i64) -> Result<(RecordSet, Vec<String>)> {
        let set = self.store.record_set(id)?.filter(|s| s.shared || s.owner == user.name);
        let set = set.ok_or_else(|| StoreError::not_found("set", id))?;
        let members = self.store.set_members(id)?;
        Ok((set, members))
    }

    /// Adds records to a set `user` keeps: all of them, or none when one does not exist.
    pub fn add_to_set(&self, user: &Principal, id: i64, accessions: &[String]) -> Result<u64> {
        self.own_set(user, id)?;
        if accessions.is_empty() {
            return Err(ValidationErrors::single("accessions", "choose at least one record").into());
        }
        self.store.add_to_set(id, accessions)
    }

    /// Takes records out of a set `user` keeps.
    pub fn remove_from_set(&self, user: &Principal, id: i64, accessions: &[String]) -> Result<u64> {
        self.own_set(user, id)?;
        self.store.remove_from_set(id, accessions)
    }

    /// A set's records at their current versions: a batch's selection.
    pub fn choose_set(&self, user: &Principal, id: i64) -> Result<Vec<Chosen>> {
        let (_, members) = self.set(user, id)?;
        self.choose(&members)
    }

    fn own_set(&self, user: &Principal, id: i64) -> Result<RecordSet> {
        let (set, _) = self.set(user, id)?;
        if set.owner != user.name {
            return Err(StoreError::Conflict {
                message: format!("the set “{}” is kept by {}; only its owner changes it", set.name, set.owner),
                current_version: None,
            });
        }
        Ok(set)
    }
}
