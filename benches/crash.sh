#!/bin/sh
# Crash safety at full size: the crash tests with a 100 000-record import
# killed midway (CI runs them with 20 000). Usage: benches/crash.sh [records]
set -eu
cd "$(dirname "$0")/.."
CRASH_RECORDS="${1:-100000}" cargo test --release --test it crash:: -- --test-threads 1 --nocapture
