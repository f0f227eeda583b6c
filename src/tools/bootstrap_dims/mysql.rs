//! `bootstrap-dims --from mysql://…`: the tables read by keyset pages on a
//! reader thread, each page written as versioned rows with its resume point.
//!
//! Why a loop of its own rather than [`crate::pipeline::run`]: its output
//! *is* the state store (the dimension rows), there is no sink to make
//! durable and no source offset to store; a page's rows and its resume
//! point go in one pipelined write, so a crash resumes at a page boundary.
//! A reader thread that panics ends the run with an error (issue 18).

use super::*;
use crate::dims;
use crate::exit::{ExitStatus, Failure};
use crate::progress::Progress;
use crate::shutdown::Shutdown;
use crate::source::mysql::{MysqlTables, PageRow};
use crate::state::Op;
use anyhow::{Context, Result};
use serde_json::Value;
use std::time::{Duration, Instant};

/// One table's plan: where to start.
pub(super) struct Plan {
    table: String,
    pk: Vec<String>,
    after: Option<Vec<Value>>,
    total: u64,
}

pub(super) enum Msg {
    Page {
        table: usize,
        rows: Vec<PageRow>,
        last_key: Option<Vec<Value>>,
        read_ms: i64,
    },
    Done(usize),
}

pub(super) fn from_mysql(args: &Args, writer: &Writer, shutdown: &Shutdown) -> Result<ExitStatus> {
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
