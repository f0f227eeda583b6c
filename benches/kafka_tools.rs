//! Benchmark: Kafka-fed `split-log`, `route-db`, `dau` and `order-wide`
//! events/s, each next to an rdkafka passthrough of the same input (consume
//! and produce the same bytes, no parsing) on the same broker in the same
//! run; `split-log` and `route-db` also with `--exactly-once`. The broker is
//! a real single-node Apache Kafka (KRaft, from the jars `scripts/kafka-jars`
//! resolves, as in the tests) unless `RTDW_BENCH_BROKER=mock` picks
//! librdkafka's mock cluster (hosted here; it slows down with volume). All
//! clients run as separate processes. Outputs: `split-log`, `route-db` and
//! `order-wide` to Kafka, `dau` documents to stdout (/dev/null); state in the
//! embedded store.
//! `RTDW_BENCH_EVENTS` sets the input size per tool (default 400 000; 100 000
//! on the mock).
//! `RTDW_BENCH_TOOLS` picks tools (default `split-log,route-db,dau,order-wide`).
//! `RTDW_BENCH_RUNS` sets the runs of each, of which the median is shown (default 3).
//! `RTDW_BENCH_SHOW=1` prints each run's log (-vv: batch and transaction times).

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Message};

const BIN: &str = env!("CARGO_BIN_EXE_rtdw");

/// The passthrough, run in a child process: copy `inputs` to `output` until
/// `total` records are read, writing each `fanout` times on average (a
/// tool's output volume); prints how many it read and for how long.
fn passthrough(brokers: &str, inputs: &[&str], output: &str, total: u64, group: &str, fanout: f64) {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .create()
        .unwrap();
    consumer.subscribe(inputs).unwrap();
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("enable.idempotence", "true")
        .set("acks", "all")
        .set("compression.type", "lz4")
        .set("linger.ms", "20")
        .create()
        .unwrap();
    let mut copied = 0u64;
    let mut owed = 0.0;
    let mut first: Option<Instant> = None;
    while copied < total {
        let Some(Ok(m)) = consumer.poll(Duration::from_millis(100)) else {
            continue;
        };
        first.get_or_insert_with(Instant::now);
        owed += fanout;
        while owed >= 1.0 {
            owed -= 1.0;
            let mut rec =
                BaseRecord::<[u8], [u8]>::to(output).payload(m.payload().unwrap_or_default());
            if let Some(k) = m.key() {
                rec = rec.key(k);
            }
            while let Err((_, r)) = producer.send(rec) {
                rec = r;
                producer.poll(Duration::from_millis(10));
            }
        }
        copied += 1;
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

/// `runs` runs of the command `make` gives (told its run number): the one
/// with the median steady-state rate. A 2-core machine that also hosts the
/// broker's JVM makes a single run noisy (±30 %).
fn median_rate(runs: usize, make: impl Fn(usize) -> Command) -> Rate {
    let mut rates: Vec<Rate> = (0..runs.max(1)).map(|i| rate(make(i))).collect();
    rates.sort_by(|a, b| a.steady.total_cmp(&b.steady));
    rates.swap_remove(rates.len() / 2)
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

/// An input record: (SPEC topic, key, value).
type Input = (&'static str, String, String);

/// One tool's benchmark: its input, how to generate it, how to run it.
struct ToolBench {
    tool: &'static str,
    /// Input topics (SPEC names; renamed per tool in `rtdw.toml`).
    inputs: &'static [&'static str],
    partitions: i32,
    /// (input topic, key, value) records for about `n` events, made with
    /// `rtdw` in `dir` (which holds the gmall tables when the tool needs them).
    generate: fn(&std::path::Path, u64) -> Vec<Input>,
    /// Output topics, created up front (the mock cluster does not auto-create).
    outputs: &'static [&'static str],
    /// Whether the tool needs `mock db`'s fact and dimension tables listed.
    gmall_tables: bool,
    /// Where the tool writes: `kafka`, or `-` (stdout, to /dev/null).
    to: &'static str,
    exactly_once: bool,
}

/// `rtdw -q ARGS` in `dir`, feeding `stdin`; its stdout lines.
fn rtdw_lines(dir: &std::path::Path, args: &[String], stdin: Option<&[u8]>) -> Vec<String> {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .arg("-q")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let feed = stdin.map(<[u8]>::to_vec).unwrap_or_default();
    let writer = std::thread::spawn(move || input.write_all(&feed));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "rtdw {args:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn mock_logs(dir: &std::path::Path, n: u64) -> Vec<String> {
    let mut args = strings(&["mock", "logs", "--devices", "50000", "--users", "20000"]);
    args.extend(strings(&[
        "--date",
        "2026-11-22",
        "--lines",
        &n.to_string(),
    ]));
    rtdw_lines(dir, &args, None)
}

fn mock_db(dir: &std::path::Path, n: u64) -> Vec<String> {
    // About five records per order (order, details, payment).
    let mut args = strings(&["mock", "db", "--users", "20000", "--date", "2026-11-22"]);
    args.extend(strings(&["--orders", &(n / 5).to_string()]));
    rtdw_lines(dir, &args, None)
}

/// The values of `topics` among a tool's stdout envelopes, keyed as the tool keys them.
fn envelopes_of(lines: &[String], topics: &[&'static str]) -> Vec<(&'static str, String, String)> {
    lines
        .iter()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            let topic = topics.iter().find(|t| v["topic"] == **t)?;
            let key = v["key"].as_str().unwrap_or_default().to_string();
            Some((*topic, key, v["value"].to_string()))
        })
        .collect()
}

fn keyed_by_line(topic: &'static str, lines: Vec<String>) -> Vec<Input> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| (topic, format!("k{}", i % 1000), l))
        .collect()
}

const TOOLS: [ToolBench; 4] = [
    ToolBench {
        tool: "split-log",
        inputs: &["ODS_BASE_LOG"],
        partitions: 8,
        generate: |dir, n| keyed_by_line("ODS_BASE_LOG", mock_logs(dir, n)),
        outputs: &support::oracle::STREAMS,
        gmall_tables: false,
        to: "kafka",
        exactly_once: true,
    },
    ToolBench {
        tool: "route-db",
        inputs: &["ODS_BASE_DB"],
        // CDC records are ~430 bytes.
        partitions: 16,
        generate: |dir, n| keyed_by_line("ODS_BASE_DB", mock_db(dir, n)),
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
        to: "kafka",
        exactly_once: true,
    },
    ToolBench {
        tool: "dau",
        inputs: &["DWD_PAGE_LOG"],
        partitions: 8,
        // split-log's page logs, keyed by mid as it writes them.
        generate: |dir, n| {
            let logs = mock_logs(dir, n).join("\n");
            let args = strings(&[
                "--state",
                "file:gen.db",
                "split-log",
                "--from",
                "-",
                "--to",
                "-",
            ]);
            envelopes_of(
                &rtdw_lines(dir, &args, Some(logs.as_bytes())),
                &["DWD_PAGE_LOG"],
            )
        },
        outputs: &[],
        gmall_tables: false,
        to: "-",
        exactly_once: false,
    },
    ToolBench {
        tool: "order-wide",
        inputs: &["DWD_ORDER_INFO_I", "DWD_ORDER_DETAIL_I"],
        partitions: 8,
        // route-db's orders and details, keyed by id as it writes them.
        generate: |dir, n| {
            let cdc = mock_db(dir, n).join("\n");
            let args = strings(&[
                "--state",
                "file:gen.db",
                "route-db",
                "--from",
                "-",
                "--to",
                "-",
            ]);
            envelopes_of(
                &rtdw_lines(dir, &args, Some(cdc.as_bytes())),
                &["DWD_ORDER_INFO_I", "DWD_ORDER_DETAIL_I"],
            )
        },
        outputs: &["DWS_ORDER_WIDE", "DWD_DIRTY_LOG"],
        gmall_tables: true,
        to: "kafka",
        exactly_once: false,
    },
];

/// A topic name of this tool's run: the SPEC name with the tool appended.
fn renamed(topic: &str, tool: &str) -> String {
    format!("{topic}_{}", tool.replace('-', "_").to_uppercase())
}

fn bench_tool(broker: &support::kafka::Broker, label: &str, t: &ToolBench, n: u64) {
    let brokers = broker.bootstrap();
    let dir = tempfile::tempdir().unwrap();
    if t.gmall_tables {
        support::add_gmall_tables(dir.path(), &dir.path().join("gen.db"), true);
        support::add_gmall_tables(dir.path(), &dir.path().join(".rtdw/state"), true);
    }
    let records = (t.generate)(dir.path(), n);
    let mut toml = format!("brokers = \"{brokers}\"\n[topics]\n");
    for topic in t.inputs {
        broker.create_topic(&renamed(topic, t.tool), t.partitions);
        toml.push_str(&format!("{topic} = \"{}\"\n", renamed(topic, t.tool)));
    }
    for topic in t.outputs {
        broker.create_topic(&renamed(topic, t.tool), 4);
        toml.push_str(&format!("{topic} = \"{}\"\n", renamed(topic, t.tool)));
    }
    std::fs::write(dir.path().join("rtdw.toml"), toml).unwrap();
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("partitioner", "murmur2_random")
        .set("linger.ms", "20")
        .create()
        .unwrap();
    let mut events = 0u64;
    for (topic, key, value) in &records {
        let topic = renamed(topic, t.tool);
        let mut rec = BaseRecord::to(&topic).key(key).payload(value);
        while let Err((_, r)) = producer.send(rec) {
            rec = r;
            producer.poll(Duration::from_millis(10));
        }
        events += 1;
    }
    producer.flush(Duration::from_secs(120)).unwrap();
    println!(
        "{}: {label} (1 broker, {} partitions per input), {events} events",
        t.tool, t.partitions
    );

    let passthrough_out = renamed("PASSTHROUGH", t.tool);
    broker.create_topic(&passthrough_out, 4);
    let inputs: Vec<String> = t.inputs.iter().map(|i| renamed(i, t.tool)).collect();
    let runs: usize = std::env::var("RTDW_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let passthrough_run = |fanout: f64| {
        median_rate(runs, |i| {
            let mut me = Command::new(std::env::current_exe().unwrap());
            me.env(
                "RTDW_BENCH_PASSTHROUGH",
                format!(
                    "{brokers}|{}|{passthrough_out}|{events}|passthrough-{fanout}-{i}|{fanout}",
                    inputs.join(",")
                ),
            );
            me
        })
    };
    let base = passthrough_run(1.0);
    let mut modes = vec![("at least once", vec![])];
    if t.exactly_once {
        modes.push(("--exactly-once", vec!["--exactly-once"]));
    }
    let mut rows = Vec::new();
    let mut fanned: Option<(f64, Rate)> = None;
    for (mode, extra) in modes {
        let r = median_rate(runs, |i| {
            let mut cmd = Command::new(BIN);
            cmd.current_dir(dir.path())
                .args([t.tool, "--from", "kafka", "--to", t.to, "--once"])
                .args([
                    "--group",
                    &format!("bench-{}-{i}", extra.len()),
                    "--offsets",
                    "kafka",
                ])
                .args(&extra)
                .stdout(std::process::Stdio::null());
            cmd.arg(if std::env::var_os("RTDW_BENCH_SHOW").is_some() {
                "-vv"
            } else {
                "-v"
            });
            cmd
        });
        rows.push((format!("{} {mode}", t.tool), r));
        if fanned.is_none() && t.to == "kafka" {
            // Records written per event by the at-least-once runs.
            let written: i64 = t
                .outputs
                .iter()
                .flat_map(|o| broker.watermarks(&renamed(o, t.tool), 4).into_values())
                .map(|(_, hi)| hi)
                .sum();
            let k = written as f64 / (events as f64 * runs as f64);
            fanned = Some((k, passthrough_run(k)));
        }
    }
    println!(
        "{:<44} {:>12} {:>14}",
        "events/s", "wall clock", "steady state"
    );
    println!(
        "  {:<42} {:>12.0} {:>14.0}   ({} events)",
        "rdkafka passthrough (no parsing)", base.wall, base.steady, base.read
    );
    if let Some((k, f)) = &fanned {
        println!(
            "  {:<42} {:>12.0} {:>14.0}   (writing {k:.2} records per event, as the tool does)",
            format!("rdkafka passthrough ×{k:.2}"),
            f.wall,
            f.steady,
        );
    }
    for (label, r) in rows {
        let versus_fanned = fanned
            .as_ref()
            .map(|(k, f)| format!("; {:.0}% of ×{k:.2}", 100.0 * r.steady / f.steady))
            .unwrap_or_default();
        println!(
            "  {:<42} {:>12.0} {:>14.0}   ({} events; {:.0}% / {:.0}% of the passthrough{versus_fanned})",
            label,
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
        let inputs: Vec<&str> = a[1].split(',').collect();
        passthrough(
            a[0],
            &inputs,
            a[2],
            a[3].parse().unwrap(),
            a[4],
            a[5].parse().unwrap(),
        );
        return;
    }
    if !std::env::args().any(|a| a == "--bench") {
        println!("kafka_tools: run with `cargo bench --bench kafka_tools`");
        return;
    }
    let mock = std::env::var("RTDW_BENCH_BROKER").is_ok_and(|b| b == "mock");
    // Under 0.5 s of steady state the ratios are noise; the mock slows down
    // badly with volume.
    let n: u64 = std::env::var("RTDW_BENCH_EVENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if mock { 100_000 } else { 400_000 });
    let wanted = std::env::var("RTDW_BENCH_TOOLS")
        .unwrap_or_else(|_| "split-log,route-db,dau,order-wide".into());
    for t in TOOLS
        .iter()
        .filter(|t| wanted.split(',').any(|w| w == t.tool))
    {
        if mock {
            // A cluster per tool: the mock slows down with every record it holds.
            let broker = support::kafka::Broker::mock();
            bench_tool(&broker, "librdkafka mock cluster", t, n);
        } else {
            let broker = support::kafka::Broker::apache();
            bench_tool(&broker, "Apache Kafka 4 (KRaft)", t, n);
        }
    }
}
