//! The services a run waits for. One type gives each its words in errors
//! and log lines, its metric label, and the hint printed with exit 69, so a
//! Redis outage never reads as a locked state file.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Redis,
    Kafka,
    Elasticsearch,
    MySql,
    /// The SQLite file of `--state file:PATH` / `--offsets file:PATH`.
    EmbeddedStore,
}

impl Service {
    /// The words for it in errors and log lines ("redis lost: …").
    pub fn name(self) -> &'static str {
        match self {
            Service::Redis => "redis",
            Service::Kafka => "kafka",
            Service::Elasticsearch => "elasticsearch",
            Service::MySql => "mysql",
            Service::EmbeddedStore => "embedded store",
        }
    }

    /// The `service` label of `rtdw_retries_total`.
    pub fn label(self) -> &'static str {
        match self {
            Service::EmbeddedStore => "embedded_store",
            other => other.name(),
        }
    }

    /// What to check when it stayed unreachable past `--max-retry-time`.
    pub fn hint(self) -> &'static str {
        match self {
            Service::Redis => {
                "check --redis / RTDW_REDIS_URL and that Redis is up, or run without Redis: --state file:PATH"
            }
            Service::Kafka => "check --brokers / RTDW_KAFKA_BROKERS and that the broker is up",
            Service::Elasticsearch => "check --es / RTDW_ES_URL and that Elasticsearch is up",
            Service::MySql => "check the mysql:// URL (host, port, user) and that the server is up",
            Service::EmbeddedStore => {
                "another process kept the state file's write lock for long: check what runs on it (rtdw offsets show lists live instances), or use another --state file:PATH"
            }
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_service_has_its_own_hint() {
        let all = [
            Service::Redis,
            Service::Kafka,
            Service::Elasticsearch,
            Service::MySql,
            Service::EmbeddedStore,
        ];
        for a in all {
            for b in all {
                assert_eq!(a == b, a.hint() == b.hint(), "{a} and {b}");
            }
        }
        assert!(Service::Redis.hint().contains("--redis"));
        assert!(!Service::Redis.hint().contains("write lock"));
    }
}
