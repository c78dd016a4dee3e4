#![no_main]
//! Fuzz target: see `catalogue::fuzzing::csv_import`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| catalogue::fuzzing::csv_import(data));
