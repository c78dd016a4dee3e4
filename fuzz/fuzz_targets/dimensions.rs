#![no_main]
//! Fuzz target: see `catalogue::fuzzing::dimensions`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| catalogue::fuzzing::dimensions(data));
