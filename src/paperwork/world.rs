//! What typst sees while it sets one document: the template and the templates it
//! imports, the document's data as `data.json`, the pictures it places, and the fonts.
//! Nothing is read from the network.

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::FONT_DIR_ENV;

/// The fonts every document is set in: Noto Serif CJK SC for the text and Noto Sans CJK
/// SC Bold for headings (SIL Open Font License 1.1), read from the machine's Noto CJK
/// collections (Debian's `fonts-noto-cjk`) the first time a document is printed, and
/// Libertinus Serif (OFL, from the `typst-assets` crate) for the Latin letters the CJK
/// fonts lack (ł, ø, đ, œ …), which typst falls back to character by character.
pub struct Fonts {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
    /// Whether the Noto CJK fonts were found; without them Chinese prints as blanks.
    pub cjk: bool,
}

/// Where the Noto CJK collections are looked for unless `font_dir` names a folder: where
/// Debian, Fedora and Arch install them.
const SYSTEM_FONT_DIRS: [&str; 4] = [
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/noto-cjk",
    "/usr/local/share/fonts",
];
/// Each collection's file, and the face of it the documents name. Its other faces
/// (Traditional, Hong Kong, Japanese, Korean) stay as fallbacks: typst takes a
/// character one face lacks from another.
const CJK_FONTS: [(&str, &str); 2] =
    [("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"), ("NotoSansCJK-Bold.ttc", "Noto Sans CJK SC")];

/// The faces of the collections found, and whether every collection was.
fn cjk_fonts() -> (Vec<Font>, bool) {
    // A folder named in the settings is the only one looked in.
    let dirs: Vec<std::path::PathBuf> = match super::font_dir() {
        Some(dir) => vec![dir],
        None => SYSTEM_FONT_DIRS.iter().map(std::path::PathBuf::from).collect(),
    };
    let mut fonts = Vec::new();
    let mut all_found = true;
    for (file, family) in CJK_FONTS {
        let found = dirs.iter().map(|d| d.join(file)).find_map(|path| std::fs::read(&path).ok().map(|b| (path, b)));
        match found {
            Some((path, bytes)) => {
                // The named face first: typst picks the first face of a family.
                let mut faces: Vec<Font> = Font::iter(Bytes::new(bytes)).collect();
                faces.sort_by_key(|f| f.info().family != family);
                if faces.first().is_none_or(|f| f.info().family != family) {
                    tracing::warn!(path = %path.display(), family, "the font file has no face of this family");
                }
                fonts.extend(faces);
            }
            None => {
                all_found = false;
                tracing::warn!(
                    file,
                    "font not found (install Debian's fonts-noto-cjk, or set font_dir ({FONT_DIR_ENV}) to the folder \
                     that has it): Chinese prints as blanks"
                );
            }
        }
    }
    (fonts, all_found)
}

pub static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let latin = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .filter(|f| f.info().family == "Libertinus Serif");
    let (cjk, found) = cjk_fonts();
    let fonts: Vec<Font> = cjk.into_iter().chain(latin).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts, cjk: found }
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
