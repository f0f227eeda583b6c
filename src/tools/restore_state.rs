//! `rtdw restore-state`: rebuild the DAU set of a day from Elasticsearch
//! (SPEC §4.5), after Redis lost it (seed 000, "状态数据还原问题"). The mids
//! of `gmall_dau_info_{date}` are read through a point in time, filled into a
//! temporary set, given the set's expiry, and RENAMEd over `DAU:{date}`: a
//! running `dau` sees the old set or the whole new one, never half of one.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args as ClapArgs;
use serde_json::{json, Value};

use super::dau::{set_expiry, set_key, INDEX_PREFIX};
use crate::es::client::EsClient;
use crate::es::search::Reader;
use crate::exit::{ExitStatus, Failure};
use crate::progress::Progress;
use crate::retry::RetryPolicy;
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::state::retrying::Retrying;
use crate::state::{self, Op, ReplyIter, StateExt};

/// Members per SADD while filling the temporary set.
const FILL_CHUNK: usize = 10_000;

#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  \
rtdw restore-state --date 2026-11-22 --dry-run   # compare ES and the set\n  \
rtdw restore-state --date 2026-11-22 --redis redis://r:6379 \\\n      \
--es http://es:9200\n  \
rtdw restore-state --date 2026-11-22 \\\n      \
--from out/gmall_dau_info_2026-11-22.jsonl")]
pub struct Args {
    /// The business day whose set to rebuild (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub date: jiff::civil::Date,
    /// Read the documents from NDJSON (dau's --to - or DIR/ output) instead of Elasticsearch
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    /// Compare only: report the counts and differences, change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Ids per page read from Elasticsearch
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub page_size: usize,
    /// The report as JSON on stdout
    #[arg(long)]
    pub json: bool,
    /// Give up (exit 69) when a service stays unreachable this long
    #[arg(long, default_value = "60s", value_name = "DURATION")]
    pub max_retry_time: jiff::SignedDuration,
}

/// The mids of one day's index, from ES or a file.
fn ids_from_es(
    args: &Args,
    settings: &Settings,
    shutdown: &Shutdown,
    index: &str,
) -> Result<BTreeSet<String>> {
    let client = EsClient::connect(settings)?;
    let reader = Reader {
        client: &client,
        policy: RetryPolicy::new(Some(args.max_retry_time.unsigned_abs())),
        shutdown: shutdown.clone(),
    };
    reader.refresh(index)?;
    let count = reader.count(index)?;
    if count.is_none() {
        tracing::warn!(
            "index {index} does not exist on {}: the day has no documents",
            client.masked
        );
    }
    let mut progress = Progress::new(&format!("reading {index}"), count);
    let mut ids = BTreeSet::new();
    reader.each_id(index, args.page_size.max(1), |page| {
        progress.add(page.len() as u64);
        ids.extend(page);
        Ok(())
    })?;
    progress.finish();
    Ok(ids)
}

/// The mids of `date`'s DAU documents in `path` (a file or a `DIR/`
/// folder, dau's `--to -` or `DIR/` output); any other kind of document is
/// an error, never a member of the set.
fn ids_from_file(path: &std::path::Path, date: jiff::civil::Date) -> Result<BTreeSet<String>> {
    let dt = date.to_string();
    let mut ids = BTreeSet::new();
    crate::tools::report::docs::each_document(
        &[path],
        crate::tools::dau::INDEX_PREFIX,
        &["mid", "dt"],
        |doc, at| {
            if doc.get("dt").and_then(Value::as_str) != Some(dt.as_str()) {
                return Ok(());
            }
            let mid = doc
                .get("mid")
                .and_then(Value::as_str)
                .ok_or_else(|| Failure::usage(format!("{at}: `mid` is not a string")))?;
            ids.insert(mid.to_string());
            Ok(())
        },
    )?;
    Ok(ids)
}

pub fn run(args: Args, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    let index = format!("{INDEX_PREFIX}{}", args.date);
    let key = set_key(args.date);
    let state = state::open(&settings.state, settings.redis.as_deref())?;
    let state = Retrying::new(
        state,
        RetryPolicy::new(Some(args.max_retry_time.unsigned_abs())),
        shutdown.clone(),
    );
    let ids = match &args.from {
        Some(path) => ids_from_file(path, args.date)?,
        None => ids_from_es(&args, settings, shutdown, &index)?,
    };
    let replies = state.exec(vec![Op::SMembers(key.clone()), Op::Ttl(key.clone())])?;
    let mut replies = replies.into_iter();
    let before: BTreeSet<String> = replies.next_strs()?.into_iter().collect();
    let ttl = replies.next_int()?;
    let missing = ids.difference(&before).count();
    let extra = before.difference(&ids).count();

    if !args.dry_run {
        // Fill a temporary set, give it the expiry, and rename it over the day's set.
        // `{DAU:dt}:restore` hashes as `DAU:dt` (a Redis Cluster hash tag):
        // the temporary set shares the day set's slot, so RENAME works on a
        // cluster too.
        let temp = format!("{{{key}}}:restore");
        let members: Vec<String> = ids.iter().cloned().collect();
        state.exec(vec![Op::Del(vec![temp.clone()])])?;
        for chunk in members.chunks(FILL_CHUNK) {
            state.exec(vec![Op::SAdd {
                key: temp.clone(),
                members: chunk.to_vec(),
            }])?;
        }
        // The set's own expiry where it had one (SPEC §4.5); else the rule,
        // which never expires an old day's set at once (SPEC §6).
        let expire = if ttl > 0 {
            Op::Expire {
                key: temp.clone(),
                ttl: std::time::Duration::from_secs(ttl.unsigned_abs()),
            }
        } else {
            Op::ExpireAt {
                key: temp.clone(),
                unix_secs: set_expiry(args.date, &settings.tz, jiff::Timestamp::now()),
            }
        };
        if members.is_empty() {
            state.exec(vec![Op::Del(vec![key.clone()])])?;
        } else {
            state.exec(vec![
                expire,
                Op::Rename {
                    from: temp,
                    to: key.clone(),
                },
            ])?;
        }
    }
    let after = if args.dry_run {
        before.len() as i64
    } else {
        state.state.one(Op::SCard(key.clone()))?.into_int()?
    };
    let report = json!({
        "date": args.date.to_string(), "index": index, "set": key,
        "documents": ids.len(), "set_before": before.len(), "set_after": after,
        "missing_from_set": missing, "not_in_documents": extra,
        "ttl_seconds_before": ttl, "dry_run": args.dry_run,
        "source": args.from.as_ref().map_or_else(|| "elasticsearch".to_string(), |p| p.display().to_string()),
    });
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{report}")?;
    } else {
        writeln!(out, "{index}: {} documents", ids.len())?;
        writeln!(
            out,
            "{key} before: {} members ({missing} missing, {extra} not in the documents)",
            before.len()
        )?;
        writeln!(
            out,
            "{key} after:  {after} members{}",
            if args.dry_run {
                " (dry run: unchanged)"
            } else {
                ""
            }
        )?;
    }
    Ok(ExitStatus::Success)
}
