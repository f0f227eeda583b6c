//! Benchmark: pipe-mode throughput and peak memory of `split-log` and `route-db`.
//!
//! Prints lines/s for `rtdw split-log|route-db --from FILE --to DIR/` (and
//! `--to -`) on generated input (`mock logs`: 1 M and 4 M lines by default,
//! `RTDW_BENCH_SIZES=1000000,4000000`; `mock db`: about 1 M records,
//! `RTDW_BENCH_DB_ORDERS=200000`), next to a baseline measured in the same run
//! on the same file: reading every line and parsing it into a
//! `serde_json::Value`, then discarding it (one core). Peak RSS of the rtdw
//! process is printed per run: it must stay flat. `RTDW_BENCH_TOOLS` picks tools.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_rtdw");

/// Writes `rtdw -q ARGS --to PATH` output to `dir/name`.
fn generate(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new(BIN)
        .arg("-q")
        .args(args)
        .arg("--to")
        .arg(&path)
        .status()
        .expect("rtdw mock");
    assert!(status.success());
    // Let the file's write-back finish now rather than during the measurements.
    unsafe { libc::sync() };
    path
}

/// Runs `rtdw -q TOOL --from PATH --to OUT` in `cwd`; returns (seconds, peak
/// RSS in MiB) of that process alone. `out` = None writes envelopes to
/// stdout, sent to /dev/null.
fn run_tool(tool: &str, cwd: &Path, path: &Path, out: Option<&Path>) -> (f64, f64) {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd)
        .args(["-q", tool, "--from"])
        .arg(path)
        .arg("--to");
    match out {
        Some(dir) => cmd.arg(format!("{}/", dir.display())),
        None => cmd.arg("-").stdout(std::process::Stdio::null()),
    };
    let (status, secs, rss) = support::run_measured(&mut cmd);
    assert!(status.success(), "{tool} failed");
    (secs, rss)
}

/// Measures `tool` over `path` against the baseline, both outputs.
fn measure(tool: &str, cwd: &Path, path: &Path, unit: &str) {
    let bytes = std::fs::metadata(path).unwrap().len();
    // Warm the page cache so both sides read from memory.
    let _ = std::fs::read(path).map(|b| std::hint::black_box(b.len()));
    let (n, base_secs) = support::parse_baseline(&[path]);
    let base_rate = n as f64 / base_secs;
    println!(
        "{tool}: {n} {unit}, {:.0} bytes each; baseline serde_json::Value parse (1 core): {base_rate:.0} {unit}/s",
        bytes as f64 / n as f64
    );
    let out = cwd.join("out");
    for (label, target) in [
        ("--to DIR/", Some(out.as_path())),
        ("--to - >/dev/null", None),
    ] {
        let (secs, rss) = run_tool(tool, cwd, path, target);
        std::fs::remove_dir_all(&out).ok();
        unsafe { libc::sync() };
        let rate = n as f64 / secs;
        println!(
            "  {tool} {label:<18} {secs:6.2}s = {rate:8.0} {unit}/s ({:.2}x baseline), peak RSS {rss:.0} MiB",
            rate / base_rate
        );
    }
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep it quick then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("pipe_tools: run with `cargo bench --bench pipe_tools`");
        return;
    }
    let tools = std::env::var("RTDW_BENCH_TOOLS").unwrap_or_else(|_| "split-log,route-db".into());
    let dir = tempfile::tempdir().unwrap();
    println!(
        "cores: {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    if tools.split(',').any(|t| t == "split-log") {
        let sizes: Vec<u64> = std::env::var("RTDW_BENCH_SIZES")
            .unwrap_or_else(|_| "1000000,4000000".into())
            .split(',')
            .map(|s| s.trim().parse().expect("RTDW_BENCH_SIZES: numbers"))
            .collect();
        for lines in sizes {
            let lines = lines.to_string();
            let path = generate(
                dir.path(),
                &format!("day-{lines}.jsonl"),
                &[
                    "mock",
                    "logs",
                    "--devices",
                    "200000",
                    "--users",
                    "100000",
                    "--date",
                    "2026-11-22",
                    "--dirty-ratio",
                    "0.001",
                    "--lines",
                    &lines,
                ],
            );
            measure("split-log", dir.path(), &path, "lines");
            std::fs::remove_file(&path).ok();
        }
    }
    if tools.split(',').any(|t| t == "route-db") {
        let orders = std::env::var("RTDW_BENCH_DB_ORDERS").unwrap_or_else(|_| "200000".into());
        let path = generate(
            dir.path(),
            "db.jsonl",
            &[
                "mock",
                "db",
                "--orders",
                &orders,
                "--users",
                "50000",
                "--date",
                "2026-11-22",
                "--dirty-ratio",
                "0.001",
            ],
        );
        // Facts and dimensions as in the seeds; the embedded store in `dir`.
        support::add_gmall_tables(dir.path(), &dir.path().join(".rtdw/state"), true);
        measure("route-db", dir.path(), &path, "records");
    }
}
