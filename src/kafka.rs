//! Kafka client configuration shared by the source and the sink.
//!
//! `[kafka]` properties in `rtdw.toml` go to every client; a key prefixed
//! `producer.` or `consumer.` goes only to that kind of client (prefix removed).

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

/// librdkafka's own log lines, through `tracing` at a matching level.
pub fn log_librdkafka(level: rdkafka::config::RDKafkaLogLevel, fac: &str, msg: &str) {
    use rdkafka::config::RDKafkaLogLevel as L;
    match level {
        L::Emerg | L::Alert | L::Critical | L::Error => {
            tracing::error!(target: "librdkafka", "{fac}: {msg}")
        }
        L::Warning => tracing::warn!(target: "librdkafka", "{fac}: {msg}"),
        L::Notice | L::Info => tracing::info!(target: "librdkafka", "{fac}: {msg}"),
        L::Debug => tracing::debug!(target: "librdkafka", "{fac}: {msg}"),
    }
}
