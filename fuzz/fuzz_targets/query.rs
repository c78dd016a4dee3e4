#![no_main]
//! Fuzz target: see `catalogue::fuzzing::query`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| catalogue::fuzzing::query(data));
