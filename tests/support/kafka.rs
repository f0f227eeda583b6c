//! Kafka brokers for tests: Apache Kafka 4.x (the real broker, shared by a
//! test process: see `apache_kafka`), librdkafka's mock cluster hosted in
//! the test process for fault injection, or a `tansu` process.
//! Helpers produce input and read output with ordinary rdkafka clients.

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{BaseProducer, BaseRecord, DefaultProducerContext, Producer};
use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};

/// Consumer session of test clients: above the mock's 3 s initial
/// rebalance delay (see [`Broker::client_tuning`]).
pub const SESSION_TIMEOUT_MS: u64 = 4000;

pub enum Broker {
    /// The shared Apache Kafka broker of this test process.
    Apache {
        port: u16,
    },
    Mock(MockCluster<'static, DefaultProducerContext>),
    Tansu {
        child: Child,
        port: u16,
        _dir: tempfile::TempDir,
    },
}

impl Broker {
    /// Apache Kafka, started once per test process (tests share it).
    pub fn apache() -> Broker {
        Broker::Apache {
            port: super::apache_kafka::shared().port,
        }
    }

    pub fn mock() -> Broker {
        Broker::Mock(MockCluster::new(1).expect("mock cluster"))
    }

    /// A `tansu` broker on a free port, with SQLite storage in a temp dir.
    pub fn tansu() -> Broker {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = super::free_port();
        let url = format!("tcp://127.0.0.1:{port}");
        let child = Command::new("tansu")
            .arg("broker")
            // tansu resolves a sqlite:// path against its working directory.
            .current_dir(dir.path())
            .arg("--storage-engine")
            .arg("sqlite://tansu.db")
            .env("LISTENER_URL", &url)
            .env("ADVERTISED_LISTENER_URL", &url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tansu is installed (cargo install tansu --version 0.6.0 --locked --features libsql)");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "tansu did not listen on {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        Broker::Tansu {
            child,
            port,
            _dir: dir,
        }
    }

    pub fn bootstrap(&self) -> String {
        match self {
            Broker::Mock(m) => m.bootstrap_servers(),
            Broker::Tansu { port, .. } | Broker::Apache { port } => format!("127.0.0.1:{port}"),
        }
    }

    pub fn create_topic(&self, name: &str, partitions: i32) {
        self.create_topic_with(name, partitions, &[]);
    }

    /// [`Broker::create_topic`] with topic configs (Apache Kafka only, e.g.
    /// `max.message.bytes`; the mock and tansu take none).
    pub fn create_topic_with(&self, name: &str, partitions: i32, configs: &[(&str, &str)]) {
        assert!(
            configs.is_empty() || matches!(self, Broker::Apache { .. }),
            "topic configs need Apache Kafka"
        );
        match self {
            Broker::Mock(m) => m.create_topic(name, partitions, 1).expect("create topic"),
            Broker::Apache { .. } => {
                use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
                let admin: AdminClient<rdkafka::client::DefaultClientContext> = ClientConfig::new()
                    .set("bootstrap.servers", self.bootstrap())
                    .create()
                    .expect("admin client");
                let mut topic = NewTopic::new(name, partitions, TopicReplication::Fixed(1));
                for (k, v) in configs {
                    topic = topic.set(k, v);
                }
                let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
                let results = futures_executor::block_on(admin.create_topics([&topic], &opts))
                    .expect("CreateTopics");
                for r in results {
                    r.map_err(|(t, e)| format!("{t}: {e}"))
                        .expect("topic created");
                }
                // Leaders are elected asynchronously: wait for every partition.
                let deadline = Instant::now() + Duration::from_secs(30);
                loop {
                    let md = admin
                        .inner()
                        .fetch_metadata(Some(name), Duration::from_secs(5))
                        .expect("metadata");
                    let ready = md.topics().iter().any(|t| {
                        t.error().is_none()
                            && t.partitions().len() == partitions as usize
                            && t.partitions().iter().all(|p| p.leader() >= 0)
                    });
                    if ready {
                        break;
                    }
                    assert!(Instant::now() < deadline, "topic {name} has no leaders");
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
            Broker::Tansu { port, .. } => {
                let out = Command::new("tansu")
                    .args([
                        "topic",
                        "create",
                        name,
                        "--partitions",
                        &partitions.to_string(),
                    ])
                    .arg("--broker")
                    .arg(format!("tcp://127.0.0.1:{port}"))
                    .output()
                    .expect("tansu topic create");
                assert!(
                    out.status.success(),
                    "tansu topic create: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }

    /// `[kafka]` lines for rtdw.toml. The mock coordinator keeps a group
    /// rebalancing for session.timeout − 1 s after its last member leaves
    /// (real Kafka empties it at once), so mock runs use a short session.
    /// Both brokers get it: crash tests restart members often, and a killed
    /// member holds its partitions until its session times out.
    ///
    /// Not shorter than [`SESSION_TIMEOUT_MS`]: the mock elects the first
    /// member of an empty group after 3 s, and a member that waits for
    /// its JoinGroup answer longer than its session is dropped, answer and
    /// all; the client then waits for it for max.poll.interval.ms (5 min).
    pub fn client_tuning(&self) -> String {
        format!("[kafka]\n\"consumer.session.timeout.ms\" = \"{SESSION_TIMEOUT_MS}\"\n\"consumer.heartbeat.interval.ms\" = \"500\"\n")
    }

    pub fn producer(&self) -> BaseProducer {
        ClientConfig::new()
            .set("bootstrap.servers", self.bootstrap())
            .set("linger.ms", "5")
            .create()
            .expect("producer")
    }

    /// Produces `lines` with round-robin keys and waits until all are acknowledged.
    pub fn produce_lines(&self, topic: &str, lines: &[String]) {
        let keys: Vec<String> = (0..lines.len()).map(|i| format!("k{}", i % 97)).collect();
        send_all(
            &self.producer(),
            topic,
            keys.iter()
                .map(String::as_str)
                .zip(lines.iter().map(String::as_str)),
        );
    }

    /// Produces `(key, value)` records as a keyed producer does (the key
    /// picks the partition: murmur2, as rtdw and Java producers do), and
    /// waits until all are acknowledged.
    pub fn produce_keyed(&self, topic: &str, records: &[(String, String)]) {
        let p: BaseProducer = ClientConfig::new()
            .set("bootstrap.servers", self.bootstrap())
            .set("linger.ms", "5")
            .set("partitioner", "murmur2_random")
            .create()
            .expect("producer");
        send_all(
            &p,
            topic,
            records.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
    }

    /// Produces `values` to one partition, each with its own timestamp (ms)
    /// when given; each is flushed alone, so each is its own record batch.
    pub fn produce_to(&self, topic: &str, partition: i32, values: &[(Option<i64>, String)]) {
        let p = self.producer();
        for (ts, v) in values {
            let mut rec = BaseRecord::<str, str>::to(topic)
                .partition(partition)
                .payload(v.as_str());
            if let Some(ts) = ts {
                rec = rec.timestamp(*ts);
            }
            p.send(rec).map_err(|(e, _)| e).expect("send");
            p.flush(Duration::from_secs(30)).expect("flush");
        }
    }

    fn consumer(&self) -> BaseConsumer {
        ClientConfig::new()
            .set("bootstrap.servers", self.bootstrap())
            .set("group.id", super::unique("reader"))
            .set("enable.auto.commit", "false")
            .set("fetch.wait.max.ms", "10")
            .create()
            .expect("consumer")
    }

    /// (low, high) watermarks of every partition of `topic`.
    pub fn watermarks(&self, topic: &str, partitions: i32) -> BTreeMap<i32, (i64, i64)> {
        let c = self.consumer();
        (0..partitions)
            .map(|p| {
                (
                    p,
                    c.fetch_watermarks(topic, p, Duration::from_secs(10))
                        .expect("watermarks"),
                )
            })
            .collect()
    }

    /// Reads every record of a topic written without transactions: exactly
    /// the sum of (high − low) over its partitions, however slowly they come.
    pub fn read_all_plain(&self, topic: &str, partitions: i32) -> Vec<(Option<String>, String)> {
        self.read_all_plain_at(topic, partitions)
            .into_iter()
            .map(|r| (r.key, r.value))
            .collect()
    }

    /// `read_all_plain` with each record's partition and offset.
    pub fn read_all_plain_at(&self, topic: &str, partitions: i32) -> Vec<Placed> {
        let total: i64 = self
            .watermarks(topic, partitions)
            .values()
            .map(|(lo, hi)| hi - lo)
            .sum();
        let c = self.consumer();
        let mut tpl = TopicPartitionList::new();
        for p in 0..partitions {
            tpl.add_partition_offset(topic, p, Offset::Beginning)
                .expect("tpl");
        }
        c.assign(&tpl).expect("assign");
        let mut out = Vec::with_capacity(total as usize);
        let deadline = Instant::now() + Duration::from_secs(120);
        while (out.len() as i64) < total {
            assert!(
                Instant::now() < deadline,
                "read only {} of {total} records of {topic}",
                out.len()
            );
            if let Some(r) = c.poll(Duration::from_millis(100)) {
                let m = r.expect("consume");
                out.push(Placed {
                    partition: m.partition(),
                    offset: m.offset(),
                    key: m.key().map(|k| String::from_utf8_lossy(k).into_owned()),
                    value: String::from_utf8_lossy(m.payload().unwrap_or_default()).into_owned(),
                });
            }
        }
        out
    }

    /// The offsets `group` has committed for `topic` (partitions without one are left out).
    pub fn committed(&self, group: &str, topic: &str, partitions: i32) -> BTreeMap<i32, i64> {
        let c: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", self.bootstrap())
            .set("group.id", group)
            .set("enable.auto.commit", "false")
            .create()
            .expect("consumer");
        let mut tpl = TopicPartitionList::new();
        for p in 0..partitions {
            tpl.add_partition(topic, p);
        }
        c.committed_offsets(tpl, Duration::from_secs(10))
            .expect("committed offsets")
            .elements()
            .iter()
            .filter_map(|e| match e.offset() {
                Offset::Offset(o) => Some((e.partition(), o)),
                _ => None,
            })
            .collect()
    }

    /// Commits `offsets` for `group` as a member of it: joins, commits, leaves.
    /// (The mock's coordinator refuses commits from outside a live group.)
    pub fn commit_as_member(&self, group: &str, topic: &str, offsets: &BTreeMap<i32, i64>) {
        let c: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", self.bootstrap())
            .set("group.id", group)
            .set("enable.auto.commit", "false")
            .set("session.timeout.ms", SESSION_TIMEOUT_MS.to_string())
            .set("heartbeat.interval.ms", "500")
            .create()
            .expect("consumer");
        c.subscribe(&[topic]).expect("subscribe");
        let deadline = Instant::now() + Duration::from_secs(60);
        while c.assignment().expect("assignment").count() == 0 {
            assert!(Instant::now() < deadline, "never joined group {group}");
            let _ = c.poll(Duration::from_millis(100));
        }
        let mut tpl = TopicPartitionList::new();
        for (p, o) in offsets {
            tpl.add_partition_offset(topic, *p, Offset::Offset(*o))
                .expect("tpl");
        }
        c.commit(&tpl, rdkafka::consumer::CommitMode::Sync)
            .expect("commit as member");
    }

    /// Reads every committed record of `topic` up to its current end:
    /// (key, value). Stops when every partition reports end-of-partition, so
    /// aborted transactions and their markers (which take offsets) are fine.
    pub fn read_all(&self, topic: &str, partitions: i32) -> Vec<(Option<String>, String)> {
        let c: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", self.bootstrap())
            .set("group.id", super::unique("reader"))
            .set("enable.auto.commit", "false")
            .set("enable.partition.eof", "true")
            .set("isolation.level", "read_committed")
            .set("fetch.wait.max.ms", "10")
            .create()
            .expect("consumer");
        let mut tpl = TopicPartitionList::new();
        for p in 0..partitions {
            tpl.add_partition_offset(topic, p, Offset::Beginning)
                .expect("tpl");
        }
        c.assign(&tpl).expect("assign");
        let mut at_end = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        // The end is confirmed when every partition reported EOF and nothing
        // more arrives for a moment (a loaded broker may report its end early).
        let mut quiet_since: Option<Instant> = None;
        while quiet_since.is_none_or(|q| q.elapsed() < Duration::from_millis(500)) {
            assert!(
                Instant::now() < deadline,
                "read {} records of {topic}, still not at the end",
                out.len()
            );
            if at_end.len() == partitions as usize {
                quiet_since.get_or_insert_with(Instant::now);
            } else {
                quiet_since = None;
            }
            match c.poll(Duration::from_millis(100)) {
                Some(Ok(m)) => {
                    at_end.remove(&m.partition());
                    quiet_since = None;
                    out.push((
                        m.key().map(|k| String::from_utf8_lossy(k).into_owned()),
                        String::from_utf8_lossy(m.payload().unwrap_or_default()).into_owned(),
                    ));
                }
                Some(Err(rdkafka::error::KafkaError::PartitionEOF(p))) => {
                    at_end.insert(p);
                }
                Some(Err(e)) => panic!("reading {topic}: {e}"),
                None => {}
            }
        }
        out
    }
}

/// A record with its place in the topic.
pub struct Placed {
    pub partition: i32,
    pub offset: i64,
    pub key: Option<String>,
    pub value: String,
}

impl Drop for Broker {
    fn drop(&mut self) {
        if let Broker::Tansu { child, .. } = self {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Sends `(key, value)` records to `topic`, waiting out a full queue, and
/// waits until all are acknowledged.
fn send_all<'a>(p: &BaseProducer, topic: &str, records: impl Iterator<Item = (&'a str, &'a str)>) {
    for (key, value) in records {
        let mut rec = BaseRecord::to(topic).key(key).payload(value);
        while let Err((_, r)) = p.send(rec) {
            rec = r;
            p.poll(Duration::from_millis(10));
        }
    }
    p.flush(Duration::from_secs(60)).expect("flush test input");
}
