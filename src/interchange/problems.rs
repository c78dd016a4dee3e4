//! The problems an import finds, kept in the order found: the first [`IN_MEMORY`] in
//! memory, every one after that spilled to a temporary file as a JSON line, so that a
//! register with a million warnings costs disk, not memory.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;

use serde::de::{SeqAccess, Visitor};
use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::register::RowProblem;

/// How many problems stay in memory; the rest are in the spill file.
pub const IN_MEMORY: usize = 1000;

/// Bytes gathered before they are written to the spill file.
const BUFFER: usize = 64 * 1024;

/// A list of problems that spills to disk past its first [`IN_MEMORY`].
#[derive(Debug, Default)]
pub struct Problems {
    head: Vec<RowProblem>,
    spill: Option<Spill>,
    len: usize,
}

#[derive(Debug)]
struct Spill {
    file: File,
    /// Bytes already in the file.
    written: u64,
    /// JSON lines not yet written.
    pending: Vec<u8>,
}

impl Spill {
    fn new() -> std::io::Result<Spill> {
        Ok(Spill { file: tempfile::tempfile()?, written: 0, pending: Vec::with_capacity(BUFFER) })
    }

    fn push(&mut self, p: &RowProblem) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.pending, p)?;
        self.pending.push(b'\n');
        if self.pending.len() >= BUFFER {
            self.file.write_all_at(&self.pending, self.written)?;
            self.written += self.pending.len() as u64;
            self.pending.clear();
        }
        Ok(())
    }

    /// Everything spilled, from the start: the file's bytes, then those not yet written.
    fn reader(&self) -> impl BufRead + '_ {
        let file = FileAt { file: &self.file, at: 0, end: self.written };
        BufReader::with_capacity(BUFFER, file.chain(self.pending.as_slice()))
    }
}

/// A file read from `at` up to `end` with positioned reads (the file is shared).
struct FileAt<'a> {
    file: &'a File,
    at: u64,
    end: u64,
}

impl Read for FileAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = usize::try_from(self.end - self.at).unwrap_or(usize::MAX);
        let want = buf.len().min(left);
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }

    /// Adds one problem. Past the first [`IN_MEMORY`] it goes to the spill file; if that
    /// cannot be written (a full disk), it is kept in memory rather than lost.
    pub fn push(&mut self, p: RowProblem) {
        self.len += 1;
        if self.head.len() < IN_MEMORY {
            self.head.push(p);
            return;
        }
        if self.spill.is_none() {
            match Spill::new() {
                Ok(s) => self.spill = Some(s),
                Err(e) => tracing::warn!(error = %e, "the import's problems cannot spill to disk; kept in memory"),
            }
        }
        match self.spill.as_mut().map(|s| s.push(&p)) {
            Some(Ok(())) => {}
            Some(Err(e)) => {
                tracing::warn!(error = %e, "an import problem could not be spilled to disk; kept in memory");
                self.head.push(p);
            }
            None => self.head.push(p),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first problems, those kept in memory (at least the first [`IN_MEMORY`]).
    pub fn first(&self) -> &[RowProblem] {
        &self.head
    }

    /// Every problem, in the order added. A spill file that cannot be read back ends the
    /// iteration with that error.
    pub fn iter(&self) -> impl Iterator<Item = std::io::Result<RowProblem>> + '_ {
        let head = self.head.iter().cloned().map(Ok);
        let spilled = self
            .spill
            .iter()
            .flat_map(|s| s.reader().lines().map(|line| Ok(serde_json::from_str::<RowProblem>(&line?)?)));
        head.chain(spilled)
    }

    /// Only the first `n` problems (those in memory, when `n` ≤ [`IN_MEMORY`]).
    pub fn truncate(&mut self, n: usize) {
        if n <= self.head.len() {
            self.head.truncate(n);
            self.spill = None;
            self.len = n;
        }
    }

    /// Both lists as one, by row: each is in row order as found, and so is the result.
    pub fn merged(a: Problems, b: Problems) -> std::io::Result<Problems> {
        if b.is_empty() {
            return Ok(a);
        }
        if a.is_empty() {
            return Ok(b);
        }
        let mut out = Problems::new();
        let (mut a_it, mut b_it) = (a.iter().peekable(), b.iter().peekable());
        loop {
            let take_a = match (a_it.peek(), b_it.peek()) {
                (None, None) => break,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(Ok(x)), Some(Ok(y))) => x.row <= y.row,
                (Some(Err(_)), _) => true,
                (_, Some(Err(_))) => false,
            };
            let next = if take_a { a_it.next() } else { b_it.next() };
            out.push(next.expect("peeked")?);
        }
        Ok(out)
    }
}

impl From<Vec<RowProblem>> for Problems {
    fn from(list: Vec<RowProblem>) -> Problems {
        let mut out = Problems::new();
        out.extend(list);
        out
    }
}

impl Extend<RowProblem> for Problems {
    fn extend<I: IntoIterator<Item = RowProblem>>(&mut self, iter: I) {
        for p in iter {
            self.push(p);
        }
    }
}

impl Clone for Problems {
    /// A copy with a spill file of its own. Problems the original cannot read back are
    /// left out of the copy (and logged).
    fn clone(&self) -> Problems {
        let mut out = Problems::new();
        for p in self.iter() {
            match p {
                Ok(p) => out.push(p),
                Err(e) => {
                    tracing::warn!(error = %e, "an import's spilled problems could not be read back");
                    break;
                }
            }
        }
        out
    }
}

impl PartialEq for Problems {
    fn eq(&self, other: &Problems) -> bool {
        self.len == other.len && self.iter().zip(other.iter()).all(|(a, b)| matches!((a, b), (Ok(a), Ok(b)) if a == b))
    }
}

impl Serialize for Problems {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for p in self.iter() {
            seq.serialize_element(&p.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Problems {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Problems, D::Error> {
        struct Each;
        impl<'de> Visitor<'de> for Each {
            type Value = Problems;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of row problems")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Problems, A::Error> {
                let mut out = Problems::new();
                while let Some(p) = seq.next_element()? {
                    out.push(p);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_seq(Each)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(row: u64) -> RowProblem {
        RowProblem { row, column: "尺寸".into(), value: format!("高{row}"), problem: "kept as written".into() }
    }

    #[test]
    fn past_the_first_thousand_problems_spill_to_disk_and_come_back_in_order() {
        let n = IN_MEMORY * 3 + 17;
        let mut list = Problems::new();
        list.extend((1..=n as u64).map(p));
        assert_eq!((list.len(), list.first().len()), (n, IN_MEMORY));
        assert!(list.spill.as_ref().is_some_and(|s| s.written > 0), "some went to the file, some are pending");
        let back: Vec<RowProblem> = list.iter().map(Result::unwrap).collect();
        assert_eq!(back, (1..=n as u64).map(p).collect::<Vec<_>>());

        let json = serde_json::to_string(&list).unwrap();
        let again: Problems = serde_json::from_str(&json).unwrap();
        assert!(again == list && again.clone() == list);

        list.truncate(5);
        assert_eq!((list.len(), list.iter().count()), (5, 5));
    }

    #[test]
    fn two_lists_merge_by_row() {
        let a: Problems = (1..=2500).step_by(2).map(p).collect::<Vec<_>>().into();
        let b: Problems = (2..=2500).step_by(2).map(p).collect::<Vec<_>>().into();
        let m = Problems::merged(a, b).unwrap();
        let rows: Vec<u64> = m.iter().map(|p| p.unwrap().row).collect();
        assert_eq!(rows, (1..=2500).collect::<Vec<_>>());
        let only = Problems::merged(Problems::new(), vec![p(4)].into()).unwrap();
        assert_eq!(only.len(), 1);
    }
}
