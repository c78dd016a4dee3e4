//! `catalogue print`: the paperwork as PDF files, as the workspace and the API print it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};

use crate::catalogue::Catalogue;
use crate::model::role::{Principal, Role, Viewer};
use crate::web::pages::i18n::Lang;
use crate::web::paperwork::{self, PrintFailure, Range, Request};

#[derive(Debug, Subcommand)]
pub enum PrintCommand {
    /// A donation's receipt on entry (入馆凭证).
    Receipt {
        donation: i64,
        #[command(flatten)]
        out: Output,
    },
    /// A donation's certificate (捐赠证书).
    Certificate {
        donation: i64,
        /// How the donor is addressed (by default their names, when they consented to be named).
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        out: Output,
    },
    /// A thank-you letter to a donation's donors.
    Letter {
        donation: i64,
        /// How the donor is addressed (by default their names, when they consented to be named).
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        out: Output,
    },
    /// Object labels (展签), in both languages: one, or a sheet of eight to a page.
    Label {
        #[arg(required = true)]
        accessions: Vec<String>,
        #[command(flatten)]
        out: Output,
    },
    /// Catalogue cards (藏品卡片): every field and the primary image, a page an object.
    Card {
        #[arg(required = true)]
        accessions: Vec<String>,
        #[command(flatten)]
        out: Output,
    },
    /// The accession register (总登记账): an acquisition year, or a range of accession numbers.
    Register {
        #[arg(long, conflicts_with_all = ["from", "to"])]
        year: Option<i32>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        out: Output,
    },
}

#[derive(Debug, Args)]
pub struct Output {
    /// Write the PDF here (default: a name for the document in the current folder).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// The document's language.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

impl PrintCommand {
    fn split(&self) -> (Request, &Output) {
        match self {
            PrintCommand::Receipt { donation, out } => (Request::Receipt { donation: *donation }, out),
            PrintCommand::Certificate { donation, to, out } => {
                (Request::Certificate { donation: *donation, to: to.clone() }, out)
            }
            PrintCommand::Letter { donation, to, out } => {
                (Request::Letter { donation: *donation, to: to.clone() }, out)
            }
            PrintCommand::Label { accessions, out } => (Request::Labels { accessions: accessions.clone() }, out),
            PrintCommand::Card { accessions, out } => (Request::Card { accessions: accessions.clone() }, out),
            PrintCommand::Register { year, from, to, out } => {
                (Request::Register(Range { year: *year, from: from.clone(), to: to.clone() }), out)
            }
        }
    }
}

/// Prints one document; nothing is written unless it printed whole.
pub fn run(state: &Catalogue, command: &PrintCommand) -> anyhow::Result<()> {
    let (req, out) = command.split();
    let lang = match out.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    // The command line is the machine's operator: it prints as a curator would.
    let viewer = Viewer::Staff(Principal { user_id: 0, name: "system:print".into(), role: Role::Curator });
    let printed = paperwork::print(state, &viewer, &req, lang).map_err(|e| match e {
        PrintFailure::Store(e) => super::users::describe(e),
        other => anyhow::anyhow!("{other}"),
    })?;
    let path = out.output.clone().unwrap_or_else(|| PathBuf::from(req.file_name()));
    write_whole(&path, &printed.pdf)?;
    for w in &printed.warnings {
        eprintln!("warning: {w}");
    }
    eprintln!("{}: {} page(s)", path.display(), printed.pages);
    Ok(())
}

/// Writes beside the target and renames, so that a failed write leaves no half file.
fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes).with_context(|| format!("writing {}", path.display()))?;
    tmp.persist(path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
