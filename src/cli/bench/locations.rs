//! `catalogue bench locations`: moving a box of a thousand objects (one transaction, every
//! object's movement, version, audit and outbox rows) and the shelf list of ten thousand,
//! over real records (the Palace Museum's) placed in a store room of boxes.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::catalogue::Catalogue;
use crate::catalogue::locations::MoveRequest;
use crate::model::common::LocalText;
use crate::model::location::{LocationInput, LocationKind};
use crate::model::role::{Principal, Role, Viewer};

pub struct LocationsBench<'a> {
    pub records: &'a Path,
    /// Objects to place: ten boxes of a tenth each.
    pub count: usize,
    pub rounds: usize,
    pub work_dir: &'a Path,
}

const ACTOR: &str = "system:bench";

fn location(state: &Catalogue, code: &str, zh: &str, parent: Option<&str>) -> anyhow::Result<()> {
    let input = LocationInput {
        code: code.into(),
        name: LocalText::zh(zh),
        parent: parent.map(String::from),
        kind: LocationKind::Storage,
        note: None,
    };
    state.create_location(ACTOR, &input)?;
    Ok(())
}

fn move_contents(state: &Catalogue, from: &str, to: &str) -> anyhow::Result<(Duration, usize)> {
    let request = MoveRequest { to, reason: "storage", date: None, note: None };
    let start = Instant::now();
    let moved = state.move_contents(ACTOR, from, true, &request)?;
    Ok((start.elapsed(), moved.len()))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub fn run(state: &Catalogue, bench: &LocationsBench<'_>) -> anyhow::Result<String> {
    let total = super::print::import_sample(state, bench.records, bench.count, bench.work_dir)?;
    location(state, "B", "本馆", None)?;
    location(state, "B-R1", "一号库房", Some("B"))?;
    location(state, "B-R1-S1", "一号架", Some("B-R1"))?;
    location(state, "B-R2", "二号库房", Some("B"))?;
    let boxes = 10;
    for b in 1..=boxes {
        location(state, &format!("B-R1-S1-X{b}"), &format!("{b}号囊匣"), Some("B-R1-S1"))?;
    }
    location(state, "B-R2-Y", "周转箱", Some("B-R2"))?;
    // Place every object: a tenth in each box, one transaction a box.
    let all = state.artefacts(&crate::catalogue::ArtefactFilter {
        page: crate::catalogue::PageRequest { page: 1, per_page: u32::try_from(total).unwrap_or(u32::MAX) },
        ..Default::default()
    })?;
    let numbers: Vec<String> = all.items.iter().map(|a| a.record.accession_number.as_str().to_string()).collect();
    drop(all);
    let per_box = numbers.len().div_ceil(boxes);
    let mut placing = Vec::new();
    for (b, chunk) in numbers.chunks(per_box.max(1)).enumerate() {
        let selection: Vec<(String, Option<i64>)> = chunk.iter().map(|a| (a.clone(), None)).collect();
        let to = format!("B-R1-S1-X{}", b + 1);
        let request = MoveRequest { to: &to, reason: "recorded", date: None, note: None };
        let start = Instant::now();
        state.move_artefacts(ACTOR, &selection, &request)?;
        placing.push(start.elapsed());
        eprintln!("placed {} objects in {to}", selection.len());
    }
    // A whole box to the other room and back, `rounds` times each way.
    let mut there = Vec::new();
    let mut back = Vec::new();
    let mut in_box = 0;
    for _ in 0..bench.rounds {
        let (t, n) = move_contents(state, "B-R1-S1-X1", "B-R2-Y")?;
        there.push(t);
        in_box = n;
        back.push(move_contents(state, "B-R2-Y", "B-R1-S1-X1")?.0);
    }
    let viewer = Viewer::Staff(Principal { user_id: 0, name: ACTOR.into(), role: Role::Curator });
    let mut shelf = Vec::new();
    let mut listed = 0;
    for _ in 0..bench.rounds {
        let start = Instant::now();
        listed = state.shelf_list(&viewer, "B-R1-S1", true)?.len();
        shelf.push(start.elapsed());
    }
    let mut room = Vec::new();
    for _ in 0..bench.rounds {
        let start = Instant::now();
        state.shelf_list(&viewer, "B", true)?;
        room.push(start.elapsed());
    }
    Ok(format!(
        "objects placed: {total}, in {boxes} boxes; {rounds} rounds, medians\n\n\
         | what | objects | p50 | max | goal |\n|---|---|---|---|---|\n\
         | placing a box's objects, by number (one transaction) | {per_box} | {} | {} | |\n\
         | moving a whole box to another room (one transaction) | {in_box} | {} | {} | ≤ 1 s |\n\
         | moving it back | {in_box} | {} | {} | ≤ 1 s |\n\
         | shelf list of the shelf, with its boxes | {listed} | {} | {} | ≤ 100 ms |\n\
         | shelf list of the building | {listed} | {} | {} | |\n",
        ms(median(placing.clone())),
        ms(*placing.iter().max().expect("a box")),
        ms(median(there.clone())),
        ms(*there.iter().max().expect("rounds ≥ 1")),
        ms(median(back.clone())),
        ms(*back.iter().max().expect("rounds ≥ 1")),
        ms(median(shelf.clone())),
        ms(*shelf.iter().max().expect("rounds ≥ 1")),
        ms(median(room.clone())),
        ms(*room.iter().max().expect("rounds ≥ 1")),
        rounds = bench.rounds,
    ))
}
