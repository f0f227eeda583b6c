//! Offset stores: where a tool keeps the next offset to read per partition.
//!
//! `redis` and `file` keep the seeds' layout, a hash `offset:{group}:{topic}`
//! with field = partition and value = next offset, in the state store of that
//! kind. `kafka` is the consumer-group commit and lives in the Kafka source.

pub mod admin;
pub mod event_time;
pub mod history;
pub mod instances;
pub mod log_bounds;
pub mod offset_delete;
pub mod plan;

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::retry::RetryPolicy;
use crate::shutdown::Shutdown;
use crate::source::Position;
use crate::state::retrying::Retrying;
use crate::state::{Op, StateSpec, StateStore};

/// `--offsets`: where offsets are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffsetsSpec {
    Redis,
    Kafka,
    /// The embedded store; `None` means the `--state` file (or `.rtdw/state`).
    File(Option<std::path::PathBuf>),
}

/// As given: `redis`, `kafka`, `file` or `file:PATH`.
impl std::fmt::Display for OffsetsSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OffsetsSpec::Redis => f.write_str("redis"),
            OffsetsSpec::Kafka => f.write_str("kafka"),
            OffsetsSpec::File(None) => f.write_str("file"),
            OffsetsSpec::File(Some(p)) => write!(f, "file:{}", p.display()),
        }
    }
}

impl std::str::FromStr for OffsetsSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "redis" => Ok(OffsetsSpec::Redis),
            "kafka" => Ok(OffsetsSpec::Kafka),
            "file" => Ok(OffsetsSpec::File(None)),
            _ => match s.strip_prefix("file:") {
                Some(p) if !p.is_empty() => Ok(OffsetsSpec::File(Some(p.into()))),
                _ => Err(format!(
                    "unknown offset store `{s}`: use redis, kafka, file or file:PATH"
                )),
            },
        }
    }
}

impl OffsetsSpec {
    /// Where offsets live when `--offsets` is not given: Redis when `--redis`
    /// is set (the seeds' design: offsets beside the state they belong to),
    /// else the Kafka consumer group, as every Kafka tool does. A file under
    /// the working directory would make a cron job started elsewhere re-read
    /// from the earliest offset (issue 16).
    pub fn default_for(settings: &crate::settings::Settings) -> OffsetsSpec {
        if settings.redis.is_some() {
            OffsetsSpec::Redis
        } else {
            OffsetsSpec::Kafka
        }
    }

    /// The state store that holds these offsets; `None` for Kafka's own
    /// commits. A bare `file` is the `--state` file (or `.rtdw/state`).
    pub fn state_spec(&self, settings: &crate::settings::Settings) -> Option<StateSpec> {
        Some(match self {
            OffsetsSpec::Kafka => return None,
            OffsetsSpec::Redis => StateSpec::Redis,
            OffsetsSpec::File(Some(p)) => StateSpec::File(p.clone()),
            OffsetsSpec::File(None) => match &settings.state {
                StateSpec::File(p) => StateSpec::File(p.clone()),
                StateSpec::Redis => StateSpec::File(crate::settings::DEFAULT_STATE_FILE.into()),
            },
        })
    }
}

/// A group's offsets of one topic as the hash `key` holds them
/// (field = partition, value = next offset).
pub fn parse_hash(key: &str, raw: BTreeMap<String, String>) -> Result<BTreeMap<i32, i64>> {
    let mut out = BTreeMap::new();
    for (field, value) in raw {
        let p: i32 = field
            .parse()
            .with_context(|| format!("{key}: field `{field}` is not a partition number"))?;
        let o: i64 = value
            .parse()
            .with_context(|| format!("{key}: partition {p} holds `{value}`, not an offset"))?;
        out.insert(p, o);
    }
    Ok(out)
}

/// The Redis hash that holds a group's offsets of one topic.
pub fn hash_key(group: &str, topic: &str) -> String {
    format!("offset:{group}:{topic}")
}

/// An external offset store (not Kafka's own commits).
pub trait OffsetStore: Send + Sync {
    fn load(&self, group: &str, topic: &str) -> Result<BTreeMap<i32, i64>>;
    fn store(&self, group: &str, positions: &[Position]) -> Result<()>;
    fn describe(&self) -> String;
}

/// Offsets in a state store hash, one per group and topic. Calls ride out an
/// outage of the store with the run's retry policy.
pub struct HashOffsets {
    state: Retrying,
}

impl HashOffsets {
    pub fn new(state: Arc<dyn StateStore>, policy: RetryPolicy, shutdown: Shutdown) -> HashOffsets {
        HashOffsets {
            state: Retrying::new(state, policy, shutdown),
        }
    }
}

impl OffsetStore for HashOffsets {
    fn load(&self, group: &str, topic: &str) -> Result<BTreeMap<i32, i64>> {
        let key = hash_key(group, topic);
        let raw = self
            .state
            .exec(vec![Op::HGetAll(key.clone())])
            .with_context(|| format!("reading offsets {key} from {}", self.state.describe()))?
            .pop()
            .ok_or_else(|| anyhow::anyhow!("no reply reading offsets {key}"))?
            .into_map()?;
        parse_hash(&key, raw)
    }

    fn store(&self, group: &str, positions: &[Position]) -> Result<()> {
        let mut by_topic: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
        for p in positions {
            by_topic
                .entry(&p.topic)
                .or_default()
                .push((p.partition.to_string(), p.next_offset.to_string()));
        }
        let ops: Vec<Op> = by_topic
            .into_iter()
            .map(|(topic, fields)| Op::HSet {
                key: hash_key(group, topic),
                fields,
            })
            .collect();
        if ops.is_empty() {
            return Ok(());
        }
        self.state.exec(ops).with_context(|| {
            format!(
                "storing offsets of group {group} in {}",
                self.state.describe()
            )
        })?;
        for p in positions {
            crate::metrics::stored_offset(&p.topic, p.partition, p.next_offset);
        }
        Ok(())
    }

    fn describe(&self) -> String {
        self.state.describe()
    }
}
