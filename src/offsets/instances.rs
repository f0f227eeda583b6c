//! Live-instance registry: each running consumer registers itself in the
//! state store, in the hash `instances:{group}` (field = `INSTANCE:PID`,
//! value = JSON with host, pid, tool, started and last_seen in Unix
//! seconds), refreshed every few seconds and expiring with the last instance.
//! `rtdw offsets` reads it to refuse resetting a live group.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::state::{Op, StateExt, StateStore};

/// An instance not seen for this long is dead.
pub const TTL: Duration = Duration::from_secs(30);
const REFRESH_EVERY: Duration = Duration::from_secs(5);

pub fn key(group: &str) -> String {
    format!("instances:{group}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceInfo {
    pub instance: String,
    pub host: String,
    pub pid: u32,
    pub tool: String,
    pub started: u64,
    pub last_seen: u64,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// This machine's host name (for instance ids and the registry).
pub fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates on success.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    match rc {
        0 if end > 0 => String::from_utf8_lossy(&buf[..end]).into_owned(),
        _ => "localhost".to_string(),
    }
}

/// This process's registration; removed when dropped (a clean exit).
pub struct Registration {
    state: Arc<dyn StateStore>,
    key: String,
    field: String,
    info: InstanceInfo,
    last: Instant,
}

impl Registration {
    pub fn register(
        state: Arc<dyn StateStore>,
        group: &str,
        instance: &str,
        tool: &str,
    ) -> Result<Registration> {
        let now = now_secs();
        let pid = std::process::id();
        let info = InstanceInfo {
            instance: instance.to_string(),
            host: hostname(),
            pid,
            tool: tool.to_string(),
            started: now,
            last_seen: now,
        };
        let mut r = Registration {
            state,
            key: key(group),
            field: format!("{instance}:{pid}"),
            info,
            last: Instant::now(),
        };
        r.write()?;
        Ok(r)
    }

    fn write(&mut self) -> Result<()> {
        self.info.last_seen = now_secs();
        let value = serde_json::to_string(&self.info)?;
        self.state.exec(vec![
            Op::HSet {
                key: self.key.clone(),
                fields: vec![(self.field.clone(), value)],
            },
            Op::Expire {
                key: self.key.clone(),
                ttl: TTL,
            },
        ])?;
        self.last = Instant::now();
        Ok(())
    }

    /// Refreshes the registration when due; an outage only logs.
    pub fn refresh(&mut self) {
        if self.last.elapsed() >= REFRESH_EVERY {
            if let Err(e) = self.write() {
                tracing::debug!("refreshing {} in the state store: {e:#}", self.key);
                self.last = Instant::now();
            }
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let _ = self.state.exec(vec![Op::HDel {
            key: self.key.clone(),
            fields: vec![self.field.clone()],
        }]);
    }
}

/// The instances of `group` seen within [`TTL`].
pub fn live(state: &dyn StateStore, group: &str) -> Result<Vec<InstanceInfo>> {
    let now = now_secs();
    let mut out: Vec<InstanceInfo> = state
        .hgetall(&key(group))?
        .into_values()
        .filter_map(|v| serde_json::from_str::<InstanceInfo>(&v).ok())
        .filter(|i| now.saturating_sub(i.last_seen) <= TTL.as_secs())
        .collect();
    out.sort_by(|a, b| a.instance.cmp(&b.instance).then(a.pid.cmp(&b.pid)));
    Ok(out)
}
