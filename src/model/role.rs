//! Who is asking: roles and the principal behind a request.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A staff role. The public is anyone without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads everything but private fields.
    Researcher,
    /// Creates and edits records, publishes, imports.
    Curator,
    /// Curator's rights plus users, vocabularies, backups.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Researcher => "researcher",
            Role::Curator => "curator",
            Role::Admin => "admin",
        }
    }

    pub fn can_edit(self) -> bool {
        self >= Role::Curator
    }

    pub fn sees_private(self) -> bool {
        self >= Role::Curator
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "researcher" => Ok(Role::Researcher),
            "curator" => Ok(Role::Curator),
            "admin" => Ok(Role::Admin),
            other => Err(format!("unknown role `{other}`: use admin, curator or researcher")),
        }
    }
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
}

/// Who is asking: a signed-in user, or the public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Public,
    Staff(Principal),
}

impl Viewer {
    pub fn role(&self) -> Option<Role> {
        match self {
            Viewer::Public => None,
            Viewer::Staff(p) => Some(p.role),
        }
    }

    pub fn sees_private(&self) -> bool {
        self.role().is_some_and(Role::sees_private)
    }

    /// What this viewer may see of the holdings.
    pub fn scope(&self) -> Scope {
        match self.role() {
            None => Scope::Public,
            Some(role) => Scope::staff(role),
        }
    }
}

/// What of the holdings a search, a list or an export shows: the same for every face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Published records, public fields only (visitors, the public index, open data).
    Public,
    /// Every record, but no private field (researchers).
    Research,
    /// Every record and field (curators and registrars, backups, moving catalogues).
    Full,
}

impl Scope {
    /// What a signed-in user of `role` sees.
    pub fn staff(role: Role) -> Scope {
        if role.sees_private() { Scope::Full } else { Scope::Research }
    }

    /// Whether private fields are shown and matched.
    pub fn private(self) -> bool {
        self == Scope::Full
    }
}
