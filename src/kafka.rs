//! Kafka client configuration shared by the source and the sink.
//!
//! `[kafka]` properties in `rtdw.toml` go to every client; a key prefixed
//! `producer.` or `consumer.` goes only to that kind of client (prefix removed).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rdkafka::ClientConfig;

use crate::settings::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    Producer,
    Consumer,
}

/// The base config of a client: brokers, the tool's client id, user properties.
pub fn client_config(
    settings: &Settings,
    kind: ClientKind,
    client_id: &str,
) -> anyhow::Result<ClientConfig> {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", settings.require_brokers()?);
    cfg.set("client.id", client_id);
    match kind {
        ClientKind::Producer => {
            // SPEC §5: idempotence on, acks=all; compression configurable (lz4 by default).
            cfg.set("enable.idempotence", "true");
            cfg.set("acks", "all");
            cfg.set("compression.type", "lz4");
            cfg.set("linger.ms", "20");
            // The Java client's partitioner (murmur2), not librdkafka's
            // default (CRC32): a key rtdw writes lands where the seeds'
            // Java/Flink/Spark jobs put it, so jobs can move one at a time
            // and keep co-location. `[kafka] "producer.partitioner"` overrides.
            cfg.set("partitioner", "murmur2_random");
        }
        ClientKind::Consumer => {
            // Offsets are stored by rtdw after the batch is durable, never automatically.
            cfg.set("enable.auto.commit", "false");
            cfg.set("enable.auto.offset.store", "false");
            cfg.set("auto.offset.reset", "earliest");
        }
    }
    for (k, v) in &settings.kafka {
        let (target, key) = match k.split_once('.') {
            Some(("producer", rest)) => (Some(ClientKind::Producer), rest),
            Some(("consumer", rest)) => (Some(ClientKind::Consumer), rest),
            _ => (None, k.as_str()),
        };
        if target.is_none_or(|t| t == kind) {
            cfg.set(key, v);
        }
    }
    Ok(cfg)
}

/// How often a repeating librdkafka message is logged again, with its count.
const REPEAT_EVERY: Duration = Duration::from_secs(60);

/// Folds repeated client messages: the first of a kind is logged at once,
/// repeats are only counted, and the count is logged with the message once a
/// minute and at exit. librdkafka reports an unreachable cluster once per
/// broker thread and retry (`Global error: AllBrokersDown` ~200 times in a
/// few seconds on a loaded machine), so without folding stderr floods however
/// the timing falls. Messages are of a kind when they match with digits
/// ignored ("after 0ms" and "after 12ms" are one kind).
#[derive(Default)]
pub struct Repeats {
    kinds: HashMap<String, Repeat>,
}

struct Repeat {
    level: Level,
    line: String,
    unlogged: u64,
    last_logged: Instant,
}

impl Repeats {
    /// Notes one message; returns the line to log now, if any.
    pub fn note(&mut self, level: Level, line: &str, now: Instant) -> Option<String> {
        let key = kind_of(line);
        match self.kinds.get_mut(&key) {
            None => {
                self.kinds.insert(
                    key,
                    Repeat {
                        level,
                        line: line.to_string(),
                        unlogged: 0,
                        last_logged: now,
                    },
                );
                Some(line.to_string())
            }
            Some(r) => {
                r.unlogged += 1;
                let waited = now.duration_since(r.last_logged);
                if waited < REPEAT_EVERY {
                    return None;
                }
                let folded = format!(
                    "{line} (repeated {} times in {}s)",
                    r.unlogged,
                    waited.as_secs()
                );
                r.unlogged = 0;
                r.last_logged = now;
                Some(folded)
            }
        }
    }

    /// The counts not logged yet, one line per kind, and forgets them.
    pub fn drain(&mut self) -> Vec<(Level, String)> {
        let mut out: Vec<(Level, String)> = self
            .kinds
            .drain()
            .filter(|(_, r)| r.unlogged > 0)
            .map(|(_, r)| {
                (
                    r.level,
                    format!("{} (repeated {} more times)", r.line, r.unlogged),
                )
            })
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        out
    }
}

/// A message's kind: digits and parenthesised details ("(after 0ms in state
/// CONNECT, 1 identical error(s) suppressed)") ignored.
fn kind_of(line: &str) -> String {
    let mut depth = 0usize;
    let mut key = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_ascii_digit() => key.push('#'),
            c => key.push(c),
        }
    }
    key
}

static REPEATS: Mutex<Option<Repeats>> = Mutex::new(None);

fn emit(level: Level, line: &str) {
    match level {
        Level::Error => tracing::error!(target: "librdkafka", "{line}"),
        Level::Warn => tracing::warn!(target: "librdkafka", "{line}"),
        Level::Info => tracing::info!(target: "librdkafka", "{line}"),
        Level::Debug => tracing::debug!(target: "librdkafka", "{line}"),
    }
}

fn fold_and_emit(level: Level, line: &str) {
    let now = Instant::now();
    let to_log = {
        let mut guard = REPEATS.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .get_or_insert_with(Repeats::default)
            .note(level, line, now)
    };
    if let Some(l) = to_log {
        emit(level, &l);
    }
}

/// Logs the repeat counts still unlogged (at exit).
pub fn flush_repeated_errors() {
    let lines = {
        let mut guard = REPEATS.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_mut().map(Repeats::drain).unwrap_or_default()
    };
    for (level, line) in lines {
        emit(level, &line);
    }
}

/// The level a librdkafka line is logged at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warn,
    Info,
    Debug,
}

/// librdkafka's own log lines, through `tracing` at a matching level, with
/// repeats folded (see [`Repeats`]).
pub fn log_librdkafka(level: rdkafka::config::RDKafkaLogLevel, fac: &str, msg: &str) {
    use rdkafka::config::RDKafkaLogLevel as L;
    let level = match level {
        L::Emerg | L::Alert | L::Critical | L::Error => Level::Error,
        L::Warning => Level::Warn,
        L::Notice | L::Info => Level::Info,
        L::Debug => return tracing::debug!(target: "librdkafka", "{fac}: {msg}"),
    };
    fold_and_emit(level, &format!("{fac}: {msg}"));
}

/// A client's global error (`ClientContext::error`), folded like log lines;
/// rdkafka's default logs each one through the `log` crate, unfolded.
pub fn log_client_error(error: &rdkafka::error::KafkaError, reason: &str) {
    fold_and_emit(Level::Error, &format!("kafka client: {error}: {reason}"));
}

/// The context of rtdw's short-lived admin clients: librdkafka's lines and
/// global errors go through the same folding as the tools' clients.
#[derive(Clone, Copy, Default)]
pub struct FoldingContext;

impl rdkafka::client::ClientContext for FoldingContext {
    fn log(&self, level: rdkafka::config::RDKafkaLogLevel, fac: &str, log_message: &str) {
        log_librdkafka(level, fac, log_message);
    }

    fn error(&self, error: rdkafka::error::KafkaError, reason: &str) {
        log_client_error(&error, reason);
    }
}

impl rdkafka::consumer::ConsumerContext for FoldingContext {}

/// `committed_offsets` (OffsetFetch) that rides out the group coordinator
/// moving or loading: a fresh broker, a coordinator failover or a
/// `__consumer_offsets` partition still loading answer NOT_COORDINATOR,
/// COORDINATOR_LOAD_IN_PROGRESS or COORDINATOR_NOT_AVAILABLE, which the
/// protocol marks retriable (Kafka's own tools retry them). Tries again with
/// a growing pause until `timeout` has passed.
pub fn committed_offsets<C: rdkafka::consumer::ConsumerContext>(
    consumer: &rdkafka::consumer::BaseConsumer<C>,
    tpl: &rdkafka::TopicPartitionList,
    timeout: Duration,
) -> anyhow::Result<rdkafka::TopicPartitionList> {
    use crate::retry::{Attempt, RetryPolicy};
    use rdkafka::consumer::Consumer;
    use rdkafka::types::RDKafkaErrorCode as Code;
    let policy = RetryPolicy {
        first_delay: Duration::from_millis(50),
        max_delay: Duration::from_secs(1),
        give_up_after: Some(timeout),
    };
    let deadline = Instant::now() + timeout;
    // The one retry path: the coordinator is "busy" while it moves or loads.
    crate::retry::retry(
        &policy,
        crate::service::Service::Kafka,
        "the group coordinator",
        &crate::shutdown::Shutdown::default(),
        || {
            let left = deadline.saturating_duration_since(Instant::now());
            consumer
                .committed_offsets(tpl.clone(), left.max(Duration::from_millis(100)))
                .map_err(|e| match e.rdkafka_error_code() {
                    Some(
                        Code::NotCoordinator
                        | Code::CoordinatorLoadInProgress
                        | Code::CoordinatorNotAvailable,
                    ) => Attempt::Busy(anyhow::Error::new(e).context("fetching committed offsets")),
                    _ => Attempt::Permanent(
                        anyhow::Error::new(e).context("fetching committed offsets"),
                    ),
                })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16: ~200 identical `AllBrokersDown` lines in a few seconds.
    #[test]
    fn repeats_fold_into_one_line_with_a_count_whatever_the_timing() {
        let mut r = Repeats::default();
        let t0 = Instant::now();
        let mut logged = Vec::new();
        for i in 0..200u64 {
            let suppressed = if i % 2 == 1 {
                ", 1 identical error(s) suppressed"
            } else {
                ""
            };
            let msg =
                format!("FAIL: 127.0.0.1:9/bootstrap: Connect failed (after {i}ms{suppressed})");
            logged.extend(r.note(Level::Error, &msg, t0 + Duration::from_millis(i * 10)));
        }
        assert_eq!(logged.len(), 1, "{logged:?}");
        assert_eq!(
            r.drain(),
            vec![(
                Level::Error,
                "FAIL: 127.0.0.1:9/bootstrap: Connect failed (after 0ms) (repeated 199 more times)"
                    .to_string()
            )]
        );
        let late = r.note(Level::Warn, "x", t0);
        assert_eq!(late.as_deref(), Some("x"));
        r.note(Level::Warn, "x", t0 + Duration::from_secs(1));
        let again = r.note(Level::Warn, "x", t0 + REPEAT_EVERY);
        assert_eq!(again.as_deref(), Some("x (repeated 2 times in 60s)"));
        assert!(r.drain().is_empty());
    }
}
