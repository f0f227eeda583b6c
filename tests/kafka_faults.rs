//! Delivery guarantees under faults (SPEC §4.1, §6): kill -9 at random
//! moments and at failpoints, two instances sharing a group, injected broker
//! errors, a Redis outage, exactly-once transactions, and the metrics.
//! Needs `--features failpoints` (scripts/test passes it).
#![cfg(feature = "failpoints")]

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rdkafka::types::RDKafkaApiKey;
use rdkafka::types::RDKafkaRespErr;
use support::kafka::Broker;
use support::redis::Redis;
use support::split_log::{
    assert_offsets_at_end, exactly_once_args, offsets_at_end, split_log_args, wait_for_stored,
    Topics,
};
use support::{mock_day, read_lines, rtdw, run_ok};

type Multiset = BTreeMap<&'static str, BTreeMap<String, usize>>;

/// A record as compared across runs: dirty records by their raw line (their
/// `source` names a file in pipe mode and an offset in Kafka).
fn normal(stream: &str, value: &str) -> String {
    if stream == "DWD_DIRTY_LOG" {
        let v: serde_json::Value = serde_json::from_str(value).unwrap();
        return v["raw"].as_str().unwrap().to_string();
    }
    value.to_string()
}

/// What split-log must produce for `day`, computed in pipe mode.
fn expected(dir: &Path, day: &Path) -> Multiset {
    // Away from the test's rtdw.toml, whose [topics] renames the outputs.
    let clean = dir.join("expected");
    std::fs::create_dir_all(&clean).unwrap();
    run_ok(
        rtdw(&clean)
            .args(["split-log", "--from"])
            .arg(day)
            .args(["--to", "out/"]),
    );
    let mut m = Multiset::new();
    for s in support::oracle::STREAMS {
        let path = clean.join("out").join(format!("{s}.jsonl"));
        let lines = if path.exists() {
            read_lines(&path)
        } else {
            Vec::new()
        };
        let e = m.entry(s).or_default();
        for l in lines {
            *e.entry(normal(s, &l)).or_default() += 1;
        }
    }
    m
}

/// The outputs; `transactional` topics are read to their end markers,
/// plain ones to exactly their watermark count.
fn actual_of(broker: &Broker, t: &Topics, transactional: bool) -> Multiset {
    let mut m = Multiset::new();
    for (s, topic) in &t.outputs {
        let e = m.entry(*s).or_default();
        let records = if transactional {
            broker.read_all(topic, 2)
        } else {
            broker.read_all_plain(topic, 2)
        };
        for (_, v) in records {
            *e.entry(normal(s, &v)).or_default() += 1;
        }
    }
    m
}

/// Per stream: (records missing, records beyond the expected count).
fn diff(want: &Multiset, got: &Multiset) -> BTreeMap<&'static str, (usize, usize)> {
    let mut out = BTreeMap::new();
    for (stream, records) in want {
        let have = |v: &String| got.get(stream).and_then(|r| r.get(v)).copied().unwrap_or(0);
        let missing: usize = records.iter().map(|(v, n)| n.saturating_sub(have(v))).sum();
        let extra: usize = got
            .get(stream)
            .into_iter()
            .flat_map(|r| r.iter())
            .map(|(v, n)| n.saturating_sub(records.get(v).copied().unwrap_or(0)))
            .sum();
        out.insert(*stream, (missing, extra));
    }
    out
}

/// Exactly once: every expected record is there once, and nothing else.
fn assert_exactly_once(want: &Multiset, got: &Multiset) {
    let d = diff(want, got);
    assert!(
        d.values().all(|(m, x)| *m == 0 && *x == 0),
        "exactly once: (missing, duplicates) per stream {d:?}"
    );
}

/// At least once: every expected record is there (duplicates allowed), and nothing else.
fn assert_nothing_lost(want: &Multiset, got: &Multiset) {
    eprintln!("(missing, duplicates) per stream: {:?}", diff(want, got));
    let mut dups = 0;
    for (stream, records) in want {
        for (value, n) in records {
            let have = got
                .get(stream)
                .and_then(|r| r.get(value))
                .copied()
                .unwrap_or(0);
            assert!(have >= *n, "{stream}: lost {} of {value}", n - have);
            dups += have - n;
        }
        for value in got.get(stream).into_iter().flat_map(|r| r.keys()) {
            assert!(
                records.contains_key(value),
                "{stream}: unexpected record {value}"
            );
        }
    }
    eprintln!("nothing lost; {dups} duplicates (allowed at least once)");
}

/// Kills the child if the test fails before it stops it.
struct Guard(Option<Child>);

impl Guard {
    fn take(mut self) -> Child {
        self.0.take().unwrap()
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(c) = self.0.as_mut() {
            sigkill(c);
        }
    }
}

fn actual(broker: &Broker, t: &Topics) -> Multiset {
    actual_of(broker, t, false)
}

fn sigkill(child: &mut Child) {
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    let _ = child.wait();
}

fn sigterm_and_wait(mut child: Child) -> std::process::Output {
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = &mut child;
    child.wait_with_output().unwrap()
}

fn rng() -> rand::rngs::StdRng {
    let seed: u64 = std::env::var("RTDW_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("RTDW_TEST_SEED={seed}");
    rand::rngs::StdRng::seed_from_u64(seed)
}

/// 20 runs, each killed at a random moment or aborted at a failpoint, then
/// one clean `--once` run to drain.
fn kill_loop(broker: Broker, exactly_once: bool) {
    // Apache Kafka does transactions itself: its read_committed view and its
    // committed offsets are the truth, no audit emulation.
    let real_transactions = matches!(broker, Broker::Apache { .. });
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start();
    let t = Topics::new(dir.path(), &broker, 4);
    let day = mock_day(dir.path(), "day.jsonl", 6000, 0.01);
    broker.produce_lines(&t.input, &read_lines(&day));
    let want = expected(dir.path(), &day);

    let redis_url = redis.url();
    let mut args: Vec<&str> = if exactly_once {
        exactly_once_args(&t)
    } else {
        split_log_args(&t, &redis_url)
    };
    args.extend(["--batch-max", "300", "--batch-ms", "50"]);
    let audit = dir.path().join("txn-audit.jsonl");
    let mut points = vec!["after-produce-before-flush", "after-flush-before-offsets"];
    if exactly_once {
        points.push("inside-transaction");
    }
    let mut rng = rng();
    for run in 0..20 {
        let mut cmd = rtdw(dir.path());
        cmd.args(&args)
            .env("RTDW_TXN_AUDIT", &audit)
            .stderr(Stdio::null());
        let how = if rng.gen_bool(0.5) {
            let point = format!(
                "{}@{}",
                points[rng.gen_range(0..points.len())],
                rng.gen_range(1..4)
            );
            cmd.env("RTDW_FAILPOINT", &point);
            point
        } else {
            "kill -9".to_string()
        };
        let mut child = cmd.spawn().unwrap();
        let life = Duration::from_millis(rng.gen_range(500..4000));
        let start = Instant::now();
        while start.elapsed() < life && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(20));
        }
        let status = child.try_wait().unwrap();
        if status.is_none() {
            sigkill(&mut child);
        }
        eprintln!(
            "run {run}: {how}, ended after {:?} ({status:?})",
            start.elapsed()
        );
        if exactly_once && !real_transactions {
            complete_transactional_offsets(&broker, &t, &audit);
        }
    }
    // Drain: --once runs until every partition is stored at its end. More
    // than one only when a member the coordinator still counts holds
    // partitions past the run's patience (tansu 0.6.0 can keep a member of a
    // client killed while joining; see README): the run then ends with
    // "no partition … was assigned", or leaves partitions behind.
    for attempt in 1..=4 {
        let drain = rtdw(dir.path())
            .args(&args)
            .args(["--once", "-v"])
            .env("RTDW_TXN_AUDIT", &audit)
            .output()
            .expect("rtdw runs");
        let log = String::from_utf8_lossy(&drain.stderr);
        if !drain.status.success() {
            assert!(
                log.contains("was assigned to group") && attempt < 4,
                "drain run {attempt} failed:\n{log}"
            );
            eprintln!("drain run {attempt} got no partition (a stale member held them)");
            continue;
        }
        let done = if exactly_once {
            if !real_transactions {
                complete_transactional_offsets(&broker, &t, &audit);
            }
            let ends = broker.watermarks(&t.input, t.partitions);
            let committed = broker.committed(&t.group, &t.input, t.partitions);
            ends.iter().all(|(p, (_, hi))| committed.get(p) == Some(hi))
        } else {
            offsets_at_end(&broker, &redis, &t)
        };
        if done {
            break;
        }
        eprintln!("drain run {attempt} left partitions behind:\n{log}");
        assert!(attempt < 4, "four --once runs did not drain the input");
    }
    if exactly_once && real_transactions {
        let mut got = Multiset::new();
        for (s, topic) in &t.outputs {
            let e = got.entry(*s).or_default();
            for (_, value) in broker.read_all(topic, 2) {
                *e.entry(normal(s, &value)).or_default() += 1;
            }
        }
        assert_exactly_once(&want, &got);
    } else if exactly_once {
        assert_exactly_once(&want, &read_committed(&broker, &t, &audit));
    } else {
        let got = actual(&broker, &t);
        eprintln!(
            "input watermarks {:?}, stored offsets {:?}",
            broker.watermarks(&t.input, t.partitions),
            redis.hgetall(&format!("offset:{}:{}", t.group, t.input))
        );
        for (s, topic) in &t.outputs {
            eprintln!("{s}: watermarks {:?}", broker.watermarks(topic, 2));
        }
        assert_nothing_lost(&want, &got);
        assert_offsets_at_end(&broker, &redis, &t);
    }
}

/// What a transactional broker holds and the librdkafka mock does not,
/// rebuilt from rtdw's transaction audit (`RTDW_TXN_AUDIT`, failpoints builds
/// only): the records of committed transactions and the offsets they committed.
struct TxnLog {
    records: std::collections::HashSet<(String, i32, i64)>,
    /// Input partition → the highest offset a committed transaction stored.
    offsets: BTreeMap<i32, i64>,
}

fn txn_log(path: &Path, input: &str) -> TxnLog {
    let mut log = TxnLog {
        records: Default::default(),
        offsets: BTreeMap::new(),
    };
    if !path.exists() {
        return log;
    }
    for line in read_lines(path) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        for r in v["records"].as_array().unwrap() {
            let topic = r[0].as_str().unwrap().to_string();
            log.records
                .insert((topic, r[1].as_i64().unwrap() as i32, r[2].as_i64().unwrap()));
        }
        for o in v["offsets"].as_array().unwrap() {
            assert_eq!(o[0].as_str(), Some(input));
            let next = log
                .offsets
                .entry(o[1].as_i64().unwrap() as i32)
                .or_default();
            *next = (*next).max(o[2].as_i64().unwrap());
        }
    }
    log
}

/// A transactional broker applies a transaction's offsets when it commits;
/// the mock drops them, and rtdw's plain re-commit afterwards is lost when
/// the process dies in between. Completes them as the coordinator would, and
/// checks that no offset was ever committed past a committed transaction.
fn complete_transactional_offsets(broker: &Broker, t: &Topics, audit: &Path) {
    let log = txn_log(audit, &t.input);
    let committed = broker.committed(&t.group, &t.input, 4);
    for (p, o) in &committed {
        let audited = log.offsets.get(p).copied().unwrap_or(0);
        assert!(
            *o <= audited,
            "partition {p}: offset {o} committed, but transactions only stored {audited}"
        );
    }
    let behind: BTreeMap<i32, i64> = log
        .offsets
        .iter()
        .filter(|(p, o)| committed.get(p).is_none_or(|c| c < o))
        .map(|(p, o)| (*p, *o))
        .collect();
    if !behind.is_empty() {
        eprintln!("completing transactional offsets {behind:?} (had {committed:?})");
        broker.commit_as_member(&t.group, &t.input, &behind);
    }
}

/// The outputs as a read_committed consumer of a transactional broker sees
/// them: only records of committed transactions.
fn read_committed(broker: &Broker, t: &Topics, audit: &Path) -> Multiset {
    let log = txn_log(audit, &t.input);
    let mut m = Multiset::new();
    let mut kept = 0;
    let mut aborted = 0;
    for (s, topic) in &t.outputs {
        let e = m.entry(*s).or_default();
        for r in broker.read_all_plain_at(topic, 2) {
            if log
                .records
                .contains(&(topic.clone(), r.partition, r.offset))
            {
                kept += 1;
                *e.entry(normal(s, &r.value)).or_default() += 1;
            } else {
                aborted += 1;
            }
        }
    }
    assert_eq!(
        kept,
        log.records.len(),
        "every audited record is in its topic"
    );
    eprintln!("{kept} committed records, {aborted} of aborted or unfinished transactions");
    m
}

#[test]
fn mock_cluster_kill_loop_exactly_once_each_record_once() {
    kill_loop(Broker::mock(), true);
}

#[test]
fn mock_cluster_kill_loop_at_least_once_loses_nothing() {
    kill_loop(Broker::mock(), false);
}

#[test]
fn apache_kafka_kill_loop_at_least_once_loses_nothing() {
    kill_loop(Broker::apache(), false);
}

/// On Apache Kafka, read back with isolation.level=read_committed: every
/// record exactly once, whatever the kills and failpoints.
#[test]
fn apache_kafka_kill_loop_exactly_once_each_record_once() {
    kill_loop(Broker::apache(), true);
}

/// Why the exactly-once kill loop reads the mock through the transaction
/// audit: the librdkafka 2.12 mock writes no transaction markers, so
/// read_committed readers see the records of aborted and of crashed
/// transactions. When this test fails, the mock learned transactions: read
/// its topics with `read_all` instead.
#[test]
fn mock_cluster_shows_aborted_transactions_to_read_committed_readers() {
    use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
    let broker = Broker::mock();
    let topic = support::unique("txn");
    broker.create_topic(&topic, 1);
    let producer = || {
        let p: BaseProducer = rdkafka::ClientConfig::new()
            .set("bootstrap.servers", broker.bootstrap())
            .set("transactional.id", "probe")
            .create()
            .unwrap();
        p.init_transactions(Duration::from_secs(10)).unwrap();
        p
    };
    let p = producer();
    p.begin_transaction().unwrap();
    p.send(BaseRecord::<str, str>::to(&topic).payload("aborted"))
        .unwrap();
    p.flush(Duration::from_secs(10)).unwrap();
    p.abort_transaction(Duration::from_secs(10)).unwrap();
    p.begin_transaction().unwrap();
    p.send(BaseRecord::<str, str>::to(&topic).payload("committed"))
        .unwrap();
    p.commit_transaction(Duration::from_secs(10)).unwrap();
    let seen: Vec<String> = broker
        .read_all(&topic, 1)
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    assert_eq!(
        seen,
        vec!["aborted", "committed"],
        "the mock still exposes aborted records"
    );
}

#[test]
fn exactly_once_on_a_broker_without_transactions_fails_at_start_up() {
    let broker = Broker::tansu();
    let dir = tempfile::tempdir().unwrap();
    let t = Topics::new(dir.path(), &broker, 2);
    broker.produce_lines(
        &t.input,
        &read_lines(&mock_day(dir.path(), "day.jsonl", 200, 0.0)),
    );
    let out = rtdw(dir.path())
        .args(exactly_once_args(&t))
        .arg("--once")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("--exactly-once needs Kafka transactions"),
        "{stderr}"
    );
    assert!(
        t.counts(&broker).values().all(|n| *n == 0),
        "nothing was produced"
    );
}

#[test]
fn two_instances_share_partitions_and_survive_a_kill() {
    two_instances(false);
}

#[test]
fn two_instances_with_cooperative_sticky_assignment() {
    two_instances(true);
}

/// On Apache Kafka: the group coordinator, rebalances and session timeouts
/// are the real ones.
fn two_instances(cooperative: bool) {
    let broker = Broker::apache();
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start();
    let t = Topics::new(dir.path(), &broker, 8);
    if cooperative {
        let toml = std::fs::read_to_string(dir.path().join("rtdw.toml"))
            .unwrap()
            .replacen(
                "[kafka]\n",
                "[kafka]\n\"consumer.partition.assignment.strategy\" = \"cooperative-sticky\"\n",
                1,
            );
        std::fs::write(dir.path().join("rtdw.toml"), toml).unwrap();
    }
    let day = mock_day(dir.path(), "day.jsonl", 16_000, 0.01);
    broker.produce_lines(&t.input, &read_lines(&day));
    let want = expected(dir.path(), &day);
    let redis_url = redis.url();
    let start = |name: &str| {
        Guard(Some(
            rtdw(dir.path())
                .args(split_log_args(&t, &redis_url))
                .args([
                    "--batch-max",
                    "200",
                    "--batch-ms",
                    "50",
                    "--instance-id",
                    name,
                ])
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        ))
    };
    let key = format!("offset:{}:{}", t.group, t.input);
    let ends: BTreeMap<String, i64> = broker
        .watermarks(&t.input, 8)
        .into_iter()
        .map(|(p, (_, hi))| (p.to_string(), hi))
        .collect();
    let total: i64 = ends.values().sum();
    let mut last: BTreeMap<String, i64> = BTreeMap::new();
    // Samples the offsets, checking they never go back; returns their sum.
    let mut sample = || -> i64 {
        let now: BTreeMap<String, i64> = redis
            .hgetall(&key)
            .into_iter()
            .map(|(p, o)| (p, o.parse().unwrap()))
            .collect();
        for (p, o) in &now {
            let before = last.get(p).copied().unwrap_or(0);
            assert!(*o >= before, "partition {p} went back from {before} to {o}");
        }
        last = now;
        last.values().sum()
    };
    let wait_for = |sample: &mut dyn FnMut() -> i64, target: i64, what: &str| {
        let deadline = Instant::now() + Duration::from_secs(120);
        while sample() < target {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let a = start("a");
    let b = start("b");
    wait_for(&mut sample, total / 4, "both instances to make progress");
    let live = rtdw::offsets::instances::live(
        &rtdw::state::redis::RedisStore::connect(&redis_url).unwrap(),
        &t.group,
    )
    .unwrap();
    assert_eq!(
        live.iter().map(|i| i.instance.as_str()).collect::<Vec<_>>(),
        vec!["a", "b"],
        "both registered"
    );
    drop(a); // kill -9
    wait_for(&mut sample, total / 2, "b to take over");
    let a = start("a");
    wait_for(&mut sample, total, "the group to drain the topic");
    for child in [a, b] {
        let out = sigterm_and_wait(child.take());
        assert_eq!(out.status.code(), Some(0));
    }
    assert_eq!(last, ends, "offsets end at the log end");
    assert_nothing_lost(&want, &actual(&broker, &t));
}

#[test]
fn injected_broker_errors_during_produce_and_fetch_lose_nothing() {
    let broker = Broker::mock();
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start();
    let t = Topics::new(dir.path(), &broker, 4);
    let day = mock_day(dir.path(), "day.jsonl", 4000, 0.01);
    broker.produce_lines(&t.input, &read_lines(&day));
    let want = expected(dir.path(), &day);
    let Broker::Mock(mock) = &broker else {
        unreachable!()
    };
    use RDKafkaRespErr::*;
    let errors = [
        RD_KAFKA_RESP_ERR__TRANSPORT,
        RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
        RD_KAFKA_RESP_ERR__TRANSPORT,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR__TRANSPORT,
    ];
    mock.request_errors(RDKafkaApiKey::Produce, &errors);
    mock.request_errors(RDKafkaApiKey::Fetch, &errors);
    run_ok(
        rtdw(dir.path())
            .args(split_log_args(&t, &redis.url()))
            .args(["--once", "--batch-max", "500"]),
    );
    assert_nothing_lost(&want, &actual(&broker, &t));
    assert_offsets_at_end(&broker, &redis, &t);
}

#[test]
fn redis_stopped_for_10s_mid_run_then_restarted_loses_nothing() {
    let broker = Broker::mock();
    let dir = tempfile::tempdir().unwrap();
    let mut redis = Redis::start();
    let t = Topics::new(dir.path(), &broker, 4);
    let day = mock_day(dir.path(), "day.jsonl", 12_000, 0.01);
    let lines = read_lines(&day);
    broker.produce_lines(&t.input, &lines[..6000]);
    let want = expected(dir.path(), &day);
    let child = Guard(Some(
        rtdw(dir.path())
            .args(split_log_args(&t, &redis.url()))
            .args(["--batch-max", "200", "--batch-ms", "50"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    ));
    wait_for_stored(&redis, &t, 1000, "no progress");
    redis.stop_gracefully();
    // New input arrives during the outage.
    broker.produce_lines(&t.input, &lines[6000..]);
    std::thread::sleep(Duration::from_secs(10));
    redis.start_again();
    let ends: i64 = broker
        .watermarks(&t.input, 4)
        .values()
        .map(|(_, hi)| hi)
        .sum();
    wait_for_stored(&redis, &t, ends, "the job to resume after Redis came back");
    let out = sigterm_and_wait(child.take());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("lost") && stderr.contains("back after"),
        "one line per state change:\n{stderr}"
    );
    assert_offsets_at_end(&broker, &redis, &t);
    assert_nothing_lost(&want, &actual(&broker, &t));
}

#[test]
fn metrics_endpoint_counts_match_the_data() {
    let broker = Broker::mock();
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start();
    let t = Topics::new(dir.path(), &broker, 4);
    // Statistics (the log end behind the lag gauge) every 200 ms, not 5 s.
    let toml = dir.path().join("rtdw.toml");
    let text = std::fs::read_to_string(&toml).unwrap().replace(
        "[kafka]\n",
        "[kafka]\n\"consumer.statistics.interval.ms\" = \"200\"\n",
    );
    std::fs::write(&toml, text).unwrap();
    let day = mock_day(dir.path(), "day.jsonl", 3000, 0.01);
    let lines = read_lines(&day);
    broker.produce_lines(&t.input, &lines);
    let want = support::oracle::expected_counts(&lines);
    let port = support::free_port();
    let child = Guard(Some(
        rtdw(dir.path())
            .args(split_log_args(&t, &redis.url()))
            .args([
                "--batch-max",
                "500",
                "--batch-ms",
                "50",
                "--metrics-addr",
                &format!("127.0.0.1:{port}"),
            ])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    let scrape = || -> String {
        use std::io::{Read, Write};
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
            return String::new();
        };
        let _ = s.write_all(b"GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n");
        let mut body = String::new();
        let _ = s.read_to_string(&mut body);
        body
    };
    let value = |text: &str, prefix: &str| -> Option<f64> {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
    };
    let read_metric = "rtdw_records_in_total{tool=\"split-log\"}";
    let deadline = Instant::now() + Duration::from_secs(60);
    let text = loop {
        let text = scrape();
        if value(&text, read_metric) == Some(lines.len() as f64) {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "records_in never reached {}:\n{text}",
            lines.len()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    for (stream, topic) in &t.outputs {
        let metric = format!("rtdw_records_out_total{{tool=\"split-log\",stream=\"{topic}\"}}");
        assert_eq!(
            value(&text, &metric),
            Some(want[stream] as f64),
            "{metric}\n{text}"
        );
    }
    assert_eq!(
        value(&text, "rtdw_dirty_total{tool=\"split-log\"}"),
        Some(want["DWD_DIRTY_LOG"] as f64)
    );
    for (p, (_, hi)) in broker.watermarks(&t.input, 4) {
        let metric = format!(
            "rtdw_stored_offset{{topic=\"{}\",partition=\"{p}\"}}",
            t.input
        );
        assert_eq!(value(&text, &metric), Some(hi as f64), "{metric}\n{text}");
    }
    assert!(
        text.contains("rtdw_batch_seconds_bucket"),
        "latency histogram"
    );

    // Lag = log end − stored offset: 0 once drained. Then a new run whose
    // first batch stays open for a minute: the 400 records that arrived
    // meanwhile are read but not yet stored, so the lag is exactly 400.
    let lag_total = |text: &str| -> Option<f64> {
        (0..4)
            .map(|p| {
                let metric = format!(
                    "rtdw_consumer_lag{{topic=\"{}\",partition=\"{p}\"}}",
                    t.input
                );
                value(text, &metric)
            })
            .sum()
    };
    let wait_for = |what: &str, ok: &dyn Fn(&str) -> bool| {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let text = scrape();
            if ok(&text) {
                return;
            }
            assert!(Instant::now() < deadline, "{what}:\n{text}");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait_for("lag never reached 0", &|text| lag_total(text) == Some(0.0));
    let out = sigterm_and_wait(child.take());
    assert_eq!(out.status.code(), Some(0));

    broker.produce_lines(&t.input, &lines[..400]);
    let child = Guard(Some(
        rtdw(dir.path())
            .args(split_log_args(&t, &redis.url()))
            .args(["--batch-max", "100000", "--batch-ms", "60000"])
            .args(["--metrics-addr", &format!("127.0.0.1:{port}")])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ));
    wait_for("lag never showed the 400 records behind", &|text| {
        lag_total(text) == Some(400.0)
    });
    let out = sigterm_and_wait(child.take());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn exactly_once_runs_resume_from_their_transactional_offsets() {
    let broker = Broker::mock();
    let dir = tempfile::tempdir().unwrap();
    let t = Topics::new(dir.path(), &broker, 4);
    let day = mock_day(dir.path(), "day.jsonl", 3000, 0.01);
    let lines = read_lines(&day);
    let want = expected(dir.path(), &day);
    let mut args = exactly_once_args(&t);
    args.push("--once");
    broker.produce_lines(&t.input, &lines[..1800]);
    run_ok(rtdw(dir.path()).args(&args).args(["--batch-max", "250"]));
    broker.produce_lines(&t.input, &lines[1800..]);
    run_ok(rtdw(dir.path()).args(&args).args(["--batch-max", "250"]));
    assert_exactly_once(&want, &actual_of(&broker, &t, true));

    let out = rtdw(dir.path())
        .args(&args)
        .args(["--offsets", "redis"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--exactly-once keeps offsets in Kafka"
    );
}
