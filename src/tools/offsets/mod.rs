//! `rtdw offsets`: inspect and reset stored offsets in any store (SPEC §4.8),
//! modelled on `kafka-consumer-groups.sh`: the same reset specifiers, a plan
//! printed before anything changes, and `--execute` to apply it.

mod history;
mod reset;
mod show;
mod table;

use std::collections::BTreeSet;

use anyhow::Result;
use clap::{ArgGroup, Args, Subcommand};

use crate::exit::{ExitStatus, Failure};
use crate::offsets::admin::GroupStore;
use crate::offsets::log_bounds::LogBounds;
use crate::offsets::OffsetsSpec;
use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum OffsetsCommand {
    /// Stored offset, log start, log end and lag per partition of a group
    Show(ShowArgs),
    /// Every group the store knows, with its topics and total lag
    List(ListArgs),
    /// Move a group's stored offsets (prints the plan; --execute applies it)
    Reset(ResetArgs),
    /// Remove a group's stored offsets of a topic
    Delete(DeleteArgs),
    /// The executed resets and deletes of a group (who, when, before, after)
    History(HistoryArgs),
}

/// Output format for scripts; the default is a table.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("format").args(["json", "csv"])))]
pub struct Format {
    /// JSON on stdout (stable field names)
    #[arg(long)]
    pub json: bool,
    /// CSV on stdout, with a header line
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Clone, Args)]
pub struct StoreArg {
    /// Where the offsets are: redis, kafka, file or file:PATH [default: redis with --redis, else the Kafka consumer group]
    #[arg(long, value_name = "STORE")]
    pub store: Option<OffsetsSpec>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["group", "all_groups"])))]
pub struct ShowArgs {
    #[arg(long, value_name = "ID")]
    pub group: Option<String>,
    /// Every group the store has offsets for, one after another (as `kafka-consumer-groups.sh --describe --all-groups`)
    #[arg(long)]
    pub all_groups: bool,
    /// Only these topics (TOPIC or TOPIC:P,P…); repeatable [default: every topic of the group]
    #[arg(long, value_name = "TOPIC[:P,…]")]
    pub topic: Vec<TopicScope>,
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub format: Format,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("scope").required(true).args(["topic", "all_topics", "from_file"])))]
#[command(group(ArgGroup::new("specifier").required(true).args([
    "to_earliest", "to_latest", "to_current", "to_offset", "shift_by",
    "to_datetime", "by_duration", "from_file",
])))]
pub struct ResetArgs {
    #[arg(long, value_name = "ID")]
    pub group: String,
    /// Topics to reset (TOPIC or TOPIC:P,P…); repeatable
    #[arg(long, value_name = "TOPIC[:P,…]")]
    pub topic: Vec<TopicScope>,
    /// Every topic the group has offsets for
    #[arg(long)]
    pub all_topics: bool,
    /// To the log start
    #[arg(long)]
    pub to_earliest: bool,
    /// To the log end
    #[arg(long)]
    pub to_latest: bool,
    /// Keep the stored offsets (clamped into the log)
    #[arg(long)]
    pub to_current: bool,
    /// To this offset (0 or more)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub to_offset: Option<i64>,
    /// Move the stored offsets by ±N
    #[arg(long, value_name = "±N", allow_hyphen_values = true)]
    pub shift_by: Option<i64>,
    /// To the first record at or after this time: 2026-11-22T10:00:00+08:00, …Z, or zone-less (read in --tz)
    #[arg(long, value_name = "ISO8601")]
    pub to_datetime: Option<String>,
    /// To the first record at or after now minus this ISO 8601 duration, e.g. PT30M, P1DT2H
    #[arg(long, value_name = "PnDTnHnMnS")]
    pub by_duration: Option<String>,
    /// To the offsets in a `topic,partition,offset` CSV (as --export writes)
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<std::path::PathBuf>,
    /// Apply the plan (without it nothing changes)
    #[arg(long)]
    pub execute: bool,
    /// Reset even while the group has live members or instances
    #[arg(long)]
    pub force: bool,
    /// Also write the plan as `topic,partition,offset` CSV to FILE
    #[arg(long, value_name = "FILE")]
    pub export: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[arg(long, value_name = "ID")]
    pub group: String,
    #[arg(long, value_name = "TOPIC", required = true)]
    pub topic: Vec<String>,
    /// Delete (without it, only say what would be deleted)
    #[arg(long)]
    pub execute: bool,
    /// Delete even while the group has live members or instances
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub store: StoreArg,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[arg(long, value_name = "ID")]
    pub group: String,
    /// Print the offsets from before entry ID as `topic,partition,offset` CSV, ready for `reset --from-file` (undo)
    #[arg(long, value_name = "ID")]
    pub undo: Option<String>,
    /// Where the offsets are (the history lives in the --state store when this is kafka)
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub format: Format,
}

/// `--topic TOPIC` or `--topic TOPIC:P,P…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicScope {
    pub topic: String,
    /// `None` = every partition.
    pub partitions: Option<BTreeSet<i32>>,
}

impl std::str::FromStr for TopicScope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (topic, parts) = match s.split_once(':') {
            Some((t, p)) => (t, Some(p)),
            None => (s, None),
        };
        if topic.is_empty() {
            return Err(format!("`{s}`: expected TOPIC or TOPIC:P,P…"));
        }
        let partitions = match parts {
            None => None,
            Some(p) => Some(
                p.split(',')
                    .map(|n| {
                        n.trim()
                            .parse::<i32>()
                            .ok()
                            .filter(|n| *n >= 0)
                            .ok_or_else(|| format!("`{s}`: `{n}` is not a partition number"))
                    })
                    .collect::<Result<BTreeSet<i32>, String>>()?,
            ),
        };
        Ok(TopicScope {
            topic: topic.to_string(),
            partitions,
        })
    }
}

pub fn run(cmd: OffsetsCommand, settings: &Settings) -> Result<ExitStatus> {
    match cmd {
        OffsetsCommand::Show(a) => show::show(a, settings),
        OffsetsCommand::List(a) => show::list(a, settings),
        OffsetsCommand::Reset(a) => reset::reset(a, settings),
        OffsetsCommand::Delete(a) => reset::delete(a, settings),
        OffsetsCommand::History(a) => history::history(a, settings),
    }
}

/// The broker view when brokers are configured; without them the log
/// columns stay empty (file and Redis stores work without Kafka).
fn log_bounds(settings: &Settings) -> Result<Option<LogBounds>> {
    if settings.brokers.is_none() {
        return Ok(None);
    }
    LogBounds::open(settings).map(Some)
}

/// The broker's log bounds for a read-only view (`show`, `list`): offsets
/// stored in Redis or a file are still shown when the broker is down, with
/// the log columns unknown, as `kafka-consumer-groups.sh --describe` shows
/// `-` for what it cannot know. Returns the bounds, or why they are unknown.
fn log_bounds_if_up(
    settings: &Settings,
    store: &GroupStore,
) -> Result<(Option<LogBounds>, Option<String>)> {
    let Some(log) = log_bounds(settings)? else {
        return Ok((None, None));
    };
    match (log.probe(), store) {
        (Ok(()), _) => Ok((Some(log), None)),
        // Offsets in the Kafka group need the broker: nothing to show.
        (Err(why), GroupStore::Kafka { brokers, .. }) => Err(Failure::unavailable(
            crate::service::Service::Kafka,
            brokers.clone(),
            why,
        )),
        (Err(why), _) => {
            let why = format!(
                "kafka unreachable at {}: {why}",
                settings.brokers.as_deref().unwrap_or("?")
            );
            tracing::warn!("{why}: showing the stored offsets without log start, end and lag");
            Ok((None, Some(why)))
        }
    }
}

/// One partition in scope, with its stored offset and, when brokers are
/// given, its log bounds.
struct Slot {
    topic: String,
    partition: i32,
    stored: Option<i64>,
    bounds: Option<(i64, i64)>,
}

/// The partitions `scopes` name: every partition the broker has (else every
/// stored one), or the ones listed, which must exist.
fn slots(
    store: &GroupStore,
    log: Option<&LogBounds>,
    group: &str,
    scopes: &[TopicScope],
) -> Result<Vec<Slot>> {
    let mut out = Vec::new();
    for scope in scopes {
        let known = match log {
            Some(l) => l.partitions(&scope.topic)?,
            None => Vec::new(),
        };
        let stored = store.load(group, &scope.topic, &known)?;
        let all: Vec<i32> = match log {
            Some(_) => known,
            None => stored.keys().copied().collect(),
        };
        let chosen: Vec<i32> = match &scope.partitions {
            None => all,
            Some(wanted) => {
                if log.is_some() {
                    if let Some(p) = wanted.iter().find(|p| !all.contains(p)) {
                        return Err(Failure::usage(format!(
                            "{}:{p}: the topic has partitions {all:?}",
                            scope.topic
                        )));
                    }
                }
                wanted.iter().copied().collect()
            }
        };
        for p in chosen {
            let bounds = match log {
                Some(l) => Some(l.bounds(&scope.topic, p)?),
                None => None,
            };
            out.push(Slot {
                topic: scope.topic.clone(),
                partition: p,
                stored: stored.get(&p).copied(),
                bounds,
            });
        }
    }
    Ok(out)
}

/// The state store for the audit log: the offset store itself for redis and
/// file, the --state store for kafka.
fn audit_store(
    store: &GroupStore,
    settings: &Settings,
) -> Result<std::sync::Arc<dyn crate::state::StateStore>> {
    match store {
        GroupStore::Hash { state } => Ok(std::sync::Arc::clone(state)),
        GroupStore::Kafka { .. } => crate::state::open(&settings.state, settings.redis.as_deref()),
    }
}
