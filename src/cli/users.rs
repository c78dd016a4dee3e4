//! `catalogue user add`.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};

use crate::catalogue::Catalogue;
use crate::catalogue::config::Config;
use crate::model::role::Role;

pub fn add_user(config: Config, name: &str, role: Role, password_stdin: bool) -> anyhow::Result<()> {
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
        let p = line.trim_end_matches(['\r', '\n']).to_string();
        if p.is_empty() {
            bail!("--password-stdin was given but standard input held no password");
        }
        Some(p)
    } else if std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password(format!("Password for {name} (empty for API-token access only): "))?;
        if p.is_empty() {
            None
        } else {
            let again = rpassword::prompt_password("Repeat the password: ")?;
            if again != p {
                bail!("the passwords differ; nothing was created");
            }
            Some(p)
        }
    } else {
        None
    };
    let state = Catalogue::open(config)?;
    let user = state.add_user("system:cli", name, role, password.as_deref()).map_err(describe)?;
    let token = state.create_token("system:cli", user.id, Some("created with the user")).map_err(describe)?;
    println!(
        "created user {} ({}){}",
        user.name,
        user.role,
        if password.is_some() { " with a password" } else { " without a password" }
    );
    println!("API token (shown once; send it as `Authorization: Bearer <token>`):");
    println!("{}", token.secret);
    Ok(())
}

/// Turns a store error into a message for the terminal.
/// A store error as the command line says it: a refusal by its problems, anything else as it is.
pub(super) fn describe(e: crate::catalogue::StoreError) -> anyhow::Error {
    match e {
        crate::catalogue::StoreError::Invalid(v) => anyhow::anyhow!("{v}"),
        other => anyhow::Error::from(other),
    }
}
