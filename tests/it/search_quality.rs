//! Search quality on the shared query sets, against the targets.

use std::path::{Path, PathBuf};

use catalogue::catalogue::eval;
use catalogue::model::vocab::Vocabularies;
use catalogue::search::{SearchConfig, SearchService};

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(path)
}

fn evaluate(records: &str, source: Option<&str>, queries: &str) -> eval::Evaluation {
    let dir = tempfile::tempdir().unwrap();
    let service = SearchService::open(dir.path(), &SearchConfig::default()).unwrap();
    let e = eval::evaluate(&service, &shared(records), source, &shared(queries), &Vocabularies::shipped(), 1, &|_| {})
        .unwrap();
    for o in e.outcomes.iter().filter(|o| o.recall < 1.0 || !o.first_is_right) {
        eprintln!("miss: {:?} recall {:.2} first right {}", o.query.q, o.recall, o.first_is_right);
    }
    eprintln!("{} records; recall@20 {:.4}, P@1 {:.4}", e.records, e.recall_at_20(), e.precision_at_1());
    e
}

#[test]
#[ignore = "needs ../shared/data"]
fn chinese_queries_over_the_palace_museum_records_meet_the_targets() {
    let e = evaluate("zh/npm-taipei.jsonl.gz", None, "queries/npm-queries.json");
    assert!(e.records > 38_000);
    // Every query finds all of its truth, and its first hit is right: nothing the bridge,
    // the typo tolerance or the folding add takes a place from a direct match.
    assert_eq!(e.recall_at_20(), 1.0, "recall@20 {}", e.recall_at_20());
    assert_eq!(e.precision_at_1(), 1.0, "P@1 {}", e.precision_at_1());
}

#[test]
#[ignore = "needs ../shared/data"]
fn english_queries_over_the_tate_records_meet_the_targets() {
    let e = evaluate("en/en-records.jsonl.gz", Some("tate"), "queries/tate-queries.json");
    assert!(e.records > 69_000);
    assert_eq!(e.recall_at_20(), 1.0, "recall@20 {}", e.recall_at_20());
    assert_eq!(e.precision_at_1(), 1.0, "P@1 {}", e.precision_at_1());
}

#[test]
#[ignore = "needs ../shared/data"]
fn english_queries_over_the_chinese_only_palace_museum_records_meet_the_targets() {
    let e = evaluate("zh/npm-taipei.jsonl.gz", None, "queries/npm-hard-queries.json");
    for (kind, k) in e.by_kind() {
        eprintln!("{kind}: recall@20 {:.4}, P@1 {:.4}", k.recall_at_20(), k.precision_at_1());
    }
    assert!(e.recall_at_20() >= 0.85, "recall@20 {}", e.recall_at_20());
    assert!(e.precision_at_1() >= 0.90, "P@1 {}", e.precision_at_1());
}

#[test]
#[ignore = "needs ../shared/data"]
fn names_and_titles_typed_with_one_typo_meet_the_targets() {
    let e = evaluate("en/en-records.jsonl.gz", Some("tate"), "queries/tate-hard-queries.json");
    let kinds = e.by_kind();
    assert_eq!(kinds.keys().collect::<Vec<_>>(), ["typo-maker", "typo-title"]);
    for (kind, k) in kinds {
        eprintln!("{kind}: recall@20 {:.4}, P@1 {:.4}", k.recall_at_20(), k.precision_at_1());
        assert!(k.recall_at_20() >= 0.97, "{kind}: recall@20 {}", k.recall_at_20());
        assert!(k.precision_at_1() >= 0.95, "{kind}: P@1 {}", k.precision_at_1());
    }
}
