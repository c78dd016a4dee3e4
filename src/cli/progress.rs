//! Progress bars on the terminal, for the catalogue's long use cases.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use crate::catalogue::Progress;

/// A bar of `len` steps labelled `what`.
pub(crate) fn bar(len: u64, what: &str) -> ProgressBar {
    ProgressBar::new(len).with_style(
        ProgressStyle::with_template(&format!(
            "{what} [{{bar:40}}] {{pos}}/{{len}} ({{per_sec}}, {{eta}} left) {{msg}}"
        ))
        .expect("valid template")
        .progress_chars("=> "),
    )
}

/// A spinner labelled `what`, for work of unknown length.
pub(crate) fn spinner(what: &str) -> ProgressBar {
    ProgressBar::new_spinner()
        .with_style(ProgressStyle::with_template("{spinner} {msg}: {pos} ({per_sec})").expect("valid template"))
        .with_message(what.to_string())
}

/// One bar per stage, on standard error; notes are printed on standard output above it.
#[derive(Default)]
pub struct Bars(Mutex<Option<ProgressBar>>);

impl Bars {
    fn with(&self, f: impl FnOnce(&ProgressBar)) {
        if let Some(b) = self.0.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            f(b)
        }
    }
}

impl Progress for Bars {
    fn stage(&self, what: &str, total: u64) {
        let fresh = if total == 0 { spinner(what) } else { bar(total, what) };
        if let Some(old) = self.0.lock().unwrap_or_else(|p| p.into_inner()).replace(fresh) {
            old.finish_and_clear();
        }
    }

    fn advance(&self, steps: u64) {
        self.with(|b| b.inc(steps));
    }

    fn set(&self, done: u64) {
        self.with(|b| b.set_position(done));
    }

    fn note(&self, line: &str) {
        match self.0.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            Some(b) => b.suspend(|| println!("{line}")),
            None => println!("{line}"),
        }
    }

    fn done(&self) {
        if let Some(b) = self.0.lock().unwrap_or_else(|p| p.into_inner()).take() {
            b.finish_and_clear();
        }
    }
}
