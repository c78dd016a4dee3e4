//! Both writers of one generation of the indexes: the internal and the public one
//! are always written and committed together.

use tantivy::IndexWriter;

use super::Result;
use super::index::Indexes;

const WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// A rebuild writes every record at once: larger segments mean fewer merges.
pub const REBUILD_MEMORY: usize = 384 * 1024 * 1024;

/// Both writers of one generation.
pub struct Writers {
    pub internal: IndexWriter,
    pub public: IndexWriter,
}

impl Writers {
    pub fn open(indexes: &Indexes, threads: usize) -> Result<Writers> {
        Self::open_with_memory(indexes, threads, WRITER_MEMORY)
    }

    pub fn open_with_memory(indexes: &Indexes, threads: usize, memory: usize) -> Result<Writers> {
        Ok(Writers {
            internal: indexes.internal.index.writer_with_num_threads(threads, memory)?,
            public: indexes.public.index.writer_with_num_threads(threads, memory)?,
        })
    }

    /// Starts merging each index's segments into one, in the background (writes go on
    /// meanwhile; the merged segment replaces the others when done). A search looks
    /// up each term in every segment: a rebuilt index is searched fastest whole.
    pub fn start_merge_into_one(&mut self, indexes: &Indexes) -> Result<()> {
        for (writer, index) in [(&mut self.internal, &indexes.internal), (&mut self.public, &indexes.public)] {
            let segments = index.index.searchable_segment_ids()?;
            if segments.len() > 1 {
                tracing::info!(segments = segments.len(), "merging a rebuilt index into one segment");
                // Not awaited: the merge finishes on tantivy's merge threads.
                drop(writer.merge(&segments));
            }
        }
        Ok(())
    }

    /// Commits both indexes, recording `applied` as the last outbox id they reflect.
    pub fn commit(&mut self, applied: i64) -> Result<()> {
        for w in [&mut self.internal, &mut self.public] {
            let mut prepared = w.prepare_commit()?;
            prepared.set_payload(&applied.to_string());
            prepared.commit()?;
        }
        Ok(())
    }
}
