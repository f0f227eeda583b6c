//! `rtdw offsets` end to end (SPEC §4.8): every reset specifier against the
//! file and Redis stores (log bounds from the mock cluster), lookups by time
//! against tansu, clamping, refusal while a split-log instance runs, export
//! and from-file, history and undo, and snapshots of `show`.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::kafka::Broker;
use support::redis::Redis;
use support::{rtdw, run_ok, KillOnDrop};

/// An offset store under test, as `offsets` flags.
enum Store<'a> {
    File,
    Redis(&'a Redis),
    /// The group's own commits (tansu has no DescribeGroups: writes need --force).
    Kafka,
}

impl Store<'_> {
    fn args(&self) -> Vec<String> {
        match self {
            Store::File => vec!["--store".into(), "file:state.db".into()],
            Store::Redis(r) => vec!["--store".into(), "redis".into(), "--redis".into(), r.url()],
            Store::Kafka => vec!["--store".into(), "kafka".into()],
        }
    }
}

fn offsets(dir: &Path, broker: &Broker, store: &Store, args: &[&str]) -> Command {
    let mut c = rtdw(dir);
    c.args(["--brokers", &broker.bootstrap(), "offsets"])
        .args(args)
        .args(store.args());
    if matches!(store, Store::Kafka) && args.contains(&"--execute") {
        c.arg("--force");
    }
    c
}

/// partition → stored offset of `topic`, read back through `offsets show --json`.
fn stored(
    dir: &Path,
    broker: &Broker,
    store: &Store,
    group: &str,
    topic: &str,
) -> BTreeMap<i32, i64> {
    let out = run_ok(&mut offsets(
        dir,
        broker,
        store,
        &["show", "--group", group, "--topic", topic, "--json"],
    ));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["partition"].as_i64()? as i32, r["stored"].as_i64()?)))
        .collect()
}

/// The plan a reset prints with `--csv`: partition → new offset.
fn plan_of(out: &std::process::Output) -> BTreeMap<i32, i64> {
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(
                f.len(),
                3,
                "a plan line: {l:?} in\n{text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            (f[1].parse().unwrap(), f[2].parse().unwrap())
        })
        .collect()
}

/// A topic of 3 partitions with 20 records each (log 0..20).
fn orders(broker: &Broker) {
    broker.create_topic("orders", 3);
    for p in 0..3 {
        let values: Vec<(Option<i64>, String)> =
            (0..20).map(|i| (None, format!("o{p}-{i}"))).collect();
        broker.produce_to("orders", p, &values);
    }
}

/// Runs `offsets ARGS` (split at spaces) against the file store; must succeed.
fn ok(d: &Path, broker: &Broker, args: &str) -> std::process::Output {
    let args: Vec<&str> = args.split_whitespace().collect();
    run_ok(&mut offsets(d, broker, &Store::File, &args))
}

fn every_specifier(broker: Broker, store: Store) {
    orders(&broker);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seed = |store: &Store| {
        run_ok(&mut offsets(
            d,
            &broker,
            store,
            &[
                "reset",
                "--group",
                "g",
                "--topic",
                "orders",
                "--to-offset",
                "10",
                "--execute",
            ],
        ));
    };
    seed(&store);
    let ten = BTreeMap::from([(0, 10), (1, 10), (2, 10)]);
    assert_eq!(stored(d, &broker, &store, "g", "orders"), ten);
    std::fs::write(
        d.join("plan.csv"),
        "topic,partition,offset\norders,0,3\norders,2,9\n",
    )
    .unwrap();
    let cases: Vec<(Vec<&str>, BTreeMap<i32, i64>)> = vec![
        (
            vec!["--topic", "orders", "--to-earliest"],
            BTreeMap::from([(0, 0), (1, 0), (2, 0)]),
        ),
        (
            vec!["--topic", "orders", "--to-latest"],
            BTreeMap::from([(0, 20), (1, 20), (2, 20)]),
        ),
        (vec!["--topic", "orders", "--to-current"], ten.clone()),
        (
            vec!["--topic", "orders", "--to-offset", "5"],
            BTreeMap::from([(0, 5), (1, 5), (2, 5)]),
        ),
        (
            vec!["--topic", "orders", "--shift-by", "-3"],
            BTreeMap::from([(0, 7), (1, 7), (2, 7)]),
        ),
        (
            vec!["--topic", "orders", "--shift-by", "4"],
            BTreeMap::from([(0, 14), (1, 14), (2, 14)]),
        ),
        (
            vec!["--topic", "orders:0,2", "--to-offset", "2"],
            BTreeMap::from([(0, 2), (2, 2)]),
        ),
        (
            vec!["--all-topics", "--to-offset", "1"],
            BTreeMap::from([(0, 1), (1, 1), (2, 1)]),
        ),
        (
            vec!["--from-file", "plan.csv"],
            BTreeMap::from([(0, 3), (2, 9)]),
        ),
    ];
    for (spec, want) in cases {
        let mut args = vec!["reset", "--group", "g", "--csv"];
        args.extend(&spec);
        let dry = run_ok(&mut offsets(d, &broker, &store, &args));
        assert_eq!(plan_of(&dry), want, "plan of {spec:?}");
        assert!(String::from_utf8_lossy(&dry.stderr).contains("dry run: nothing changed"));
        assert_eq!(
            stored(d, &broker, &store, "g", "orders"),
            ten,
            "{spec:?} without --execute changed nothing"
        );
        args.push("--execute");
        run_ok(&mut offsets(d, &broker, &store, &args));
        let mut expect = ten.clone();
        expect.extend(want);
        assert_eq!(
            stored(d, &broker, &store, "g", "orders"),
            expect,
            "stored after {spec:?} --execute"
        );
        seed(&store);
    }
}

#[test]
fn every_specifier_on_the_file_store() {
    every_specifier(Broker::mock(), Store::File);
}

#[test]
fn every_specifier_on_the_redis_store() {
    let redis = Redis::start();
    every_specifier(Broker::mock(), Store::Redis(&redis));
}

#[test]
fn every_specifier_on_the_kafka_store_of_apache_kafka() {
    every_specifier(Broker::apache(), Store::Kafka);
}

#[test]
fn targets_are_clamped_into_the_log_with_a_warning() {
    let broker = Broker::mock();
    broker.create_topic("big", 1);
    // The mock keeps 5 MB per partition: 60 records of 100 KB push its start up.
    let big = "x".repeat(100_000);
    let values: Vec<(Option<i64>, String)> = (0..60).map(|_| (None, big.clone())).collect();
    broker.produce_to("big", 0, &values);
    let (low, high) = broker.watermarks("big", 1)[&0];
    assert!(low > 0 && high == 60, "log {low}..{high}");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let below = ok(
        d,
        &broker,
        "reset --group g --topic big --to-offset 0 --csv --execute",
    );
    assert_eq!(plan_of(&below), BTreeMap::from([(0, low)]));
    let err = String::from_utf8_lossy(&below.stderr);
    assert!(
        err.contains(&format!(
            "big/0: 0 is before the log start {low}: clamped to {low}"
        )),
        "{err}"
    );
    let above = ok(
        d,
        &broker,
        "reset --group g --topic big --shift-by 1000 --csv --execute",
    );
    assert_eq!(plan_of(&above), BTreeMap::from([(0, 60)]));
    let err = String::from_utf8_lossy(&above.stderr);
    assert!(
        err.contains(&format!(
            "big/0: {} is past the log end 60: clamped to 60",
            low + 1000
        )),
        "{err}"
    );
    assert_eq!(
        stored(d, &broker, &Store::File, "g", "big"),
        BTreeMap::from([(0, 60)])
    );
}

#[test]
fn shift_by_without_a_stored_offset_is_an_error() {
    let (broker, dir) = orders_fixture();
    let out = offsets(
        dir.path(),
        &broker,
        &Store::File,
        &[
            "reset",
            "--group",
            "g",
            "--topic",
            "orders",
            "--shift-by",
            "2",
        ],
    )
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("orders/0 has no stored offset to shift"),
        "{err}"
    );
}

/// 10 records one minute apart from 2026-11-22T10:00:00+08:00.
const T0_MS: i64 = 1_795_312_800_000;

#[test]
fn to_datetime_and_by_duration_use_the_broker_lookup_by_time() {
    let broker = Broker::apache();
    broker.create_topic("clicks", 1);
    let values: Vec<(Option<i64>, String)> = (0..10)
        .map(|i| (Some(T0_MS + i * 60_000), format!("c{i}")))
        .collect();
    broker.produce_to("clicks", 0, &values);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let reset = |extra: &[&str]| {
        let mut args = vec!["reset", "--group", "g", "--topic", "clicks", "--csv"];
        args.extend(extra);
        run_ok(&mut offsets(d, &broker, &Store::File, &args))
    };
    // Zone-less: read in --tz (Asia/Shanghai by default), and said so.
    let out = reset(&["--to-datetime", "2026-11-22T10:03:00"]);
    assert_eq!(plan_of(&out), BTreeMap::from([(0, 3)]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("read in Asia/Shanghai (--tz) = 2026-11-22T02:03:00Z"),
        "{err}"
    );
    assert_eq!(
        plan_of(&reset(&["--to-datetime", "2026-11-22T02:04:30Z"])),
        BTreeMap::from([(0, 5)])
    );
    assert_eq!(
        plan_of(&reset(&["--to-datetime", "2026-11-22T10:00:00+08:00"])),
        BTreeMap::from([(0, 0)])
    );
    // After the last record Apache Kafka answers "no such offset" (-1),
    // which means the log end. (tansu 0.6.0 answered offset 0, whose
    // record is older than asked: rtdw reports that as an error.)
    assert_eq!(
        plan_of(&reset(&["--to-datetime", "2026-11-23T00:00:00Z"])),
        BTreeMap::from([(0, 10)])
    );

    // --by-duration: records 10..1 minutes old.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    broker.create_topic("recent", 1);
    let values: Vec<(Option<i64>, String)> = (0..10)
        .map(|i| (Some(now - (10 - i) * 60_000), format!("r{i}")))
        .collect();
    broker.produce_to("recent", 0, &values);
    let out = ok(
        d,
        &broker,
        "reset --group g --topic recent --by-duration PT5M30S --csv --execute",
    );
    assert_eq!(plan_of(&out), BTreeMap::from([(0, 5)]));
    assert_eq!(
        stored(d, &broker, &Store::File, "g", "recent"),
        BTreeMap::from([(0, 5)])
    );
}

#[test]
fn a_broker_without_lookup_by_time_is_reported_not_reset_to_the_end() {
    let broker = Broker::mock();
    broker.create_topic("clicks", 1);
    let values: Vec<(Option<i64>, String)> = (0..10)
        .map(|i| (Some(T0_MS + i * 60_000), format!("c{i}")))
        .collect();
    broker.produce_to("clicks", 0, &values);
    let dir = tempfile::tempdir().unwrap();
    let out = offsets(
        dir.path(),
        &broker,
        &Store::File,
        &[
            "reset",
            "--group",
            "g",
            "--topic",
            "clicks",
            "--to-datetime",
            "2026-11-22T02:03:00Z",
            "--execute",
        ],
    )
    .output()
    .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("does not support looking offsets up by time"),
        "{err}"
    );
    assert!(
        stored(dir.path(), &broker, &Store::File, "g", "clicks").is_empty(),
        "nothing stored"
    );
}

#[test]
fn reset_refuses_while_a_split_log_instance_runs_then_succeeds() {
    let broker = Broker::mock();
    let redis = Redis::start();
    broker.create_topic("ods", 2);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut child = rtdw(d)
        .args([
            "--brokers",
            &broker.bootstrap(),
            "split-log",
            "--from",
            "kafka:ods",
            "--to",
            "out/",
            "--group",
            "g",
            "--offsets",
            "redis",
            "--redis",
            &redis.url(),
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while redis.hgetall("instances:g").is_empty() {
        assert!(Instant::now() < deadline, "split-log never registered");
        std::thread::sleep(Duration::from_millis(50));
    }
    let store = Store::Redis(&redis);
    let shown = run_ok(&mut offsets(
        d,
        &broker,
        &store,
        &["show", "--group", "g", "--topic", "ods", "--json"],
    ));
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let instance = &shown["live"]["instances"][0];
    assert_eq!(instance["tool"], "split-log", "{shown}");
    assert_eq!(
        instance["pid"].as_u64(),
        Some(u64::from(child.id())),
        "{shown}"
    );
    let table = run_ok(&mut offsets(
        d,
        &broker,
        &store,
        &["show", "--group", "g", "--topic", "ods"],
    ));
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains("live: rtdw split-log "), "{table}");
    let args = [
        "reset",
        "--group",
        "g",
        "--topic",
        "ods",
        "--to-latest",
        "--execute",
    ];
    let refused = offsets(d, &broker, &store, &args).output().unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("group g is live: rtdw split-log"), "{err}");
    assert!(
        err.contains(&format!(":{}", child.id())),
        "names the pid: {err}"
    );
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert!(child.wait().unwrap().success());
    run_ok(&mut offsets(d, &broker, &store, &args));
    assert_eq!(
        stored(d, &broker, &store, "g", "ods"),
        BTreeMap::from([(0, 0), (1, 0)])
    );
}

#[test]
fn export_then_from_file_round_trip() {
    let (broker, dir) = orders_fixture();
    let d = dir.path();
    ok(
        d,
        &broker,
        "reset --group a --topic orders --to-offset 12 --export plan.csv",
    );
    assert_eq!(
        std::fs::read_to_string(d.join("plan.csv")).unwrap(),
        "orders,0,12\norders,1,12\norders,2,12\n",
        "no header: the file is kafka-consumer-groups' --export format"
    );
    assert!(
        stored(d, &broker, &Store::File, "a", "orders").is_empty(),
        "--export alone changes nothing"
    );
    ok(d, &broker, "reset --group b --from-file plan.csv --execute");
    assert_eq!(
        stored(d, &broker, &Store::File, "b", "orders"),
        BTreeMap::from([(0, 12), (1, 12), (2, 12)])
    );
}

#[test]
fn history_shows_a_reset_and_undo_restores_it() {
    let (broker, dir) = orders_fixture();
    let d = dir.path();
    ok(
        d,
        &broker,
        "reset --group g --topic orders --to-offset 7 --execute",
    );
    ok(
        d,
        &broker,
        "reset --group g --topic orders:1 --to-latest --execute",
    );
    let out = ok(d, &broker, "history --group g --json");
    // One compact object per line.
    let entries: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["action"], "reset --to-latest");
    assert_eq!(
        entries[1]["changes"],
        serde_json::json!([{"topic": "orders", "partition": 1, "before": 7, "after": 20}])
    );
    assert!(entries[1]["by"].as_str().unwrap().contains('@'));
    let table = String::from_utf8_lossy(&ok(d, &broker, "history --group g").stdout).into_owned();
    assert!(
        table.lines().any(|l| l.contains("reset --to-latest")
            && l.contains("orders")
            && l.ends_with(" 7     20")),
        "{table}"
    );

    let id = entries[1]["id"].as_str().unwrap();
    let undo = run_ok(&mut offsets(
        d,
        &broker,
        &Store::File,
        &["history", "--group", "g", "--undo", id],
    ));
    assert!(
        !String::from_utf8_lossy(&undo.stdout).starts_with("topic,"),
        "no header: the --from-file form kafka-consumer-groups reads too"
    );
    std::fs::write(d.join("undo.csv"), &undo.stdout).unwrap();
    ok(d, &broker, "reset --group g --from-file undo.csv --execute");
    assert_eq!(
        stored(d, &broker, &Store::File, "g", "orders"),
        BTreeMap::from([(0, 7), (1, 7), (2, 7)])
    );
}

#[test]
fn delete_removes_a_topics_offsets_only_with_execute() {
    let (broker, dir) = orders_fixture();
    let d = dir.path();
    ok(
        d,
        &broker,
        "reset --group g --topic orders --to-offset 7 --execute",
    );
    ok(d, &broker, "delete --group g --topic orders");
    assert_eq!(stored(d, &broker, &Store::File, "g", "orders").len(), 3);
    ok(d, &broker, "delete --group g --topic orders --execute");
    assert!(stored(d, &broker, &Store::File, "g", "orders").is_empty());
    let list = ok(d, &broker, "list --json");
    assert_eq!(
        String::from_utf8_lossy(&list.stdout).trim(),
        "",
        "no group left"
    );
}

/// A mock cluster with `orders`, and a working directory.
fn orders_fixture() -> (Broker, tempfile::TempDir) {
    let broker = Broker::mock();
    orders(&broker);
    (broker, tempfile::tempdir().unwrap())
}

/// Fixed names and offsets: orders 0 at 10, 1 at 20 (the end), 2 never stored.
fn snapshot_setup() -> (Broker, tempfile::TempDir) {
    let (broker, dir) = orders_fixture();
    std::fs::write(dir.path().join("plan.csv"), "orders,0,10\norders,1,20\n").unwrap();
    ok(
        dir.path(),
        &broker,
        "reset --group g --from-file plan.csv --execute",
    );
    (broker, dir)
}

#[test]
fn show_table_snapshot() {
    let (broker, dir) = snapshot_setup();
    let out = ok(dir.path(), &broker, "show --group g");
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
    let list = ok(dir.path(), &broker, "list");
    insta::assert_snapshot!("list_table", String::from_utf8_lossy(&list.stdout));
}

#[test]
fn show_json_snapshot() {
    let (broker, dir) = snapshot_setup();
    let out = ok(dir.path(), &broker, "show --group g --topic orders --json");
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
    let csv = ok(dir.path(), &broker, "show --group g --csv");
    insta::assert_snapshot!("show_csv", String::from_utf8_lossy(&csv.stdout));
}

/// The Kafka store against tansu: offsets are the group's commits. tansu
/// 0.6.0 drops the connection on DescribeGroups for a group with members
/// (measured), so while an rtdw member runs, a reset cannot verify the
/// group and says so instead of resetting; --force overrides.
#[test]
fn kafka_store_on_tansu_refuses_while_a_member_runs() {
    let broker = Broker::tansu();
    orders(&broker);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let kafka = |args: &[&str]| {
        let mut c = rtdw(d);
        c.args(["--brokers", &broker.bootstrap(), "offsets"])
            .args(args)
            .args(["--store", "kafka"]);
        c
    };
    let stored = || -> Vec<Option<i64>> {
        let out = run_ok(&mut kafka(&[
            "show", "--group", "kg", "--topic", "orders", "--json",
        ]));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["partitions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["stored"].as_i64())
            .collect()
    };
    let reset = [
        "reset",
        "--group",
        "kg",
        "--topic",
        "orders",
        "--to-offset",
        "4",
        "--execute",
    ];
    run_ok(&mut kafka(&reset));
    assert_eq!(stored(), vec![Some(4); 3]);

    let member = KillOnDrop(
        rtdw(d)
            .args([
                "--brokers",
                &broker.bootstrap(),
                "split-log",
                "--from",
                "kafka:orders",
            ])
            .args(["--to", "out/", "--group", "kg", "--offsets", "kafka"])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // The member has joined once it committed its first batch (the log end).
    let deadline = Instant::now() + Duration::from_secs(60);
    while stored() != vec![Some(20); 3] {
        assert!(Instant::now() < deadline, "the member never committed");
        std::thread::sleep(Duration::from_millis(200));
    }
    let refused = kafka(&reset).output().unwrap();
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot verify group state: ") && err.contains("use --force"),
        "{err}"
    );
    assert_eq!(stored(), vec![Some(20); 3], "refused means unchanged");
    let mut member = member;
    unsafe { libc::kill(member.0.id() as i32, libc::SIGTERM) };
    assert!(member.0.wait().unwrap().success());
    run_ok(kafka(&reset).arg("--force"));
    assert_eq!(stored(), vec![Some(4); 3]);

    // delete: Kafka removes a group's offsets with DeleteGroups, so only
    // when the topics given are all the group's topics.
    broker.create_topic("returns", 1);
    run_ok(&mut kafka(&[
        "reset",
        "--group",
        "kg",
        "--topic",
        "returns",
        "--to-offset",
        "0",
        "--execute",
        "--force",
    ]));
    // Deleting some of a group's topics sends OffsetDelete, which tansu
    // 0.6.0 advertises but answers by resetting the connection, and
    // librdkafka 2.12 then aborts (README, "Measured quirks"): that case is
    // tested on Apache Kafka (tests/apache_kafka.rs). Of all its topics,
    // DeleteGroups:
    run_ok(&mut kafka(&[
        "delete",
        "--group",
        "kg",
        "--topic",
        "orders",
        "--topic",
        "returns",
        "--execute",
        "--force",
    ]));
    assert_eq!(stored(), vec![None; 3]);
}

/// No broker, file store: a shift below 0 stores 0 with a warning naming
/// the partition (never -95 or -2, which Kafka clients read as "no offset"),
/// and `--to-offset` refuses a negative value as a usage error.
#[test]
fn offsets_never_go_below_zero_without_a_broker() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let reset = |topic: &str, spec: &[&str]| {
        let mut c = rtdw(d);
        c.args([
            "offsets",
            "reset",
            "--store",
            "file:state.db",
            "--group",
            "g",
        ])
        .args(["--topic", topic])
        .args(spec)
        .arg("--execute");
        c.output().unwrap()
    };
    for (topic, at) in [("a", "5"), ("b", "3")] {
        let out = reset(&format!("{topic}:0"), &["--to-offset", at]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for (topic, shift) in [("a", "-100"), ("b", "-5")] {
        let out = reset(topic, &["--shift-by", shift]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("{topic}/0:")) && err.contains("below offset 0: clamped to 0"),
            "{err}"
        );
    }
    let show = run_ok(rtdw(d).args([
        "offsets",
        "show",
        "--store",
        "file:state.db",
        "--group",
        "g",
        "--json",
    ]));
    let text = String::from_utf8_lossy(&show.stdout);
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    let stored: Vec<i64> = v["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["stored"].as_i64())
        .collect();
    assert_eq!(stored, [0, 0], "{text}");
    for spec in [["--to-offset", "-5"], ["--to-offset=-5", ""]] {
        let args: Vec<&str> = spec.iter().copied().filter(|s| !s.is_empty()).collect();
        let out = reset("a", &args);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("an offset is 0 or more"), "{err}");
    }
}
