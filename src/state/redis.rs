//! The Redis state backend: one pipeline per batch of ops, on a single node or
//! a Redis Cluster (a comma-separated list of node URLs).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Result;
use redis::cluster::{ClusterClient, ClusterConnection};
use redis::{Client, Cmd, Connection, Value};

use super::{Op, Reply, StateError, StateStore};
use crate::exit::Failure;
use crate::settings::mask_url;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const IO_TIMEOUT: Duration = Duration::from_secs(30);

enum Target {
    Single(Client),
    /// The client, and the first node's connection info (credentials, TLS)
    /// for reaching each master directly (SCAN runs per node).
    Cluster(ClusterClient, Box<redis::ConnectionInfo>),
}

enum Conn {
    Single(Connection),
    Cluster(Box<ClusterConnection>),
}

pub struct RedisStore {
    target: Target,
    masked: String,
    conn: Mutex<Option<Conn>>,
    /// The scripts' SHA1s, and whether this connection's server has them
    /// (SCRIPT LOAD once per connection; EVAL on a cluster).
    shas: Shas,
    script_loaded: AtomicBool,
}

impl RedisStore {
    /// Connects now, so that a wrong URL fails before any work starts (exit 69).
    pub fn connect(url: &str) -> Result<RedisStore> {
        let masked = mask_url(url);
        let target = if url.contains(',') {
            let nodes: Vec<&str> = url.split(',').map(str::trim).collect();
            let seed = redis::IntoConnectionInfo::into_connection_info(nodes[0])
                .map_err(|e| Failure::usage(format!("bad Redis Cluster URL list {masked}: {e}")))?;
            Target::Cluster(
                ClusterClient::new(nodes).map_err(|e| {
                    Failure::usage(format!("bad Redis Cluster URL list {masked}: {e}"))
                })?,
                Box::new(seed),
            )
        } else {
            Target::Single(
                Client::open(url)
                    .map_err(|e| Failure::usage(format!("bad Redis URL {masked}: {e}")))?,
            )
        };
        let store = RedisStore {
            target,
            masked,
            conn: Mutex::new(None),
            shas: Shas {
                versioned: redis::Script::new(super::versioned::SCRIPT)
                    .get_hash()
                    .to_string(),
                claim: redis::Script::new(CLAIM_SCRIPT).get_hash().to_string(),
            },
            script_loaded: AtomicBool::new(false),
        };
        let conn = store.open_conn().map_err(|e| {
            Failure::unavailable(crate::service::Service::Redis, store.masked.clone(), e)
        })?;
        *store.lock() = Some(conn);
        Ok(store)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Conn>> {
        // A panic while holding the lock leaves only a connection behind: reuse is safe.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn open_conn(&self) -> Result<Conn, redis::RedisError> {
        self.script_loaded.store(false, Ordering::Relaxed);
        Ok(match &self.target {
            Target::Single(c) => {
                let conn = c.get_connection_with_timeout(CONNECT_TIMEOUT)?;
                conn.set_read_timeout(Some(IO_TIMEOUT))?;
                conn.set_write_timeout(Some(IO_TIMEOUT))?;
                Conn::Single(conn)
            }
            Target::Cluster(c, _) => Conn::Cluster(Box::new(c.get_connection()?)),
        })
    }

    fn unreachable(&self, e: impl std::fmt::Display) -> StateError {
        StateError::Unreachable {
            backend: format!("redis {}", self.masked),
            reason: e.to_string(),
        }
    }

    fn run_pipeline(&self, conn: &mut Conn, cmds: Vec<Cmd>) -> redis::RedisResult<Vec<Value>> {
        super::count_round_trip();
        match conn {
            Conn::Single(c) => {
                let mut p = redis::pipe();
                for cmd in cmds {
                    p.add_command(cmd);
                }
                p.query(c)
            }
            // A cluster pipeline refuses RENAME (both keys must be routed
            // together): such a batch goes one command at a time, each to
            // its slot's master (the two keys share a slot: see restore-state).
            Conn::Cluster(c) if cmds.iter().any(is_rename) => cmds
                .iter()
                .map(|cmd| cmd.query::<Value>(&mut **c))
                .collect(),
            Conn::Cluster(c) => {
                let mut p = redis::cluster::cluster_pipe();
                for cmd in cmds {
                    p.add_command(cmd);
                }
                p.query(c)
            }
        }
    }

    fn scan(&self, conn: &mut Conn, pattern: &str) -> Result<Vec<String>, StateError> {
        let mut keys = match conn {
            Conn::Single(c) => scan_node(c, pattern).map_err(|e| self.map_err(e))?,
            // SCAN sees one node's keys: every master is scanned, found
            // through CLUSTER SLOTS, reached with the first node's settings.
            Conn::Cluster(c) => {
                let Target::Cluster(_, seed) = &self.target else {
                    return Err(StateError::Other(
                        "a cluster connection without a cluster".into(),
                    ));
                };
                let slots: Vec<Value> = redis::cmd("CLUSTER")
                    .arg("SLOTS")
                    .query(&mut **c)
                    .map_err(|e| self.map_err(e))?;
                let mut keys = Vec::new();
                for (host, port) in masters(&slots) {
                    let addr = match seed.addr() {
                        redis::ConnectionAddr::TcpTls {
                            insecure,
                            tls_params,
                            ..
                        } => redis::ConnectionAddr::TcpTls {
                            host,
                            port,
                            insecure: *insecure,
                            tls_params: tls_params.clone(),
                        },
                        _ => redis::ConnectionAddr::Tcp(host, port),
                    };
                    let info = (**seed).clone().set_addr(addr);
                    let mut node = Client::open(info)
                        .and_then(|client| client.get_connection_with_timeout(CONNECT_TIMEOUT))
                        .map_err(|e| self.map_err(e))?;
                    keys.extend(scan_node(&mut node, pattern).map_err(|e| self.map_err(e))?);
                }
                keys
            }
        };
        keys.sort();
        keys.dedup();
        Ok(keys)
    }

    fn map_err(&self, e: redis::RedisError) -> StateError {
        // A pipeline wraps the server's error, so its code shows only in the text.
        if e.code() == Some("WRONGTYPE") || e.to_string().contains("WRONGTYPE") {
            StateError::WrongType { key: String::new() }
        } else if e.is_io_error()
            || e.is_connection_dropped()
            || e.is_timeout()
            || e.is_connection_refusal()
        {
            self.unreachable(e)
        } else {
            StateError::Other(format!("redis {}: {e}", self.masked))
        }
    }

    fn exec_on(&self, conn: &mut Conn, ops: Vec<Op>) -> Result<Vec<Reply>, StateError> {
        // A cluster routes a command by its one slot: a DEL of keys in
        // several slots goes as one DEL per key, the counts added up.
        let multi_slot_del = |op: &Op| matches!(op, Op::Del(keys) if keys.len() > 1);
        if matches!(conn, Conn::Cluster(_)) && ops.iter().any(multi_slot_del) {
            let mut sizes = Vec::with_capacity(ops.len());
            let mut single = Vec::with_capacity(ops.len());
            for op in ops {
                match op {
                    Op::Del(keys) if keys.len() > 1 => {
                        sizes.push(keys.len());
                        single.extend(keys.into_iter().map(|k| Op::Del(vec![k])));
                    }
                    other => {
                        sizes.push(1);
                        single.push(other);
                    }
                }
            }
            let mut replies = self.exec_on(conn, single)?.into_iter();
            return Ok(sizes
                .into_iter()
                .map(|n| match n {
                    1 => replies.next().unwrap_or(Reply::Int(0)),
                    n => Reply::Int(
                        replies
                            .by_ref()
                            .take(n)
                            .map(|r| match r {
                                Reply::Int(i) => i,
                                _ => 0,
                            })
                            .sum(),
                    ),
                })
                .collect());
        }
        let mut replies = Vec::with_capacity(ops.len());
        // Keys needs a SCAN loop, which cannot sit in a pipeline: split around it.
        let mut pending: Vec<Op> = Vec::new();
        for op in ops {
            if let Op::Keys(pattern) = &op {
                self.flush_ops(conn, std::mem::take(&mut pending), &mut replies)?;
                replies.push(Reply::Strs(self.scan(conn, pattern)?));
            } else {
                pending.push(op);
            }
        }
        self.flush_ops(conn, pending, &mut replies)?;
        Ok(replies)
    }

    fn flush_ops(
        &self,
        conn: &mut Conn,
        ops: Vec<Op>,
        replies: &mut Vec<Reply>,
    ) -> Result<(), StateError> {
        if ops.is_empty() {
            return Ok(());
        }
        let scripted = ops
            .iter()
            .any(|op| matches!(op, Op::PutIfNewer { .. } | Op::Claim { .. }));
        let sha = match conn {
            Conn::Single(_) => Some(&self.shas),
            Conn::Cluster(_) => None,
        };
        if scripted && sha.is_some() && !self.script_loaded.load(Ordering::Relaxed) {
            self.load_script(conn).map_err(|e| self.map_err(e))?;
        }
        let (cmds, shape) = commands(&ops, sha);
        let mut result = self.run_pipeline(conn, cmds.clone());
        if matches!(&result, Err(e) if e.code() == Some("NOSCRIPT") || e.to_string().contains("NOSCRIPT"))
        {
            // The server lost its scripts (SCRIPT FLUSH, a failover): load and
            // send again; every op before the failed one is idempotent to repeat.
            self.load_script(conn).map_err(|e| self.map_err(e))?;
            result = self.run_pipeline(conn, cmds);
        }
        let values = result.map_err(|e| match self.map_err(e) {
            StateError::WrongType { .. } => StateError::WrongType {
                key: first_key(&ops),
            },
            other => other,
        })?;
        if values.len() != shape.len() {
            return Err(StateError::Other(format!(
                "redis answered {} replies to {} commands",
                values.len(),
                shape.len()
            )));
        }
        let mut ops = ops.iter();
        for (rows, v) in shape.into_iter().zip(values) {
            if rows == 0 {
                if let Some(op) = ops.next() {
                    replies.push(to_reply(op, v));
                }
                continue;
            }
            let written = list(v);
            if written.len() != rows {
                return Err(StateError::Other(format!(
                    "redis answered {} results to a versioned write of {rows} rows",
                    written.len()
                )));
            }
            for w in written {
                ops.next();
                replies.push(Reply::Int(matches!(w, Value::Int(1)) as i64));
            }
        }
        Ok(())
    }
}

impl RedisStore {
    fn load_script(&self, conn: &mut Conn) -> redis::RedisResult<()> {
        if let Conn::Single(c) = conn {
            for script in [super::versioned::SCRIPT, CLAIM_SCRIPT] {
                let _: String = redis::cmd("SCRIPT").arg("LOAD").arg(script).query(c)?;
            }
        }
        self.script_loaded.store(true, Ordering::Relaxed);
        Ok(())
    }
}

/// Every key of one node matching `pattern` (SCAN, 1 000 a step).
fn scan_node(c: &mut Connection, pattern: &str) -> redis::RedisResult<Vec<String>> {
    redis::cmd("SCAN")
        .cursor_arg(0)
        .arg("MATCH")
        .arg(pattern)
        .arg("COUNT")
        .arg(1000)
        .clone()
        .iter::<String>(c)?
        .collect()
}

/// The masters of a CLUSTER SLOTS answer: `[start, end, [host, port, id], replicas…]`.
fn masters(slots: &[Value]) -> std::collections::BTreeSet<(String, u16)> {
    slots
        .iter()
        .filter_map(|range| match range {
            Value::Array(items) => match items.get(2) {
                Some(Value::Array(node)) => {
                    let host: String = redis::from_redis_value(node.first()?.clone()).ok()?;
                    let port: u16 = redis::from_redis_value(node.get(1)?.clone()).ok()?;
                    Some((host, port))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn is_rename(cmd: &Cmd) -> bool {
    matches!(cmd.args_iter().next(), Some(redis::Arg::Simple(name)) if name.eq_ignore_ascii_case(b"RENAME"))
}

fn first_key(ops: &[Op]) -> String {
    ops.iter()
        .find_map(|op| match op {
            Op::SAdd { key, .. } | Op::HSet { key, .. } | Op::Get(key) => Some(key.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The scripts' SHA1s (for EVALSHA on a single node).
struct Shas {
    versioned: String,
    claim: String,
}

/// [`Op::Claim`]: KEYS = the hash; ARGV = field, units. The place is
/// answered as a string so that it never passes through a Lua number.
const CLAIM_SCRIPT: &str = r#"
local place = redis.call('HGET', KEYS[1], ARGV[1])
if place then return place end
local before = redis.call('HGET', KEYS[1], '_sum') or '0'
redis.call('HSET', KEYS[1], ARGV[1], before)
redis.call('HINCRBY', KEYS[1], '_sum', ARGV[2])
return before
"#;

/// Rows per versioned-write script call.
const VERSIONED_ROWS_PER_CALL: usize = 200;

/// The commands for `ops` and, per command, how many versioned rows it
/// writes (0 = an ordinary command answering its one op). Runs of
/// versioned writes go `VERSIONED_ROWS_PER_CALL` rows to an EVALSHA; on a
/// cluster (EVAL, no SHA) one row per call, as rows live in different slots.
fn commands(ops: &[Op], shas: Option<&Shas>) -> (Vec<Cmd>, Vec<usize>) {
    let script_sha = shas.map(|s| s.versioned.as_str());
    let per_call = if script_sha.is_some() {
        VERSIONED_ROWS_PER_CALL
    } else {
        1
    };
    let (mut cmds, mut shape) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < ops.len() {
        let run = ops[i..]
            .iter()
            .take(per_call)
            .take_while(|op| matches!(op, Op::PutIfNewer { .. }))
            .count();
        if run == 0 {
            cmds.push(match &ops[i] {
                Op::Claim { key, field, units } => {
                    claim_call(key, field, *units, shas.map(|s| s.claim.as_str()))
                }
                op => to_cmd(op),
            });
            shape.push(0);
            i += 1;
            continue;
        }
        cmds.push(versioned_call(&ops[i..i + run], script_sha));
        shape.push(run);
        i += run;
    }
    (cmds, shape)
}

fn versioned_call(rows: &[Op], script_sha: Option<&str>) -> Cmd {
    let mut c = match script_sha {
        Some(sha) => redis::cmd("EVALSHA").arg(sha).clone(),
        None => redis::cmd("EVAL").arg(super::versioned::SCRIPT).clone(),
    };
    c.arg(rows.len() * 2);
    for op in rows {
        if let Op::PutIfNewer { key, .. } = op {
            c.arg(key).arg(super::versioned::version_key(key));
        }
    }
    for op in rows {
        if let Op::PutIfNewer { value, version, .. } = op {
            c.arg(version);
            match value {
                Some(v) => c.arg("S").arg(v),
                None => c.arg("D").arg(""),
            };
        }
    }
    c
}

fn claim_call(key: &str, field: &str, units: i64, sha: Option<&str>) -> Cmd {
    let mut c = match sha {
        Some(sha) => redis::cmd("EVALSHA").arg(sha).clone(),
        None => redis::cmd("EVAL").arg(CLAIM_SCRIPT).clone(),
    };
    c.arg(1).arg(key).arg(field).arg(units);
    c
}

fn to_cmd(op: &Op) -> Cmd {
    match op {
        Op::PutIfNewer { .. } => versioned_call(std::slice::from_ref(op), None),
        Op::Get(k) => redis::cmd("GET").arg(k).clone(),
        Op::Set { key, value, ttl } => {
            let mut c = redis::cmd("SET");
            c.arg(key).arg(value);
            if let Some(t) = ttl {
                c.arg("PX").arg(t.as_millis().max(1) as u64);
            }
            c
        }
        Op::Del(keys) => redis::cmd("DEL").arg(keys).clone(),
        Op::Exists(k) => redis::cmd("EXISTS").arg(k).clone(),
        Op::Expire { key, ttl } => redis::cmd("PEXPIRE")
            .arg(key)
            .arg(ttl.as_millis().max(1) as u64)
            .clone(),
        Op::ExpireAt { key, unix_secs } => redis::cmd("EXPIREAT").arg(key).arg(*unix_secs).clone(),
        Op::Ttl(k) => redis::cmd("TTL").arg(k).clone(),
        Op::Rename { from, to } => redis::cmd("RENAME").arg(from).arg(to).clone(),
        Op::SAdd { key, members } => redis::cmd("SADD").arg(key).arg(members).clone(),
        Op::SRem { key, members } => redis::cmd("SREM").arg(key).arg(members).clone(),
        Op::SMIsMember { key, members } => redis::cmd("SMISMEMBER").arg(key).arg(members).clone(),
        Op::SMembers(k) => redis::cmd("SMEMBERS").arg(k).clone(),
        Op::SCard(k) => redis::cmd("SCARD").arg(k).clone(),
        Op::HSet { key, fields } => {
            let mut c = redis::cmd("HSET");
            c.arg(key);
            for (f, v) in fields {
                c.arg(f).arg(v);
            }
            c
        }
        Op::HGet { key, field } => redis::cmd("HGET").arg(key).arg(field).clone(),
        Op::HGetAll(k) => redis::cmd("HGETALL").arg(k).clone(),
        Op::HDel { key, fields } => redis::cmd("HDEL").arg(key).arg(fields).clone(),
        Op::Keys(p) => redis::cmd("KEYS").arg(p).clone(),
        Op::Claim { key, field, units } => claim_call(key, field, *units, None),
    }
}

fn text(v: Value) -> Option<String> {
    match v {
        Value::BulkString(b) => Some(String::from_utf8_lossy(&b).into_owned()),
        Value::SimpleString(s) => Some(s),
        Value::Int(n) => Some(n.to_string()),
        Value::VerbatimString { text, .. } => Some(text),
        _ => None,
    }
}

fn list(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) | Value::Set(a) => a,
        _ => Vec::new(),
    }
}

fn to_reply(op: &Op, v: Value) -> Reply {
    match op {
        Op::Set { .. } | Op::Rename { .. } => Reply::Ok,
        Op::Get(_) | Op::HGet { .. } => text(v).map(Reply::Str).unwrap_or(Reply::Nil),
        Op::Claim { .. } => text(v)
            .and_then(|t| t.parse().ok())
            .map_or(Reply::Nil, Reply::Int),
        Op::SMembers(_) | Op::Keys(_) => {
            Reply::Strs(list(v).into_iter().filter_map(text).collect())
        }
        Op::SMIsMember { .. } => Reply::Bools(
            list(v)
                .into_iter()
                .map(|x| matches!(x, Value::Int(1) | Value::Boolean(true)))
                .collect(),
        ),
        Op::HGetAll(_) => {
            let pairs: Vec<(Value, Value)> = match v {
                Value::Map(m) => m,
                Value::Array(a) => {
                    let mut it = a.into_iter();
                    let mut out = Vec::new();
                    while let (Some(k), Some(val)) = (it.next(), it.next()) {
                        out.push((k, val));
                    }
                    out
                }
                _ => Vec::new(),
            };
            Reply::Map(
                pairs
                    .into_iter()
                    .filter_map(|(k, v)| Some((text(k)?, text(v)?)))
                    .collect(),
            )
        }
        _ => match v {
            Value::Int(n) => Reply::Int(n),
            Value::Boolean(b) => Reply::Int(b as i64),
            _ => Reply::Nil,
        },
    }
}

impl StateStore for RedisStore {
    fn exec(&self, ops: Vec<Op>) -> Result<Vec<Reply>, StateError> {
        let mut guard = self.lock();
        if guard.is_none() {
            *guard = Some(self.open_conn().map_err(|e| self.unreachable(e))?);
        }
        let conn = guard
            .as_mut()
            .ok_or_else(|| self.unreachable("no connection"))?;
        let result = self.exec_on(conn, ops);
        if let Err(StateError::Unreachable { .. }) = &result {
            // Reconnect on the next call rather than reuse a broken socket.
            *guard = None;
        }
        result
    }

    fn service(&self) -> crate::service::Service {
        crate::service::Service::Redis
    }

    fn describe(&self) -> String {
        format!("redis {}", self.masked)
    }
}
