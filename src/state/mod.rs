//! The state store: the key/value, set and hash operations every tool keeps its
//! state with (offsets, the DAU set, the dimension rows, join buffers).
//!
//! Two backends behave alike: Redis ([`redis`]) and an embedded file store
//! ([`embedded`]) so that every tool runs with no server. A caller sends a whole
//! batch of [`Op`]s at once: one pipeline round trip on Redis, one transaction on
//! the embedded store.

pub mod batch;
pub mod embedded;
pub mod glob;
pub mod order_join;
pub mod redis;
pub mod retrying;
pub mod versioned;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;

/// One operation; the names follow the Redis commands they map to.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Get(String),
    Set {
        key: String,
        value: String,
        ttl: Option<Duration>,
    },
    Del(Vec<String>),
    Exists(String),
    /// Sets the time to live of an existing key; no effect on a missing key.
    Expire {
        key: String,
        ttl: Duration,
    },
    /// Sets the expiry to an absolute Unix time in seconds.
    ExpireAt {
        key: String,
        unix_secs: i64,
    },
    /// Seconds left: -2 = no such key, -1 = no expiry (Redis's TTL).
    Ttl(String),
    /// Atomically replaces `to` with `from`, expiry included.
    Rename {
        from: String,
        to: String,
    },
    SAdd {
        key: String,
        members: Vec<String>,
    },
    SRem {
        key: String,
        members: Vec<String>,
    },
    SMIsMember {
        key: String,
        members: Vec<String>,
    },
    SMembers(String),
    SCard(String),
    HSet {
        key: String,
        fields: Vec<(String, String)>,
    },
    HGet {
        key: String,
        field: String,
    },
    HGetAll(String),
    HDel {
        key: String,
        fields: Vec<String>,
    },
    /// Keys matching a glob (`*`, `?`), like Redis SCAN MATCH.
    Keys(String),
    /// Sets `key` to `value` (or deletes it when `None`) unless the stored
    /// version is newer than `version` ([`versioned`]): Int(1) written, Int(0) stale.
    PutIfNewer {
        key: String,
        value: Option<String>,
        version: String,
    },
    /// Gives `field` of hash `key` its place in the running sum kept in the
    /// hash's [`CLAIM_SUM`] field: the first time, stores the sum before it
    /// and adds `units`; every later time, answers the stored place without
    /// adding again (replays are idempotent). Atomic, so concurrent
    /// instances never get overlapping places. Int(the sum before `field`).
    Claim {
        key: String,
        field: String,
        units: i64,
    },
}

/// The running-sum field of a hash written by [`Op::Claim`].
pub const CLAIM_SUM: &str = "_sum";

impl Op {
    pub fn is_read_only(&self) -> bool {
        matches!(
            self,
            Op::Get(_)
                | Op::Exists(_)
                | Op::Ttl(_)
                | Op::SMIsMember { .. }
                | Op::SMembers(_)
                | Op::SCard(_)
                | Op::HGet { .. }
                | Op::HGetAll(_)
                | Op::Keys(_)
        )
    }
}

/// The answer to one [`Op`], in the same position as the op.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Ok,
    Nil,
    Int(i64),
    Str(String),
    Strs(Vec<String>),
    Bools(Vec<bool>),
    Map(BTreeMap<String, String>),
}

/// Typed reads of a reply: the shape the op promises, or
/// [`StateError::UnexpectedReply`] naming what came instead. Never a default:
/// an empty set read from a wrong reply would make every `dau` visit new.
impl Reply {
    fn unexpected(self, expected: &'static str) -> StateError {
        StateError::UnexpectedReply {
            expected,
            got: format!("{self:?}").chars().take(120).collect(),
        }
    }

    /// `Get`: the value, `None` for a missing key.
    pub fn into_opt_string(self) -> Result<Option<String>, StateError> {
        match self {
            Reply::Str(s) => Ok(Some(s)),
            Reply::Nil => Ok(None),
            other => Err(other.unexpected("a string or nil")),
        }
    }
    /// `SCard`, `Ttl`, `Incr`-like ops.
    pub fn into_int(self) -> Result<i64, StateError> {
        match self {
            Reply::Int(n) => Ok(n),
            other => Err(other.unexpected("an integer")),
        }
    }
    /// `SMembers`, `Keys`.
    pub fn into_strs(self) -> Result<Vec<String>, StateError> {
        match self {
            Reply::Strs(v) => Ok(v),
            other => Err(other.unexpected("a list of strings")),
        }
    }
    /// `SMIsMember` of `n` members: exactly `n` answers.
    pub fn into_bools(self, n: usize) -> Result<Vec<bool>, StateError> {
        match self {
            Reply::Bools(v) if v.len() == n => Ok(v),
            other => Err(other.unexpected("one yes/no per member asked")),
        }
    }
    /// `HGetAll`: the fields, empty for a missing key.
    pub fn into_map(self) -> Result<BTreeMap<String, String>, StateError> {
        match self {
            Reply::Map(m) => Ok(m),
            other => Err(other.unexpected("a map of fields")),
        }
    }
}

/// Typed reads of the replies of a pipeline, in op order: a missing reply
/// is an error like a wrong one.
pub trait ReplyIter: Iterator<Item = Reply> {
    fn next_reply(&mut self) -> Result<Reply, StateError> {
        self.next().ok_or(StateError::UnexpectedReply {
            expected: "a reply",
            got: "none (fewer replies than ops)".into(),
        })
    }
    fn next_strs(&mut self) -> Result<Vec<String>, StateError> {
        self.next_reply()?.into_strs()
    }
    fn next_opt_string(&mut self) -> Result<Option<String>, StateError> {
        self.next_reply()?.into_opt_string()
    }
    fn next_int(&mut self) -> Result<i64, StateError> {
        self.next_reply()?.into_int()
    }
}

impl<I: Iterator<Item = Reply>> ReplyIter for I {}

/// Errors a caller may branch on.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The backend cannot be reached (connection refused, timeout): retry or exit 69.
    #[error("{backend} unreachable: {reason}")]
    Unreachable { backend: String, reason: String },
    /// A key holds another type than the op expects (Redis WRONGTYPE).
    #[error("key {key} holds another type of value")]
    WrongType { key: String },
    /// The backend answered an op with another shape than the op promises.
    #[error("unexpected reply from the state store: {got} where {expected} was expected")]
    UnexpectedReply { expected: &'static str, got: String },
    #[error("{0}")]
    Other(String),
}

static ROUND_TRIPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Round trips to the state store so far in this process (a Redis pipeline
/// or SCAN page, an embedded transaction): tools batch their operations, so
/// this grows per batch, not per record.
pub fn round_trips() -> u64 {
    ROUND_TRIPS.load(std::sync::atomic::Ordering::Relaxed)
}

pub(crate) fn count_round_trip() {
    ROUND_TRIPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// A state backend. Implementations are shared between threads (`&self`).
pub trait StateStore: Send + Sync {
    /// Runs the ops in order as one pipeline (Redis) or one transaction
    /// (embedded) and returns one reply per op.
    fn exec(&self, ops: Vec<Op>) -> Result<Vec<Reply>, StateError>;

    /// Where the state lives, secrets masked (for logs and errors).
    fn describe(&self) -> String;

    /// The service's name in logs, metrics and exit hints
    /// ([`crate::exit::hint_for`]).
    fn service(&self) -> crate::service::Service;
}

/// Convenience calls for a single op.
pub trait StateExt {
    fn one(&self, op: Op) -> Result<Reply, StateError>;
    fn get(&self, key: &str) -> Result<Option<String>, StateError> {
        self.one(Op::Get(key.into()))?.into_opt_string()
    }
    fn hgetall(&self, key: &str) -> Result<BTreeMap<String, String>, StateError> {
        self.one(Op::HGetAll(key.into()))?.into_map()
    }
    fn smembers(&self, key: &str) -> Result<Vec<String>, StateError> {
        self.one(Op::SMembers(key.into()))?.into_strs()
    }
    fn keys(&self, pattern: &str) -> Result<Vec<String>, StateError> {
        self.one(Op::Keys(pattern.into()))?.into_strs()
    }
}

impl<T: StateStore + ?Sized> StateExt for T {
    fn one(&self, op: Op) -> Result<Reply, StateError> {
        self.exec(vec![op])?
            .pop()
            .ok_or_else(|| StateError::Other("backend returned no reply".into()))
    }
}

/// Where state lives, as given by `--state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateSpec {
    Redis,
    File(std::path::PathBuf),
}

impl std::str::FromStr for StateSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "redis" {
            Ok(StateSpec::Redis)
        } else if let Some(path) = s.strip_prefix("file:") {
            if path.is_empty() {
                return Err("`file:` needs a path, e.g. file:.rtdw/state".into());
            }
            Ok(StateSpec::File(path.into()))
        } else {
            Err(format!(
                "unknown state store `{s}`: use `redis` or `file:PATH`"
            ))
        }
    }
}

impl std::fmt::Display for StateSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StateSpec::Redis => f.write_str("redis"),
            StateSpec::File(p) => write!(f, "file:{}", p.display()),
        }
    }
}

/// Opens a backend. `redis_url` is needed for [`StateSpec::Redis`].
pub fn open(spec: &StateSpec, redis_url: Option<&str>) -> Result<Arc<dyn StateStore>> {
    match spec {
        StateSpec::File(path) => Ok(open_file(path)?),
        StateSpec::Redis => {
            let url = redis_url.ok_or_else(|| {
                crate::exit::Failure::usage("--state redis needs --redis URL (or RTDW_REDIS_URL)")
            })?;
            Ok(Arc::new(redis::RedisStore::connect(url)?))
        }
    }
}

/// The embedded store at `path`, shared by every user in this process (a
/// tool's state and its offsets often live in the same file, and the file
/// admits one opener).
fn open_file(path: &std::path::Path) -> Result<Arc<embedded::EmbeddedStore>> {
    type Opened = Vec<(std::path::PathBuf, std::sync::Weak<embedded::EmbeddedStore>)>;
    static OPENED: std::sync::Mutex<Opened> = std::sync::Mutex::new(Vec::new());
    let key = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut opened = OPENED.lock().unwrap_or_else(|p| p.into_inner());
    opened.retain(|(_, store)| store.strong_count() > 0);
    if let Some(store) = opened
        .iter()
        .find(|(p, _)| *p == key)
        .and_then(|(_, s)| s.upgrade())
    {
        return Ok(store);
    }
    let store = Arc::new(embedded::EmbeddedStore::open(path)?);
    opened.push((key, Arc::downgrade(&store)));
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_reply_is_an_error_never_a_default() {
        assert!(matches!(
            Reply::Ok.into_bools(2),
            Err(StateError::UnexpectedReply { .. })
        ));
        // One answer short: every visit of dau's batch would look new.
        assert!(Reply::Bools(vec![true]).into_bools(2).is_err());
        assert_eq!(
            Reply::Bools(vec![true, false]).into_bools(2).unwrap(),
            [true, false]
        );
        assert!(Reply::Nil.into_int().is_err());
        assert!(Reply::Int(3).into_strs().is_err());
        assert_eq!(Reply::Nil.into_opt_string().unwrap(), None);
        assert!(Reply::Strs(vec![]).into_map().is_err());
        let mut none = Vec::<Reply>::new().into_iter();
        assert!(none.next_strs().is_err(), "a missing reply too");
    }
}
