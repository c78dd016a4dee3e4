//! The `catalogue` command line: subcommands over the library.

mod args;
mod batch;
pub mod bench;
mod dimensions;
mod export;
mod images;
mod import;
mod locations;
mod print;
mod progress;
mod search;
mod server;
mod users;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

pub use args::{ExportFormatArg, FormatArg, RoleArg, SortArg, UnitArg};

use crate::catalogue::Catalogue;
use crate::catalogue::config::{Config, Settings};
use crate::model::dimensions::Unit;

/// A catalogue service for museum donations.
#[derive(Debug, Parser)]
#[command(name = "catalogue", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Configuration file (default: ./catalogue.toml if present).
    #[arg(long, global = true, env = "CATALOGUE_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "CATALOGUE_ADDR")]
        addr: Option<SocketAddr>,
        /// Load the demo catalogue first (idempotent).
        #[arg(long)]
        demo: bool,
    },
    /// Load the demo catalogue into the data directory.
    Demo,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Work with dimension texts.
    #[command(subcommand)]
    Dimensions(DimensionsCommand),
    /// Import records: each file all or nothing; records already present (same accession number) are updated.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The files' format (default: from the name).
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
        /// Check every row and report problems without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// The user the changes are recorded under (default: system:import).
        #[arg(long = "as")]
        as_user: Option<String>,
        /// A mapping file for spreadsheets whose headers are not the census template's:
        /// `[columns]` with `"header as written" = "field"`.
        #[arg(long = "map")]
        mapping: Option<PathBuf>,
        /// The text encoding of CSV/TSV files (utf-8, gbk, gb18030, big5); detected if not given.
        #[arg(long)]
        encoding: Option<String>,
        /// Refuse a file with any warning too (a value kept as written, a placeholder title…).
        #[arg(long)]
        strict: bool,
        /// Write every warning and error (row, column, value, what was done) to this CSV file.
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Export the catalogue: JSON lines (every field, with donations and donors; imports back as the
    /// same records), CSV with the census template's headers, or for aggregators LIDO 1.1 XML and
    /// Linked Art JSON-LD (published records, public fields).
    Export {
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// Only published records and public fields, as a visitor sees them.
        #[arg(long)]
        public: bool,
        /// Write to this file (default: standard output).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Print the paperwork as PDF: receipt, certificate, letter, labels, catalogue cards, the register.
    #[command(subcommand)]
    Print(print::PrintCommand),
    /// Search the catalogue (all holdings, or with --public what visitors see).
    Search {
        query: String,
        /// Print the results as JSON, as the API does.
        #[arg(long)]
        json: bool,
        /// Search the public index.
        #[arg(long)]
        public: bool,
        /// Facet filter name:value (category, material, period, donor, donation, acquired, has_image, year); repeatable.
        #[arg(long)]
        filter: Vec<String>,
        #[arg(long, value_enum, default_value = "relevance")]
        sort: SortArg,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Change many artefacts at once: publish, unpublish, accession drafts, or set one field.
    /// Says what would change; with --yes makes the change, all or nothing.
    /// Sets are kept by a user: --add-to-set and --from-set need --as.
    #[command(group(clap::ArgGroup::new("change").required(true).args(["publish", "unpublish", "accession", "set", "add_to_set"])))]
    Batch {
        /// The records, by accession number.
        accessions: Vec<String>,
        /// Or every record this search finds ("" for all), as staff see them.
        #[arg(long)]
        search: Option<String>,
        /// Or every record of a set the --as user may see (its name or number).
        #[arg(long)]
        from_set: Option<String>,
        /// With --search: a filter name:value (status, category, material, period, donor, donation, acquired, has_image, year); repeatable.
        #[arg(long)]
        filter: Vec<String>,
        #[arg(long)]
        publish: bool,
        #[arg(long)]
        unpublish: bool,
        /// Accession drafts: they become internal records.
        #[arg(long)]
        accession: bool,
        /// Set one field: category, materials, period, storage_location, grade or rights (field=value; empty clears it).
        #[arg(long)]
        set: Option<String>,
        /// Add the records to a set the --as user keeps (its name or number); a new name makes a new, private set.
        #[arg(long)]
        add_to_set: Option<String>,
        /// Make the change (otherwise it is only previewed).
        #[arg(long)]
        yes: bool,
        /// The user the changes are recorded under (default: system:batch).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Scanned images of artefacts.
    #[command(subcommand)]
    Images(ImagesCommand),
    /// Where objects are kept: locations as a tree (building → room → cabinet → shelf → box).
    #[command(subcommand)]
    Locations(locations::LocationsCommand),
    /// Move objects to a location, each with its movement recorded (who, when, why).
    Move {
        /// The objects, by accession number.
        accessions: Vec<String>,
        /// Or everything in this location and the locations inside it (a whole box).
        #[arg(long)]
        from: Option<String>,
        /// The code of the location they go to.
        #[arg(long)]
        to: String,
        /// Why: storage, display, conservation, photography, loan, inventory, research or recorded.
        #[arg(long)]
        reason: String,
        /// The day they moved, 2026-12-07 (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// The user the moves are recorded under (default: system:cli).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Inventory checks: start one for a location, mark what is found, finish with a report.
    #[command(subcommand)]
    Inventory(locations::InventoryCommand),
    /// Re-hash every image original and report any that are missing or changed.
    Fixity,
    /// Back up the catalogue into a new folder while it runs: the database (SQLite online
    /// backup), every image original, and a SHA256SUMS listing.
    Backup {
        /// The folder to create (or an empty one).
        dir: PathBuf,
    },
    /// Restore a backup into a new, empty data directory (--data-dir), checking every file
    /// first, then make the image derivatives and the search indexes again.
    Restore {
        /// The backup folder.
        dir: PathBuf,
    },
    /// Benchmarks, compared side by side with their peers in one run.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Rebuild both search indexes from the database (a running server keeps answering meanwhile).
    Reindex,
    /// Measure search quality on a query set with its truth: recall@20, P@1, latencies.
    SearchEval {
        /// Records to index (JSON lines of the open datasets, .gz too).
        #[arg(long)]
        records: PathBuf,
        /// Query set: [{"q", "kind", "truth": [accession, …]}].
        #[arg(long)]
        queries: PathBuf,
        /// Index only records whose source starts with this (e.g. tate).
        #[arg(long)]
        source: Option<String>,
        /// List the queries that miss.
        #[arg(long, short)]
        verbose: bool,
        /// Warm-up passes over the queries before the measured one.
        #[arg(long, default_value_t = 1)]
        rounds: usize,
        /// Serve the records from a real server on a loopback port and query it over HTTP, as a visitor would.
        #[arg(long)]
        http: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImagesCommand {
    /// Add image files to an artefact (JPEG, PNG, TIFF or WebP, told from their bytes).
    Add {
        accession: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// What the images show (condition photos and documents are internal unless --public is given).
        #[arg(long, value_parser = args::parse_image_role)]
        role: Option<crate::model::image::ImageRole>,
        /// Keep the images for staff only.
        #[arg(long, conflicts_with = "public")]
        internal: bool,
        /// Show the images publicly even if their role is internal by default.
        #[arg(long)]
        public: bool,
        /// Keep this identifier (e.g. from a former system, so its IIIF URLs keep working); one file only.
        #[arg(long)]
        id: Option<String>,
        #[arg(long)]
        caption_zh: Option<String>,
        #[arg(long)]
        caption_en: Option<String>,
        #[arg(long)]
        photographer: Option<String>,
        #[arg(long)]
        rights: Option<String>,
        /// The user the change is recorded under (default: system:images).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Make every image's derivatives and tiles again from the originals.
    Rebuild,
}

/// The user a command's changes are recorded under: `as_user` if given (who must exist), else `default`.
fn actor_name(state: &Catalogue, as_user: Option<&str>, default: &str) -> anyhow::Result<String> {
    Ok(match as_user {
        Some(name) => {
            state
                .user(name)?
                .with_context(|| format!("there is no user {name}; create one with `catalogue user add`"))?
                .name
        }
        None => default.to_string(),
    })
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user and print an API token for them (shown once, alone on the last line).
    Add {
        name: String,
        #[arg(long)]
        role: RoleArg,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum DimensionsCommand {
    /// Parse every dimension text of FILE and list those that yield no structured value.
    ///
    /// FILE is JSON lines of the open datasets (optionally .gz), or plain text with one dimension text per line.
    Check {
        file: PathBuf,
        /// Unit to assume where a text gives none (the datasets' own convention is applied automatically).
        #[arg(long)]
        implied_unit: Option<UnitArg>,
        /// Exit with an error if fewer than this percentage of texts with a number parse.
        #[arg(long)]
        min_rate: Option<f64>,
    },
}

impl Cli {
    fn config(&self, addr: Option<SocketAddr>) -> anyhow::Result<Config> {
        let settings = Settings { addr, ..self.global.settings.clone() };
        Config::load(self.global.config.as_deref(), &settings)
    }

    pub async fn run(self) -> anyhow::Result<()> {
        match &self.command {
            Command::Serve { addr, demo } => server::serve(self.config(*addr)?, *demo).await,
            Command::Demo => {
                let state = Catalogue::open(self.config(None)?)?;
                server::load_demo(&state).await
            }
            Command::User(UserCommand::Add { name, role, password_stdin }) => {
                users::add_user(self.config(None)?, name, (*role).into(), *password_stdin)
            }
            Command::Batch {
                accessions,
                search,
                from_set,
                filter,
                publish,
                unpublish,
                accession,
                set,
                add_to_set,
                yes,
                as_user,
            } => {
                use crate::catalogue::batch::BatchChange;
                let change = match (publish, unpublish, accession, set, add_to_set) {
                    (true, ..) => batch::Change::Records(BatchChange::Publish),
                    (_, true, ..) => batch::Change::Records(BatchChange::Unpublish),
                    (_, _, true, ..) => batch::Change::Records(BatchChange::Accession),
                    (_, _, _, Some(s), _) => batch::Change::Records(batch::set_change(s)?),
                    (.., Some(set)) => batch::Change::AddToSet(set),
                    _ => anyhow::bail!(
                        "say what to change: --publish, --unpublish, --accession, --set field=value or --add-to-set SET"
                    ),
                };
                let state = Catalogue::open(self.config(None)?)?;
                let selection = batch::Selection {
                    accessions,
                    search: search.as_deref(),
                    set: from_set.as_deref(),
                    filters: filter,
                };
                batch::run(&state, as_user.as_deref(), selection, change, *yes)
            }
            Command::Print(command) => {
                let state = Catalogue::open(self.config(None)?)?;
                print::run(&state, command)
            }
            Command::Search { query, json, public, filter, sort, limit } => {
                let state = Catalogue::open(self.config(None)?)?;
                search::search(&state, query, *public, *json, filter, (*sort).into(), *limit)
            }
            Command::Bench(cmd) => bench::run(&self, cmd).await,
            Command::Import { files, format, dry_run, as_user, mapping, encoding, strict, report } => {
                let state = Catalogue::open(self.config(None)?)?;
                let options = import::Options {
                    format: format.map(Into::into),
                    dry_run: *dry_run,
                    mapping: mapping.clone(),
                    encoding: encoding.clone(),
                    strict: *strict,
                    report: report.clone(),
                };
                import::run(&state, files, &options, as_user.as_deref())
            }
            Command::Reindex => search::reindex(&Catalogue::open(self.config(None)?)?),
            Command::Export { format, public, output } => {
                let state = Catalogue::open(self.config(None)?)?;
                export::export(&state, *format, *public, output.as_deref())
            }
            Command::Images(ImagesCommand::Add {
                accession,
                files,
                role,
                internal,
                public,
                id,
                caption_zh,
                caption_en,
                photographer,
                rights,
                as_user,
            }) => {
                let state = Catalogue::open(self.config(None)?)?;
                let mut options = images::options(
                    *role,
                    *internal,
                    caption_zh.clone(),
                    caption_en.clone(),
                    photographer.clone(),
                    rights.clone(),
                );
                if *public {
                    options.visibility = Some(crate::model::image::Visibility::Public);
                }
                images::add(&state, accession, files, options, id.clone(), as_user.as_deref()).await
            }
            Command::Locations(command) => locations::locations(&Catalogue::open(self.config(None)?)?, command),
            Command::Move { accessions, from, to, reason, date, note, as_user } => {
                let request = crate::catalogue::locations::MoveRequest {
                    to,
                    reason,
                    date: date.as_deref(),
                    note: note.as_deref(),
                };
                let state = Catalogue::open(self.config(None)?)?;
                locations::move_objects(&state, accessions, from.as_deref(), &request, as_user.as_deref())
            }
            Command::Inventory(command) => locations::inventory(&Catalogue::open(self.config(None)?)?, command),
            Command::Images(ImagesCommand::Rebuild) => images::rebuild(&Catalogue::open(self.config(None)?)?).await,
            Command::Fixity => images::fixity(&Catalogue::open(self.config(None)?)?).await,
            Command::Backup { dir } => {
                let held = Catalogue::open(self.config(None)?)?.backup(dir, &progress::Bars::default()).await?;
                println!(
                    "backed up {} artefacts and {} originals ({} bytes) into {}; check it with `sha256sum -c SHA256SUMS` there",
                    held.artefacts,
                    held.originals,
                    held.bytes,
                    dir.display()
                );
                Ok(())
            }
            Command::Restore { dir } => {
                let config = self.config(None)?;
                let data = config.data_dir.clone();
                let held = crate::catalogue::backup::restore(config, dir, &progress::Bars::default()).await?;
                println!(
                    "restored {} artefacts and {} originals into {}",
                    held.artefacts,
                    held.originals,
                    data.display()
                );
                Ok(())
            }
            Command::SearchEval { records, queries, source, verbose, rounds, http } => {
                let dir = tempfile_dir()?;
                let mut config = self.config(None)?;
                config.data_dir = dir.clone();
                let state = Catalogue::open(config)?;
                let result = if *http {
                    search::evaluate_http(state, records, source.as_deref(), queries, *rounds).await
                } else {
                    search::evaluate(&state, records, source.as_deref(), queries, *rounds, *verbose)
                };
                let _ = std::fs::remove_dir_all(&dir);
                result
            }
            Command::Dimensions(DimensionsCommand::Check { file, implied_unit, min_rate }) => {
                dimensions::check_dimensions(file, implied_unit.map(Unit::from), *min_rate)
            }
        }
    }
}

/// A benchmark's scratch folder: a fresh folder inside the one given (or the
/// system's temporary folder), removed when done. Only what the benchmark made
/// is removed, never a folder of the caller's.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    fn new(work_dir: &Option<PathBuf>) -> anyhow::Result<Self> {
        let parent = work_dir.clone().unwrap_or_else(std::env::temp_dir);
        Ok(Scratch { path: fresh_dir(&parent)? })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A fresh scratch directory for work that leaves nothing behind.
fn tempfile_dir() -> anyhow::Result<PathBuf> {
    fresh_dir(&std::env::temp_dir())
}

/// A new, uniquely named folder inside `parent`.
fn fresh_dir(parent: &Path) -> anyhow::Result<PathBuf> {
    let dir = parent.join(format!("catalogue-eval-{}-{}", std::process::id(), chrono::Utc::now().timestamp_micros()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}
