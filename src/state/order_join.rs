//! The order × detail join buffer of `order-wide` (SPEC §4.6) on any state
//! store: its keys, the requests of each step and the reading of their
//! replies. The tool sends the requests through the pipeline
//! ([`super::batch::BatchState`]); the contract test
//! (`tests/support/state_contract.rs`) sends them straight to each store:
//! embedded, Redis and Redis Cluster.
//!
//! Keys (renamable in `rtdw.toml` `[keys]`), each expiring after `--join-ttl`:
//! - `ORDERJOIN:ORDER_INFO:{id}`: an order's row (a string);
//! - `ORDERJOIN:ORDER_DETAIL:{order_id}`: the details waiting for it (a set
//!   of canonical row texts);
//! - `ORDERJOIN:ORDER_SPLIT:{order_id}`: each joined detail's place in the
//!   order's running line sum (a hash, [`Op::Claim`]);
//! - `ORDERJOIN:ORPHAN:{order_id}`: what the orphan sweep has reported (a set).

use std::collections::HashSet;
use std::time::Duration;

use anyhow::Result;

use super::{Op, Reply, ReplyIter, CLAIM_SUM};

/// Default key prefixes (renamable in `rtdw.toml` `[keys]`).
pub const ORDER_KEY: &str = "ORDERJOIN:ORDER_INFO";
pub const DETAIL_KEY: &str = "ORDERJOIN:ORDER_DETAIL";
pub const SPLIT_KEY: &str = "ORDERJOIN:ORDER_SPLIT";
/// `ORDERJOIN:ORPHAN:{order_id}`: what has been reported, so once only.
pub const ORPHAN_KEY: &str = "ORDERJOIN:ORPHAN";
/// The member of an orphan set that stands for the order itself.
pub const ORDER_MARK: &str = "order";

/// The buffer's key layout and time to live.
#[derive(Debug, Clone)]
pub struct JoinBuffer {
    order: String,
    detail: String,
    split: String,
    orphan: String,
    /// `--join-ttl`: every key expires this long after its last write.
    pub ttl: Duration,
}

/// What the join step read (see [`JoinBuffer::join_ops`]).
#[derive(Debug, Default, PartialEq)]
pub struct Joined {
    /// Per order stored, the details that waited for it, sorted: places are
    /// claimed in one order whatever the store's set order, so embedded and
    /// Redis give the same shares.
    pub waited: Vec<Vec<String>>,
    /// Per waiting group, its order's stored row, if stored.
    pub orders: Vec<Option<String>>,
}

/// The sweep's reads of aged keys: per key, (a detail set?, order id), and the ops.
pub type AgedReads = (Vec<(bool, String)>, Vec<Op>);

/// An order or detail key the sweep found older than `--orphan-after`.
#[derive(Debug, PartialEq)]
pub enum Aged {
    /// Details still waiting for `order_id`, and those already reported.
    Details {
        order_id: String,
        members: Vec<String>,
        reported: HashSet<String>,
    },
    /// A stored order, its running line sum in units and whether reported.
    Order {
        order_id: String,
        row: Option<String>,
        units: i64,
        reported: bool,
    },
}

impl JoinBuffer {
    /// `rename` maps a default key prefix to its `[keys]` rename
    /// ([`crate::settings::Settings::key`]).
    pub fn new(rename: impl Fn(&str) -> String, ttl: Duration) -> JoinBuffer {
        JoinBuffer {
            order: rename(ORDER_KEY),
            detail: rename(DETAIL_KEY),
            split: rename(SPLIT_KEY),
            orphan: rename(ORPHAN_KEY),
            ttl,
        }
    }

    pub fn order_key(&self, id: &str) -> String {
        format!("{}:{id}", self.order)
    }
    pub fn detail_key(&self, order_id: &str) -> String {
        format!("{}:{order_id}", self.detail)
    }
    pub fn split_key(&self, order_id: &str) -> String {
        format!("{}:{order_id}", self.split)
    }
    fn orphan_key(&self, order_id: &str) -> String {
        format!("{}:{order_id}", self.orphan)
    }

    /// Step 1, one round trip: stores each order `(id, row)` and reads the
    /// details waiting for it; adds each waiting group `(order_id, rows)` to
    /// its set and reads its order. Writing before reading in one pipeline
    /// means that when an order and its detail reach two instances at once,
    /// at least one sees the other: a detail never waits for a stored order.
    pub fn join_ops(&self, orders: &[(&str, String)], waiting: &[(&str, Vec<String>)]) -> Vec<Op> {
        let ttl = Some(self.ttl);
        let mut ops = Vec::with_capacity(orders.len() * 2 + waiting.len() * 3);
        for (id, row) in orders {
            ops.push(Op::Set {
                key: self.order_key(id),
                value: row.clone(),
                ttl,
            });
            ops.push(Op::SMembers(self.detail_key(id)));
        }
        for (order_id, rows) in waiting {
            let key = self.detail_key(order_id);
            ops.push(Op::SAdd {
                key: key.clone(),
                members: rows.clone(),
            });
            ops.push(Op::Expire { key, ttl: self.ttl });
            ops.push(Op::Get(self.order_key(order_id)));
        }
        ops
    }

    /// Reads the replies to [`JoinBuffer::join_ops`] for `orders` orders and
    /// `waiting` groups; a reply of the wrong kind is an error.
    pub fn joined(&self, replies: Vec<Reply>, orders: usize, waiting: usize) -> Result<Joined> {
        let mut replies = replies.into_iter();
        let mut joined = Joined::default();
        for _ in 0..orders {
            replies.next();
            let mut members = replies.next_strs()?;
            members.sort_unstable();
            joined.waited.push(members);
        }
        for _ in 0..waiting {
            replies.next();
            replies.next();
            joined.orders.push(replies.next_opt_string()?);
        }
        Ok(joined)
    }

    /// Step 2: each joined `(order_id, detail_id, line units)` claims its
    /// place in its order's running sum ([`Op::Claim`], idempotent: a replay
    /// gets the place it got the first time), and the sums' expiry moves on.
    /// The first `claims.len()` replies are the places.
    pub fn claim_ops(&self, claims: &[(&str, &str, i64)]) -> Vec<Op> {
        let mut ops: Vec<Op> = claims
            .iter()
            .map(|(order_id, detail_id, units)| Op::Claim {
                key: self.split_key(order_id),
                field: (*detail_id).to_string(),
                units: *units,
            })
            .collect();
        let touched: std::collections::BTreeSet<&str> = claims.iter().map(|c| c.0).collect();
        ops.extend(touched.into_iter().map(|id| Op::Expire {
            key: self.split_key(id),
            ttl: self.ttl,
        }));
        ops
    }

    /// Once the wide records are durable: `members` of `order_id` stop waiting.
    pub fn release_op(&self, order_id: &str, members: Vec<String>) -> Op {
        Op::SRem {
            key: self.detail_key(order_id),
            members,
        }
    }

    /// Once an orphan report is durable: it is not reported again
    /// (`member` is a detail id, or [`ORDER_MARK`] for the order).
    pub fn reported_ops(&self, order_id: &str, members: Vec<String>) -> [Op; 2] {
        let key = self.orphan_key(order_id);
        [
            Op::SAdd {
                key: key.clone(),
                members,
            },
            Op::Expire { key, ttl: self.ttl },
        ]
    }

    /// Sweep step 1: every waiting-detail and order key.
    pub fn list_ops(&self) -> Vec<Op> {
        vec![
            Op::Keys(format!("{}:*", self.detail)),
            Op::Keys(format!("{}:*", self.order)),
        ]
    }

    /// Sweep step 2: the time to live left of each key listed.
    pub fn listed(&self, replies: Vec<Reply>) -> Result<(Vec<String>, Vec<Op>)> {
        let mut replies = replies.into_iter();
        let mut keys = replies.next_strs()?;
        keys.extend(replies.next_strs()?);
        let ops = keys.iter().map(|k| Op::Ttl(k.clone())).collect();
        Ok((keys, ops))
    }

    /// Sweep step 3: what to read of the keys written `orphan_after` or
    /// longer ago (their TTL left tells, as the TTL was set at each write).
    pub fn aged_ops(
        &self,
        keys: &[String],
        ttls: Vec<Reply>,
        orphan_after: Duration,
    ) -> Result<AgedReads> {
        let ttl = self.ttl.as_secs() as i64;
        let mut ttls = ttls.into_iter();
        let (mut checks, mut ops) = (Vec::new(), Vec::new());
        let (detail_prefix, order_prefix) =
            (format!("{}:", self.detail), format!("{}:", self.order));
        for key in keys {
            let left = ttls.next_int()?;
            if left < 0 || ttl - left < orphan_after.as_secs() as i64 {
                continue;
            }
            if let Some(id) = key.strip_prefix(&detail_prefix) {
                ops.push(Op::SMembers(key.clone()));
                ops.push(Op::SMembers(self.orphan_key(id)));
                checks.push((true, id.to_string()));
            } else if let Some(id) = key.strip_prefix(&order_prefix) {
                ops.push(Op::Get(key.clone()));
                ops.push(Op::HGet {
                    key: self.split_key(id),
                    field: CLAIM_SUM.into(),
                });
                ops.push(Op::SMembers(self.orphan_key(id)));
                checks.push((false, id.to_string()));
            }
        }
        Ok((checks, ops))
    }

    /// Reads the replies to [`JoinBuffer::aged_ops`].
    pub fn aged(&self, checks: Vec<(bool, String)>, replies: Vec<Reply>) -> Result<Vec<Aged>> {
        let mut replies = replies.into_iter();
        let mut aged = Vec::with_capacity(checks.len());
        for (is_detail, order_id) in checks {
            if is_detail {
                aged.push(Aged::Details {
                    order_id,
                    members: replies.next_strs()?,
                    reported: replies.next_strs()?.into_iter().collect(),
                });
            } else {
                let row = replies.next_opt_string()?;
                let units = match replies.next_opt_string()? {
                    None => 0,
                    Some(s) => {
                        s.parse::<i64>()
                            .map_err(|_| super::StateError::UnexpectedReply {
                                expected: "a running sum in units",
                                got: s.chars().take(120).collect(),
                            })?
                    }
                };
                let reported = replies.next_strs()?.iter().any(|m| m == ORDER_MARK);
                aged.push(Aged::Order {
                    order_id,
                    row,
                    units,
                    reported,
                });
            }
        }
        Ok(aged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_reply_to_the_join_is_an_error_not_an_empty_set() {
        let buffer = JoinBuffer::new(str::to_string, Duration::from_secs(60));
        let wrong = vec![Reply::Ok, Reply::Int(3)];
        assert!(buffer.joined(wrong, 1, 0).is_err());
    }
}
