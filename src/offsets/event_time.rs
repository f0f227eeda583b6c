//! Event-time checkpoints per input partition, for tools that keep windows
//! in memory (`risk-alert`): after each batch, the next offset and the
//! newest event time read before it. A restarted job rewinds each
//! partition to the newest checkpoint whose events are all older than what
//! its windows still need, so a pattern that spans the restart is seen
//! whole. This does not depend on the broker answering offsets-for-times
//! (librdkafka's mock cluster does not).
//!
//! Kept in the state store as one hash per partition,
//! `EVENTTIME:{group}:{topic}:{partition}`: field = next offset, value =
//! newest event time (ms) before it; pruned to what a rewind can still use.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::record::OutBuf;
use crate::source::Rewind;
use crate::state::batch::BatchState;
use crate::state::{Op, StateExt, StateStore};

pub const PREFIX: &str = "EVENTTIME";

/// The first offset of a partition at or after a time (ms), from the broker.
pub type TimeLookup = Arc<dyn Fn(&str, i32, i64) -> Result<i64> + Send + Sync>;

/// How much further back than the window a rewind by time goes: record
/// timestamps are produce times, a little after the events.
const TIME_MARGIN_MS: i64 = 60_000;

type Tp = (String, i32);

/// The offset to rewind to: the newest checkpoint whose events are all at
/// or before `newest − keep_ms`, where `newest` is the newest event time
/// checkpointed. `None` when no checkpoint is that old (the stored offset
/// is then as far back as the job ever was).
pub fn rewind_target(points: &BTreeMap<i64, i64>, keep_ms: i64) -> Option<i64> {
    let newest = points.values().copied().max()?;
    let horizon = newest.saturating_sub(keep_ms);
    points
        .iter()
        .filter(|(_, &max)| max <= horizon)
        .map(|(&offset, _)| offset)
        .max()
}

fn parse(map: BTreeMap<String, String>) -> BTreeMap<i64, i64> {
    map.into_iter()
        .filter_map(|(k, v)| Some((k.parse().ok()?, v.parse().ok()?)))
        .collect()
}

pub struct Checkpoints {
    state: Arc<dyn StateStore>,
    prefix: String,
    keep_ms: i64,
    points: HashMap<Tp, BTreeMap<i64, i64>>,
    /// This batch: per partition, the first offset, the next offset and the newest event time.
    batch: HashMap<Tp, (i64, i64, i64)>,
}

impl Checkpoints {
    /// `prefix` = `EVENTTIME:{group}` after renames; `keep_ms` = how far back
    /// in event time a restart must re-read (window + lateness).
    pub fn new(state: Arc<dyn StateStore>, prefix: String, keep_ms: i64) -> Checkpoints {
        Checkpoints {
            state,
            prefix,
            keep_ms,
            points: HashMap::new(),
            batch: HashMap::new(),
        }
    }

    fn key(prefix: &str, topic: &str, partition: i32) -> String {
        format!("{prefix}:{topic}:{partition}")
    }

    /// The source's rewind hook: the checkpoint to restart from, if older
    /// than the stored offset. With no checkpoint at all (a new or lost
    /// state store) but a stored offset, `by_time` asks the broker for the
    /// offset of window + lateness ago, by record timestamp; a broker that
    /// cannot answer leaves the stored offset (and says so).
    pub fn rewind(&self, by_time: Option<TimeLookup>) -> Rewind {
        let (state, prefix, keep) = (Arc::clone(&self.state), self.prefix.clone(), self.keep_ms);
        Arc::new(move |topic, partition, stored| {
            let key = Checkpoints::key(&prefix, topic, partition);
            let points =
                parse(state.hgetall(&key).with_context(|| {
                    format!("reading checkpoints {key} in {}", state.describe())
                })?);
            if !points.is_empty() || stored.is_none() {
                return Ok(rewind_target(&points, keep));
            }
            let Some(lookup) = &by_time else {
                return Ok(None);
            };
            let at = jiff::Timestamp::now().as_millisecond() - keep - TIME_MARGIN_MS;
            match lookup(topic, partition, at) {
                Ok(offset) => Ok(Some(offset)),
                Err(e) => {
                    tracing::warn!(
                        topic,
                        partition,
                        "no event-time checkpoint and no lookup by time ({e:#}): windows start empty at the stored offset"
                    );
                    Ok(None)
                }
            }
        })
    }

    /// A record at `offset` of an event at `event_ms`.
    pub fn observe(&mut self, topic: &str, partition: i32, offset: i64, event_ms: i64) {
        let e = self.batch.entry((topic.to_string(), partition)).or_insert((
            offset,
            offset + 1,
            event_ms,
        ));
        e.0 = e.0.min(offset);
        e.1 = e.1.max(offset + 1);
        e.2 = e.2.max(event_ms);
    }

    /// Forgets what this instance knew of a partition the group moved here
    /// (another instance may have checkpointed it since): reloaded from the
    /// store at the next [`Checkpoints::store`].
    pub fn forget(&mut self, topic: &str, partition: i32) {
        self.points.remove(&(topic.to_string(), partition));
    }

    /// This batch's checkpoints, and the pruning of what no rewind can
    /// use, as writes the pipeline applies once the batch is durable
    /// ([`BatchState::after_durable`]); partitions new to this run are read
    /// first, through `state`.
    pub fn batch_writes(&mut self, state: &mut BatchState, out: &OutBuf) -> Result<()> {
        let ops = self.plan(|ops| state.request("reading checkpoints", out, ops))?;
        for op in ops {
            state.after_durable(op, None);
        }
        Ok(())
    }

    /// [`Checkpoints::batch_writes`] straight to the store (tests).
    #[cfg(test)]
    fn store(&mut self) -> Result<()> {
        let store = Arc::clone(&self.state);
        let ops = self.plan(|ops| Ok(store.exec(ops)?))?;
        store.exec(ops)?;
        Ok(())
    }

    /// The writes of this batch's checkpoints; `read` runs the reads of
    /// partitions new to this run (one round trip).
    fn plan(
        &mut self,
        mut read: impl FnMut(Vec<Op>) -> Result<Vec<crate::state::Reply>>,
    ) -> Result<Vec<Op>> {
        if self.batch.is_empty() {
            return Ok(Vec::new());
        }
        let new: Vec<Tp> = self
            .batch
            .keys()
            .filter(|tp| !self.points.contains_key(*tp))
            .cloned()
            .collect();
        if !new.is_empty() {
            let replies = read(
                new.iter()
                    .map(|(t, p)| Op::HGetAll(Checkpoints::key(&self.prefix, t, *p)))
                    .collect(),
            )?;
            for (tp, reply) in new.into_iter().zip(replies) {
                self.points.insert(tp, parse(reply.into_map()?));
            }
        }
        let mut ops = Vec::new();
        for ((topic, partition), (first, next, newest)) in self.batch.drain() {
            let key = Checkpoints::key(&self.prefix, &topic, partition);
            let points = self.points.entry((topic, partition)).or_default();
            let mut fields = Vec::new();
            if points.is_empty() {
                // The job's first record: nothing before it to re-read.
                points.insert(first, i64::MIN);
                fields.push((first.to_string(), i64::MIN.to_string()));
            }
            // The newest event time before `next`, never below an earlier checkpoint's.
            let newest = points
                .values()
                .copied()
                .max()
                .map_or(newest, |m| m.max(newest));
            points.insert(next, newest);
            let keep_from = rewind_target(points, self.keep_ms);
            let stale: Vec<i64> = points
                .keys()
                .copied()
                .filter(|&o| keep_from.is_some_and(|k| o < k))
                .collect();
            for o in &stale {
                points.remove(o);
            }
            fields.push((next.to_string(), newest.to_string()));
            ops.push(Op::HSet {
                key: key.clone(),
                fields,
            });
            if !stale.is_empty() {
                ops.push(Op::HDel {
                    key,
                    fields: stale.iter().map(i64::to_string).collect(),
                });
            }
        }
        Ok(ops)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewinds_to_the_newest_point_older_than_the_horizon() {
        let points: BTreeMap<i64, i64> =
            [(10, 1_000), (20, 5_000), (30, 9_000), (40, 12_000)].into();
        // newest 12 000, keep 6 000 → horizon 6 000 → offset 20 (5 000 ≤ 6 000)
        assert_eq!(rewind_target(&points, 6_000), Some(20));
        assert_eq!(rewind_target(&points, 100_000), None);
        assert_eq!(rewind_target(&BTreeMap::new(), 1), None);
    }

    #[test]
    fn store_keeps_only_what_a_rewind_can_use() {
        let dir = tempfile::tempdir().unwrap();
        let state: Arc<dyn StateStore> =
            Arc::new(crate::state::embedded::EmbeddedStore::open(&dir.path().join("s")).unwrap());
        let mut c = Checkpoints::new(Arc::clone(&state), "EVENTTIME:g".into(), 6_000);
        c.observe("t", 0, 0, 500);
        c.store().unwrap();
        assert_eq!(
            (c.rewind(None))("t", 0, Some(1)).unwrap(),
            Some(0),
            "young history: back to the first record"
        );
        for (offset, ts) in [
            (9, 1_000),
            (19, 5_000),
            (29, 9_000),
            (39, 12_000),
            (49, 20_000),
        ] {
            c.observe("t", 0, offset, ts);
            c.store().unwrap();
        }
        let left = parse(state.hgetall("EVENTTIME:g:t:0").unwrap());
        // newest 20 000 → horizon 14 000 → keep from offset 40 (12 000)
        assert_eq!(left, [(40, 12_000), (50, 20_000)].into());
        assert_eq!((c.rewind(None))("t", 0, Some(50)).unwrap(), Some(40));
    }
}
