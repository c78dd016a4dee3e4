//! `catalogue bench search`: our indexing and query speed beside SQLite FTS5
//! (trigram) and Xapian (CJK n-grams) on the same records and queries, in one run.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tantivy::schema::Value;

use crate::catalogue::config::Config;
use crate::catalogue::eval::{self, percentile};
use crate::interchange::jsonl::read_jsonl;
use crate::model::artefact::Artefact;
use crate::model::vocab::Vocabularies;
use crate::search::index::SearchIndex;
use crate::search::{SearchRequest, SearchService, document};

/// Where the benchmark reads its data.
pub struct BenchInputs {
    pub records: Vec<PathBuf>,
    pub queries: Vec<PathBuf>,
    /// Query sets whose mistyped words are looked up both ways (automaton, delete dictionary).
    pub typos: Vec<PathBuf>,
    pub docs: usize,
    pub work_dir: PathBuf,
}

struct Timing {
    index: Duration,
    p50: Duration,
    p99: Duration,
    /// Mean hits returned per query (of at most 20): an engine that finds nothing is fast for nothing.
    hits: f64,
}

fn bar(len: u64, msg: &str) -> indicatif::ProgressBar {
    indicatif::ProgressBar::new(len)
        .with_style(
            indicatif::ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
                .expect("valid template")
                .progress_chars("=> "),
        )
        .with_message(msg.to_string())
}

/// Reads every record of the files as the importer validates them.
fn load(paths: &[PathBuf], vocab: &Vocabularies) -> anyhow::Result<Vec<Artefact>> {
    let mut out = Vec::new();
    for path in paths {
        let plan = read_jsonl(path, None, vocab, &|_| {}).with_context(|| format!("reading {}", path.display()))?;
        out.extend(plan.items.into_iter().filter_map(|new| {
            Some(Artefact { accession_number: new.accession_number?, body: new.body, deaccession: None })
        }));
    }
    Ok(out)
}

pub fn search(config: &Config, inputs: &BenchInputs) -> anyhow::Result<String> {
    let service = SearchService::open(&config.data_dir, &config.search_config()?)?;
    let (service, vocab) = (&service, &Vocabularies::shipped());
    let base = load(&inputs.records, vocab)?;
    if base.is_empty() {
        bail!("no records read from {:?}", inputs.records);
    }
    let mut queries: Vec<String> = Vec::new();
    for q in &inputs.queries {
        queries.extend(eval::read_queries(q)?.into_iter().map(|q| q.q));
    }
    std::fs::create_dir_all(&inputs.work_dir)?;
    let n = inputs.docs;
    eprintln!("{} records cycled to {n} documents; {} queries", base.len(), queries.len());

    // Ours: the catalogue's own document building and analysis, on disk.
    let our_dir = inputs.work_dir.join("tantivy");
    let _ = std::fs::remove_dir_all(&our_dir);
    let idx = SearchIndex::open(&our_dir, &service.segmenter)?;
    let tsv_path = inputs.work_dir.join("docs.tsv");
    let mut tsv = std::io::BufWriter::new(std::fs::File::create(&tsv_path)?);
    let progress = bar(n as u64, "ours: indexing");
    let start = Instant::now();
    let mut writer: tantivy::IndexWriter = idx.index.writer_with_num_threads(2, 512 * 1024 * 1024)?;
    let mut bodies: Vec<(String, String)> = Vec::with_capacity(n.min(2_000_000));
    for i in 0..n {
        let mut a = base[i % base.len()].clone();
        if i >= base.len() {
            a.accession_number =
                crate::model::accession::AccessionNumber::parse(&format!("{}~{}", a.accession_number, i / base.len()))
                    .map_err(anyhow::Error::msg)?;
        }
        let doc = document::internal(i as i64, &a, None, None, &idx.fields, vocab);
        let body = doc.get_first(idx.fields.body).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        bodies.push((a.accession_number.to_string(), body));
        writer.add_document(doc)?;
        if i % 1000 == 0 {
            progress.set_position(i as u64);
        }
    }
    writer.commit()?;
    // Merged into one segment, as the server leaves a rebuilt index.
    let segments = idx.index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    let ours_index = start.elapsed();
    progress.finish_and_clear();
    let on_disk = folder_bytes(&our_dir);
    idx.reader.reload()?;
    // The peers' work: the top 20 and the count. Then the API's: with facets and snippets too.
    let mut timings = Vec::new();
    for (exact_total, full) in [(false, false), (true, false), (true, true)] {
        let mut runs: Vec<Vec<Duration>> = vec![Vec::new(); RUNS];
        let mut returned = 0usize;
        for round in 0..=RUNS {
            for q in &queries {
                let req = SearchRequest {
                    q: q.clone(),
                    page: 1,
                    per_page: 20,
                    facets: full,
                    snippets: full,
                    exact_total,
                    ..Default::default()
                };
                let t = Instant::now();
                let r = service.search_in(&idx, &req, false)?;
                if round > 0 {
                    runs[round - 1].push(t.elapsed());
                    returned += r.hits.len();
                }
            }
        }
        let hits = returned as f64 / (RUNS * queries.len()).max(1) as f64;
        let (p50, p99) = medians_of_runs(runs);
        timings.push(Timing { index: ours_index, p50, p99, hits });
    }
    let ours_full = timings.pop().expect("three timings");
    let ours_counted = timings.pop().expect("three timings");
    let ours = timings.pop().expect("three timings");
    let broad_report = broad(service, &idx, n)?;
    let searcher = idx.reader.searcher();
    let words = super::typos::typed_words(&searcher, idx.fields.en, &inputs.typos)?;
    let typo_report = match words.is_empty() {
        true => String::new(),
        false => super::typos::compare(&searcher, idx.fields.en, &idx.typos, &words)?,
    };
    drop(searcher);

    // SQLite FTS5 with the trigram tokenizer.
    let fts_path = inputs.work_dir.join("fts5.sqlite3");
    let _ = std::fs::remove_file(&fts_path);
    let mut conn = rusqlite::Connection::open(&fts_path)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE VIRTUAL TABLE docs USING fts5(accession UNINDEXED, body, tokenize = 'trigram');")?;
    let progress = bar(n as u64, "SQLite FTS5: loading");
    let start = Instant::now();
    {
        let tx = conn.transaction()?;
        {
            let mut st = tx.prepare("INSERT INTO docs(accession, body) VALUES (?1, ?2)")?;
            for (i, (acc, body)) in bodies.iter().enumerate() {
                st.execute([acc, body])?;
                if i % 1000 == 0 {
                    progress.set_position(i as u64);
                }
            }
        }
        tx.commit()?;
    }
    let fts_index = start.elapsed();
    progress.finish_and_clear();
    let mut st = conn.prepare("SELECT accession FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 20")?;
    let mut runs: Vec<Vec<Duration>> = vec![Vec::new(); RUNS];
    let mut returned = 0usize;
    for round in 0..=RUNS {
        for q in &queries {
            let m: String =
                q.split_whitespace().map(|w| format!("\"{}\"", w.replace('"', ""))).collect::<Vec<_>>().join(" ");
            let t = Instant::now();
            let rows: Vec<String> = st.query_map([m], |r| r.get(0))?.filter_map(Result::ok).collect();
            if round > 0 {
                runs[round - 1].push(t.elapsed());
                returned += rows.len();
            }
        }
    }
    let hits = returned as f64 / (RUNS * queries.len()).max(1) as f64;
    let (p50, p99) = medians_of_runs(runs);
    let fts = Timing { index: fts_index, p50, p99, hits };

    // Xapian with CJK n-grams, through its C++ API: a small program built here, timing inside itself.
    for (acc, body) in &bodies {
        writeln!(tsv, "{acc}\t{}", body.replace(['\t', '\r'], " ").replace('\n', "\\n"))?;
    }
    tsv.flush()?;
    drop(bodies);
    let queries_path = inputs.work_dir.join("queries.txt");
    std::fs::write(&queries_path, queries.join("\n"))?;
    let peer = build_xapian_peer(&inputs.work_dir)?;
    eprintln!("{:>24} (running {})", "Xapian: indexing", peer.display());
    let out = Command::new(&peer)
        .arg(&tsv_path)
        .arg(&queries_path)
        .arg(inputs.work_dir.join("xapian"))
        .arg(RUNS.to_string())
        .output()
        .with_context(|| format!("running the Xapian peer {}", peer.display()))?;
    if !out.status.success() {
        bail!("the Xapian peer failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let x: serde_json::Value = serde_json::from_slice(&out.stdout).context("reading the Xapian peer's figures")?;
    let secs = |k: &str| Duration::from_secs_f64(x[k].as_f64().unwrap_or(0.0));
    let xapian = Timing {
        index: secs("index_seconds"),
        p50: secs("p50_ms") / 1000,
        p99: secs("p99_ms") / 1000,
        hits: x["hits_per_query"].as_f64().unwrap_or(0.0),
    };

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    let mut report = String::new();
    report.push_str(&format!(
        "{n} documents ({} distinct records), {} queries; query p50 and p99 are each the median of {RUNS} timed runs over every query, after a warm-up run; one index build each\n\n",
        base.len(),
        queries.len(),
    ));
    report.push_str(
        "| engine | index time | docs/s | query p50 | query p99 | hits per query |\n|---|---|---|---|---|---|\n",
    );
    for (name, t) in [
        ("museum-catalogue: top 20", &ours),
        ("museum-catalogue: top 20 + exact count", &ours_counted),
        ("museum-catalogue: + facets + snippets (the API)", &ours_full),
        ("SQLite FTS5 (trigram): top 20", &fts),
        ("Xapian 1.4, C++ API (CJK n-grams): top 20", &xapian),
    ] {
        report.push_str(&format!(
            "| {name} | {:.1} s | {:.0} | {:.3} ms | {:.3} ms | {:.1} |\n",
            t.index.as_secs_f64(),
            rate(t.index),
            ms(t.p50),
            ms(t.p99),
            t.hits
        ));
    }
    report.push_str(&format!(
        "\nRatios: our index time / FTS5 load time = {:.2} (goal ≤ 2); our p50 / Xapian p50 = {:.2}, our p99 / Xapian p99 = {:.2} (goal ≤ 1); our p50 / FTS5 p50 = {:.2}\n",
        ours.index.as_secs_f64() / fts.index.as_secs_f64(),
        ms(ours.p50) / ms(xapian.p50),
        ms(ours.p99) / ms(xapian.p99),
        ms(ours.p50) / ms(fts.p50),
    ));
    report.push_str(&format!(
        "\nOur index on disk: {:.0} MiB ({:.0} bytes a document), merged into one segment.\n",
        on_disk as f64 / (1024.0 * 1024.0),
        on_disk as f64 / n as f64
    ));
    report.push_str(&broad_report);
    report.push_str(&typo_report);
    Ok(report)
}

/// The bytes of the files in `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    let files = std::fs::read_dir(dir).into_iter().flatten().flatten();
    files.filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
}

/// Timed runs over the query set; each figure is the median of the runs' figures.
const RUNS: usize = 3;

/// The median over runs of each run's p50 and of each run's p99.
fn medians_of_runs(runs: Vec<Vec<Duration>>) -> (Duration, Duration) {
    let (mut p50s, mut p99s): (Vec<Duration>, Vec<Duration>) =
        runs.into_iter().map(|times| (percentile(times.clone(), 50.0), percentile(times, 99.0))).unzip();
    p50s.sort();
    p99s.sort();
    (p50s.get(p50s.len() / 2).copied().unwrap_or_default(), p99s.get(p99s.len() / 2).copied().unwrap_or_default())
}

/// Builds the Xapian peer (`benches/xapian_peer.cc`) into `work_dir` with g++ and Debian's libxapian-dev.
fn build_xapian_peer(work_dir: &Path) -> anyhow::Result<PathBuf> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/xapian_peer.cc");
    let binary = work_dir.join("xapian_peer");
    eprintln!("{:>24} (g++ {})", "Xapian: building", source.display());
    let out = Command::new("g++")
        .args(["-O2", "-std=c++17", "-o"])
        .arg(&binary)
        .arg(&source)
        .arg("-lxapian")
        .output()
        .context("building the Xapian peer needs g++ (apt-get install g++ libxapian-dev)")?;
    if !out.status.success() {
        bail!(
            "building the Xapian peer failed (apt-get install g++ libxapian-dev): {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(binary)
}

/// Words that match a tenth of the documents and more, as a visitor may type them.
const BROAD_WORDS: &[&str] = &["paper", "print", "graphite", "gelatin", "photograph", "清", "紙", "銅"];

/// One-word searches matching a tenth of the documents or more (100,000 of a million),
/// with every facet counted as the API counts them; and a facet counted over everything,
/// as a browse page counts it: a small vocabulary (category) beside the makers.
fn broad(service: &SearchService, idx: &SearchIndex, n: usize) -> anyhow::Result<String> {
    let at_least = (n / 10) as u64;
    let mut words = Vec::new();
    for w in BROAD_WORDS {
        let req = SearchRequest { q: w.to_string(), page: 1, per_page: 1, exact_total: true, ..Default::default() };
        let total = service.search_in(idx, &req, false)?.total;
        if total >= at_least {
            words.push((*w, total));
        }
    }
    let mut out = format!(
        "
Broad one-word searches (each matching ≥ {at_least} of {n} documents), top 20 with every facet and snippets, medians of 20 runs; and the counting of the {} facets alone, with the catalogue's facet arrays and with tantivy's `FacetCollector`, in the same run:

| query | matches | p50 | p99 | facets alone: ours p50 | tantivy's p50 | ours / tantivy's |
|---|---|---|---|---|---|---|
",
        crate::search::schema::FACETS.len()
    );
    for (w, total) in &words {
        let req = SearchRequest {
            q: w.to_string(),
            page: 1,
            per_page: 20,
            facets: true,
            snippets: true,
            exact_total: true,
            ..Default::default()
        };
        let mut times = Vec::new();
        for round in 0..21 {
            let t = Instant::now();
            service.search_in(idx, &req, false)?;
            if round > 0 {
                times.push(t.elapsed());
            }
        }
        let mut facet_times = [Vec::new(), Vec::new()];
        for round in 0..21 {
            for (by_tantivy, times) in [false, true].into_iter().zip(facet_times.iter_mut()) {
                let t = Instant::now();
                let counted = service.facet_counts_of(idx, &req, by_tantivy)?;
                if round > 0 {
                    times.push(t.elapsed());
                }
                std::hint::black_box(counted);
            }
        }
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let [ours, theirs] = facet_times.map(|t| ms(percentile(t, 50.0)));
        out.push_str(&format!(
            "| {w} | {total} | {:.2} ms | {:.2} ms | {ours:.2} ms | {theirs:.2} ms | {:.2} |
",
            ms(percentile(times.clone(), 50.0)),
            ms(percentile(times, 99.0)),
            ours / theirs,
        ));
    }
    out.push_str(
        "
One facet counted over every document (a browse page), medians of 20 runs:

| facet | values | p50 |
|---|---|---|
",
    );
    for name in ["category", "maker"] {
        let mut times = Vec::new();
        let mut values = 0;
        for round in 0..21 {
            let t = Instant::now();
            values = crate::search::results::count_all(idx, &idx.reader.searcher(), name)?.len();
            if round > 0 {
                times.push(t.elapsed());
            }
        }
        out.push_str(&format!(
            "| {name} | {values} | {:.2} ms |
",
            percentile(times, 50.0).as_secs_f64() * 1000.0
        ));
    }
    out.push_str(&format!(
        "\nThe facet arrays of this index take {:.1} MiB.\n",
        idx.facets.bytes() as f64 / (1024.0 * 1024.0)
    ));
    Ok(out)
}
