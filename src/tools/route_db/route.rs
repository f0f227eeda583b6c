//! One CDC record routed (SPEC §3.3, §4.2): its fact rows for the
//! `DWD_{TABLE}_{I|U|D}` topics and its dimension rows, all or none.

use serde_json::Value;

use crate::dims::{self, Names, TableLists};
use crate::model::cdc::{self, Change, Format, Record};
use crate::model::event_time::Plausible;
use crate::record::InRecord;
use crate::state::Op;

/// One fact row for a `DWD_{TABLE}_{OP}` topic.
pub(super) struct Fact {
    pub table: String,
    pub op: &'static str,
    pub key: String,
    pub value: Vec<u8>,
}

/// What one record becomes; computed on every core, assembled in order.
pub(super) enum Routed {
    Dirty(String),
    Control,
    Ddl,
    Tombstone,
    /// A listed table's TRUNCATE, with its encoded version.
    Truncate {
        table: String,
        version: String,
    },
    Rows {
        facts: Vec<Fact>,
        dims: Vec<Op>,
        unlisted: u64,
    },
}

/// Routes one record's changes, all or none: a record with one bad row goes
/// whole to the dirty stream, so replaying it later repeats nothing.
pub(super) fn route_record(
    rec: &InRecord,
    lists: &TableLists,
    names: &Names,
    format: Option<Format>,
    tz: &jiff::tz::TimeZone,
    plausible: &Plausible,
) -> Routed {
    if let Some(len) = rec.truncated_from {
        return Routed::Dirty(format!(
            "record is {len} bytes, longer than --max-line-bytes"
        ));
    }
    let changes = match cdc::parse(&rec.payload, format, tz) {
        Ok(Record::Changes(c)) => c,
        Ok(Record::Control(_)) => return Routed::Control,
        Ok(Record::Ddl) => return Routed::Ddl,
        Ok(Record::Tombstone) => return Routed::Tombstone,
        Ok(Record::Truncate { table, version }) => {
            return Routed::Truncate {
                table: dims::normalise(&table),
                version: version.encode(),
            }
        }
        Err(e) => return Routed::Dirty(e.to_string()),
    };
    let many = changes.len() > 1;
    let (mut facts, mut dims, mut unlisted) = (Vec::new(), Vec::new(), 0);
    for (i, change) in changes.into_iter().enumerate() {
        let table = dims::normalise(&change.table);
        let (is_fact, is_dim) = (lists.facts.contains(&table), lists.dims.contains(&table));
        if !is_fact && !is_dim {
            unlisted += 1;
            continue;
        }
        let row = |e: String| {
            Routed::Dirty(if many {
                format!("row {i} of table {}: {e}", change.table)
            } else {
                format!("table {}: {e}", change.table)
            })
        };
        // The change's time is its version (SPEC §3.3, §5): one from the
        // future would outrank every later change of its row, for good.
        if let Err(e) = plausible.check(change.ts_ms) {
            return row(format!("change time: {e}"));
        }
        if is_dim {
            match dims::put_op(names, &change) {
                Ok(op) => dims.push(op),
                Err(e) => return row(e),
            }
        }
        if is_fact {
            let op = change.op.letter();
            match fact_value(change) {
                Ok((key, value)) => facts.push(Fact {
                    table,
                    op,
                    key,
                    value,
                }),
                Err(e) => return Routed::Dirty(e),
            }
        }
    }
    Routed::Rows {
        facts,
        dims,
        unlisted,
    }
}

/// A fact row's Kafka key (the primary key) and value (`data` + `op`, `ts_ms`).
fn fact_value(change: Change) -> Result<(String, Vec<u8>), String> {
    let key = dims::primary_key(&change.data, &change.pk)
        .map_err(|e| format!("table {}: {e}", change.table))?;
    let mut row = change.data;
    row.insert("op".into(), Value::from(change.op.letter()));
    row.insert("ts_ms".into(), Value::from(change.ts_ms));
    let value = serde_json::to_vec(&row).map_err(|e| format!("encoding the row: {e}"))?;
    Ok((key, value))
}
