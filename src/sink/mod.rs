//! Sinks: where a batch's outputs go, and the point where they become durable.

pub mod kafka;
pub mod kafka_refused;
pub mod lines;
pub mod tee;
#[cfg(feature = "failpoints")]
pub mod txn_audit;

use anyhow::Result;

use crate::record::OutBuf;
use crate::source::{Position, Source};

pub use crate::record::{StreamDef, StreamKind};

/// The topic or index of a tool's dead letters (records or documents its
/// sink refused for good): `rtdw_dead_{tool}`, `-` as `_` (Elasticsearch
/// and Kafka take the same name).
pub fn dead_letter_name(tool: &str) -> String {
    format!("rtdw_dead_{}", tool.replace('-', "_"))
}

/// Output streams a tool discovers while it runs (one per table and op, one
/// per day), after the `fixed` ones it starts with: each gets the next
/// index, and is declared in the chunk that first uses it so the sink and
/// the counters learn it before its records (see [`Sink::add_streams`]).
pub struct DiscoveredStreams<K> {
    index: std::collections::HashMap<K, usize>,
    next: usize,
}

impl<K: std::hash::Hash + Eq> DiscoveredStreams<K> {
    pub fn new(fixed: usize) -> Self {
        DiscoveredStreams {
            index: std::collections::HashMap::new(),
            next: fixed,
        }
    }

    /// The stream index of `key`, declaring `def()` in `out` on first use.
    pub fn get(&mut self, key: K, out: &mut OutBuf, def: impl FnOnce() -> StreamDef) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.next;
        self.next += 1;
        out.new_streams.push(def());
        self.index.insert(key, i);
        i
    }
}

/// Who stored a batch's offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// Outputs are durable; the pipeline stores the offsets next.
    ByPipeline,
    /// The offsets were committed with the outputs, in one transaction.
    InTransaction,
    /// Elasticsearch refused these documents for good: everything else is
    /// durable, but the offsets must not move past them. The pipeline stops
    /// storing offsets for the rest of the run, so a restart reads them again.
    Held(Vec<crate::record::FailedDoc>),
    /// Elasticsearch refused these documents for good, and they are in the
    /// dead-letter index with why (`--on-refused dead-letter`): everything is
    /// durable, and the pipeline stores the offsets next. They count as
    /// `refused`, not as written.
    DeadLettered(Vec<crate::record::FailedDoc>),
}

impl Stored {
    /// Two sinks' answers for one batch (a tee): refusals add up, and a
    /// held refusal holds the offsets whatever the other sink did.
    pub fn merge(self, other: Stored) -> Stored {
        use Stored::*;
        match (self, other) {
            (Held(mut a), Held(b) | DeadLettered(b)) | (DeadLettered(b), Held(mut a)) => {
                a.extend(b);
                Held(a)
            }
            (DeadLettered(mut a), DeadLettered(b)) => {
                a.extend(b);
                DeadLettered(a)
            }
            (a @ (Held(_) | DeadLettered(_)), _) | (_, a @ (Held(_) | DeadLettered(_))) => a,
            (InTransaction, _) | (_, InTransaction) => InTransaction,
            (ByPipeline, ByPipeline) => ByPipeline,
        }
    }
}

/// A transaction was aborted (an abortable error): nothing of the batch is
/// visible, and the source must rewind to its last committed offsets.
#[derive(Debug, thiserror::Error)]
#[error("transaction aborted: {0}")]
pub struct TxnAborted(pub String);

pub trait Sink {
    /// Runs once before the first batch is written (transactional sinks check
    /// here that the broker supports transactions).
    fn start(&mut self, _source: &dyn Source) -> Result<()> {
        Ok(())
    }

    /// Makes the batch durable: by default a flush, after which the pipeline
    /// stores `positions`; a transactional sink commits them itself.
    fn finish_batch(&mut self, _positions: &[Position], _source: &dyn Source) -> Result<Stored> {
        self.flush()?;
        Ok(Stored::ByPipeline)
    }

    /// Appends output streams that a tool discovered while running (e.g.
    /// `route-db`'s `DWD_{TABLE}_{OP}` for a table added mid-run); their
    /// indices follow the existing ones.
    fn add_streams(&mut self, defs: &[StreamDef]);

    /// Queues the records of one chunk.
    fn write(&mut self, out: &OutBuf) -> Result<()>;
    /// Returns once everything written so far is durable.
    fn flush(&mut self) -> Result<()>;
}
