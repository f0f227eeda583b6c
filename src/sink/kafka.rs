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

use super::{Sink, StreamDef};
use crate::exit::Failure;
use crate::kafka::{client_config, ClientKind};
use crate::record::OutBuf;
use crate::settings::Settings;

/// Longer than librdkafka's default message.timeout.ms (5 min), so a flush
/// ends with each record's own delivery result rather than our timeout.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(330);

#[derive(Default)]
pub struct DeliveryContext {
    failed: AtomicU64,
    first_error: Mutex<Option<String>>,
}

impl ClientContext for DeliveryContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, log_message: &str) {
        crate::kafka::log_librdkafka(level, fac, log_message);
    }
}

impl ProducerContext for DeliveryContext {
    type DeliveryOpaque = ();
    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((e, msg)) = result {
            use rdkafka::Message;
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
}

impl KafkaSink {
    pub fn open(
        settings: &Settings,
        streams: Vec<StreamDef>,
        client_id: &str,
    ) -> Result<KafkaSink> {
        let brokers = settings.require_brokers()?.to_string();
        let producer: BaseProducer<DeliveryContext> =
            client_config(settings, ClientKind::Producer, client_id)?
                .create_with_context(DeliveryContext::default())
                .map_err(|e| Failure::usage(format!("Kafka producer settings: {e}")))?;
        producer
            .client()
            .fetch_metadata(None, Duration::from_secs(10))
            .map_err(|e| Failure::unavailable("kafka", brokers.clone(), e))?;
        Ok(KafkaSink {
            producer,
            streams,
            brokers,
        })
    }
}

impl Sink for KafkaSink {
    fn write(&mut self, out: &OutBuf) -> Result<()> {
        for rec in &out.recs {
            let topic = &self.streams[rec.stream].name;
            let mut record: BaseRecord<'_, [u8], [u8]> =
                BaseRecord::to(topic).payload(out.value(rec));
            if let Some(k) = out.key(rec) {
                record = record.key(k);
            }
            loop {
                match self.producer.send(record) {
                    Ok(()) => break,
                    Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                        // The local queue is full: serve delivery reports, then retry.
                        record = back;
                        self.producer.poll(Duration::from_millis(50));
                    }
                    Err((e, _)) => return Err(anyhow!("producing to {topic}: {e}")),
                }
            }
        }
        self.producer.poll(Duration::ZERO);
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.producer.flush(FLUSH_TIMEOUT).map_err(|e| {
            Failure::unavailable(
                "kafka",
                self.brokers.clone(),
                format!(
                    "{} records not acknowledged: {e}",
                    self.producer.in_flight_count()
                ),
            )
        })?;
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
}
