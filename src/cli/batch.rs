//! `catalogue batch`: one change to many artefacts, chosen by accession number or by a
//! search. Without `--yes` it only says what would change; with it, the change is made all
//! or nothing, each record at the version the preview read.

use anyhow::bail;

use crate::catalogue::Catalogue;
use crate::catalogue::batch::{BatchChange, BatchField, BatchReport};
use crate::catalogue::check_filter;

use super::users::describe;

pub struct Selection<'a> {
    pub accessions: &'a [String],
    pub search: Option<&'a str>,
    pub filters: &'a [String],
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
    actor: &str,
    selection: Selection<'_>,
    change: &BatchChange,
    apply: bool,
) -> anyhow::Result<()> {
    let chosen = match (selection.accessions.is_empty(), selection.search) {
        (false, None) => state.choose(selection.accessions).map_err(describe)?,
        (true, Some(q)) => {
            state.catch_up_search();
            let mut filters = Vec::new();
            for f in selection.filters {
                let Some((name, value)) = f.split_once(':') else { bail!("--filter takes name:value, not `{f}`") };
                check_filter(name, value).map_err(anyhow::Error::msg)?;
                filters.push((name.to_string(), value.to_string()));
            }
            state.choose_by_search(q, filters).map_err(describe)?
        }
        (false, Some(_)) => bail!("choose records by accession number or by --search, not both"),
        (true, None) => bail!("choose records: give accession numbers, or --search QUERY (\"\" for every record)"),
    };
    let preview = state.batch(actor, &chosen, change, true).map_err(describe)?;
    print_report(&preview);
    if !preview.refused.is_empty() {
        bail!("{} record(s) cannot take this change; nothing was changed", preview.refused.len());
    }
    if !apply {
        println!("preview only: nothing was changed; run again with --yes to make the change");
        return Ok(());
    }
    let done = state.batch(actor, &chosen, change, false).map_err(describe)?;
    if !done.applied {
        print_report(&done);
        bail!("{} record(s) changed while the batch ran; nothing was changed", done.refused.len());
    }
    println!("changed {} record(s); {} already as asked", done.changes.len(), done.unchanged.len());
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
