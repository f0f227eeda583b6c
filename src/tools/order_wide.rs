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
//!    [`Op::Claim`], atomic and idempotent), and the user, province and sku
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
//! Every key expires after `--join-ttl`. A sweep (every minute, or sooner
//! for short TTLs) reports, once, each detail still waiting `--orphan-after`
//! after it arrived and each order whose details have not added up to its
//! `original_total_amount` by then: a counter and a record on the dirty
//! stream. The keys stay until the TTL, so a partner that arrives after the
//! report still joins.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use clap::Args as ClapArgs;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use super::common::{run_stream_with, EsTarget, StreamArgs, StreamTool};
use crate::dims::Names;
use crate::endpoint::To;
use crate::enrich::{add_province, add_user, DimLookup, DimRows, Wanted};
use crate::es::bulk::{BulkOp, IndexTemplate};
use crate::es::FailedDoc;
use crate::exit::{ExitStatus, Failure};
use crate::model::apportion::{self, Split};
use crate::model::order::{guess_kind, DetailRow, OrderRow, RowKind, UNIT_PLACES};
use crate::pipeline::BatchTransform;
use crate::record::{write_dirty, InRecord, OutBuf};
use crate::settings::Settings;
use crate::shutdown::Shutdown;
use crate::sink::{DiscoveredStreams, StreamDef, StreamKind};
use crate::state::retrying::Retrying;
use crate::state::{self, Op, Reply, ReplyIter, CLAIM_SUM};

pub const TOOL: &str = "order-wide";
pub const ORDER_INPUT: &str = "DWD_ORDER_INFO_I";
pub const DETAIL_INPUT: &str = "DWD_ORDER_DETAIL_I";
pub const OUTPUT_TOPIC: &str = "DWS_ORDER_WIDE";
pub const DIRTY_TOPIC: &str = "DWD_DIRTY_LOG";
pub const INDEX_PREFIX: &str = "gmall_order_wide_";
/// Dirty records and orphan reports, as documents.
pub const DIRTY_INDEX: &str = "rtdw_dirty_order_wide";
/// Default key prefixes (renamable in `rtdw.toml` `[keys]`).
pub const ORDER_KEY: &str = "ORDERJOIN:ORDER_INFO";
pub const DETAIL_KEY: &str = "ORDERJOIN:ORDER_DETAIL";
pub const SPLIT_KEY: &str = "ORDERJOIN:ORDER_SPLIT";
/// `ORDERJOIN:ORPHAN:{order_id}`: what has been reported, so once only.
pub const ORPHAN_KEY: &str = "ORDERJOIN:ORPHAN";
/// The member of an orphan set that stands for the order itself.
const ORDER_MARK: &str = "order";
const DIRTY: usize = 0;
/// `DWS_ORDER_WIDE`'s stream, with `--to kafka` or `--also-topic`.
const TOPIC: usize = 1;
/// The longest time between two orphan sweeps.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Order fields a wide record takes from its order (`order_id` = the order's `id`).
const ORDER_FIELDS: [&str; 9] = [
    "user_id",
    "province_id",
    "order_status",
    "create_time",
    "total_amount",
    "activity_reduce_amount",
    "coupon_reduce_amount",
    "original_total_amount",
    "feight_fee",
];
/// `sku_info` columns copied when the sku's row exists.
const SKU_FIELDS: [&str; 3] = ["spu_id", "tm_id", "category3_id"];

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

/// The state-store keys, after `[keys]` renames.
struct Keys {
    order: String,
    detail: String,
    split: String,
    orphan: String,
}

impl Keys {
    fn new(settings: &Settings) -> Keys {
        Keys {
            order: settings.key(ORDER_KEY),
            detail: settings.key(DETAIL_KEY),
            split: settings.key(SPLIT_KEY),
            orphan: settings.key(ORPHAN_KEY),
        }
    }
    fn order(&self, id: &str) -> String {
        format!("{}:{id}", self.order)
    }
    fn detail(&self, order_id: &str) -> String {
        format!("{}:{order_id}", self.detail)
    }
    fn split(&self, order_id: &str) -> String {
        format!("{}:{order_id}", self.split)
    }
    fn orphan(&self, order_id: &str) -> String {
        format!("{}:{order_id}", self.orphan)
    }
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

/// A detail joined with its order.
struct Pair {
    order_id: String,
    detail: DetailRow,
    /// The wait-set member to remove once the wide record is durable.
    waited: Option<String>,
}

/// An orphan reported in this batch, to mark once the report is durable.
struct Reported {
    order_id: String,
    member: String,
}

pub struct OrderWide {
    state: Retrying,
    plausible: crate::model::event_time::Plausible,
    /// `--strict`: a batch with a bad row changes no state.
    strict: bool,
    names: Names,
    keys: Keys,
    tz: jiff::tz::TimeZone,
    output: Output,
    also_topic: bool,
    /// Topic names the inputs have (after renames), to tell rows apart.
    order_topic: String,
    detail_topic: String,
    join_ttl: Duration,
    orphan_after: Duration,
    sweep_every: Duration,
    next_sweep: Instant,
    index_streams: DiscoveredStreams<jiff::civil::Date>,
    /// Joined details that waited, by order, to remove once durable.
    pending_removal: Vec<(String, String, String)>,
    pending_reports: Vec<Reported>,
    counts: Counts,
}

/// The canonical text of a row (keys sorted): the same row gives the same
/// wait-set member on a replay.
fn canonical(row: &Map<String, Value>) -> String {
    Value::Object(row.clone()).to_string()
}

fn money(d: Decimal) -> Value {
    Value::String(format!("{:.2}", d))
}

impl OrderWide {
    /// The batch's rows, each order and detail once (the last wins).
    fn parse(
        &mut self,
        records: &[InRecord],
        out: &mut OutBuf,
    ) -> (BTreeMap<String, OrderRow>, BTreeMap<String, DetailRow>) {
        let mut orders = BTreeMap::new();
        let mut details = BTreeMap::new();
        for rec in records {
            let row: Map<String, Value> = match serde_json::from_slice(&rec.payload) {
                Ok(r) => r,
                Err(e) => {
                    out.push_dirty_doc(DIRTY, rec, &format!("not a JSON object: {e}"));
                    continue;
                }
            };
            let kind = match rec.topic.as_deref() {
                Some(t) if t == self.order_topic => Some(RowKind::Order),
                Some(t) if t == self.detail_topic => Some(RowKind::Detail),
                _ => guess_kind(&row),
            };
            match kind {
                Some(RowKind::Order) => match OrderRow::parse(row, &self.tz).and_then(|o| {
                    self.plausible
                        .check(o.time.at_ms)
                        .map_err(|e| format!("`create_time`: {e}"))
                        .map(|()| o)
                }) {
                    Ok(o) => {
                        self.counts.orders += 1;
                        orders.insert(o.id.clone(), o);
                    }
                    Err(why) => out.push_dirty_doc(DIRTY, rec, &format!("order_info row: {why}")),
                },
                Some(RowKind::Detail) => match DetailRow::parse(row) {
                    Ok(d) => {
                        self.counts.details += 1;
                        details.insert(d.id.clone(), d);
                    }
                    Err(why) => {
                        out.push_dirty_doc(DIRTY, rec, &format!("order_detail row: {why}"))
                    }
                },
                None => out.push_dirty_doc(
                    DIRTY,
                    rec,
                    "neither an order_info row (original_total_amount) nor an order_detail row (order_id)",
                ),
            }
        }
        (orders, details)
    }

    /// Step 1: stores what waits, reads what waited; one round trip.
    /// Returns the joined details, and adds the orders read to `orders`.
    fn join(
        &mut self,
        orders: &mut BTreeMap<String, OrderRow>,
        details: BTreeMap<String, DetailRow>,
        out: &mut OutBuf,
    ) -> Result<Vec<Pair>> {
        let ttl = Some(self.join_ttl);
        let mut ops = Vec::new();
        for (id, o) in orders.iter() {
            ops.push(Op::Set {
                key: self.keys.order(id),
                value: canonical(&o.row),
                ttl,
            });
            ops.push(Op::SMembers(self.keys.detail(id)));
        }
        let mut pairs: Vec<Pair> = Vec::new();
        let mut lonely: BTreeMap<String, Vec<DetailRow>> = BTreeMap::new();
        for (_, d) in details {
            if orders.contains_key(&d.order_id) {
                pairs.push(Pair {
                    order_id: d.order_id.clone(),
                    detail: d,
                    waited: None,
                });
            } else {
                lonely.entry(d.order_id.clone()).or_default().push(d);
            }
        }
        for (order_id, ds) in &lonely {
            let key = self.keys.detail(order_id);
            ops.push(Op::SAdd {
                key: key.clone(),
                members: ds.iter().map(|d| canonical(&d.row)).collect(),
            });
            ops.push(Op::Expire {
                key,
                ttl: self.join_ttl,
            });
            ops.push(Op::Get(self.keys.order(order_id)));
        }
        if ops.is_empty() {
            return Ok(pairs);
        }
        let mut replies = self
            .state
            .exec(ops)
            .with_context(|| format!("joining orders and details in {}", self.state.describe()))?
            .into_iter();
        let batch_orders: Vec<String> = orders.keys().cloned().collect();
        let in_batch: HashMap<String, usize> = pairs
            .iter()
            .enumerate()
            .map(|(i, p)| (p.detail.id.clone(), i))
            .collect();
        for id in batch_orders {
            replies.next();
            let mut members = replies.next_strs()?;
            // Set order is the store's (Redis: insertion or hash order;
            // SQLite: sorted): claim places in one order whatever the store,
            // so both give the same shares.
            members.sort_unstable();
            let key = self.keys.detail(&id);
            for member in members {
                let detail = serde_json::from_str(&member)
                    .map_err(|e| e.to_string())
                    .and_then(DetailRow::parse);
                match detail {
                    Ok(d) => match in_batch.get(&d.id) {
                        // A replay: the batch has it too.
                        Some(&i) => pairs[i].waited = Some(member),
                        None => pairs.push(Pair {
                            order_id: id.clone(),
                            detail: d,
                            waited: Some(member),
                        }),
                    },
                    Err(why) => write_report(
                        out,
                        &member,
                        &format!("unreadable waiting detail: {why}"),
                        &key,
                    ),
                }
            }
        }
        for (order_id, ds) in lonely {
            replies.next();
            replies.next();
            let stored = replies.next_opt_string()?;
            let order = stored.and_then(|s| {
                let row: Map<String, Value> = serde_json::from_str(&s).ok()?;
                match OrderRow::parse(row, &self.tz) {
                    Ok(o) => Some(o),
                    Err(why) => {
                        tracing::warn!(order = %order_id, "stored order unreadable: {why}");
                        None
                    }
                }
            });
            match order {
                Some(o) => {
                    orders.insert(order_id.clone(), o);
                    for d in ds {
                        let member = canonical(&d.row);
                        pairs.push(Pair {
                            order_id: order_id.clone(),
                            detail: d,
                            waited: Some(member),
                        });
                    }
                }
                None => self.counts.waiting += ds.len() as u64,
            }
        }
        Ok(pairs)
    }

    /// Step 2 and 3: places in the running sums and dimension rows in one
    /// round trip, then one wide record per pair.
    fn widen(
        &mut self,
        orders: &BTreeMap<String, OrderRow>,
        pairs: Vec<Pair>,
        out: &mut OutBuf,
    ) -> Result<()> {
        if pairs.is_empty() {
            return Ok(());
        }
        let mut ops: Vec<Op> = pairs
            .iter()
            .map(|p| Op::Claim {
                key: self.keys.split(&p.order_id),
                field: p.detail.id.clone(),
                units: p.detail.line_units,
            })
            .collect();
        let touched: HashSet<&str> = pairs.iter().map(|p| p.order_id.as_str()).collect();
        ops.extend(touched.iter().map(|id| Op::Expire {
            key: self.keys.split(id),
            ttl: self.join_ttl,
        }));
        let names = self.names.clone();
        let mut lookup = DimLookup::new(&names);
        let wanted: Vec<(Option<Wanted>, Option<Wanted>, Option<Wanted>)> = pairs
            .iter()
            .map(|p| {
                let o = orders.get(&p.order_id).map(|o| &o.row);
                (
                    lookup.want("user_info", o.and_then(|o| o.get("user_id"))),
                    lookup.want("base_province", o.and_then(|o| o.get("province_id"))),
                    lookup.want("sku_info", p.detail.row.get("sku_id")),
                )
            })
            .collect();
        ops.extend(lookup.ops());
        let claims = pairs.len();
        let mut replies = self
            .state
            .exec(ops)
            .with_context(|| format!("apportioning orders in {}", self.state.describe()))?;
        let dims = DimLookup::rows(replies.split_off(claims + touched.len()));
        for ((pair, place), want) in pairs.into_iter().zip(replies).zip(wanted) {
            let Reply::Int(place) = place else {
                return Err(anyhow!(
                    "{} answered no place for detail {} of order {}",
                    self.state.describe(),
                    pair.detail.id,
                    pair.order_id
                ));
            };
            let Some(order) = orders.get(&pair.order_id) else {
                continue;
            };
            let before = Decimal::new(place, UNIT_PLACES);
            if pair.detail.carried.is_none()
                && before + pair.detail.line > order.amounts.original_total
            {
                // Its place lies past the order's line total: the running sum
                // was already complete (a reused detail id, or details from
                // another order with the same id). Apportioning it would give
                // wrong shares silently; it is reported instead.
                self.counts.conflicts += 1;
                let reason = format!(
                    "detail {} claims a place past order {}'s line total: {} already apportioned + this line {} > original_total_amount {}; a detail or order id was reused (e.g. two mock days with the same ids) or the order's details do not add up",
                    pair.detail.id,
                    pair.order_id,
                    before,
                    pair.detail.line,
                    order.amounts.original_total
                );
                let raw = serde_json::to_string(&pair.detail.row).unwrap_or_default();
                let key = self.keys.split(&pair.order_id);
                let id = format!("conflict:{}:{}", pair.order_id, pair.detail.id);
                write_orphan(out, &raw, &reason, &key, &id);
                continue;
            }
            let detail_id = pair.detail.id.clone();
            self.emit_wide(order, pair.detail, place, want, &dims, out)?;
            if let Some(member) = pair.waited {
                self.pending_removal
                    .push((pair.order_id, detail_id, member));
            }
        }
        Ok(())
    }

    fn emit_wide(
        &mut self,
        order: &OrderRow,
        detail: DetailRow,
        place: i64,
        (user, province, sku): (Option<Wanted>, Option<Wanted>, Option<Wanted>),
        dims: &DimRows,
        out: &mut OutBuf,
    ) -> Result<()> {
        let before = Decimal::new(place, UNIT_PLACES);
        let split: Split = detail
            .carried
            .unwrap_or_else(|| apportion::split(&order.amounts, before, detail.line));
        let mut w = detail.row;
        // They describe the change that carried the row, not the wide record.
        w.remove("op");
        w.remove("ts_ms");
        w.insert("detail_id".into(), Value::String(detail.id.clone()));
        w.insert("order_id".into(), Value::String(order.id.clone()));
        for f in ORDER_FIELDS {
            w.insert(f.into(), order.row.get(f).cloned().unwrap_or(Value::Null));
        }
        let dt = order.time.dt;
        let (u, p, s) = (dims.get(user), dims.get(province), dims.get(sku));
        if user.is_some() && u.is_none() {
            self.counts.missing_user += 1;
        }
        if province.is_some() && p.is_none() {
            self.counts.missing_province += 1;
        }
        if sku.is_some() && s.is_none() {
            self.counts.missing_sku += 1;
        }
        add_user(&mut w, u, dt);
        add_province(&mut w, p);
        if let Some(s) = s {
            for f in SKU_FIELDS {
                w.insert(f.into(), s.get(f).cloned().unwrap_or(Value::Null));
            }
        }
        w.insert("split_total_amount".into(), money(split.total));
        w.insert("split_activity_amount".into(), money(split.activity));
        w.insert("split_coupon_amount".into(), money(split.coupon));
        w.insert("dt".into(), json!(dt.to_string()));
        w.insert("hr".into(), json!(format!("{:02}", order.time.hour)));
        let value = serde_json::to_vec(&w).context("encoding a wide record")?;
        if self.output == Output::Documents {
            let stream = self.index_streams.get(dt, out, || StreamDef {
                name: format!("{INDEX_PREFIX}{dt}"),
                kind: StreamKind::Document,
            });
            out.push(stream, Some(detail.id.as_bytes()), |o| {
                o.extend_from_slice(&value)
            });
        }
        if self.output == Output::Topic || self.also_topic {
            out.push(TOPIC, Some(order.id.as_bytes()), |o| {
                o.extend_from_slice(&value)
            });
        }
        self.counts.wide += 1;
        Ok(())
    }

    /// Reports details and orders waiting longer than `--orphan-after`
    /// (each once), when a sweep is due.
    fn sweep(&mut self, out: &mut OutBuf) -> Result<()> {
        if Instant::now() < self.next_sweep {
            return Ok(());
        }
        self.next_sweep = Instant::now() + self.sweep_every;
        let context = || format!("sweeping for orphans in {}", self.state.describe());
        let listed = self
            .state
            .exec(vec![
                Op::Keys(format!("{}:*", self.keys.detail)),
                Op::Keys(format!("{}:*", self.keys.order)),
            ])
            .with_context(context)?;
        let mut lists = listed.into_iter();
        let (detail_keys, order_keys) = (lists.next_strs()?, lists.next_strs()?);
        let all: Vec<&String> = detail_keys.iter().chain(&order_keys).collect();
        if all.is_empty() {
            return Ok(());
        }
        let ttls = self
            .state
            .exec(all.iter().map(|k| Op::Ttl((*k).clone())).collect())
            .with_context(context)?;
        let ttl = self.join_ttl.as_secs() as i64;
        let mut aged: HashSet<&String> = HashSet::new();
        let mut ttls = ttls.into_iter();
        for key in &all {
            let left = ttls.next_int().with_context(context)?;
            if left >= 0 && ttl - left >= self.orphan_after.as_secs() as i64 {
                aged.insert(*key);
            }
        }
        let id_of = |key: &str, prefix: &str| key.get(prefix.len() + 1..).map(str::to_string);
        let mut checks: Vec<(bool, String)> = Vec::new();
        let mut ops = Vec::new();
        for key in detail_keys.iter().filter(|k| aged.contains(k)) {
            if let Some(id) = id_of(key, &self.keys.detail) {
                ops.push(Op::SMembers(key.clone()));
                ops.push(Op::SMembers(self.keys.orphan(&id)));
                checks.push((true, id));
            }
        }
        for key in order_keys.iter().filter(|k| aged.contains(k)) {
            if let Some(id) = id_of(key, &self.keys.order) {
                ops.push(Op::Get(key.clone()));
                ops.push(Op::HGet {
                    key: self.keys.split(&id),
                    field: CLAIM_SUM.into(),
                });
                ops.push(Op::SMembers(self.keys.orphan(&id)));
                checks.push((false, id));
            }
        }
        if ops.is_empty() {
            return Ok(());
        }
        let mut replies = self.state.exec(ops).with_context(context)?.into_iter();
        let waited = humantime(self.orphan_after);
        for (is_detail, id) in checks {
            if is_detail {
                let members = replies.next_strs()?;
                let reported: HashSet<String> = replies.next_strs()?.into_iter().collect();
                for member in members {
                    let detail_id = serde_json::from_str::<Map<String, Value>>(&member)
                        .ok()
                        .and_then(|m| crate::enrich::text(m.get("id")))
                        .unwrap_or_else(|| member.clone());
                    if reported.contains(&detail_id) {
                        continue;
                    }
                    write_orphan(
                        out,
                        &member,
                        &format!("orphan detail {detail_id}: its order {id} has not arrived {waited} after it"),
                        &self.keys.detail(&id),
                        &format!("orphan:detail:{detail_id}"),
                    );
                    self.counts.orphan_details += 1;
                    self.pending_reports.push(Reported {
                        order_id: id.clone(),
                        member: detail_id,
                    });
                }
            } else {
                let stored = replies.next_opt_string()?;
                let sum = replies
                    .next_opt_string()?
                    .and_then(|s| s.parse::<i64>().ok())
                    .unwrap_or(0);
                let reported = replies.next_strs()?;
                let Some(stored) = stored else { continue };
                let Some(order) = serde_json::from_str::<Map<String, Value>>(&stored)
                    .ok()
                    .and_then(|row| OrderRow::parse(row, &self.tz).ok())
                else {
                    continue;
                };
                if sum >= order.original_units() || reported.iter().any(|m| m == ORDER_MARK) {
                    continue;
                }
                write_orphan(
                    out,
                    &stored,
                    &format!(
                        "orphan order {id}: its details add up to {} of original_total_amount {} {waited} after it arrived",
                        cents_at_least(Decimal::new(sum, UNIT_PLACES)),
                        order.amounts.original_total
                    ),
                    &self.keys.order(&id),
                    &format!("orphan:order:{id}"),
                );
                self.counts.orphan_orders += 1;
                self.pending_reports.push(Reported {
                    order_id: id,
                    member: ORDER_MARK.into(),
                });
            }
        }
        Ok(())
    }
}

/// An orphan report on the dirty stream: the shape of a dirty record, its
/// source the key it waits under, keyed (document id) by what it reports.
fn write_orphan(out: &mut OutBuf, raw: &str, reason: &str, key: &str, id: &str) {
    out.push(DIRTY, Some(id.as_bytes()), |o| {
        write_dirty(o, raw.as_bytes(), reason, &format!("state:{key}"))
    });
}

/// A stored value that cannot be read is reported like an orphan, never dropped.
fn write_report(out: &mut OutBuf, raw: &str, reason: &str, key: &str) {
    write_orphan(out, raw, reason, key, &format!("unreadable:{key}"));
}

/// `d` without trailing zeros beyond the cents: 5155.70, 0.1234.
fn cents_at_least(d: Decimal) -> Decimal {
    let mut d = d.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

fn humantime(d: Duration) -> String {
    format!(
        "{:#}",
        jiff::SignedDuration::try_from(d).unwrap_or_default()
    )
}

impl BatchTransform for OrderWide {
    fn process(
        &mut self,
        records: &[InRecord],
        emit: &mut dyn FnMut(OutBuf) -> Result<()>,
    ) -> Result<()> {
        let mut out = OutBuf::default();
        self.pending_removal.clear();
        self.pending_reports.clear();
        let (mut orders, details) = self.parse(records, &mut out);
        if self.strict && out.first_dirty.is_some() {
            // --strict rejects the whole batch: it must leave no join state.
            return emit(out);
        }
        let pairs = self.join(&mut orders, details, &mut out)?;
        self.widen(&orders, pairs, &mut out)?;
        self.sweep(&mut out)?;
        emit(out)
    }

    /// The wide records are durable: the details that waited leave their
    /// sets (not those Elasticsearch refused, which must join again after a
    /// restart), and reported orphans are marked.
    fn after_durable(&mut self, refused: &[FailedDoc]) -> Result<()> {
        let refused: HashSet<&str> = refused.iter().map(|f| f.id.as_str()).collect();
        let mut by_order: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (order_id, detail_id, member) in self.pending_removal.drain(..) {
            if !refused.contains(detail_id.as_str()) {
                by_order.entry(order_id).or_default().push(member);
            }
        }
        let mut ops: Vec<Op> = by_order
            .into_iter()
            .map(|(order_id, members)| Op::SRem {
                key: self.keys.detail(&order_id),
                members,
            })
            .collect();
        let mut marks: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in self.pending_reports.drain(..) {
            marks.entry(r.order_id).or_default().push(r.member);
        }
        for (order_id, members) in marks {
            let key = self.keys.orphan(&order_id);
            ops.push(Op::SAdd {
                key: key.clone(),
                members,
            });
            ops.push(Op::Expire {
                key,
                ttl: self.join_ttl,
            });
        }
        if ops.is_empty() {
            return Ok(());
        }
        crate::failpoint!(crate::failpoint::names::AFTER_SINK_BEFORE_STATE);
        self.state.exec(ops).with_context(|| {
            format!(
                "removing joined details from their wait sets in {}",
                self.state.describe()
            )
        })?;
        Ok(())
    }

    /// Bounded input ended: what could not be joined or enriched is said,
    /// with the fix (a run given only the details file ended `wide=0`).
    fn finish(&mut self, _emit: &mut dyn FnMut(OutBuf) -> Result<()>) -> Result<()> {
        let c = self.counts;
        let store = self.state.describe();
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

/// The daily indices' template: keywords for ids and dimensions, exact
/// cents (`scaled_float`) for amounts, `sku_name` searchable by words.
pub fn template() -> IndexTemplate {
    let mut props = Map::new();
    for f in [
        "detail_id",
        "id",
        "order_id",
        "sku_id",
        "user_id",
        "province_id",
        "order_status",
        "source_type",
        "user_gender",
        "province_name",
        "province_iso_code",
        "province_3166_2",
        "province_area_code",
        "spu_id",
        "tm_id",
        "category3_id",
        "dt",
        "hr",
    ] {
        props.insert(f.into(), json!({"type": "keyword"}));
    }
    // Ids sort as numbers through a long sub-field (`report orders
    // --details` pages by `detail_id.num`); a non-numeric id is missing there.
    props.insert(
        "detail_id".into(),
        json!({"type": "keyword", "fields": {"num": {"type": "long", "ignore_malformed": true}}}),
    );
    for f in [
        "order_price",
        "sku_price",
        "total_amount",
        "activity_reduce_amount",
        "coupon_reduce_amount",
        "original_total_amount",
        "feight_fee",
        "split_total_amount",
        "split_activity_amount",
        "split_coupon_amount",
    ] {
        props.insert(
            f.into(),
            json!({"type": "scaled_float", "scaling_factor": 100}),
        );
    }
    props.insert("sku_num".into(), json!({"type": "long"}));
    props.insert("user_age".into(), json!({"type": "short"}));
    props.insert(
        "sku_name".into(),
        json!({"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}}),
    );
    props.insert(
        "create_time".into(),
        json!({"type": "date", "format": "yyyy-MM-dd HH:mm:ss||strict_date_optional_time||epoch_millis"}),
    );
    IndexTemplate {
        name: "gmall_order_wide".into(),
        body: json!({"index_patterns": [format!("{INDEX_PREFIX}*")], "priority": 100,
            "template": {"settings": {"number_of_shards": 1}, "mappings": {"dynamic": true, "properties": props}},
            "_meta": {"created_by": "rtdw order-wide"}}),
    }
}

fn positive(d: jiff::SignedDuration, flag: &str) -> Result<Duration> {
    if d.is_negative() || d.is_zero() {
        return Err(Failure::usage(format!("{flag} must be longer than zero")));
    }
    Ok(d.unsigned_abs())
}

pub fn run(args: Args, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    args.io.validate()?;
    let join_ttl = positive(args.join_ttl, "--join-ttl")?;
    let orphan_after = positive(args.orphan_after, "--orphan-after")?;
    if orphan_after >= join_ttl {
        return Err(Failure::usage(format!(
            "--orphan-after ({}) must be shorter than --join-ttl ({}): the sweep reports what waits before it expires",
            humantime(orphan_after),
            humantime(join_ttl)
        )));
    }
    let state = state::open(&settings.state, settings.redis.as_deref())?;
    let state = Retrying::new(state, args.io.retry_policy(), shutdown.clone());
    tracing::info!("join state and dimension rows in {}", state.describe());
    let output = match args.io.to {
        To::Kafka(_) => Output::Topic,
        _ => Output::Documents,
    };
    if output == Output::Topic && args.also_topic {
        return Err(Failure::usage(
            "--also-topic: --to kafka already writes DWS_ORDER_WIDE",
        ));
    }
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
    };
    // Seconds: TTLs are read back in whole seconds. Half the margin between
    // the report and the expiry, so no key expires between two sweeps.
    let sweep_every = ((join_ttl - orphan_after) / 2)
        .min(SWEEP_EVERY)
        .max(Duration::from_millis(500));
    let mut transform = OrderWide {
        state,
        plausible: args.io.plausible(),
        strict: args.io.strict,
        names: Names::new(settings),
        keys: Keys::new(settings),
        tz: settings.tz.clone(),
        output,
        also_topic: args.also_topic,
        order_topic: settings.topic(ORDER_INPUT),
        detail_topic: settings.topic(DETAIL_INPUT),
        join_ttl,
        orphan_after,
        sweep_every,
        next_sweep: Instant::now(),
        index_streams: DiscoveredStreams::new(streams.len()),
        pending_removal: Vec::new(),
        pending_reports: Vec::new(),
        counts: Counts::default(),
    };
    let es = (output == Output::Documents).then(|| EsTarget {
        op: BulkOp::Index,
        template: Some(template()),
        also_kafka: args.also_topic,
    });
    run_stream_with(tool, &args.io, settings, shutdown, &mut transform, es)
}
