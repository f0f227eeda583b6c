//! The embedded state store (`--state file:PATH`, SPEC §5): Redis's data
//! model in a local SQLite database, so every tool runs with no server, and
//! several rtdw processes use one file at once: the stages of a pipe, and
//! `rtdw offsets` or `route-db tables add` beside a running job.
//!
//! Why SQLite in WAL mode: readers never wait for the writer and the writer
//! never waits for readers; writers take turns through SQLite's file lock
//! (each batch is one `BEGIN IMMEDIATE` transaction of a few milliseconds),
//! and a process killed mid-batch leaves the last committed batch, never a
//! part of one. `synchronous=NORMAL`: a commit survives a crash of the
//! process (`kill -9`); an OS crash or power loss may lose the last commits,
//! as with Redis's default persistence. The file is an ordinary SQLite
//! database (`sqlite3 PATH .tables`), next to its `-wal` and `-shm` files.
//!
//! Layout: `keys` holds each key's type, expiry (Unix ms, 0 = none) and, for
//! a string, its value; set members and hash fields each have their own table
//! keyed by `(key, member)`, so adding one mid to a set of a million is one
//! B-tree insert. Expired keys read as absent and are purged by the next
//! write of that key and at open.
//!
//! A file in the format of rtdw 0.1 (redb, one process at a time) is
//! converted once at open; the old file is kept beside it as
//! `PATH.redb-backup`.

pub mod legacy_redb;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{glob, Op, Reply, StateError, StateStore};

/// How long a batch waits for another process's write transaction before
/// the attempt counts as a transient failure (then the run's retry policy).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// `PRAGMA user_version` of this layout.
const FORMAT_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS keys (
    key TEXT PRIMARY KEY NOT NULL,
    kind INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL,
    value TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS members (
    key TEXT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (key, member)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fields (
    key TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (key, field)
) WITHOUT ROWID;
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str = 1,
    Set = 2,
    Hash = 3,
}

impl Kind {
    fn from_i64(v: i64) -> Option<Kind> {
        match v {
            1 => Some(Kind::Str),
            2 => Some(Kind::Set),
            3 => Some(Kind::Hash),
            _ => None,
        }
    }
}

pub struct EmbeddedStore {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// Whether this process purged the expired keys yet.
    purged: std::sync::atomic::AtomicBool,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// SQLite's answers as state errors: a lock held past [`BUSY_TIMEOUT`] is
/// transient (retried like a Redis outage), anything else is not.
fn err(e: rusqlite::Error) -> StateError {
    use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked, ReadOnly};
    match e.sqlite_error_code() {
        Some(ReadOnly) => StateError::Other(
            "embedded store: the state file, or its folder (SQLite writes PATH-wal and PATH-shm beside it), is not writable by this user: fix the permissions or use another --state file:PATH".into(),
        ),
        Some(DatabaseBusy | DatabaseLocked) => StateError::Unreachable {
            backend: "embedded store".into(),
            reason: format!(
                "another process held the write lock for more than {} s",
                BUSY_TIMEOUT.as_secs()
            ),
        },
        _ => StateError::Other(format!("embedded store: {e}")),
    }
}

fn open_connection(path: &Path) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL is a property of the file: the first opener sets it for everyone.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

/// `PRAGMA application_id` of an rtdw state file ("rtdw"): another
/// program's SQLite database is never taken for one.
const APPLICATION_ID: i64 = 0x7274_6477;

/// What an opened file holds.
enum Found {
    /// No tables yet: a new store.
    Empty,
    /// An rtdw state file of this format.
    Ours,
}

/// Reads the file's identity without taking any lock a writer holds.
fn inspect(conn: &Connection, path: &Path) -> Result<Found> {
    let read = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let app = read("PRAGMA application_id").map_err(|e| not_a_state_file(path, e))?;
    let version = read("PRAGMA user_version")?;
    let tables = read("SELECT COUNT(*) FROM sqlite_master")?;
    if app == APPLICATION_ID && version > FORMAT_VERSION {
        anyhow::bail!(
            "{} was written by a newer rtdw (format {version}, this one reads {FORMAT_VERSION}): upgrade rtdw",
            path.display()
        );
    }
    let ours_unmarked = || {
        // Files of the first SQLite builds carry the format but no id.
        version == FORMAT_VERSION
            && read(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('keys', 'members', 'fields')",
            )
            .is_ok_and(|n| n == 3)
    };
    match (app, tables) {
        (APPLICATION_ID, _) => Ok(Found::Ours),
        (0, 0) => Ok(Found::Empty),
        (0, _) if ours_unmarked() => Ok(Found::Ours),
        _ => anyhow::bail!(
            "{} is a SQLite database of another program, not an rtdw state file: point --state file:PATH at another path",
            path.display()
        ),
    }
}

impl EmbeddedStore {
    /// Opens (creating) the store at `path`, converting an old-format file
    /// first. Opening reads only: a store another process is writing to
    /// opens at once. Errors: the directory cannot be created, the file is
    /// not an rtdw state file (another program's SQLite database included),
    /// an older rtdw still holds an old-format file (exit 69), or a new
    /// file's tables cannot be created within [`BUSY_TIMEOUT`] (exit 69).
    pub fn open(path: &Path) -> Result<EmbeddedStore> {
        // One missing folder level is created (`.rtdw/`); a path whose
        // grandparent is missing too is more likely a typo than a wish.
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
        {
            let above = dir.parent().filter(|a| !a.as_os_str().is_empty());
            if above.is_some_and(|a| !a.is_dir()) {
                return Err(crate::exit::Failure::usage(format!(
                    "state file {}: the folder {} does not exist; create it first (rtdw creates one missing level, such as .rtdw/)",
                    path.display(),
                    above.map_or_else(String::new, |a| a.display().to_string())
                )));
            }
            // Another process of a pipe may create it at the same moment.
            match std::fs::create_dir(dir) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(anyhow::Error::new(e)
                        .context(format!("creating the state directory {}", dir.display())));
                }
                _ => {}
            }
        }
        convert_legacy(path)?;
        let describe = || format!("opening the embedded state store file:{}", path.display());
        let conn = open_connection(path)
            .map_err(|e| not_a_state_file(path, e))
            .with_context(describe)?;
        let found = inspect(&conn, path).with_context(describe)?;
        let store = EmbeddedStore {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            purged: std::sync::atomic::AtomicBool::new(false),
        };
        if let Found::Empty = found {
            store.create_tables().map_err(|e| match e {
                StateError::Unreachable { reason, .. } => crate::exit::Failure::unavailable(
                    crate::service::Service::EmbeddedStore,
                    store.describe(),
                    reason,
                ),
                other => anyhow::Error::new(other).context(describe()),
            })?;
        }
        Ok(store)
    }

    /// Creates the tables of a new file and marks it as rtdw's.
    fn create_tables(&self) -> Result<(), StateError> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        tx.execute_batch(SCHEMA).map_err(err)?;
        tx.pragma_update(None, "user_version", FORMAT_VERSION)
            .map_err(err)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(err)?;
        tx.commit().map_err(err)
    }
}

/// Drops every expired key; run once per process, in its first writing
/// batch (opening a store writes nothing).
fn purge_expired(tx: &rusqlite::Transaction<'_>, now: i64) -> Result<(), StateError> {
    for sql in [
        "DELETE FROM members WHERE key IN (SELECT key FROM keys WHERE expires_ms != 0 AND expires_ms <= ?1)",
        "DELETE FROM fields WHERE key IN (SELECT key FROM keys WHERE expires_ms != 0 AND expires_ms <= ?1)",
        "DELETE FROM keys WHERE expires_ms != 0 AND expires_ms <= ?1",
    ] {
        tx.execute(sql, [now]).map_err(err)?;
    }
    Ok(())
}

/// SQLite's "not a database" as an error that says what the file is not.
fn not_a_state_file(path: &Path, e: rusqlite::Error) -> anyhow::Error {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) {
        anyhow::anyhow!(
            "{} is not an rtdw state file (neither SQLite nor the old redb format): point --state file:PATH at another path",
            path.display()
        )
    } else {
        anyhow::Error::new(e)
    }
}

/// Converts an rtdw 0.1 state file at `path` in place, once. Processes that
/// open it at the same time take turns through a lock file beside it; the
/// later ones find it converted.
fn convert_legacy(path: &Path) -> Result<()> {
    if !legacy_redb::is_legacy(path) {
        return Ok(());
    }
    let lock_path = suffixed(path, ".convert-lock");
    let lock = std::fs::File::create(&lock_path)
        .with_context(|| format!("creating {}", lock_path.display()))?;
    flock_exclusive(&lock).with_context(|| format!("locking {}", lock_path.display()))?;
    if !legacy_redb::is_legacy(path) {
        return Ok(());
    }
    let old = legacy_redb::read(path)?;
    let converting = suffixed(path, ".converting");
    let _ = std::fs::remove_file(&converting);
    {
        let mut conn = open_connection(&converting)
            .with_context(|| format!("creating {}", converting.display()))?;
        let tx = conn.transaction()?;
        tx.execute_batch(SCHEMA)?;
        tx.pragma_update(None, "user_version", FORMAT_VERSION)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        for (key, kind, exp) in &old.meta {
            tx.execute(
                "INSERT INTO keys (key, kind, expires_ms) VALUES (?1, ?2, ?3)",
                params![key, kind, exp],
            )?;
        }
        for (key, value) in &old.strings {
            tx.execute(
                "UPDATE keys SET value = ?2 WHERE key = ?1",
                params![key, value],
            )?;
        }
        for (key, member) in &old.sets {
            tx.execute(
                "INSERT INTO members (key, member) VALUES (?1, ?2)",
                params![key, member],
            )?;
        }
        for (key, field, value) in &old.hashes {
            tx.execute(
                "INSERT INTO fields (key, field, value) VALUES (?1, ?2, ?3)",
                params![key, field, value],
            )?;
        }
        tx.commit()?;
    }
    // The old file stays as a backup (a second name, then the new file
    // replaces PATH in one rename): at no instant is PATH missing, so a
    // crash or a concurrent opener never finds an empty store there.
    let backup = suffixed(path, ".redb-backup");
    let _ = std::fs::remove_file(&backup);
    std::fs::hard_link(path, &backup)
        .or_else(|_| std::fs::copy(path, &backup).map(|_| ()))
        .with_context(|| format!("keeping the old file as {}", backup.display()))?;
    std::fs::rename(&converting, path)
        .with_context(|| format!("moving {} to {}", converting.display(), path.display()))?;
    let _ = std::fs::remove_file(&lock_path);
    tracing::warn!(
        keys = old.meta.len(),
        "converted the state file {} from rtdw 0.1's format (one process at a time) to SQLite (shared); the old file is kept as {}: delete it once you are satisfied",
        path.display(),
        backup.display()
    );
    Ok(())
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn flock_exclusive(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor this function's caller owns for the call.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// One batch's transaction. A read-only batch neither deletes expired keys
/// nor takes the write lock.
struct Tx<'c> {
    tx: rusqlite::Transaction<'c>,
    now: i64,
    write: bool,
}

impl Tx<'_> {
    /// The live type, expiry and (strings) value of `key`; an expired key
    /// is deleted here in a writing batch, and absent in either.
    fn row(&self, key: &str) -> Result<Option<(Kind, i64, Option<String>)>, StateError> {
        let found = self
            .tx
            .prepare_cached("SELECT kind, expires_ms, value FROM keys WHERE key = ?1")
            .map_err(err)?
            .query_row([key], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .optional()
            .map_err(err)?;
        match found {
            None => Ok(None),
            Some((_, exp, _)) if exp != 0 && exp <= self.now => {
                if self.write {
                    self.delete(key)?;
                }
                Ok(None)
            }
            Some((kind, exp, value)) => Ok(Kind::from_i64(kind).map(|k| (k, exp, value))),
        }
    }

    fn meta_of(&self, key: &str) -> Result<Option<(Kind, i64)>, StateError> {
        Ok(self.row(key)?.map(|(k, e, _)| (k, e)))
    }

    /// Checks the type of `key` for an op of `want`; creates it when missing.
    fn typed(&self, key: &str, want: Kind, create: bool) -> Result<bool, StateError> {
        match self.meta_of(key)? {
            Some((k, _)) if k == want => Ok(true),
            Some(_) => Err(StateError::WrongType { key: key.into() }),
            None if create => {
                self.tx
                    .prepare_cached("INSERT INTO keys (key, kind, expires_ms) VALUES (?1, ?2, 0)")
                    .map_err(err)?
                    .execute(params![key, want as i64])
                    .map_err(err)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    fn run(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize, StateError> {
        self.tx
            .prepare_cached(sql)
            .map_err(err)?
            .execute(params)
            .map_err(err)
    }

    fn count(&self, sql: &str, params: impl rusqlite::Params) -> Result<i64, StateError> {
        self.tx
            .prepare_cached(sql)
            .map_err(err)?
            .query_row(params, |r| r.get(0))
            .map_err(err)
    }

    fn members(&self, key: &str) -> Result<Vec<String>, StateError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT member FROM members WHERE key = ?1 ORDER BY member")
            .map_err(err)?;
        let rows = stmt.query_map([key], |r| r.get(0)).map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    fn fields(&self, key: &str) -> Result<Vec<(String, String)>, StateError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT field, value FROM fields WHERE key = ?1 ORDER BY field")
            .map_err(err)?;
        let rows = stmt
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?;
        rows.collect::<Result<_, _>>().map_err(err)
    }

    /// Removes `key` of whatever type; returns whether it existed and was live.
    fn delete(&self, key: &str) -> Result<bool, StateError> {
        let exp: Option<i64> = self
            .tx
            .prepare_cached("DELETE FROM keys WHERE key = ?1 RETURNING expires_ms")
            .map_err(err)?
            .query_row([key], |r| r.get(0))
            .optional()
            .map_err(err)?;
        let Some(exp) = exp else {
            return Ok(false);
        };
        self.run("DELETE FROM members WHERE key = ?1", [key])?;
        self.run("DELETE FROM fields WHERE key = ?1", [key])?;
        Ok(exp == 0 || exp > self.now)
    }

    /// Drops a set or hash whose last member went away, as Redis does.
    fn drop_if_empty(&self, key: &str, kind: Kind) -> Result<(), StateError> {
        let left = match kind {
            Kind::Set => self.count(
                "SELECT EXISTS (SELECT 1 FROM members WHERE key = ?1)",
                [key],
            )?,
            Kind::Hash => {
                self.count("SELECT EXISTS (SELECT 1 FROM fields WHERE key = ?1)", [key])?
            }
            Kind::Str => 1,
        };
        if left == 0 {
            self.run("DELETE FROM keys WHERE key = ?1", [key])?;
        }
        Ok(())
    }

    fn set_expiry(&self, key: &str, at_ms: i64) -> Result<i64, StateError> {
        if self.meta_of(key)?.is_none() {
            return Ok(0);
        }
        if at_ms <= self.now {
            self.delete(key)?;
        } else {
            self.run(
                "UPDATE keys SET expires_ms = ?2 WHERE key = ?1",
                params![key, at_ms],
            )?;
        }
        Ok(1)
    }

    fn hget(&self, key: &str, field: &str) -> Result<Option<String>, StateError> {
        if !self.typed(key, Kind::Hash, false)? {
            return Ok(None);
        }
        self.tx
            .prepare_cached("SELECT value FROM fields WHERE key = ?1 AND field = ?2")
            .map_err(err)?
            .query_row([key, field], |r| r.get(0))
            .optional()
            .map_err(err)
    }

    /// Sets hash fields; returns how many were new.
    fn hset(&self, key: &str, fields: &[(String, String)]) -> Result<i64, StateError> {
        self.typed(key, Kind::Hash, true)?;
        let mut added = 0;
        for (f, v) in fields {
            let new = self.run(
                "INSERT OR IGNORE INTO fields (key, field, value) VALUES (?1, ?2, ?3)",
                params![key, f, v],
            )?;
            if new == 1 {
                added += 1;
            } else {
                self.run(
                    "UPDATE fields SET value = ?3 WHERE key = ?1 AND field = ?2",
                    params![key, f, v],
                )?;
            }
        }
        Ok(added)
    }

    fn set_string(&self, key: &str, value: &str, exp: i64) -> Result<(), StateError> {
        // Overwriting a string replaces its row in place; only another
        // type's members need removing first.
        if !matches!(self.meta_of(key)?, Some((Kind::Str, _)) | None) {
            self.delete(key)?;
        }
        self.run(
            "INSERT OR REPLACE INTO keys (key, kind, expires_ms, value) VALUES (?1, 1, ?2, ?3)",
            params![key, exp, value],
        )?;
        Ok(())
    }

    fn apply(&self, op: Op) -> Result<Reply, StateError> {
        Ok(match op {
            Op::Get(key) => match self.row(&key)? {
                Some((Kind::Str, _, value)) => value.map_or(Reply::Nil, Reply::Str),
                Some(_) => return Err(StateError::WrongType { key }),
                None => Reply::Nil,
            },
            Op::Set { key, value, ttl } => {
                let exp = ttl.map_or(0, |t| self.now + t.as_millis() as i64);
                self.set_string(&key, &value, exp)?;
                Reply::Ok
            }
            Op::Del(keys) => {
                let mut n = 0;
                for k in keys {
                    if self.delete(&k)? {
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
                self.set_string(&version_key, &version, 0)?;
                match value {
                    Some(value) => self.set_string(&key, &value, 0)?,
                    None => {
                        self.delete(&key)?;
                    }
                }
                Reply::Int(1)
            }
            Op::Claim { key, field, units } => {
                let stored = |v: Option<String>| match v {
                    Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
                        StateError::Other(format!("{key}: a claimed place is not a number: {v}"))
                    }),
                    None => Ok(None),
                };
                if let Some(place) = stored(self.hget(&key, &field)?)? {
                    return Ok(Reply::Int(place));
                }
                let before = stored(self.hget(&key, super::CLAIM_SUM)?)?.unwrap_or(0);
                self.hset(
                    &key,
                    &[
                        (field, before.to_string()),
                        (super::CLAIM_SUM.to_string(), (before + units).to_string()),
                    ],
                )?;
                Reply::Int(before)
            }
            Op::Exists(key) => Reply::Int(self.meta_of(&key)?.is_some() as i64),
            Op::Expire { key, ttl } => {
                Reply::Int(self.set_expiry(&key, self.now + ttl.as_millis() as i64)?)
            }
            Op::ExpireAt { key, unix_secs } => {
                Reply::Int(self.set_expiry(&key, unix_secs.saturating_mul(1000))?)
            }
            Op::Ttl(key) => match self.meta_of(&key)? {
                None => Reply::Int(-2),
                Some((_, 0)) => Reply::Int(-1),
                Some((_, exp)) => Reply::Int(((exp - self.now) + 999) / 1000),
            },
            Op::Rename { from, to } => {
                let Some((kind, exp, value)) = self.row(&from)? else {
                    return Err(StateError::Other(format!("rename: no such key {from}")));
                };
                if from != to {
                    self.delete(&to)?;
                    self.run("UPDATE members SET key = ?2 WHERE key = ?1", [&from, &to])?;
                    self.run("UPDATE fields SET key = ?2 WHERE key = ?1", [&from, &to])?;
                    self.run("DELETE FROM keys WHERE key = ?1", [&from])?;
                    self.run(
                        "INSERT INTO keys (key, kind, expires_ms, value) VALUES (?1, ?2, ?3, ?4)",
                        params![to, kind as i64, exp, value],
                    )?;
                }
                Reply::Ok
            }
            Op::SAdd { key, members } => {
                self.typed(&key, Kind::Set, true)?;
                let mut added = 0;
                for m in &members {
                    added += self.run(
                        "INSERT OR IGNORE INTO members (key, member) VALUES (?1, ?2)",
                        [&key, m],
                    )? as i64;
                }
                Reply::Int(added)
            }
            Op::SRem { key, members } => {
                let mut removed = 0;
                if self.typed(&key, Kind::Set, false)? {
                    for m in &members {
                        removed += self.run(
                            "DELETE FROM members WHERE key = ?1 AND member = ?2",
                            [&key, m],
                        )? as i64;
                    }
                    self.drop_if_empty(&key, Kind::Set)?;
                }
                Reply::Int(removed)
            }
            Op::SMIsMember { key, members } => {
                let live = self.typed(&key, Kind::Set, false)?;
                let mut out = Vec::with_capacity(members.len());
                for m in &members {
                    out.push(
                        live && self.count(
                            "SELECT EXISTS (SELECT 1 FROM members WHERE key = ?1 AND member = ?2)",
                            [&key, m],
                        )? == 1,
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
                    Reply::Int(self.count("SELECT COUNT(*) FROM members WHERE key = ?1", [&key])?)
                } else {
                    Reply::Int(0)
                }
            }
            Op::HSet { key, fields } => Reply::Int(self.hset(&key, &fields)?),
            Op::HGet { key, field } => self.hget(&key, &field)?.map_or(Reply::Nil, Reply::Str),
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
                        removed += self.run(
                            "DELETE FROM fields WHERE key = ?1 AND field = ?2",
                            [&key, f],
                        )? as i64;
                    }
                    self.drop_if_empty(&key, Kind::Hash)?;
                }
                Reply::Int(removed)
            }
            Op::Keys(pattern) => {
                let prefix = glob::literal_prefix(&pattern).to_string();
                let mut stmt = self
                    .tx
                    .prepare_cached("SELECT key, expires_ms FROM keys WHERE key >= ?1 ORDER BY key")
                    .map_err(err)?;
                let mut rows = stmt.query([&prefix]).map_err(err)?;
                let mut out = Vec::new();
                while let Some(row) = rows.next().map_err(err)? {
                    let key: String = row.get(0).map_err(err)?;
                    if !key.starts_with(prefix.as_str()) {
                        break;
                    }
                    let exp: i64 = row.get(1).map_err(err)?;
                    if (exp == 0 || exp > self.now) && glob::matches(&pattern, &key) {
                        out.push(key);
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
        let write = !ops.iter().all(Op::is_read_only);
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        // A writing batch takes the write lock at its start: a read
        // transaction that later wants to write can fail with "busy" at
        // once, which no waiting would cure.
        let behavior = if write {
            TransactionBehavior::Immediate
        } else {
            TransactionBehavior::Deferred
        };
        let tx = Tx {
            tx: conn.transaction_with_behavior(behavior).map_err(err)?,
            now: now_ms(),
            write,
        };
        let purge = write && !self.purged.load(std::sync::atomic::Ordering::Relaxed);
        if purge {
            purge_expired(&tx.tx, tx.now)?;
        }
        let mut replies = Vec::with_capacity(ops.len());
        for op in ops {
            replies.push(tx.apply(op)?);
        }
        // A batch that fails midway rolls back when `tx` drops: all or nothing.
        tx.tx.commit().map_err(err)?;
        if purge {
            self.purged
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        Ok(replies)
    }

    fn service(&self) -> crate::service::Service {
        crate::service::Service::EmbeddedStore
    }

    fn describe(&self) -> String {
        format!("file:{}", self.path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::StateExt;

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
        let h = store.hgetall("offset:g:t").unwrap();
        assert_eq!(h.get("0").map(String::as_str), Some("42"));
    }

    #[test]
    fn two_openers_of_one_file_see_each_others_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        let first = EmbeddedStore::open(&path).unwrap();
        let second = EmbeddedStore::open(&path).unwrap();
        first
            .exec(vec![Op::SAdd {
                key: "s".into(),
                members: vec!["a".into()],
            }])
            .unwrap();
        assert_eq!(second.smembers("s").unwrap(), ["a"]);
        second
            .exec(vec![Op::SAdd {
                key: "s".into(),
                members: vec!["b".into()],
            }])
            .unwrap();
        assert_eq!(first.smembers("s").unwrap(), ["a", "b"]);
    }

    #[test]
    fn a_failing_batch_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(&dir.path().join("state")).unwrap();
        let bad = store.exec(vec![
            Op::Set {
                key: "str".into(),
                value: "1".into(),
                ttl: None,
            },
            Op::SAdd {
                key: "str".into(),
                members: vec!["a".into()],
            },
        ]);
        assert!(matches!(bad, Err(StateError::WrongType { .. })), "{bad:?}");
        assert_eq!(store.get("str").unwrap(), None, "rolled back");
    }

    #[test]
    fn an_old_format_file_is_converted_once_with_everything_it_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        let later = now_ms() + 3_600_000;
        let old = legacy_redb::Contents {
            meta: vec![
                ("k".into(), 1, 0),
                ("DAU:2026-11-01".into(), 2, later),
                ("offset:g:t".into(), 3, 0),
                ("gone".into(), 1, 1),
            ],
            strings: vec![("k".into(), "v".into()), ("gone".into(), "x".into())],
            sets: vec![
                ("DAU:2026-11-01".into(), "m1".into()),
                ("DAU:2026-11-01".into(), "m2".into()),
            ],
            hashes: vec![("offset:g:t".into(), "0".into(), "42".into())],
        };
        legacy_redb::write_for_test(&path, &old).unwrap();
        assert!(legacy_redb::is_legacy(&path));
        let store = EmbeddedStore::open(&path).unwrap();
        assert_eq!(store.get("k").unwrap().as_deref(), Some("v"));
        assert_eq!(store.smembers("DAU:2026-11-01").unwrap(), ["m1", "m2"]);
        let ttl = store.one(Op::Ttl("DAU:2026-11-01".into())).unwrap();
        assert!(
            matches!(ttl, Reply::Int(t) if (3590..=3600).contains(&t)),
            "{ttl:?}"
        );
        assert_eq!(store.hgetall("offset:g:t").unwrap()["0"], "42");
        assert_eq!(
            store.get("gone").unwrap(),
            None,
            "expired keys stay expired"
        );
        assert!(
            dir.path().join("state.redb-backup").exists(),
            "the old file is kept"
        );
        drop(store);
        // A second open finds the new format and converts nothing.
        let again = EmbeddedStore::open(&path).unwrap();
        assert_eq!(again.get("k").unwrap().as_deref(), Some("v"));
    }

    #[test]
    fn opening_a_store_another_process_is_writing_to_does_not_wait() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        let store = EmbeddedStore::open(&path).unwrap();
        store
            .exec(vec![Op::Set {
                key: "k".into(),
                value: "v".into(),
                ttl: None,
            }])
            .unwrap();
        drop(store);
        let mut writer = Connection::open(&path).unwrap();
        let tx = writer
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        tx.execute("UPDATE keys SET value = 'uncommitted' WHERE key = 'k'", [])
            .unwrap();
        let started = std::time::Instant::now();
        let reader = EmbeddedStore::open(&path).unwrap();
        assert_eq!(
            reader.get("k").unwrap().as_deref(),
            Some("v"),
            "the last commit"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        drop(tx);
    }

    #[test]
    fn another_programs_database_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("people.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE people (name TEXT)")
            .unwrap();
        let e = EmbeddedStore::open(&path).err().expect("must fail");
        assert!(format!("{e:#}").contains("another program"), "{e:#}");
        let tables: i64 = Connection::open(&path)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 1, "no table added");
    }

    #[test]
    fn a_file_of_something_else_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state");
        std::fs::write(&path, "not a database, just text that is long enough to have a header ......................................").unwrap();
        let e = EmbeddedStore::open(&path).err().expect("must fail");
        assert!(
            format!("{e:#}").contains("is not an rtdw state file"),
            "{e:#}"
        );
    }
}
