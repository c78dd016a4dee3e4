//! The browser tests in `tests/browser/` (Playwright driving Debian's chromium,
//! with axe-core), run against this build's `catalogue` binary.

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "needs chromium and the npm packages of tests/browser; .ci/run installs them"]
fn the_public_site_works_in_a_real_browser() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").exists(),
        "run `npm ci --prefix tests/browser` first (and install Debian's chromium)"
    );
    let out =
        Command::new("node").arg(dir.join("run.mjs")).arg(env!("CARGO_BIN_EXE_catalogue")).output().expect("node");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{said}");
    assert!(out.status.success(), "browser tests failed:\n{said}");
}
