//! `rtdw mock`: realistic, deterministic test data (SPEC §4.9).
//!
//! `mock logs` writes ODS user-behaviour lines exactly as the log system sends
//! them (bare lines, not envelopes: a malformed line cannot be wrapped in one).
//! The same `--seed` and flags always give the same bytes; without `--seed`
//! the seed is derived from `--date` (see [`seed_for`]), so a day and the day
//! before differ as real days do, and each date is still reproducible.

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result};
use clap::Subcommand;

mod curve;
mod db;
mod db_render;
mod gmall;
mod logs;

use crate::endpoint::To;
use crate::exit::{ExitStatus, Failure};
use crate::record::OutBuf;
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::kafka::KafkaSink;
use crate::sink::{Sink, StreamDef};

/// The seed of a run: `--seed`, else one derived from the date's day number.
pub fn seed_for(seed: Option<u64>, date: jiff::civil::Date) -> u64 {
    seed.unwrap_or_else(|| {
        // Any fixed odd constant spreads neighbouring days apart.
        (day_number(date) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1
    })
}

/// Days since 1970-01-01: a date's own id and binlog ranges in `mock db`,
/// and its default seed.
pub fn day_number(date: jiff::civil::Date) -> i64 {
    date.since(jiff::civil::date(1970, 1, 1))
        .map_or(0, |span| i64::from(span.get_days()))
}

#[derive(Debug, Subcommand)]
pub enum MockCommand {
    /// User-behaviour logs (SPEC §3.1): start and page logs with displays, actions and errors
    Logs(logs::LogsArgs),
    /// Business-database changes (SPEC §3.3) of the gmall tables as Maxwell, Canal or Debezium records, or SQL
    Db(db::DbArgs),
}

pub fn run(cmd: MockCommand, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    match cmd {
        MockCommand::Logs(a) => logs::run(a, settings, shutdown),
        MockCommand::Db(a) => db::run(a, settings, shutdown),
    }
}

/// Where generated lines go.
pub(crate) enum LineOut {
    Writer(Box<dyn Write>),
    Kafka(Box<KafkaSink>, OutBuf),
}

impl LineOut {
    pub(crate) fn line(&mut self, key: &str, line: &[u8]) -> Result<()> {
        match self {
            LineOut::Writer(w) => {
                w.write_all(line)?;
                w.write_all(b"\n")?;
            }
            LineOut::Kafka(sink, buf) => {
                buf.push(0, Some(key.as_bytes()), |o| o.extend_from_slice(line));
                if buf.recs.len() >= 10_000 {
                    sink.write(buf)?;
                    *buf = OutBuf::default();
                }
            }
        }
        Ok(())
    }

    pub(crate) fn finish(&mut self) -> Result<()> {
        match self {
            LineOut::Writer(w) => w.flush()?,
            LineOut::Kafka(sink, buf) => {
                sink.write(buf)?;
                sink.flush()?;
            }
        }
        Ok(())
    }
}

pub(crate) fn open_out(to: &To, settings: &Settings, topic: &str) -> Result<LineOut> {
    let file = |path: &std::path::Path| -> Result<Box<dyn Write>> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let f = File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let w = BufWriter::with_capacity(256 * 1024, f);
        Ok(if path.extension().is_some_and(|e| e == "gz") {
            Box::new(flate2::write::GzEncoder::new(
                w,
                flate2::Compression::fast(),
            ))
        } else {
            Box::new(w)
        })
    };
    Ok(match to {
        To::Stdout => LineOut::Writer(Box::new(BufWriter::with_capacity(
            256 * 1024,
            std::io::stdout(),
        ))),
        To::File(p) => LineOut::Writer(file(p)?),
        To::Dir(d) => LineOut::Writer(file(&d.join(format!("{topic}.jsonl")))?),
        To::Kafka(t) => {
            let name = t.clone().unwrap_or_else(|| topic.to_string());
            LineOut::Kafka(
                Box::new(KafkaSink::open(
                    settings,
                    vec![StreamDef::record(name)],
                    "rtdw-mock",
                    None,
                )?),
                OutBuf::default(),
            )
        }
        To::Es => {
            return Err(Failure::usage(
                "mock writes NDJSON or Kafka, not Elasticsearch",
            ))
        }
    })
}
