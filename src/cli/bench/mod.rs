//! `catalogue bench …`: each benchmark measures the catalogue beside the peer its
//! question names, in one run, and prints the figures as a table.

mod images;
pub mod import;
mod locations;
mod print;
mod search;
mod typos;

use std::path::PathBuf;

use clap::Subcommand;

use super::{Cli, Scratch};
use crate::catalogue::Catalogue;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Indexing rate and query latency against SQLite FTS5 (trigram) and Xapian (CJK n-grams).
    Search {
        /// Documents to index: the records cycled with fresh accession numbers.
        #[arg(long, default_value_t = 1_000_000)]
        docs: usize,
        /// Record files (JSON lines, .gz too).
        #[arg(long, default_values = ["../shared/data/zh/npm-taipei.jsonl.gz", "../shared/data/en/en-records.jsonl.gz"])]
        records: Vec<PathBuf>,
        /// Query sets whose queries are timed.
        #[arg(long, default_values = ["../shared/data/queries/npm-queries.json", "../shared/data/queries/tate-queries.json"])]
        queries: Vec<PathBuf>,
        /// Query sets whose mistyped words are looked up two ways: the Levenshtein automaton
        /// and a symmetric-delete dictionary.
        #[arg(long, default_values = ["../shared/data/queries/tate-hard-queries.json"])]
        typos: Vec<PathBuf>,
        /// Folder to work in, for the three engines' indexes (a fresh subfolder, removed afterwards).
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Importing the shared records (checked, written, indexed) against a bulk load into SQLite FTS5.
    Import {
        #[arg(long, default_values = ["../shared/data/zh/npm-taipei.jsonl.gz", "../shared/data/en/en-records.jsonl.gz"])]
        records: Vec<PathBuf>,
        /// `jsonl`: the records as they are; `csv`: registers built from them (census headers
        /// in Traditional characters, MoMA's column names), imported through the register path.
        #[arg(long, default_value = "jsonl", value_parser = ["jsonl", "csv"])]
        format: String,
        /// Each register this many times over, numbers suffixed (`--format csv`): a large file.
        #[arg(long, default_value_t = 1)]
        repeat: u32,
        /// Leave out indexing: only reading, checking and writing.
        #[arg(long)]
        no_index: bool,
        /// Folder to work in (a fresh subfolder, removed afterwards).
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// The paperwork: a certificate, a label sheet, a card (medians over rounds), and the
    /// accession register of a tenth of the records and of all of them, with memory.
    Print {
        /// Real records to import first (JSON lines, optionally .gz).
        #[arg(long, default_value = "../shared/data/zh/npm-taipei.jsonl.gz")]
        records: PathBuf,
        /// How many of them.
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// Folder to work in (a fresh subfolder, removed afterwards).
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Moving a box of objects (one transaction) and the shelf list of a shelf of boxes.
    Locations {
        /// Real records to place (JSON lines, optionally .gz).
        #[arg(long, default_value = "../shared/data/zh/npm-taipei.jsonl.gz")]
        records: PathBuf,
        /// How many of them: ten boxes of a tenth each.
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Folder to work in (a fresh subfolder, removed afterwards).
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Derivatives of large scans against vipsthumbnail, and IIIF tile requests/s against /healthz.
    Images {
        /// The real photograph the large test images are made from.
        #[arg(long, default_value = "../shared/data/images/skimage/hubble_deep_field.jpg")]
        photo: PathBuf,
        #[arg(long, default_value_t = 50)]
        jpeg_megapixels: u32,
        #[arg(long, default_value_t = 24)]
        tiff_megapixels: u32,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Seconds of load for each HTTP measurement.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Folder to work in (a fresh subfolder, removed afterwards).
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
}

/// Runs one benchmark in a scratch folder of its own, and prints what it measured.
pub async fn run(cli: &Cli, cmd: &BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Search { docs, records, queries, typos, work_dir } => {
            let scratch = Scratch::new(work_dir)?;
            let dir = scratch.path();
            let state_dir = dir.join("catalogue");
            let mut config = cli.config(None)?;
            config.data_dir = state_dir;
            let inputs = search::BenchInputs {
                records: records.clone(),
                queries: queries.clone(),
                typos: typos.clone(),
                docs: *docs,
                work_dir: dir.join("engines"),
            };
            println!("{}", search::search(&config, &inputs)?);
            Ok(())
        }
        BenchCommand::Import { records, format, repeat, no_index, work_dir } => {
            let scratch = Scratch::new(work_dir)?;
            let dir = scratch.path();
            let mut config = cli.config(None)?;
            config.data_dir = dir.join("catalogue");
            let state = Catalogue::open(config)?;
            let bench = import::ImportBench {
                records,
                work_dir: dir,
                csv: format == "csv",
                repeat: *repeat,
                no_index: *no_index,
            };
            let result = import::run(&state, &bench);
            drop(state);
            println!("{}", result?);
            Ok(())
        }
        BenchCommand::Print { records, count, rounds, work_dir } => {
            let scratch = Scratch::new(work_dir)?;
            let dir = scratch.path();
            let mut config = cli.config(None)?;
            config.data_dir = dir.join("catalogue");
            let state = Catalogue::open(config)?;
            let bench = print::PrintBench { records, count: *count, rounds: (*rounds).max(1), work_dir: dir };
            let result = print::run(&state, &bench);
            drop(state);
            println!("{}", result?);
            Ok(())
        }
        BenchCommand::Locations { records, count, rounds, work_dir } => {
            let scratch = Scratch::new(work_dir)?;
            let dir = scratch.path();
            let mut config = cli.config(None)?;
            config.data_dir = dir.join("catalogue");
            let state = Catalogue::open(config)?;
            let bench = locations::LocationsBench { records, count: *count, rounds: (*rounds).max(1), work_dir: dir };
            let result = locations::run(&state, &bench);
            drop(state);
            println!("{}", result?);
            Ok(())
        }
        BenchCommand::Images { photo, jpeg_megapixels, tiff_megapixels, rounds, seconds, work_dir } => {
            let scratch = Scratch::new(work_dir)?;
            let dir = scratch.path();
            let inputs = images::ImageBenchInputs {
                photo: photo.clone(),
                jpeg_megapixels: *jpeg_megapixels,
                tiff_megapixels: *tiff_megapixels,
                rounds: *rounds,
                seconds: *seconds,
                work_dir: dir.to_path_buf(),
            };
            let result = images::run(cli.config(None)?, &inputs).await;
            println!("{}", result?);
            Ok(())
        }
    }
}
