//! `catalogue batch`: one change to many artefacts, chosen by accession number or by a
//! search. Without `--yes` it only says what would change; with it, the change is made all
//! or nothing, each record at the version the preview read.

use anyhow::bail;

use crate::catalogue::Catalogue;
use crate::catalogue::RecordSet;
use crate::catalogue::batch::{BatchChange, BatchField, BatchReport, Chosen};
use crate::catalogue::check_filter;
use crate::model::role::Principal;

use super::users::describe;

pub struct Selection<'a> {
    pub accessions: &'a [String],
    pub search: Option<&'a str>,
    /// A set's name or number.
    pub set: Option<&'a str>,
    pub filters: &'a [String],
}

/// What a batch does: a change to each record, or adding them to a set.
pub enum Change<'a> {
    Records(BatchChange),
    /// A set's name or number.
    AddToSet(&'a str),
}

/// Reads `--set field=value` as a change.
pub fn set_change(set: &str) -> anyhow::Result<BatchChange> {
    let Some((field, value)) = set.split_once('=') else {
        bail!("--set takes field=value, e.g. --set category=瓷器 or --set storage_location=库房B-3");
    };
    let Some(field) = BatchField::ALL
        .into_iter()
        .find(|f| f.name() == field.trim() || (field.trim() == "material" && *f == BatchField::Material))
    else {
        let names: Vec<&str> = BatchField::ALL.iter().map(|f| f.name()).collect();
        bail!("--set cannot set `{field}`; it sets one of {}", names.join(", "));
    };
    Ok(BatchChange::Set { field, value: value.to_string() })
}

pub fn run(
    state: &Catalogue,
    as_user: Option<&str>,
    selection: Selection<'_>,
    change: Change<'_>,
    apply: bool,
) -> anyhow::Result<()> {
    let needs_user = selection.set.is_some() || matches!(change, Change::AddToSet(_));
    let user = match as_user {
        Some(name) => Some(principal(state, name)?),
        None if needs_user => bail!("a set is kept by a user: say whose with --as NAME"),
        None => None,
    };
    let chosen = choose(state, user.as_ref(), &selection)?;
    match change {
        Change::Records(change) => {
            let actor = as_user.unwrap_or("system:batch");
            records(state, actor, &chosen, &change, apply)
        }
        Change::AddToSet(set) => {
            let user = user.as_ref().expect("a set change has a user");
            add_to_set(state, user, set, &chosen, apply)
        }
    }
}

fn choose(state: &Catalogue, user: Option<&Principal>, selection: &Selection<'_>) -> anyhow::Result<Vec<Chosen>> {
    let given = [!selection.accessions.is_empty(), selection.search.is_some(), selection.set.is_some()];
    match given.iter().filter(|g| **g).count() {
        0 => bail!("choose records: give accession numbers, --search QUERY (\"\" for every record) or --from-set SET"),
        1 => {}
        _ => bail!("choose records one way: by accession number, by --search or by --from-set"),
    }
    if !selection.filters.is_empty() && selection.search.is_none() {
        bail!("--filter narrows a --search; give one");
    }
    if let Some(q) = selection.search {
        state.catch_up_search();
        let mut filters = Vec::new();
        for f in selection.filters {
            let Some((name, value)) = f.split_once(':') else { bail!("--filter takes name:value, not `{f}`") };
            check_filter(name, value).map_err(anyhow::Error::msg)?;
            filters.push((name.to_string(), value.to_string()));
        }
        return state.choose_by_search(q, filters).map_err(describe);
    }
    if let Some(set) = selection.set {
        let user = user.expect("a set selection has a user");
        let Some(found) = find_set(state, user, set)? else {
            bail!("{} has no set “{set}” (their sets are listed under Sets in the workspace)", user.name);
        };
        return state.choose_set(user, found.id).map_err(describe);
    }
    state.choose(selection.accessions).map_err(describe)
}

/// The user `name` as the catalogue knows them.
fn principal(state: &Catalogue, name: &str) -> anyhow::Result<Principal> {
    let Some(user) = state.user(name).map_err(describe)? else {
        bail!("there is no user “{name}” (add one with catalogue user add)");
    };
    Ok(user.into())
}

/// A set `user` may see, by its number or its name (their own first).
fn find_set(state: &Catalogue, user: &Principal, key: &str) -> anyhow::Result<Option<RecordSet>> {
    let sets = state.sets(user).map_err(describe)?;
    let key = key.trim();
    let by_id = key.parse::<i64>().ok().and_then(|id| sets.iter().find(|s| s.id == id));
    let by_name = || {
        let named = sets.iter().filter(|s| s.name == key);
        named.clone().find(|s| s.owner == user.name).or_else(|| named.into_iter().next())
    };
    Ok(by_id.or_else(by_name).cloned())
}

fn records(state: &Catalogue, actor: &str, chosen: &[Chosen], change: &BatchChange, apply: bool) -> anyhow::Result<()> {
    let preview = state.batch(actor, chosen, change, true).map_err(describe)?;
    print_report(&preview);
    if !preview.refused.is_empty() {
        bail!("{} record(s) cannot take this change; nothing was changed", preview.refused.len());
    }
    if !apply {
        println!("preview only: nothing was changed; run again with --yes to make the change");
        return Ok(());
    }
    let done = state.batch(actor, chosen, change, false).map_err(describe)?;
    if !done.applied {
        print_report(&done);
        bail!("{} record(s) changed while the batch ran; nothing was changed", done.refused.len());
    }
    println!("changed {} record(s); {} already as asked", done.changes.len(), done.unchanged.len());
    Ok(())
}

fn add_to_set(state: &Catalogue, user: &Principal, key: &str, chosen: &[Chosen], apply: bool) -> anyhow::Result<()> {
    let found = find_set(state, user, key)?;
    let accessions: Vec<String> = chosen.iter().map(|c| c.accession.clone()).collect();
    if accessions.is_empty() {
        bail!("the selection holds no record; nothing was added");
    }
    let missing: Vec<&str> = chosen.iter().filter(|c| c.version == 0).map(|c| c.accession.as_str()).collect();
    if !missing.is_empty() {
        for a in &missing {
            println!("refused\t{a}\tno record has this accession number");
        }
        bail!("{} record(s) do not exist; nothing was added", missing.len());
    }
    let members: Vec<String> = match &found {
        Some(set) => state.set(user, set.id).map_err(describe)?.1,
        None => Vec::new(),
    };
    let new: Vec<&String> = accessions.iter().filter(|a| !members.contains(a)).collect();
    for a in &accessions {
        println!("{}\t{a}", if members.contains(a) { "as is" } else { "add" });
    }
    let name = found.as_ref().map_or(key.trim(), |s| s.name.as_str());
    if !apply {
        let what = if found.is_some() { "the set" } else { "a new set" };
        println!("preview only: {} record(s) would go into {what} “{name}”; run again with --yes", new.len());
        return Ok(());
    }
    let set = match found {
        Some(set) => set,
        None => state.create_set(user, key, false).map_err(describe)?,
    };
    let added = state.add_to_set(user, set.id, &accessions).map_err(describe)?;
    println!(
        "added {added} record(s) to the set “{}” (number {}); {} already in it",
        set.name,
        set.id,
        accessions.len() as u64 - added
    );
    Ok(())
}

fn print_report(report: &BatchReport) {
    for line in &report.changes {
        println!("change\t{}\t{}\t{} → {}", line.accession, line.field, shown(&line.before), shown(&line.after));
    }
    for line in &report.unchanged {
        println!("as is\t{}\t{}\t{}", line.accession, line.field, shown(&line.before));
    }
    for r in &report.refused {
        println!("refused\t{}\t{}", r.accession, r.reason);
    }
}

fn shown(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(none)".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
