//! `catalogue locations`, `catalogue move` and `catalogue inventory`: where every object is,
//! from the command line (a scanner that types accession numbers works on `inventory mark -`).

use std::io::BufRead;

use clap::Subcommand;

use super::actor_name;
use super::users::describe;
use crate::catalogue::Catalogue;
use crate::catalogue::locations::MoveRequest;
use crate::catalogue::{InventoryCheck, Mark, Movement};
use crate::model::common::LocalText;
use crate::model::location::{LocationInput, LocationKind};
use crate::model::role::{Principal, Role, Viewer};

#[derive(Debug, Subcommand)]
pub enum LocationsCommand {
    /// Add a location: a building, room, cabinet, shelf or box, inside another (--parent).
    Add {
        /// The code its label or barcode carries, e.g. B1-R3-C2 (letters, digits, . / - _).
        code: String,
        /// Its name (in Chinese, or in English when it has no Chinese character).
        #[arg(long)]
        name: String,
        /// Its English name.
        #[arg(long)]
        name_en: Option<String>,
        /// The code of the location it is in.
        #[arg(long)]
        parent: Option<String>,
        /// What it is: storage (the default), display or off-site.
        #[arg(long, value_parser = parse_kind)]
        kind: Option<LocationKind>,
        /// The user the change is recorded under (default: system:cli).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Every location, as a tree, with how many objects each holds.
    List,
    /// A shelf list: what a location and every location inside it hold.
    Show {
        code: String,
        /// Only what the location itself holds.
        #[arg(long)]
        here_only: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum InventoryCommand {
    /// Start a check of a location and everything inside it; prints the check's number.
    Start {
        location: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Mark objects found (or, with --missing / --elsewhere, not found here). Give `-` to
    /// read accession numbers from standard input, one a line, as a scanner types them.
    Mark {
        check: i64,
        #[arg(required = true)]
        accessions: Vec<String>,
        /// They were looked for and not seen.
        #[arg(long, conflicts_with = "elsewhere")]
        missing: bool,
        /// They were seen in this other location.
        #[arg(long)]
        elsewhere: Option<String>,
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Finish a check and print its report of discrepancies.
    Finish {
        check: i64,
        /// Move each object found where its record does not say to where it was found.
        #[arg(long)]
        correct: bool,
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// A check's report, so far or final.
    Show { check: i64 },
}

fn parse_kind(s: &str) -> Result<LocationKind, String> {
    LocationKind::ALL
        .into_iter()
        .find(|k| k.as_str() == s.replace('-', "_"))
        .ok_or_else(|| format!("`{s}` is not a kind of location: use storage, display or off-site"))
}

/// The command line reads as an administrator does.
fn operator() -> Viewer {
    Viewer::Staff(Principal { user_id: 0, name: "system:cli".into(), role: Role::Admin })
}

pub fn locations(state: &Catalogue, command: &LocationsCommand) -> anyhow::Result<()> {
    match command {
        LocationsCommand::Add { code, name, name_en, parent, kind, as_user } => {
            let actor = actor_name(state, as_user.as_deref(), "system:cli")?;
            let chinese = name.chars().any(crate::model::text::is_cjk);
            let name = match (chinese, name_en) {
                (true, en) => LocalText { zh: Some(name.clone()), en: en.clone() },
                (false, None) => LocalText { zh: None, en: Some(name.clone()) },
                (false, Some(en)) => LocalText { zh: Some(name.clone()), en: Some(en.clone()) },
            };
            let input = LocationInput {
                code: code.clone(),
                name,
                parent: parent.clone(),
                kind: kind.unwrap_or_default(),
                note: None,
            };
            let made = state.create_location(&actor, &input).map_err(describe)?;
            println!("added location {}{}", made.code, made.parent.map(|p| format!(" in {p}")).unwrap_or_default());
            Ok(())
        }
        LocationsCommand::List => {
            let all = state.locations(&operator()).map_err(describe)?;
            let counts = state.location_counts(&operator()).map_err(describe)?;
            let mut children: std::collections::BTreeMap<Option<String>, Vec<_>> = Default::default();
            for l in &all {
                children.entry(l.parent.clone()).or_default().push((l, counts.get(&l.id).copied().unwrap_or(0)));
            }
            fn tree(
                at: Option<String>,
                depth: usize,
                children: &std::collections::BTreeMap<Option<String>, Vec<(&crate::catalogue::LocationRecord, u64)>>,
            ) {
                for (l, count) in children.get(&at).into_iter().flatten() {
                    let name = l.location.name.zh.as_deref().or(l.location.name.en.as_deref()).unwrap_or_default();
                    println!("{}{}  {name}  ({count})", "  ".repeat(depth), l.code);
                    tree(Some(l.code.clone()), depth + 1, children);
                }
            }
            if all.is_empty() {
                println!("no locations yet; add one with `catalogue locations add CODE --name …`");
            }
            tree(None, 0, &children);
            Ok(())
        }
        LocationsCommand::Show { code, here_only } => {
            let list = state.shelf_list(&operator(), code, !here_only).map_err(describe)?;
            for e in &list {
                let title = e.title_zh.as_deref().or(e.title_en.as_deref()).unwrap_or_default();
                println!("{}\t{}\t{title}", e.location, e.accession);
            }
            eprintln!("{} objects", list.len());
            Ok(())
        }
    }
}

/// `catalogue move`: objects by number, or everything in a location (`--from`).
pub fn move_objects(
    state: &Catalogue,
    accessions: &[String],
    from: Option<&str>,
    request: &MoveRequest<'_>,
    as_user: Option<&str>,
) -> anyhow::Result<()> {
    let actor = actor_name(state, as_user, "system:cli")?;
    let moved: Vec<Movement> = match (from, accessions.is_empty()) {
        (Some(from), true) => state.move_contents(&actor, from, true, request),
        (None, false) => {
            let selection: Vec<(String, Option<i64>)> = accessions.iter().map(|a| (a.clone(), None)).collect();
            state.move_artefacts(&actor, &selection, request)
        }
        _ => anyhow::bail!("name the objects to move, or give --from LOCATION to move everything in it, not both"),
    }
    .map_err(describe)?;
    println!("moved {} objects to {}", moved.len(), request.to.trim().to_ascii_uppercase());
    Ok(())
}

pub fn inventory(state: &Catalogue, command: &InventoryCommand) -> anyhow::Result<()> {
    let check = match command {
        InventoryCommand::Start { location, note, as_user } => {
            let actor = actor_name(state, as_user.as_deref(), "system:cli")?;
            let check = state.start_check(&actor, location, note.as_deref()).map_err(describe)?;
            println!("inventory check {} of {}: {} objects to find", check.id, check.location, check.expected);
            return Ok(());
        }
        InventoryCommand::Mark { check, accessions, missing, elsewhere, as_user } => {
            let actor = actor_name(state, as_user.as_deref(), "system:cli")?;
            let mut numbers = Vec::new();
            for a in accessions {
                if a == "-" {
                    for line in std::io::stdin().lock().lines() {
                        let line = line?;
                        if !line.trim().is_empty() {
                            numbers.push(line.trim().to_string());
                        }
                    }
                } else {
                    numbers.push(a.clone());
                }
            }
            let mark = match (missing, elsewhere) {
                (true, _) => Mark::Missing,
                (_, Some(_)) => Mark::Elsewhere,
                _ => Mark::Found,
            };
            let marks: Vec<_> = numbers.into_iter().map(|a| (a, mark, elsewhere.clone())).collect();
            state.mark_check(&actor, *check, &marks).map_err(describe)?
        }
        InventoryCommand::Finish { check, correct, as_user } => {
            let actor = actor_name(state, as_user.as_deref(), "system:cli")?;
            state.finish_check(&actor, *check, *correct).map_err(describe)?
        }
        InventoryCommand::Show { check } => state.inventory_check(&operator(), *check).map_err(describe)?,
    };
    report(&check);
    Ok(())
}

fn report(check: &InventoryCheck) {
    let state = if check.is_finished() { "finished" } else { "open" };
    println!(
        "inventory check {} of {} ({state}): {} of {} expected objects marked",
        check.id, check.location, check.marked, check.expected
    );
    let mut any = false;
    for l in check.discrepancies() {
        any = true;
        let what = match (l.mark, l.expected) {
            (None, _) => "not seen".to_string(),
            (Some(Mark::Missing), _) => "missing".to_string(),
            (Some(_), true) => format!("found in {}", l.found_in.as_deref().unwrap_or("?")),
            (Some(_), false) => format!(
                "found in {}, recorded in {}",
                l.found_in.as_deref().unwrap_or("?"),
                l.recorded.as_deref().unwrap_or("no location")
            ),
        };
        println!("  {}\t{what}", l.accession);
    }
    if !any {
        println!("  no discrepancies");
    }
}
