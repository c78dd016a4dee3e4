#![no_main]
//! Fuzz target: see `catalogue::fuzzing::image_decode`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| catalogue::fuzzing::image_decode(data));
