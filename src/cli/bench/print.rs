//! `catalogue bench print`: how long the paperwork takes to set, and the memory the
//! register needs as it grows, over the demo's seed donation and real records (the
//! Palace Museum's, imported as a museum would).

use std::io::{BufRead, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::catalogue::Catalogue;
use crate::catalogue::import::{Format, ReadOptions};
use crate::interchange::open_data::open_lines;
use crate::model::role::{Principal, Role, Viewer};
use crate::web::pages::i18n::Lang;
use crate::web::paperwork::{self, Range, Request};

pub struct PrintBench<'a> {
    /// JSON lines of real records (optionally .gz).
    pub records: &'a Path,
    /// How many of them to import: the register's largest run prints them all.
    pub count: usize,
    pub rounds: usize,
    pub work_dir: &'a Path,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The process's resident memory now and at its peak, in MiB (Linux).
fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Starts the peak of [`memory_mib`] again from the memory resident now (Linux).
fn reset_peak() {
    // Writing 5 to clear_refs resets the peak resident set size (VmHWM).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Imports the first `count` records of `records` (JSON lines) as a museum would; returns how
/// many artefacts the catalogue then holds.
pub(super) fn import_sample(state: &Catalogue, records: &Path, count: usize, work_dir: &Path) -> anyhow::Result<usize> {
    let sample = work_dir.join("records.jsonl");
    {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&sample)?);
        let lines = open_lines(records).with_context(|| format!("reading {}", records.display()))?;
        for line in lines.lines().take(count) {
            writeln!(out, "{}", line?)?;
        }
        out.flush()?;
    }
    eprintln!("importing {count} records of {}", records.display());
    let report = state.import_unlogged("system:bench", &sample, Format::Jsonl, &ReadOptions::default(), &|_| {})?;
    anyhow::ensure!(report.errors.is_empty(), "{} import errors", report.errors.len());
    Ok(state.artefact_count()? as usize)
}

pub fn run(state: &Catalogue, bench: &PrintBench<'_>) -> anyhow::Result<String> {
    state.load_demo()?;
    import_sample(state, bench.records, bench.count, bench.work_dir)?;
    let total = state.artefact_count()? as usize;
    let viewer = Viewer::Staff(Principal { user_id: 0, name: "system:bench".into(), role: Role::Curator });
    let print = |req: &Request| -> anyhow::Result<(Duration, usize, usize)> {
        let start = Instant::now();
        let printed = paperwork::print(state, &viewer, req, Lang::Zh).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok((start.elapsed(), printed.pages, printed.pdf.len()))
    };
    // The first document sets up the fonts and the standard library once per process.
    let (first, _, _) = print(&Request::Certificate { donation: 1, to: None })?;
    let mut accessions = vec!["2023.15.1".to_string(), "2023.15.2".to_string()];
    let page = state.artefacts(&crate::catalogue::ArtefactFilter {
        page: crate::catalogue::PageRequest { page: 2, per_page: 6 },
        ..Default::default()
    })?;
    accessions.extend(page.items.iter().map(|a| a.record.accession_number.as_str().to_string()));
    let mut out = format!(
        "records in the catalogue: {total}; the first document of a process (fonts loaded): {}\n\n\
         | document | pages | p50 | max | goal |\n|---|---|---|---|---|\n",
        ms(first)
    );
    for (name, req, goal) in [
        ("donation certificate", Request::Certificate { donation: 1, to: None }, "≤ 200 ms"),
        ("receipt", Request::Receipt { donation: 1 }, ""),
        ("label sheet (8 labels)", Request::Labels { accessions: accessions.clone() }, "≤ 200 ms"),
        ("catalogue card", Request::Card { accessions: vec!["2023.15.2".into()] }, ""),
    ] {
        let mut times = Vec::new();
        let mut pages = 0;
        for _ in 0..bench.rounds {
            let (t, p, _) = print(&req)?;
            times.push(t);
            pages = p;
        }
        let max = *times.iter().max().expect("rounds ≥ 1");
        out.push_str(&format!("| {name} | {pages} | {} | {} | {goal} |\n", ms(median(times)), ms(max)));
    }
    out.push_str("\n| accession register | records | pages | time | PDF | resident before | peak resident |\n|---|---|---|---|---|---|---|\n");
    let mut sizes = vec![total / 10, total / 2, total];
    sizes.dedup();
    for n in sizes {
        // The first n accession numbers in register order.
        let all = state.artefacts(&crate::catalogue::ArtefactFilter {
            include_deaccessioned: true,
            page: crate::catalogue::PageRequest { page: 1, per_page: u32::try_from(total.max(1)).unwrap_or(u32::MAX) },
            ..Default::default()
        })?;
        let mut numbers: Vec<String> =
            all.items.iter().map(|a| a.record.accession_number.as_str().to_string()).collect();
        numbers.sort_by(|a, b| paperwork::natural(a, b));
        let (from, to) = (numbers.first().cloned(), numbers.get(n.saturating_sub(1)).cloned());
        drop(all);
        reset_peak();
        let (before, _) = memory_mib();
        let (t, pages, size) = print(&Request::Register(Range { year: None, from, to }))?;
        let (_, peak) = memory_mib();
        let size = size as f64 / (1024.0 * 1024.0);
        out.push_str(&format!(
            "| | {n} | {pages} | {:.1} s | {size:.1} MiB | {before:.0} MiB | {peak:.0} MiB |\n",
            t.as_secs_f64()
        ));
    }
    Ok(out)
}
