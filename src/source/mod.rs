//! Sources: where batches of input records come from, and where their
//! positions are stored once the batch's outputs are durable.

pub mod kafka;
pub mod lines;
pub mod mysql;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;

use crate::record::InRecord;
use crate::shutdown::Shutdown;

/// How large a micro-batch may grow: `--batch-max` records or `--batch-ms`.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    pub max_records: usize,
    pub max_wait: Duration,
}

/// The next offset to read of one partition once a batch is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub topic: Arc<str>,
    pub partition: i32,
    pub next_offset: i64,
}

/// Where a tool wants a newly assigned partition read from, given its
/// stored offset (`None`: nothing stored, or the Kafka group decides):
/// `Some(offset)` to start there instead. A tool that keeps its state in
/// memory rewinds to re-read what rebuilds it.
pub type Rewind =
    std::sync::Arc<dyn Fn(&str, i32, Option<i64>) -> anyhow::Result<Option<i64>> + Send + Sync>;

#[derive(Debug, Default)]
pub struct Batch {
    pub records: Vec<InRecord>,
    /// Lines not handed to the tool: blank lines, envelopes of other topics.
    pub skipped: u64,
    /// Per partition, where to resume after this batch (empty for files).
    pub positions: Vec<Position>,
    /// Kafka: assignment and progress news for tools that keep
    /// per-partition state ([`crate::pipeline::BatchTransform::partitions`]).
    pub partitions: PartitionNews,
}

/// What a Kafka source knows of its partitions (topic, partition) when it
/// cuts a batch.
#[derive(Debug, Default)]
pub struct PartitionNews {
    /// Assigned to this instance since the previous batch; their records
    /// from here on start at the stored offset or rewind, so a tool keeping
    /// per-partition state in memory starts it afresh.
    pub assigned: Vec<(String, i32)>,
    /// `--once`: owned partitions read to the end the run drains to
    /// (measured at their assignment): nothing more will come from them.
    /// Empty for streaming runs, where no end is known.
    pub at_log_end: Vec<(String, i32)>,
}

/// How far a source has got, for the progress line.
#[derive(Debug, Default, Clone, Copy)]
pub struct SourceProgress {
    /// Bytes read of the input files (compressed bytes for `.gz`).
    pub bytes_read: Option<u64>,
    /// The files' total size; `None` when unknown (stdin among the inputs).
    pub bytes_total: Option<u64>,
    /// Records behind the log end over every owned partition (Kafka).
    pub lag: Option<i64>,
}

pub trait Source {
    /// How far the source has got ([`SourceProgress`]).
    fn progress(&self) -> SourceProgress {
        SourceProgress::default()
    }

    /// The next batch, or `None` when the input is exhausted (files, `--once`)
    /// or a shutdown was requested while waiting.
    fn next_batch(&mut self, limits: &BatchLimits, shutdown: &Shutdown) -> Result<Option<Batch>>;

    /// Stores the positions of a batch whose outputs are durable.
    fn commit(&mut self, positions: &[Position]) -> Result<()>;

    /// For a transactional sink: the consumer group's metadata and where each
    /// owned partition stands now. `None` for sources outside Kafka.
    fn transaction_context(&self) -> Result<Option<TxnContext>> {
        Ok(None)
    }

    /// Goes back to the last stored positions (after an aborted transaction).
    fn rewind(&mut self) -> Result<()> {
        Ok(())
    }
}

/// What a Kafka transaction needs from the consumer (KIP-447 fencing).
pub struct TxnContext {
    pub metadata: rdkafka::consumer::ConsumerGroupMetadata,
    /// The committed offset of every owned partition that has one.
    pub positions: Vec<Position>,
    /// Owned partitions nothing was committed for yet.
    pub uncommitted: Vec<(Arc<str>, i32)>,
    /// Where those start: the log end (auto.offset.reset=latest) or start.
    pub reset_to_latest: bool,
}
