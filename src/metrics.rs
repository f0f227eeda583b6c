//! Prometheus metrics (`--metrics-addr HOST:PORT`, served at `/metrics`).
//!
//! One process-wide registry; every tool reports through the same functions
//! (records in/out per stream, dirty, batches, batch latency, retries, lag
//! and the last stored offset per partition), so the names never drift.

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context, Result};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ToolLabels {
    tool: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StreamLabels {
    tool: String,
    stream: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ServiceLabels {
    service: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PartitionLabels {
    topic: String,
    partition: String,
}

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

struct Metrics {
    registry: Registry,
    records_in: Family<ToolLabels, Counter>,
    records_out: Family<StreamLabels, Counter>,
    dirty: Family<ToolLabels, Counter>,
    batches: Family<ToolLabels, Counter>,
    batch_seconds: Family<ToolLabels, Histogram, fn() -> Histogram>,
    retries: Family<ServiceLabels, Counter>,
    lag: Family<PartitionLabels, Gauge>,
    log_end: Family<PartitionLabels, Gauge>,
    stored_offset: Family<PartitionLabels, Gauge>,
}

fn metrics() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| {
        let mut m = Metrics {
            records_in: Family::default(),
            records_out: Family::default(),
            dirty: Family::default(),
            batches: Family::default(),
            batch_seconds: Family::new_with_constructor(latency_histogram as fn() -> Histogram),
            retries: Family::default(),
            lag: Family::default(),
            log_end: Family::default(),
            stored_offset: Family::default(),
            registry: Registry::default(),
        };
        let registry = &mut m.registry;
        registry.register(
            "rtdw_records_in",
            "Input records read",
            m.records_in.clone(),
        );
        registry.register(
            "rtdw_records_out",
            "Output records made durable, per stream",
            m.records_out.clone(),
        );
        registry.register(
            "rtdw_dirty",
            "Input records sent to the dirty stream",
            m.dirty.clone(),
        );
        registry.register(
            "rtdw_batches",
            "Micro-batches completed (outputs durable, offsets stored)",
            m.batches.clone(),
        );
        registry.register(
            "rtdw_batch_seconds",
            "Micro-batch latency: read to offsets stored",
            m.batch_seconds.clone(),
        );
        registry.register(
            "rtdw_retries",
            "Retries of a service call during an outage",
            m.retries.clone(),
        );
        registry.register(
            "rtdw_consumer_lag",
            "Records between the last stored offset and the log end, per partition",
            m.lag.clone(),
        );
        registry.register(
            "rtdw_log_end_offset",
            "Log end per partition as the consumer last saw it (last stable offset under read_committed)",
            m.log_end.clone(),
        );
        registry.register(
            "rtdw_stored_offset",
            "Last stored offset (next to read) per partition",
            m.stored_offset.clone(),
        );
        m
    })
}

/// Counts one completed batch.
pub fn batch_done(tool: &str, read: u64, dirty: u64, per_stream: &[(&str, u64)], took: Duration) {
    let m = metrics();
    let t = ToolLabels { tool: tool.into() };
    m.records_in.get_or_create(&t).inc_by(read);
    m.dirty.get_or_create(&t).inc_by(dirty);
    m.batches.get_or_create(&t).inc();
    m.batch_seconds
        .get_or_create(&t)
        .observe(took.as_secs_f64());
    for (stream, n) in per_stream {
        m.records_out
            .get_or_create(&StreamLabels {
                tool: tool.into(),
                stream: (*stream).into(),
            })
            .inc_by(*n);
    }
}

pub fn retried(service: crate::service::Service) {
    metrics()
        .retries
        .get_or_create(&ServiceLabels {
            service: service.label().into(),
        })
        .inc();
}

fn partition_labels(topic: &str, partition: i32) -> PartitionLabels {
    PartitionLabels {
        topic: topic.into(),
        partition: partition.to_string(),
    }
}

/// Lag the way `kafka-consumer-groups.sh` shows it: log end − stored offset.
/// librdkafka's own `consumer_lag` only knows Kafka-committed offsets, so it
/// stays empty when the offsets live in Redis or a file.
fn update_lag(m: &Metrics, labels: &PartitionLabels) {
    let end = m.log_end.get(labels).map(|g| g.get());
    let stored = m.stored_offset.get(labels).map(|g| g.get());
    if let (Some(end), Some(stored)) = (end, stored) {
        let lag = (end - stored).max(0);
        m.lag.get_or_create(labels).set(lag);
        LAGS.lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((labels.topic.clone(), labels.partition.clone()), lag);
    }
}

/// Every partition's lag as last computed, for the progress line.
static LAGS: std::sync::Mutex<std::collections::BTreeMap<(String, String), i64>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// The sum of the partitions' lags (records), once any is known.
pub fn total_lag() -> Option<i64> {
    let lags = LAGS.lock().unwrap_or_else(|p| p.into_inner());
    (!lags.is_empty()).then(|| lags.values().sum())
}

/// The partition's end as the consumer's statistics last reported it.
pub fn log_end(topic: &str, partition: i32, end: i64) {
    let m = metrics();
    let labels = partition_labels(topic, partition);
    m.log_end.get_or_create(&labels).set(end);
    update_lag(m, &labels);
}

pub fn stored_offset(topic: &str, partition: i32, offset: i64) {
    let m = metrics();
    let labels = partition_labels(topic, partition);
    m.stored_offset.get_or_create(&labels).set(offset);
    update_lag(m, &labels);
}

/// The exposition text of every metric.
pub fn render() -> String {
    let mut out = String::new();
    // Encoding into a String cannot fail.
    let _ = prometheus_client::encoding::text::encode(&mut out, &metrics().registry);
    out
}

/// Serves `/metrics` on `addr` from a background thread.
pub fn serve(addr: &str) -> Result<()> {
    let server = tiny_http::Server::http(addr)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("serving metrics on --metrics-addr {addr}"))?;
    tracing::info!("metrics on http://{}/metrics", server.server_addr());
    std::thread::Builder::new()
        .name("rtdw-metrics".into())
        .spawn(move || {
            for request in server.incoming_requests() {
                let response = if request.url() == "/metrics" {
                    let header = tiny_http::Header::from_bytes(
                        &b"Content-Type"[..],
                        &b"application/openmetrics-text; version=1.0.0; charset=utf-8"[..],
                    )
                    .ok();
                    let mut r = tiny_http::Response::from_string(render());
                    if let Some(h) = header {
                        r = r.with_header(h);
                    }
                    r
                } else {
                    tiny_http::Response::from_string("see /metrics\n").with_status_code(404)
                };
                let _ = request.respond(response);
            }
        })?;
    Ok(())
}

#[cfg(test)]
mod lag_tests {
    /// The progress line's Kafka lag: log end − stored offset, summed.
    #[test]
    fn total_lag_sums_every_partition() {
        super::log_end("lag_test_topic", 0, 100);
        super::stored_offset("lag_test_topic", 0, 40);
        super::stored_offset("lag_test_topic", 1, 5);
        super::log_end("lag_test_topic", 1, 25);
        assert_eq!(super::total_lag(), Some(80));
    }
}
