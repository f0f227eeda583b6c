//! NDJSON sinks: envelopes on stdout (`--to -`), or one file per stream (`--to DIR/`).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{Sink, StreamDef, StreamKind};
use crate::record::{write_json_str, OutBuf, OutRec};

const FILE_BUFFER: usize = 256 * 1024;

/// Envelopes on stdout, block-buffered unless stdout is a terminal.
pub struct StdoutSink {
    streams: Vec<StreamDef>,
    out: Box<dyn Write>,
    line: Vec<u8>,
}

impl StdoutSink {
    pub fn new(streams: Vec<StreamDef>) -> StdoutSink {
        let stdout = io::stdout();
        let out: Box<dyn Write> = if stdout.is_terminal() {
            Box::new(stdout)
        } else {
            Box::new(BufWriter::with_capacity(FILE_BUFFER, stdout))
        };
        StdoutSink {
            streams,
            out,
            line: Vec::with_capacity(1024),
        }
    }
}

/// Writes the stdout envelope of one record.
pub fn write_envelope(line: &mut Vec<u8>, def: &StreamDef, out: &OutBuf, rec: &OutRec) {
    let key = out.key(rec).map(String::from_utf8_lossy);
    match def.kind {
        StreamKind::Record => {
            line.extend_from_slice(b"{\"topic\":");
            write_json_str(line, &def.name);
            line.extend_from_slice(b",\"key\":");
            match &key {
                Some(k) => write_json_str(line, k),
                None => line.extend_from_slice(b"null"),
            }
            line.extend_from_slice(b",\"value\":");
        }
        StreamKind::Document => {
            line.extend_from_slice(b"{\"_index\":");
            write_json_str(line, &def.name);
            line.extend_from_slice(b",\"_id\":");
            write_json_str(line, key.as_deref().unwrap_or(""));
            line.extend_from_slice(b",\"_source\":");
        }
    }
    line.extend_from_slice(out.value(rec));
    line.extend_from_slice(b"}\n");
}

impl Sink for StdoutSink {
    fn add_streams(&mut self, defs: &[StreamDef]) {
        self.streams.extend_from_slice(defs);
    }

    fn write(&mut self, out: &OutBuf) -> Result<()> {
        for rec in &out.recs {
            self.line.clear();
            write_envelope(&mut self.line, &self.streams[rec.stream], out, rec);
            self.out.write_all(&self.line)?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

/// One `NAME.jsonl` file per stream in a directory, appended to. With
/// `sync_each_flush` (a Kafka source, whose offsets are stored after each
/// batch) every flush fsyncs, so stored offsets never run ahead of the files;
/// from files there are no offsets, and the files are only flushed, as any
/// Unix filter does.
pub struct DirSink {
    dir: PathBuf,
    streams: Vec<StreamDef>,
    files: Vec<Option<BufWriter<File>>>,
    touched: Vec<bool>,
    sync_each_flush: bool,
}

impl DirSink {
    pub fn open(dir: &Path, streams: Vec<StreamDef>, sync_each_flush: bool) -> Result<DirSink> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating output directory {}", dir.display()))?;
        let n = streams.len();
        Ok(DirSink {
            dir: dir.to_path_buf(),
            streams,
            files: (0..n).map(|_| None).collect(),
            touched: vec![false; n],
            sync_each_flush,
        })
    }

    fn file(&mut self, stream: usize) -> Result<&mut BufWriter<File>> {
        if self.files[stream].is_none() {
            let path = self
                .dir
                .join(format!("{}.jsonl", self.streams[stream].name));
            let f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .with_context(|| format!("opening {}", path.display()))?;
            self.files[stream] = Some(BufWriter::with_capacity(FILE_BUFFER, f));
        }
        self.touched[stream] = true;
        self.files[stream].as_mut().context("output file vanished")
    }
}

impl Sink for DirSink {
    fn add_streams(&mut self, defs: &[StreamDef]) {
        self.streams.extend_from_slice(defs);
        self.files.resize_with(self.streams.len(), || None);
        self.touched.resize(self.streams.len(), false);
    }

    fn write(&mut self, out: &OutBuf) -> Result<()> {
        for rec in &out.recs {
            let kind = self.streams[rec.stream].kind;
            let f = self.file(rec.stream)?;
            match kind {
                StreamKind::Record => f.write_all(out.value(rec))?,
                StreamKind::Document => {
                    let mut line = Vec::with_capacity(rec.value.len() + 64);
                    line.extend_from_slice(b"{\"_id\":");
                    write_json_str(
                        &mut line,
                        &String::from_utf8_lossy(out.key(rec).unwrap_or_default()),
                    );
                    line.extend_from_slice(b",\"_source\":");
                    line.extend_from_slice(out.value(rec));
                    line.push(b'}');
                    f.write_all(&line)?;
                }
            }
            f.write_all(b"\n")?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        for (i, f) in self.files.iter_mut().enumerate() {
            if let (Some(f), true) = (f.as_mut(), self.touched[i]) {
                f.flush()?;
                if self.sync_each_flush {
                    f.get_ref()
                        .sync_data()
                        .with_context(|| format!("syncing {}", self.streams[i].name))?;
                }
            }
        }
        self.touched.iter_mut().for_each(|t| *t = false);
        Ok(())
    }
}

impl Drop for DirSink {
    fn drop(&mut self) {
        for f in self.files.iter_mut().flatten() {
            let _ = f.flush();
        }
    }
}
