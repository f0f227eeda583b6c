//! Test instrumentation, compiled only with `--features failpoints`: a log of
//! what each committed Kafka transaction contained.
//!
//! The librdkafka mock cluster writes no transaction markers and drops
//! `TxnOffsetCommit`, so a read_committed reader of the mock sees aborted
//! records too. With `RTDW_TXN_AUDIT=PATH`, every committed transaction
//! appends one JSON line to PATH:
//! `{"records":[[topic,partition,offset],…],"offsets":[[topic,partition,next],…]}`.
//! The exactly-once tests rebuild what a real broker's read_committed consumer
//! and group coordinator would hold from it.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Context, Result};

use crate::source::Position;

pub struct TxnAudit {
    path: PathBuf,
    delivered: Mutex<Vec<(String, i32, i64)>>,
}

impl TxnAudit {
    pub fn from_env() -> Option<TxnAudit> {
        let path = std::env::var_os("RTDW_TXN_AUDIT")?;
        Some(TxnAudit {
            path: path.into(),
            delivered: Mutex::new(Vec::new()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, i32, i64)>> {
        self.delivered.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn delivered(&self, topic: &str, partition: i32, offset: i64) {
        self.lock().push((topic.to_string(), partition, offset));
    }

    /// The transaction was aborted: its records are not part of the log.
    pub fn aborted(&self) {
        self.lock().clear();
    }

    /// Appends the committed transaction and syncs it before returning.
    pub fn committed(&self, positions: &[Position]) -> Result<()> {
        let records = std::mem::take(&mut *self.lock());
        let offsets: Vec<(&str, i32, i64)> = positions
            .iter()
            .map(|p| (&*p.topic, p.partition, p.next_offset))
            .collect();
        let mut line = serde_json::to_vec(&serde_json::json!({
            "records": records,
            "offsets": offsets,
        }))?;
        line.push(b'\n');
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .with_context(|| format!("transaction audit {}", self.path.display()))?;
        f.write_all(&line)?;
        f.sync_data()?;
        Ok(())
    }
}
