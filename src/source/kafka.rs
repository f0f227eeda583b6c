//! The Kafka source: a consumer-group member that reads micro-batches.
//!
//! * With an external offset store (Redis hash or the embedded file), the
//!   start offsets are put into the assignment itself inside the rebalance
//!   callback, so no seek races the fetcher. With `--offsets kafka` the group's
//!   committed offsets are used and committed after each batch.
//! * On a revoke the callback only records it: the batch in flight ends at
//!   once, is written and its offsets stored, and then the partitions are
//!   released (librdkafka waits for that unassign call). A new owner therefore
//!   starts exactly where this instance stopped.
//! * Eager and cooperative-sticky assignment are both handled.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, RebalanceProtocol};
use rdkafka::error::KafkaError;
use rdkafka::statistics::Statistics;
use rdkafka::types::RDKafkaRespErr;
use rdkafka::{ClientContext, Message, Offset, TopicPartitionList};

use super::{Batch, BatchLimits, Position, Source};
use crate::exit::Failure;
use crate::kafka::{client_config, ClientKind};
use crate::offsets::instances::Registration;
use crate::offsets::OffsetStore;
use crate::record::{InRecord, Origin};
use crate::retry::{retry, Attempt, RetryPolicy};
use crate::settings::Settings;
use crate::shutdown::Shutdown;

const POLL_SLICE: Duration = Duration::from_millis(100);
const METADATA_TIMEOUT: Duration = Duration::from_secs(10);
/// How long `--once` waits for the group to assign partitions.
const ASSIGN_TIMEOUT: Duration = Duration::from_secs(60);

type Tp = (String, i32);

#[derive(Default)]
struct Assignment {
    /// Owned partitions and the offset they were assigned at (None = group
    /// commit or auto.offset.reset decides).
    owned: BTreeMap<Tp, Option<i64>>,
    /// Partitions the group took away; released after the batch in flight.
    pending_revoke: Option<Vec<Tp>>,
    /// Assigned since the last batch was handed out ([`Batch::assigned`]).
    newly_assigned: Vec<Tp>,
    generation: u64,
    /// Set when the offset store failed inside the callback (its error,
    /// so the exit code and hint are the store's service's).
    fatal: Option<anyhow::Error>,
}

pub struct SourceContext {
    group: String,
    store: Option<Arc<dyn OffsetStore>>,
    rewind: Option<super::Rewind>,
    assignment: Mutex<Assignment>,
    /// Set while the consumer closes: revokes are then applied at once.
    closing: AtomicBool,
    /// Whether the log end is the last stable offset (for the lag metric).
    read_committed: bool,
}

impl SourceContext {
    fn lock(&self) -> std::sync::MutexGuard<'_, Assignment> {
        self.assignment.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Puts the stored offsets into `tpl`; returns the start per partition.
    fn apply_stored_offsets(
        &self,
        tpl: &mut TopicPartitionList,
    ) -> Result<BTreeMap<Tp, Option<i64>>> {
        let parts: Vec<Tp> = tpl
            .elements()
            .iter()
            .map(|e| (e.topic().to_string(), e.partition()))
            .collect();
        let mut starts = BTreeMap::new();
        let mut loaded: HashMap<String, BTreeMap<i32, i64>> = HashMap::new();
        for (topic, partition) in parts {
            let start = match &self.store {
                Some(store) => {
                    if !loaded.contains_key(&topic) {
                        loaded.insert(topic.clone(), store.load(&self.group, &topic)?);
                    }
                    loaded[&topic].get(&partition).copied()
                }
                None => None,
            };
            let start = match &self.rewind {
                Some(rewind) => match rewind(&topic, partition, start)? {
                    Some(to) if start.is_none_or(|s| to < s) => {
                        tracing::info!(topic = %topic, partition, from = ?start, to, "rewinding to rebuild state");
                        Some(to)
                    }
                    _ => start,
                },
                None => start,
            };
            if let Some(o) = start {
                tpl.set_partition_offset(&topic, partition, Offset::Offset(o))?;
            }
            starts.insert((topic, partition), start);
        }
        Ok(starts)
    }

    /// Releases revoked partitions (now or after the batch in flight).
    fn release(&self, consumer: &BaseConsumer<Self>, parts: &[Tp]) {
        let cooperative = matches!(
            consumer.rebalance_protocol(),
            RebalanceProtocol::Cooperative
        );
        let result = if cooperative {
            let mut tpl = TopicPartitionList::new();
            for (t, p) in parts {
                tpl.add_partition(t, *p);
            }
            consumer.incremental_unassign(&tpl)
        } else {
            consumer.unassign()
        };
        if let Err(e) = result {
            tracing::warn!("releasing revoked partitions: {e}");
        }
        let mut a = self.lock();
        if cooperative {
            for tp in parts {
                a.owned.remove(tp);
            }
        } else {
            a.owned.clear();
        }
        a.generation += 1;
        tracing::debug!(partitions = parts.len(), "partitions released");
    }
}

impl ClientContext for SourceContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, log_message: &str) {
        crate::kafka::log_librdkafka(level, fac, log_message);
    }

    fn error(&self, error: rdkafka::error::KafkaError, reason: &str) {
        crate::kafka::log_client_error(&error, reason);
    }

    fn stats(&self, stats: Statistics) {
        let owned = self.lock().owned.clone();
        for (topic, t) in &stats.topics {
            for (p, part) in &t.partitions {
                let end = if self.read_committed {
                    part.ls_offset
                } else {
                    part.hi_offset
                };
                if end >= 0 && owned.contains_key(&(topic.clone(), *p)) {
                    crate::metrics::log_end(topic, *p, end);
                }
            }
        }
    }
}

impl ConsumerContext for SourceContext {
    fn rebalance(
        &self,
        consumer: &BaseConsumer<Self>,
        err: RDKafkaRespErr,
        tpl: &mut TopicPartitionList,
    ) {
        let cooperative = matches!(
            consumer.rebalance_protocol(),
            RebalanceProtocol::Cooperative
        );
        match err {
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => {
                let starts = match self.apply_stored_offsets(tpl) {
                    Ok(s) => s,
                    Err(e) => {
                        // Without the stored offsets we must not read at all.
                        self.lock().fatal = Some(e);
                        return;
                    }
                };
                let result = if cooperative {
                    consumer.incremental_assign(tpl)
                } else {
                    consumer.assign(tpl)
                };
                if let Err(e) = result {
                    self.lock().fatal = Some(anyhow!("assigning partitions: {e}"));
                    return;
                }
                let mut a = self.lock();
                if !cooperative {
                    a.owned.clear();
                }
                for (tp, start) in &starts {
                    tracing::debug!(topic = %tp.0, partition = tp.1, start = ?start, "partition assigned");
                    if let Some(offset) = start {
                        crate::metrics::stored_offset(&tp.0, tp.1, *offset);
                    }
                }
                a.newly_assigned.extend(starts.keys().cloned());
                a.owned.extend(starts);
                a.generation += 1;
            }
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS => {
                let parts: Vec<Tp> = tpl
                    .elements()
                    .iter()
                    .map(|e| (e.topic().to_string(), e.partition()))
                    .collect();
                if self.closing.load(Ordering::Relaxed) {
                    self.release(consumer, &parts);
                } else {
                    self.lock()
                        .pending_revoke
                        .get_or_insert_with(Vec::new)
                        .extend(parts);
                }
            }
            other => {
                tracing::warn!("rebalance error: {other:?}");
                let parts: Vec<Tp> = self.lock().owned.keys().cloned().collect();
                self.release(consumer, &parts);
            }
        }
    }
}

/// Where a partition stands in a `--once` run.
struct Drain {
    end: i64,
    next: i64,
}

pub struct KafkaSource {
    consumer: BaseConsumer<SourceContext>,
    group: String,
    brokers: String,
    once: bool,
    policy: RetryPolicy,
    shutdown: Shutdown,
    registration: Option<Registration>,
    topic_names: HashMap<String, Arc<str>>,
    /// `--once`: the end offsets seen at assignment, and progress towards them.
    drain: HashMap<Tp, Drain>,
    drain_generation: u64,
    others: OtherPartitions,
    started: Instant,
    finished: bool,
    /// auto.offset.reset points at the log end (a user's override).
    reset_to_latest: bool,
}

/// What a Kafka source needs besides the settings.
pub struct KafkaSourceOptions<'a> {
    pub topics: &'a [String],
    pub group: &'a str,
    /// `None` = Kafka group commits.
    pub store: Option<Arc<dyn OffsetStore>>,
    pub registration: Option<Registration>,
    pub once: bool,
    pub client_id: &'a str,
    pub policy: RetryPolicy,
    pub shutdown: Shutdown,
    pub rewind: Option<super::Rewind>,
}

impl KafkaSource {
    /// Joins the group and subscribes to the topics.
    pub fn open(settings: &Settings, o: KafkaSourceOptions<'_>) -> Result<KafkaSource> {
        let brokers = settings.require_brokers()?.to_string();
        let mut cfg = client_config(settings, ClientKind::Consumer, o.client_id)?;
        cfg.set("group.id", o.group);
        // Statistics carry each partition's log end: the lag in the
        // progress line and in the metrics.
        if cfg.get("statistics.interval.ms").is_none() {
            cfg.set("statistics.interval.ms", "5000");
        }
        let ctx = SourceContext {
            // librdkafka's default isolation level is read_committed.
            read_committed: cfg.get("isolation.level") != Some("read_uncommitted"),
            group: o.group.to_string(),
            store: o.store,
            rewind: o.rewind,
            assignment: Mutex::new(Assignment::default()),
            closing: AtomicBool::new(false),
        };
        let consumer: BaseConsumer<SourceContext> = cfg
            .create_with_context(ctx)
            .map_err(|e| Failure::usage(format!("Kafka consumer settings: {e}")))?;
        // No broker answering at start is an outage like any other: waited
        // out under --max-retry-time (60 s for --once, forever for a
        // stream), with the same log lines, then exit 69.
        let started = std::time::Instant::now();
        retry(
            &o.policy,
            crate::service::Service::Kafka,
            &brokers,
            &o.shutdown,
            || {
                // Each try ends by the deadline, so the last one comes at it.
                let left = o.policy.give_up_after.map_or(METADATA_TIMEOUT, |max| {
                    max.saturating_sub(started.elapsed())
                });
                // Short tries: the outage is logged after 2 s, not after 10.
                let timeout = left.clamp(Duration::from_millis(200), Duration::from_secs(2));
                consumer
                    .fetch_metadata(None, timeout)
                    .map(|_| ())
                    .map_err(Attempt::Transient)
            },
        )?;
        let refs: Vec<&str> = o.topics.iter().map(String::as_str).collect();
        // Every partition of the inputs, for `--once` (see others_drained).
        let mut all = Vec::new();
        if o.once {
            for topic in o.topics {
                let md = consumer
                    .fetch_metadata(Some(topic), METADATA_TIMEOUT)
                    .map_err(|e| {
                        Failure::unavailable(crate::service::Service::Kafka, brokers.clone(), e)
                    })?;
                for p in md.topics().iter().flat_map(|t| t.partitions()) {
                    all.push((topic.clone(), p.id()));
                }
            }
        }
        consumer
            .subscribe(&refs)
            .map_err(|e| anyhow!("subscribing to {}: {e}", o.topics.join(",")))?;
        let session_timeout_ms: u64 = cfg
            .get("session.timeout.ms")
            .and_then(|v| v.parse().ok())
            .unwrap_or(45_000);
        let reset_to_latest = matches!(
            cfg.get("auto.offset.reset"),
            Some("latest" | "largest" | "end")
        );
        Ok(KafkaSource {
            reset_to_latest,
            consumer,
            group: o.group.to_string(),
            brokers,
            once: o.once,
            policy: o.policy,
            shutdown: o.shutdown,
            registration: o.registration,
            topic_names: o
                .topics
                .iter()
                .map(|t| (t.clone(), Arc::from(t.as_str())))
                .collect(),
            drain: HashMap::new(),
            drain_generation: 0,
            others: OtherPartitions {
                all,
                patience: Duration::from_millis(session_timeout_ms) + Duration::from_secs(15),
                ..OtherPartitions::default()
            },
            started: Instant::now(),
            finished: false,
        })
    }

    fn owned(&self) -> BTreeMap<Tp, Option<i64>> {
        self.consumer.context().lock().owned.clone()
    }

    fn revoke_pending(&self) -> bool {
        self.consumer.context().lock().pending_revoke.is_some()
    }

    /// Releases the partitions revoked during the last batch, now that it is committed.
    fn release_pending(&self) {
        let pending = self.consumer.context().lock().pending_revoke.take();
        if let Some(parts) = pending {
            self.consumer.context().release(&self.consumer, &parts);
        }
    }

    /// `--once`: after every (re)assignment, notes where each partition ends now.
    fn refresh_drain(&mut self) -> Result<()> {
        let (generation, owned) = {
            let a = self.consumer.context().lock();
            (a.generation, a.owned.clone())
        };
        if generation == self.drain_generation {
            return Ok(());
        }
        self.drain_generation = generation;
        let committed = if self.consumer.context().store.is_none() {
            self.kafka_committed(owned.keys())?
        } else {
            HashMap::new()
        };
        let mut drain = HashMap::new();
        for ((topic, partition), start) in owned {
            let (low, high) =
                self.consumer
                    .fetch_watermarks(&topic, partition, METADATA_TIMEOUT)?;
            let start = start
                .or_else(|| committed.get(&(topic.clone(), partition)).copied())
                .filter(|o| *o >= 0)
                .unwrap_or(low);
            let next = self
                .drain
                .get(&(topic.clone(), partition))
                .map_or(start, |d| d.next.max(start));
            drain.insert((topic, partition), Drain { end: high, next });
        }
        self.drain = drain;
        Ok(())
    }

    fn drained(&self) -> bool {
        !self.drain.is_empty() && self.drain.values().all(|d| d.next >= d.end)
    }

    /// `--once`, own partitions drained: are the group's other partitions
    /// stored up to where they ended when this run started? A member killed
    /// a moment ago still holds its partitions until its session times out;
    /// ending now would leave them unread until the next run. A live member
    /// stores them itself. Checked once a second; after the session timeout
    /// plus a rebalance's worth of waiting, the run ends with a warning
    /// naming them.
    fn others_drained(&mut self) -> Result<bool> {
        if self
            .others
            .checked
            .is_some_and(|t| t.elapsed() < Duration::from_secs(1))
        {
            return Ok(false);
        }
        self.others.checked = Some(Instant::now());
        let pending: Vec<Tp> = self
            .others
            .all
            .iter()
            .filter(|tp| !self.drain.contains_key(*tp))
            .cloned()
            .collect();
        if pending.is_empty() {
            return Ok(true);
        }
        for (topic, p) in &pending {
            if !self.others.ends.contains_key(&(topic.clone(), *p)) {
                let (_, high) = self
                    .consumer
                    .fetch_watermarks(topic, *p, METADATA_TIMEOUT)?;
                self.others.ends.insert((topic.clone(), *p), high);
            }
        }
        let stored = self.stored_offsets(&pending)?;
        let behind: Vec<&Tp> = pending
            .iter()
            .filter(|tp| stored.get(*tp).is_none_or(|o| *o < self.others.ends[*tp]))
            .collect();
        if behind.is_empty() {
            return Ok(true);
        }
        let waiting = self.others.since.get_or_insert_with(Instant::now);
        if waiting.elapsed() > self.others.patience {
            tracing::warn!(
                partitions = ?behind,
                "--once: these partitions stay with other members of group {} and were not drained by this run",
                self.group
            );
            return Ok(true);
        }
        Ok(false)
    }

    /// The stored offsets of `parts`, from whichever store holds them.
    fn stored_offsets(&self, parts: &[Tp]) -> Result<HashMap<Tp, i64>> {
        let Some(store) = &self.consumer.context().store else {
            return self.kafka_committed(parts);
        };
        let topics: std::collections::BTreeSet<&String> = parts.iter().map(|(t, _)| t).collect();
        let mut out = HashMap::new();
        for topic in topics {
            for (p, o) in store.load(&self.group, topic)? {
                out.insert((topic.clone(), p), o);
            }
        }
        Ok(out)
    }
}

/// `--once`: the partitions of the input topics and where they ended when
/// this run first looked.
#[derive(Default)]
struct OtherPartitions {
    /// session.timeout.ms + 15 s: by then a dead member's partitions moved.
    patience: Duration,
    all: Vec<Tp>,
    ends: HashMap<Tp, i64>,
    checked: Option<Instant>,
    since: Option<Instant>,
}

/// One shared name per topic, so records do not each allocate it.
fn topic_arc(names: &mut HashMap<String, Arc<str>>, topic: &str) -> Arc<str> {
    names
        .entry(topic.to_string())
        .or_insert_with(|| Arc::from(topic))
        .clone()
}

impl Source for KafkaSource {
    fn progress(&self) -> super::SourceProgress {
        super::SourceProgress {
            lag: crate::metrics::total_lag(),
            ..Default::default()
        }
    }

    fn next_batch(&mut self, limits: &BatchLimits, shutdown: &Shutdown) -> Result<Option<Batch>> {
        self.release_pending();
        if self.finished {
            return Ok(None);
        }
        let deadline = Instant::now() + limits.max_wait;
        let mut records = Vec::new();
        let mut next: HashMap<Tp, i64> = HashMap::new();
        while records.len() < limits.max_records && !shutdown.requested() {
            if let Some(r) = self.registration.as_mut() {
                r.refresh();
            }
            if let Some(fatal) = self.consumer.context().lock().fatal.take() {
                return Err(fatal.context(format!(
                    "the offsets of group {} at a partition assignment",
                    self.group
                )));
            }
            if self.revoke_pending() {
                break;
            }
            if self.once {
                self.refresh_drain()?;
                if self.drained() && self.others_drained()? {
                    self.finished = true;
                    break;
                }
                if self.drain.is_empty() && self.started.elapsed() > ASSIGN_TIMEOUT {
                    return Err(anyhow!(
                        "no partition of {} was assigned to group {} within {}s: do the topics exist, and are other members holding every partition?",
                        self.topic_names.keys().cloned().collect::<Vec<_>>().join(","),
                        self.group,
                        ASSIGN_TIMEOUT.as_secs()
                    ));
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.consumer.poll(left.min(POLL_SLICE)) {
                None => {}
                Some(Ok(m)) => {
                    let topic = topic_arc(&mut self.topic_names, m.topic());
                    let (partition, offset) = (m.partition(), m.offset());
                    let mut payload = m.payload().unwrap_or_default().to_vec();
                    crate::model::lenient::normalise_record(&mut payload);
                    records.push(InRecord {
                        payload,
                        topic: Some(Arc::clone(&topic)),
                        origin: Origin::Kafka {
                            topic: Arc::clone(&topic),
                            partition,
                            offset,
                        },
                        truncated_from: None,
                    });
                    let tp = (topic.to_string(), partition);
                    if let Some(d) = self.drain.get_mut(&tp) {
                        d.next = d.next.max(offset + 1);
                    }
                    next.insert(tp, offset + 1);
                }
                Some(Err(KafkaError::PartitionEOF(_))) => {}
                Some(Err(e)) => {
                    if matches!(
                        e.rdkafka_error_code(),
                        Some(rdkafka::types::RDKafkaErrorCode::UnknownTopicOrPartition)
                    ) && self.once
                    {
                        return Err(anyhow!(
                            "{e}: check the topic names (--from kafka:…) on {}",
                            self.brokers
                        ));
                    }
                    tracing::warn!("kafka: {e}");
                }
            }
        }
        // Only partitions still owned count: a partition lost without a
        // revoke (session timeout) is read again by its new owner.
        let owned = self.owned();
        let before = records.len();
        records.retain(|r: &InRecord| match &r.origin {
            Origin::Kafka {
                topic, partition, ..
            } => owned.contains_key(&(topic.to_string(), *partition)),
            Origin::Line { .. } => true,
        });
        if records.len() < before {
            tracing::info!(
                "dropped {} in-flight records of lost partitions",
                before - records.len()
            );
        }
        let assigned = std::mem::take(&mut self.consumer.context().lock().newly_assigned);
        let positions: Vec<Position> = next
            .into_iter()
            .filter(|(tp, _)| owned.contains_key(tp))
            .map(|((topic, partition), next_offset)| Position {
                topic: topic.as_str().into(),
                partition,
                next_offset,
            })
            .collect();
        if records.is_empty() && self.finished {
            return Ok(None);
        }
        // Only a `--once` run knows where each partition ends (measured at
        // its assignment). librdkafka's cached high watermark is no such
        // signal while producers write: it lags, and records in flight to
        // one topic would look like the end of it.
        let at_log_end = self
            .drain
            .iter()
            .filter(|(tp, d)| owned.contains_key(*tp) && d.next >= d.end)
            .map(|(tp, _)| tp.clone())
            .collect();
        Ok(Some(Batch {
            partitions: super::PartitionNews {
                assigned,
                at_log_end,
            },
            records,
            skipped: 0,
            positions,
        }))
    }

    fn transaction_context(&self) -> Result<Option<super::TxnContext>> {
        let metadata = self
            .consumer
            .group_metadata()
            .ok_or_else(|| anyhow!("the consumer of group {} has no group metadata", self.group))?;
        let owned = self.owned();
        let committed = self.kafka_committed(owned.keys())?;
        let mut positions = Vec::new();
        let mut uncommitted = Vec::new();
        for tp in owned.keys() {
            let topic: Arc<str> = tp.0.as_str().into();
            match committed.get(tp) {
                Some(next) => positions.push(Position {
                    topic,
                    partition: tp.1,
                    next_offset: *next,
                }),
                None => uncommitted.push((topic, tp.1)),
            }
        }
        Ok(Some(super::TxnContext {
            metadata,
            positions,
            uncommitted,
            reset_to_latest: self.reset_to_latest,
        }))
    }

    /// Back to the committed offsets; a partition without one goes back to
    /// its log start (auto.offset.reset=earliest, rtdw's default).
    fn rewind(&mut self) -> Result<()> {
        let owned = self.owned();
        let committed = self.kafka_committed(owned.keys())?;
        for (topic, partition) in owned.keys() {
            let to = committed
                .get(&(topic.clone(), *partition))
                .map_or(Offset::Beginning, |o| Offset::Offset(*o));
            self.consumer
                .seek(topic, *partition, to, METADATA_TIMEOUT)
                .map_err(|e| anyhow!("rewinding {topic}/{partition} to {to:?}: {e}"))?;
        }
        Ok(())
    }

    fn commit(&mut self, positions: &[Position]) -> Result<()> {
        if positions.is_empty() {
            return Ok(());
        }
        let owned = self.owned();
        let mine: Vec<Position> = positions
            .iter()
            .filter(|p| owned.contains_key(&(p.topic.to_string(), p.partition)))
            .cloned()
            .collect();
        match &self.consumer.context().store {
            Some(store) => store.store(&self.group, &mine),
            None => {
                let mut tpl = TopicPartitionList::new();
                for p in &mine {
                    tpl.add_partition_offset(&p.topic, p.partition, Offset::Offset(p.next_offset))?;
                }
                retry(
                    &self.policy,
                    crate::service::Service::Kafka,
                    &self.brokers,
                    &self.shutdown,
                    || {
                        self.consumer.commit(&tpl, CommitMode::Sync).map_err(|e| {
                            match e.rdkafka_error_code() {
                                Some(rdkafka::types::RDKafkaErrorCode::BrokerTransportFailure)
                                | Some(rdkafka::types::RDKafkaErrorCode::AllBrokersDown)
                                | Some(rdkafka::types::RDKafkaErrorCode::RequestTimedOut)
                                | Some(rdkafka::types::RDKafkaErrorCode::CoordinatorNotAvailable)
                                | Some(rdkafka::types::RDKafkaErrorCode::NotCoordinator) => {
                                    Attempt::Transient(e)
                                }
                                _ => Attempt::Permanent(e),
                            }
                        })
                    },
                )
                .map_err(|e| {
                    anyhow!("committing offsets of group {} to Kafka: {e:#}", self.group)
                })?;
                for p in &mine {
                    crate::metrics::stored_offset(&p.topic, p.partition, p.next_offset);
                }
                Ok(())
            }
        }
    }
}

impl KafkaSource {
    /// The Kafka-committed offsets of `parts` (partitions with none left
    /// out). No watermark queries here: behind a consumer's long-poll fetch
    /// each one waits up to fetch.wait.max.ms.
    fn kafka_committed<'a>(
        &self,
        parts: impl IntoIterator<Item = &'a Tp>,
    ) -> Result<HashMap<Tp, i64>> {
        let mut tpl = TopicPartitionList::new();
        for (t, p) in parts {
            tpl.add_partition(t, *p);
        }
        if tpl.count() == 0 {
            return Ok(HashMap::new());
        }
        Ok(
            crate::kafka::committed_offsets(&self.consumer, &tpl, METADATA_TIMEOUT)?
                .elements()
                .iter()
                .filter_map(|e| {
                    let o = e.offset().to_raw().filter(|o| *o >= 0)?;
                    Some(((e.topic().to_string(), e.partition()), o))
                })
                .collect(),
        )
    }
}

impl Drop for KafkaSource {
    fn drop(&mut self) {
        // Closing revokes everything: release it at once, nothing is in flight.
        self.consumer
            .context()
            .closing
            .store(true, Ordering::Relaxed);
        self.release_pending();
    }
}
