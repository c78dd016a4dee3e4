//! Errors of the store.

use crate::model::validation::ValidationErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{entity} {key} not found")]
    NotFound { entity: &'static str, key: String },
    /// The record changed since the client read it, or a unique value is taken.
    #[error("{message}")]
    Conflict { message: String, current_version: Option<i64> },
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored record is not valid JSON")]
    Json(#[from] serde_json::Error),
    #[error("cannot open the data directory")]
    Io(#[from] std::io::Error),
    #[error("database migration {version} failed")]
    Migration { version: usize, source: rusqlite::Error },
    #[error("password hashing failed: {0}")]
    Hash(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    pub fn not_found(entity: &'static str, key: impl ToString) -> Self {
        StoreError::NotFound { entity, key: key.to_string() }
    }

    pub fn stale(entity: &str, sent: i64, current: i64) -> Self {
        StoreError::Conflict {
            message: format!(
                "this {entity} was changed by someone else since you read it (you sent version {sent}, it is now at version {current}); reload it, reapply your change and send version {current}"
            ),
            current_version: Some(current),
        }
    }
}
