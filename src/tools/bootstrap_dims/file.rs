//! `bootstrap-dims --from FILE|-`: CDC records or plain rows of one table,
//! written as versioned rows; a bad record is dirty (or exit 65 with --strict).

use super::*;
use crate::dims::{self, TableLists};
use crate::exit::{ExitStatus, Failure};
use crate::model::cdc::{self, Change, Format, Op as CdcOp, Record, Version};
use crate::progress::Progress;
use crate::record::{write_dirty, InRecord};
use crate::shutdown::Shutdown;
use crate::source::lines::{LinesSource, DEFAULT_MAX_LINE_BYTES};
use crate::source::{BatchLimits, Source};
use anyhow::Result;
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub(super) fn from_file(args: &Args, writer: &Writer, shutdown: &Shutdown) -> Result<ExitStatus> {
    let path = PathBuf::from(&args.from);
    let stdin = args.from == "-";
    if args.resume && stdin {
        return Err(Failure::usage(
            "--resume needs a file or mysql:// source: standard input cannot be read again",
        ));
    }
    // Plain rows name no table: they need exactly one --table.
    let plain_table = (args.table.len() == 1).then(|| dims::normalise(&args.table[0]));
    let keep: BTreeSet<String> = if args.table.is_empty() {
        TableLists::read(&writer.state, &writer.names)?.dims
    } else {
        args.table.iter().map(|t| dims::normalise(t)).collect()
    };
    let as_of_ms = match args.as_of {
        Some(t) => ms(t),
        None if stdin => ms(jiff::Timestamp::now()),
        None => std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| jiff::Timestamp::try_from(t).ok())
            .map_or_else(|| ms(jiff::Timestamp::now()), ms),
    };
    let plain_version = snapshot_version(as_of_ms, args.snapshot_margin);
    let pk = if args.pk.is_empty() {
        vec!["id".to_string()]
    } else {
        args.pk.clone()
    };
    let what = if stdin {
        "FILE:-".to_string()
    } else {
        let abs = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        format!("FILE:{}", abs.display())
    };
    let mut skip_through = 0u64;
    if args.resume {
        let progress = writer.read_progress(&what)?;
        if progress.get("done").map(String::as_str) == Some("1") {
            tracing::info!("{}: the last run finished; nothing to resume", args.from);
            return Ok(ExitStatus::Success);
        }
        skip_through = progress
            .get("line")
            .and_then(|l| l.parse().ok())
            .unwrap_or(0);
        tracing::info!("{}: resuming after line {skip_through}", args.from);
    }
    let mut source = LinesSource::open(
        vec![path],
        vec!["ODS_BASE_DB".to_string()],
        DEFAULT_MAX_LINE_BYTES,
    )?;
    let limits = BatchLimits {
        max_records: args.page_size,
        max_wait: Duration::from_secs(3600),
    };
    let mut tally = Tally::default();
    let mut progress = Progress::new(&format!("{TOOL} {}", args.from), None);
    let started = Instant::now();
    let mut stdout = std::io::stdout().lock();
    while let Some(batch) = source.next_batch(&limits, shutdown)? {
        let mut ops = Vec::with_capacity(batch.records.len());
        let mut last_line = 0;
        for rec in &batch.records {
            let line = match &rec.origin {
                crate::record::Origin::Line { line, .. } => *line,
                _ => 0,
            };
            last_line = line;
            if line <= skip_through {
                continue;
            }
            tally.read += 1;
            match file_changes(
                rec,
                args.format,
                plain_table.as_deref(),
                &pk,
                &plain_version,
                &writer.tz,
            ) {
                Ok(changes) => {
                    for change in changes {
                        if !keep.contains(&dims::normalise(&change.table)) {
                            tally.skipped += 1;
                            continue;
                        }
                        match dims::put_op(&writer.names, &change) {
                            Ok(op) => ops.push(op),
                            Err(e) => {
                                dirty(rec, &e, args.strict, &mut stdout, &mut tally)?;
                            }
                        }
                    }
                }
                Err(e) => dirty(rec, &e, args.strict, &mut stdout, &mut tally)?,
            }
        }
        stdout.flush()?;
        let n = batch.records.len() as u64;
        let mark = (!stdin && last_line > skip_through).then(|| {
            writer.progress_op(
                &what,
                vec![("line", last_line.to_string()), ("done", "0".into())],
            )
        });
        writer.write(ops, mark, &mut tally)?;
        progress.add(n);
    }
    progress.finish();
    if !stdin && !shutdown.requested() {
        let done = writer.progress_op(&what, vec![("done", "1".into())]);
        writer.write(Vec::new(), Some(done), &mut tally)?;
    }
    summary(&args.from, &tally, started.elapsed(), args.dry_run);
    Ok(ExitStatus::Success)
}

/// The changes one file record stands for: a CDC record's rows, or one
/// plain row of `plain_table`.
pub(super) fn file_changes(
    rec: &InRecord,
    format: Option<Format>,
    plain_table: Option<&str>,
    pk: &[String],
    version: &Version,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<Change>, String> {
    if let Some(len) = rec.truncated_from {
        return Err(format!(
            "record is {len} bytes, longer than the 16 MiB line limit"
        ));
    }
    match cdc::parse(&rec.payload, format, tz) {
        Ok(Record::Changes(c)) => Ok(c),
        // A backfill loads rows; markers, schema changes and truncates of the
        // past are not replayed onto the store.
        Ok(Record::Control(_) | Record::Ddl | Record::Tombstone | Record::Truncate { .. }) => {
            Ok(Vec::new())
        }
        Err(cdc::CdcError::UnknownFormat) if format.is_none() => {
            let Some(table) = plain_table else {
                return Err("not a CDC record; plain rows need exactly one --table".to_string());
            };
            let data: Map<String, Value> = serde_json::from_slice(&rec.payload)
                .map_err(|e| format!("not a JSON object: {e}"))?;
            Ok(vec![Change {
                table: table.to_string(),
                op: CdcOp::Insert,
                data,
                old: None,
                ts_ms: version.ts_ms,
                pk: pk.to_vec(),
                version: version.clone(),
            }])
        }
        Err(e) => Err(e.to_string()),
    }
}

pub(super) fn dirty(
    rec: &InRecord,
    why: &str,
    strict: bool,
    out: &mut impl Write,
    tally: &mut Tally,
) -> Result<()> {
    if strict {
        return Err(Failure::BadInput {
            source_pos: rec.origin.to_string(),
            reason: why.to_string(),
        }
        .into());
    }
    tally.dirty += 1;
    let mut line = b"{\"topic\":\"DWD_DIRTY_LOG\",\"key\":null,\"value\":".to_vec();
    write_dirty(&mut line, &rec.payload, why, &rec.origin.to_string());
    line.extend_from_slice(b"}\n");
    out.write_all(&line)?;
    Ok(())
}
