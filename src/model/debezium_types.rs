//! Debezium's MySQL value encodings at the connector's defaults
//! (<https://debezium.io/documentation/reference/stable/connectors/mysql.html#mysql-data-types>),
//! decoded to the values Maxwell and Canal carry for the same column, so that
//! the three dialects route to the same rows (SPEC §3.3):
//!
//! | Debezium semantic type | encoded as | becomes |
//! |---|---|---|
//! | `org.apache.kafka.connect.data.Decimal` (`decimal.handling.mode=precise`) | base64 of the big-endian two's-complement unscaled integer; `scale` in the schema | a JSON number with exactly `scale` places (`30.30`) |
//! | `io.debezium.data.VariableScaleDecimal` | `{"scale": s, "value": base64}` | the same |
//! | `io.debezium.time.Date` | days since 1970-01-01 | `"1990-05-01"` |
//! | `io.debezium.time.Time` / `MicroTime` / `NanoTime` | ms / µs / ns since midnight | `"20:00:00"` (fraction when not zero) |
//! | `io.debezium.time.Timestamp` / `MicroTimestamp` / `NanoTimestamp` (DATETIME) | ms / µs / ns of the wall-clock value read as UTC | `"2026-11-22 20:00:00"` (the wall clock it was) |
//! | `io.debezium.time.ZonedTimestamp` (TIMESTAMP) | ISO 8601 instant (`…Z`) | `"2026-11-22 20:00:00"` in `--tz` |
//! | `io.debezium.time.Year` | a number | the number |
//! | `io.debezium.data.Bits` | base64, little-endian | the unsigned number |
//! | `io.debezium.data.Json`, `Enum`, `EnumSet` | a string | the string |
//!
//! `decimal.handling.mode=string` and `double` carry no semantic type: their
//! strings and numbers are kept as they are.
//!
//! Without the schema (the JSON converter with `schemas.enable=false`) the
//! type is unknown, so the columns the tools read are decoded by name
//! ([`by_column_name`]); every other column is kept as it came.

use std::collections::HashMap;

use base64::Engine;
use serde_json::{Map, Number, Value};

/// A column's Debezium semantic type and its scale (decimals).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnType {
    pub name: String,
    pub scale: Option<u32>,
}

/// The semantic types of the row columns, read from the JSON converter's
/// schema (`schema.fields[field=after|before].fields[]`).
pub fn column_types(schema: &Value) -> HashMap<String, ColumnType> {
    let mut out = HashMap::new();
    let Some(fields) = schema.get("fields").and_then(Value::as_array) else {
        return out;
    };
    for row in fields.iter().filter(|f| {
        matches!(
            f.get("field").and_then(Value::as_str),
            Some("after" | "before")
        )
    }) {
        for col in row
            .get("fields")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(field), Some(name)) = (
                col.get("field").and_then(Value::as_str),
                col.get("name").and_then(Value::as_str),
            ) else {
                continue;
            };
            let scale = col
                .get("parameters")
                .and_then(|p| p.get("scale"))
                .and_then(|s| match s {
                    Value::String(s) => s.parse().ok(),
                    other => other.as_u64().and_then(|n| u32::try_from(n).ok()),
                });
            out.insert(
                field.to_string(),
                ColumnType {
                    name: name.to_string(),
                    scale,
                },
            );
        }
    }
    out
}

/// Decodes every column of `row` that has a semantic type. The error names
/// the column and the type it should have had.
pub fn decode_row(
    row: &mut Map<String, Value>,
    types: &HashMap<String, ColumnType>,
    tz: &jiff::tz::TimeZone,
) -> Result<(), String> {
    for (column, value) in row.iter_mut() {
        if value.is_null() {
            continue;
        }
        if let Some(t) = types.get(column) {
            *value = decode(value, t, tz)
                .ok_or_else(|| format!("column `{column}` is not a valid {}: {value}", t.name))?;
        }
    }
    Ok(())
}

/// The gmall columns the tools read, decoded by name when no schema came
/// with the record: `*_time` integers are `Timestamp` (ms), `*_time`
/// strings with a zone (`…Z`) are `ZonedTimestamp` (shown in `tz`), `birthday` and
/// `*_date` integers are `Date` (days), and an amount column (`*_amount`,
/// `*_price`, `price`, `feight_fee`, `weight`) whose string is not a decimal number is
/// `Decimal` in base64 with gmall's scale of 2 (`DECIMAL(16,2)`). A decimal
/// string (`decimal.handling.mode=string`) stays a string. The error names
/// the column and the type expected.
pub fn by_column_name(row: &mut Map<String, Value>, tz: &jiff::tz::TimeZone) -> Result<(), String> {
    for (column, value) in row.iter_mut() {
        let kind = if column.ends_with("_time") && value.is_number() {
            Some(("io.debezium.time.Timestamp", None))
        } else if column.ends_with("_time")
            && value
                .as_str()
                .is_some_and(|s| s.parse::<jiff::Timestamp>().is_ok())
        {
            Some(("io.debezium.time.ZonedTimestamp", None))
        } else if (column == "birthday" || column.ends_with("_date")) && value.is_number() {
            Some(("io.debezium.time.Date", None))
        } else if is_amount(column)
            && value
                .as_str()
                .is_some_and(|s| s.parse::<rust_decimal::Decimal>().is_err())
        {
            Some(("org.apache.kafka.connect.data.Decimal", Some(2)))
        } else {
            None
        };
        if let Some((name, scale)) = kind {
            let t = ColumnType {
                name: name.to_string(),
                scale,
            };
            *value = decode(value, &t, tz).ok_or_else(|| {
                format!(
                    "column `{column}` without a schema is read as {name}{}: {value} is not one",
                    scale.map_or(String::new(), |s| format!(" (scale {s})"))
                )
            })?;
        }
    }
    Ok(())
}

/// gmall's DECIMAL(·,2) columns.
fn is_amount(column: &str) -> bool {
    column.ends_with("_amount")
        || column.ends_with("_price")
        || matches!(column, "price" | "feight_fee" | "weight")
}

fn decode(value: &Value, t: &ColumnType, tz: &jiff::tz::TimeZone) -> Option<Value> {
    let int = || value.as_i64();
    match t.name.as_str() {
        "org.apache.kafka.connect.data.Decimal" => match value {
            Value::String(b64) => decimal(&unscaled(b64)?, t.scale?),
            // `double` or `string` handling sent without the semantic type's bytes.
            other => Some(other.clone()),
        },
        "io.debezium.data.VariableScaleDecimal" => {
            let scale = u32::try_from(value.get("scale")?.as_u64()?).ok()?;
            decimal(&unscaled(value.get("value")?.as_str()?)?, scale)
        }
        "io.debezium.time.Date" => Some(Value::String(epoch_day(int()?)?.to_string())),
        "io.debezium.time.Time" => time_of_day(int()?, 1_000),
        "io.debezium.time.MicroTime" => time_of_day(int()?, 1_000_000),
        "io.debezium.time.NanoTime" => time_of_day(int()?, 1_000_000_000),
        "io.debezium.time.Timestamp" => wall_clock(int()?, 1_000),
        "io.debezium.time.MicroTimestamp" => wall_clock(int()?, 1_000_000),
        "io.debezium.time.NanoTimestamp" => wall_clock(int()?, 1_000_000_000),
        "io.debezium.time.ZonedTimestamp" => {
            let at: jiff::Timestamp = value.as_str()?.parse().ok()?;
            Some(Value::String(datetime_text(
                at.to_zoned(tz.clone()).datetime(),
            )))
        }
        "io.debezium.data.Bits" => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(value.as_str()?)
                .ok()?;
            if bytes.len() > 8 {
                return None;
            }
            let n = bytes
                .iter()
                .rev()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            Some(Value::from(n))
        }
        // Year, Json, Enum, EnumSet and the rest are already what MySQL had.
        _ => Some(value.clone()),
    }
}

/// The big-endian two's-complement integer in `b64`, as (negative, decimal
/// digits of its magnitude), of any width: MySQL's DECIMAL(65) needs 28 bytes.
fn unscaled(b64: &str) -> Option<(bool, String)> {
    let mut bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    if bytes.is_empty() {
        return None;
    }
    let negative = bytes[0] & 0x80 != 0;
    if negative {
        // The magnitude of a two's-complement value: invert, add one.
        for b in bytes.iter_mut() {
            *b = !*b;
        }
        for b in bytes.iter_mut().rev() {
            let (sum, carry) = b.overflowing_add(1);
            *b = sum;
            if !carry {
                break;
            }
        }
    }
    Some((negative, decimal_digits(bytes)))
}

/// The decimal digits of a big-endian unsigned integer (schoolbook
/// division by 10^9).
fn decimal_digits(mut bytes: Vec<u8>) -> String {
    let mut groups = Vec::new();
    while bytes.iter().any(|&b| b != 0) {
        let mut rem: u64 = 0;
        for b in bytes.iter_mut() {
            let cur = (rem << 8) | u64::from(*b);
            *b = (cur / 1_000_000_000) as u8;
            rem = cur % 1_000_000_000;
        }
        groups.push(rem);
    }
    let Some((top, rest)) = groups.split_last() else {
        return "0".into();
    };
    let mut out = top.to_string();
    for g in rest.iter().rev() {
        out.push_str(&format!("{g:09}"));
    }
    out
}

/// `unscaled × 10^-scale` as a JSON number with exactly `scale` places.
fn decimal((negative, digits): &(bool, String), scale: u32) -> Option<Value> {
    let scale = scale as usize;
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    let sign = if *negative && digits.bytes().any(|d| d != b'0') {
        "-"
    } else {
        ""
    };
    let text = if scale == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    };
    serde_json::from_str::<Number>(&text)
        .ok()
        .map(Value::Number)
}

/// MySQL TIME text: a duration of -838:59:59 to 838:59:59, not only a
/// time of day (MySQL manual, "The TIME Type").
fn time_of_day(units: i64, per_second: i64) -> Option<Value> {
    const LIMIT_SECS: i64 = 838 * 3600 + 59 * 60 + 59;
    let magnitude = units.checked_abs()?;
    let secs = magnitude / per_second;
    let frac = magnitude % per_second;
    if secs > LIMIT_SECS {
        return None;
    }
    let sign = if units < 0 { "-" } else { "" };
    let mut text = format!(
        "{sign}{:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    if frac != 0 {
        let width = per_second.ilog10() as usize;
        text.push_str(&format!(".{frac:0width$}"));
    }
    Some(Value::String(text))
}

/// The day `days` after 1970-01-01; `None` outside the calendar.
fn epoch_day(days: i64) -> Option<jiff::civil::Date> {
    let span = jiff::Span::new().try_days(days).ok()?;
    jiff::civil::date(1970, 1, 1).checked_add(span).ok()
}

/// `units` (1/`per_second` s) of a wall-clock value encoded as if it were
/// UTC, as that wall clock (`yyyy-MM-dd HH:mm:ss[.fff]`): no zone is
/// applied. Civil arithmetic, so 9999-12-31 23:59:59 ("never") is in range.
fn wall_clock(units: i64, per_second: i64) -> Option<Value> {
    let per_day = 86_400 * per_second;
    let day = epoch_day(units.div_euclid(per_day))?;
    let in_day = units.rem_euclid(per_day);
    let secs = in_day / per_second;
    let nanos = (in_day % per_second) * (1_000_000_000 / per_second);
    let time = jiff::civil::Time::new(
        (secs / 3600) as i8,
        (secs / 60 % 60) as i8,
        (secs % 60) as i8,
        nanos as i32,
    )
    .ok()?;
    Some(Value::String(datetime_text(day.to_datetime(time))))
}

/// MySQL's DATETIME text: `2026-11-22 20:00:00`, with the fraction only
/// when it is not zero (milliseconds, or finer when needed).
fn datetime_text(dt: jiff::civil::DateTime) -> String {
    let base = dt.strftime("%Y-%m-%d %H:%M:%S").to_string();
    let nanos = dt.subsec_nanosecond();
    if nanos == 0 {
        base
    } else if nanos % 1_000_000 == 0 {
        format!("{base}.{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        format!("{base}.{:06}", nanos / 1_000)
    } else {
        format!("{base}.{nanos:09}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(name: &str, scale: Option<u32>) -> ColumnType {
        ColumnType {
            name: name.into(),
            scale,
        }
    }

    fn dec(v: Value, ty: &ColumnType) -> String {
        decode(&v, ty, &jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
            .unwrap()
            .to_string()
    }

    #[test]
    fn decimals_keep_their_scale_exactly() {
        let d2 = t("org.apache.kafka.connect.data.Decimal", Some(2));
        assert_eq!(dec(json!("C9Y="), &d2), "30.30");
        assert_eq!(dec(json!("AA=="), &d2), "0.00");
        assert_eq!(dec(json!("/xo="), &d2), "-2.30", "two's complement");
        // 99999999999999.99 = 0x2386F26FC0FFFF
        assert_eq!(dec(json!("I4byb8D//w=="), &d2), "99999999999999.99");
        // DECIMAL(65,30), wider than any machine integer: 10^64 - 1.
        let nines = "9".repeat(65);
        let bytes = {
            // Big-endian bytes of 10^65 - 1, by long division of its digits by 256.
            let mut digits: Vec<u32> = nines.bytes().map(|b| u32::from(b - b'0')).collect();
            let mut out = Vec::new();
            while digits.iter().any(|&d| d != 0) {
                let mut rem = 0u32;
                for d in digits.iter_mut() {
                    let cur = rem * 10 + *d;
                    *d = cur / 256;
                    rem = cur % 256;
                }
                out.push(rem as u8);
            }
            out.push(0);
            out.reverse();
            out
        };
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        let d30 = t("org.apache.kafka.connect.data.Decimal", Some(30));
        assert_eq!(
            dec(json!(b64), &d30),
            format!("{}.{}", &nines[..35], &nines[35..])
        );
        let vs = t("io.debezium.data.VariableScaleDecimal", None);
        assert_eq!(dec(json!({"scale": 3, "value": "MDk="}), &vs), "12.345");
        let bad = decode(&json!("30.30!"), &d2, &jiff::tz::TimeZone::UTC);
        assert_eq!(bad, None, "not base64: the caller names the column");
    }

    #[test]
    fn temporal_types_become_mysql_text() {
        assert_eq!(
            dec(json!(7425), &t("io.debezium.time.Date", None)),
            "\"1990-05-01\""
        );
        assert_eq!(
            dec(
                json!(1_795_377_600_000i64),
                &t("io.debezium.time.Timestamp", None)
            ),
            "\"2026-11-22 20:00:00\"",
            "the wall clock as it was, no zone applied"
        );
        assert_eq!(
            dec(
                json!(1_795_377_600_123_456i64),
                &t("io.debezium.time.MicroTimestamp", None)
            ),
            "\"2026-11-22 20:00:00.123456\""
        );
        assert_eq!(
            dec(
                json!("2026-11-22T12:00:00Z"),
                &t("io.debezium.time.ZonedTimestamp", None)
            ),
            "\"2026-11-22 20:00:00\"",
            "an instant, shown in --tz"
        );
        assert_eq!(
            dec(json!(72_000_000), &t("io.debezium.time.Time", None)),
            "\"20:00:00\""
        );
        assert_eq!(
            dec(
                json!(72_000_500_000i64),
                &t("io.debezium.time.MicroTime", None)
            ),
            "\"20:00:00.500000\""
        );
        assert_eq!(dec(json!("BQ=="), &t("io.debezium.data.Bits", None)), "5");
        // TIME is a duration in MySQL: -838:59:59 to 838:59:59.
        let micro = t("io.debezium.time.MicroTime", None);
        assert_eq!(dec(json!(-3_600_000_000i64), &micro), "\"-01:00:00\"");
        assert_eq!(dec(json!(360_000_000_000i64), &micro), "\"100:00:00\"");
        // "Never": 9999-12-31 23:59:59.
        let ts = t("io.debezium.time.Timestamp", None);
        assert_eq!(
            dec(json!(253_402_300_799_000i64), &ts),
            "\"9999-12-31 23:59:59\""
        );
        let date = t("io.debezium.time.Date", None);
        let utc = jiff::tz::TimeZone::UTC;
        assert_eq!(
            decode(&json!(99_999_999), &date, &utc),
            None,
            "outside the calendar"
        );
        assert_eq!(dec(json!(2026), &t("io.debezium.time.Year", None)), "2026");
    }

    #[test]
    fn without_a_schema_the_read_columns_decode_by_name() {
        let mut row = json!({"create_time": 1_795_377_600_000i64, "birthday": 7425,
            "operate_time": "2026-11-22T18:30:00Z",
            "total_amount": "C9Y=", "order_price": "30.30", "sku_num": 2, "name": "C9Y="})
        .as_object()
        .cloned()
        .unwrap();
        by_column_name(&mut row, &jiff::tz::TimeZone::get("Asia/Shanghai").unwrap()).unwrap();
        assert_eq!(
            Value::Object(row),
            json!({"create_time": "2026-11-22 20:00:00", "birthday": "1990-05-01",
                "operate_time": "2026-11-23 02:30:00",
                "total_amount": serde_json::from_str::<Value>("30.30").unwrap(),
                "order_price": "30.30", "sku_num": 2, "name": "C9Y="})
        );
        let mut bad = json!({"total_amount": "not base64!"})
            .as_object()
            .cloned()
            .unwrap();
        let e = by_column_name(&mut bad, &jiff::tz::TimeZone::UTC).unwrap_err();
        assert!(
            e.contains("`total_amount`") && e.contains("Decimal (scale 2)"),
            "{e}"
        );
    }
}
