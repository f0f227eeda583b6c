//! Benchmark: Kafka → Kafka `split-log` and `route-db` events/s, each next to
//! an rdkafka passthrough of the same input (consume and produce the same
//! bytes, no parsing) on the same broker (librdkafka's mock cluster, hosted
//! here) in the same run, at least once and with `--exactly-once`. All run as
//! separate processes: a consumer inside the process that hosts the mock
//! reads far slower.
//! `RTDW_BENCH_EVENTS` sets the input size per tool (default 100 000; the mock slows down badly with volume).
//! `RTDW_BENCH_TOOLS` picks tools (default `split-log,route-db`).
//! `RTDW_BENCH_SHOW=1` prints each run's log (-vv: batch and transaction times).

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::mocking::MockCluster;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Message};

const BIN: &str = env!("CARGO_BIN_EXE_rtdw");

/// The passthrough, run in a child process: copy `input` to `output` until
/// every partition is at its end; prints how many records it copied.
fn passthrough(brokers: &str, input: &str, output: &str, partitions: usize) {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", "passthrough")
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .set("auto.offset.reset", "earliest")
        .create()
        .unwrap();
    consumer.subscribe(&[input]).unwrap();
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("enable.idempotence", "true")
        .set("acks", "all")
        .set("compression.type", "lz4")
        .set("linger.ms", "20")
        .create()
        .unwrap();
    let mut copied = 0u64;
    let mut first: Option<Instant> = None;
    let mut at_end = std::collections::BTreeSet::new();
    while at_end.len() < partitions {
        let m = match consumer.poll(Duration::from_millis(100)) {
            Some(Ok(m)) => m,
            Some(Err(rdkafka::error::KafkaError::PartitionEOF(p))) => {
                at_end.insert(p);
                continue;
            }
            _ => continue,
        };
        at_end.remove(&m.partition());
        first.get_or_insert_with(Instant::now);
        {
            let mut rec =
                BaseRecord::<[u8], [u8]>::to(output).payload(m.payload().unwrap_or_default());
            if let Some(k) = m.key() {
                rec = rec.key(k);
            }
            while let Err((_, r)) = producer.send(rec) {
                rec = r;
                producer.poll(Duration::from_millis(10));
            }
            copied += 1;
        }
    }
    producer.flush(Duration::from_secs(120)).unwrap();
    let busy = first.map_or(0, |f| f.elapsed().as_millis());
    eprintln!("done: read={copied} busy_ms={busy}");
}

/// One run's figures: events read, wall-clock events/s (start-up and group
/// join included), and steady-state events/s (first record to last output).
struct Rate {
    read: u64,
    wall: f64,
    steady: f64,
}

/// The time between the first record and the last output, in seconds: the
/// passthrough prints `busy_ms=`; rtdw's `-v` log has one `batch stored` line
/// per batch (timestamp at its end, `total_ms` its duration).
fn busy_secs(stderr: &str) -> f64 {
    if let Some(ms) = stderr
        .rsplit("busy_ms=")
        .next()
        .filter(|_| stderr.contains("busy_ms="))
    {
        let ms: f64 = ms.trim().parse().unwrap_or(0.0);
        return ms / 1000.0;
    }
    let batches: Vec<(jiff::Timestamp, f64)> = stderr
        .lines()
        .filter(|l| l.contains("batch stored"))
        .filter_map(|l| {
            let ts: jiff::Timestamp = l.split_whitespace().next()?.parse().ok()?;
            let ms: f64 = l
                .split("total_ms=")
                .nth(1)?
                .split_whitespace()
                .next()?
                .parse()
                .ok()?;
            Some((ts, ms))
        })
        .collect();
    let (Some(first), Some(last)) = (batches.first(), batches.last()) else {
        return f64::NAN;
    };
    (last.0 - first.0)
        .total(jiff::Unit::Second)
        .unwrap_or(f64::NAN)
        + first.1 / 1000.0
}

/// Runs `cmd`; the events come from the `read=N` of its summary line.
fn rate(mut cmd: Command) -> Rate {
    let start = Instant::now();
    let out = cmd.output().expect("run");
    let secs = start.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    if std::env::var_os("RTDW_BENCH_SHOW").is_some() {
        eprintln!("{stderr}");
    }
    // The last `read=` is the summary's (earlier ones are progress lines).
    let read: u64 = stderr
        .rsplit("read=")
        .next()
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no read= in {stderr}"));
    Rate {
        read,
        wall: read as f64 / secs,
        steady: read as f64 / busy_secs(&stderr),
    }
}

/// One tool's benchmark: its input, how to generate it, how to run it.
struct ToolBench {
    tool: &'static str,
    input: &'static str,
    /// The mock keeps at most 5 MB per partition: enough of them for 100 000 records.
    partitions: i32,
    /// `rtdw mock …` arguments that write `n` input records to stdout.
    generate: fn(u64) -> Vec<String>,
    /// Output topics to create up front (the mock cluster does not auto-create).
    outputs: &'static [&'static str],
    /// Whether the tool needs `mock db`'s fact and dimension tables listed.
    gmall_tables: bool,
}

const TOOLS: [ToolBench; 2] = [
    ToolBench {
        tool: "split-log",
        input: "ODS_BASE_LOG",
        partitions: 8,
        generate: |n| {
            [
                "mock",
                "logs",
                "--devices",
                "50000",
                "--users",
                "20000",
                "--date",
                "2026-11-22",
                "--lines",
            ]
            .iter()
            .map(|s| s.to_string())
            .chain([n.to_string()])
            .collect()
        },
        outputs: &[],
        gmall_tables: false,
    },
    ToolBench {
        tool: "route-db",
        input: "ODS_BASE_DB",
        // CDC records are ~430 bytes.
        partitions: 16,
        // About five records per order (order, details, payment).
        generate: |n| {
            [
                "mock",
                "db",
                "--users",
                "20000",
                "--date",
                "2026-11-22",
                "--orders",
            ]
            .iter()
            .map(|s| s.to_string())
            .chain([(n / 5).to_string()])
            .collect()
        },
        outputs: &[
            "DWD_ORDER_INFO_I",
            "DWD_ORDER_INFO_U",
            "DWD_ORDER_INFO_D",
            "DWD_ORDER_DETAIL_I",
            "DWD_ORDER_DETAIL_U",
            "DWD_ORDER_DETAIL_D",
            "DWD_DIRTY_LOG",
        ],
        gmall_tables: true,
    },
];

fn bench_tool(
    mock: &MockCluster<'_, rdkafka::producer::DefaultProducerContext>,
    t: &ToolBench,
    n: u64,
) {
    let brokers = mock.bootstrap_servers();
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("-q")
        .args((t.generate)(n))
        .output()
        .unwrap();
    assert!(out.status.success());
    mock.create_topic(t.input, t.partitions, 1).unwrap();
    for topic in t.outputs {
        mock.create_topic(topic, 4, 1).unwrap();
    }
    if t.gmall_tables {
        support::add_gmall_tables(dir.path(), &dir.path().join(".rtdw/state"), true);
    }
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .create()
        .unwrap();
    let mut events = 0u64;
    for (i, line) in String::from_utf8_lossy(&out.stdout).lines().enumerate() {
        let key = format!("k{}", i % 1000);
        let mut rec = BaseRecord::to(t.input).key(&key).payload(line);
        while let Err((_, r)) = producer.send(rec) {
            rec = r;
            producer.poll(Duration::from_millis(10));
        }
        events += 1;
    }
    producer.flush(Duration::from_secs(120)).unwrap();
    println!(
        "{}: librdkafka mock cluster (1 broker, {} partitions), {events} events",
        t.tool, t.partitions
    );

    let mut me = Command::new(std::env::current_exe().unwrap());
    me.env(
        "RTDW_BENCH_PASSTHROUGH",
        format!(
            "{brokers}|{}|PASSTHROUGH_{}|{}",
            t.input, t.input, t.partitions
        ),
    );
    let base = rate(me);
    println!(
        "{:<40} {:>12} {:>14}",
        "events/s", "wall clock", "steady state"
    );
    println!(
        "  {:<38} {:>12.0} {:>14.0}   ({} events)",
        "rdkafka passthrough (no parsing)", base.wall, base.steady, base.read
    );

    for (label, extra) in [
        ("at least once", vec![]),
        ("--exactly-once", vec!["--exactly-once"]),
    ] {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(dir.path())
            .args([
                "--brokers",
                &brokers,
                t.tool,
                "--from",
                "kafka",
                "--to",
                "kafka",
                "--once",
            ])
            .args([
                "--group",
                &format!("bench-{}", extra.len()),
                "--offsets",
                "kafka",
            ])
            .args(&extra);
        cmd.arg(if std::env::var_os("RTDW_BENCH_SHOW").is_some() {
            "-vv"
        } else {
            "-v"
        });
        let r = rate(cmd);
        println!(
            "  {:<38} {:>12.0} {:>14.0}   ({} events; {:.0}% / {:.0}% of the passthrough)",
            format!("{} {label}", t.tool),
            r.wall,
            r.steady,
            r.read,
            100.0 * r.wall / base.wall,
            100.0 * r.steady / base.steady
        );
    }
}

fn main() {
    if let Ok(args) = std::env::var("RTDW_BENCH_PASSTHROUGH") {
        let a: Vec<&str> = args.split('|').collect();
        passthrough(a[0], a[1], a[2], a[3].parse().unwrap());
        return;
    }
    if !std::env::args().any(|a| a == "--bench") {
        println!("kafka_tools: run with `cargo bench --bench kafka_tools`");
        return;
    }
    let n: u64 = std::env::var("RTDW_BENCH_EVENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let wanted = std::env::var("RTDW_BENCH_TOOLS").unwrap_or_else(|_| "split-log,route-db".into());
    for t in TOOLS
        .iter()
        .filter(|t| wanted.split(',').any(|w| w == t.tool))
    {
        // A cluster per tool: the mock slows down with every record it holds.
        let mock = MockCluster::new(1).unwrap();
        bench_tool(&mock, t, n);
    }
}
