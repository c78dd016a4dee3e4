#![no_main]
//! Fuzz target: see `catalogue::fuzzing::dates`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| catalogue::fuzzing::dates(data));
