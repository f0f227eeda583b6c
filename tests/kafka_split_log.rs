//! split-log Kafka → Kafka, as a subprocess against a real Kafka-protocol
//! broker: librdkafka's mock cluster (hosted here) and tansu.

mod support;

use support::kafka::Broker;
use support::oracle::expected_counts;
use support::redis::Redis;
use support::split_log::{
    assert_offsets_at_end, kafka_args, split_log_args, stored_total, wait_for_stored, Topics,
};
use support::{mock_day, read_lines, rtdw, run_ok, unique};

const PARTITIONS: i32 = 4;

fn kafka_to_kafka_accounts_for_every_record(broker: Broker) {
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start();
    let t = Topics::new(dir.path(), &broker, PARTITIONS);
    let lines = read_lines(&mock_day(dir.path(), "day.jsonl", 3000, 0.02));
    broker.produce_lines(&t.input, &lines);

    run_ok(
        rtdw(dir.path())
            .args(split_log_args(&t, &redis.url()))
            .args(["--once", "--batch-max", "500"]),
    );

    assert_eq!(t.counts(&broker), expected_counts(&lines));
    assert_offsets_at_end(&broker, &redis, &t);
    // Every flattened record is keyed by its mid.
    for (k, v) in broker.read_all_plain(&t.outputs["DWD_PAGE_LOG"], 2) {
        let v: serde_json::Value = serde_json::from_str(&v).unwrap();
        assert_eq!(Some(v["mid"].as_str().unwrap().to_string()), k);
    }
    // Dirty records name their Kafka position.
    for (_, v) in broker.read_all_plain(&t.outputs["DWD_DIRTY_LOG"], 2) {
        let v: serde_json::Value = serde_json::from_str(&v).unwrap();
        let src = v["source"].as_str().unwrap();
        assert!(
            src.starts_with(&format!("{}/", t.input)) && src.split('/').count() == 3,
            "{src}"
        );
    }
    // A second --once run finds nothing new and changes nothing.
    run_ok(
        rtdw(dir.path())
            .args(split_log_args(&t, &redis.url()))
            .arg("--once"),
    );
    assert_eq!(t.counts(&broker), expected_counts(&lines));
}

fn sigterm_mid_run_then_restart_loses_nothing(broker: Broker) {
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start();
    let t = Topics::new(dir.path(), &broker, PARTITIONS);
    let lines = read_lines(&mock_day(dir.path(), "day.jsonl", 20_000, 0.01));
    broker.produce_lines(&t.input, &lines);

    let child = rtdw(dir.path())
        .args(split_log_args(&t, &redis.url()))
        .args(["--batch-max", "200", "--batch-ms", "50"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until some batches are stored, then ask it to stop.
    wait_for_stored(&redis, &t, 1000, "split-log made no progress");
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "SIGTERM ends with exit 0: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stored = stored_total(&redis, &t);
    assert!(
        stored < lines.len() as i64,
        "stopped mid-run (stored {stored})"
    );

    run_ok(
        rtdw(dir.path())
            .args(split_log_args(&t, &redis.url()))
            .arg("--once"),
    );
    // A graceful stop commits its last batch: no loss and no duplicates.
    assert_eq!(t.counts(&broker), expected_counts(&lines));
    assert_offsets_at_end(&broker, &redis, &t);
}

#[test]
fn apache_kafka_to_kafka_accounts_for_every_record() {
    kafka_to_kafka_accounts_for_every_record(Broker::apache());
}

#[test]
fn apache_kafka_sigterm_mid_run_then_restart_loses_nothing() {
    sigterm_mid_run_then_restart_loses_nothing(Broker::apache());
}

#[test]
fn kafka_group_commits_work_as_an_offset_store() {
    let broker = Broker::apache();
    let dir = tempfile::tempdir().unwrap();
    let t = Topics::new(dir.path(), &broker, PARTITIONS);
    let lines = read_lines(&mock_day(dir.path(), "day.jsonl", 1000, 0.0));
    broker.produce_lines(&t.input, &lines);
    let mut args = kafka_args(&t);
    args.extend(["--offsets", "kafka", "--once"]);
    run_ok(rtdw(dir.path()).args(&args));
    run_ok(rtdw(dir.path()).args(&args));
    assert_eq!(
        t.counts(&broker),
        expected_counts(&lines),
        "the second run resumed from the committed offsets"
    );
}

#[test]
fn embedded_file_offsets_resume_without_any_server_but_kafka() {
    let broker = Broker::apache();
    let dir = tempfile::tempdir().unwrap();
    let t = Topics::new(dir.path(), &broker, PARTITIONS);
    let lines = read_lines(&mock_day(dir.path(), "day.jsonl", 1000, 0.0));
    broker.produce_lines(&t.input, &lines[..500]);
    let mut args = kafka_args(&t);
    args.extend(["--once", "--offsets", "file"]);
    run_ok(rtdw(dir.path()).args(&args));
    broker.produce_lines(&t.input, &lines[500..]);
    run_ok(rtdw(dir.path()).args(&args));
    assert_eq!(t.counts(&broker), expected_counts(&lines));
    assert!(
        dir.path().join(".rtdw/state").is_file(),
        "offsets live in the embedded store"
    );
}

/// Issue 16: with no `--offsets` and no Redis, offsets live in the Kafka
/// consumer group, so a cron job started from another directory resumes
/// instead of re-reading from the earliest offset; the run says so at start.
#[test]
fn without_redis_offsets_default_to_the_kafka_group_wherever_the_job_starts() {
    let broker = Broker::apache();
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let t = Topics::new(dir.path(), &broker, PARTITIONS);
    let lines = read_lines(&mock_day(dir.path(), "day.jsonl", 1000, 0.0));
    broker.produce_lines(&t.input, &lines[..500]);
    let mut args = kafka_args(&t);
    args.push("--once");
    let first = run_ok(rtdw(dir.path()).args(&args));
    let said = String::from_utf8_lossy(&first.stderr);
    assert!(
        said.contains("offsets in the Kafka consumer group"),
        "{said}"
    );
    broker.produce_lines(&t.input, &lines[500..]);
    std::fs::copy(
        dir.path().join("rtdw.toml"),
        elsewhere.path().join("rtdw.toml"),
    )
    .unwrap();
    run_ok(rtdw(elsewhere.path()).args(&args));
    assert_eq!(t.counts(&broker), expected_counts(&lines), "no line twice");
    assert!(!dir.path().join(".rtdw/state").exists());
    assert!(!elsewhere.path().join(".rtdw/state").exists());
}

#[test]
fn redis_unreachable_at_start_exits_69_and_masks_the_password() {
    let broker = Broker::apache();
    let dir = tempfile::tempdir().unwrap();
    let t = Topics::new(dir.path(), &broker, PARTITIONS);
    let port = support::free_port();
    let url = format!("redis://:hunter2@127.0.0.1:{port}");
    let out = rtdw(dir.path())
        .args(split_log_args(&t, &url))
        .arg("--once")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(69), "{stderr}");
    assert!(
        stderr.contains(&format!("redis://:***@127.0.0.1:{port}")),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn broker_unreachable_at_start_exits_69() {
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let out = rtdw(dir.path())
        .args([
            "split-log",
            "--from",
            "kafka:x",
            "--to",
            "-",
            "--offsets",
            "file",
            "--once",
            "--max-retry-time",
            "3s",
        ])
        .args(["--brokers", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(69), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    // Waited out under --max-retry-time like any outage, saying so; the
    // folded client lines come before the final error, which stays last.
    assert!(stderr.contains("still waiting for kafka"), "{stderr}");
    let last: Vec<&str> = stderr.lines().rev().take(2).collect();
    assert!(
        last[1].starts_with("error: kafka unreachable") && last[0].starts_with("hint:"),
        "{stderr}"
    );
}

#[test]
fn mock_logs_produce_to_a_kafka_topic_keyed_by_mid() {
    let broker = Broker::apache();
    let dir = tempfile::tempdir().unwrap();
    let topic = unique("ods");
    broker.create_topic(&topic, 3);
    run_ok(
        rtdw(dir.path())
            .args(["mock", "logs", "--lines", "2500", "--date", "2026-11-22"])
            .args([
                "--brokers",
                &broker.bootstrap(),
                "--to",
                &format!("kafka:{topic}"),
            ]),
    );
    let records = broker.read_all_plain(&topic, 3);
    assert_eq!(records.len(), 2500);
    for (k, v) in records.iter().take(50) {
        let v: serde_json::Value = serde_json::from_str(v).unwrap();
        assert_eq!(k.as_deref(), v["common"]["mid"].as_str());
    }
}
