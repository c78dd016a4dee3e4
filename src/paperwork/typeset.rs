//! Setting a document with typst, and joining the parts of a long one.

use std::path::Path;

use serde_json::Value;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Label, Selector};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use super::world::{self, PrintWorld};
use super::{Picture, PrintError, Printed};

/// Whether some font of the catalogue has a glyph for `c`.
pub fn has_glyph(c: char) -> bool {
    world::has_glyph(c)
}

/// Whether the machine's Noto CJK fonts were found.
pub fn has_cjk_fonts() -> bool {
    world::FONTS.cjk
}

/// Sets one document: `templates` (the first is the document), `files` (the
/// pictures) and `data` as `data.json`. Also says which row is the first on the last
/// page, where the template marks its rows (`#metadata(i)<row>`, `i` the row's index)
/// and there is more than one page.
pub fn set(
    overrides: &Path,
    templates: &[(String, String)],
    files: &[Picture],
    data: &Value,
    today: chrono::NaiveDate,
    tagged: bool,
) -> Result<(Printed, Option<usize>), PrintError> {
    let mut files = files.to_vec();
    files.push(("data.json".to_string(), serde_json::to_vec(data).expect("JSON serialises")));
    let main_name = templates[0].0.clone();
    let world = PrintWorld::new(&main_name, templates.to_vec(), files, today);
    let warned = typst::compile::<PagedDocument>(&world);
    let set = export(overrides, &world, &main_name, warned, tagged);
    // What typst memoised while it set the document is of no use to the next one, and
    // would otherwise hold memory for as long as the process runs.
    typst::comemo::evict(0);
    set
}

fn export(
    overrides: &Path,
    world: &PrintWorld,
    main_name: &str,
    warned: typst::diag::Warned<typst::diag::SourceResult<PagedDocument>>,
    tagged: bool,
) -> Result<(Printed, Option<usize>), PrintError> {
    let document = warned.output.map_err(|errors| template_error(overrides, world, main_name, &errors))?;
    let options = typst_pdf::PdfOptions { tagged, ..Default::default() };
    let pdf =
        typst_pdf::pdf(&document, &options).map_err(|errors| template_error(overrides, world, main_name, &errors))?;
    let warnings =
        warned.warnings.iter().filter(|w| w.severity == Severity::Warning).map(|w| w.message.to_string()).collect();
    let pages = document.pages().len();
    Ok((Printed { pdf, pages, warnings }, first_row_on_last_page(&document)))
}

fn first_row_on_last_page(document: &PagedDocument) -> Option<usize> {
    let pages = document.pages().len();
    if pages < 2 {
        return None;
    }
    let introspector = document.introspector();
    let label = Label::new(PicoStr::intern("row"))?;
    introspector
        .query(&Selector::Label(label))
        .iter()
        .filter(|row| row.location().and_then(|l| introspector.page(l)).is_some_and(|p| p.get() == pages))
        .filter_map(|row| match row.to_packed::<MetadataElem>()?.value {
            typst::foundations::Value::Int(i) => usize::try_from(i).ok(),
            _ => None,
        })
        .min()
}

fn template_error(overrides: &Path, world: &PrintWorld, main: &str, errors: &[SourceDiagnostic]) -> PrintError {
    let first = errors.first();
    let id = first.and_then(|d| d.span.id());
    let file = id.map_or(main.to_string(), |id| id.get().vpath().get_without_slash().to_string());
    let line = first.and_then(|d| {
        let range = world.range(d.span)?;
        let source = world.source_of(d.span.id()?)?;
        source.lines().byte_to_line_column(range.start).map(|(l, _)| l + 1)
    });
    let shown = if overrides.join(&file).exists() { overrides.join(&file).display().to_string() } else { file };
    let message = first.map_or("the template could not be set".to_string(), |d| d.message.to_string());
    PrintError::Template { file: line.map_or(shown.clone(), |l| format!("{shown}, line {l}")), message }
}

/// Joins PDFs the catalogue set (each with its own fonts and pictures) into one, the
/// first `pages` pages of each in order, with the first one's catalogue and metadata.
pub fn join(parts: Vec<(Vec<u8>, usize)>) -> Result<Vec<u8>, PrintError> {
    joined(parts).map_err(|e| PrintError::Join(e.to_string()))
}

fn joined(parts: Vec<(Vec<u8>, usize)>) -> lopdf::Result<Vec<u8>> {
    use lopdf::{Object, ObjectId};
    let mut parts = parts.into_iter();
    let (first, keep) = parts.next().unwrap_or_default();
    let mut doc = lopdf::Document::load_mem(&first)?;
    let root: ObjectId = doc.catalog()?.get(b"Pages")?.as_reference()?;
    let mut kids: Vec<Object> = doc.get_pages().into_values().take(keep).map(Object::Reference).collect();
    for (bytes, keep) in parts {
        let mut part = lopdf::Document::load_mem(&bytes)?;
        part.renumber_objects_with(doc.max_id + 1);
        let catalog = part.trailer.get(b"Root")?.as_reference()?;
        let mut drop = vec![catalog, part.catalog()?.get(b"Pages")?.as_reference()?];
        // Its metadata: the first part's stands for the whole.
        drop.extend(part.trailer.get(b"Info").and_then(Object::as_reference));
        drop.extend(part.catalog()?.get(b"Metadata").and_then(Object::as_reference));
        for id in part.get_pages().into_values().take(keep) {
            let inherited = inherited(&part, id)?;
            let page = part.get_dictionary_mut(id)?;
            for (key, value) in inherited {
                page.set(key, value);
            }
            page.set("Parent", root);
            kids.push(Object::Reference(id));
        }
        for id in drop {
            part.objects.remove(&id);
        }
        doc.max_id = doc.max_id.max(part.max_id);
        doc.objects.extend(part.objects);
    }
    let pages = doc.get_dictionary_mut(root)?;
    pages.set("Count", kids.len() as i64);
    pages.set("Kids", kids);
    // The pages left out, and what only they used.
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

/// The attributes a page takes from the page tree above it, which it loses when it is
/// moved into another tree.
fn inherited(doc: &lopdf::Document, page: lopdf::ObjectId) -> lopdf::Result<Vec<(&'static str, lopdf::Object)>> {
    let mut out = Vec::new();
    let own = doc.get_dictionary(page)?;
    for key in ["MediaBox", "CropBox", "Resources", "Rotate"] {
        if own.has(key.as_bytes()) {
            continue;
        }
        let mut node = own;
        // A tree is shallow; a loop in a broken one ends here.
        for _ in 0..32 {
            let Ok(parent) = node.get(b"Parent").and_then(lopdf::Object::as_reference) else { break };
            node = doc.get_dictionary(parent)?;
            if let Ok(value) = node.get(key.as_bytes()) {
                out.push((key, value.clone()));
                break;
            }
        }
    }
    Ok(out)
}
