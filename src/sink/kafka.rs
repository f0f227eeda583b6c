//! The Kafka sink: an idempotent producer (acks=all) whose `flush` returns only
//! when every record of the batch is acknowledged, or fails the batch.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{anyhow, Result};
use rdkafka::config::RDKafkaLogLevel;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::DeliveryResult;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer, ProducerContext};
use rdkafka::ClientContext;

use super::kafka_refused::Refused;
use super::{Sink, Stored, StreamDef, StreamKind, TxnAborted};
use crate::exit::Failure;
use crate::kafka::{client_config, ClientKind};
use crate::record::OutBuf;
use crate::settings::Settings;
use crate::source::{Position, Source};
use rdkafka::{Offset, TopicPartitionList};

/// Longer than librdkafka's default message.timeout.ms (5 min), so a flush
/// ends with each record's own delivery result rather than our timeout.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(330);

#[derive(Default)]
pub struct DeliveryContext {
    failed: AtomicU64,
    /// Delivery reports served so far, successful or not.
    settled: AtomicU64,
    first_error: Mutex<Option<String>>,
    /// Records the broker refused for good ([`Refused`]), not counted in `failed`.
    refused: Mutex<Vec<Refused>>,
    #[cfg(feature = "failpoints")]
    audit: Option<super::txn_audit::TxnAudit>,
}

impl ClientContext for DeliveryContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, log_message: &str) {
        crate::kafka::log_librdkafka(level, fac, log_message);
    }

    fn error(&self, error: rdkafka::error::KafkaError, reason: &str) {
        crate::kafka::log_client_error(&error, reason);
    }
}

impl ProducerContext for DeliveryContext {
    type DeliveryOpaque = ();
    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        self.settled.fetch_add(1, Ordering::Relaxed);
        #[cfg(feature = "failpoints")]
        if let (Ok(msg), Some(audit)) = (result, &self.audit) {
            use rdkafka::Message;
            audit.delivered(msg.topic(), msg.partition(), msg.offset());
        }
        if let Err((e, msg)) = result {
            use rdkafka::Message;
            let value = msg.payload().unwrap_or_default();
            if let Some(r) = Refused::new(msg.topic(), msg.key(), value, e) {
                let mut refused = self.refused.lock().unwrap_or_else(|p| p.into_inner());
                refused.push(r);
                return;
            }
            self.failed.fetch_add(1, Ordering::Relaxed);
            let mut first = self.first_error.lock().unwrap_or_else(|p| p.into_inner());
            if first.is_none() {
                *first = Some(format!("{e} (topic {})", msg.topic()));
            }
        }
    }
}

pub struct KafkaSink {
    producer: BaseProducer<DeliveryContext>,
    streams: Vec<StreamDef>,
    brokers: String,
    /// `Some` with `--exactly-once`: whether a transaction is open.
    txn_open: Option<bool>,
    /// Records handed to the producer so far (compared with `settled`).
    sent: u64,
    /// Records librdkafka refused at send (larger than `message.max.bytes`).
    refused_at_send: Vec<Refused>,
    /// `Some(tool)` with `--on-refused dead-letter` (the default).
    dead_letter: Option<String>,
}

const TXN_TIMEOUT: Duration = Duration::from_secs(60);

impl KafkaSink {
    /// `transactional_id` = Some makes every batch one Kafka transaction.
    pub fn open(
        settings: &Settings,
        streams: Vec<StreamDef>,
        client_id: &str,
        transactional_id: Option<&str>,
    ) -> Result<KafkaSink> {
        let brokers = settings.require_brokers()?.to_string();
        let mut cfg = client_config(settings, ClientKind::Producer, client_id)?;
        if let Some(id) = transactional_id {
            cfg.set("transactional.id", id);
        }
        let context = DeliveryContext {
            #[cfg(feature = "failpoints")]
            audit: transactional_id.and(super::txn_audit::TxnAudit::from_env()),
            ..DeliveryContext::default()
        };
        let producer: BaseProducer<DeliveryContext> = cfg
            .create_with_context(context)
            .map_err(|e| Failure::usage(format!("Kafka producer settings: {e}")))?;
        producer
            .client()
            .fetch_metadata(None, Duration::from_secs(10))
            .map_err(|e| {
                Failure::unavailable(crate::service::Service::Kafka, brokers.clone(), e)
            })?;
        if let Some(id) = transactional_id {
            producer.init_transactions(TXN_TIMEOUT).map_err(|e| {
                anyhow!("--exactly-once: initialising transactions as {id} on {brokers}: {e}")
            })?;
        }
        let txn_open = transactional_id.map(|_| false);
        Ok(KafkaSink {
            producer,
            streams,
            brokers,
            txn_open,
            sent: 0,
            refused_at_send: Vec::new(),
            dead_letter: None,
        })
    }

    /// Returns once every record sent is acknowledged or refused for good
    /// (the refusals wait in [`KafkaSink::take_refused`]); any other
    /// delivery failure fails the batch.
    fn flush_acked(&mut self) -> Result<()> {
        self.producer.flush(FLUSH_TIMEOUT).map_err(|e| {
            Failure::unavailable(
                crate::service::Service::Kafka,
                self.brokers.clone(),
                format!(
                    "{} records not acknowledged: {e}",
                    self.producer.in_flight_count()
                ),
            )
        })?;
        if !self.serve_delivery_reports() {
            return Err(Failure::unavailable(
                crate::service::Service::Kafka,
                self.brokers.clone(),
                "flushed, but delivery reports are missing after 30 s; offsets not stored",
            ));
        }
        let ctx = self.producer.context();
        let failed = ctx.failed.swap(0, Ordering::Relaxed);
        if failed > 0 {
            let first = ctx
                .first_error
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take()
                .unwrap_or_default();
            return Err(anyhow!("{failed} records of this batch were not delivered (first: {first}); offsets not stored"));
        }
        Ok(())
    }

    /// Records Kafka refuses for good go to the topic `rtdw_dead_{tool}`
    /// and the offsets move on (see [`super::kafka_refused`]).
    pub fn with_dead_letter(mut self, tool: &str) -> KafkaSink {
        self.dead_letter = Some(tool.to_string());
        self
    }

    /// This batch's refusals, at send and in delivery reports.
    fn take_refused(&mut self) -> Vec<Refused> {
        let mut all = std::mem::take(&mut self.refused_at_send);
        let ctx = self.producer.context();
        all.append(&mut ctx.refused.lock().unwrap_or_else(|p| p.into_inner()));
        all
    }

    /// Sends the dead letters of `refused` (inside the open transaction,
    /// with --exactly-once); `None` when the policy is to hold the offsets.
    fn send_dead_letters(&mut self, refused: &[Refused]) -> Result<Option<()>> {
        let Some(tool) = self.dead_letter.clone() else {
            return Ok(None);
        };
        let topic = super::dead_letter_name(&tool);
        for r in refused {
            // A letter the producer refuses too keeps a quarter of the head, again.
            let mut head = super::kafka_refused::VALUE_HEAD;
            loop {
                let letter = r.dead_letter(&tool, head);
                let before = self.refused_at_send.len();
                self.send(&topic, r.key.as_deref().map(str::as_bytes), &letter)?;
                if self.refused_at_send.len() == before {
                    break;
                }
                let letter_refused = self.refused_at_send.pop();
                if head == 0 {
                    return Err(anyhow!(
                        "the dead letter of a refused record is refused too: {}; raise [kafka] \"producer.message.max.bytes\"",
                        letter_refused.map(|l| l.reason).unwrap_or_default()
                    ));
                }
                head /= 4;
            }
        }
        tracing::warn!(
            "{} records refused by Kafka for good (first: {} to {}: {}); written to the dead-letter topic {topic}",
            refused.len(),
            refused[0].value.len(),
            refused[0].topic,
            refused[0].reason
        );
        Ok(Some(()))
    }

    /// Hands one record to the producer, serving delivery reports while its
    /// queue is full. A record Kafka will always refuse is kept in
    /// `refused_at_send`; any other error fails the batch.
    fn send(&mut self, topic: &str, key: Option<&[u8]>, value: &[u8]) -> Result<()> {
        let mut record: BaseRecord<'_, [u8], [u8]> = BaseRecord::to(topic).payload(value);
        if let Some(k) = key {
            record = record.key(k);
        }
        loop {
            match self.producer.send(record) {
                Ok(()) => {
                    self.sent += 1;
                    return Ok(());
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    // The local queue is full: serve delivery reports, then retry.
                    record = back;
                    self.producer.poll(Duration::from_millis(50));
                }
                Err((e, back)) => {
                    let value = back.payload.unwrap_or_default();
                    match Refused::new(topic, back.key, value, &e) {
                        Some(mut r) => {
                            r.alone = true;
                            self.refused_at_send.push(r);
                            return Ok(());
                        }
                        None => return Err(anyhow!("producing to {topic}: {e}")),
                    }
                }
            }
        }
    }

    /// Sends each record refused with its batch again alone, waiting for
    /// each: those refused again are refused for good.
    fn retry_alone(&mut self, refused: Vec<Refused>) -> Result<Vec<Refused>> {
        let mut alone = Vec::new();
        for r in refused {
            if r.alone {
                alone.push(r);
                continue;
            }
            self.send(&r.topic, r.key.as_deref().map(str::as_bytes), &r.value)?;
            self.flush_acked()?;
            alone.extend(self.take_refused().into_iter().map(|mut r| {
                r.alone = true;
                r
            }));
        }
        Ok(alone)
    }

    /// What the pipeline does with this batch's refusals: none, dead-lettered, or held.
    fn settle_refused(&mut self, durable: Stored) -> Result<Stored> {
        let refused = self.take_refused();
        if refused.is_empty() {
            return Ok(durable);
        }
        let refused = self.retry_alone(refused)?;
        if refused.is_empty() {
            return Ok(durable);
        }
        let failed: Vec<_> = refused.iter().map(Refused::as_failed).collect();
        match self.send_dead_letters(&refused)? {
            Some(()) => Ok(Stored::DeadLettered(failed)),
            None => Ok(Stored::Held(failed)),
        }
    }

    /// Serves delivery reports until every record sent has one; false if
    /// some are still missing after 30 s. A flush waits for the broker's
    /// acknowledgements, but with the event API (rdkafka's BaseProducer) the
    /// reports, failures included, wait in the queue until polled: checking
    /// for failures right after a flush would miss them.
    fn serve_delivery_reports(&self) -> bool {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        let ctx = self.producer.context();
        while ctx.settled.load(Ordering::Relaxed) < self.sent {
            if std::time::Instant::now() >= deadline {
                return false;
            }
            self.producer.poll(Duration::from_millis(10));
        }
        true
    }

    fn begin_if_needed(&mut self) -> Result<()> {
        if self.txn_open == Some(false) {
            self.producer
                .begin_transaction()
                .map_err(|e| anyhow!("beginning a transaction: {e}"))?;
            self.txn_open = Some(true);
        }
        Ok(())
    }

    /// Sends `positions` as the group's offsets and commits the transaction.
    fn commit_transaction(&mut self, positions: &[Position], source: &dyn Source) -> Result<()> {
        self.begin_if_needed()?;
        crate::failpoint!(crate::failpoint::names::INSIDE_TRANSACTION);
        let ctx = if positions.is_empty() {
            None
        } else {
            source.transaction_context()?
        };
        let started = std::time::Instant::now();
        let result = (|| -> Result<(), KafkaError> {
            if let Some(ctx) = &ctx {
                let mut tpl = TopicPartitionList::new();
                for p in positions {
                    tpl.add_partition_offset(&p.topic, p.partition, Offset::Offset(p.next_offset))?;
                }
                self.producer
                    .send_offsets_to_transaction(&tpl, &ctx.metadata, TXN_TIMEOUT)?;
            }
            self.producer.commit_transaction(TXN_TIMEOUT)
        })();
        self.txn_open = Some(false);
        tracing::trace!(
            ms = started.elapsed().as_millis() as u64,
            ok = result.is_ok(),
            "transaction ended"
        );
        let Err(e) = result else {
            if !self.serve_delivery_reports() {
                tracing::warn!(
                    "delivery reports of a committed transaction still missing after 30 s"
                );
            }
            #[cfg(feature = "failpoints")]
            if let Some(audit) = &self.producer.context().audit {
                audit.committed(positions)?;
            }
            return Ok(());
        };
        let fatal = matches!(&e, KafkaError::Transaction(t) if t.is_fatal());
        if fatal {
            return Err(anyhow!(
                "fatal Kafka transaction error: {e}; another instance with the same transactional.id may have fenced this one (check --instance-id)"
            ));
        }
        // Abortable or not, nothing of this transaction may become visible.
        // librdkafka aborts only once the delivery reports are served.
        self.serve_delivery_reports();
        self.producer
            .abort_transaction(TXN_TIMEOUT)
            .map_err(|a| anyhow!("aborting the transaction after `{e}`: {a}"))?;
        self.serve_delivery_reports();
        #[cfg(feature = "failpoints")]
        if let Some(audit) = &self.producer.context().audit {
            audit.aborted();
        }
        let refused = self.take_refused();
        if let Some(first) = refused.first() {
            // Re-reading the batch would be refused again, forever.
            return Err(anyhow!(
                "Kafka refused {} records of the transaction for good (first: {}); the transaction was aborted and nothing of the batch is visible. \
                 Raise the topic's max.message.bytes, or set [kafka] \"producer.message.max.bytes\" no larger than it: rtdw then refuses such records itself and dead-letters them",
                refused.len(),
                first.as_failed()
            ));
        }
        Err(TxnAborted(e.to_string()).into())
    }
}

impl Sink for KafkaSink {
    fn add_streams(&mut self, defs: &[StreamDef]) {
        self.streams.extend_from_slice(defs);
    }

    fn start(&mut self, source: &dyn Source) -> Result<()> {
        if self.txn_open.is_none() {
            return Ok(());
        }
        // Probe: commit the current offsets again in an empty transaction, so
        // a broker without transactions fails the run before any output.
        // librdkafka ends a transaction without offsets or records locally,
        // so partitions nothing was committed for get their starting offset
        // committed (looked up here: the consumer's own connection is busy
        // with a long-poll fetch).
        let Some(ctx) = source.transaction_context()? else {
            return Ok(());
        };
        let mut positions = ctx.positions;
        for (topic, partition) in ctx.uncommitted {
            let (low, high) = self
                .producer
                .client()
                .fetch_watermarks(&topic, partition, Duration::from_secs(10))
                .map_err(|e| {
                    Failure::unavailable(crate::service::Service::Kafka, self.brokers.clone(), e)
                })?;
            let next_offset = if ctx.reset_to_latest { high } else { low };
            positions.push(Position {
                topic,
                partition,
                next_offset,
            });
        }
        let probe = std::time::Instant::now();
        match self.commit_transaction(&positions, source) {
            Ok(()) => {
                tracing::debug!(ms = probe.elapsed().as_millis() as u64, "transactions work");
                Ok(())
            }
            Err(e) => Err(anyhow!(
                "--exactly-once needs Kafka transactions, and the broker at {} refused them: {e:#}. \
                 Run without --exactly-once (at-least-once), or use a broker that supports transactions.",
                self.brokers
            )),
        }
    }

    fn finish_batch(&mut self, positions: &[Position], source: &dyn Source) -> Result<Stored> {
        if self.txn_open.is_none() {
            self.flush_acked()?;
            let stored = self.settle_refused(Stored::ByPipeline)?;
            if matches!(stored, Stored::DeadLettered(_)) {
                // The dead letters are durable before the offsets move on.
                self.flush()?;
            }
            return Ok(stored);
        }
        if self.txn_open == Some(false) && positions.is_empty() {
            // An idle batch: nothing written, nothing to commit, no transaction.
            return Ok(Stored::InTransaction);
        }
        // Records librdkafka refused at send are not in the transaction:
        // their dead letters are, and commit with the batch. A record the
        // broker refuses aborts the transaction instead (see commit_transaction).
        let at_send = std::mem::take(&mut self.refused_at_send);
        let stored = if at_send.is_empty() {
            Stored::InTransaction
        } else {
            self.begin_if_needed()?;
            let failed: Vec<_> = at_send.iter().map(Refused::as_failed).collect();
            match self.send_dead_letters(&at_send)? {
                Some(()) => Stored::DeadLettered(failed),
                None => {
                    return Err(anyhow!(
                        "--on-refused fail: Kafka refused {} records for good (first: {}); the transaction is not committed",
                        failed.len(),
                        failed[0]
                    ))
                }
            }
        };
        self.commit_transaction(positions, source)?;
        let ctx = self.producer.context();
        let failed = ctx.failed.swap(0, Ordering::Relaxed);
        if failed > 0 {
            return Err(anyhow!(
                "{failed} records of a committed transaction were not delivered"
            ));
        }
        Ok(stored)
    }

    fn write(&mut self, out: &OutBuf) -> Result<()> {
        self.begin_if_needed()?;
        // Borrowed apart from `self` for the loop, so no topic name is copied per record.
        let streams = std::mem::take(&mut self.streams);
        let sent = out.recs.iter().try_for_each(|rec| {
            let stream = &streams[rec.stream];
            // Documents go to Elasticsearch (see sink::tee).
            if stream.kind != StreamKind::Record {
                return Ok(());
            }
            self.send(&stream.name, out.key(rec), out.value(rec))
        });
        self.streams = streams;
        sent?;
        self.producer.poll(Duration::ZERO);
        Ok(())
    }

    /// Durable, or a refusal for good: a caller with no dead-letter policy
    /// (`mock`) stops rather than lose the record.
    fn flush(&mut self) -> Result<()> {
        self.flush_acked()?;
        let refused = self.take_refused();
        let refused = self.retry_alone(refused)?;
        if let Some(first) = refused.first() {
            return Err(anyhow!(
                "Kafka refused {} records for good (first: {})",
                refused.len(),
                first.as_failed()
            ));
        }
        Ok(())
    }
}
