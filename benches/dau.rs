//! Benchmark: `dau` page logs/s, Kafka (librdkafka mock cluster) → Redis →
//! the fake Elasticsearch of the tests, with the state store's round trips
//! per batch (they must not grow with the batch: one pipeline per step).
//! Baseline, measured in the same run on the same page logs: `dau` in pipe
//! mode from a file with the embedded store, writing documents to /dev/null.
//! `RTDW_BENCH_LINES` sets the mock log lines (default 200 000).

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::{Command, Stdio};
use std::time::Instant;

use support::dau::{page_logs, DauRig};
use support::summary_field;

/// `dau` in pipe mode on rtdw 0.1's embedded store (redb), 172 000 page
/// logs, measured with this bench on 2026-11-29 (2 cores).
const REDB_PAGES_PER_S: f64 = 220_294.0;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("dau: run with `cargo bench --bench dau`");
        return;
    }
    let lines: u32 = std::env::var("RTDW_BENCH_LINES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let rig = DauRig::new();
    let (pages, mids) = page_logs(rig.path(), 100_000, lines);
    let file = rig.path().join("pages.jsonl");
    std::fs::write(&file, pages.join("\n") + "\n").unwrap();
    println!(
        "dau: {} page logs ({} devices with a visit), 2 cores",
        pages.len(),
        mids.len()
    );
    println!(
        "  {:<44} {:>12} {:>10} {:>16}",
        "", "page logs/s", "batches", "round trips/batch"
    );

    // The embedded store (SQLite, WAL) against Redis on the same pipe run,
    // at the default batch size and at small batches (a commit each), and
    // against rtdw 0.1's embedded store (redb, one process at a time): in
    // this run when RTDW_BENCH_REDB_BIN names an rtdw 0.1 binary, else as
    // recorded on a machine of this kind before the change.
    let now_bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_rtdw"));
    let mut runs = vec![
        (
            "baseline: pipe, embedded store, stdout",
            "file:s.db",
            "20000",
            now_bin.clone(),
        ),
        (
            "pipe, Redis store, stdout",
            "redis",
            "20000",
            now_bin.clone(),
        ),
        (
            "pipe, embedded store, --batch-max 500",
            "file:s.db",
            "500",
            now_bin.clone(),
        ),
        (
            "pipe, Redis store, --batch-max 500",
            "redis",
            "500",
            now_bin,
        ),
    ];
    if let Some(old) = std::env::var_os("RTDW_BENCH_REDB_BIN") {
        let old = std::path::PathBuf::from(old);
        runs.push((
            "rtdw 0.1: pipe, embedded redb store",
            "file:s.redb",
            "20000",
            old.clone(),
        ));
        runs.push((
            "rtdw 0.1: redb store, --batch-max 500",
            "file:s.redb",
            "500",
            old,
        ));
    }
    let mut rates = Vec::new();
    for (label, state, batch_max, bin) in &runs {
        let base_dir = tempfile::tempdir().unwrap();
        let _: () = redis::cmd("FLUSHALL").query(&mut rig.redis.conn()).unwrap();
        let start = Instant::now();
        let out = Command::new(bin)
            .current_dir(base_dir.path())
            .args([
                "--redis",
                &rig.redis.url(),
                "--state",
                state,
                "dau",
                "--from",
            ])
            .arg(&file)
            .args(["--to", "-", "--batch-max", batch_max])
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success());
        let secs = start.elapsed().as_secs_f64();
        let err = String::from_utf8_lossy(&out.stderr);
        let batches = summary_field(&err, "batches").max(1);
        println!(
            "  {:<44} {:>12.0} {:>10} {:>16.1}",
            label,
            pages.len() as f64 / secs,
            batches,
            summary_field(&err, "state_round_trips") as f64 / batches as f64
        );
        rates.push(pages.len() as f64 / secs);
    }
    let (redb, how) = match rates.get(4) {
        Some(r) => (*r, "this run"),
        None => (REDB_PAGES_PER_S, "recorded"),
    };
    println!(
        "  embedded store (SQLite) / rtdw 0.1 redb ({how}, {redb:.0} page logs/s): {:.2}×",
        rates[0] / redb
    );

    rig.broker.produce_lines(&rig.input, &pages);
    for batch_max in [2_000usize, 20_000] {
        let group = format!("{}-{batch_max}", rig.group);
        let _: () = redis::cmd("FLUSHALL").query(&mut rig.redis.conn()).unwrap();
        let start = Instant::now();
        let out = rig.dau_cmd(&group, "redis", batch_max).output().unwrap();
        let secs = start.elapsed().as_secs_f64();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        let batches = summary_field(&err, "batches").max(1);
        println!(
            "  {:<44} {:>12.0} {:>10} {:>16.1}",
            format!("Kafka → Redis → fake ES, --batch-max {batch_max}"),
            summary_field(&err, "read") as f64 / secs,
            batches,
            summary_field(&err, "state_round_trips") as f64 / batches as f64
        );
    }
}
