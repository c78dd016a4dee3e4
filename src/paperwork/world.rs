//! What typst sees while it sets one document: the template and the templates it
//! imports, the document's data as `data.json`, the pictures it places, and the fonts
//! that ship with the catalogue. Nothing is read from the machine's fonts or the network.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts every document is set in: Noto Serif CJK SC for the text and Noto Sans CJK
/// SC Bold for headings (SIL Open Font License 1.1; the subsets and how they were made
/// are described in `assets/fonts/README.md`), and Libertinus Serif (OFL, from the
/// `typst-assets` crate) for the Latin letters the CJK fonts lack (ł, ø, đ, œ …), which
/// typst falls back to character by character.
pub struct Fonts {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
}

static SERIF: &[u8] = include_bytes!("../../assets/fonts/NotoSerifSC-Regular.otf");
static SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-Bold.otf");

pub static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let latin = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .filter(|f| f.info().family == "Libertinus Serif");
    let fonts: Vec<Font> =
        [SERIF, SANS_BOLD].into_iter().flat_map(|data| Font::iter(Bytes::new(data))).chain(latin).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// Whether some font of the catalogue has a glyph for `c`.
pub fn has_glyph(c: char) -> bool {
    FONTS.fonts.iter().any(|f| f.info().coverage.contains(c as u32))
}

/// A file's id in the document's project.
pub fn file_id(name: &str) -> FileId {
    let vpath = VirtualPath::new(name).expect("a plain file name");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

pub struct PrintWorld {
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl PrintWorld {
    /// `templates` are the typst sources by file name (the first is the document);
    /// `files` the data and pictures they read.
    pub fn new(
        main: &str,
        templates: Vec<(String, String)>,
        files: Vec<(String, Vec<u8>)>,
        today: chrono::NaiveDate,
    ) -> Self {
        use chrono::Datelike;
        let sources = templates
            .into_iter()
            .map(|(name, text)| {
                let id = file_id(&name);
                (id, Source::new(id, text))
            })
            .collect();
        let files = files.into_iter().map(|(name, bytes)| (file_id(&name), Bytes::new(bytes))).collect();
        let today = Datetime::from_ymd(today.year(), today.month() as u8, today.day() as u8)
            .unwrap_or(Datetime::from_ymd(1970, 1, 1).expect("a valid date"));
        PrintWorld { main: file_id(main), sources, files, today }
    }

    pub fn source_of(&self, id: FileId) -> Option<&Source> {
        self.sources.get(&id)
    }
}

impl World for PrintWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_without_slash().into())
}
