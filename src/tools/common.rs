//! What every streaming tool shares: the `--from/--to/--group/--offsets/batch`
//! flags, and opening the source, sink and offset store they name.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use clap::Args;

use crate::counters::Counters;
use crate::endpoint::{From, To};
use crate::es::bulk::{BulkOp, EsSink, IndexTemplate, OnRefused};
use crate::es::client::EsClient;
use crate::exit::ExitStatus;
use crate::exit::Failure;
use crate::model::event_time::Plausible;
use crate::offsets::instances::{hostname, Registration};
use crate::offsets::{HashOffsets, OffsetStore, OffsetsSpec};
use crate::pipeline::{self, BatchTransform, RunOptions};
use crate::retry::RetryPolicy;
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::kafka::KafkaSink;
use crate::sink::lines::{DirSink, StdoutSink};
use crate::sink::tee::TeeSink;
use crate::sink::{Sink, StreamDef};
use crate::source::kafka::{KafkaSource, KafkaSourceOptions};
use crate::source::lines::{LinesSource, DEFAULT_MAX_LINE_BYTES};
use crate::source::{BatchLimits, Rewind, Source};
use crate::state::retrying::Retrying;
use crate::state::{self, StateStore};

#[derive(Debug, Clone, Args)]
pub struct StreamArgs {
    /// Input: kafka:TOPIC[,TOPIC…] (or `kafka` for the default topic), FILE… (.gz ok; a folder: its *.jsonl[.gz] in name order), or - for stdin; several after one --from, or repeated
    #[arg(long, required = true, value_name = "SOURCE", num_args = 1..)]
    pub from: Vec<String>,
    /// Output: kafka (default topics), - (NDJSON envelopes on stdout), or DIR/ (one NAME.jsonl per stream, appended)
    #[arg(long, value_name = "SINK")]
    pub to: To,
    /// Kafka consumer group [default: the tool's name]
    #[arg(long, value_name = "ID")]
    pub group: Option<String>,
    /// Where offsets are stored: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]
    #[arg(long, value_name = "STORE")]
    pub offsets: Option<OffsetsSpec>,
    /// Most records per micro-batch
    #[arg(long, default_value_t = 20_000, value_name = "N")]
    pub batch_max: usize,
    /// Longest wait for a micro-batch to fill, in milliseconds
    #[arg(long, default_value_t = 5000, value_name = "MS")]
    pub batch_ms: u64,
    /// Drain what is available now, then exit (for cron)
    #[arg(long)]
    pub once: bool,
    /// Stop with exit 65 at the first bad record instead of sending it to the dirty stream
    #[arg(long)]
    pub strict: bool,
    /// Kafka → Kafka in transactions: outputs and offsets commit together (offsets in the Kafka group)
    #[arg(long)]
    pub exactly_once: bool,
    /// A document Elasticsearch or a record Kafka refuses for good (a mapping error, a record too large): dead-letter = into the index or topic rtdw_dead_{tool} with the reason, counted `refused`, offsets move on; fail = offsets held from it on, exit 1
    #[arg(long, value_enum, default_value_t = OnRefused::DeadLetter, value_name = "POLICY")]
    pub on_refused: OnRefused,
    /// Give up (exit 69) when a service stays unreachable this long, e.g. 90s, 5m; 0 = never [default: 60s for files, stdin and --once; never for a Kafka stream]
    #[arg(long, value_name = "DURATION")]
    pub max_retry_time: Option<jiff::SignedDuration>,
    /// This instance's name in the group's registry and in its transactional.id [default: the host name]
    #[arg(long, value_name = "NAME")]
    pub instance_id: Option<String>,
    /// Serve Prometheus metrics on HOST:PORT at /metrics
    #[arg(long, value_name = "HOST:PORT")]
    pub metrics_addr: Option<String>,
    /// Lines longer than this become dirty (the dirty record keeps the first 64 KiB)
    #[arg(long, default_value_t = DEFAULT_MAX_LINE_BYTES, value_name = "BYTES")]
    pub max_line_bytes: usize,
    /// Event times before this date (UTC) are dirty: a corrupt `ts` never creates an index
    #[arg(long, default_value = "2000-01-01", value_name = "YYYY-MM-DD")]
    pub min_event_time: jiff::civil::Date,
    /// Event times further than this ahead of the clock are dirty, e.g. 24h, 90m
    #[arg(long, default_value = "24h", value_name = "DURATION")]
    pub max_event_ahead: jiff::SignedDuration,
}

/// The default `--max-retry-time` of bounded input (files, stdin, `--once`).
pub const BOUNDED_MAX_RETRY: Duration = Duration::from_secs(60);

impl StreamArgs {
    /// Whether `--from` names Kafka topics (rather than files or stdin).
    pub fn reads_kafka(&self) -> Result<bool> {
        Ok(matches!(From::parse(&self.from)?, From::Kafka(_)))
    }

    /// For tools that write documents (`dau`, `risk-alert`): `--to kafka`
    /// and `--exactly-once` are refused before anything starts.
    pub fn validate_documents_only(&self, tool: &str) -> Result<()> {
        if self.exactly_once || matches!(self.to, To::Kafka(_)) {
            return Err(Failure::usage(format!(
                "{tool} writes Elasticsearch documents: use --to es, --to - or --to DIR/ (--to kafka and --exactly-once are for the Kafka → Kafka tools: split-log, route-db, order-wide)"
            )));
        }
        self.validate()
    }

    /// The first phase of a run: every usage error (exit 2) of the stream
    /// flags, with no I/O (no file opened, no connection), so a wrong
    /// `--to` never waits for a broker first. `writes` is what the tool makes.
    pub fn check(&self, tool: &str, writes: Writes) -> Result<RunOptions> {
        let documents_only = "use --to es, --to - or --to DIR/";
        match (&self.to, writes) {
            (To::File(p), _) => Err(Failure::usage(format!(
                "--to {}: {tool} writes one file per stream; give a directory with a trailing slash, e.g. --to {}/",
                p.display(),
                p.display()
            ))),
            (To::Kafka(_), Writes::Documents) => Err(Failure::usage(format!(
                "--to kafka: {tool} writes Elasticsearch documents: {documents_only} (--to kafka and --exactly-once are for the Kafka → Kafka tools: split-log, route-db, order-wide)"
            ))),
            (To::Kafka(Some(t)), _) => Err(Failure::usage(format!(
                "--to kafka:{t}: {tool} writes several topics; use --to kafka and rename topics in rtdw.toml [topics]"
            ))),
            (To::Es, Writes::Records) => Err(Failure::usage(format!(
                "--to es: {tool} writes Kafka topics, not Elasticsearch documents"
            ))),
            _ => Ok(()),
        }?;
        if writes == Writes::Documents {
            self.validate_documents_only(tool)?;
        }
        self.run_options()
    }

    /// Checks flag combinations that clap cannot express, and that the
    /// input files exist, before any store is opened.
    pub fn validate(&self) -> Result<()> {
        if let From::Lines(paths) = From::parse(&self.from)? {
            if let Some(p) = paths.iter().find(|p| p.as_os_str() != "-" && !p.exists()) {
                return Err(Failure::usage(format!(
                    "--from {}: no such file",
                    p.display()
                )));
            }
        }
        if self.exactly_once {
            if !self.reads_kafka()? || self.to != To::Kafka(None) {
                return Err(Failure::usage(
                    "--exactly-once needs --from kafka:… and --to kafka",
                ));
            }
            if self
                .offsets
                .as_ref()
                .is_some_and(|o| *o != OffsetsSpec::Kafka)
            {
                return Err(Failure::usage(
                    "--exactly-once stores offsets in the Kafka group, inside each transaction: drop --offsets or use --offsets kafka",
                ));
            }
        }
        Ok(())
    }

    pub fn run_options(&self) -> Result<RunOptions> {
        self.validate()?;
        if self.batch_max == 0 {
            return Err(Failure::usage("--batch-max must be at least 1"));
        }
        Ok(RunOptions {
            limits: BatchLimits {
                max_records: self.batch_max,
                max_wait: Duration::from_millis(self.batch_ms.max(1)),
            },
            strict: self.strict,
        })
    }

    /// The event times this run accepts (`--min-event-time`, `--max-event-ahead`).
    pub fn plausible(&self) -> Plausible {
        let min_ms = self
            .min_event_time
            .to_zoned(jiff::tz::TimeZone::UTC)
            .map_or(crate::model::event_time::DEFAULT_MIN_MS, |z| {
                z.timestamp().as_millisecond()
            });
        Plausible {
            min_ms,
            max_ahead_ms: i64::try_from(self.max_event_ahead.as_millis()).unwrap_or(i64::MAX),
        }
    }

    /// How long to ride out an outage before exit 69. Bounded input (files,
    /// stdin, `--once`) has an end a person or cron waits for, so it gives up
    /// after 60 s by default; a Kafka stream is a service and waits forever.
    pub fn retry_policy(&self) -> RetryPolicy {
        let bounded = self.once || !self.reads_kafka().unwrap_or(false);
        let give_up = match self.max_retry_time {
            Some(d) if d.is_zero() => None,
            Some(d) => Some(d.unsigned_abs()),
            None if bounded => Some(BOUNDED_MAX_RETRY),
            None => None,
        };
        RetryPolicy::new(give_up)
    }

    pub fn instance_id(&self) -> String {
        self.instance_id.clone().unwrap_or_else(hostname)
    }

    pub fn group_or(&self, tool: &str) -> String {
        self.group.clone().unwrap_or_else(|| tool.to_string())
    }
}

/// What a tool writes, for [`StreamArgs::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writes {
    /// Kafka records (`--to kafka`, `-`, `DIR/`).
    Records,
    /// Elasticsearch documents (`--to es`, `-`, `DIR/`).
    Documents,
    /// Either, by `--to` (`order-wide`: documents, or the topic with `--to kafka`).
    Either,
}

/// For a Kafka run of a tool whose inputs must be co-partitioned (records
/// of one key in every input must reach one instance): checks at start that
/// the input topics have the same partition count, as Kafka Streams does
/// for a join, and refuses with the counts otherwise. `why` says what must
/// meet. With the same count and the same partitioner (murmur2 for Java
/// producers and for rtdw) a key is in the same partition of each topic,
/// and range assignment (librdkafka's default, required here) gives those
/// partitions to one member.
pub fn require_co_partitioned(
    args: &StreamArgs,
    settings: &Settings,
    tool: &str,
    default_topics: &[String],
    why: &str,
) -> Result<()> {
    let From::Kafka(topics) = From::parse(&args.from)? else {
        return Ok(());
    };
    let topics = if topics.is_empty() {
        default_topics.to_vec()
    } else {
        topics
    };
    if topics.len() < 2 {
        return Ok(());
    }
    // Only range assignment gives partition p of every topic to one member
    // (Kafka Streams brings its own assignor for this); cooperative-sticky
    // and roundrobin spread them. librdkafka prefers the first strategy listed.
    let consumer = crate::kafka::client_config(settings, crate::kafka::ClientKind::Consumer, tool)?;
    let strategy = consumer
        .get("partition.assignment.strategy")
        .unwrap_or("range,roundrobin");
    if strategy.split(',').next().map(str::trim) != Some("range") {
        return Err(Failure::usage(format!(
            "{tool} needs partition p of every input topic on one instance ({why}), but partition.assignment.strategy = \"{strategy}\" spreads them: drop the override from [kafka], or list range first"
        )));
    }
    let log = crate::offsets::log_bounds::LogBounds::open(settings)?;
    let mut counts = Vec::new();
    for t in &topics {
        counts.push((t.clone(), log.partitions(t)?.len()));
    }
    if counts.windows(2).any(|w| w[0].1 != w[1].1) {
        let listed: Vec<String> = counts.iter().map(|(t, n)| format!("{t} has {n}")).collect();
        return Err(Failure::usage(format!(
            "{tool} needs its input topics co-partitioned ({why}), but {}: give them the same partition count, as Kafka Streams requires for a join. Create the topics with it before the first producer writes (kafka-topics --create --partitions N; a topic a producer auto-creates gets the broker's num.partitions). Adding partitions later (kafka-topics --alter) moves existing keys, so replay the inputs after it",
            listed.join(", ")
        )));
    }
    Ok(())
}

/// Opens the source the flags name. `default_topics` are the tool's inputs.
pub fn open_source(
    args: &StreamArgs,
    settings: &Settings,
    tool: &str,
    default_topics: &[String],
    shutdown: &Shutdown,
    rewind: Option<Rewind>,
) -> Result<Box<dyn Source>> {
    if let Some(addr) = &args.metrics_addr {
        crate::metrics::serve(addr)?;
    }
    match From::parse(&args.from)? {
        From::Lines(paths) => Ok(Box::new(LinesSource::open(
            paths,
            default_topics.to_vec(),
            args.max_line_bytes,
        )?)),
        From::Kafka(topics) => {
            let topics = if topics.is_empty() {
                default_topics.to_vec()
            } else {
                topics
            };
            settings.require_brokers()?;
            let group = args.group_or(tool);
            let (store, state) = open_offsets(args, settings, shutdown)?;
            let registration = match &state {
                Some(state) => {
                    tracing::info!(group = %group, "offsets in {}", state.describe());
                    Some(Registration::register(
                        Arc::clone(state),
                        &group,
                        &args.instance_id(),
                        tool,
                    )?)
                }
                None => {
                    tracing::info!(
                        group = %group,
                        "offsets in the Kafka consumer group {group} at {} (--offsets redis|file to keep them elsewhere)",
                        settings.require_brokers()?
                    );
                    None
                }
            };
            let options = KafkaSourceOptions {
                topics: &topics,
                group: &group,
                store,
                registration,
                once: args.once,
                client_id: &format!("rtdw-{tool}"),
                policy: args.retry_policy(),
                shutdown: shutdown.clone(),
                rewind,
            };
            Ok(Box::new(KafkaSource::open(settings, options)?))
        }
    }
}

/// The external offset store (`None` = Kafka group commits).
/// The external offset store and the state store behind it (`None` = Kafka
/// group commits).
type OffsetStores = (Option<Arc<dyn OffsetStore>>, Option<Arc<dyn StateStore>>);

fn open_offsets(
    args: &StreamArgs,
    settings: &Settings,
    shutdown: &Shutdown,
) -> Result<OffsetStores> {
    let spec = match &args.offsets {
        Some(s) => s.clone(),
        None if args.exactly_once => OffsetsSpec::Kafka,
        None => OffsetsSpec::default_for(settings),
    };
    if spec == OffsetsSpec::Redis && settings.redis.is_none() {
        return Err(Failure::usage(
            "--offsets redis needs --redis URL (or RTDW_REDIS_URL)",
        ));
    }
    let Some(state_spec) = spec.state_spec(settings) else {
        return Ok((None, None));
    };
    let state = state::open(&state_spec, settings.redis.as_deref())?;
    let offsets = HashOffsets::new(Arc::clone(&state), args.retry_policy(), shutdown.clone());
    Ok((Some(Arc::new(offsets)), Some(state)))
}

/// How a tool that writes documents writes them to Elasticsearch.
pub struct EsTarget {
    pub op: BulkOp,
    pub template: Option<IndexTemplate>,
    /// The tool's record streams go to Kafka meanwhile (`--to es` only).
    pub also_kafka: bool,
}

/// Opens the sink for a tool whose outputs are `streams` (topics, or
/// documents when `es` says how to write them to Elasticsearch).
pub fn open_sink(
    args: &StreamArgs,
    settings: &Settings,
    tool: &str,
    streams: Vec<StreamDef>,
    es: Option<EsTarget>,
    shutdown: &Shutdown,
) -> Result<Box<dyn Sink>> {
    match (&args.to, es) {
        (To::Es, Some(es)) => {
            let client = EsClient::connect(settings)?;
            tracing::info!("documents to elasticsearch {}", client.masked);
            let mut sink = EsSink::new(
                client,
                streams.clone(),
                es.op,
                es.template,
                args.retry_policy(),
                shutdown.clone(),
            );
            if args.on_refused == OnRefused::DeadLetter {
                sink = sink.with_dead_letter(tool);
            }
            let documents = Box::new(sink);
            if !es.also_kafka {
                return Ok(documents);
            }
            let mut records = KafkaSink::open(settings, streams, &format!("rtdw-{tool}"), None)?;
            if args.on_refused == OnRefused::DeadLetter {
                records = records.with_dead_letter(tool);
            }
            let records = Box::new(records);
            return Ok(Box::new(TeeSink { documents, records }));
        }
        (To::Kafka(_), Some(_)) => {
            return Err(Failure::usage(format!(
            "--to kafka: {tool} writes Elasticsearch documents: use --to es, --to - or --to DIR/"
        )))
        }
        _ => {}
    }
    match &args.to {
        To::Stdout => Ok(Box::new(StdoutSink::new(streams))),
        To::Dir(dir) => {
            let from_kafka = args.reads_kafka()?;
            Ok(Box::new(DirSink::open(dir, streams, from_kafka)?))
        }
        To::Kafka(None) => {
            // Stable per instance, so a restarted instance fences its own zombie
            // and aborts its open transaction at once (see README).
            let txn_id = args
                .exactly_once
                .then(|| format!("rtdw-{tool}-{}-{}", args.group_or(tool), args.instance_id()));
            let mut sink = KafkaSink::open(settings, streams, &format!("rtdw-{tool}"), txn_id.as_deref())?;
            if args.on_refused == OnRefused::DeadLetter {
                sink = sink.with_dead_letter(tool);
            }
            Ok(Box::new(sink))
        }
        To::Kafka(Some(t)) => Err(Failure::usage(format!(
            "--to kafka:{t}: {tool} writes several topics; use --to kafka and rename topics in rtdw.toml [topics]"
        ))),
        To::Es => Err(Failure::usage(format!("--to es: {tool} writes Kafka topics, not Elasticsearch documents"))),
        To::File(p) => Err(Failure::usage(format!(
            "--to {}: {tool} writes one file per stream; give a directory with a trailing slash, e.g. --to {}/",
            p.display(),
            p.display()
        ))),
    }
}

/// What a streaming tool reads and writes.
pub struct StreamTool {
    pub name: &'static str,
    /// Default input topics (after renames).
    pub inputs: Vec<String>,
    /// Output streams known at start (a tool may add more while running).
    pub streams: Vec<StreamDef>,
    pub dirty: usize,
    /// Where to start reading a partition instead of its stored offset.
    pub rewind: Option<Rewind>,
    /// The state store the transform reads and writes through the pipeline
    /// ([`crate::state::batch::BatchState`]); `None` for a stateless tool.
    pub state: Option<Retrying>,
}

/// Opens the tool's state store (`--state`, or Redis with `--redis`), its
/// calls retried under the run's `--max-retry-time` (exit 69 past it).
pub fn open_state(io: &StreamArgs, settings: &Settings, shutdown: &Shutdown) -> Result<Retrying> {
    let store = state::open(&settings.state, settings.redis.as_deref())?;
    Ok(Retrying::new(store, io.retry_policy(), shutdown.clone()))
}

/// Opens the tool's source and sink, runs the micro-batch loop with
/// `transform`, and logs the summary however the run ended.
pub fn run_stream(
    tool: StreamTool,
    io: &StreamArgs,
    settings: &Settings,
    shutdown: &Shutdown,
    transform: &mut dyn BatchTransform,
) -> Result<ExitStatus> {
    run_stream_with(tool, io, settings, shutdown, transform, None)
}

/// [`run_stream`] for a tool that writes documents (`es` says how, for `--to es`).
pub fn run_stream_with(
    tool: StreamTool,
    io: &StreamArgs,
    settings: &Settings,
    shutdown: &Shutdown,
    transform: &mut dyn BatchTransform,
    es: Option<EsTarget>,
) -> Result<ExitStatus> {
    let opts = io.run_options()?;
    let mut source = open_source(
        io,
        settings,
        tool.name,
        &tool.inputs,
        shutdown,
        tool.rewind.clone(),
    )?;
    let mut sink = open_sink(io, settings, tool.name, tool.streams.clone(), es, shutdown)?;
    let mut counters = Counters::new(
        tool.name,
        tool.streams.iter().map(|s| s.name.clone()).collect(),
        Some(tool.dirty),
    );
    let result = pipeline::run(
        source.as_mut(),
        transform,
        tool.state.as_ref(),
        sink.as_mut(),
        &mut counters,
        shutdown,
        &opts,
    );
    counters.log_summary();
    result?;
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        io: StreamArgs,
    }

    fn give_up(args: &[&str]) -> Option<Duration> {
        let fixed = ["t", "--to", "-"];
        let cli = Cli::parse_from(fixed.iter().chain(args).copied());
        cli.io.retry_policy().give_up_after
    }

    /// Issue 16: a file run against a dead ES hung until SIGTERM.
    #[test]
    fn bounded_input_gives_up_after_a_minute_by_default() {
        assert_eq!(give_up(&["--from", "day.jsonl"]), Some(BOUNDED_MAX_RETRY));
        assert_eq!(give_up(&["--from", "-"]), Some(BOUNDED_MAX_RETRY));
        assert_eq!(
            give_up(&["--from", "kafka", "--once"]),
            Some(BOUNDED_MAX_RETRY)
        );
        assert_eq!(give_up(&["--from", "kafka"]), None);
        assert_eq!(
            give_up(&["--from", "a.jsonl", "--max-retry-time", "0s"]),
            None
        );
        assert_eq!(
            give_up(&["--from", "kafka", "--max-retry-time", "5m"]),
            Some(Duration::from_secs(300))
        );
    }
}
