//! An import's report as a table a curator can act on: every warning and error with its
//! row, column, value, what is wrong and what was done about it, as CSV that opens in
//! Excel (UTF-8 with a byte-order mark).

use std::io::Write;

use super::import::ImportReport;
use crate::model::register::RowProblem;

/// A report as the import log keeps it: JSON, gzip-compressed, written to `out` as it is
/// made (a report of a million warnings is never one string in memory).
pub fn pack(report: &ImportReport, out: impl Write) -> std::io::Result<()> {
    let mut gz = flate2::write::GzEncoder::new(std::io::BufWriter::new(out), flate2::Compression::fast());
    serde_json::to_writer(&mut gz, report)?;
    gz.finish()?.flush()
}

/// A report packed into a temporary file, read from its start, and its length.
pub fn pack_to_file(report: &ImportReport) -> std::io::Result<(std::fs::File, u64)> {
    use std::io::Seek;
    let mut file = tempfile::tempfile()?;
    pack(report, &mut file)?;
    let len = file.stream_position()?;
    file.rewind()?;
    Ok((file, len))
}

/// A report as the import log kept it (its problems past the first thousand go to disk
/// again as they are read).
pub fn unpack(packed: impl std::io::Read) -> std::io::Result<ImportReport> {
    let json = std::io::BufReader::new(flate2::read::GzDecoder::new(packed));
    Ok(serde_json::from_reader(json)?)
}

/// At most this many errors and as many warnings go in an answer or on a page; the
/// rest are in the downloadable report.
pub const SHOWN: usize = 1000;

impl ImportReport {
    /// The report as an answer shows it: the first [`SHOWN`] errors and warnings, with
    /// the totals of each.
    pub fn shortened(mut self) -> ImportReport {
        self.errors_total = self.errors.len() as u64;
        self.warnings_total = self.warnings.len() as u64;
        self.errors.truncate(SHOWN);
        self.warnings.truncate(SHOWN);
        self
    }
}

const _: () = assert!(SHOWN <= super::problems::IN_MEMORY, "what an answer shows is never read back from disk");

/// What the import did about one problem.
pub fn outcome(report: &ImportReport, error: bool, p: &RowProblem) -> &'static str {
    if !report.errors.is_empty() {
        return if error { "refused: nothing imported from this file" } else { "not imported: the file was refused" };
    }
    let done = if p.problem.contains("left out") {
        "left out"
    } else if p.problem.contains("recorded as [") {
        "placeholder"
    } else if p.problem.contains("repaired") {
        "repaired"
    } else {
        "kept as written"
    };
    match (report.dry_run, done) {
        (true, "left out") => "would be left out (check only)",
        (true, "placeholder") => "would get a placeholder (check only)",
        (true, "repaired") => "would be repaired (check only)",
        (true, _) => "would be kept as written (check only)",
        (false, done) => done,
    }
}

/// Writes the reports of the files named, as CSV with a byte-order mark: file, row,
/// column, value, severity, problem, outcome.
pub fn write_csv(out: impl Write, files: &[(&str, &ImportReport)]) -> std::io::Result<()> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["file", "row", "column", "value", "severity", "problem", "outcome"])?;
    for (file, report) in files {
        for (error, list) in [(true, &report.errors), (false, &report.warnings)] {
            for p in list.iter() {
                let p = &p?;
                let row = if p.row == 0 { String::new() } else { p.row.to_string() };
                let severity = if error { "error" } else { "warning" };
                w.write_record([
                    file,
                    row.as_str(),
                    &p.column,
                    &p.value,
                    severity,
                    &p.problem,
                    outcome(report, error, p),
                ])?;
            }
        }
    }
    w.flush()?;
    Ok(())
}

/// One report as CSV in a temporary file, read from its start.
pub fn csv_file(file: &str, report: &ImportReport) -> std::io::Result<std::fs::File> {
    use std::io::Seek;
    let mut out = tempfile::tempfile()?;
    write_csv(std::io::BufWriter::new(&mut out), &[(file, report)])?;
    out.rewind()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(problem: &str) -> RowProblem {
        RowProblem { row: 3, column: "尺寸".into(), value: "高(不定)".into(), problem: problem.into() }
    }

    #[test]
    fn a_packed_report_unpacks_the_same_and_a_shortened_one_keeps_its_totals() {
        let report =
            ImportReport { warnings: vec![p("kept as written"); SHOWN + 5].into(), valid: 7, ..Default::default() };
        let mut packed = Vec::new();
        pack(&report, &mut packed).unwrap();
        assert!(packed.len() < 2_000, "compressed: {} bytes", packed.len());
        let back = unpack(packed.as_slice()).unwrap();
        assert!(back.valid == 7 && back.warnings == report.warnings);
        let short = report.clone().shortened();
        assert_eq!((short.warnings.len(), short.warnings_total, short.errors_total), (SHOWN, SHOWN as u64 + 5, 0));
        assert!(unpack(b"not gzip".as_slice()).is_err());
        let (mut file, len) = pack_to_file(&report).unwrap();
        assert_eq!(len, packed.len() as u64);
        assert!(unpack(&mut file).unwrap().warnings == report.warnings);
    }

    #[test]
    fn each_problem_says_what_was_done_and_the_csv_opens_in_excel() {
        let mut report = ImportReport {
            warnings: vec![
                p("no measurement could be read; kept as written"),
                p("no title; recorded as [无题]"),
                p("held Windows-1252 punctuation read as control characters; repaired (as shown)"),
                p("cannot be an accession number; row left out"),
            ]
            .into(),
            ..Default::default()
        };
        let done: Vec<_> = report.warnings.first().iter().map(|w| outcome(&report, false, w)).collect();
        assert_eq!(done, ["kept as written", "placeholder", "repaired", "left out"]);
        report.dry_run = true;
        assert_eq!(outcome(&report, false, &report.warnings.first()[1]), "would get a placeholder (check only)");
        report.errors.push(p("appears in row 2 too"));
        assert_eq!(outcome(&report, true, &report.errors.first()[0]), "refused: nothing imported from this file");
        assert_eq!(outcome(&report, false, &report.warnings.first()[0]), "not imported: the file was refused");

        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut csv_file("登记表.csv", &report).unwrap(), &mut bytes).unwrap();
        assert!(bytes.starts_with("\u{feff}file,row,column,value,severity,problem,outcome\n".as_bytes()));
        let text = String::from_utf8(bytes).unwrap();
        let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows.len(), 5);
        assert_eq!(&rows[0][0], "登记表.csv");
        assert_eq!((&rows[0][4], &rows[0][3]), ("error", "高(不定)"), "errors first, the value as written");
    }
}
