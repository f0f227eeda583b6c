//! Records in flight: what a source yields ([`InRecord`]) and what a transform
//! produces ([`OutBuf`]), without an allocation per output record.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// Where an input record came from; printed in every error and dirty record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Kafka {
        topic: Arc<str>,
        partition: i32,
        offset: i64,
    },
    /// A line of a file (`-` is standard input); `line` counts from 1.
    Line { file: Arc<str>, line: u64 },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Kafka {
                topic,
                partition,
                offset,
            } => write!(f, "{topic}/{partition}/{offset}"),
            Origin::Line { file, line } => write!(f, "{file}:{line}"),
        }
    }
}

/// One input record.
#[derive(Debug, Clone)]
pub struct InRecord {
    /// The record's bytes (for an envelope, the bytes of its `value`).
    pub payload: Vec<u8>,
    /// The topic it was read from or named in its envelope; `None` for a bare line.
    pub topic: Option<Arc<str>>,
    pub origin: Origin,
    /// Set by a reader that cut an over-long line: the line's real length.
    pub truncated_from: Option<usize>,
}

/// One output record: byte ranges into [`OutBuf::data`].
#[derive(Debug, Clone)]
pub struct OutRec {
    /// Index into the tool's stream table.
    pub stream: usize,
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
}

/// The outputs of a chunk of input: every value serialised into one buffer.
#[derive(Debug, Default)]
pub struct OutBuf {
    pub data: Vec<u8>,
    pub recs: Vec<OutRec>,
    /// The first dirty record's origin and reason, for `--strict`.
    pub first_dirty: Option<(String, String)>,
    /// Streams first used in this chunk, to append to the tool's stream table
    /// before its records are written (see `crate::sink::Sink::add_streams`).
    pub new_streams: Vec<StreamDef>,
}

impl OutBuf {
    /// `--strict`: its first dirty record as the run's end (exit 65, naming
    /// where the record came from).
    pub fn strict_check(&self) -> Result<(), crate::exit::Failure> {
        match &self.first_dirty {
            Some((source_pos, reason)) => Err(crate::exit::Failure::BadInput {
                source_pos: source_pos.clone(),
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Appends a record whose value is written by `write_value`.
    pub fn push(
        &mut self,
        stream: usize,
        key: Option<&[u8]>,
        write_value: impl FnOnce(&mut Vec<u8>),
    ) {
        let key = key.map(|k| {
            let start = self.data.len();
            self.data.extend_from_slice(k);
            start..self.data.len()
        });
        let start = self.data.len();
        write_value(&mut self.data);
        let value = start..self.data.len();
        self.recs.push(OutRec { stream, key, value });
    }

    pub fn key(&self, rec: &OutRec) -> Option<&[u8]> {
        rec.key.clone().map(|r| &self.data[r])
    }

    pub fn value(&self, rec: &OutRec) -> &[u8] {
        &self.data[rec.value.clone()]
    }

    /// Records a dirty input on `dirty_stream` as `{"raw","error","source"}`.
    pub fn push_dirty(&mut self, dirty_stream: usize, rec: &InRecord, error: &str) {
        self.dirty(dirty_stream, rec, error, false);
    }

    /// [`OutBuf::push_dirty`] keyed by the source position: a dirty
    /// *document* needs an id, and this one is the same on a replay.
    pub fn push_dirty_doc(&mut self, dirty_stream: usize, rec: &InRecord, error: &str) {
        self.dirty(dirty_stream, rec, error, true);
    }

    fn dirty(&mut self, dirty_stream: usize, rec: &InRecord, error: &str, keyed: bool) {
        let source = rec.origin.to_string();
        if self.first_dirty.is_none() {
            self.first_dirty = Some((source.clone(), error.to_string()));
        }
        let key = keyed.then_some(source.as_bytes());
        self.push(dirty_stream, key, |out| {
            write_dirty(out, &rec.payload, error, &source)
        });
    }
}

/// Writes a dirty record. Invalid UTF-8 in `raw` is replaced (U+FFFD): the
/// original bytes stay in the source, at the position `source` names.
pub fn write_dirty(out: &mut Vec<u8>, raw: &[u8], error: &str, source: &str) {
    let raw = String::from_utf8_lossy(raw);
    out.extend_from_slice(b"{\"raw\":");
    write_json_str(out, &raw);
    out.extend_from_slice(b",\"error\":");
    write_json_str(out, error);
    out.extend_from_slice(b",\"source\":");
    write_json_str(out, source);
    out.push(b'}');
}

/// Writes `s` as a JSON string literal.
pub fn write_json_str(out: &mut Vec<u8>, s: &str) {
    // serde_json's escaper writes into any io::Write; a Vec never fails.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// One output stream of a tool: a topic of records or an index of documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamDef {
    /// The topic or index name (after `[topics]` renames).
    pub name: String,
    pub kind: StreamKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    /// `{"topic","key","value"}` on stdout, the bare value in `DIR/` files.
    Record,
    /// `{"_index","_id","_source"}` on stdout, `{"_id","_source"}` in files; key = `_id`.
    Document,
}

impl StreamDef {
    pub fn record(name: impl Into<String>) -> StreamDef {
        StreamDef {
            name: name.into(),
            kind: StreamKind::Record,
        }
    }
}

/// A record or document its sink refused for good (issue 18). From
/// Elasticsearch: not a 409 on `create`, not a 429 or 5xx, which are
/// retried; `index`/`id` are the document's. From Kafka: too large or
/// invalid; `index` is the topic and `id` the record key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedDoc {
    pub index: String,
    pub id: String,
    pub status: u16,
    pub reason: String,
}

impl std::fmt::Display for FailedDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{}: status {}: {}",
            self.index, self.id, self.status, self.reason
        )
    }
}
