//! split-log runs against a broker: unique topic names written to
//! `rtdw.toml` as renames, and checks of the stored offsets.

use std::collections::BTreeMap;
use std::path::Path;

use super::kafka::Broker;
use super::oracle::STREAMS;
use super::redis::Redis;
use super::unique;

/// Unique topic names for one test, written to `rtdw.toml` as renames.
pub struct Topics {
    pub input: String,
    pub partitions: i32,
    pub outputs: BTreeMap<&'static str, String>,
    pub group: String,
}

impl Topics {
    pub fn new(dir: &Path, broker: &Broker, partitions: i32) -> Topics {
        let input = unique("ods");
        let outputs: BTreeMap<&'static str, String> = STREAMS
            .iter()
            .map(|s| (*s, unique(&s.to_lowercase())))
            .collect();
        broker.create_topic(&input, partitions);
        for t in outputs.values() {
            broker.create_topic(t, 2);
        }
        let mut toml = format!(
            "brokers = \"{}\"\n{}[topics]\nODS_BASE_LOG = \"{input}\"\n",
            broker.bootstrap(),
            broker.client_tuning()
        );
        for (k, v) in &outputs {
            toml.push_str(&format!("{k} = \"{v}\"\n"));
        }
        std::fs::write(dir.join("rtdw.toml"), toml).unwrap();
        Topics {
            input,
            partitions,
            outputs,
            group: unique("group"),
        }
    }

    pub fn counts(&self, broker: &Broker) -> BTreeMap<&'static str, usize> {
        self.outputs
            .iter()
            .map(|(s, t)| (*s, broker.read_all_plain(t, 2).len()))
            .collect()
    }
}

/// `split-log` Kafka → Kafka in the test's group, offsets in the default store.
pub fn kafka_args(t: &Topics) -> Vec<&str> {
    vec![
        "split-log",
        "--from",
        "kafka",
        "--to",
        "kafka",
        "--group",
        &t.group,
    ]
}

/// `kafka_args` with the offsets in Redis, as in the seeds' design.
pub fn split_log_args<'a>(t: &'a Topics, redis: &'a str) -> Vec<&'a str> {
    let mut args = kafka_args(t);
    args.extend(["--offsets", "redis", "--redis", redis]);
    args
}

/// `kafka_args` in Kafka transactions (offsets in the Kafka group).
pub fn exactly_once_args(t: &Topics) -> Vec<&str> {
    let mut args = kafka_args(t);
    args.push("--exactly-once");
    args
}

/// Whether the offset hash holds the log end of every partition.
pub fn offsets_at_end(broker: &Broker, redis: &Redis, t: &Topics) -> bool {
    let stored = redis.hgetall(&format!("offset:{}:{}", t.group, t.input));
    broker
        .watermarks(&t.input, t.partitions)
        .iter()
        .all(|(p, (_, hi))| stored.get(&p.to_string()) == Some(&hi.to_string()))
}

pub fn assert_offsets_at_end(broker: &Broker, redis: &Redis, t: &Topics) {
    let stored = redis.hgetall(&format!("offset:{}:{}", t.group, t.input));
    let ends: BTreeMap<String, String> = broker
        .watermarks(&t.input, t.partitions)
        .into_iter()
        .map(|(p, (_, hi))| (p.to_string(), hi.to_string()))
        .collect();
    assert_eq!(
        stored, ends,
        "offset hash holds partition → next offset, at the log end"
    );
}

/// The sum of the group's stored offsets in Redis (0 when none).
pub fn stored_total(redis: &Redis, t: &Topics) -> i64 {
    redis
        .hgetall(&format!("offset:{}:{}", t.group, t.input))
        .values()
        .map(|v| v.parse::<i64>().expect("an offset"))
        .sum()
}

/// Waits until the stored offsets add up to `at_least`.
pub fn wait_for_stored(redis: &Redis, t: &Topics, at_least: i64, what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while stored_total(redis, t) < at_least {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
