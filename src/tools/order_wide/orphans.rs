//! The orphan sweep (SPEC §4.6): every minute (or sooner for short TTLs),
//! each detail still waiting `--orphan-after` after it arrived, and each
//! order whose details have not added up to its `original_total_amount` by
//! then, is reported once: a counter and a record on the dirty stream. The
//! keys stay until the TTL, so a partner that arrives after the report still joins.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::Result;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::{OrderWide, DIRTY};
use crate::model::order::{OrderRow, UNIT_PLACES};
use crate::record::{write_dirty, OutBuf};
use crate::state::batch::BatchState;
use crate::state::order_join::{Aged, ORDER_MARK};

impl OrderWide {
    /// Reports details and orders waiting longer than `--orphan-after`
    /// (each once), when a sweep is due: three reads, and once the reports
    /// are durable, one write that marks them reported.
    pub(super) fn sweep(&mut self, state: &mut BatchState, out: &mut OutBuf) -> Result<()> {
        if Instant::now() < self.next_sweep {
            return Ok(());
        }
        self.next_sweep = Instant::now() + self.sweep_every;
        let what = "sweeping for orphans";
        let listed = state.request(what, out, self.buffer.list_ops())?;
        let (keys, ttl_ops) = self.buffer.listed(listed)?;
        if keys.is_empty() {
            return Ok(());
        }
        let ttls = state.request(what, out, ttl_ops)?;
        let (checks, ops) = self.buffer.aged_ops(&keys, ttls, self.orphan_after)?;
        if ops.is_empty() {
            return Ok(());
        }
        let replies = state.request(what, out, ops)?;
        let waited = humantime(self.orphan_after);
        let mut reports: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for aged in self.buffer.aged(checks, replies)? {
            match aged {
                Aged::Details {
                    order_id,
                    members,
                    reported,
                } => {
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
                            &format!("orphan detail {detail_id}: its order {order_id} has not arrived {waited} after it"),
                            &self.buffer.detail_key(&order_id),
                            &format!("orphan:detail:{detail_id}"),
                        );
                        self.counts.orphan_details += 1;
                        reports.entry(order_id.clone()).or_default().push(detail_id);
                    }
                }
                Aged::Order {
                    order_id,
                    row,
                    units,
                    reported,
                } => {
                    let Some(stored) = row else { continue };
                    let Some(order) = serde_json::from_str::<Map<String, Value>>(&stored)
                        .ok()
                        .and_then(|row| OrderRow::parse(row, &self.tz).ok())
                    else {
                        continue;
                    };
                    if units >= order.original_units() || reported {
                        continue;
                    }
                    write_orphan(
                        out,
                        &stored,
                        &format!(
                            "orphan order {order_id}: its details add up to {} of original_total_amount {} {waited} after it arrived",
                            cents_at_least(Decimal::new(units, UNIT_PLACES)),
                            order.amounts.original_total
                        ),
                        &self.buffer.order_key(&order_id),
                        &format!("orphan:order:{order_id}"),
                    );
                    self.counts.orphan_orders += 1;
                    reports.entry(order_id).or_default().push(ORDER_MARK.into());
                }
            }
        }
        for (order_id, members) in reports {
            for op in self.buffer.reported_ops(&order_id, members) {
                state.after_durable(op, None);
            }
        }
        Ok(())
    }
}

/// An orphan report on the dirty stream: the shape of a dirty record, its
/// source the key it waits under, keyed (document id) by what it reports.
pub(super) fn write_orphan(out: &mut OutBuf, raw: &str, reason: &str, key: &str, id: &str) {
    out.push(DIRTY, Some(id.as_bytes()), |o| {
        write_dirty(o, raw.as_bytes(), reason, &format!("state:{key}"))
    });
}

/// A stored value that cannot be read is reported like an orphan, never dropped.
pub(super) fn write_report(out: &mut OutBuf, raw: &str, reason: &str, key: &str) {
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

/// A duration as `--orphan-after` takes it: "1h", "90s".
pub(super) fn humantime(d: Duration) -> String {
    format!(
        "{:#}",
        jiff::SignedDuration::try_from(d).unwrap_or_default()
    )
}
