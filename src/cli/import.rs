//! `catalogue import`: files into the catalogue, each all or nothing.

use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::app::AppState;
use crate::interchange::import::{Format, RowProblem, read_jsonl};

const SHOWN: usize = 50;

fn show(kind: &str, problems: &[RowProblem]) {
    for p in problems.iter().take(SHOWN) {
        eprintln!("  {kind}: row {}, {} = {:?}: {}", p.row, p.column, p.value, p.problem);
    }
    if problems.len() > SHOWN {
        eprintln!("  … and {} more {kind}s", problems.len() - SHOWN);
    }
}

pub fn run(
    state: &AppState,
    files: &[PathBuf],
    format: Option<Format>,
    dry_run: bool,
    actor: Option<&str>,
) -> anyhow::Result<()> {
    let actor = super::actor_name(state, actor, "system:import")?;
    let vocab = state.vocabularies();
    let mut failed = 0;
    for file in files {
        let format = format.or_else(|| Format::of(file)).with_context(|| {
            format!("{}: cannot tell the format from the name; give --format (jsonl)", file.display())
        })?;
        let reading = indicatif::ProgressBar::new_spinner()
            .with_style(
                indicatif::ProgressStyle::with_template("{spinner} reading {msg}: {pos} rows ({per_sec})")
                    .expect("valid template"),
            )
            .with_message(file.display().to_string());
        let plan = match format {
            Format::Jsonl => read_jsonl(file, None, &vocab, &|n| reading.set_position(n)),
        }
        .with_context(|| format!("reading {}", file.display()))?;
        reading.finish_and_clear();
        show("warning", &plan.warnings);
        if !plan.errors.is_empty() {
            show("error", &plan.errors);
            eprintln!("{}: {} errors; nothing imported from this file", file.display(), plan.errors.len());
            failed += 1;
            continue;
        }
        if dry_run {
            eprintln!(
                "{}: {} records valid, {} skipped, {} warnings; nothing written (dry run)",
                file.display(),
                plan.items.len(),
                plan.skipped,
                plan.warnings.len()
            );
            continue;
        }
        let total = plan.items.len() as u64;
        let writing = indicatif::ProgressBar::new(total).with_style(
            indicatif::ProgressStyle::with_template("writing [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
                .expect("valid template")
                .progress_chars("=> "),
        );
        let counts =
            state.store.import_artefacts(&actor, plan.items, &|n| writing.set_position(n)).map_err(|e| match e {
                crate::store::StoreError::Invalid(v) => anyhow::anyhow!("{v}"),
                other => anyhow::Error::from(other),
            })?;
        writing.finish_and_clear();
        eprintln!(
            "{}: created {}, updated {}, unchanged {}, skipped {}, errors 0, warnings {}",
            file.display(),
            counts.created,
            counts.updated,
            counts.unchanged,
            plan.skipped,
            plan.warnings.len()
        );
    }
    if failed > 0 {
        bail!("{failed} file(s) had errors and were not imported");
    }
    Ok(())
}
