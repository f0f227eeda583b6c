//! Opening what the flags name: the source (files, stdin, Kafka with its
//! offset store) and the sink (stdout, `DIR/`, Kafka, Elasticsearch).

use super::*;
use crate::endpoint::{From, To};
use crate::es::bulk::{BulkOp, EsSink, IndexTemplate, OnRefused};
use crate::es::client::EsClient;
use crate::exit::Failure;
use crate::offsets::instances::Registration;
use crate::offsets::{HashOffsets, OffsetStore, OffsetsSpec};
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::kafka::KafkaSink;
use crate::sink::lines::{DirSink, StdoutSink};
use crate::sink::tee::TeeSink;
use crate::sink::{Sink, StreamDef};
use crate::source::kafka::{KafkaSource, KafkaSourceOptions};
use crate::source::lines::LinesSource;
use crate::source::{Rewind, Source};
use crate::state::{self, StateStore};
use anyhow::{Context, Result};
use std::sync::Arc;

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

pub(super) fn open_offsets(
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
    // Named by the flag that chose it (the state store has its own, --state).
    let state = state::open(&state_spec, settings.redis.as_deref())
        .with_context(|| format!("--offsets {spec}"))?;
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
    let writes = if es.is_some() {
        Writes::Documents
    } else {
        Writes::Records
    };
    args.check_output(tool, writes)?;
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
            Ok(Box::new(TeeSink { documents, records }))
        }
        (To::Stdout, _) => Ok(Box::new(StdoutSink::new(streams))),
        (To::Dir(dir), _) => {
            let from_kafka = args.reads_kafka()?;
            Ok(Box::new(DirSink::open(dir, streams, from_kafka)?))
        }
        (To::Kafka(None), _) => {
            // Stable per instance, so a restarted instance fences its own zombie
            // and aborts its open transaction at once (see README).
            let txn_id = args
                .exactly_once
                .then(|| format!("rtdw-{tool}-{}-{}", args.group_or(tool), args.instance_id()));
            let mut sink = KafkaSink::open(
                settings,
                streams,
                &format!("rtdw-{tool}"),
                txn_id.as_deref(),
            )?;
            if args.on_refused == OnRefused::DeadLetter {
                sink = sink.with_dead_letter(tool);
            }
            Ok(Box::new(sink))
        }
        // check_output refused the rest.
        (other, _) => Err(anyhow::anyhow!("{tool}: no sink for --to {other:?}")),
    }
}
