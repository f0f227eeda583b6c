//! `rtdw risk-alert`: coupon-fraud alerts (SPEC §4.7) from `DWD_PAGE_ACTION`
//! and `DWD_PAGE_LOG`, in event time ([`crate::model::coupon_fraud`]).
//!
//! Kafka input streams: the watermark trails the newest event by
//! `--allowed-lateness`, later events are counted and dropped, and alerts
//! fire once the watermark passes the coupon that completed the pattern.
//! Windows are kept per partition number (a task, as in Kafka Streams):
//! the inputs are co-partitioned by `mid`, so partition p of both topics
//! holds all of its devices' events. Each topic-partition has its own
//! watermark, and a task's is the least of its inputs' (as Flink combines
//! per-split watermarks), so one topic read ahead of the other, a backlog,
//! or a partition the group just moved here and rewound is never late
//! against the rest. An input with no new record for [`SPLIT_IDLE`] stops
//! holding its task back (Flink's `withIdleness`), and so does one a `--once`
//! run has read to its end. Being caught up is no such signal while
//! producers write: records in flight to one topic would go late. A task's alerts wait for
//! its own newer events. A newly assigned partition starts with empty
//! windows and re-reads from its event-time checkpoint.
//! Files and pipes are bounded: every event is read first and evaluated
//! in event-time order at the end of the input, so line order never
//! changes the result (and nothing is late); `--streaming` reads them as
//! Kafka input is read instead (a `tail -f` pipe never ends). Memory:
//! streaming holds the devices active in the last window; bounded input
//! holds every action and browse view of the input.
//!
//! An alert's `_id` is `{mid}_{yyyy-MM-dd_HH:mm}`, the minute in `--tz` of
//! the completing coupon, written with `create`: a replay finds it there.

mod events;
mod template;

pub use template::template;

use std::collections::HashSet;

use anyhow::Result;
use clap::Args as ClapArgs;

use super::common::{run_stream_with, EsTarget, StreamArgs, StreamTool, Writes};
use crate::es::bulk::BulkOp;
use crate::es::daily::DailyIndex;
use crate::exit::{ExitStatus, Failure};
use crate::model::coupon_fraud::{Engine, Event, Rule};
use crate::offsets::event_time::{self, Checkpoints, TimeLookup};
use crate::offsets::log_bounds::LogBounds;
use crate::pipeline::BatchTransform;
use crate::record::{InRecord, Origin, OutBuf};
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::{StreamDef, StreamKind};
use crate::state::batch::BatchState;

pub const TOOL: &str = "risk-alert";
pub const ACTION_INPUT: &str = "DWD_PAGE_ACTION";
pub const PAGE_INPUT: &str = "DWD_PAGE_LOG";
pub const INDEX_PREFIX: &str = "gmall_coupon_alert_";
pub const DIRTY_INDEX: &str = "rtdw_dirty_risk_alert";
const DIRTY: usize = 0;
const COUPON_ACTION: &str = "get_coupon";
/// Wall-clock time after which a topic-partition that delivered nothing
/// no longer holds its task's watermark back (an input with no traffic, or
/// a topic nothing was written to yet).
pub const SPLIT_IDLE: std::time::Duration = std::time::Duration::from_secs(10);

/// One Kafka topic-partition's progress in event time.
struct Split {
    /// The newest event time read (epoch ms).
    newest: i64,
    /// When it last delivered a record.
    seen: std::time::Instant,
    /// `--once`: read to the end the run drains to; it holds nothing back.
    at_log_end: bool,
}

#[derive(Debug, ClapArgs)]
#[command(mut_arg("to", |a| a.help("Output: es (gmall_coupon_alert_{dt} in --es), - (documents on stdout), or DIR/ (one INDEX.jsonl per index, appended)")),
    // Kafka → Kafka only: this tool writes documents, not topics.
    mut_arg("exactly_once", |a| a.hide(true)),
    after_help = "Examples:\n  \
rtdw split-log --from day.jsonl --to split/\n  \
rtdw risk-alert --from split/DWD_PAGE_ACTION.jsonl split/DWD_PAGE_LOG.jsonl \\\n      \
--to -\n  \
rtdw risk-alert --brokers kafka:9092 --es http://es:9200 --from kafka --to es")]
pub struct Args {
    #[command(flatten)]
    pub io: StreamArgs,
    /// Span in which the coupons of several users make a pattern, e.g. 5m
    #[arg(long, default_value = "5m", value_name = "DURATION")]
    pub window: jiff::SignedDuration,
    /// Distinct users taking coupons on one device in one span
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub min_users: usize,
    /// How far behind the newest event an event may arrive and still count (streaming input)
    #[arg(long, default_value = "1m", value_name = "DURATION")]
    pub allowed_lateness: jiff::SignedDuration,
    /// Pages whose views are browsing (unless a coupon was taken on the view), comma-separated
    #[arg(
        long,
        default_value = "good_detail",
        value_name = "PAGES",
        value_delimiter = ','
    )]
    pub browse_pages: Vec<String>,
    /// Read files or stdin as a stream (arrival order, watermark, lateness), as Kafka input is; e.g. for `tail -f`
    #[arg(long)]
    pub streaming: bool,
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    actions: u64,
    coupons: u64,
    browse_views: u64,
    alerts: u64,
}

pub struct RiskAlert {
    rule: Rule,
    streaming: bool,
    /// Per partition number (0 for files and pipes); see the module doc.
    engines: std::collections::BTreeMap<i32, Engine>,
    /// Late events of engines dropped when their partition was reassigned.
    late_before: u64,
    /// Kafka input: each topic-partition's watermark source.
    splits: Option<std::collections::HashMap<(String, i32), Split>>,
    plausible: crate::model::event_time::Plausible,
    /// Streaming input: where a restart rewinds to.
    checkpoints: Option<Checkpoints>,
    /// Bounded input: the events, evaluated when the input ends.
    bounded: Option<Vec<(String, Event)>>,
    /// Streaming from files or pipes: evaluate what waits when they end.
    flush_at_end: bool,
    action_topic: String,
    page_topic: String,
    browse_pages: HashSet<String>,
    tz: jiff::tz::TimeZone,
    days: DailyIndex,
    counts: Counts,
}

impl BatchTransform for RiskAlert {
    fn process(
        &mut self,
        records: &[InRecord],
        state: &mut BatchState,
        emit: &mut dyn FnMut(OutBuf) -> Result<()>,
    ) -> Result<()> {
        let mut out = OutBuf::default();
        for rec in records {
            let event = self.event(rec);
            if let (
                Some(c),
                Origin::Kafka {
                    topic,
                    partition,
                    offset,
                },
            ) = (self.checkpoints.as_mut(), &rec.origin)
            {
                let ts = match &event {
                    Ok((ts, _)) => *ts,
                    Err(_) => i64::MIN,
                };
                c.observe(topic, *partition, *offset, ts);
                if let Some(splits) = self.splits.as_mut().filter(|_| ts > i64::MIN) {
                    let split = splits
                        .entry((topic.to_string(), *partition))
                        .or_insert(Split {
                            newest: ts,
                            seen: std::time::Instant::now(),
                            at_log_end: false,
                        });
                    split.newest = split.newest.max(ts);
                    split.seen = std::time::Instant::now();
                }
            }
            match event {
                Ok((_, Some((mid, event)))) => {
                    self.count(&event);
                    match self.bounded.as_mut() {
                        Some(all) => all.push((mid, event)),
                        None => {
                            let task = match &rec.origin {
                                Origin::Kafka { partition, .. } => *partition,
                                Origin::Line { .. } => 0,
                            };
                            self.engine(task).push(&mid, event);
                        }
                    }
                }
                Ok((_, None)) => {}
                Err(why) => out.push_dirty_doc(DIRTY, rec, &why),
            }
        }
        if self.bounded.is_none() {
            let alerts = self.advance();
            self.write_alerts(alerts, &mut out)?;
        }
        // Checkpoint where this batch ends, once its alerts are durable.
        if let Some(c) = self.checkpoints.as_mut() {
            c.batch_writes(state, &out)?;
        }
        emit(out)
    }

    /// The group moved these partitions here: their windows start empty
    /// and are rebuilt from the rewind to their checkpoints.
    /// Inputs a `--once` run has read to its end stop holding their task back.
    fn partitions(&mut self, news: &crate::source::PartitionNews) {
        for (topic, partition) in &news.assigned {
            if let Some(old) = self.engines.remove(partition) {
                self.late_before += old.late;
            }
            if let Some(c) = self.checkpoints.as_mut() {
                c.forget(topic, *partition);
            }
            // Each assigned input holds its task back until it delivers or idles.
            if let Some(splits) = self.splits.as_mut() {
                splits.insert(
                    (topic.clone(), *partition),
                    Split {
                        newest: i64::MIN,
                        seen: std::time::Instant::now(),
                        at_log_end: false,
                    },
                );
            }
        }
        if let Some(splits) = self.splits.as_mut() {
            for (tp, split) in splits.iter_mut() {
                split.at_log_end = news.at_log_end.contains(tp);
            }
        }
    }

    /// Bounded input is evaluated now. A `--streaming` file or pipe that
    /// ended has no more events to wait for: its last coupons are evaluated
    /// too. A Kafka `--once` run leaves them to the next run, which rewinds.
    fn finish(&mut self, emit: &mut dyn FnMut(OutBuf) -> Result<()>) -> Result<()> {
        let late = self.late();
        if late > 0 {
            let events = self.counts.actions + self.counts.browse_views;
            tracing::warn!(
                late,
                "{late} of {events} events came more than --allowed-lateness behind the newest event and were dropped: with --streaming, files are read one after another, not merged by time; drop --streaming to evaluate files as a whole, or merge them by ts first"
            );
        }
        let alerts = match self.bounded.take() {
            Some(all) => self.engine(0).evaluate_bounded(all),
            None if self.flush_at_end => self
                .engines
                .values_mut()
                .flat_map(|e| e.advance_to(i64::MAX))
                .collect(),
            None => return Ok(()),
        };
        let mut out = OutBuf::default();
        self.write_alerts(alerts, &mut out)?;
        emit(out)
    }

    fn counts(&self) -> Vec<(&'static str, u64)> {
        let c = self.counts;
        vec![
            ("actions", c.actions),
            ("coupons", c.coupons),
            ("browse_views", c.browse_views),
            ("late", self.late()),
            ("alerts", c.alerts),
            (
                "devices",
                self.engines.values().map(|e| e.devices() as u64).sum(),
            ),
        ]
    }
}

/// Offsets by record time, through a broker connection of its own (the
/// lookup runs while the group assigns partitions), checked against the
/// records ([`LogBounds::offset_at`]).
fn lookup_by_time(settings: &Settings) -> TimeLookup {
    let settings = settings.clone();
    let bounds: std::sync::Mutex<Option<LogBounds>> = std::sync::Mutex::new(None);
    std::sync::Arc::new(move |topic, partition, at_ms| {
        let mut guard = bounds.lock().unwrap_or_else(|p| p.into_inner());
        if guard.is_none() {
            *guard = Some(LogBounds::open(&settings)?);
        }
        let b = guard
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("no broker connection"))?;
        let range = b.bounds(topic, partition)?;
        b.offset_at(topic, partition, at_ms, range)
    })
}

fn millis_of(d: jiff::SignedDuration, flag: &str, zero_ok: bool) -> Result<i64> {
    if d.is_negative() || (d.is_zero() && !zero_ok) {
        return Err(Failure::usage(format!("{flag} must be longer than zero")));
    }
    i64::try_from(d.as_millis()).map_err(|_| Failure::usage(format!("{flag} is too long")))
}

pub fn run(args: Args, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    args.io.check(TOOL, Writes::Documents)?;
    if args.min_users == 0 {
        return Err(Failure::usage("--min-users must be at least 1"));
    }
    let rule = Rule {
        window_ms: millis_of(args.window, "--window", false)?,
        min_users: args.min_users,
        lateness_ms: millis_of(args.allowed_lateness, "--allowed-lateness", true)?,
    };
    let from_kafka = args.io.reads_kafka()?;
    if from_kafka {
        crate::tools::common::require_co_partitioned(
            &args.io,
            settings,
            TOOL,
            &[settings.topic(ACTION_INPUT), settings.topic(PAGE_INPUT)],
            "a device's actions and page views must meet on one instance",
        )?;
    }
    let streaming = from_kafka || args.streaming;
    let state = from_kafka
        .then(|| crate::tools::common::open_state(&args.io, settings, shutdown))
        .transpose()?;
    let checkpoints = if let Some(state) = &state {
        tracing::info!("event-time checkpoints in {}", state.describe());
        let prefix = format!(
            "{}:{}",
            settings.key(event_time::PREFIX),
            args.io.group_or(TOOL)
        );
        Some(Checkpoints::new(
            std::sync::Arc::clone(&state.state),
            prefix,
            rule.window_ms.saturating_add(rule.lateness_ms),
        ))
    } else {
        None
    };
    let tool = StreamTool {
        name: TOOL,
        inputs: vec![settings.topic(ACTION_INPUT), settings.topic(PAGE_INPUT)],
        streams: vec![StreamDef {
            name: DIRTY_INDEX.into(),
            kind: StreamKind::Document,
        }],
        dirty: DIRTY,
        rewind: checkpoints
            .as_ref()
            .map(|c| c.rewind(Some(lookup_by_time(settings)))),
        state,
    };
    let mut transform = RiskAlert {
        plausible: args.io.plausible(),
        checkpoints,
        rule,
        streaming,
        engines: Default::default(),
        late_before: 0,
        splits: from_kafka.then(Default::default),
        bounded: (!streaming).then(Vec::new),
        flush_at_end: streaming && !from_kafka,
        action_topic: settings.topic(ACTION_INPUT),
        page_topic: settings.topic(PAGE_INPUT),
        browse_pages: args
            .browse_pages
            .iter()
            .map(|p| p.trim().to_string())
            .collect(),
        tz: settings.tz.clone(),
        days: DailyIndex::new(INDEX_PREFIX, 1),
        counts: Counts::default(),
    };
    let es = EsTarget {
        op: BulkOp::Create,
        template: Some(template()),
        also_kafka: false,
    };
    run_stream_with(tool, &args.io, settings, shutdown, &mut transform, Some(es))
}
