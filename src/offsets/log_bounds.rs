//! What the broker knows about a topic's log: its partitions, where each
//! starts and ends, and which offset a point in time maps to. Used by
//! `rtdw offsets` to show lag and to clamp and compute reset targets.

use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{Message, Offset, TopicPartitionList};

use crate::exit::Failure;
use crate::kafka::{client_config, ClientKind};
use crate::settings::Settings;

const TIMEOUT: Duration = Duration::from_secs(10);

/// A broker connection with no group: it reads metadata and offsets only.
pub struct LogBounds {
    consumer: BaseConsumer<crate::kafka::FoldingContext>,
    brokers: String,
}

impl LogBounds {
    pub fn open(settings: &Settings) -> Result<LogBounds> {
        let brokers = settings.require_brokers()?.to_string();
        let mut cfg = client_config(settings, ClientKind::Consumer, "rtdw-offsets")?;
        // A group id is required by librdkafka's consumer; this one never joins.
        cfg.set("group.id", "rtdw-offsets-inspector");
        let consumer: BaseConsumer<crate::kafka::FoldingContext> = cfg
            .create_with_context(crate::kafka::FoldingContext)
            .map_err(|e| Failure::usage(format!("Kafka settings: {e}")))?;
        Ok(LogBounds { consumer, brokers })
    }

    /// Whether the cluster answers a metadata request; the client's error when not.
    pub fn probe(&self) -> std::result::Result<(), String> {
        self.consumer
            .fetch_metadata(None, TIMEOUT)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// The partition ids of `topic`; an error when the topic does not exist.
    pub fn partitions(&self, topic: &str) -> Result<Vec<i32>> {
        let md = self
            .consumer
            .fetch_metadata(Some(topic), TIMEOUT)
            .map_err(|e| {
                Failure::unavailable(crate::service::Service::Kafka, self.brokers.clone(), e)
            })?;
        let t = md
            .topics()
            .iter()
            .find(|t| t.name() == topic)
            .ok_or_else(|| anyhow!("topic {topic} not in the metadata of {}", self.brokers))?;
        if let Some(e) = t.error() {
            return Err(Failure::usage(format!(
                "topic {topic} on {}: {}",
                self.brokers,
                rdkafka::types::RDKafkaErrorCode::from(e)
            )));
        }
        let mut ids: Vec<i32> = t.partitions().iter().map(|p| p.id()).collect();
        ids.sort_unstable();
        Ok(ids)
    }

    /// (log start, log end) of one partition.
    pub fn bounds(&self, topic: &str, partition: i32) -> Result<(i64, i64)> {
        self.consumer
            .fetch_watermarks(topic, partition, TIMEOUT)
            .map_err(|e| {
                Failure::unavailable(crate::service::Service::Kafka, self.brokers.clone(), e)
            })
            .with_context(|| format!("log bounds of {topic}/{partition}"))
    }

    /// The first offset whose record timestamp is at or after `ts_ms`, or the
    /// log end when there is none. A broker that cannot look offsets up by
    /// time may answer "log end" for everything (librdkafka's mock cluster
    /// does): that answer is checked against the last record's timestamp,
    /// and a wrong one is an error rather than a silent reset to the end.
    /// An offset answer is checked too: its record must not be older than
    /// `ts_ms` (tansu 0.6.0 answers 0 for a time after its last record).
    /// `bounds` = the partition's (log start, log end), from [`Self::bounds`].
    pub fn offset_at(
        &self,
        topic: &str,
        partition: i32,
        ts_ms: i64,
        (low, high): (i64, i64),
    ) -> Result<i64> {
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(topic, partition, Offset::Offset(ts_ms))?;
        let answer = self.consumer.offsets_for_times(tpl, TIMEOUT).map_err(|e| {
            Failure::unavailable(crate::service::Service::Kafka, self.brokers.clone(), e)
        })?;
        let e = answer
            .find_partition(topic, partition)
            .ok_or_else(|| anyhow!("no answer for {topic}/{partition} to a lookup by time"))?;
        e.error()
            .map_err(|err| anyhow!("looking up {topic}/{partition} by time: {err}"))?;
        match e.offset() {
            Offset::Offset(o) if o >= low && o < high => {
                match self.timestamp_of(topic, partition, o)? {
                    Some(found) if found < ts_ms => Err(anyhow!(
                        "the broker at {} answered offset {o} for {topic}/{partition} at {ts_ms} ms, \
                         but that record is from {found} ms: its lookup by time is wrong here; use --to-offset",
                        self.brokers
                    )),
                    _ => Ok(o),
                }
            }
            Offset::Offset(o) => Ok(o),
            Offset::End | Offset::Invalid => {
                if high > low {
                    if let Some(last_ts) = self.timestamp_of(topic, partition, high - 1)? {
                        if last_ts >= ts_ms {
                            return Err(anyhow!(
                                "the broker at {} answered \"log end\" for {topic}/{partition} at {ts_ms} ms, \
                                 but its last record (offset {}) is from {last_ts} ms: it does not support \
                                 looking offsets up by time (ListOffsets by timestamp); use --to-offset",
                                self.brokers,
                                high - 1
                            ));
                        }
                    }
                }
                Ok(high)
            }
            other => Err(anyhow!(
                "the broker answered {other:?} for {topic}/{partition} at {ts_ms} ms"
            )),
        }
    }

    /// The timestamp of the record at `offset` (None: no timestamp).
    fn timestamp_of(&self, topic: &str, partition: i32, offset: i64) -> Result<Option<i64>> {
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(topic, partition, Offset::Offset(offset))?;
        self.consumer.assign(&tpl)?;
        let deadline = std::time::Instant::now() + TIMEOUT;
        while std::time::Instant::now() < deadline {
            match self.consumer.poll(Duration::from_millis(100)) {
                Some(Ok(m)) if m.offset() >= offset => {
                    let _ = self.consumer.unassign();
                    return Ok(m.timestamp().to_millis());
                }
                Some(Err(e)) => return Err(anyhow!("reading {topic}/{partition}@{offset}: {e}")),
                _ => {}
            }
        }
        let _ = self.consumer.unassign();
        Err(anyhow!(
            "reading {topic}/{partition}@{offset} to check a lookup by time: timed out"
        ))
    }
}
