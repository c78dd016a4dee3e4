//! Users and API tokens. Passwords are hashed with Argon2id; tokens are random
//! 256-bit secrets stored only as their SHA-256 and shown once.

use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use rand::RngCore;
use rusqlite::{OptionalExtension, params};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::audit::{Entity, record_change};
use super::{Result, Store, StoreError, now};
use crate::model::role::{Principal, Role};
use crate::model::validation::ValidationErrors;

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

impl From<User> for Principal {
    fn from(user: User) -> Principal {
        Principal { user_id: user.id, name: user.name, role: user.role }
    }
}

/// A token just created: the secret is shown to the user once and never again.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub id: i64,
    pub secret: String,
}

const TOKEN_PREFIX: &str = "mct_";

/// A hash to check passwords of unknown accounts against.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::encode_b64(b"catalogue-dummy!").expect("a valid salt");
    Argon2::default().hash_password(b"not a password", &salt).map(|h| h.to_string()).unwrap_or_default()
});

fn token_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn check_name(name: &str) -> Result<&str> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(name)
    } else {
        Err(ValidationErrors::single("name", "must be 1–64 letters, digits or . _ - @").into())
    }
}

impl Store {
    /// Creates a user; `password` may be absent for accounts that only use API tokens.
    pub fn add_user(&self, actor: &str, name: &str, role: Role, password: Option<&str>) -> Result<User> {
        let name = check_name(name)?;
        let password_hash = match password {
            Some(p) if p.chars().count() < 10 => {
                return Err(ValidationErrors::single("password", "must be at least 10 characters").into());
            }
            Some(p) => {
                let mut salt_bytes = [0u8; 16];
                rand::rng().fill_bytes(&mut salt_bytes);
                let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| StoreError::Hash(e.to_string()))?;
                Some(
                    Argon2::default()
                        .hash_password(p.as_bytes(), &salt)
                        .map_err(|e| StoreError::Hash(e.to_string()))?
                        .to_string(),
                )
            }
            None => None,
        };
        self.write(|tx| {
            let taken: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM users WHERE name = ?1)", [name], |r| r.get(0))?;
            if taken {
                return Err(StoreError::Conflict {
                    message: format!("a user named {name} already exists"),
                    current_version: None,
                });
            }
            tx.execute(
                "INSERT INTO users(name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![name, role.as_str(), password_hash, now()],
            )?;
            let id = tx.last_insert_rowid();
            record_change(tx, actor, Entity::User, id, "create", None, Some(&json!({"name": name, "role": role})))?;
            Ok(User { id, name: name.to_string(), role })
        })
    }

    pub fn user(&self, name: &str) -> Result<Option<User>> {
        self.read(|c| {
            Ok(c.query_row("SELECT id, name, role FROM users WHERE name = ?1 AND disabled_at IS NULL", [name], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .optional()?
            .and_then(|(id, name, role)| Some(User { id, name, role: role.parse().ok()? })))
        })
    }

    /// Checks a password; `None` for an unknown user, a wrong password or an account without one.
    pub fn verify_password(&self, name: &str, password: &str) -> Result<Option<User>> {
        let hash: Option<Option<String>> = self.read(|c| {
            Ok(c.query_row("SELECT password_hash FROM users WHERE name = ?1 AND disabled_at IS NULL", [name], |r| {
                r.get(0)
            })
            .optional()?)
        })?;
        let Some(Some(hash)) = hash else {
            // Spend the same time on an unknown name as on a known one, so timing tells nothing.
            if let Ok(dummy) = PasswordHash::new(&DUMMY_HASH) {
                let _ = Argon2::default().verify_password(password.as_bytes(), &dummy);
            }
            return Ok(None);
        };
        let parsed = PasswordHash::new(&hash).map_err(|e| StoreError::Hash(e.to_string()))?;
        if Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() { self.user(name) } else { Ok(None) }
    }

    /// Creates an API token for a user. The secret is returned once; only its hash is kept.
    pub fn create_token(&self, actor: &str, user_id: i64, label: Option<&str>) -> Result<NewToken> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let secret = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
        self.write(|tx| {
            tx.execute(
                "INSERT INTO api_tokens(user_id, token_hash, label, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![user_id, token_hash(&secret), label, now()],
            )?;
            let id = tx.last_insert_rowid();
            record_change(
                tx,
                actor,
                Entity::User,
                user_id,
                "create_token",
                None,
                Some(&json!({"token_id": id, "label": label})),
            )?;
            Ok(NewToken { id, secret })
        })
    }

    pub fn revoke_token(&self, actor: &str, token_id: i64) -> Result<()> {
        self.write(|tx| {
            let user_id: i64 = tx
                .query_row("SELECT user_id FROM api_tokens WHERE id = ?1 AND revoked_at IS NULL", [token_id], |r| {
                    r.get(0)
                })
                .optional()?
                .ok_or_else(|| StoreError::not_found("token", token_id))?;
            tx.execute("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1", params![token_id, now()])?;
            record_change(tx, actor, Entity::User, user_id, "revoke_token", None, Some(&json!({"token_id": token_id})))
        })
    }

    /// The user a bearer token belongs to, if the token is valid and not revoked.
    pub fn authenticate_token(&self, secret: &str) -> Result<Option<Principal>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        self.read(|c| {
            let row = c
                .prepare_cached(
                    "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
                     WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
                )?
                .query_row([token_hash(secret)], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
                })
                .optional()?;
            Ok(row.and_then(|(user_id, name, role)| Some(Principal { user_id, name, role: role.parse().ok()? })))
        })
    }
}

/// A user account as the admin pages list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub disabled: bool,
    pub has_password: bool,
}

/// An API token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: i64,
    pub label: Option<String>,
    pub created_at: String,
    pub revoked: bool,
}

impl Store {
    /// Every account, by name.
    pub fn users(&self) -> Result<Vec<UserInfo>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT id, name, role, created_at, disabled_at IS NOT NULL, password_hash IS NOT NULL
                 FROM users ORDER BY name",
            )?;
            let rows = st.query_map([], |r| {
                Ok(UserInfo {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get::<_, String>(2)?.parse().unwrap_or(Role::Researcher),
                    created_at: r.get(3)?,
                    disabled: r.get(4)?,
                    has_password: r.get(5)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Changes an account's role or disables it; either ends its sessions, so
    /// the change takes effect at the next request.
    pub fn set_user_access(&self, actor: &str, user_id: i64, role: Role, disabled: bool) -> Result<()> {
        self.write(|tx| {
            let before: Option<(String, bool)> = tx
                .query_row("SELECT role, disabled_at IS NOT NULL FROM users WHERE id = ?1", [user_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let (old_role, was_disabled) = before.ok_or_else(|| StoreError::not_found("user", user_id))?;
            tx.execute(
                "UPDATE users SET role = ?2, disabled_at = CASE WHEN ?3 THEN coalesce(disabled_at, ?4) END WHERE id = ?1",
                params![user_id, role.as_str(), disabled, now()],
            )?;
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
            record_change(
                tx,
                actor,
                Entity::User,
                user_id,
                "update",
                Some(&json!({"role": old_role, "disabled": was_disabled})),
                Some(&json!({"role": role, "disabled": disabled})),
            )
        })
    }

    /// A user's API tokens, newest first.
    pub fn tokens_of(&self, user_id: i64) -> Result<Vec<TokenInfo>> {
        self.read(|c| {
            let mut st = c.prepare(
                "SELECT id, label, created_at, revoked_at IS NOT NULL FROM api_tokens WHERE user_id = ?1 ORDER BY id DESC",
            )?;
            let rows = st.query_map([user_id], |r| {
                Ok(TokenInfo { id: r.get(0)?, label: r.get(1)?, created_at: r.get(2)?, revoked: r.get(3)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Revokes one of `user_id`'s own tokens; another user's token is "not found".
    pub fn revoke_own_token(&self, actor: &str, user_id: i64, token_id: i64) -> Result<()> {
        let owner: Option<i64> = self.read(|c| {
            Ok(c.query_row("SELECT user_id FROM api_tokens WHERE id = ?1", [token_id], |r| r.get(0)).optional()?)
        })?;
        if owner != Some(user_id) {
            return Err(StoreError::not_found("token", token_id));
        }
        self.revoke_token(actor, token_id)
    }
}
