//! The dimension parser over real museum data: a fixture sample always, the full sets when `../shared/data` is there.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use catalogue::interchange::open_data::{SourceRecord, open_lines};
use catalogue::model::dimensions::{DimensionKind, Parsed, Unit};

#[derive(Debug, Default)]
struct Rates {
    with_number: u64,
    structured: u64,
    not_measured: u64,
    structured_objects: u64,
}

impl Rates {
    fn percent(&self) -> f64 {
        self.structured as f64 * 100.0 / self.with_number as f64
    }
}

fn rates(path: &Path, source: impl Fn(&str) -> bool) -> Rates {
    let mut r = Rates::default();
    for line in open_lines(path).unwrap().lines() {
        let rec: SourceRecord = serde_json::from_str(&line.unwrap()).unwrap();
        if !source(&rec.source) {
            continue;
        }
        let Some(parsed) = rec.parsed_dimensions() else { continue };
        let Some(text) = rec.dimension_text() else {
            if let Parsed::Measured(d) = &parsed {
                assert!(d.iter().all(|d| d.unit == Unit::In && (d.normalised - d.value * 25.4).abs() < 0.01));
                r.structured_objects += 1;
            }
            continue;
        };
        match parsed {
            Parsed::NotMeasured => r.not_measured += 1,
            Parsed::Measured(_) => {
                r.with_number += 1;
                r.structured += 1;
            }
            Parsed::Unreadable(_) if text.chars().any(|c| c.is_ascii_digit()) => r.with_number += 1,
            Parsed::Unreadable(_) => {}
        }
    }
    r
}

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(path)
}

#[test]
fn the_sample_of_real_dimension_texts_parses_at_95_percent_or_better() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dimensions-sample.jsonl");
    let zh = rates(&fixture, |s| s.starts_with("npm"));
    let en = rates(&fixture, |s| !s.starts_with("npm"));
    assert!(zh.percent() >= 95.0, "Chinese: {zh:?}");
    assert!(en.percent() >= 95.0, "English: {en:?}");
    assert!(zh.not_measured > 100, "待測量 is recognised: {zh:?}");
    assert!(en.structured_objects > 100, "Carnegie inch fields convert: {en:?}");
}

#[test]
#[ignore = "needs ../shared/data"]
fn every_palace_museum_dimension_text_with_a_number_parses_at_95_percent_or_better() {
    let zh = rates(&shared("zh/npm-taipei.jsonl.gz"), |_| true);
    eprintln!("Palace Museum: {zh:?}, {:.2}%", zh.percent());
    assert!(zh.with_number > 20_000);
    assert!(zh.percent() >= 95.0, "{zh:?}");
    assert!(zh.not_measured > 6000, "待測量 is recognised as no measurement: {zh:?}");
}

#[test]
#[ignore = "needs ../shared/data"]
fn every_english_dimension_text_with_a_number_parses_at_95_percent_or_better() {
    let en = rates(&shared("en/en-records.jsonl.gz"), |_| true);
    eprintln!("MoMA, Tate, Carnegie: {en:?}, {:.2}%", en.percent());
    assert!(en.with_number > 150_000);
    assert!(en.percent() >= 95.0, "{en:?}");
    assert!(en.structured_objects > 80_000, "Carnegie inch fields are converted: {en:?}");
}

#[test]
fn known_strings_parse_to_the_expected_kinds() {
    use catalogue::model::dimensions::{ParseOptions, parse};
    let Parsed::Measured(d) = parse("通寬20.0公分 通高22.5公分 耳柱高3.4公分 口徑19.5公分", ParseOptions::default())
    else {
        panic!()
    };
    let kinds: Vec<DimensionKind> = d.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [DimensionKind::Width, DimensionKind::Height, DimensionKind::Height, DimensionKind::Diameter]);
    assert_eq!(d[2].part.as_deref(), Some("耳柱"));
}
