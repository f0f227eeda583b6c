//! The micro-batch loop shared by every streaming tool:
//! source → transform → sinks → durable → (tool's after-durable step) → offsets.

use anyhow::Result;
use rayon::prelude::*;

use crate::counters::Counters;
use crate::exit::Failure;
use crate::record::{InRecord, OutBuf};
use crate::shutdown::Shutdown;
use crate::sink::Sink;
use crate::source::{BatchLimits, Source};

/// Input records per parallel work unit: large enough to amortise scheduling.
const PAR_CHUNK: usize = 2048;

/// A stateless per-record transform; run on every core.
pub trait RecordTransform: Sync {
    fn apply(&self, rec: &InRecord, out: &mut OutBuf);
}

/// A transform over a whole batch; stateful tools implement this directly.
pub trait BatchTransform {
    fn process(&mut self, records: &[InRecord]) -> Result<Vec<OutBuf>>;
    /// Runs after the sinks made the batch durable and before offsets are
    /// stored (e.g. `dau` adds the new mids to its set here).
    fn after_durable(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Runs a [`RecordTransform`] over chunks of the batch in parallel; the
/// chunks' outputs keep input order, so every stream's order is the input's.
pub struct Parallel<T>(pub T);

impl<T: RecordTransform> BatchTransform for Parallel<T> {
    fn process(&mut self, records: &[InRecord]) -> Result<Vec<OutBuf>> {
        let t = &self.0;
        Ok(records
            .par_chunks(PAR_CHUNK)
            .map(|chunk| {
                let mut out = OutBuf::default();
                out.data
                    .reserve(chunk.iter().map(|r| r.payload.len()).sum::<usize>() * 2);
                for rec in chunk {
                    t.apply(rec, &mut out);
                }
                out
            })
            .collect())
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    pub limits: BatchLimits,
    /// Stop at the first dirty record (exit 65) instead of routing it.
    pub strict: bool,
}

/// Runs batches until the input ends (files, `--once`) or a signal arrives.
pub fn run(
    source: &mut dyn Source,
    transform: &mut dyn BatchTransform,
    sink: &mut dyn Sink,
    counters: &mut Counters,
    shutdown: &Shutdown,
    opts: &RunOptions,
) -> Result<()> {
    loop {
        if shutdown.requested() {
            tracing::info!("signal received: stopping after the last complete batch");
            break;
        }
        let Some(batch) = source.next_batch(&opts.limits, shutdown)? else {
            break;
        };
        counters.read += batch.records.len() as u64;
        counters.skipped += batch.skipped;
        let outs = transform.process(&batch.records)?;
        if opts.strict {
            if let Some((source_pos, reason)) = outs.iter().find_map(|o| o.first_dirty.clone()) {
                // Nothing of this batch is written and its offsets are not stored.
                return Err(Failure::BadInput { source_pos, reason }.into());
            }
        }
        for out in &outs {
            sink.write(out)?;
            counters.count_outputs(out);
        }
        sink.flush()?;
        transform.after_durable()?;
        source.commit(&batch.positions)?;
        counters.batches += 1;
        counters.maybe_log();
    }
    Ok(())
}
