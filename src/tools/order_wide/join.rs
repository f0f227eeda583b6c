//! Steps 1 and 2 of a batch: its rows parsed, joined through the buffer
//! ([`crate::state::order_join`]), and each joined detail given its place in
//! its order's running sum together with its dimension rows.

use std::collections::{BTreeMap, HashMap};

use anyhow::{anyhow, Result};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::orphans::{write_orphan, write_report};
use super::{OrderWide, DIRTY};
use crate::enrich::{DimLookup, Wanted};
use crate::model::order::{guess_kind, DetailRow, OrderRow, RowKind, UNIT_PLACES};
use crate::record::{InRecord, OutBuf};
use crate::state::batch::BatchState;
use crate::state::Reply;

/// A detail joined with its order.
pub(super) struct Pair {
    pub order_id: String,
    pub detail: DetailRow,
    /// The wait-set member to remove once the wide record is durable.
    pub waited: Option<String>,
}

/// The canonical text of a row (keys sorted): the same row gives the same
/// wait-set member on a replay.
pub(super) fn canonical(row: &Map<String, Value>) -> String {
    Value::Object(row.clone()).to_string()
}

impl OrderWide {
    /// The batch's rows, each order and detail once (the last wins).
    pub(super) fn parse(
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
            // A field the index template cannot take is dirty here, with
            // its name, not refused by Elasticsearch (as dau does, SPEC §5).
            if let Err(why) = crate::es::mapping::check(&self.fields, &row) {
                out.push_dirty_doc(DIRTY, rec, &why);
                continue;
            }
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
                    // One detail id for two orders in one input: the first
                    // keeps it (a later change of the same detail replaces
                    // it; one naming another order is not a change of it).
                    Ok(d) if details
                        .get(&d.id)
                        .is_some_and(|first: &DetailRow| first.order_id != d.order_id) =>
                    {
                        let first = &details[&d.id].order_id;
                        out.push_dirty_doc(
                            DIRTY,
                            rec,
                            &format!(
                                "order_detail row: detail {} already belongs to order {first} in this input, not to order {}: a detail id was reused",
                                d.id, d.order_id
                            ),
                        );
                    }
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
    pub(super) fn join(
        &mut self,
        state: &mut BatchState,
        orders: &mut BTreeMap<String, OrderRow>,
        details: BTreeMap<String, DetailRow>,
        out: &mut OutBuf,
    ) -> Result<Vec<Pair>> {
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
        let stored: Vec<(&str, String)> = orders
            .iter()
            .map(|(id, o)| (id.as_str(), canonical(&o.row)))
            .collect();
        let waiting: Vec<(&str, Vec<String>)> = lonely
            .iter()
            .map(|(id, ds)| (id.as_str(), ds.iter().map(|d| canonical(&d.row)).collect()))
            .collect();
        let ops = self.buffer.join_ops(&stored, &waiting);
        if ops.is_empty() {
            return Ok(pairs);
        }
        let replies = state.request("joining orders and details", out, ops)?;
        let joined = self.buffer.joined(replies, stored.len(), waiting.len())?;
        let batch_orders: Vec<String> = orders.keys().cloned().collect();
        let in_batch: HashMap<String, usize> = pairs
            .iter()
            .enumerate()
            .map(|(i, p)| (p.detail.id.clone(), i))
            .collect();
        for (id, members) in batch_orders.into_iter().zip(joined.waited) {
            let key = self.buffer.detail_key(&id);
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
        for ((order_id, ds), stored) in lonely.into_iter().zip(joined.orders) {
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
    pub(super) fn widen(
        &mut self,
        state: &mut BatchState,
        orders: &BTreeMap<String, OrderRow>,
        pairs: Vec<Pair>,
        out: &mut OutBuf,
    ) -> Result<()> {
        if pairs.is_empty() {
            return Ok(());
        }
        let claims: Vec<(&str, &str, i64)> = pairs
            .iter()
            .map(|p| {
                (
                    p.order_id.as_str(),
                    p.detail.id.as_str(),
                    p.detail.line_units,
                )
            })
            .collect();
        let mut ops = self.buffer.claim_ops(&claims);
        let claimed = ops.len();
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
        let mut replies = state.request("apportioning orders", out, ops)?;
        let dims = DimLookup::rows(replies.split_off(claimed));
        for ((pair, place), want) in pairs.into_iter().zip(replies).zip(wanted) {
            let Reply::Int(place) = place else {
                return Err(anyhow!(
                    "{} answered no place for detail {} of order {}",
                    state.describe(),
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
                let key = self.buffer.split_key(&pair.order_id);
                let id = format!("conflict:{}:{}", pair.order_id, pair.detail.id);
                write_orphan(out, &raw, &reason, &key, &id);
                // --strict stops here (exit 65). Unlike a bad row, a conflict
                // shows only once the detail claimed its place, so the
                // batch's join and claims are already stored.
                if out.first_dirty.is_none() {
                    out.first_dirty = Some((format!("state:{key}"), reason));
                }
                continue;
            }
            let detail_id = pair.detail.id.clone();
            let index = self.emit_wide(order, pair.detail, place, want, &dims, out)?;
            if let Some(member) = pair.waited {
                // Once durable it stops waiting; not when Elasticsearch
                // refused it: it must join again after a restart.
                state.after_durable(
                    self.buffer.release_op(&pair.order_id, vec![member]),
                    index.map(|i| (i, detail_id)),
                );
            }
        }
        Ok(())
    }
}
