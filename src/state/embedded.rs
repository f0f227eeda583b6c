//! The embedded state store (`--state file:PATH`): Redis's data model on a local
//! [`redb`] file, so every tool runs with no server.
//!
//! Layout: `meta` holds each key's type and expiry; strings, set members and
//! hash fields each have their own table keyed by `(key, member)`, so adding one
//! mid to a set of a million is one B-tree insert, not a rewrite. Expired keys
//! read as absent and are purged by the next write of that key and at open.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use redb::{Database, ReadableTable, Table, TableDefinition, WriteTransaction};

use super::{glob, Op, Reply, StateError, StateStore};
use crate::exit::Failure;

const META: TableDefinition<&str, (u8, i64)> = TableDefinition::new("meta");
const STRINGS: TableDefinition<&str, &str> = TableDefinition::new("strings");
const SETS: TableDefinition<(&str, &str), ()> = TableDefinition::new("sets");
const HASHES: TableDefinition<(&str, &str), &str> = TableDefinition::new("hashes");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str = 1,
    Set = 2,
    Hash = 3,
}

impl Kind {
    fn from_u8(v: u8) -> Option<Kind> {
        match v {
            1 => Some(Kind::Str),
            2 => Some(Kind::Set),
            3 => Some(Kind::Hash),
            _ => None,
        }
    }
}

pub struct EmbeddedStore {
    db: Database,
    path: PathBuf,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn err(e: impl std::fmt::Display) -> StateError {
    StateError::Other(e.to_string())
}

impl EmbeddedStore {
    pub fn open(path: &Path) -> Result<EmbeddedStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the state directory {}", dir.display()))?;
        }
        let db = Database::create(path).map_err(|e| match e {
            redb::DatabaseError::DatabaseAlreadyOpen => Failure::unavailable(
                "state store",
                format!("file:{}", path.display()),
                "the file is in use by another rtdw process",
            ),
            other => anyhow::anyhow!(other)
                .context(format!("opening the state store file:{}", path.display())),
        })?;
        let store = EmbeddedStore {
            db,
            path: path.to_path_buf(),
        };
        store.purge_expired().context("purging expired keys")?;
        Ok(store)
    }

    /// Creates the tables and drops every expired key.
    fn purge_expired(&self) -> Result<(), StateError> {
        let tx = self.db.begin_write().map_err(err)?;
        {
            let mut t = Tables::open(&tx)?;
            let now = now_ms();
            let expired: Vec<String> = t
                .meta
                .iter()
                .map_err(err)?
                .filter_map(|e| e.ok())
                .filter(|(_, v)| {
                    let (_, exp) = v.value();
                    exp != 0 && exp <= now
                })
                .map(|(k, _)| k.value().to_string())
                .collect();
            for key in expired {
                t.delete(&key)?;
            }
        }
        tx.commit().map_err(err)
    }
}

/// The open tables of one write transaction.
struct Tables<'tx> {
    meta: Table<'tx, &'static str, (u8, i64)>,
    strings: Table<'tx, &'static str, &'static str>,
    sets: Table<'tx, (&'static str, &'static str), ()>,
    hashes: Table<'tx, (&'static str, &'static str), &'static str>,
    changed: bool,
}

impl<'tx> Tables<'tx> {
    fn open(tx: &'tx WriteTransaction) -> Result<Tables<'tx>, StateError> {
        Ok(Tables {
            meta: tx.open_table(META).map_err(err)?,
            strings: tx.open_table(STRINGS).map_err(err)?,
            sets: tx.open_table(SETS).map_err(err)?,
            hashes: tx.open_table(HASHES).map_err(err)?,
            changed: false,
        })
    }

    /// The live type and expiry of `key`; an expired key is deleted here.
    fn meta_of(&mut self, key: &str) -> Result<Option<(Kind, i64)>, StateError> {
        let found = self.meta.get(key).map_err(err)?.map(|g| g.value());
        match found {
            None => Ok(None),
            Some((_, exp)) if exp != 0 && exp <= now_ms() => {
                self.delete(key)?;
                Ok(None)
            }
            Some((kind, exp)) => Ok(Kind::from_u8(kind).map(|k| (k, exp))),
        }
    }

    /// Checks the type of `key` for an op of `want`; creates it when missing.
    fn typed(&mut self, key: &str, want: Kind, create: bool) -> Result<bool, StateError> {
        match self.meta_of(key)? {
            Some((k, _)) if k == want => Ok(true),
            Some(_) => Err(StateError::WrongType { key: key.into() }),
            None if create => {
                self.meta.insert(key, (want as u8, 0)).map_err(err)?;
                self.changed = true;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn members(&self, key: &str) -> Result<Vec<String>, StateError> {
        let mut out = Vec::new();
        for e in self.sets.range((key, "")..).map_err(err)? {
            let (k, _) = e.map_err(err)?;
            let (owner, member) = k.value();
            if owner != key {
                break;
            }
            out.push(member.to_string());
        }
        Ok(out)
    }

    fn fields(&self, key: &str) -> Result<Vec<(String, String)>, StateError> {
        let mut out = Vec::new();
        for e in self.hashes.range((key, "")..).map_err(err)? {
            let (k, v) = e.map_err(err)?;
            let (owner, field) = k.value();
            if owner != key {
                break;
            }
            out.push((field.to_string(), v.value().to_string()));
        }
        Ok(out)
    }

    /// Removes `key` of whatever type; returns whether it existed.
    fn delete(&mut self, key: &str) -> Result<bool, StateError> {
        let Some(meta) = self.meta.remove(key).map_err(err)?.map(|g| g.value()) else {
            return Ok(false);
        };
        self.changed = true;
        match Kind::from_u8(meta.0) {
            Some(Kind::Str) => {
                self.strings.remove(key).map_err(err)?;
            }
            Some(Kind::Set) => {
                for m in self.members(key)? {
                    self.sets.remove((key, m.as_str())).map_err(err)?;
                }
            }
            Some(Kind::Hash) => {
                for (f, _) in self.fields(key)? {
                    self.hashes.remove((key, f.as_str())).map_err(err)?;
                }
            }
            None => {}
        }
        Ok(meta.1 == 0 || meta.1 > now_ms())
    }

    /// Drops a set or hash whose last member went away, as Redis does.
    fn drop_if_empty(&mut self, key: &str, kind: Kind) -> Result<(), StateError> {
        let empty = match kind {
            Kind::Set => self.members(key)?.is_empty(),
            Kind::Hash => self.fields(key)?.is_empty(),
            Kind::Str => false,
        };
        if empty {
            self.meta.remove(key).map_err(err)?;
        }
        Ok(())
    }

    fn set_expiry(&mut self, key: &str, at_ms: i64) -> Result<i64, StateError> {
        match self.meta_of(key)? {
            Some((kind, _)) => {
                self.meta.insert(key, (kind as u8, at_ms)).map_err(err)?;
                self.changed = true;
                if at_ms <= now_ms() {
                    self.delete(key)?;
                }
                Ok(1)
            }
            None => Ok(0),
        }
    }

    fn apply(&mut self, op: Op) -> Result<Reply, StateError> {
        Ok(match op {
            Op::Get(key) => match self.meta_of(&key)? {
                Some((Kind::Str, _)) => match self.strings.get(key.as_str()).map_err(err)? {
                    Some(v) => Reply::Str(v.value().to_string()),
                    None => Reply::Nil,
                },
                Some(_) => return Err(StateError::WrongType { key }),
                None => Reply::Nil,
            },
            Op::Set { key, value, ttl } => {
                // Overwriting a string replaces both entries in place; only
                // another type's members need removing first.
                if !matches!(self.meta_of(&key)?, Some((Kind::Str, _)) | None) {
                    self.delete(&key)?;
                }
                let exp = ttl.map(|t| now_ms() + t.as_millis() as i64).unwrap_or(0);
                self.meta
                    .insert(key.as_str(), (Kind::Str as u8, exp))
                    .map_err(err)?;
                self.strings
                    .insert(key.as_str(), value.as_str())
                    .map_err(err)?;
                self.changed = true;
                Reply::Ok
            }
            Op::Del(keys) => {
                let mut n = 0;
                for k in keys {
                    if self.meta_of(&k)?.is_some() && self.delete(&k)? {
                        n += 1;
                    }
                }
                Reply::Int(n)
            }
            Op::PutIfNewer {
                key,
                value,
                version,
            } => {
                let version_key = super::versioned::version_key(&key);
                let current = match self.apply(Op::Get(version_key.clone()))? {
                    Reply::Str(v) => Some(v),
                    _ => None,
                };
                if current.is_some_and(|c| super::versioned::is_older(&version, &c)) {
                    return Ok(Reply::Int(0));
                }
                self.apply(Op::Set {
                    key: version_key,
                    value: version,
                    ttl: None,
                })?;
                match value {
                    Some(value) => self.apply(Op::Set {
                        key,
                        value,
                        ttl: None,
                    })?,
                    None => self.apply(Op::Del(vec![key]))?,
                };
                Reply::Int(1)
            }
            Op::Claim { key, field, units } => {
                let stored = |r: Reply| match r {
                    Reply::Str(v) => v.parse::<i64>().map(Some).map_err(|_| {
                        StateError::Other(format!("{key}: a claimed place is not a number: {v}"))
                    }),
                    _ => Ok(None),
                };
                let get = |field: &str| Op::HGet {
                    key: key.clone(),
                    field: field.to_string(),
                };
                if let Some(place) = stored(self.apply(get(&field))?)? {
                    return Ok(Reply::Int(place));
                }
                let before = stored(self.apply(get(super::CLAIM_SUM))?)?.unwrap_or(0);
                self.apply(Op::HSet {
                    key: key.clone(),
                    fields: vec![
                        (field, before.to_string()),
                        (super::CLAIM_SUM.to_string(), (before + units).to_string()),
                    ],
                })?;
                Reply::Int(before)
            }
            Op::Exists(key) => Reply::Int(self.meta_of(&key)?.is_some() as i64),
            Op::Expire { key, ttl } => {
                Reply::Int(self.set_expiry(&key, now_ms() + ttl.as_millis() as i64)?)
            }
            Op::ExpireAt { key, unix_secs } => {
                Reply::Int(self.set_expiry(&key, unix_secs.saturating_mul(1000))?)
            }
            Op::Ttl(key) => match self.meta_of(&key)? {
                None => Reply::Int(-2),
                Some((_, 0)) => Reply::Int(-1),
                Some((_, exp)) => Reply::Int(((exp - now_ms()) + 999) / 1000),
            },
            Op::Rename { from, to } => {
                let Some((kind, exp)) = self.meta_of(&from)? else {
                    return Err(StateError::Other(format!("rename: no such key {from}")));
                };
                self.delete(&to)?;
                match kind {
                    Kind::Str => {
                        let v = self
                            .strings
                            .get(from.as_str())
                            .map_err(err)?
                            .map(|g| g.value().to_string());
                        if let Some(v) = v {
                            self.strings.insert(to.as_str(), v.as_str()).map_err(err)?;
                        }
                    }
                    Kind::Set => {
                        for m in self.members(&from)? {
                            self.sets
                                .insert((to.as_str(), m.as_str()), ())
                                .map_err(err)?;
                        }
                    }
                    Kind::Hash => {
                        for (f, v) in self.fields(&from)? {
                            self.hashes
                                .insert((to.as_str(), f.as_str()), v.as_str())
                                .map_err(err)?;
                        }
                    }
                }
                self.delete(&from)?;
                self.meta
                    .insert(to.as_str(), (kind as u8, exp))
                    .map_err(err)?;
                self.changed = true;
                Reply::Ok
            }
            Op::SAdd { key, members } => {
                self.typed(&key, Kind::Set, true)?;
                let mut added = 0;
                for m in &members {
                    if self
                        .sets
                        .insert((key.as_str(), m.as_str()), ())
                        .map_err(err)?
                        .is_none()
                    {
                        added += 1;
                    }
                }
                self.changed = true;
                Reply::Int(added)
            }
            Op::SRem { key, members } => {
                let mut removed = 0;
                if self.typed(&key, Kind::Set, false)? {
                    for m in &members {
                        if self
                            .sets
                            .remove((key.as_str(), m.as_str()))
                            .map_err(err)?
                            .is_some()
                        {
                            removed += 1;
                        }
                    }
                    self.changed = true;
                    self.drop_if_empty(&key, Kind::Set)?;
                }
                Reply::Int(removed)
            }
            Op::SMIsMember { key, members } => {
                let live = self.typed(&key, Kind::Set, false)?;
                let mut out = Vec::with_capacity(members.len());
                for m in &members {
                    out.push(
                        live && self
                            .sets
                            .get((key.as_str(), m.as_str()))
                            .map_err(err)?
                            .is_some(),
                    );
                }
                Reply::Bools(out)
            }
            Op::SMembers(key) => {
                if self.typed(&key, Kind::Set, false)? {
                    Reply::Strs(self.members(&key)?)
                } else {
                    Reply::Strs(Vec::new())
                }
            }
            Op::SCard(key) => {
                if self.typed(&key, Kind::Set, false)? {
                    Reply::Int(self.members(&key)?.len() as i64)
                } else {
                    Reply::Int(0)
                }
            }
            Op::HSet { key, fields } => {
                self.typed(&key, Kind::Hash, true)?;
                let mut added = 0;
                for (f, v) in &fields {
                    if self
                        .hashes
                        .insert((key.as_str(), f.as_str()), v.as_str())
                        .map_err(err)?
                        .is_none()
                    {
                        added += 1;
                    }
                }
                self.changed = true;
                Reply::Int(added)
            }
            Op::HGet { key, field } => {
                if self.typed(&key, Kind::Hash, false)? {
                    match self
                        .hashes
                        .get((key.as_str(), field.as_str()))
                        .map_err(err)?
                    {
                        Some(v) => Reply::Str(v.value().to_string()),
                        None => Reply::Nil,
                    }
                } else {
                    Reply::Nil
                }
            }
            Op::HGetAll(key) => {
                if self.typed(&key, Kind::Hash, false)? {
                    Reply::Map(self.fields(&key)?.into_iter().collect())
                } else {
                    Reply::Map(Default::default())
                }
            }
            Op::HDel { key, fields } => {
                let mut removed = 0;
                if self.typed(&key, Kind::Hash, false)? {
                    for f in &fields {
                        if self
                            .hashes
                            .remove((key.as_str(), f.as_str()))
                            .map_err(err)?
                            .is_some()
                        {
                            removed += 1;
                        }
                    }
                    self.changed = true;
                    self.drop_if_empty(&key, Kind::Hash)?;
                }
                Reply::Int(removed)
            }
            Op::Keys(pattern) => {
                let prefix = glob::literal_prefix(&pattern).to_string();
                let now = now_ms();
                let mut out = Vec::new();
                for e in self.meta.range(prefix.as_str()..).map_err(err)? {
                    let (k, v) = e.map_err(err)?;
                    let key = k.value();
                    if !key.starts_with(prefix.as_str()) {
                        break;
                    }
                    let (_, exp) = v.value();
                    if (exp == 0 || exp > now) && glob::matches(&pattern, key) {
                        out.push(key.to_string());
                    }
                }
                Reply::Strs(out)
            }
        })
    }
}

impl StateStore for EmbeddedStore {
    fn exec(&self, ops: Vec<Op>) -> Result<Vec<Reply>, StateError> {
        super::count_round_trip();
        let tx = self.db.begin_write().map_err(err)?;
        let (replies, changed) = {
            let mut t = Tables::open(&tx)?;
            let mut replies = Vec::with_capacity(ops.len());
            for op in ops {
                replies.push(t.apply(op)?);
            }
            (replies, t.changed)
        };
        // A batch of reads (or one that only read expired keys' absence) costs no fsync.
        if changed {
            tx.commit().map_err(err)?;
        } else {
            tx.abort().map_err(err)?;
        }
        Ok(replies)
    }

    fn describe(&self) -> String {
        format!("file:{}", self.path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_store_follows_the_state_contract() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(&dir.path().join("state")).unwrap();
        crate::state::contract::check(&store);
    }

    #[test]
    fn embedded_state_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state");
        {
            let store = EmbeddedStore::open(&path).unwrap();
            store
                .exec(vec![Op::HSet {
                    key: "offset:g:t".into(),
                    fields: vec![("0".into(), "42".into())],
                }])
                .unwrap();
        }
        let store = EmbeddedStore::open(&path).unwrap();
        let h = crate::state::StateExt::hgetall(&store, "offset:g:t").unwrap();
        assert_eq!(h.get("0").map(String::as_str), Some("42"));
    }

    #[test]
    fn second_open_of_one_file_is_a_clear_unavailable_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        let _first = EmbeddedStore::open(&path).unwrap();
        let second = EmbeddedStore::open(&path);
        let e = second.err().expect("second open must fail");
        assert_eq!(
            crate::exit::status_of(&e),
            crate::exit::ExitStatus::Unavailable
        );
    }
}
