//! rtdw next to Apache Kafka's own clients and tools, on the real broker
//! (issue 17): the same key lands in the same partition whoever writes it.

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Stdio;

use support::apache_kafka;
use support::kafka::Broker;
use support::{rtdw, run_ok, unique};

/// rtdw produces with librdkafka's `murmur2_random` partitioner by default,
/// the Java client's (and so Flink's, Spark's, Kafka Streams' and
/// Connect's): a device's records written by rtdw and by a Java job of the
/// seeds land in one partition. `kafka-console-producer` (the Java client)
/// writes the same keys to a topic of as many partitions.
#[test]
fn rtdw_and_the_java_client_put_a_key_in_the_same_partition() {
    let broker = Broker::apache();
    let kafka = apache_kafka::shared();
    let (by_rtdw, by_java) = (unique("by_rtdw"), unique("by_java"));
    for t in [&by_rtdw, &by_java] {
        broker.create_topic(t, 6);
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(
        rtdw(d)
            .args([
                "--brokers",
                &broker.bootstrap(),
                "mock",
                "logs",
                "--devices",
                "300",
            ])
            .args(["--date", "2026-11-22", "--to", &format!("kafka:{by_rtdw}")]),
    );
    let written = broker.read_all_plain_at(&by_rtdw, 6);
    let rtdw_partition: BTreeMap<String, i32> = written
        .iter()
        .filter_map(|r| Some((r.key.clone()?, r.partition)))
        .collect();
    assert!(rtdw_partition.len() >= 200, "{} keys", rtdw_partition.len());

    let mut producer = apache_kafka::java_command(kafka, "org.apache.kafka.tools.ConsoleProducer")
        .args([
            "--bootstrap-server",
            &broker.bootstrap(),
            "--topic",
            &by_java,
        ])
        .args([
            "--property",
            "parse.key=true",
            "--property",
            "key.separator=\t",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    {
        let mut stdin = producer.stdin.take().unwrap();
        for key in rtdw_partition.keys() {
            writeln!(stdin, "{key}\tv").unwrap();
        }
    }
    assert!(producer.wait().unwrap().success());
    let java_partition: BTreeMap<String, i32> = broker
        .read_all_plain_at(&by_java, 6)
        .into_iter()
        .filter_map(|r| Some((r.key?, r.partition)))
        .collect();
    assert_eq!(java_partition.len(), rtdw_partition.len());
    let differ: Vec<_> = rtdw_partition
        .iter()
        .filter(|(k, p)| java_partition.get(*k) != Some(p))
        .take(5)
        .collect();
    assert!(
        differ.is_empty(),
        "keys rtdw and Java place differently: {differ:?}"
    );

    // The partitioner stays overridable, and the default is what matters:
    // librdkafka's own default (CRC32) places most keys elsewhere.
    let crc = unique("by_crc32");
    broker.create_topic(&crc, 6);
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("rtdw.toml"),
        "[kafka]\n\"producer.partitioner\" = \"consistent_random\"\n",
    )
    .unwrap();
    run_ok(
        rtdw(other.path())
            .args([
                "--brokers",
                &broker.bootstrap(),
                "mock",
                "logs",
                "--devices",
                "300",
            ])
            .args(["--date", "2026-11-22", "--to", &format!("kafka:{crc}")]),
    );
    let moved = broker
        .read_all_plain_at(&crc, 6)
        .into_iter()
        .filter(|r| r.key.as_ref().and_then(|k| java_partition.get(k)) != Some(&r.partition))
        .count();
    assert!(
        moved > written.len() / 2,
        "{moved} of {} placed elsewhere by CRC32",
        written.len()
    );
}

/// `kafka-consumer-groups` (Apache Kafka's `ConsumerGroupCommand`) on a group.
fn consumer_groups(args: &[&str]) -> String {
    let kafka = apache_kafka::shared();
    let out = apache_kafka::java_command(
        kafka,
        "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
    )
    .args(["--bootstrap-server", &kafka.bootstrap()])
    .args(args)
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "kafka-consumer-groups {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The rows of a `kafka-consumer-groups` table whose first column is
/// `group`, as column → value maps keyed by the header.
fn table_rows(text: &str, group: &str) -> Vec<BTreeMap<String, String>> {
    let mut header: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split_whitespace().collect();
        if cells.first() == Some(&"GROUP") {
            header = cells.iter().map(|c| c.to_string()).collect();
        } else if cells.first() == Some(&group) && !header.is_empty() {
            rows.push(
                header
                    .iter()
                    .cloned()
                    .zip(cells.iter().map(|c| c.to_string()))
                    .collect(),
            );
        }
    }
    rows
}

/// 3 partitions of 20 records, one minute apart from T0; the group has
/// committed 5, 10 and 15.
fn group_with_offsets() -> (Broker, String, String) {
    let broker = Broker::apache();
    let (topic, group) = (unique("parity"), unique("g"));
    broker.create_topic(&topic, 3);
    for p in 0..3 {
        let values: Vec<(Option<i64>, String)> = (0..20)
            .map(|i| (Some(T0_MS + i * 60_000), format!("v{p}-{i}")))
            .collect();
        broker.produce_to(&topic, p, &values);
    }
    broker.commit_as_member(&group, &topic, &BTreeMap::from([(0, 5), (1, 10), (2, 15)]));
    (broker, topic, group)
}

/// 2026-11-22T10:00:00+08:00.
const T0_MS: i64 = 1_795_312_800_000;

/// `rtdw offsets reset --store kafka --group G --csv ARGS` (a plan unless
/// ARGS has --execute): partition → new offset.
fn rtdw_reset(
    dir: &std::path::Path,
    broker: &Broker,
    group: &str,
    args: &[&str],
) -> BTreeMap<i32, i64> {
    let out = run_ok(
        rtdw(dir)
            .args([
                "--brokers",
                &broker.bootstrap(),
                "offsets",
                "reset",
                "--store",
                "kafka",
            ])
            .args(["--group", group, "--csv"])
            .args(args),
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1].parse().unwrap(), f[2].parse().unwrap())
        })
        .collect()
}

fn rtdw_plan(
    dir: &std::path::Path,
    broker: &Broker,
    group: &str,
    topic: &str,
    spec: &[&str],
) -> BTreeMap<i32, i64> {
    let args: Vec<&str> = ["--topic", topic]
        .into_iter()
        .chain(spec.iter().copied())
        .collect();
    rtdw_reset(dir, broker, group, &args)
}

/// `kafka-consumer-groups --group G --reset-offsets --dry-run ARGS`:
/// partition → new offset.
fn kafka_reset(group: &str, args: &[&str]) -> BTreeMap<i32, i64> {
    let mut all = vec!["--group", group, "--reset-offsets", "--dry-run"];
    all.extend(args);
    table_rows(&consumer_groups(&all), group)
        .into_iter()
        .map(|r| {
            (
                r["PARTITION"].parse().unwrap(),
                r["NEW-OFFSET"].parse().unwrap(),
            )
        })
        .collect()
}

fn kafka_plan(group: &str, topic: &str, spec: &[&str]) -> BTreeMap<i32, i64> {
    let args: Vec<&str> = ["--topic", topic]
        .into_iter()
        .chain(spec.iter().copied())
        .collect();
    kafka_reset(group, &args)
}

/// For every reset specifier both tools have, `rtdw offsets reset --store
/// kafka` (plan only) plans what `kafka-consumer-groups --reset-offsets
/// --dry-run` plans, on the same group; targets past the log are clamped
/// alike. (A zone-less `--to-datetime` differs on purpose: rtdw reads it in
/// `--tz`, Kafka's tool in the JVM's zone; both are given a zone here.)
#[test]
fn reset_plans_match_kafka_consumer_groups() {
    let (broker, topic, group) = group_with_offsets();
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 8] = [
        &["--to-earliest"],
        &["--to-latest"],
        &["--to-current"],
        &["--to-offset", "7"],
        &["--to-offset", "500"],
        &["--shift-by", "-8"],
        &["--shift-by", "9"],
        &["--to-datetime", "2026-11-22T02:03:30.000+00:00"],
    ];
    for spec in cases {
        let ours = rtdw_plan(dir.path(), &broker, &group, &topic, spec);
        let theirs = kafka_plan(&group, &topic, spec);
        assert_eq!(ours, theirs, "{spec:?}");
    }
}

/// `kafka-consumer-groups --describe` and `rtdw offsets show --store kafka`
/// report the same stored offsets, log ends and lags.
#[test]
fn show_matches_kafka_consumer_groups_describe() {
    let (broker, topic, group) = group_with_offsets();
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(
        rtdw(dir.path())
            .args([
                "--brokers",
                &broker.bootstrap(),
                "offsets",
                "show",
                "--store",
                "kafka",
            ])
            .args(["--group", &group, "--topic", &topic, "--json"]),
    );
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours: BTreeMap<i64, (i64, i64, i64)> = shown["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let n = |k: &str| p[k].as_i64().unwrap();
            (n("partition"), (n("stored"), n("log_end"), n("lag")))
        })
        .collect();
    let theirs: BTreeMap<i64, (i64, i64, i64)> =
        table_rows(&consumer_groups(&["--describe", "--group", &group]), &group)
            .into_iter()
            .map(|r| {
                let n = |k: &str| r[k].parse::<i64>().unwrap();
                (
                    n("PARTITION"),
                    (n("CURRENT-OFFSET"), n("LOG-END-OFFSET"), n("LAG")),
                )
            })
            .collect();
    assert_eq!(ours, theirs);
    assert_eq!(ours[&0], (5, 20, 15));
}

/// `--export` files go both ways: Kafka's tool's export is rtdw's
/// `--from-file`, and rtdw's export is Kafka's `--from-file`.
#[test]
fn export_files_work_both_ways_between_the_tools() {
    let (broker, topic, group) = group_with_offsets();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Kafka → rtdw.
    let exported = consumer_groups(&[
        "--group",
        &group,
        "--reset-offsets",
        "--topic",
        &topic,
        "--to-offset",
        "3",
        "--export",
        "--dry-run",
    ]);
    let file: String = exported
        .lines()
        .filter(|l| l.starts_with(&topic))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(file.lines().count(), 3, "{exported}");
    std::fs::write(d.join("from-kafka.csv"), &file).unwrap();
    let plan = rtdw_reset(d, &broker, &group, &["--from-file", "from-kafka.csv"]);
    assert_eq!(plan, BTreeMap::from([(0, 3), (1, 3), (2, 3)]));
    // rtdw → Kafka.
    let export = [
        "--topic",
        &topic,
        "--to-offset",
        "11",
        "--export",
        "from-rtdw.csv",
    ];
    rtdw_reset(d, &broker, &group, &export);
    let path = d.join("from-rtdw.csv");
    // (Kafka's tool takes no --topic with --from-file either.)
    let theirs = kafka_reset(&group, &["--from-file", path.to_str().unwrap()]);
    assert_eq!(theirs, BTreeMap::from([(0, 11), (1, 11), (2, 11)]));
}

/// risk-alert needs a device's actions and page views on one instance: with
/// input topics of different partition counts it refuses at start, naming
/// the counts; with equal counts it runs.
#[test]
fn risk_alert_refuses_inputs_that_are_not_co_partitioned() {
    let broker = Broker::apache();
    let (actions, pages) = (unique("actions"), unique("pages"));
    broker.create_topic(&actions, 2);
    broker.create_topic(&pages, 3);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("rtdw.toml"),
        format!(
            "brokers = \"{}\"\n[topics]\nDWD_PAGE_ACTION = \"{actions}\"\nDWD_PAGE_LOG = \"{pages}\"\n",
            broker.bootstrap()
        ),
    )
    .unwrap();
    let args = [
        "risk-alert",
        "--from",
        "kafka",
        "--to",
        "out/",
        "--once",
        "--offsets",
        "kafka",
    ];
    let out = rtdw(d).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{actions} has 2, {pages} has 3")),
        "{err}"
    );
    assert!(!d.join("out").exists(), "nothing written");

    let same = unique("pages3");
    broker.create_topic(&same, 2);
    std::fs::write(
        d.join("rtdw.toml"),
        format!(
            "brokers = \"{}\"\n[topics]\nDWD_PAGE_ACTION = \"{actions}\"\nDWD_PAGE_LOG = \"{same}\"\n",
            broker.bootstrap()
        ),
    )
    .unwrap();
    let out = rtdw(d)
        .args(args)
        .args(["--max-retry-time", "20s"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `offsets delete` of some topics of a Kafka group sends OffsetDelete: the
/// group keeps its other topics' offsets; of all its topics, DeleteGroups.
#[test]
fn offsets_delete_of_some_topics_keeps_the_rest_of_the_kafka_group() {
    let (broker, topic, group) = group_with_offsets();
    let other = unique("other");
    broker.create_topic(&other, 1);
    broker.produce_to(&other, 0, &[(None, "x".into()), (None, "y".into())]);
    broker.commit_as_member(&group, &other, &BTreeMap::from([(0, 1)]));
    let dir = tempfile::tempdir().unwrap();
    let offsets = |args: &[&str]| {
        let mut c = rtdw(dir.path());
        c.args(["--brokers", &broker.bootstrap(), "offsets"])
            .args(args)
            .args(["--store", "kafka"]);
        c
    };
    run_ok(&mut offsets(&[
        "delete",
        "--group",
        &group,
        "--topic",
        &topic,
        "--execute",
    ]));
    assert!(
        broker.committed(&group, &topic, 3).is_empty(),
        "{topic}'s offsets are gone"
    );
    assert_eq!(
        broker.committed(&group, &other, 1),
        BTreeMap::from([(0, 1)]),
        "{other}'s stay"
    );
    let described = consumer_groups(&["--describe", "--group", &group]);
    assert!(
        !described.contains(&topic) && described.contains(&other),
        "{described}"
    );
}
