//! `catalogue export`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::ExportFormatArg;
use crate::catalogue::Catalogue;

pub fn export(state: &Catalogue, format: ExportFormatArg, public: bool, output: Option<&Path>) -> anyhow::Result<()> {
    use crate::catalogue::Scope;
    use crate::catalogue::export::Publisher;
    let scope = if public { Scope::Public } else { Scope::Full };
    let total = state.artefact_count()? as u64;
    let progress = indicatif::ProgressBar::new(total).with_style(
        indicatif::ProgressStyle::with_template("exporting [{bar:40}] {pos}/{len} ({per_sec}, {eta} left)")
            .expect("valid template")
            .progress_chars("=> "),
    );
    // A file is written beside its final name and moved into place when complete.
    let (mut sink, staged): (Box<dyn std::io::Write>, Option<(tempfile::NamedTempFile, PathBuf)>) = match output {
        Some(path) => {
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("writing in {}", dir.display()))?;
            (Box::new(std::io::BufWriter::new(tmp.reopen()?)), Some((tmp, path.to_path_buf())))
        }
        None => (Box::new(std::io::BufWriter::new(std::io::stdout().lock())), None),
    };
    let tick = |n| progress.set_position(n);
    let n = match format {
        ExportFormatArg::Jsonl => state.export_jsonl(scope, &mut sink, &tick)?,
        ExportFormatArg::Csv => state.export_csv(scope, &mut sink, &tick)?,
        ExportFormatArg::Lido | ExportFormatArg::LinkedArt => {
            let base = state.config.public_url.clone().unwrap_or_else(|| format!("http://{}", state.config.addr));
            let publisher = Publisher { museum_name: &state.config.museum_name, base: &base };
            if !public {
                eprintln!("note: LIDO and Linked Art carry published records and public fields only");
            }
            match format {
                ExportFormatArg::Lido => state.export_lido(&publisher, &mut sink, &tick)?,
                _ => state.export_linked_art(&publisher, &mut sink, &tick)?,
            }
        }
    };
    sink.flush()?;
    drop(sink);
    progress.finish_and_clear();
    if let Some((tmp, path)) = staged {
        tmp.persist(&path).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("exported {n} records to {}", path.display());
    } else {
        eprintln!("exported {n} records");
    }
    Ok(())
}
