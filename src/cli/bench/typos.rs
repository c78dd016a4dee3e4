//! Typo lookups two ways, side by side over one index: tantivy's Levenshtein
//! automaton over the term dictionary, and the symmetric-delete dictionaries the
//! catalogue searches with (one a segment, kept warm by the index's reader).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tantivy::Searcher;
use tantivy::schema::Field;

use crate::catalogue::eval::{self, percentile};
use crate::search::deletes::{DeleteDictionary, Typos};
use crate::search::tokenizers::EnglishTokenizer;
use crate::search::typos;

/// The words of the query sets' queries that would be corrected: Latin, long enough,
/// and not held by `field`.
pub fn typed_words(searcher: &Searcher, field: Field, sets: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    let mut words = Vec::new();
    for set in sets {
        for q in eval::read_queries(set)? {
            for t in EnglishTokenizer::tokens(&q.q) {
                if typos::allowed_edits(&t.text) > 0
                    && !typos::indexed(searcher, field, &t.text)
                    && !words.contains(&t.text)
                {
                    words.push(t.text);
                }
            }
        }
    }
    Ok(words)
}

/// Both ways over `words`, as a section of the benchmark's report.
pub fn compare(searcher: &Searcher, field: Field, warm: &Typos, words: &[String]) -> anyhow::Result<String> {
    // What warming the index's segments costs, built once more to be timed.
    let start = Instant::now();
    let dictionary = DeleteDictionary::build(searcher, field)?;
    let build = start.elapsed();
    let (mut automaton, mut deletes) = (Vec::new(), Vec::new());
    let mut same = 0usize;
    for round in 0..4 {
        for w in words {
            let edits = typos::allowed_edits(w);
            let t = Instant::now();
            let a = typos::corrections(searcher, field, w, edits);
            let took_a = t.elapsed();
            let t = Instant::now();
            let d = warm.corrections(searcher, w, edits);
            let took_d = t.elapsed();
            if round > 0 {
                automaton.push(took_a);
                deletes.push(took_d);
            } else if a == d {
                same += 1;
            }
        }
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |t: &[Duration], q: f64| ms(percentile(t.to_vec(), q));
    let mut report = format!(
        "\nTypo lookups: the {} mistyped words of the typo query sets, the terms within their allowed edits of the `en` field's {} terms\n\n",
        words.len(),
        dictionary.len()
    );
    report.push_str(
        "| way | built in | memory | lookup p50 | lookup p99 | same corrections |\n|---|---|---|---|---|---|\n",
    );
    report.push_str(&format!(
        "| Levenshtein automaton over the term dictionary | nothing to build | none | {:.3} ms | {:.3} ms | — |\n",
        p(&automaton, 50.0),
        p(&automaton, 99.0)
    ));
    report.push_str(&format!(
        "| symmetric-delete dictionary, searched with ({} deletions of {}-letter prefixes) | {:.2} s | {:.0} MiB | {:.3} ms | {:.3} ms | {same} of {} |\n",
        dictionary.entries(),
        crate::search::deletes::PREFIX,
        build.as_secs_f64(),
        dictionary.memory_bytes() as f64 / (1024.0 * 1024.0),
        p(&deletes, 50.0),
        p(&deletes, 99.0),
        words.len()
    ));
    report.push_str(&format!(
        "\nRatio: the dictionary's lookup p50 / the automaton's = {:.2}, p99 = {:.2}\n",
        p(&deletes, 50.0) / p(&automaton, 50.0).max(1e-9),
        p(&deletes, 99.0) / p(&automaton, 99.0).max(1e-9)
    ));
    Ok(report)
}
