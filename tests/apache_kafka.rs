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
