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

mod file;
mod mysql;

use file::from_file;
use mysql::from_mysql;

use std::time::Duration;

use anyhow::Result;
use clap::Args as ClapArgs;

use crate::dims::{self, Names, TableLists};
use crate::exit::{ExitStatus, Failure};
use crate::model::cdc::{Format, Version};
use crate::retry::RetryPolicy;
use crate::settings::Settings;
use crate::shutdown::Shutdown;
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

fn writer_source(args: &Args) -> String {
    crate::settings::mask_url(&args.from)
}
