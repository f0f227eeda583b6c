//! The micro-batch loop shared by every streaming tool:
//! source → transform → sinks → durable → (tool's after-durable step) → offsets.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Context, Result};

use crate::counters::Counters;
use crate::record::{InRecord, OutBuf};
use crate::shutdown::Shutdown;
use crate::sink::{Sink, Stored, TxnAborted};
use crate::source::{BatchLimits, Source};
use crate::state::batch::{self, BatchState};
use crate::state::retrying::Retrying;
use crate::state::{Op, Reply};

/// Input records per parallel work unit: large enough to amortise scheduling.
const PAR_CHUNK: usize = 2048;

/// A stateless per-record transform; run on every core.
pub trait RecordTransform: Sync {
    fn apply(&self, rec: &InRecord, out: &mut OutBuf);
}

/// A transform over a whole batch; stateful tools implement this directly.
pub trait BatchTransform {
    /// Transforms `records` and hands each output chunk to `emit`, in input
    /// order. State is read and written only through `state`
    /// ([`BatchState`]): the pipeline applies the writes.
    fn process(
        &mut self,
        records: &[InRecord],
        state: &mut BatchState,
        emit: &mut dyn FnMut(OutBuf) -> Result<()>,
    ) -> Result<()>;
    /// The replies to this batch's before-durable writes, one per op in the
    /// order asked (e.g. `route-db` counts stale dimension rows).
    fn before_durable_applied(&mut self, _replies: Vec<Reply>) -> Result<()> {
        Ok(())
    }
    /// Kafka input, before each batch: partitions newly assigned (read
    /// again from their stored offset or rewind) and those read to their
    /// log end ([`crate::source::PartitionNews`]).
    fn partitions(&mut self, _news: &crate::source::PartitionNews) {}
    /// Runs after the sinks made the batch durable and its after-durable
    /// writes were applied, before offsets are stored (e.g. `risk-alert`
    /// checkpoints here); `refused` are the documents Elasticsearch refused
    /// for good, which are not durable.
    fn after_durable(&mut self, _refused: &[crate::record::FailedDoc]) -> Result<()> {
        Ok(())
    }
    /// The tool's own running counts, for the progress and summary lines.
    fn counts(&self) -> Vec<(&'static str, u64)> {
        Vec::new()
    }
    /// Runs once when the input ended (files, stdin, `--once`; not on a
    /// signal), as one more batch without records: a tool that evaluates
    /// bounded input as a whole emits its results here.
    fn finish(&mut self, _emit: &mut dyn FnMut(OutBuf) -> Result<()>) -> Result<()> {
        Ok(())
    }
}

/// Runs a [`RecordTransform`] on every core. Workers take chunks in input
/// order from a shared counter, and the calling thread emits each finished
/// chunk in order while later ones are still being transformed, so writing
/// overlaps parsing and every stream keeps the input's order.
pub struct Parallel<T>(pub T);

fn transform_chunk<T: RecordTransform>(t: &T, chunk: &[InRecord]) -> OutBuf {
    let mut out = OutBuf::default();
    // Flattening repeats the common fields per display: outputs run ~4× the input.
    out.data
        .reserve(chunk.iter().map(|r| r.payload.len()).sum::<usize>() * 4);
    for rec in chunk {
        t.apply(rec, &mut out);
    }
    out
}

impl<T: RecordTransform> BatchTransform for Parallel<T> {
    fn process(
        &mut self,
        records: &[InRecord],
        _state: &mut BatchState,
        emit: &mut dyn FnMut(OutBuf) -> Result<()>,
    ) -> Result<()> {
        let t = &self.0;
        let chunks: Vec<&[InRecord]> = records.chunks(PAR_CHUNK).collect();
        if chunks.len() <= 1 {
            return chunks
                .first()
                .map_or(Ok(()), |c| emit(transform_chunk(t, c)));
        }
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(chunks.len());
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let (tx, rx) = crossbeam_channel::unbounded::<(usize, OutBuf)>();
        std::thread::scope(|s| {
            for _ in 0..workers {
                let (tx, next, stop, chunks) = (tx.clone(), &next, &stop, &chunks);
                s.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= chunks.len() || stop.load(Ordering::Relaxed) {
                        break;
                    }
                    if tx.send((i, transform_chunk(t, chunks[i]))).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            let mut pending = BTreeMap::new();
            let mut want = 0;
            for (i, out) in rx.iter() {
                pending.insert(i, out);
                while let Some(out) = pending.remove(&want) {
                    if let Err(e) = emit(out) {
                        stop.store(true, Ordering::Relaxed);
                        return Err(e);
                    }
                    want += 1;
                }
            }
            Ok(())
        })
    }
}

/// Maps `items` on every core, keeping their order: one contiguous share per
/// core (for per-record work of even cost, like parsing).
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    if items.len() < PAR_CHUNK || cores < 2 {
        return items.iter().map(&f).collect();
    }
    let share = items.len().div_ceil(cores);
    let f = &f;
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(share)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    pub limits: BatchLimits,
    /// Stop at the first dirty record (exit 65) instead of routing it.
    pub strict: bool,
}

/// Applies a batch's writes to `state` in one round trip.
fn apply(state: Option<&Retrying>, what: &str, ops: Vec<Op>) -> Result<Vec<Reply>> {
    let store = state.ok_or_else(|| anyhow::anyhow!("{what}: no state store was opened"))?;
    store
        .exec(ops)
        .with_context(|| format!("{what} in {}", store.describe()))
}

/// The writes a batch asked for before it is durable; their replies go
/// back to the transform.
fn apply_before_durable(
    state: Option<&Retrying>,
    transform: &mut dyn BatchTransform,
    before: Vec<Op>,
) -> Result<()> {
    if before.is_empty() {
        return Ok(());
    }
    let replies = apply(state, "applying the batch's state writes", before)?;
    transform.before_durable_applied(replies)
}

/// The batch is durable: its after-durable writes (not those of `refused`
/// documents), then the transform's own after-durable step.
fn apply_after_durable(
    state: Option<&Retrying>,
    transform: &mut dyn BatchTransform,
    after: Vec<batch::AfterDurable>,
    refused: &[crate::record::FailedDoc],
) -> Result<()> {
    let after = batch::surviving(after, refused);
    if !after.is_empty() {
        crate::failpoint!(crate::failpoint::names::AFTER_SINK_BEFORE_STATE);
        apply(state, "applying the state writes of a durable batch", after)?;
    }
    transform.after_durable(refused)
}

/// Runs batches until the input ends (files, `--once`) or a signal arrives.
/// `state` is the tool's state store, the only one its transform reaches
/// (through [`BatchState`]).
#[allow(clippy::too_many_arguments)]
pub fn run(
    source: &mut dyn Source,
    transform: &mut dyn BatchTransform,
    state: Option<&Retrying>,
    sink: &mut dyn Sink,
    counters: &mut Counters,
    shutdown: &Shutdown,
    opts: &RunOptions,
) -> Result<()> {
    let mut progress = crate::progress::RunProgress::new(counters.tool);
    let mut started_sink = false;
    // After a document is refused for good: how many, and the first.
    let mut held: Option<(usize, crate::record::FailedDoc)> = None;
    loop {
        if shutdown.requested() {
            tracing::info!("signal received: stopping after the last complete batch");
            break;
        }
        let (batch, last) = match source.next_batch(&opts.limits, shutdown)? {
            Some(batch) => (batch, false),
            // A final pass only after a first batch: empty input has nothing to finish.
            None if started_sink && !shutdown.requested() => {
                (crate::source::Batch::default(), true)
            }
            None => break,
        };
        transform.partitions(&batch.partitions);
        let mut batch_state = BatchState::new(state, opts.strict);
        let mut transform_batch = |emit: &mut dyn FnMut(OutBuf) -> Result<()>| {
            if last {
                transform.finish(emit)
            } else {
                transform.process(&batch.records, &mut batch_state, emit)
            }
        };
        if !started_sink {
            sink.start(&*source)?;
            started_sink = true;
        }
        let started = std::time::Instant::now();
        let mut written = vec![0u64; counters.written.len()];
        let mut count = |out: &OutBuf| {
            for rec in &out.recs {
                if rec.stream >= written.len() {
                    written.resize(rec.stream + 1, 0);
                }
                written[rec.stream] += 1;
            }
        };
        // New streams reach the sink and the counters before their records.
        let mut declare = |sink: &mut dyn Sink, out: &OutBuf| {
            if !out.new_streams.is_empty() {
                sink.add_streams(&out.new_streams);
                counters.add_streams(out.new_streams.iter().map(|d| d.name.clone()));
            }
        };
        if opts.strict {
            // Check the whole batch first: nothing of a bad batch is written.
            let mut outs = Vec::new();
            transform_batch(&mut |o| {
                outs.push(o);
                Ok(())
            })?;
            for out in &outs {
                out.strict_check()?;
            }
            for out in &outs {
                declare(sink, out);
                sink.write(out)?;
                count(out);
            }
        } else {
            transform_batch(&mut |out| {
                declare(sink, &out);
                sink.write(&out)?;
                count(&out);
                Ok(())
            })?;
        }
        // The batch passed --strict: its writes apply before it is durable.
        let (before, after) = batch_state.into_effects();
        apply_before_durable(state, transform, before)?;
        // Failpoints count batches with records only: idle batches while the
        // group forms would make a crash test test nothing.
        let has_records = !batch.records.is_empty();
        if has_records {
            crate::failpoint!(crate::failpoint::names::AFTER_PRODUCE_BEFORE_FLUSH);
        }
        let transformed = started.elapsed();
        let stored = match sink.finish_batch(&batch.positions, &*source) {
            Ok(s) => s,
            Err(e) if e.downcast_ref::<TxnAborted>().is_some() => {
                tracing::warn!("{e:#}; re-reading the batch from the last committed offsets");
                source.rewind()?;
                continue;
            }
            Err(e) => return Err(e),
        };
        let refused: &[crate::record::FailedDoc] = match &stored {
            Stored::Held(f) | Stored::DeadLettered(f) => f,
            _ => &[],
        };
        apply_after_durable(state, transform, after, refused)?;
        // Refused documents were counted when the transform made them: they
        // count as `refused`, never as written.
        for f in refused {
            if let Some(i) = counters.streams.iter().position(|s| *s == f.index) {
                if let Some(n) = written.get_mut(i) {
                    *n = n.saturating_sub(1);
                }
            }
            counters.refused += 1;
        }
        match stored {
            Stored::ByPipeline | Stored::DeadLettered(_) if held.is_some() => {}
            Stored::ByPipeline | Stored::DeadLettered(_) => {
                if has_records {
                    crate::failpoint!(crate::failpoint::names::AFTER_FLUSH_BEFORE_OFFSETS);
                }
                source.commit(&batch.positions)?;
            }
            Stored::Held(failed) => {
                if held.is_none() {
                    tracing::error!(
                        "{} records refused for good by their sink (first: {}): offsets are no longer stored in this run, so a restart reads them again",
                        failed.len(),
                        failed.first().map_or_else(String::new, ToString::to_string)
                    );
                }
                if let Some(f) = failed.first() {
                    held.get_or_insert((0, f.clone())).0 += failed.len();
                }
            }
            // The transaction already committed these offsets; committing them
            // again is a no-op on Kafka, and makes progress on brokers that
            // acknowledge TxnOffsetCommit without storing it (librdkafka's mock
            // cluster 2.12). On those, only a crash in this instant can repeat a batch.
            Stored::InTransaction => source.commit(&batch.positions)?,
        }
        counters.read += batch.records.len() as u64;
        counters.skipped += batch.skipped;
        for (total, n) in counters.written.iter_mut().zip(&written) {
            *total += n;
        }
        if !last {
            counters.batches += 1;
        }
        counters.extra = transform.counts();
        tracing::debug!(
            records = batch.records.len(),
            transform_ms = transformed.as_millis() as u64,
            total_ms = started.elapsed().as_millis() as u64,
            "batch stored"
        );
        counters.batch_metrics(&written, batch.records.len() as u64, started.elapsed());
        progress.update(counters, source.progress());
        if last {
            break;
        }
    }
    drop(progress);
    if let Some((n, first)) = held {
        return Err(anyhow::anyhow!(
            "{n} records were refused for good by Elasticsearch or Kafka (first: {first}); offsets were not stored past them (--on-refused fail): fix the data, the mapping or the topic's max.message.bytes and run again, or drop --on-refused fail to dead-letter them"
        ));
    }
    Ok(())
}

/// Running a transform in process, one batch as [`run`] does it, against a
/// real store: for the tools' unit tests (issue 18).
#[cfg(test)]
pub(crate) mod in_process {
    use super::*;

    /// Lines of `file` as input records (`topic` as their envelope topic).
    pub fn lines(file: &str, topic: Option<&str>, lines: &[&str]) -> Vec<InRecord> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| InRecord {
                payload: l.as_bytes().to_vec(),
                topic: topic.map(Into::into),
                origin: crate::record::Origin::Line {
                    file: file.into(),
                    line: i as u64 + 1,
                },
                truncated_from: None,
            })
            .collect()
    }

    /// An embedded store in `dir`, retried as a tool's is.
    pub fn store(dir: &std::path::Path) -> Retrying {
        let store = crate::state::embedded::EmbeddedStore::open(&dir.join("state"))
            .expect("an embedded store");
        Retrying::new(
            std::sync::Arc::new(store),
            crate::retry::RetryPolicy::new(Some(std::time::Duration::ZERO)),
            Shutdown::default(),
        )
    }

    /// One batch: transform, the `--strict` check, the before-durable
    /// writes, then (nothing refused) the after-durable ones. Returns the
    /// outputs, or the error the run would end with.
    pub fn batch(
        transform: &mut dyn BatchTransform,
        store: &Retrying,
        records: &[InRecord],
        strict: bool,
    ) -> Result<Vec<OutBuf>> {
        let mut state = BatchState::new(Some(store), strict);
        let mut outs = Vec::new();
        transform.process(records, &mut state, &mut |o| {
            outs.push(o);
            Ok(())
        })?;
        if strict {
            for out in &outs {
                out.strict_check()?;
            }
        }
        let (before, after) = state.into_effects();
        apply_before_durable(Some(store), transform, before)?;
        apply_after_durable(Some(store), transform, after, &[])?;
        Ok(outs)
    }

    /// Every value the outputs hold, as JSON, with its stream index.
    pub fn values(outs: &[OutBuf]) -> Vec<(usize, serde_json::Value)> {
        outs.iter()
            .flat_map(|o| {
                o.recs.iter().map(move |r| {
                    let v = serde_json::from_slice(o.value(r)).expect("JSON output");
                    (r.stream, v)
                })
            })
            .collect()
    }
}
