//! Benchmark: pipe-mode `split-log` throughput and peak memory.
//!
//! Prints lines/s for `rtdw split-log --from FILE --to DIR/` on generated days
//! (1 M and 4 M lines by default; `RTDW_BENCH_SIZES=1000000,4000000`), next to
//! a baseline measured in the same run on the same file: reading every line
//! and parsing it into a `serde_json::Value`, then discarding it (one core).
//! Peak RSS of the rtdw process is printed per size: it must stay flat.

use std::io::BufRead;
use std::process::Command;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_rtdw");

fn generate(dir: &std::path::Path, lines: u64) -> std::path::PathBuf {
    let path = dir.join(format!("day-{lines}.jsonl"));
    let status = Command::new(BIN)
        .args([
            "-q",
            "mock",
            "logs",
            "--devices",
            "200000",
            "--users",
            "100000",
            "--date",
            "2026-11-22",
        ])
        .args([
            "--dirty-ratio",
            "0.001",
            "--lines",
            &lines.to_string(),
            "--to",
        ])
        .arg(&path)
        .status()
        .expect("rtdw mock");
    assert!(status.success());
    // Let the file's write-back finish now rather than during the measurements.
    unsafe { libc::sync() };
    path
}

/// Baseline: parse every line into a `Value` and drop it.
fn baseline(path: &std::path::Path) -> (u64, f64) {
    let start = Instant::now();
    let f = std::io::BufReader::with_capacity(256 * 1024, std::fs::File::open(path).unwrap());
    let mut n = 0u64;
    for line in f.split(b'\n') {
        let line = line.unwrap();
        let v: Result<serde_json::Value, _> = serde_json::from_slice(&line);
        std::hint::black_box(&v);
        n += 1;
    }
    (n, start.elapsed().as_secs_f64())
}

/// Runs split-log; returns (seconds, peak RSS in MiB) of that process alone,
/// from its own `VmHWM` (sampled until it exits: the last sample is the peak).
/// `out` = None writes envelopes to stdout, sent to /dev/null.
fn split_log(path: &std::path::Path, out: Option<&std::path::Path>) -> (f64, f64) {
    let start = Instant::now();
    let mut cmd = Command::new(BIN);
    cmd.args(["-q", "split-log", "--from"])
        .arg(path)
        .arg("--to");
    match out {
        Some(dir) => cmd.arg(format!("{}/", dir.display())),
        None => cmd.arg("-").stdout(std::process::Stdio::null()),
    };
    let mut child = cmd.spawn().expect("rtdw split-log");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0u64;
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let secs = start.elapsed().as_secs_f64();
    assert!(status.success(), "split-log failed");
    (secs, peak_kib as f64 / 1024.0)
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep it quick then.
    if !std::env::args().any(|a| a == "--bench") {
        println!("split_log_pipe: run with `cargo bench --bench split_log_pipe`");
        return;
    }
    let sizes: Vec<u64> = std::env::var("RTDW_BENCH_SIZES")
        .unwrap_or_else(|_| "1000000,4000000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("RTDW_BENCH_SIZES: numbers"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    println!(
        "cores: {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    for lines in sizes {
        let path = generate(dir.path(), lines);
        let bytes = std::fs::metadata(&path).unwrap().len();
        // Warm the page cache so both sides read from memory.
        let _ = std::fs::read(&path).map(|b| std::hint::black_box(b.len()));
        let (n, base_secs) = baseline(&path);
        let base_rate = n as f64 / base_secs;
        println!(
            "{n} lines, {:.0} bytes/line; baseline serde_json::Value parse (1 core): {base_rate:.0} lines/s",
            bytes as f64 / n as f64
        );
        let out = dir.path().join("out");
        for (label, target) in [
            ("--to DIR/", Some(out.as_path())),
            ("--to - >/dev/null", None),
        ] {
            let (secs, rss) = split_log(&path, target);
            std::fs::remove_dir_all(&out).ok();
            unsafe { libc::sync() };
            let rate = n as f64 / secs;
            println!(
                "  split-log {label:<18} {secs:6.2}s = {rate:8.0} lines/s ({:.2}x baseline), peak RSS {rss:.0} MiB",
                rate / base_rate
            );
        }
        std::fs::remove_file(&path).ok();
    }
}
