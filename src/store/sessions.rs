//! Web sessions and sign-in throttling.
//!
//! A session cookie carries a random 256-bit secret; the table keeps only its
//! SHA-256, so a copy of the database cannot be used to sign in. Each session
//! has its own CSRF token. Sessions end after an idle period or an absolute
//! lifetime, whichever comes first.

use std::time::Duration;

use chrono::Utc;
use rand::RngCore;
use rusqlite::{OptionalExtension, params};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::audit::{Entity, record_change};
use super::{Result, Store, now, parse_time};
use crate::model::role::Principal;

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// Ends after this long without a request.
    pub idle: Duration,
    /// Ends this long after sign-in, however busy.
    pub absolute: Duration,
}

/// A session just begun: the secret goes into the cookie and is not kept.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub secret: String,
    pub csrf: String,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub csrf: String,
}

/// Sign-in failures allowed on one account before waiting is required.
const FREE_FAILURES: i64 = 5;
/// Failures allowed from one address (over all accounts: an office shares one) before waiting.
const FREE_FAILURES_PER_ADDRESS: i64 = 20;
/// The longest wait between attempts.
const MAX_BLOCK_SECS: i64 = 15 * 60;

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Seconds to wait after `failures` failed attempts: none for the first `free`, then doubling.
fn block_secs(failures: i64, free: i64) -> i64 {
    if failures < free { 0 } else { (1i64 << (failures - free).min(20)).min(MAX_BLOCK_SECS) }
}

/// A fresh random token (for the CSRF cookie of the sign-in form).
pub fn random_token() -> String {
    random_hex()
}

impl Store {
    /// Begins a session for a user who has just proved who they are.
    pub fn create_session(&self, user: &Principal, address: Option<&str>) -> Result<NewSession> {
        let secret = random_hex();
        let csrf = random_hex();
        self.write(|tx| {
            let at = now();
            tx.execute(
                "INSERT INTO sessions(id_hash, user_id, csrf_token, created_at, last_seen_at, address)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
                params![hash(&secret), user.user_id, csrf, at, address],
            )?;
            record_change(
                tx,
                &user.name,
                Entity::User,
                user.user_id,
                "sign_in",
                None,
                Some(&json!({"address": address})),
            )?;
            Ok(NewSession { secret, csrf })
        })
    }

    /// The session behind a cookie's secret, if it is live; an expired one is removed.
    pub fn session(&self, secret: &str, limits: SessionLimits) -> Result<Option<Session>> {
        let key = hash(secret);
        let row = self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT u.id, u.name, u.role, s.csrf_token, s.created_at, s.last_seen_at
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.id_hash = ?1 AND u.disabled_at IS NULL",
            )?
            .query_row([&key], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .optional()?)
        })?;
        let Some((user_id, name, role, csrf, created, seen)) = row else { return Ok(None) };
        let now_t = Utc::now();
        let age = |t: &str| (now_t - parse_time(t)).to_std().unwrap_or_default();
        if age(&created) > limits.absolute || age(&seen) > limits.idle {
            self.write(|tx| Ok(tx.execute("DELETE FROM sessions WHERE id_hash = ?1", [&key])?))?;
            return Ok(None);
        }
        // Touch at most once a minute, so reads stay reads.
        if age(&seen) > Duration::from_secs(60) {
            self.write(|tx| {
                Ok(tx.execute("UPDATE sessions SET last_seen_at = ?2 WHERE id_hash = ?1", params![key, now()])?)
            })?;
        }
        let Ok(role) = role.parse() else { return Ok(None) };
        Ok(Some(Session { principal: Principal { user_id, name, role }, csrf }))
    }

    /// Ends the session behind a cookie's secret (sign-out). Unknown secrets are ignored.
    pub fn end_session(&self, secret: &str) -> Result<()> {
        self.write(|tx| {
            let user: Option<(i64, String)> = tx
                .query_row(
                    "SELECT u.id, u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?1",
                    [hash(secret)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((id, name)) = user {
                tx.execute("DELETE FROM sessions WHERE id_hash = ?1", [hash(secret)])?;
                record_change(tx, &name, Entity::User, id, "sign_out", None, None)?;
            }
            Ok(())
        })
    }

    /// How long the caller must wait before another attempt, over all `keys`.
    pub fn login_wait(&self, keys: &[String]) -> Result<Option<Duration>> {
        self.read(|c| {
            let mut longest = None;
            for key in keys {
                let until: Option<Option<String>> = c
                    .query_row("SELECT blocked_until FROM login_throttle WHERE key = ?1", [key], |r| r.get(0))
                    .optional()?;
                if let Some(Some(until)) = until
                    && let Ok(wait) = (parse_time(&until) - Utc::now()).to_std()
                {
                    longest = longest.max(Some(wait));
                }
            }
            Ok(longest)
        })
    }

    /// Counts a failed attempt against each key.
    pub fn login_failed(&self, keys: &[String]) -> Result<()> {
        self.write(|tx| {
            for key in keys {
                let failures: i64 = tx
                    .query_row("SELECT failures FROM login_throttle WHERE key = ?1", [key], |r| r.get(0))
                    .optional()?
                    .unwrap_or(0)
                    + 1;
                let free = if key.starts_with("addr:") { FREE_FAILURES_PER_ADDRESS } else { FREE_FAILURES };
                let block = block_secs(failures, free);
                let until = (block > 0).then(|| {
                    (Utc::now() + chrono::Duration::seconds(block)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
                });
                tx.execute(
                    "INSERT INTO login_throttle(key, failures, last_failure, blocked_until) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(key) DO UPDATE SET failures = ?2, last_failure = ?3, blocked_until = ?4",
                    params![key, failures, now(), until],
                )?;
            }
            Ok(())
        })
    }

    /// Forgets the failures of an account after a successful sign-in.
    pub fn login_succeeded(&self, keys: &[String]) -> Result<()> {
        self.write(|tx| {
            for key in keys {
                tx.execute("DELETE FROM login_throttle WHERE key = ?1", [key])?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::block_secs;

    #[test]
    fn waits_grow_after_the_free_failures_and_are_capped() {
        assert_eq!(block_secs(1, 5), 0);
        assert_eq!(block_secs(4, 5), 0);
        assert_eq!(block_secs(5, 5), 1);
        assert_eq!(block_secs(8, 5), 8);
        assert_eq!(block_secs(30, 5), 15 * 60);
        assert_eq!(block_secs(19, 20), 0);
    }
}
