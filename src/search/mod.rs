//! Search: Chinese-grade analysis, an internal and a public tantivy index fed
//! from the store's outbox by one writer, and the queries over them.

pub mod analysis;
pub mod bridge;
pub mod deletes;
pub mod document;
pub mod facets;
pub mod index;
pub mod query;
pub mod results;
pub mod schema;
pub mod suggest;
pub mod tokenizers;
pub mod typos;
pub mod warm;
pub mod writers;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use analysis::{Segmenter, simplify};
use index::{Indexes, current_generation, index_root};
use query::Boosts;
pub use results::{FacetCount, Hit, MAX_WINDOW, SearchRequest, SearchResults, Sort};
pub use tokenizers::name_matches;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot open the search index: {0}")]
    OpenDirectory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("{path}: {source}", path = .0.display(), source = .1)]
    Io(PathBuf, std::io::Error),
    #[error("search configuration {0}: {1}")]
    Config(String, String),
    /// A page past the first `max` results.
    #[error("results are paged only through the first {max}; narrow the search (filters help), or export")]
    TooDeep { max: usize },
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// Synonym groups from `index/synonyms.txt`, in Simplified characters.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
}

impl Synonyms {
    pub fn parse(text: &str) -> Synonyms {
        let groups = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                l.split(['↔', ',', '，']).map(|w| simplify(w.trim())).filter(|w| !w.is_empty()).collect::<Vec<_>>()
            })
            .filter(|g| g.len() > 1)
            .collect();
        Synonyms { groups }
    }

    /// The other members of the groups `word` belongs to.
    pub fn of(&self, word: &str) -> Vec<String> {
        self.groups.iter().filter(|g| g.iter().any(|w| w == word)).flatten().filter(|w| *w != word).cloned().collect()
    }
}

/// What `index/` in the repository holds: curators tune search there without code.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    pub dictionary: String,
    pub synonyms: String,
    pub boosts: String,
    pub glossary: String,
    /// The general dictionary of the bridge (`cedict.txt`); `None`: the one built in.
    pub cedict: Option<String>,
}

impl Default for SearchConfig {
    /// The copy built into the binary.
    fn default() -> Self {
        SearchConfig {
            dictionary: include_str!("../../index/dictionary.txt").into(),
            synonyms: include_str!("../../index/synonyms.txt").into(),
            boosts: include_str!("../../index/boosts.toml").into(),
            glossary: include_str!("../../index/glossary.txt").into(),
            cedict: None,
        }
    }
}

impl SearchConfig {
    /// Reads `dictionary.txt`, `synonyms.txt`, `boosts.toml`, `glossary.txt` and `cedict.txt`
    /// from `dir`; a missing file keeps the built-in one.
    pub fn from_dir(dir: &Path) -> Result<SearchConfig> {
        let mut c = SearchConfig::default();
        for (name, slot) in [
            ("dictionary.txt", &mut c.dictionary),
            ("synonyms.txt", &mut c.synonyms),
            ("boosts.toml", &mut c.boosts),
            ("glossary.txt", &mut c.glossary),
        ] {
            let path = dir.join(name);
            if path.exists() {
                *slot = std::fs::read_to_string(&path).map_err(|e| SearchError::Io(path, e))?;
            }
        }
        let cedict = dir.join("cedict.txt");
        if cedict.exists() {
            c.cedict = Some(std::fs::read_to_string(&cedict).map_err(|e| SearchError::Io(cedict, e))?);
        }
        Ok(c)
    }
}

/// Facet values counted over a whole index, by (facet, searcher generation).
type FacetValues = std::collections::HashMap<(String, u64), Vec<results::FacetCount>>;

/// The search side of the catalogue: both indexes and how to query them.
#[derive(Clone)]
pub struct SearchService {
    pub data_dir: PathBuf,
    pub segmenter: Segmenter,
    pub synonyms: Arc<Synonyms>,
    pub boosts: Arc<Boosts>,
    /// The glossary's English ↔ Chinese terms alone.
    glossary: Arc<bridge::Bridge>,
    /// The glossary with the vocabularies' names added.
    bridge: Arc<RwLock<Arc<bridge::Bridge>>>,
    current: Arc<RwLock<Arc<Indexes>>>,
    /// A facet's values counted over a whole index, by facet and by the searcher's
    /// generation they were counted on: a browse page counts them once a commit.
    facet_values: Arc<std::sync::Mutex<FacetValues>>,
    /// The indexes found were made by another version and were replaced by empty
    /// ones: they must be rebuilt from the store before searches find anything.
    pub outdated: bool,
}

impl SearchService {
    /// Opens (creating if needed) the indexes of a data directory.
    pub fn open(data_dir: &Path, config: &SearchConfig) -> Result<SearchService> {
        Self::open_with(data_dir, config, false)
    }

    /// Opens the indexes of a data directory on a read-only disk, for searching only.
    pub fn open_read_only(data_dir: &Path, config: &SearchConfig) -> Result<SearchService> {
        Self::open_with(data_dir, config, true)
    }

    fn open_with(data_dir: &Path, config: &SearchConfig, read_only: bool) -> Result<SearchService> {
        let segmenter = Segmenter::new(&config.dictionary);
        let boosts: Boosts =
            toml::from_str(&config.boosts).map_err(|e| SearchError::Config("boosts.toml".into(), e.to_string()))?;
        let (indexes, outdated) = if read_only {
            (Indexes::open_current_read_only(data_dir, &segmenter)?, false)
        } else {
            Indexes::open_current(data_dir, &segmenter)?
        };
        let dictionary = match &config.cedict {
            Some(text) => Arc::new(bridge::Dictionary::parse(text)),
            None => bridge::Dictionary::built_in(),
        };
        let glossary = Arc::new(bridge::Bridge::parse(&config.glossary).with_dictionary(dictionary));
        Ok(SearchService {
            data_dir: data_dir.to_path_buf(),
            segmenter,
            synonyms: Arc::new(Synonyms::parse(&config.synonyms)),
            boosts: Arc::new(boosts),
            bridge: Arc::new(RwLock::new(glossary.clone())),
            glossary,
            current: Arc::new(RwLock::new(Arc::new(indexes))),
            facet_values: Default::default(),
            outdated,
        })
    }

    /// Bridges English and Chinese with the vocabularies' names as well as the glossary's
    /// (again after the vocabularies change).
    pub fn use_vocabularies(&self, vocab: &crate::model::vocab::Vocabularies) {
        let fresh = Arc::new(self.glossary.with_vocabularies(vocab));
        *self.bridge.write().unwrap_or_else(|p| p.into_inner()) = fresh;
    }

    /// The English ↔ Chinese bridge in use now.
    pub fn bridge(&self) -> Arc<bridge::Bridge> {
        self.bridge.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The indexes in use now.
    pub fn indexes(&self) -> Arc<Indexes> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Moves to the generation named current on disk, removing the old one.
    pub fn reopen(&self) -> Result<()> {
        let root = index_root(&self.data_dir);
        let Some(generation) = current_generation(&root) else { return Ok(()) };
        let old = self.indexes().generation.clone();
        if generation == old {
            return Ok(());
        }
        let fresh = Indexes::open(&root, &generation, &self.segmenter)?;
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
        if let Err(e) = std::fs::remove_dir_all(root.join(&old)) {
            tracing::warn!(generation = old, error = %e, "could not remove the old index generation");
        }
        tracing::info!(generation, "search moved to a rebuilt index");
        Ok(())
    }

    /// Reloads readers so the latest commits are visible (for processes that do not index).
    pub fn refresh(&self) -> Result<()> {
        let i = self.indexes();
        i.internal.reader.reload()?;
        i.public.reader.reload()?;
        Ok(())
    }
}
