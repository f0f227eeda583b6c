//! Records as real connectors and log clients write them (SPEC §3.3), each
//! case a folder under `tests/fixtures/real/` named after what it pins:
//! - `cmd`: the shell commands run in a copy of the folder (`rtdw` is this
//!   build; the default embedded state, so the commands share it);
//! - `expected.jsonl`: the last command's stdout, compared as JSON values
//!   line by line (so key order does not matter, number text does);
//! - `stderr` (optional): lines the run's stderr must contain (counters);
//! - every other file is input.
//!
//! `RTDW_BLESS=1` writes `expected.jsonl` from the run (review it!).

mod support;

use std::path::Path;

use serde_json::Value;
use support::pipe;

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

fn values(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Runs one case; returns why it failed.
fn run_case(case: &Path) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(case, dir.path());
    let script = std::fs::read_to_string(case.join("cmd")).unwrap();
    let (out, statuses) = pipe(dir.path(), &format!("set -e\n{script}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || statuses.iter().any(|s| *s != 0) {
        return Err(format!(
            "{name}: a command failed ({statuses:?}):\n{stderr}"
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let expected_path = case.join("expected.jsonl");
    if std::env::var_os("RTDW_BLESS").is_some() {
        std::fs::write(&expected_path, stdout.as_bytes()).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if values(&stdout) != values(&expected) {
        return Err(format!(
            "{name}: output differs\n--- expected\n{expected}--- got\n{stdout}--- stderr\n{stderr}"
        ));
    }
    if let Ok(wanted) = std::fs::read_to_string(case.join("stderr")) {
        for line in wanted.lines().filter(|l| !l.is_empty()) {
            if !stderr.contains(line) {
                return Err(format!("{name}: stderr lacks `{line}`:\n{stderr}"));
            }
        }
    }
    Ok(())
}

#[test]
fn every_real_world_case_gives_the_right_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "{cases:?}");
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
