//! Suggestions for a search box: prefix completion of titles, makers and
//! donors, typed in either script or in pinyin. Only names an index holds can
//! be suggested from it, so the public index suggests nothing private.

use std::collections::HashMap;

use pinyin::ToPinyin;

use super::analysis::{is_cjk, simplify};
use super::{Result, SearchError, SearchService};
use crate::model::role::Scope;

const SEP: char = '\u{1}';

/// Completion keys of a name: its Simplified, folded form and, for Chinese, its pinyin.
pub fn keys(display: &str) -> Vec<String> {
    let display = display.trim();
    if display.is_empty() || display.chars().count() > 80 {
        return Vec::new();
    }
    let key: String = simplify(display).trim_start_matches(|c: char| !c.is_alphanumeric()).to_string();
    if key.is_empty() {
        return Vec::new();
    }
    let mut out = vec![format!("{key}{SEP}{display}")];
    if key.chars().any(is_cjk) {
        let pinyin: String = key.chars().filter_map(|c| c.to_pinyin().map(|p| p.plain().replace('ü', "v"))).collect();
        if !pinyin.is_empty() {
            out.push(format!("{pinyin}{SEP}{display}"));
        }
    }
    out
}

impl SearchService {
    /// Up to `limit` names starting with `prefix`, most frequent first.
    pub fn suggest(&self, prefix: &str, scope: Scope, limit: usize) -> Result<Vec<String>> {
        let prefix = simplify(prefix.trim()).replace(' ', "");
        if prefix.is_empty() {
            return Ok(Vec::new());
        }
        let indexes = self.indexes();
        let idx = match scope {
            Scope::Public => &indexes.public,
            Scope::Research | Scope::Full => &indexes.internal,
        };
        let searcher = idx.reader.searcher();
        let mut found: HashMap<String, u32> = HashMap::new();
        let upper = format!("{prefix}\u{10FFFF}");
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(idx.fields.complete)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .lt(upper.as_bytes())
                .into_stream()
                .map_err(|e| SearchError::Io(self.data_dir.join("index"), e))?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                if let Some((_, display)) = term.split_once(SEP) {
                    *found.entry(display.to_string()).or_default() += stream.value().doc_freq;
                }
            }
        }
        let mut ranked: Vec<(String, u32)> = found.into_iter().collect();
        ranked.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| a.0.chars().count().cmp(&b.0.chars().count())).then_with(|| a.0.cmp(&b.0))
        });
        Ok(ranked.into_iter().take(limit).map(|(d, _)| d).collect())
    }
}
