//! Documents to Elasticsearch and records to Kafka in one run (`order-wide
//! --also-topic`): both inner sinks learn every stream and each writes the
//! streams of its kind; a batch is durable when both are.

use anyhow::Result;

use super::{Sink, Stored, StreamDef};
use crate::record::OutBuf;
use crate::source::{Position, Source};

pub struct TeeSink {
    pub documents: Box<dyn Sink>,
    pub records: Box<dyn Sink>,
}

impl Sink for TeeSink {
    fn start(&mut self, source: &dyn Source) -> Result<()> {
        self.records.start(source)?;
        self.documents.start(source)
    }

    /// Records first: the documents' sink decides whether offsets may be
    /// stored (refused documents hold them), and it answers last.
    fn finish_batch(&mut self, positions: &[Position], source: &dyn Source) -> Result<Stored> {
        let records = self.records.finish_batch(positions, source)?;
        let documents = self.documents.finish_batch(positions, source)?;
        Ok(records.merge(documents))
    }

    fn add_streams(&mut self, defs: &[StreamDef]) {
        self.documents.add_streams(defs);
        self.records.add_streams(defs);
    }

    fn write(&mut self, out: &OutBuf) -> Result<()> {
        self.records.write(out)?;
        self.documents.write(out)
    }

    fn flush(&mut self) -> Result<()> {
        self.records.flush()?;
        self.documents.flush()
    }
}
