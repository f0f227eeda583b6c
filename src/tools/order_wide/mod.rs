//! `rtdw order-wide`: the order × detail dual-stream join (SPEC §4.6).
//!
//! Per batch, in a constant number of state round trips:
//! 1. **Join.** Each order of the batch is stored (`ORDERJOIN:ORDER_INFO:{id}`,
//!    a string) and reads the details waiting for it
//!    (`ORDERJOIN:ORDER_DETAIL:{order_id}`, a set); each detail whose order is
//!    not in the batch is added to that set and reads its order. Writing
//!    before reading, in one pipeline, means that when an order and its
//!    detail arrive at two instances at once, at least one of them sees the
//!    other: a detail is never left waiting for an order that is stored.
//!    (Both may see it: the second wide record is the same document.)
//! 2. **Places and dimensions.** Each joined detail claims its place in its
//!    order's running line sum (`ORDERJOIN:ORDER_SPLIT:{order_id}`, a hash;
//!    [`crate::state::Op::Claim`], atomic and idempotent), and the user, province and sku
//!    rows are read, in one pipeline. The place is what apportioning needs
//!    ([`crate::model::apportion`]); a replayed detail gets the place it got
//!    the first time, so the running sums are never applied twice and a
//!    replay writes the same amounts.
//! 3. **Output.** One wide record per joined detail: `index` to
//!    `gmall_order_wide_{dt}` with `_id` = detail id (a replay overwrites
//!    identically), or the topic `DWS_ORDER_WIDE` keyed by order id.
//! 4. **Once durable**, joined details leave their wait set, then the
//!    offsets are stored. A crash before that replays the batch, which
//!    writes the same documents again.
//!
//! Every key expires after `--join-ttl`; [`orphans`] reports what waits
//! longer than `--orphan-after`. The keys and requests are
//! [`crate::state::order_join`]'s; the transform sends them through the
//! pipeline ([`BatchState`]), which applies its writes after the `--strict`
//! check: a rejected batch changes no join state.

mod join;
mod orphans;
mod template;
mod wide;

use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Args as ClapArgs;

use super::common::{open_state, run_stream_with, EsTarget, StreamArgs, StreamTool, Writes};
use crate::dims::Names;
use crate::endpoint::To;
use crate::es::bulk::BulkOp;
use crate::es::daily::DailyIndex;
use crate::exit::{ExitStatus, Failure};
use crate::pipeline::BatchTransform;
use crate::record::{InRecord, OutBuf};
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::{StreamDef, StreamKind};
use crate::state::batch::BatchState;
use crate::state::order_join::JoinBuffer;
use orphans::humantime;
pub use template::template;

pub const TOOL: &str = "order-wide";
pub const ORDER_INPUT: &str = "DWD_ORDER_INFO_I";
pub const DETAIL_INPUT: &str = "DWD_ORDER_DETAIL_I";
pub const OUTPUT_TOPIC: &str = "DWS_ORDER_WIDE";
pub const DIRTY_TOPIC: &str = "DWD_DIRTY_LOG";
pub const INDEX_PREFIX: &str = "gmall_order_wide_";
/// Dirty records and orphan reports, as documents.
pub const DIRTY_INDEX: &str = "rtdw_dirty_order_wide";
const DIRTY: usize = 0;
/// `DWS_ORDER_WIDE`'s stream, with `--to kafka` or `--also-topic`.
const TOPIC: usize = 1;
/// The longest time between two orphan sweeps.
const SWEEP_EVERY: Duration = Duration::from_secs(60);
#[derive(Debug, ClapArgs)]
#[command(mut_arg("to", |a| a.help("Output: es (gmall_order_wide_{dt} in --es), kafka (the topic DWS_ORDER_WIDE), - (documents on stdout), or DIR/ (one INDEX.jsonl per index, appended)")),
    after_help = "Examples:\n  \
rtdw mock db --orders 200 | rtdw route-db --from - --to - \\\n      \
| rtdw order-wide --from - --to -\n  \
rtdw order-wide --brokers kafka:9092 --redis redis://r:6379 \\\n      \
--es http://es:9200 --from kafka --to es\n  \
rtdw order-wide --from kafka --to kafka   # to the topic DWS_ORDER_WIDE")]
pub struct Args {
    #[command(flatten)]
    pub io: StreamArgs,
    /// How long an order, and the details waiting for it, are kept for their partners, e.g. 24h, 90m
    #[arg(long, default_value = "24h", value_name = "DURATION")]
    pub join_ttl: jiff::SignedDuration,
    /// Report a detail still without its order, or an order still missing details, this long after it arrived
    #[arg(long, default_value = "1h", value_name = "DURATION")]
    pub orphan_after: jiff::SignedDuration,
    /// Also write each wide record to the topic DWS_ORDER_WIDE (keyed by order id), with --to es, - or DIR/
    #[arg(long)]
    pub also_topic: bool,
}

/// Where wide records go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    /// `gmall_order_wide_{dt}` documents (Elasticsearch, `-`, `DIR/`).
    Documents,
    /// The topic `DWS_ORDER_WIDE`.
    Topic,
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    orders: u64,
    details: u64,
    wide: u64,
    /// Details stored to wait for their order.
    waiting: u64,
    orphan_details: u64,
    orphan_orders: u64,
    /// Details whose place lay past their order's line total (reported).
    conflicts: u64,
    missing_user: u64,
    missing_province: u64,
    missing_sku: u64,
}

pub struct OrderWide {
    /// Where the buffer lives, for messages.
    store: String,
    buffer: JoinBuffer,
    plausible: crate::model::event_time::Plausible,
    /// The template's field types, to check each input row against.
    fields: serde_json::Map<String, serde_json::Value>,
    names: Names,
    tz: jiff::tz::TimeZone,
    output: Output,
    also_topic: bool,
    /// Topic names the inputs have (after renames), to tell rows apart.
    order_topic: String,
    detail_topic: String,
    orphan_after: Duration,
    sweep_every: Duration,
    next_sweep: Instant,
    days: DailyIndex,
    counts: Counts,
}

impl BatchTransform for OrderWide {
    fn process(
        &mut self,
        records: &[InRecord],
        state: &mut BatchState,
        emit: &mut dyn FnMut(OutBuf) -> Result<()>,
    ) -> Result<()> {
        let mut out = OutBuf::default();
        let (mut orders, details) = self.parse(records, &mut out);
        let pairs = self.join(state, &mut orders, details, &mut out)?;
        self.widen(state, &orders, pairs, &mut out)?;
        self.sweep(state, &mut out)?;
        emit(out)
    }

    /// Bounded input ended: what could not be joined or enriched is said,
    /// with the fix (a run given only the details file ended `wide=0`).
    fn finish(&mut self, _emit: &mut dyn FnMut(OutBuf) -> Result<()>) -> Result<()> {
        let c = self.counts;
        let store = self.store.clone();
        if c.waiting > 0 {
            let why = if c.orders == 0 {
                format!(
                    "no {ORDER_INPUT} record was read: give the orders too (`--from orders.jsonl details.jsonl`, or the folder route-db wrote)"
                )
            } else {
                "their orders were not in this input: a later run joins them when the orders come (within --join-ttl)".to_string()
            };
            tracing::warn!(
                waiting = c.waiting,
                "{} of {} details wait for their order in {store}; {why}",
                c.waiting,
                c.details
            );
        }
        crate::enrich::warn_missing(TOOL, "user_info", c.missing_user, c.wide, &store);
        crate::enrich::warn_missing(TOOL, "base_province", c.missing_province, c.wide, &store);
        crate::enrich::warn_missing(TOOL, "sku_info", c.missing_sku, c.wide, &store);
        Ok(())
    }

    fn counts(&self) -> Vec<(&'static str, u64)> {
        let c = self.counts;
        vec![
            ("orders", c.orders),
            ("details", c.details),
            ("wide", c.wide),
            ("waiting", c.waiting),
            ("orphan_details", c.orphan_details),
            ("orphan_orders", c.orphan_orders),
            ("conflicts", c.conflicts),
            ("missing_user", c.missing_user),
            ("missing_province", c.missing_province),
            ("missing_sku", c.missing_sku),
        ]
    }
}

/// The longest `--join-ttl`: ten years. Longer ones overflow the stores'
/// expiry arithmetic (a break test's 9 999 999 999 999 h wrapped to a past
/// time, and every key vanished), and no join waits that long.
const MAX_TTL: Duration = Duration::from_secs(3650 * 86_400);

fn positive(d: jiff::SignedDuration, flag: &str) -> Result<Duration> {
    if d.is_negative() || d.is_zero() {
        return Err(Failure::usage(format!("{flag} must be longer than zero")));
    }
    if d.unsigned_abs() > MAX_TTL {
        return Err(Failure::usage(format!(
            "{flag} must be at most 3650 days (ten years)"
        )));
    }
    Ok(d.unsigned_abs())
}

pub fn run(args: Args, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    // Every usage error first, before the state store or a broker is opened.
    args.io.check(TOOL, Writes::Either)?;
    let join_ttl = positive(args.join_ttl, "--join-ttl")?;
    let orphan_after = positive(args.orphan_after, "--orphan-after")?;
    if orphan_after >= join_ttl {
        return Err(Failure::usage(format!(
            "--orphan-after ({}) must be shorter than --join-ttl ({}): the sweep reports what waits before it expires",
            humantime(orphan_after),
            humantime(join_ttl)
        )));
    }
    let output = match args.io.to {
        To::Kafka(_) => Output::Topic,
        _ => Output::Documents,
    };
    if output == Output::Topic && args.also_topic {
        return Err(Failure::usage(
            "--also-topic: --to kafka already writes DWS_ORDER_WIDE",
        ));
    }
    let state = open_state(&args.io, settings, shutdown)?;
    tracing::info!("join state and dimension rows in {}", state.describe());
    let mut streams = match output {
        Output::Documents => vec![StreamDef {
            name: DIRTY_INDEX.into(),
            kind: StreamKind::Document,
        }],
        Output::Topic => vec![StreamDef::record(settings.topic(DIRTY_TOPIC))],
    };
    if output == Output::Topic || args.also_topic {
        streams.push(StreamDef::record(settings.topic(OUTPUT_TOPIC)));
    }
    let tool = StreamTool {
        name: TOOL,
        inputs: vec![settings.topic(ORDER_INPUT), settings.topic(DETAIL_INPUT)],
        streams: streams.clone(),
        dirty: DIRTY,
        rewind: None,
        state: Some(state.clone()),
    };
    // Seconds: TTLs are read back in whole seconds. Half the margin between
    // the report and the expiry, so no key expires between two sweeps.
    let sweep_every = ((join_ttl - orphan_after) / 2)
        .min(SWEEP_EVERY)
        .max(Duration::from_millis(500));
    let mut transform = OrderWide {
        store: state.describe(),
        buffer: JoinBuffer::new(|k| settings.key(k), join_ttl),
        plausible: args.io.plausible(),
        fields: crate::es::mapping::properties(&template().body),
        names: Names::new(settings),
        tz: settings.tz.clone(),
        output,
        also_topic: args.also_topic,
        order_topic: settings.topic(ORDER_INPUT),
        detail_topic: settings.topic(DETAIL_INPUT),
        orphan_after,
        sweep_every,
        next_sweep: Instant::now(),
        days: DailyIndex::new(INDEX_PREFIX, streams.len()),
        counts: Counts::default(),
    };
    let es = (output == Output::Documents).then(|| EsTarget {
        op: BulkOp::Index,
        template: Some(template()),
        also_kafka: args.also_topic,
    });
    run_stream_with(tool, &args.io, settings, shutdown, &mut transform, es)
}

/// The transform in process against the embedded store (issue 18).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::in_process;
    use crate::settings::GlobalArgs;
    use crate::state::{Op, ReplyIter};

    const ORDER: &str = r#"{"id":1,"user_id":7,"province_id":1,"order_status":"1001","create_time":"2026-11-22 10:00:00","original_total_amount":"30.00","activity_reduce_amount":"0.00","coupon_reduce_amount":"0.00","total_amount":"30.00","feight_fee":"0.00"}"#;
    const DETAIL: &str =
        r#"{"id":11,"order_id":1,"sku_id":3,"sku_name":"x","order_price":"10.00","sku_num":"3"}"#;

    fn order_wide(settings: &Settings) -> OrderWide {
        let hour = Duration::from_secs(3600);
        OrderWide {
            store: "test".into(),
            buffer: JoinBuffer::new(|k| settings.key(k), 24 * hour),
            plausible: Default::default(),
            fields: crate::es::mapping::properties(&template().body),
            names: Names::new(settings),
            tz: settings.tz.clone(),
            output: Output::Documents,
            also_topic: false,
            order_topic: settings.topic(ORDER_INPUT),
            detail_topic: settings.topic(DETAIL_INPUT),
            orphan_after: hour,
            sweep_every: hour,
            next_sweep: Instant::now() + hour,
            days: DailyIndex::new(INDEX_PREFIX, 1),
            counts: Counts::default(),
        }
    }

    fn join_keys(store: &crate::state::retrying::Retrying) -> Vec<String> {
        let replies = store.exec(vec![Op::Keys("ORDERJOIN:*".into())]).unwrap();
        replies.into_iter().next_strs().unwrap()
    }

    #[test]
    fn a_detail_waits_across_batches_and_a_strict_batch_leaves_no_join_state() {
        let dir = tempfile::tempdir().unwrap();
        let store = in_process::store(dir.path());
        let settings = Settings::resolve(&GlobalArgs::default()).unwrap();
        let mut wide = order_wide(&settings);
        let bad = in_process::lines("in.jsonl", None, &[DETAIL, ORDER, "[1]"]);
        let err = in_process::batch(&mut wide, &store, &bad, true).unwrap_err();
        assert!(err.to_string().contains("in.jsonl:3"), "{err}");
        assert!(
            join_keys(&store).is_empty(),
            "a rejected batch stores nothing"
        );

        // The detail first: it waits in its set; the order then finds it.
        let details = in_process::lines("details.jsonl", None, &[DETAIL]);
        let outs = in_process::batch(&mut wide, &store, &details, false).unwrap();
        assert!(in_process::values(&outs).is_empty());
        assert!(join_keys(&store).contains(&"ORDERJOIN:ORDER_DETAIL:1".to_string()));
        let orders = in_process::lines("orders.jsonl", None, &[ORDER]);
        let outs = in_process::batch(&mut wide, &store, &orders, false).unwrap();
        let values = in_process::values(&outs);
        assert_eq!(values.len(), 1, "{values:?}");
        assert_eq!(values[0].1["split_total_amount"], "30.00");
        // Once durable, the detail left its wait set.
        let waiting = store
            .exec(vec![Op::SMembers("ORDERJOIN:ORDER_DETAIL:1".into())])
            .unwrap();
        assert_eq!(
            waiting.into_iter().next_strs().unwrap(),
            Vec::<String>::new()
        );
    }
}
