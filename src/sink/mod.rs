//! Sinks: where a batch's outputs go, and the point where they become durable.

pub mod kafka;
pub mod lines;

use anyhow::Result;

use crate::record::OutBuf;

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

pub trait Sink {
    /// Queues the records of one chunk.
    fn write(&mut self, out: &OutBuf) -> Result<()>;
    /// Returns once everything written so far is durable.
    fn flush(&mut self) -> Result<()>;
}
