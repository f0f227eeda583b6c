//! `report orders`: a day's order lines whose `sku_name` has all the given
//! words, their `split_total_amount` summed per user gender or age band
//! (seed 002's "用户购买明细灵活分析"), and a page of the lines themselves.

use std::path::Path;

use anyhow::{anyhow, Result};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use super::docs::each_document;
use super::hourly::es_money;
use super::words::{matches_all, words};
use crate::es::search::Reader;
use crate::model::order::decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Gender,
    Age,
}

/// Age bands: (label, from inclusive, to exclusive).
const AGE_BANDS: [(&str, Option<i64>, Option<i64>); 3] = [
    ("<20", None, Some(20)),
    ("20-29", Some(20), Some(30)),
    (">=30", Some(30), None),
];
/// Lines whose user has no gender or age.
pub const UNKNOWN: &str = "unknown";
/// The fields a detail row shows.
pub const DETAIL_FIELDS: [&str; 8] = [
    "detail_id",
    "order_id",
    "create_time",
    "sku_name",
    "sku_num",
    "user_gender",
    "user_age",
    "split_total_amount",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    pub lines: u64,
    pub amount: Decimal,
}

/// One page of matching lines, ordered by `detail_id` as a number (ids that
/// are no number after those, by text).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub page: u64,
    pub size: u64,
    pub rows: Vec<Map<String, Value>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Orders {
    pub groups: Vec<Group>,
    pub lines: u64,
    pub amount: Decimal,
    pub details: Option<Page>,
    pub note: Option<String>,
}

/// What to read: the words, the grouping, and which page of lines (if any).
pub struct Query<'a> {
    pub item: &'a str,
    pub by: By,
    /// (page from 1, size)
    pub page: Option<(u64, u64)>,
}

fn age_band(age: i64) -> &'static str {
    AGE_BANDS
        .iter()
        .find(|(_, from, to)| from.is_none_or(|f| age >= f) && to.is_none_or(|t| age < t))
        .map_or(UNKNOWN, |b| b.0)
}

/// Adds the `unknown` group (what no group holds) and fixes the order:
/// genders by name, age bands young to old.
fn finish(mut groups: Vec<Group>, lines: u64, amount: Decimal, by: By) -> Vec<Group> {
    if by == By::Gender {
        groups.sort_by(|a, b| a.key.cmp(&b.key));
    }
    let (l, a) = groups
        .iter()
        .fold((0, Decimal::ZERO), |(l, a), g| (l + g.lines, a + g.amount));
    if lines > l {
        groups.push(Group {
            key: UNKNOWN.into(),
            lines: lines - l,
            amount: amount - a,
        });
    }
    groups
}

/// From Elasticsearch: one search, `match` with `operator: and`, a `terms`
/// (gender) or `range` (age) aggregation with a sum each, the whole sum,
/// and the page of hits.
pub fn from_es(reader: &Reader<'_>, index: &str, q: &Query<'_>) -> Result<Orders> {
    let sum = json!({"sum": {"field": "split_total_amount"}});
    let by = match q.by {
        By::Gender => json!({"terms": {"field": "user_gender", "size": 10}, "aggs": {"sum": sum}}),
        By::Age => {
            let ranges: Vec<Value> = AGE_BANDS
                .iter()
                .map(|(key, from, to)| {
                    let mut r = json!({"key": key});
                    if let Some(f) = from {
                        r["from"] = json!(f);
                    }
                    if let Some(t) = to {
                        r["to"] = json!(t);
                    }
                    r
                })
                .collect();
            json!({"range": {"field": "user_age", "ranges": ranges}, "aggs": {"sum": sum}})
        }
    };
    let (page, size) = q.page.unwrap_or((1, 0));
    let body = json!({
        "query": {"match": {"sku_name": {"query": q.item, "operator": "and"}}},
        "track_total_hits": true,
        "from": (page - 1) * size, "size": size,
        // Numerically by id (`detail_id.num`, a long sub-field; indices
        // made before it existed sort every id as missing, then by text).
        "sort": [
            {"detail_id.num": {"order": "asc", "missing": "_last", "unmapped_type": "long"}},
            {"detail_id": "asc"}
        ],
        "_source": DETAIL_FIELDS,
        "aggs": {"all": sum, "by": by},
    });
    let Some(v) = reader.search("searching order lines", index, body)? else {
        return Ok(Orders {
            groups: finish(Vec::new(), 0, Decimal::ZERO, q.by),
            lines: 0,
            amount: Decimal::ZERO,
            details: q.page.map(|(page, size)| Page {
                page,
                size,
                rows: Vec::new(),
            }),
            note: Some(format!("no index {index}: nothing")),
        });
    };
    let lines = v["hits"]["total"]["value"].as_u64().unwrap_or(0);
    let amount = es_money(&v["aggregations"]["all"]["value"])?;
    let mut groups = Vec::new();
    for b in v["aggregations"]["by"]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
    {
        groups.push(Group {
            key: b["key"]
                .as_str()
                .map_or_else(|| b["key"].to_string(), str::to_string),
            lines: b["doc_count"].as_u64().unwrap_or(0),
            amount: es_money(&b["sum"]["value"])?,
        });
    }
    let rows = v["hits"]["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["_source"].as_object().cloned())
        .collect();
    Ok(Orders {
        groups: finish(groups, lines, amount, q.by),
        lines,
        amount,
        details: q.page.map(|(page, size)| Page { page, size, rows }),
        note: None,
    })
}

/// The same from NDJSON documents of `gmall_order_wide_*` whose `dt` is `date`.
pub fn from_files(paths: &[&Path], date: jiff::civil::Date, q: &Query<'_>) -> Result<Orders> {
    let query = words(q.item);
    let dt = date.to_string();
    let mut matching: Vec<Map<String, Value>> = Vec::new();
    each_document(
        paths,
        crate::tools::order_wide::INDEX_PREFIX,
        &["sku_name", "split_total_amount", "dt"],
        |doc, _| {
            let name = doc.get("sku_name").and_then(Value::as_str).unwrap_or("");
            if doc.get("dt").and_then(Value::as_str) == Some(dt.as_str())
                && matches_all(name, &query)
            {
                matching.push(doc);
            }
            Ok(())
        },
    )?;
    let mut groups: Vec<Group> = Vec::new();
    let (mut lines, mut amount) = (0u64, Decimal::ZERO);
    if q.by == By::Age {
        groups = AGE_BANDS
            .iter()
            .map(|b| Group {
                key: b.0.into(),
                lines: 0,
                amount: Decimal::ZERO,
            })
            .collect();
    }
    for doc in &matching {
        let split = decimal(doc, "split_total_amount")
            .map_err(|e| anyhow!("{e}"))?
            .unwrap_or(Decimal::ZERO);
        lines += 1;
        amount += split;
        let key = match q.by {
            By::Gender => doc
                .get("user_gender")
                .and_then(Value::as_str)
                .map(str::to_string),
            By::Age => doc
                .get("user_age")
                .and_then(Value::as_i64)
                .map(|a| age_band(a).to_string()),
        };
        let Some(key) = key.filter(|k| k != UNKNOWN) else {
            continue;
        };
        match groups.iter_mut().find(|g| g.key == key) {
            Some(g) => {
                g.lines += 1;
                g.amount += split;
            }
            None => groups.push(Group {
                key,
                lines: 1,
                amount: split,
            }),
        }
    }
    let details = q.page.map(|(page, size)| {
        matching.sort_by_cached_key(|d| {
            let id = d.get("detail_id").map_or_else(String::new, |v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            // Numbers first, by value; then the rest by text, as ES sorts
            // `detail_id.num` with missing values last, then `detail_id`.
            (id.parse::<u64>().map_or((1, u64::MAX), |n| (0, n)), id)
        });
        let rows = matching
            .iter()
            .skip(((page - 1) * size) as usize)
            .take(size as usize)
            .map(|d| {
                DETAIL_FIELDS
                    .iter()
                    .filter_map(|f| Some((f.to_string(), d.get(*f)?.clone())))
                    .collect()
            })
            .collect();
        Page { page, size, rows }
    });
    Ok(Orders {
        groups: finish(groups, lines, amount, q.by),
        lines,
        amount,
        details,
        note: (lines == 0)
            .then(|| format!("no order lines of {date} match `{}` in the files", q.item)),
    })
}
