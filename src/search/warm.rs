//! Values made once from each segment of an index, when its reader first sees the
//! segment, and dropped with the last searcher that uses it: the typo dictionaries
//! (`deletes.rs`) and the facet arrays (`facets.rs`), each kept by a [`tantivy::Warmer`].

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError, RwLock};

use tantivy::index::SegmentId;
use tantivy::{SearcherGeneration, SegmentReader};

/// One value per segment.
#[derive(Debug)]
pub struct PerSegment<T> {
    segments: RwLock<HashMap<SegmentId, Arc<T>>>,
}

impl<T> Default for PerSegment<T> {
    fn default() -> Self {
        PerSegment { segments: RwLock::default() }
    }
}

impl<T> PerSegment<T> {
    /// The segment's value, if it has been made.
    pub fn get(&self, id: SegmentId) -> Option<Arc<T>> {
        self.segments.read().unwrap_or_else(PoisonError::into_inner).get(&id).cloned()
    }

    /// The segment's value: the kept one, or else made now with `make` (and kept).
    pub fn get_or_make(
        &self,
        segment: &SegmentReader,
        make: impl FnOnce(&SegmentReader) -> tantivy::Result<T>,
    ) -> tantivy::Result<Arc<T>> {
        if let Some(kept) = self.get(segment.segment_id()) {
            return Ok(kept);
        }
        let made = Arc::new(make(segment)?);
        self.segments.write().unwrap_or_else(PoisonError::into_inner).insert(segment.segment_id(), made.clone());
        Ok(made)
    }

    /// How many segments have a value.
    pub fn count(&self) -> usize {
        self.segments.read().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Every kept value.
    pub fn values(&self) -> Vec<Arc<T>> {
        self.segments.read().unwrap_or_else(PoisonError::into_inner).values().cloned().collect()
    }

    /// Drops the values of segments no live searcher uses (a warmer's garbage collection).
    pub fn keep_only(&self, live: &[&SearcherGeneration]) {
        let used: HashSet<SegmentId> = live.iter().flat_map(|g| g.segments().keys().copied()).collect();
        self.segments.write().unwrap_or_else(PoisonError::into_inner).retain(|id, _| used.contains(id));
    }
}
