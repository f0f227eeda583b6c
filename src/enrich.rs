//! Enrichment from the dimension store (SPEC §4.4, §4.6): a batch names the
//! dimension rows it needs, reads them all in one round trip, and copies
//! their fields into its records under the names the SPEC gives.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::dims::Names;
use crate::state::{Op, Reply};

/// Warns, at the end of bounded input, when `missing` of `of` records named
/// a `table` row the dimension store lacks: their enriched fields are empty,
/// which a dashboard shows as a hole, not as an error. The fix is to load
/// the dimension before the facts.
pub fn warn_missing(tool: &str, table: &str, missing: u64, of: u64, store: &str) {
    if missing == 0 {
        return;
    }
    tracing::warn!(
        tool,
        table,
        missing,
        of,
        "{missing} of {of} records named a {table} row that {store} lacks, so their {table} fields are empty; if the dimension was never loaded, load it first (`rtdw route-db tables add --dim {table}` and route its CDC records, or `rtdw bootstrap-dims --table {table}`) and run again (rows deleted upstream stay missing)"
    );
}

/// A JSON value as text, for ids: strings as they are, numbers printed.
pub fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Whole years from `birthday` (YYYY-MM-DD…) to `dt`.
pub fn age_at(birthday: &str, dt: jiff::civil::Date) -> Option<i64> {
    let b: jiff::civil::Date = birthday.get(..10)?.parse().ok()?;
    let mut age = i64::from(dt.year() - b.year());
    if (dt.month(), dt.day()) < (b.month(), b.day()) {
        age -= 1;
    }
    (age >= 0).then_some(age)
}

/// Which dimension rows a batch needs, each key once.
pub struct DimLookup<'n> {
    names: &'n Names,
    keys: Vec<String>,
    at: HashMap<String, usize>,
}

/// A wanted row: its place in the lookup's answers.
#[derive(Debug, Clone, Copy)]
pub struct Wanted(usize);

/// The rows read, in the order they were wanted.
pub struct DimRows(Vec<Option<Map<String, Value>>>);

impl<'n> DimLookup<'n> {
    pub fn new(names: &'n Names) -> Self {
        DimLookup {
            names,
            keys: Vec::new(),
            at: HashMap::new(),
        }
    }

    /// Wants the row of `table` whose id is the text of `id`, if it has one.
    pub fn want(&mut self, table: &str, id: Option<&Value>) -> Option<Wanted> {
        let key = self.names.row_key(table, &text(id)?);
        let next = self.keys.len();
        let i = *self.at.entry(key.clone()).or_insert(next);
        if i == next {
            self.keys.push(key);
        }
        Some(Wanted(i))
    }

    /// The reads, to send in a batch's pipeline (possibly with other ops).
    pub fn ops(&self) -> impl Iterator<Item = Op> + '_ {
        self.keys.iter().map(|k| Op::Get(k.clone()))
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The rows, from the replies to [`DimLookup::ops`]; an unreadable row counts as missing.
    pub fn rows(replies: impl IntoIterator<Item = Reply>) -> DimRows {
        DimRows(
            replies
                .into_iter()
                .map(|r| match r {
                    Reply::Str(s) => serde_json::from_str(&s).ok(),
                    _ => None,
                })
                .collect(),
        )
    }
}

impl DimRows {
    pub fn get(&self, w: Option<Wanted>) -> Option<&Map<String, Value>> {
        self.0.get(w?.0)?.as_ref()
    }
}

/// `user_gender` and `user_age` (at `dt`) from a `user_info` row; null when missing.
pub fn add_user(
    record: &mut Map<String, Value>,
    user: Option<&Map<String, Value>>,
    dt: jiff::civil::Date,
) {
    record.insert(
        "user_gender".into(),
        user.and_then(|u| u.get("gender"))
            .cloned()
            .unwrap_or(Value::Null),
    );
    let age = user
        .and_then(|u| u.get("birthday")?.as_str())
        .and_then(|b| age_at(b, dt));
    record.insert("user_age".into(), age.map_or(Value::Null, Value::from));
}

/// The SPEC's province fields and the `base_province` columns they come from.
pub const PROVINCE_FIELDS: [(&str, &str); 4] = [
    ("province_name", "name"),
    ("province_iso_code", "iso_code"),
    ("province_3166_2", "iso_3166_2"),
    ("province_area_code", "area_code"),
];

/// The province fields from a `base_province` row; null when missing.
pub fn add_province(record: &mut Map<String, Value>, province: Option<&Map<String, Value>>) {
    for (field, column) in PROVINCE_FIELDS {
        record.insert(
            field.into(),
            province
                .and_then(|p| p.get(column))
                .cloned()
                .unwrap_or(Value::Null),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_counts_whole_years_up_to_the_day() {
        let dt: jiff::civil::Date = "2020-06-14".parse().unwrap();
        assert_eq!(age_at("2000-06-14", dt), Some(20));
        assert_eq!(age_at("2000-06-15", dt), Some(19));
        assert_eq!(age_at("2021-01-01", dt), None);
        assert_eq!(age_at("garbage", dt), None);
    }
}
