//! `order_info` and `order_detail` rows as `order-wide` reads them from the
//! DWD topics (SPEC §4.6): the fields the join and the apportioning need,
//! checked, next to the row itself.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::apportion::{OrderAmounts, Split};
use crate::enrich::text;

/// Decimal places of the integer units running sums are kept in: a line
/// (`price × quantity`) with more places cannot be summed exactly.
pub const UNIT_PLACES: u32 = 4;

/// An exact decimal from a JSON string (`"12.30"`, as Canal and Debezium
/// give DECIMAL columns) or number (Maxwell); `None` when absent or null.
pub fn decimal(row: &Map<String, Value>, field: &str) -> Result<Option<Decimal>, String> {
    let parsed = match row.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => parse_decimal(s.trim()),
        Some(Value::Number(n)) => parse_decimal(&n.to_string()),
        Some(other) => return Err(format!("`{field}` is not a number: {other}")),
    };
    parsed
        .map(Some)
        .ok_or_else(|| format!("`{field}` is not a decimal number: {}", row[field]))
}

fn parse_decimal(s: &str) -> Option<Decimal> {
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .ok()
}

fn required(row: &Map<String, Value>, field: &str) -> Result<Decimal, String> {
    decimal(row, field)?.ok_or_else(|| format!("`{field}` is missing"))
}

fn id(row: &Map<String, Value>, field: &str) -> Result<String, String> {
    text(row.get(field)).ok_or_else(|| format!("`{field}` is missing"))
}

/// `amount` in units of 10^-UNIT_PLACES, if exact and within i64.
pub fn units(amount: Decimal) -> Option<i64> {
    let scaled = amount.checked_mul(Decimal::from(10i64.pow(UNIT_PLACES)))?;
    if !scaled.fract().is_zero() {
        return None;
    }
    i64::try_from(scaled).ok()
}

/// An order's business date and hour, from its `create_time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderTime {
    pub dt: jiff::civil::Date,
    pub hour: i8,
    /// The instant, epoch ms (the wall clock read in `tz`), for the
    /// plausibility check ([`crate::model::event_time`]).
    pub at_ms: i64,
}

/// `create_time` as MySQL gives it (`2020-06-14 10:23:45`, local time of the
/// business), ISO 8601 with `T`, or epoch milliseconds (read in `tz`).
pub fn order_time(v: Option<&Value>, tz: &jiff::tz::TimeZone) -> Result<OrderTime, String> {
    let at: jiff::civil::DateTime = match v {
        Some(Value::String(s)) => {
            let s = s.trim();
            let iso = s.replacen(' ', "T", 1);
            jiff::civil::DateTime::from_str(&iso)
                .or_else(|_| {
                    jiff::civil::Date::from_str(s)
                        .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
                })
                // An instant with a zone (`…Z`, `+08:00`): its wall clock in `tz`.
                .or_else(|_| {
                    jiff::Timestamp::from_str(&iso).map(|t| t.to_zoned(tz.clone()).datetime())
                })
                .map_err(|_| {
                    format!(
                        "`create_time` {s:?} is not a date and time (expected yyyy-MM-dd HH:mm:ss, ISO 8601, or epoch milliseconds)"
                    )
                })?
        }
        Some(Value::Number(n)) => {
            let ms = n
                .as_i64()
                .ok_or_else(|| format!("`create_time` {n} is not epoch milliseconds"))?;
            jiff::Timestamp::from_millisecond(ms)
                .map_err(|_| format!("`create_time` {ms} is outside the calendar"))?
                .to_zoned(tz.clone())
                .datetime()
        }
        None | Some(Value::Null) => return Err("`create_time` is missing".into()),
        Some(other) => return Err(format!("`create_time` is not a time: {other}")),
    };
    let at_ms = at
        .to_zoned(tz.clone())
        .map_or(0, |z| z.timestamp().as_millisecond());
    Ok(OrderTime {
        dt: at.date(),
        hour: at.hour(),
        at_ms,
    })
}

/// An `order_info` row.
#[derive(Debug, Clone)]
pub struct OrderRow {
    pub id: String,
    pub amounts: OrderAmounts,
    pub time: OrderTime,
    pub row: Map<String, Value>,
}

impl OrderRow {
    pub fn parse(row: Map<String, Value>, tz: &jiff::tz::TimeZone) -> Result<OrderRow, String> {
        let zero = |f: &str| decimal(&row, f).map(|d| d.unwrap_or(Decimal::ZERO));
        let amounts = OrderAmounts {
            original_total: required(&row, "original_total_amount")?,
            total: required(&row, "total_amount")?,
            activity_reduce: zero("activity_reduce_amount")?,
            coupon_reduce: zero("coupon_reduce_amount")?,
        };
        if amounts.original_total.is_sign_negative() {
            return Err("`original_total_amount` is negative".into());
        }
        if units(amounts.original_total).is_none() {
            return Err(format!(
                "`original_total_amount` {} has more than {UNIT_PLACES} decimal places",
                amounts.original_total
            ));
        }
        Ok(OrderRow {
            id: id(&row, "id")?,
            amounts,
            time: order_time(row.get("create_time"), tz)?,
            row,
        })
    }

    /// Σ lines that make the order complete, in units.
    pub fn original_units(&self) -> i64 {
        units(self.amounts.original_total).unwrap_or(i64::MAX)
    }
}

/// An `order_detail` row.
#[derive(Debug, Clone)]
pub struct DetailRow {
    pub id: String,
    pub order_id: String,
    /// `sku_price × sku_num` (gmall's column is `order_price`).
    pub line: Decimal,
    pub line_units: i64,
    /// Split amounts the row already carries (newer gmall schemas).
    pub carried: Option<Split>,
    pub row: Map<String, Value>,
}

impl DetailRow {
    pub fn parse(row: Map<String, Value>) -> Result<DetailRow, String> {
        let price = match decimal(&row, "sku_price")? {
            Some(p) => p,
            None => decimal(&row, "order_price")?
                .ok_or("`sku_price` (or gmall's `order_price`) is missing")?,
        };
        let num = required(&row, "sku_num")?;
        let line = price * num;
        if line.is_sign_negative() {
            return Err(format!("sku_price × sku_num = {line} is negative"));
        }
        let line_units = units(line).ok_or_else(|| {
            format!("sku_price × sku_num = {line} has more than {UNIT_PLACES} decimal places")
        })?;
        let carried = match decimal(&row, "split_total_amount")? {
            Some(total) => Some(Split {
                total,
                activity: decimal(&row, "split_activity_amount")?.unwrap_or(Decimal::ZERO),
                coupon: decimal(&row, "split_coupon_amount")?.unwrap_or(Decimal::ZERO),
            }),
            None => None,
        };
        Ok(DetailRow {
            id: id(&row, "id")?,
            order_id: id(&row, "order_id")?,
            line,
            line_units,
            carried,
            row,
        })
    }
}

/// Which of the two inputs a row belongs to, when its topic does not say:
/// details name their order, orders have order-level amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Order,
    Detail,
}

pub fn guess_kind(row: &Map<String, Value>) -> Option<RowKind> {
    if row.contains_key("order_id") {
        Some(RowKind::Detail)
    } else if row.contains_key("original_total_amount") || row.contains_key("order_status") {
        Some(RowKind::Order)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn decimals_are_read_exactly_from_strings_and_numbers() {
        let r = map(json!({"a": "12.30", "b": 0.1, "c": null, "d": "x", "e": 3}));
        assert_eq!(decimal(&r, "a").unwrap(), Some(Decimal::new(1230, 2)));
        assert_eq!(decimal(&r, "b").unwrap(), Some(Decimal::new(1, 1)));
        assert_eq!(decimal(&r, "c").unwrap(), None);
        assert_eq!(decimal(&r, "missing").unwrap(), None);
        assert!(decimal(&r, "d").is_err());
        assert_eq!(decimal(&r, "e").unwrap(), Some(Decimal::from(3)));
    }

    #[test]
    fn units_refuse_what_they_cannot_hold_exactly() {
        assert_eq!(units(Decimal::new(1234, 2)), Some(123_400));
        assert_eq!(units(Decimal::new(1, 5)), None);
    }

    #[test]
    fn order_time_reads_mysql_iso_and_epoch_forms() {
        let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let want = OrderTime {
            dt: "2020-06-14".parse().unwrap(),
            hour: 10,
            at_ms: 1_592_101_425_000,
        };
        assert_eq!(
            order_time(Some(&json!("2020-06-14 10:23:45")), &tz),
            Ok(want)
        );
        assert_eq!(
            order_time(Some(&json!("2020-06-14T10:23:45")), &tz),
            Ok(want)
        );
        // 2020-06-14 10:23:45 +08:00
        assert_eq!(
            order_time(Some(&json!(1_592_101_425_000i64)), &tz),
            Ok(want)
        );
        assert!(order_time(Some(&json!("yesterday")), &tz).is_err());
        assert!(order_time(None, &tz).is_err());
    }

    #[test]
    fn a_detail_reads_gmall_order_price_and_carried_splits() {
        let d = DetailRow::parse(map(
            json!({"id": 7, "order_id": "3", "order_price": "10.50", "sku_num": 3}),
        ))
        .unwrap();
        assert_eq!((d.id.as_str(), d.order_id.as_str()), ("7", "3"));
        assert_eq!(d.line, Decimal::new(3150, 2));
        assert_eq!(d.carried, None);
        let d = DetailRow::parse(map(
            json!({"id": 8, "order_id": 3, "sku_price": 2, "sku_num": 1,
            "split_total_amount": "1.50"}),
        ))
        .unwrap();
        assert_eq!(d.carried.map(|s| s.total), Some(Decimal::new(150, 2)));
        let e = DetailRow::parse(map(json!({"id": 9, "order_id": 3, "sku_num": 1}))).unwrap_err();
        assert!(e.contains("sku_price"), "{e}");
    }
}
