//! The fuzz targets' seeds and every input a fuzzer found to crash them
//! (`fuzz/regressions/`), replayed through the same functions on stable Rust.

use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("dimensions", catalogue::fuzzing::dimensions),
    ("dates", catalogue::fuzzing::dates),
    ("query", catalogue::fuzzing::query),
    ("csv_import", catalogue::fuzzing::csv_import),
    ("image_decode", catalogue::fuzzing::image_decode),
];

#[test]
fn fuzz_inputs_never_crash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut seen = 0;
    for (name, run) in TARGETS {
        for dir in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(name)) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let outcome = std::panic::catch_unwind(|| run(&bytes));
                assert!(outcome.is_ok(), "{name} panicked on {}", path.display());
                seen += 1;
            }
        }
    }
    assert!(seen >= 60, "the seeds are there ({seen} inputs)");
}
