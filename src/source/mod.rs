//! Sources: where batches of input records come from, and where their
//! positions are stored once the batch's outputs are durable.

pub mod kafka;
pub mod lines;

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

#[derive(Debug, Default)]
pub struct Batch {
    pub records: Vec<InRecord>,
    /// Lines not handed to the tool: blank lines, envelopes of other topics.
    pub skipped: u64,
    /// Per partition, where to resume after this batch (empty for files).
    pub positions: Vec<Position>,
}

pub trait Source {
    /// The next batch, or `None` when the input is exhausted (files, `--once`)
    /// or a shutdown was requested while waiting.
    fn next_batch(&mut self, limits: &BatchLimits, shutdown: &Shutdown) -> Result<Option<Batch>>;

    /// Stores the positions of a batch whose outputs are durable.
    fn commit(&mut self, positions: &[Position]) -> Result<()>;
}
