//! Step 3: one wide record per joined detail (SPEC §4.6): the detail's row,
//! its order's fields, the user, province and sku dimensions, and its shares
//! of the order's amounts ([`crate::model::apportion`]), in yuan with two places.

use anyhow::{Context, Result};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{OrderWide, Output, TOPIC};
use crate::enrich::{add_province, add_user, DimRows, Wanted};
use crate::model::apportion::{self, Split};
use crate::model::order::{DetailRow, OrderRow, UNIT_PLACES};
use crate::record::OutBuf;

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

/// An amount in yuan as text with two places ("12.30"): exact, never a float.
fn money(d: Decimal) -> Value {
    Value::String(format!("{:.2}", d))
}

impl OrderWide {
    /// Appends the wide record of `detail` at `place` (units before it in
    /// its order's running sum). Returns the index it went to, when it went
    /// to one (`gmall_order_wide_{dt}`, the order's business date).
    pub(super) fn emit_wide(
        &mut self,
        order: &OrderRow,
        detail: DetailRow,
        place: i64,
        (user, province, sku): (Option<Wanted>, Option<Wanted>, Option<Wanted>),
        dims: &DimRows,
        out: &mut OutBuf,
    ) -> Result<Option<String>> {
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
        let mut index = None;
        if self.output == Output::Documents {
            let name = self.days.name(dt);
            let stream = self.days.stream(dt, out);
            out.push(stream, Some(detail.id.as_bytes()), |o| {
                o.extend_from_slice(&value)
            });
            index = Some(name);
        }
        if self.output == Output::Topic || self.also_topic {
            out.push(TOPIC, Some(order.id.as_bytes()), |o| {
                o.extend_from_slice(&value)
            });
        }
        self.counts.wide += 1;
        Ok(index)
    }
}
