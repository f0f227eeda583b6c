//! NDJSON lines from files (`.gz` transparently) and stdin.
//!
//! A reader thread splits lines and unwraps envelopes while the main thread
//! transforms the previous chunk; a chunk is handed over as soon as the reader
//! would block, so `tail -f log | rtdw …` sees records within `--batch-ms`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use crossbeam_channel::{Receiver, RecvTimeoutError};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{Batch, BatchLimits, Position, Source, SourceProgress};
use crate::exit::Failure;
use crate::record::{InRecord, Origin};
use crate::shutdown::Shutdown;

const CHUNK_LINES: usize = 1024;
const READ_BUFFER: usize = 256 * 1024;
/// A line longer than this is cut and becomes dirty (`--max-line-bytes`).
pub const DEFAULT_MAX_LINE_BYTES: usize = 1024 * 1024;
/// How much of an over-long line the dirty record keeps.
pub const TRUNCATED_RAW_BYTES: usize = 64 * 1024;

enum Msg {
    Chunk(Vec<InRecord>, u64),
    Failed(anyhow::Error),
}

pub struct LinesSource {
    rx: Receiver<Msg>,
    /// Bytes the reader took from the files so far (before decompression).
    bytes_read: Arc<AtomicU64>,
    /// The files' total size, when every input is a file.
    bytes_total: Option<u64>,
    done: bool,
    /// Records of a chunk that did not fit the last batch: `--batch-max`
    /// is exact, whatever the reader's chunk size.
    pending: std::collections::VecDeque<InRecord>,
}

/// An NDJSON envelope as rtdw writes it: `{"topic":…,"key":…,"value":…}`.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    topic: &'a str,
    #[serde(borrow)]
    value: &'a RawValue,
}

impl LinesSource {
    /// Starts reading `paths` in order (`-` is stdin). `inputs` are the topics
    /// the tool reads: an envelope naming another topic is skipped.
    ///
    /// A folder (`DIR/` as the tools write it: one `TOPIC.jsonl` per stream)
    /// means the files named after the tool's input topics when it has any,
    /// else all its `*.jsonl[.gz]` files, in name order. A bare line of a
    /// file named after an input topic belongs to that topic, as an
    /// envelope's would: `--to DIR/` and `--from DIR/` chain like `--to -`
    /// and `--from -`.
    pub fn open(given: Vec<PathBuf>, inputs: Vec<String>, max_line: usize) -> Result<LinesSource> {
        let mut paths = Vec::new();
        for p in given {
            if !p.is_dir() {
                paths.push(p);
                continue;
            }
            let files = crate::endpoint::expand_dir(p.clone())?;
            let (mine, others): (Vec<PathBuf>, Vec<PathBuf>) = files
                .into_iter()
                .partition(|f| topic_of_file(f, &inputs).is_some());
            if mine.is_empty() {
                tracing::info!(
                    "--from {}: reading all its {} files (none is named after an input topic: {})",
                    p.display(),
                    others.len(),
                    inputs.join(", ")
                );
                paths.extend(others);
            } else {
                if !others.is_empty() {
                    tracing::info!(
                        "--from {}: reading {} (the input topics' files), leaving {} other files",
                        p.display(),
                        mine.iter()
                            .map(|f| f.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                        others.len()
                    );
                }
                paths.extend(mine);
            }
        }
        for p in &paths {
            if p.as_os_str() != "-" && !p.is_file() {
                return Err(Failure::usage(format!(
                    "--from {}: no such file",
                    p.display()
                )));
            }
        }
        let bytes_total = paths
            .iter()
            .map(|p| match p.as_os_str() == "-" {
                true => None,
                false => std::fs::metadata(p).ok().map(|m| m.len()),
            })
            .sum::<Option<u64>>();
        let bytes_read = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&bytes_read);
        // Deep enough that the reader stays a whole default batch ahead of the workers.
        let (tx, rx) = crossbeam_channel::bounded(48);
        std::thread::Builder::new()
            .name("rtdw-reader".into())
            .spawn(move || {
                for path in &paths {
                    if let Err(e) = read_one(path, &inputs, max_line, &counter, &tx) {
                        let _ = tx.send(Msg::Failed(e));
                        return;
                    }
                }
            })?;
        Ok(LinesSource {
            rx,
            bytes_read,
            bytes_total,
            done: false,
            pending: Default::default(),
        })
    }
}

/// A reader that counts the bytes it hands out (the progress line's "bytes read").
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn open_reader(path: &Path, count: &Arc<AtomicU64>) -> Result<Box<dyn Read + Send>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(Counting {
            inner: io::stdin(),
            count: Arc::clone(count),
        }));
    }
    let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let f = Counting {
        inner: f,
        count: Arc::clone(count),
    };
    if path.extension().is_some_and(|e| e == "gz") {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(
            BufReader::with_capacity(READ_BUFFER, f),
        )))
    } else {
        Ok(Box::new(f))
    }
}

/// The input topic a file is named after (`DWD_PAGE_LOG.jsonl`,
/// `DWD_PAGE_LOG.jsonl.gz`), if any.
fn topic_of_file(path: &Path, inputs: &[String]) -> Option<Arc<str>> {
    let name = path.file_name()?.to_str()?;
    let stem = name
        .strip_suffix(".jsonl.gz")
        .or_else(|| name.strip_suffix(".jsonl"))?;
    inputs
        .iter()
        .find(|t| *t == stem)
        .map(|t| Arc::from(t.as_str()))
}

fn read_one(
    path: &Path,
    inputs: &[String],
    max_line: usize,
    count: &Arc<AtomicU64>,
    tx: &crossbeam_channel::Sender<Msg>,
) -> Result<()> {
    let name: Arc<str> = if path.as_os_str() == "-" {
        "stdin".into()
    } else {
        path.display().to_string().into()
    };
    let file_topic = topic_of_file(path, inputs);
    let mut reader = BufReader::with_capacity(READ_BUFFER, open_reader(path, count)?);
    let mut chunk = Vec::with_capacity(CHUNK_LINES);
    let mut skipped = 0u64;
    let mut line_no = 0u64;
    let mut buf = Vec::new();
    loop {
        let total = read_capped(&mut reader, &mut buf, max_line)
            .with_context(|| format!("reading {name} after line {line_no}"))?;
        let Some(total) = total else { break };
        line_no += 1;
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        crate::model::lenient::normalise_record(&mut buf);
        if buf.iter().all(u8::is_ascii_whitespace) && total <= max_line {
            skipped += 1;
        } else {
            let origin = Origin::Line {
                file: Arc::clone(&name),
                line: line_no,
            };
            let truncated_from = (total > max_line).then_some(total);
            if truncated_from.is_some() {
                buf.truncate(TRUNCATED_RAW_BYTES);
            }
            match unwrap_envelope(&buf, inputs) {
                Unwrapped::Bare => chunk.push(InRecord {
                    payload: buf.clone(),
                    topic: file_topic.clone(),
                    origin,
                    truncated_from,
                }),
                Unwrapped::Value(topic, value) => chunk.push(InRecord {
                    payload: value,
                    topic: Some(topic),
                    origin,
                    truncated_from,
                }),
                Unwrapped::OtherTopic => skipped += 1,
            }
        }
        // Hand over a full chunk, or a partial one when the next read would block.
        if chunk.len() >= CHUNK_LINES || (!chunk.is_empty() && reader.buffer().is_empty()) {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_LINES));
            if tx
                .send(Msg::Chunk(full, std::mem::take(&mut skipped)))
                .is_err()
            {
                return Ok(());
            }
        }
    }
    if !chunk.is_empty() || skipped > 0 {
        let _ = tx.send(Msg::Chunk(chunk, skipped));
    }
    Ok(())
}

enum Unwrapped {
    Bare,
    Value(Arc<str>, Vec<u8>),
    OtherTopic,
}

/// Recognises rtdw's stdout envelope, which always starts with its `topic` key.
fn unwrap_envelope(line: &[u8], inputs: &[String]) -> Unwrapped {
    let trimmed = line.trim_ascii_start();
    let Some(rest) = trimmed.strip_prefix(b"{") else {
        return Unwrapped::Bare;
    };
    if !rest.trim_ascii_start().starts_with(b"\"topic\"") {
        return Unwrapped::Bare;
    }
    match serde_json::from_slice::<Envelope>(line) {
        Ok(env) if inputs.iter().any(|t| t == env.topic) => {
            Unwrapped::Value(env.topic.into(), env.value.get().as_bytes().to_vec())
        }
        Ok(_) => Unwrapped::OtherTopic,
        // A broken envelope goes to the tool as it is, to become dirty there.
        Err(_) => Unwrapped::Bare,
    }
}

/// Reads one line into `buf` (without `\n`), keeping at most `cap` bytes;
/// returns the line's full length, or `None` at end of input.
pub fn read_capped(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(any.then_some(total));
        }
        any = true;
        let (end, found) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i, true),
            None => (avail.len(), false),
        };
        let room = cap.saturating_sub(buf.len()).min(end);
        buf.extend_from_slice(&avail[..room]);
        total += end;
        r.consume(if found { end + 1 } else { end });
        if found {
            return Ok(Some(total));
        }
    }
}

impl Source for LinesSource {
    fn progress(&self) -> SourceProgress {
        SourceProgress {
            bytes_read: Some(self.bytes_read.load(Ordering::Relaxed)),
            bytes_total: self.bytes_total,
            lag: None,
        }
    }

    fn next_batch(&mut self, limits: &BatchLimits, shutdown: &Shutdown) -> Result<Option<Batch>> {
        if self.done && self.pending.is_empty() {
            return Ok(None);
        }
        let mut batch = Batch::default();
        let first = self.pending.len().min(limits.max_records);
        batch.records.extend(self.pending.drain(..first));
        let deadline = Instant::now() + limits.max_wait;
        while batch.records.len() < limits.max_records && !self.done {
            let wait = deadline.saturating_duration_since(Instant::now());
            match self
                .rx
                .recv_timeout(wait.min(std::time::Duration::from_millis(200)))
            {
                Ok(Msg::Chunk(mut recs, skipped)) => {
                    let room = limits.max_records - batch.records.len();
                    if recs.len() > room {
                        self.pending.extend(recs.split_off(room));
                    }
                    batch.records.extend(recs);
                    batch.skipped += skipped;
                }
                Ok(Msg::Failed(e)) => return Err(e),
                Err(RecvTimeoutError::Disconnected) => {
                    self.done = true;
                    break;
                }
                Err(RecvTimeoutError::Timeout) => {
                    if Instant::now() >= deadline || shutdown.requested() {
                        break;
                    }
                }
            }
        }
        if self.done && batch.records.is_empty() && batch.skipped == 0 && self.pending.is_empty() {
            return Ok(None);
        }
        Ok(Some(batch))
    }

    fn commit(&mut self, _positions: &[Position]) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_capped_keeps_at_most_cap_bytes_and_reports_real_length() {
        let data = b"short\nabcdefghij\n\nlast";
        let mut r = BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert_eq!(read_capped(&mut r, &mut buf, 5).unwrap(), Some(5));
        assert_eq!(buf, b"short");
        assert_eq!(read_capped(&mut r, &mut buf, 5).unwrap(), Some(10));
        assert_eq!(buf, b"abcde");
        assert_eq!(read_capped(&mut r, &mut buf, 5).unwrap(), Some(0));
        assert_eq!(read_capped(&mut r, &mut buf, 5).unwrap(), Some(4));
        assert_eq!(buf, b"last");
        assert_eq!(read_capped(&mut r, &mut buf, 5).unwrap(), None);
    }

    #[test]
    fn envelopes_are_unwrapped_or_skipped_by_topic() {
        let inputs = vec!["A".to_string()];
        match unwrap_envelope(br#"{"topic":"A","key":"k","value":{"x":1}}"#, &inputs) {
            Unwrapped::Value(t, v) => {
                assert_eq!(&*t, "A");
                assert_eq!(v, br#"{"x":1}"#);
            }
            _ => panic!("expected the value"),
        }
        assert!(matches!(
            unwrap_envelope(br#"{"topic":"B","value":{}}"#, &inputs),
            Unwrapped::OtherTopic
        ));
        assert!(matches!(
            unwrap_envelope(br#"{"common":{}}"#, &inputs),
            Unwrapped::Bare
        ));
    }
}
