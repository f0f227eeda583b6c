//! Offset stores: where a tool keeps the next offset to read per partition.
//!
//! `redis` and `file` keep the seeds' layout, a hash `offset:{group}:{topic}`
//! with field = partition and value = next offset, in the state store of that
//! kind. `kafka` is the consumer-group commit and lives in the Kafka source.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::source::Position;
use crate::state::{Op, StateExt, StateStore};

/// `--offsets`: where offsets are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OffsetsSpec {
    Redis,
    Kafka,
    /// The embedded store; `None` means the `--state` file (or `.rtdw/state`).
    File(Option<std::path::PathBuf>),
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

/// Offsets in a state store hash, one per group and topic.
pub struct HashOffsets {
    state: Arc<dyn StateStore>,
}

impl HashOffsets {
    pub fn new(state: Arc<dyn StateStore>) -> HashOffsets {
        HashOffsets { state }
    }
}

impl OffsetStore for HashOffsets {
    fn load(&self, group: &str, topic: &str) -> Result<BTreeMap<i32, i64>> {
        let key = hash_key(group, topic);
        let raw = self
            .state
            .hgetall(&key)
            .with_context(|| format!("reading offsets {key} from {}", self.state.describe()))?;
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
        Ok(())
    }

    fn describe(&self) -> String {
        self.state.describe()
    }
}
