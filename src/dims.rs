//! The dimension store and the table lists (SPEC §4.2, §4.3): which tables
//! are facts and which are dimensions, and dimension rows under
//! `DIM:{TABLE}:{id}` written with the version rule of [`crate::state::versioned`].
//! `route-db` and `bootstrap-dims` share it, so a backfill writes exactly the
//! keys the stream writes, and neither overwrites a newer change of the other.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::model::cdc::{Change, Op as CdcOp};
use crate::settings::Settings;
use crate::state::retrying::Retrying;
use crate::state::{Op, Reply};

/// Default key names (renamable in `rtdw.toml` `[keys]`).
pub const FACT_TABLES: &str = "FACT:TABLES";
pub const DIM_TABLES: &str = "DIM:TABLES";
pub const DIM_PREFIX: &str = "DIM";
/// `bootstrap-dims` progress hashes: `BOOTSTRAP:{TABLE}` (MySQL), `BOOTSTRAP:FILE:{path}`.
pub const BOOTSTRAP_PREFIX: &str = "BOOTSTRAP";

/// Fact or dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Fact,
    Dim,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Fact => "fact",
            Kind::Dim => "dim",
        }
    }
}

/// The key names in use.
#[derive(Debug, Clone)]
pub struct Names {
    pub fact_tables: String,
    pub dim_tables: String,
    pub dim_prefix: String,
    pub bootstrap_prefix: String,
}

impl Names {
    pub fn new(settings: &Settings) -> Names {
        Names {
            fact_tables: settings.key(FACT_TABLES),
            dim_tables: settings.key(DIM_TABLES),
            dim_prefix: settings.key(DIM_PREFIX),
            bootstrap_prefix: settings.key(BOOTSTRAP_PREFIX),
        }
    }

    pub fn list_key(&self, kind: Kind) -> &str {
        match kind {
            Kind::Fact => &self.fact_tables,
            Kind::Dim => &self.dim_tables,
        }
    }

    /// Where `bootstrap-dims` keeps its resume point for a table or a file.
    pub fn bootstrap_key(&self, what: &str) -> String {
        format!("{}:{what}", self.bootstrap_prefix)
    }

    /// `DIM:{TABLE}:{id}`, the table upper-case.
    pub fn row_key(&self, table: &str, id: &str) -> String {
        format!("{}:{}:{id}", self.dim_prefix, table.to_ascii_uppercase())
    }
}

/// Table names are matched case-insensitively (MySQL's are on most setups);
/// the lists hold them lower-case.
pub fn normalise(table: &str) -> String {
    table.trim().to_ascii_lowercase()
}

/// The fact and dimension lists, as read at the start of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableLists {
    pub facts: BTreeSet<String>,
    pub dims: BTreeSet<String>,
}

impl TableLists {
    /// Reads both lists in one round trip (the `tables` subcommand).
    pub fn read(state: &Retrying, names: &Names) -> anyhow::Result<TableLists> {
        TableLists::from_replies(state.exec(TableLists::ops(names))?)
    }

    /// The reads of both lists: `SMEMBERS` of `FACT:TABLES` and `DIM:TABLES`.
    pub fn ops(names: &Names) -> Vec<Op> {
        vec![
            Op::SMembers(names.fact_tables.clone()),
            Op::SMembers(names.dim_tables.clone()),
        ]
    }

    /// The lists from the replies to [`TableLists::ops`]; a reply that is
    /// not a set is an error ([`crate::state::StateError::UnexpectedReply`]).
    pub fn from_replies(replies: Vec<Reply>) -> anyhow::Result<TableLists> {
        use crate::state::ReplyIter;
        let mut replies = replies.into_iter();
        let mut list = || -> anyhow::Result<BTreeSet<String>> {
            Ok(replies.next_strs()?.iter().map(|t| normalise(t)).collect())
        };
        Ok(TableLists {
            facts: list()?,
            dims: list()?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty() && self.dims.is_empty()
    }
}

/// A row's primary-key text: the one column's value, or the values of a
/// composite key joined by `:`.
pub fn primary_key(data: &Map<String, Value>, pk: &[String]) -> Result<String, String> {
    let mut parts = Vec::with_capacity(pk.len());
    for col in pk {
        match data.get(col) {
            Some(Value::String(s)) => parts.push(s.clone()),
            Some(Value::Number(n)) => parts.push(n.to_string()),
            Some(Value::Bool(b)) => parts.push(b.to_string()),
            Some(Value::Null) | None => {
                return Err(format!("primary key column `{col}` is missing or null"))
            }
            Some(other) => {
                return Err(format!(
                    "primary key column `{col}` is not a scalar: {other}"
                ))
            }
        }
    }
    if parts.is_empty() {
        return Err("no primary key columns".into());
    }
    Ok(parts.join(":"))
}

/// The store write for one dimension change: the row JSON (`data` as it
/// came) under its key, or the key's removal for a delete, with the change's version.
pub fn put_op(names: &Names, change: &Change) -> Result<Op, String> {
    let id = primary_key(&change.data, &change.pk)?;
    let value = match change.op {
        CdcOp::Delete => None,
        CdcOp::Insert | CdcOp::Update => Some(
            serde_json::to_string(&change.data).map_err(|e| format!("encoding the row: {e}"))?,
        ),
    };
    Ok(Op::PutIfNewer {
        key: names.row_key(&change.table, &id),
        value,
        version: change.version.encode(),
    })
}

/// [`put_op`] for a row already encoded (a MySQL page): `id` is its
/// primary-key text, `json` its row JSON, `version` an encoded version.
pub fn put_raw(names: &Names, table: &str, id: &str, json: String, version: String) -> Op {
    Op::PutIfNewer {
        key: names.row_key(table, id),
        value: Some(json),
        version,
    }
}

/// Outcomes of versioned dimension writes.
#[derive(Debug, Default, Clone, Copy)]
pub struct WriteCounts {
    pub written: u64,
    pub deleted: u64,
    /// Older than the stored version: ignored.
    pub stale: u64,
}

impl WriteCounts {
    /// Counts the replies to versioned writes ([`Op::PutIfNewer`]): `Int(1)`
    /// written (or deleted, where `deletes` says so), `Int(0)` stale; any
    /// other reply is an error.
    pub fn add(&mut self, deletes: &[bool], replies: &[Reply]) -> anyhow::Result<()> {
        for (reply, &delete) in replies.iter().zip(deletes) {
            match (reply, delete) {
                (Reply::Int(1), false) => self.written += 1,
                (Reply::Int(1), true) => self.deleted += 1,
                (Reply::Int(0), _) => self.stale += 1,
                (other, _) => {
                    return Err(crate::state::StateError::UnexpectedReply {
                        expected: "1 (written) or 0 (stale) to a versioned write",
                        got: format!("{other:?}").chars().take(120).collect(),
                    }
                    .into())
                }
            }
        }
        Ok(())
    }
}

/// Whether a [`put_op`] deletes its row (a delete or truncate).
pub fn is_delete(op: &Op) -> bool {
    matches!(op, Op::PutIfNewer { value: None, .. })
}

/// Sends `rows` ([`put_op`]s) and then `after` (e.g. a resume point) in one
/// pipeline: when `after` is stored, every row before it is too.
pub fn write_rows(
    state: &Retrying,
    rows: Vec<Op>,
    after: Vec<Op>,
    counts: &mut WriteCounts,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let deletes: Vec<bool> = rows.iter().map(is_delete).collect();
    let mut ops = rows;
    ops.extend(after);
    if ops.is_empty() {
        return Ok(());
    }
    let replies = state
        .exec(ops)
        .with_context(|| format!("writing dimension rows to {}", state.describe()))?;
    counts.add(&deletes, &replies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_and_primary_keys() {
        let names = Names {
            fact_tables: FACT_TABLES.into(),
            dim_tables: DIM_TABLES.into(),
            dim_prefix: DIM_PREFIX.into(),
            bootstrap_prefix: BOOTSTRAP_PREFIX.into(),
        };
        assert_eq!(names.row_key("user_info", "7"), "DIM:USER_INFO:7");
        let row = json!({"id": 7, "sku": "a", "n": null});
        let row = row.as_object().unwrap();
        assert_eq!(primary_key(row, &["id".into()]).unwrap(), "7");
        assert_eq!(
            primary_key(row, &["id".into(), "sku".into()]).unwrap(),
            "7:a"
        );
        assert!(primary_key(row, &["n".into()])
            .unwrap_err()
            .contains("`n` is missing or null"));
    }
}
