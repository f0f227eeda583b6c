//! Benchmark: `order-wide` details/s, Kafka (librdkafka mock cluster, order
//! and detail topics of 8 and 16 partitions) → Redis → the fake Elasticsearch of
//! the tests, with the state store's round trips per batch (constant: the
//! join, the places with the dimension rows, the wait-set cleanup, the
//! offsets). Baseline, in the same run on the same rows: `order-wide` in pipe
//! mode from a file with the embedded store, documents to /dev/null.
//! `RTDW_BENCH_ORDERS` sets the mock orders (default 30 000, ~90 000 details).

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::{Command, Stdio};
use std::time::Instant;

use support::fake_es::FakeEs;
use support::kafka::Broker;
use support::orders::{kafka_to_es, produce_to_topics, routed_day, rows_by_topic};
use support::redis::Redis;
use support::summary_field;

/// `order-wide` in pipe mode on rtdw 0.1's embedded store (redb), 30 000
/// orders, measured with this bench on 2026-11-29 (2 cores).
const REDB_DETAILS_PER_S: f64 = 51_628.0;

fn row(label: &str, details: u64, secs: f64, stderr: &str) {
    let batches = summary_field(stderr, "batches").max(1);
    println!(
        "  {:<44} {:>12.0} {:>10} {:>18.1}",
        label,
        details as f64 / secs,
        batches,
        summary_field(stderr, "state_round_trips") as f64 / batches as f64
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("order_wide: run with `cargo bench --bench order_wide`");
        return;
    }
    let orders: u32 = std::env::var("RTDW_BENCH_ORDERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30_000);
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start();
    let es = FakeEs::start();
    let broker = Broker::mock();
    let routed = routed_day(dir.path(), orders, 3, "file:base.db", None);
    let routed_redis = routed_day(dir.path(), orders, 3, "redis", Some(&redis.url()));
    assert_eq!(routed, routed_redis);
    let (order_rows, detail_rows) = rows_by_topic(&routed);
    println!(
        "order_wide: {} orders, {} details (30 % of orders' details before the order), 2 cores",
        order_rows.len(),
        detail_rows.len()
    );
    println!(
        "  {:<44} {:>12} {:>10} {:>18}",
        "", "details/s", "batches", "round trips/batch"
    );

    let input = dir.path().join("routed.jsonl");
    std::fs::write(&input, &routed).unwrap();
    // The embedded store (SQLite, WAL) against Redis on the same pipe run,
    // and against rtdw 0.1's embedded store (redb, one process at a time):
    // in this run when RTDW_BENCH_REDB_BIN names an rtdw 0.1 binary, else
    // as recorded on a machine of this kind before the change.
    let now_bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_rtdw"));
    let mut runs = vec![
        (
            "baseline: pipe, embedded store, stdout",
            "file:base.db",
            now_bin.clone(),
        ),
        ("pipe, Redis store, stdout", "redis", now_bin),
    ];
    if let Some(old) = std::env::var_os("RTDW_BENCH_REDB_BIN") {
        runs.push((
            "rtdw 0.1: pipe, embedded redb store",
            "file:old.redb",
            old.into(),
        ));
    }
    let mut rates = Vec::new();
    for (label, state, bin) in &runs {
        let start = Instant::now();
        let out = Command::new(bin)
            .current_dir(dir.path())
            .args([
                "--redis",
                &redis.url(),
                "--state",
                state,
                "order-wide",
                "--from",
            ])
            .arg(&input)
            .args(["--to", "-"])
            .stdout(Stdio::null())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        let secs = start.elapsed().as_secs_f64();
        row(label, summary_field(&err, "wide"), secs, &err);
        rates.push(summary_field(&err, "wide") as f64 / secs);
    }
    let (redb, how) = match rates.get(2) {
        Some(r) => (*r, "this run"),
        None => (REDB_DETAILS_PER_S, "recorded"),
    };
    println!(
        "  embedded store (SQLite) / rtdw 0.1 redb ({how}, {redb:.0} details/s): {:.2}×",
        rates[0] / redb
    );

    // The mock keeps at most 5 MB per partition.
    produce_to_topics(dir.path(), &broker, (8, 16), &order_rows, &detail_rows);
    for batch_max in [2_000usize, 20_000] {
        // A fresh join state each run; the dimension rows stay.
        let mut conn = redis.conn();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg("ORDERJOIN:*")
            .query(&mut conn)
            .unwrap();
        for chunk in keys.chunks(1000) {
            let _: () = redis::cmd("DEL").arg(chunk).query(&mut conn).unwrap();
        }
        let group = support::unique("order_wide");
        let start = Instant::now();
        let out = kafka_to_es(dir.path(), &redis.url(), &es.url(), &group, batch_max)
            .output()
            .unwrap();
        let secs = start.elapsed().as_secs_f64();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert_eq!(
            summary_field(&err, "wide") as usize,
            detail_rows.len(),
            "{err}"
        );
        row(
            &format!("Kafka → Redis → fake ES, --batch-max {batch_max}"),
            summary_field(&err, "wide"),
            secs,
            &err,
        );
    }
}
