//! People and their access: user accounts, API tokens, signing in and out. The
//! workspace and the command line add users and tokens the same way.

use super::Catalogue;
use crate::model::role::{Principal, Role};
use crate::store::{NewToken, Result, User};

impl Catalogue {
    /// Adds a user account (a password for the workspace, or none for token-only use).
    pub fn add_user(&self, actor: &str, name: &str, role: Role, password: Option<&str>) -> Result<User> {
        self.store.add_user(actor, name, role, password)
    }

    /// Changes a user's role, or disables the account (its sessions and tokens stop at once).
    pub fn set_user_access(&self, actor: &str, user_id: i64, role: Role, disabled: bool) -> Result<()> {
        self.store.set_user_access(actor, user_id, role, disabled)
    }

    /// A new API token for the user; its secret is shown this once.
    pub fn create_token(&self, actor: &str, user_id: i64, label: Option<&str>) -> Result<NewToken> {
        self.store.create_token(actor, user_id, label)
    }

    /// Revokes one of the user's own tokens.
    pub fn revoke_own_token(&self, actor: &str, user_id: i64, token_id: i64) -> Result<()> {
        self.store.revoke_own_token(actor, user_id, token_id)
    }

    /// Signs in with a name and password: the new session's secret, or `None` when they do
    /// not match (counted against `throttle`, the keys of the name and the address; a success
    /// clears the name's). A session the browser had before ends: a new id at every sign-in,
    /// so a session planted before cannot be taken over.
    pub fn sign_in(
        &self,
        name: &str,
        password: &str,
        throttle: &[String],
        previous: Option<&str>,
        address: Option<&str>,
    ) -> Result<Option<String>> {
        let Some(user) = self.store.verify_password(name, password)? else {
            self.store.login_failed(throttle)?;
            return Ok(None);
        };
        self.store.login_succeeded(&throttle[..1])?;
        if let Some(old) = previous {
            self.store.end_session(old)?;
        }
        let principal = Principal::from(user);
        Ok(Some(self.store.create_session(&principal, address)?.secret))
    }

    /// Ends the session with this secret.
    pub fn sign_out(&self, secret: &str) -> Result<()> {
        self.store.end_session(secret)
    }
}
