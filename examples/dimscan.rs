use std::io::BufRead;
use catalogue::interchange::open_data::*;
use catalogue::model::dimensions::Parsed;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let (mut num, mut ok, mut nm) = (0, 0, 0);
    for line in open_lines(std::path::Path::new(&path)).unwrap().lines() {
        let r: SourceRecord = serde_json::from_str(&line.unwrap()).unwrap();
        let Some(p) = r.parsed_dimensions() else { continue };
        match p { Parsed::NotMeasured => nm += 1, Parsed::Measured(_) => { num += 1; ok += 1 }, Parsed::Unreadable(why) => { let t = r.dimension_text().unwrap_or(""); if t.chars().any(|c| c.is_ascii_digit()) { num += 1; println!("{why}\t{t:?}"); } } }
    }
    eprintln!("ok {ok}/{num} = {:.2}%, not measured {nm}", ok as f64 * 100.0 / num as f64);
}
