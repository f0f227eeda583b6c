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

    let base_dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_rtdw"))
        .current_dir(base_dir.path())
        .args(["--state", "file:s.redb", "dau", "--from"])
        .arg(&file)
        .args(["--to", "-"])
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    let secs = start.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&out.stderr);
    let batches = summary_field(&err, "batches").max(1);
    println!(
        "  {:<44} {:>12.0} {:>10} {:>16.1}",
        "baseline: pipe, embedded store, stdout",
        pages.len() as f64 / secs,
        batches,
        summary_field(&err, "state_round_trips") as f64 / batches as f64
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
