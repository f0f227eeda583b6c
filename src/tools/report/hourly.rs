//! Hourly totals of one day (SPEC §4.10): visits from `gmall_dau_info_{dt}`,
//! GMV (Σ `split_total_amount`) from `gmall_order_wide_{dt}`, read from
//! Elasticsearch with one `size: 0` aggregation per day, or from NDJSON
//! documents as the tools write them (`--to -` or `DIR/` files).

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::docs::each_document;
use crate::es::search::Reader;
use crate::model::order::decimal;

/// What a report counts per hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Documents (DAU: one per device and day).
    Documents,
    /// Σ of a money field, exact to the cent.
    Sum(&'static str),
}

/// A day's 24 hourly values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: jiff::civil::Date,
    pub hours: [Decimal; 24],
    /// Why the values may be zeros (a missing index, no documents).
    pub note: Option<String>,
}

impl Day {
    fn empty(date: jiff::civil::Date) -> Day {
        Day {
            date,
            hours: [Decimal::ZERO; 24],
            note: None,
        }
    }

    pub fn total(&self) -> Decimal {
        self.hours.iter().sum()
    }

    fn add(&mut self, hr: &str, value: Decimal) -> Result<()> {
        let h: usize = hr
            .parse()
            .ok()
            .filter(|h| *h < 24)
            .ok_or_else(|| anyhow!("hour `{hr}` is not 00–23"))?;
        self.hours[h] += value;
        Ok(())
    }
}

/// A `sum` aggregation's value as money. ES sums in doubles; cents are
/// exact in a double up to 2^53 of them, so the sum is rounded back to cents.
pub fn es_money(v: &Value) -> Result<Decimal> {
    let sum = v.as_f64().unwrap_or(0.0);
    Ok(Decimal::try_from(sum)
        .map_err(|e| anyhow!("sum {sum}: {e}"))?
        .round_dp(2))
}

/// A day from Elasticsearch: `terms` on `hr` (24 buckets), with a `sum`
/// per bucket for money ([`es_money`]).
pub fn from_es(
    reader: &Reader<'_>,
    index: &str,
    date: jiff::civil::Date,
    measure: Measure,
) -> Result<Day> {
    let mut hr = json!({"terms": {"field": "hr", "size": 24}});
    if let Measure::Sum(field) = measure {
        hr["aggs"] = json!({"sum": {"sum": {"field": field}}});
    }
    let body = json!({"size": 0, "track_total_hits": true, "aggs": {"hr": hr}});
    let mut day = Day::empty(date);
    let Some(v) = reader.search("aggregating by hour", index, body)? else {
        day.note = Some(format!("no index {index}: zeros"));
        return Ok(day);
    };
    let buckets = v["aggregations"]["hr"]["buckets"]
        .as_array()
        .ok_or_else(|| anyhow!("aggregating {index}: no hr buckets in the answer"))?;
    for b in buckets {
        let key = b["key"]
            .as_str()
            .map_or_else(|| b["key"].to_string(), str::to_string);
        let value = match measure {
            Measure::Documents => Decimal::from(b["doc_count"].as_u64().unwrap_or(0)),
            Measure::Sum(_) => es_money(&b["sum"]["value"])
                .with_context(|| format!("aggregating {index}: hour {key}"))?,
        };
        day.add(&key, value)
            .with_context(|| format!("aggregating {index}"))?;
    }
    if buckets.is_empty() {
        day.note = Some(format!("{index} has no documents"));
    }
    Ok(day)
}

/// The days `dates` from NDJSON documents (`{_index,_id,_source}` lines of
/// `--to -`, `{_id,_source}` lines of `DIR/` files, or bare documents) of
/// indices starting with `prefix`, by their `dt`. Lines of other indices
/// are skipped; a line that is not a document is an error naming it.
pub fn from_files(
    paths: &[&Path],
    prefix: &str,
    dates: &[jiff::civil::Date],
    measure: Measure,
) -> Result<Vec<Day>> {
    let mut days: Vec<Day> = dates.iter().map(|d| Day::empty(*d)).collect();
    let wanted: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
    let kind_fields = match measure {
        Measure::Documents => ["mid", "dt", "hr"],
        Measure::Sum(field) => [field, "dt", "hr"],
    };
    each_document(paths, prefix, &kind_fields, |doc, at| {
        let Some(i) = doc
            .get("dt")
            .and_then(Value::as_str)
            .and_then(|dt| wanted.iter().position(|w| w == dt))
        else {
            return Ok(());
        };
        let hr = doc
            .get("hr")
            .and_then(Value::as_str)
            .ok_or_else(|| anyhow!("{at}: no `hr`"))?;
        let value = match measure {
            Measure::Documents => Decimal::ONE,
            Measure::Sum(field) => decimal(&doc, field)
                .map_err(|e| anyhow!("{at}: {e}"))?
                .unwrap_or(Decimal::ZERO),
        };
        days[i].add(hr, value).with_context(|| at.to_string())
    })?;
    for d in &mut days {
        if d.hours.iter().all(|h| h.is_zero()) {
            d.note = Some(format!("no documents of {} in the files", d.date));
        }
    }
    Ok(days)
}
