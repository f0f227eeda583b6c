//! `rtdw bootstrap-dims`: backfill dimension rows by hand (SPEC §4.3), from
//! MySQL (keyset pages) or from a file of CDC records or plain rows. It writes
//! exactly the keys `route-db` writes, with the same version rule, so a
//! backfill racing the stream never overwrites a fresher streamed change.
//!
//! A snapshot row has no binlog position; its version is the time it was
//! read (the MySQL server's clock, whole seconds) minus `--snapshot-margin`.
//! Binlog timestamps are a statement's start, so a transaction that began
//! before the read and committed after it carries an earlier time than the
//! read: the margin makes every streamed change that might be newer than the
//! snapshot win, and the stream then converges the row.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args as ClapArgs;
use serde_json::{Map, Value};

use crate::dims::{self, Names, TableLists};
use crate::exit::{ExitStatus, Failure};
use crate::model::cdc::{self, Change, Format, Op as CdcOp, Record, Version};
use crate::progress::Progress;
use crate::record::{write_dirty, InRecord};
use crate::retry::RetryPolicy;
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::source::lines::{LinesSource, DEFAULT_MAX_LINE_BYTES};
use crate::source::mysql::{MysqlTables, PageRow};
use crate::source::{BatchLimits, Source};
use crate::state::retrying::Retrying;
use crate::state::{self, Op, ReplyIter};

const TOOL: &str = "bootstrap-dims";

#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  \
RTDW_MYSQL_PASSWORD=… rtdw bootstrap-dims \\\n      \
--from mysql://etl@db:3306/gmall --table user_info --table base_province\n  \
rtdw bootstrap-dims --from mysql://etl@db/gmall --all-dims --resume\n  \
rtdw bootstrap-dims --from users.jsonl.gz --table user_info --dry-run\n  \
rtdw mock db --orders 0 | rtdw bootstrap-dims --from - --table user_info")]
pub struct Args {
    /// mysql://USER@HOST[:PORT]/DB (password from RTDW_MYSQL_PASSWORD), FILE (.gz ok) or - (stdin)
    #[arg(long, value_name = "SOURCE")]
    pub from: String,
    /// A table to backfill; repeatable. From a file: the table of plain rows, or which tables of CDC records to keep
    #[arg(long, value_name = "TABLE")]
    pub table: Vec<String>,
    /// Every table in DIM:TABLES
    #[arg(long, conflicts_with = "table")]
    pub all_dims: bool,
    /// Rows per MySQL page (one indexed query each) and per pipelined write
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub page_size: usize,
    /// Read and count, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Continue after the last written key of an interrupted run (kept in the state store)
    #[arg(long)]
    pub resume: bool,
    /// CDC dialect of file records [default: detected per record]
    #[arg(long, value_name = "maxwell|canal|debezium")]
    pub format: Option<Format>,
    /// Primary-key column(s) of plain rows from a file, comma-separated [default: id]
    #[arg(long, value_delimiter = ',', value_name = "COLUMN")]
    pub pk: Vec<String>,
    /// When rows without a version of their own (MySQL reads, plain rows) were true, e.g. 2026-11-22T03:00:00Z [default: MySQL: each page's read time; a file: its modification time; stdin: now]
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<jiff::Timestamp>,
    /// Subtracted from that time, so that a streamed change that may be newer than the snapshot always wins
    #[arg(long, default_value = "60s", value_name = "DURATION")]
    pub snapshot_margin: jiff::SignedDuration,
    /// Stop with exit 65 at the first bad record instead of printing it as a DWD_DIRTY_LOG envelope on stdout
    #[arg(long)]
    pub strict: bool,
    /// Give up (exit 69) when the state store stays unreachable this long; 0 = never
    #[arg(long, default_value = "60s", value_name = "DURATION")]
    pub max_retry_time: jiff::SignedDuration,
}

/// What happened to one table's (or one file's) rows.
#[derive(Debug, Default, Clone)]
struct Tally {
    read: u64,
    rows: dims::WriteCounts,
    skipped: u64,
    dirty: u64,
}

struct Writer {
    state: Retrying,
    names: Names,
    dry_run: bool,
    /// `--tz`, in which CDC files' zoned timestamps are shown.
    tz: jiff::tz::TimeZone,
}

impl Writer {
    /// Writes one page's rows and, in the same pipeline after them, the
    /// resume point: when the point is stored, every row before it is too.
    fn write(&self, ops: Vec<Op>, progress: Option<Op>, tally: &mut Tally) -> Result<()> {
        if self.dry_run {
            // Counted as if every row were newer than the stored one: a dry
            // run reads no stored versions.
            for op in &ops {
                match op {
                    Op::PutIfNewer { value: None, .. } => tally.rows.deleted += 1,
                    _ => tally.rows.written += 1,
                }
            }
            return Ok(());
        }
        dims::write_rows(
            &self.state,
            ops,
            progress.into_iter().collect(),
            &mut tally.rows,
        )
    }

    fn progress_op(&self, what: &str, fields: Vec<(&str, String)>) -> Op {
        let mut fields: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        fields.push(("updated_at".into(), jiff::Timestamp::now().to_string()));
        Op::HSet {
            key: self.names.bootstrap_key(what),
            fields,
        }
    }

    fn read_progress(&self, what: &str) -> Result<std::collections::BTreeMap<String, String>> {
        Ok(self
            .state
            .exec(vec![Op::HGetAll(self.names.bootstrap_key(what))])?
            .into_iter()
            .next_reply()?
            .into_map()?)
    }
}

fn ms(t: jiff::Timestamp) -> i64 {
    t.as_millisecond()
}

/// A snapshot version: whole seconds of `read_ms`, minus the margin.
fn snapshot_version(read_ms: i64, margin: jiff::SignedDuration) -> Version {
    let ts_ms = (read_ms / 1000) * 1000 - margin.as_millis() as i64;
    Version {
        binlog: None,
        ts_ms,
        xid: 0,
        xoffset: 0,
    }
}

fn summary(what: &str, t: &Tally, took: Duration, dry_run: bool) {
    let secs = took.as_secs_f64().max(1e-9);
    let (written, deleted) = if dry_run {
        ("would_write", "would_delete")
    } else {
        ("written", "deleted")
    };
    tracing::info!(
        "{TOOL} {what}: read={} {written}={} {deleted}={} stale={} skipped={} dirty={} in {:.1}s ({:.0} rows/s){}",
        t.read,
        t.rows.written,
        t.rows.deleted,
        t.rows.stale,
        t.skipped,
        t.dirty,
        secs,
        t.read as f64 / secs,
        if dry_run {
            " (dry run: nothing written; versions not compared, so stale=0)"
        } else {
            ""
        }
    );
}

pub fn run(args: Args, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    if args.page_size == 0 {
        return Err(Failure::usage("--page-size must be at least 1"));
    }
    let give_up = (!args.max_retry_time.is_zero()).then(|| args.max_retry_time.unsigned_abs());
    let state = state::open(&settings.state, settings.redis.as_deref())?;
    let writer = Writer {
        state: Retrying::new(state, RetryPolicy::new(give_up), shutdown.clone()),
        names: Names::new(settings),
        dry_run: args.dry_run,
        tz: settings.tz.clone(),
    };
    tracing::info!(
        "dimension rows {} {}",
        if args.dry_run { "would go to" } else { "to" },
        writer.state.describe()
    );
    if args.from.starts_with("mysql://") {
        from_mysql(&args, &writer, shutdown)
    } else {
        from_file(&args, &writer, shutdown)
    }
}

/// The tables to backfill: `--table`, or `DIM:TABLES` with `--all-dims`.
fn chosen_tables(args: &Args, writer: &Writer) -> Result<Vec<String>> {
    if !args.all_dims {
        return Ok(args.table.iter().map(|t| dims::normalise(t)).collect());
    }
    let lists = TableLists::read(&writer.state, &writer.names)?;
    if lists.dims.is_empty() {
        return Err(Failure::usage(format!(
            "--all-dims: {} is empty; add tables with `rtdw route-db tables add --dim NAME`",
            writer.names.dim_tables
        )));
    }
    Ok(lists.dims.into_iter().collect())
}

/// One table's plan: where to start.
struct Plan {
    table: String,
    pk: Vec<String>,
    after: Option<Vec<Value>>,
    total: u64,
}

enum Msg {
    Page {
        table: usize,
        rows: Vec<PageRow>,
        last_key: Option<Vec<Value>>,
        read_ms: i64,
    },
    Done(usize),
}

fn from_mysql(args: &Args, writer: &Writer, shutdown: &Shutdown) -> Result<ExitStatus> {
    let tables = chosen_tables(args, writer)?;
    if tables.is_empty() {
        return Err(Failure::usage(
            "--from mysql://… needs --table NAME (repeatable) or --all-dims",
        ));
    }
    let mut db = MysqlTables::connect(&args.from)?;
    let mut plans = Vec::new();
    for table in tables {
        let pk = db.primary_key(&table)?;
        let mut after = None;
        if args.resume {
            let progress = writer.read_progress(&table.to_ascii_uppercase())?;
            if progress.get("done").map(String::as_str) == Some("1") {
                tracing::info!("{table}: the last run finished; nothing to resume (run without --resume to backfill again)");
                continue;
            }
            after = match progress.get("after") {
                Some(a) => Some(serde_json::from_str::<Vec<Value>>(a).with_context(|| {
                    format!(
                        "unreadable resume point {a} in {}",
                        writer.names.bootstrap_key(&table.to_ascii_uppercase())
                    )
                })?),
                None => {
                    tracing::warn!("{table}: no resume point stored; starting from the first row");
                    None
                }
            };
            if let Some(a) = &after {
                tracing::info!(
                    "{table}: resuming after primary key {}",
                    serde_json::Value::from(a.clone())
                );
            }
        }
        let total = db.count_after(&table, &pk, after.as_deref())?;
        plans.push(Plan {
            table,
            pk,
            after,
            total,
        });
    }
    let (tx, rx) = crossbeam_channel::bounded::<Result<Msg>>(2);
    let page_size = args.page_size;
    let reader_plans: Vec<(String, Vec<String>, Option<Vec<Value>>)> = plans
        .iter()
        .map(|p| (p.table.clone(), p.pk.clone(), p.after.clone()))
        .collect();
    let stop = shutdown.clone();
    // Reading overlaps writing: the next page is fetched while this one is written.
    let reader = std::thread::spawn(move || {
        for (i, (table, pk, mut after)) in reader_plans.into_iter().enumerate() {
            loop {
                if stop.requested() {
                    return;
                }
                let page = db.server_time_secs().and_then(|secs| {
                    let page = db.page(&table, &pk, after.as_deref(), page_size)?;
                    Ok((secs, page))
                });
                let (secs, page) = match page {
                    Ok(p) => p,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                crate::failpoint!(crate::failpoint::names::MYSQL_READER_PAGE);
                let n = page.rows.len();
                after = page.last_key.clone();
                if n > 0
                    && tx
                        .send(Ok(Msg::Page {
                            table: i,
                            rows: page.rows,
                            last_key: page.last_key,
                            read_ms: secs * 1000,
                        }))
                        .is_err()
                {
                    return;
                }
                if n < page_size {
                    break;
                }
            }
            if tx.send(Ok(Msg::Done(i))).is_err() {
                return;
            }
        }
    });

    let mut tallies = vec![Tally::default(); plans.len()];
    let mut started: Vec<Option<Instant>> = vec![None; plans.len()];
    let mut progress: Option<(usize, Progress)> = None;
    let mut result = Ok(());
    for msg in rx.iter() {
        let msg = match msg {
            Ok(m) => m,
            Err(e) => {
                result = Err(e);
                break;
            }
        };
        match msg {
            Msg::Page {
                table,
                rows,
                last_key,
                read_ms,
            } => {
                let plan = &plans[table];
                started[table].get_or_insert_with(Instant::now);
                if progress.as_ref().map(|(i, _)| *i) != Some(table) {
                    progress = Some((
                        table,
                        Progress::new(&format!("{TOOL} {}", plan.table), Some(plan.total)),
                    ));
                }
                let version = match args.as_of {
                    Some(t) => snapshot_version(ms(t), args.snapshot_margin),
                    None => snapshot_version(read_ms, args.snapshot_margin),
                };
                let tally = &mut tallies[table];
                let last = last_key.map(Value::from);
                let n = rows.len() as u64;
                let encoded = version.encode();
                let ops: Vec<Op> = rows
                    .into_iter()
                    .map(|r| {
                        dims::put_raw(&writer.names, &plan.table, &r.id, r.json, encoded.clone())
                    })
                    .collect();
                tally.read += n;
                let mark = last.map(|k| {
                    writer.progress_op(
                        &plan.table.to_ascii_uppercase(),
                        vec![
                            ("after", k.to_string()),
                            ("done", "0".into()),
                            ("source", writer_source(args)),
                        ],
                    )
                });
                if let Err(e) = writer.write(ops, mark, tally) {
                    result = Err(e);
                    break;
                }
                if let Some((_, p)) = progress.as_mut() {
                    p.add(n);
                }
            }
            Msg::Done(table) => {
                let plan = &plans[table];
                if let Some((_, p)) = progress.take() {
                    p.finish();
                }
                let done = writer
                    .progress_op(&plan.table.to_ascii_uppercase(), vec![("done", "1".into())]);
                if let Err(e) = writer.write(Vec::new(), Some(done), &mut tallies[table]) {
                    result = Err(e);
                    break;
                }
                let took = started[table].map_or(Duration::ZERO, |s| s.elapsed());
                summary(&plan.table, &tallies[table], took, args.dry_run);
            }
        }
    }
    drop(rx);
    // A reader that panicked dropped its channel: the loop above saw the end
    // of the input, not an error. What was written stands (--resume goes on
    // from the last page's mark); the run must not exit 0.
    if let Err(panic) = reader.join() {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        result = result.and(Err(anyhow::anyhow!(
            "the MySQL reader thread failed ({why}): the backfill is incomplete; run again with --resume to go on from the last page written"
        )));
    }
    result?;
    if shutdown.requested() {
        tracing::info!("{TOOL}: stopped by a signal; continue with --resume");
    }
    Ok(ExitStatus::Success)
}

fn writer_source(args: &Args) -> String {
    crate::settings::mask_url(&args.from)
}

fn from_file(args: &Args, writer: &Writer, shutdown: &Shutdown) -> Result<ExitStatus> {
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
fn file_changes(
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

fn dirty(
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
