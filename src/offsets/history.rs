//! The audit log of executed resets and deletes, kept in the state store
//! hash `offset-history:{group}` (field = time-ordered id, value = JSON), so
//! `rtdw offsets history` can show who changed what and a bad reset can be
//! undone with `--from-file`.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::state::{Op, StateExt, StateStore};

pub fn key(group: &str) -> String {
    format!("offset-history:{group}")
}

/// One partition's change; `None` = no stored offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub topic: String,
    pub partition: i32,
    pub before: Option<i64>,
    pub after: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Time-ordered id (`YYYYmmddTHHMMSS.nnnnnnnnnZ-pid`), the hash field.
    pub id: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// `user@host`.
    pub by: String,
    /// Which store the offsets live in.
    pub store: String,
    /// What was run, e.g. `reset --to-earliest`.
    pub action: String,
    pub changes: Vec<Change>,
}

impl Entry {
    pub fn new(store: String, action: String, changes: Vec<Change>) -> Entry {
        let now = jiff::Timestamp::now();
        let id = format!(
            "{}-{}",
            now.strftime("%Y%m%dT%H%M%S.%fZ"),
            std::process::id()
        );
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .unwrap_or_else(|_| "unknown".into());
        Entry {
            id,
            at: now.to_string(),
            by: format!("{user}@{}", super::instances::hostname()),
            store,
            action,
            changes,
        }
    }
}

pub fn append(state: &dyn StateStore, group: &str, entry: &Entry) -> Result<()> {
    state.exec(vec![Op::HSet {
        key: key(group),
        fields: vec![(entry.id.clone(), serde_json::to_string(entry)?)],
    }])?;
    Ok(())
}

/// Every entry of `group`, oldest first.
pub fn read(state: &dyn StateStore, group: &str) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for (id, value) in state.hgetall(&key(group))? {
        let e: Entry = serde_json::from_str(&value)
            .with_context(|| format!("{}: entry {id} is not a history record", key(group)))?;
        out.push(e);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}
