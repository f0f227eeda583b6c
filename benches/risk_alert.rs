//! Benchmark: `risk-alert` events/s and peak RSS over a generated day with
//! coupon bots (`rtdw mock logs --bot-ratio`, split by `split-log --to -`), read
//! bounded (every event held, evaluated in event-time order at the end) and
//! `--streaming` (arrival order; state kept for the last window only).
//! Baseline, same run, same files: parsing every line into a
//! `serde_json::Value` on one core. `RTDW_BENCH_DEVICES` (default 100 000)
//! and `RTDW_BENCH_LINES` (default 2 000 000 ODS lines) size the day; the
//! input is split-log's envelopes, in the day's order.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::{Command, Stdio};

use support::{parse_baseline, run_measured, summary_field};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("risk_alert: run with `cargo bench --bench risk_alert`");
        return;
    }
    let (devices, lines) = (
        env_or("RTDW_BENCH_DEVICES", 100_000),
        env_or("RTDW_BENCH_LINES", 2_000_000),
    );
    let dir = tempfile::tempdir().unwrap();
    let day = dir.path().join("day.jsonl");
    let bin = env!("CARGO_BIN_EXE_rtdw");
    let status = Command::new(bin)
        .current_dir(dir.path())
        .args(["-q", "mock", "logs", "--devices", &devices.to_string()])
        .args([
            "--users",
            "50000",
            "--date",
            "2026-11-22",
            "--bot-ratio",
            "0.01",
        ])
        .args(["--lines", &lines.to_string(), "--to"])
        .arg(&day)
        .status()
        .unwrap();
    assert!(status.success());
    // split-log's envelopes keep the day's order: a page view and its
    // actions together, devices interleaved as they happened.
    let split = dir.path().join("split.jsonl");
    let status = Command::new(bin)
        .current_dir(dir.path())
        .args(["-q", "--state", "file:split.db", "split-log", "--from"])
        .arg(&day)
        .args(["--to", "-"])
        .stdout(std::fs::File::create(&split).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let paths = [split.as_path()];
    let (n, secs) = parse_baseline(&paths);
    println!(
        "risk_alert: {devices} devices, {lines} ODS lines → {n} DWD records (split-log envelopes), 2 cores"
    );
    println!(
        "  {:<44} {:>12} {:>10} {:>8} {:>6} {:>9}",
        "", "records/s", "peak RSS", "alerts", "late", "devices"
    );
    println!(
        "  {:<44} {:>12.0} {:>10} {:>8} {:>6} {:>9}",
        "baseline: serde_json::Value parse (1 core)",
        n as f64 / secs,
        "-",
        "-",
        "-",
        "-"
    );
    for (label, streaming) in [
        ("bounded (files, event-time order)", false),
        ("--streaming (arrival order)", true),
    ] {
        let mut cmd = Command::new(bin);
        cmd.current_dir(dir.path())
            .args(["--state", "file:s.db", "risk-alert", "--from"])
            .arg(&split)
            .args(["--to", "-"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if streaming {
            cmd.arg("--streaming");
        }
        let log = dir.path().join(format!("{streaming}.log"));
        cmd.stderr(std::fs::File::create(&log).unwrap());
        let (status, secs, rss) = run_measured(&mut cmd);
        let err = std::fs::read_to_string(&log).unwrap();
        assert!(status.success(), "{err}");
        println!(
            "  {:<44} {:>12.0} {:>7.0} MiB {:>8} {:>6} {:>9}",
            label,
            (summary_field(&err, "read") + summary_field(&err, "skipped")) as f64 / secs,
            rss,
            summary_field(&err, "alerts"),
            summary_field(&err, "late"),
            summary_field(&err, "devices")
        );
    }
}
