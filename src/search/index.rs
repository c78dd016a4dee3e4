//! One search index on disk (internal or public), and the pair of them in a generation.
//!
//! `data/index/CURRENT` names the generation in use; `catalogue reindex`
//! builds a new generation beside it and switches the name, so a running
//! server keeps answering from the old one until it moves over.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr};
use tantivy::{Directory, Index, IndexReader, IndexSettings, ReloadPolicy, Warmer};

use super::analysis::Segmenter;
use super::deletes::Typos;
use super::facets::FacetColumns;
use super::schema::{COUNTED_ON_REQUEST, FACETS, IndexFields, register_tokenizers, schema};
use super::{Result, SearchError};

/// One index with its reader.
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: IndexFields,
    /// The `en` field's terms for typo lookups, kept warm by the reader.
    pub typos: Arc<Typos>,
    /// Each segment's facet values, kept warm by the reader, for counting.
    pub facets: Arc<FacetColumns>,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if needed.
    pub fn open(dir: &Path, segmenter: &Segmenter) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Io(dir.to_path_buf(), e))?;
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(dir)?;
        let index = Index::builder().schema(schema).settings(settings()).open_or_create(directory)?;
        Self::with_reader(index, fields, segmenter)
    }

    /// The index with the analysers registered and a reader that reloads when told to.
    fn with_reader(index: Index, fields: IndexFields, segmenter: &Segmenter) -> Result<SearchIndex> {
        register_tokenizers(&index, segmenter);
        // No cache of stored blocks: hits are spread over the whole store, and with small,
        // uncompressed blocks a cache costs more to keep than a block costs to read.
        let typos = Arc::new(Typos::new(fields.en));
        let facets = Arc::new(FacetColumns::new(FACETS.iter().chain(COUNTED_ON_REQUEST).copied().collect()));
        let (typo_warmer, facet_warmer): (Arc<dyn Warmer>, Arc<dyn Warmer>) = (typos.clone(), facets.clone());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(0)
            .warmers(vec![Arc::downgrade(&typo_warmer), Arc::downgrade(&facet_warmer)])
            .try_into()?;
        Ok(SearchIndex { index, reader, fields, typos, facets })
    }

    /// Opens the index in `dir` on a read-only disk: for reading only, taking no lock
    /// files (nobody can write there, and tantivy's readers would otherwise make one).
    pub fn open_read_only(dir: &Path, segmenter: &Segmenter) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let index = Index::open(ReadOnlyDirectory(MmapDirectory::open(dir)?))?;
        if index.schema() != schema {
            return Err(SearchError::Config(
                dir.display().to_string(),
                "the index was made by another version; it cannot be rebuilt on a read-only disk".into(),
            ));
        }
        Self::with_reader(index, fields, segmenter)
    }

    /// An index in memory (for evaluations and benchmarks).
    pub fn in_ram(segmenter: &Segmenter) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        Self::with_reader(Index::builder().schema(schema).settings(settings()).create_in_ram()?, fields, segmenter)
    }

    /// The last outbox id applied, from the last commit's payload.
    pub fn applied(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
    }
}

/// Stored documents are read for every hit shown, from anywhere in the store. Blocks
/// of about one document, uncompressed, make a hit one short read: tantivy's default
/// (16 KB, LZ4) decompressed some forty documents to show one. The store is about
/// 2.5 times larger than compressed (350 MB for a million records).
const DOCSTORE_BLOCK: usize = 512;

fn settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK,
        docstore_compression: tantivy::store::Compressor::None,
        ..Default::default()
    }
}

/// The internal and public index of one generation.
pub struct Indexes {
    pub generation: String,
    pub internal: SearchIndex,
    pub public: SearchIndex,
}

/// Where a data directory keeps its indexes.
pub fn index_root(data_dir: &Path) -> PathBuf {
    data_dir.join("index")
}

/// The generation in use, if any.
pub fn current_generation(root: &Path) -> Option<String> {
    std::fs::read_to_string(root.join("CURRENT")).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A name for a new generation, later than any made before.
pub fn new_generation_name() -> String {
    format!("g{}", chrono::Utc::now().format("%Y%m%d%H%M%S%6f"))
}

/// Whether both indexes of a generation (where they exist yet) have this version's schema
/// and settings (how documents are stored).
fn made_by_this_version(dir: &Path) -> bool {
    let (expected, settings) = (schema().0, settings());
    ["internal", "public"].iter().all(|name| {
        let Ok(directory) = MmapDirectory::open(dir.join(name)) else { return true };
        match Index::exists(&directory) {
            Ok(true) => {
                Index::open(directory).is_ok_and(|index| index.schema() == expected && *index.settings() == settings)
            }
            _ => true,
        }
    })
}

/// Makes `generation` the one in use (atomically: write then rename).
pub fn set_current_generation(root: &Path, generation: &str) -> Result<()> {
    let tmp = root.join("CURRENT.tmp");
    std::fs::write(&tmp, generation).map_err(|e| SearchError::Io(tmp.clone(), e))?;
    std::fs::rename(&tmp, root.join("CURRENT")).map_err(|e| SearchError::Io(root.to_path_buf(), e))
}

/// An index folder on a read-only disk: reads go through, locks are no-ops and
/// writes fail as the disk would make them fail.
#[derive(Debug, Clone)]
struct ReadOnlyDirectory(MmapDirectory);

fn read_only_error() -> std::io::Error {
    std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem)
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<std::sync::Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError { io_error: read_only_error().into(), filepath: path.to_path_buf() })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError { io_error: read_only_error().into(), filepath: path.to_path_buf() })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only_error())
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
}

impl Indexes {
    /// Opens the generation in use on a read-only disk.
    pub fn open_current_read_only(data_dir: &Path, segmenter: &Segmenter) -> Result<Indexes> {
        let root = index_root(data_dir);
        let generation = current_generation(&root).ok_or_else(|| {
            SearchError::Config(
                root.display().to_string(),
                "there is no search index, and the disk is read-only".into(),
            )
        })?;
        let dir = root.join(&generation);
        Ok(Indexes {
            internal: SearchIndex::open_read_only(&dir.join("internal"), segmenter)?,
            public: SearchIndex::open_read_only(&dir.join("public"), segmenter)?,
            generation,
        })
    }

    /// Opens the generation in use, creating the first one if there is none.
    /// A generation made by a version with other fields or analysers is set
    /// aside for a new, empty one: the second value says the indexes must be
    /// rebuilt from the store.
    pub fn open_current(data_dir: &Path, segmenter: &Segmenter) -> Result<(Indexes, bool)> {
        let root = index_root(data_dir);
        let (generation, outdated) = match current_generation(&root) {
            Some(g) if made_by_this_version(&root.join(&g)) => (g, false),
            found => {
                let g = new_generation_name();
                std::fs::create_dir_all(&root).map_err(|e| SearchError::Io(root.clone(), e))?;
                set_current_generation(&root, &g)?;
                if let Some(old) = &found {
                    tracing::warn!(
                        generation = old,
                        "the search indexes were made by another version; they will be rebuilt"
                    );
                    if let Err(e) = std::fs::remove_dir_all(root.join(old)) {
                        tracing::warn!(generation = old, error = %e, "could not remove the old index generation");
                    }
                }
                (g, found.is_some())
            }
        };
        Ok((Indexes::open(&root, &generation, segmenter)?, outdated))
    }

    pub fn open(root: &Path, generation: &str, segmenter: &Segmenter) -> Result<Indexes> {
        let dir = root.join(generation);
        Ok(Indexes {
            generation: generation.to_string(),
            internal: SearchIndex::open(&dir.join("internal"), segmenter)?,
            public: SearchIndex::open(&dir.join("public"), segmenter)?,
        })
    }
}
