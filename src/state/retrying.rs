//! A state store whose calls ride out an outage with the run's retry policy
//! (exit 69 after `--max-retry-time`).

use std::sync::Arc;

use anyhow::Result;

use super::{Op, Reply, StateError, StateStore};
use crate::retry::{retry, Attempt, RetryPolicy};
use crate::shutdown::Shutdown;

#[derive(Clone)]
pub struct Retrying {
    pub state: Arc<dyn StateStore>,
    policy: RetryPolicy,
    shutdown: Shutdown,
}

impl Retrying {
    pub fn new(state: Arc<dyn StateStore>, policy: RetryPolicy, shutdown: Shutdown) -> Retrying {
        Retrying {
            state,
            policy,
            shutdown,
        }
    }

    /// Runs `ops` as one pipeline/transaction, again after a connection
    /// loss: every caller sends ops that are safe to repeat.
    pub fn exec(&self, ops: Vec<Op>) -> Result<Vec<Reply>> {
        let target = self.state.describe();
        retry(
            &self.policy,
            self.state.service(),
            &target,
            &self.shutdown,
            || {
                self.state.exec(ops.clone()).map_err(|e| match e {
                    StateError::Unreachable { .. } => Attempt::Transient(e),
                    other => Attempt::Permanent(other),
                })
            },
        )
    }

    pub fn describe(&self) -> String {
        self.state.describe()
    }
}
