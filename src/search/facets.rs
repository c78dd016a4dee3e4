//! Facet counts from each segment's facet values held in memory, a list per document.
//!
//! tantivy's `FacetCollector` reads every match's facet ordinals from the segment's
//! columns (a rank in the optional index, a bit-packed block read) and maps each
//! through the facet dictionary, one collector per facet. Over a broad search (a
//! quarter of a million matches, seven facets) that reading is most of the answer.
//! Here a [`Warmer`] turns each segment's facet columns, once, into plain arrays of
//! value numbers (one list per document, values numbered per facet in the
//! dictionary's order), and one collector counts every facet asked for with an
//! array increment per value. The arrays are made when a segment is first searched
//! (a new commit, a merge) and dropped with the last searcher that uses the segment.
//! At a million documents they take about 4 bytes per document and facet, plus 4
//! per value.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, Searcher, SearcherGeneration, SegmentOrdinal, SegmentReader, Warmer};

use serde::Serialize;
use utoipa::ToSchema;

use super::warm::PerSegment;

/// One value of a facet and how many results have it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// One facet's values in one segment.
#[derive(Debug, Default)]
struct FacetValues {
    /// The first-level values, in the dictionary's (byte) order.
    names: Vec<String>,
    /// `values[starts[d]..starts[d + 1]]` are document `d`'s values, as indexes into `names`.
    starts: Vec<u32>,
    values: Vec<u32>,
}

impl FacetValues {
    fn read(segment: &SegmentReader, field: &str) -> tantivy::Result<FacetValues> {
        let reader = segment.facet_reader(field)?;
        // Each ordinal's first-level value: "/paper" and "/paper/laid" both count as "paper".
        let mut names: Vec<String> = Vec::new();
        let mut first_level: Vec<u32> = Vec::with_capacity(reader.num_facets());
        let mut terms = reader.facet_dict().stream()?;
        while terms.advance() {
            let key = terms.key();
            let first = key.split(|b| *b == 0).next().unwrap_or_default();
            if first.is_empty() {
                first_level.push(u32::MAX);
                continue;
            }
            if names.last().is_none_or(|last| last.as_bytes() != first) {
                names.push(String::from_utf8_lossy(first).into_owned());
            }
            first_level.push((names.len() - 1) as u32);
        }
        let max_doc = segment.max_doc();
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut values = Vec::with_capacity(max_doc as usize);
        starts.push(0);
        for doc in 0..max_doc {
            let at = values.len();
            for ord in reader.facet_ords(doc) {
                let Some(&value) = first_level.get(ord as usize) else { continue };
                // A document's ordinals are sorted, so its values under one first-level value are adjacent.
                if value != u32::MAX && values[at..].last() != Some(&value) {
                    values.push(value);
                }
            }
            starts.push(values.len() as u32);
        }
        Ok(FacetValues { names, starts, values })
    }

    fn of_doc(&self, doc: DocId) -> &[u32] {
        let (from, to) = (self.starts[doc as usize] as usize, self.starts[doc as usize + 1] as usize);
        &self.values[from..to]
    }

    fn bytes(&self) -> usize {
        (self.starts.len() + self.values.len()) * 4 + self.names.iter().map(String::len).sum::<usize>()
    }
}

/// Every facet's values in one segment, in the order of [`FacetColumns`]' names.
#[derive(Debug)]
pub struct SegmentFacets {
    facets: Vec<FacetValues>,
}

impl SegmentFacets {
    fn read(segment: &SegmentReader, names: &[&str]) -> tantivy::Result<SegmentFacets> {
        let facets = names.iter().map(|name| FacetValues::read(segment, &format!("facet_{name}")));
        Ok(SegmentFacets { facets: facets.collect::<tantivy::Result<_>>()? })
    }
}

/// The facet values of an index's segments, kept warm for its reader.
#[derive(Debug)]
pub struct FacetColumns {
    names: Vec<&'static str>,
    segments: PerSegment<SegmentFacets>,
}

impl FacetColumns {
    /// Columns for the facets `names` (each a `facet_{name}` field of the schema).
    pub fn new(names: Vec<&'static str>) -> FacetColumns {
        FacetColumns { names, segments: PerSegment::default() }
    }

    /// The segment's values: kept ones, or else read now (and kept).
    fn segment(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        self.segments.get_or_make(segment, |s| SegmentFacets::read(s, &self.names))
    }

    /// Counts the facets `wanted` over every match, in one pass.
    pub fn counter(self: &Arc<Self>, wanted: &[&str]) -> FacetCounter {
        let wanted =
            wanted.iter().filter_map(|w| self.names.iter().position(|n| n == w).map(|i| (i, w.to_string()))).collect();
        FacetCounter { columns: self.clone(), wanted }
    }

    /// Memory the kept values take, in bytes.
    pub fn bytes(&self) -> usize {
        self.segments.values().iter().flat_map(|s| &s.facets).map(FacetValues::bytes).sum()
    }
}

impl Warmer for FacetColumns {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            self.segment(segment)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live: &[&SearcherGeneration]) {
        self.segments.keep_only(live);
    }
}

/// A collector of facet counts: each facet's values, most matches first, then by value.
pub struct FacetCounter {
    columns: Arc<FacetColumns>,
    /// (index into the columns' names, the facet's name)
    wanted: Vec<(usize, String)>,
}

pub struct SegmentFacetCounter {
    segment: Arc<SegmentFacets>,
    wanted: Vec<usize>,
    /// One count per value, per wanted facet.
    counts: Vec<Vec<u64>>,
}

impl Collector for FacetCounter {
    type Fruit = BTreeMap<String, Vec<FacetCount>>;
    type Child = SegmentFacetCounter;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentFacetCounter> {
        let values = self.columns.segment(segment)?;
        let wanted: Vec<usize> = self.wanted.iter().map(|(i, _)| *i).collect();
        let counts = wanted.iter().map(|i| vec![0; values.facets[*i].names.len()]).collect();
        Ok(SegmentFacetCounter { segment: values, wanted, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Vec<(Arc<SegmentFacets>, Vec<Vec<u64>>)>>) -> tantivy::Result<Self::Fruit> {
        let mut out = BTreeMap::new();
        for (k, (i, name)) in self.wanted.iter().enumerate() {
            let mut total: HashMap<&str, u64> = HashMap::new();
            for (segment, counts) in segments.iter().flatten() {
                for (value, count) in segment.facets[*i].names.iter().zip(&counts[k]) {
                    if *count > 0 {
                        *total.entry(value.as_str()).or_default() += count;
                    }
                }
            }
            let mut values: Vec<FacetCount> =
                total.into_iter().map(|(value, count)| FacetCount { value: value.to_string(), count }).collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            out.insert(name.clone(), values);
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    /// The segment (for its value names) with its counts: a vector, so that a segment
    /// that matched nothing costs nothing to merge.
    type Fruit = Vec<(Arc<SegmentFacets>, Vec<Vec<u64>>)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (k, i) in self.wanted.iter().enumerate() {
            let counts = &mut self.counts[k];
            for &value in self.segment.facets[*i].of_doc(doc) {
                counts[value as usize] += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        match self.counts.iter().any(|c| c.iter().any(|n| *n > 0)) {
            true => vec![(self.segment, self.counts)],
            false => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::FacetCollector;
    use tantivy::query::{AllQuery, TermQuery};
    use tantivy::schema::{Facet, FacetOptions, IndexRecordOption, STRING, Schema};
    use tantivy::{Index, IndexWriter, Term, doc};

    /// tantivy's own count of a facet's first-level values, the reference.
    fn reference(searcher: &Searcher, query: &dyn tantivy::query::Query, field: &str) -> Vec<FacetCount> {
        let mut c = FacetCollector::for_field(field);
        c.add_facet("/");
        let counts = searcher.search(query, &c).unwrap();
        let mut values: Vec<FacetCount> = counts
            .get("/")
            .map(|(f, count)| FacetCount { value: f.to_path().last().unwrap().to_string(), count })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        values
    }

    #[test]
    fn counts_agree_with_tantivy_s_over_segments_several_values_deeper_paths_and_deletions() {
        let mut schema = Schema::builder();
        let word = schema.add_text_field("word", STRING);
        let material = schema.add_facet_field("facet_material", FacetOptions::default());
        let donor = schema.add_facet_field("facet_donor", FacetOptions::default());
        let index = Index::create_in_ram(schema.build());
        let columns = Arc::new(FacetColumns::new(vec!["material", "donor"]));
        let warmer: Arc<dyn Warmer> = columns.clone();
        let reader = index.reader_builder().warmers(vec![Arc::downgrade(&warmer)]).try_into().unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let materials = ["紙", "絹", "paper", "bronze", "紙/宣紙", "ink"];
        for segment in 0..3 {
            for i in 0..200u32 {
                let mut d = doc!(word => if i % 3 == 0 { "a" } else { "b" });
                // None, one or several values; "紙/宣紙" counts as 紙, once with 紙 itself.
                for k in 0..(i % 4) {
                    let m = materials[((i + k * 7 + segment) % materials.len() as u32) as usize];
                    d.add_facet(material, Facet::from_path(m.split('/')));
                }
                if i % 5 != 0 {
                    d.add_facet(donor, Facet::from_path([format!("donor {}", (i * 13 + segment) % 17)]));
                }
                writer.add_document(d).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.delete_term(Term::from_field_text(word, "a"));
        writer.add_document(doc!(word => "a")).unwrap();
        writer.commit().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        assert!(searcher.segment_readers().len() >= 3, "several segments");
        let b = TermQuery::new(Term::from_field_text(word, "b"), IndexRecordOption::Basic);
        let a = TermQuery::new(Term::from_field_text(word, "a"), IndexRecordOption::Basic);
        let queries: [&dyn tantivy::query::Query; 3] = [&AllQuery, &b, &a];
        for query in queries {
            let ours = searcher.search(query, &columns.counter(&["material", "donor"])).unwrap();
            for name in ["material", "donor"] {
                assert_eq!(
                    format!("{:?}", ours[name]),
                    format!("{:?}", reference(&searcher, query, &format!("facet_{name}"))),
                    "{name}"
                );
            }
        }
        let all = searcher.search(&AllQuery, &columns.counter(&["material"])).unwrap();
        assert!(all["material"].iter().any(|v| v.value == "紙"), "{:?}", all["material"]);
        assert!(!all["material"].iter().any(|v| v.value == "宣紙"), "counted under its first level");
        assert!(columns.bytes() > 0);
        // Segments no searcher uses any more are dropped.
        let ids = index.searchable_segment_ids().unwrap();
        writer.merge(&ids).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        drop(searcher);
        reader.reload().unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let after = searcher.search(&AllQuery, &columns.counter(&["material"])).unwrap();
        assert_eq!(format!("{:?}", after["material"]), format!("{:?}", all["material"]), "the same after a merge");
        // The reader collects its garbage in the background, now and then.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while columns.segments.count() > 1 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(columns.segments.count(), 1, "only the merged segment is kept");
    }

    #[test]
    fn a_facet_not_asked_for_or_unknown_is_not_counted() {
        let mut schema = Schema::builder();
        let material = schema.add_facet_field("facet_material", FacetOptions::default());
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!(material => Facet::from("/紙"))).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        // Without a warmer, a segment's values are read when it is first counted.
        let columns = Arc::new(FacetColumns::new(vec!["material"]));
        let counted = searcher.search(&AllQuery, &columns.counter(&["material", "nothing"])).unwrap();
        assert_eq!(counted.keys().collect::<Vec<_>>(), ["material"]);
        assert_eq!(counted["material"][0].count, 1);
    }
}
