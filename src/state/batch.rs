//! One batch's state traffic, owned by the pipeline (issue 18).
//!
//! A transform never holds the state store. It reads through
//! [`BatchState::request`] and asks for writes with
//! [`BatchState::before_durable`] and [`BatchState::after_durable`]; the
//! pipeline ([`crate::pipeline::run`]) applies them:
//! - **before durable**: after the `--strict` check of the whole batch and
//!   before the sinks make its outputs durable (under `--exactly-once`,
//!   before the Kafka transaction commits). A crash between the two repeats
//!   them with the batch, so they must be safe to repeat (versioned rows,
//!   idempotent claims);
//! - **after durable**: once the outputs are durable and before the offsets
//!   are stored, except those tied to a document Elasticsearch refused (that
//!   document's effect must happen again when it is written again).
//!
//! Under `--strict`, a request sent once the batch has a dirty record fails
//! with exit 65 at that record, so a rejected batch changes no state.

use anyhow::{anyhow, Context, Result};

use super::retrying::Retrying;
use super::{Op, Reply};
use crate::record::OutBuf;

/// A write to apply once the batch is durable.
#[derive(Debug, Clone, PartialEq)]
pub struct AfterDurable {
    pub op: Op,
    /// `(index, _id)` of the document this write stands for: dropped when
    /// Elasticsearch refused that document.
    pub unless_refused: Option<(String, String)>,
}

/// The store handle and the writes of one batch (see the module docs).
pub struct BatchState<'a> {
    store: Option<&'a Retrying>,
    strict: bool,
    before: Vec<Op>,
    after: Vec<AfterDurable>,
}

impl<'a> BatchState<'a> {
    /// `store` is `None` for tools without state: a request is then an error.
    pub fn new(store: Option<&'a Retrying>, strict: bool) -> BatchState<'a> {
        BatchState {
            store,
            strict,
            before: Vec::new(),
            after: Vec::new(),
        }
    }

    /// Where the state lives, for messages ("no state store" without one).
    pub fn describe(&self) -> String {
        self.store
            .map_or_else(|| "no state store".to_string(), Retrying::describe)
    }

    /// Runs `ops` now, in one round trip, and returns one reply per op.
    /// `what` names the step for the error ("joining orders and details").
    /// `out` is the batch's output so far: under `--strict`, a dirty record
    /// in it ends the run here (exit 65) before anything is sent.
    pub fn request(&mut self, what: &str, out: &OutBuf, ops: Vec<Op>) -> Result<Vec<Reply>> {
        if self.strict {
            out.strict_check()?;
        }
        if ops.is_empty() {
            return Ok(Vec::new());
        }
        let store = self
            .store
            .ok_or_else(|| anyhow!("{what}: this tool was started without a state store"))?;
        let n = ops.len();
        let replies = store
            .exec(ops)
            .with_context(|| format!("{what} in {}", store.describe()))?;
        if replies.len() != n {
            return Err(anyhow!(
                "{what}: {} answered {} replies to {n} operations",
                store.describe(),
                replies.len()
            ));
        }
        Ok(replies)
    }

    /// Writes to apply after the `--strict` check, before the outputs are durable.
    pub fn before_durable(&mut self, ops: impl IntoIterator<Item = Op>) {
        self.before.extend(ops);
    }

    /// A write to apply once the outputs are durable (see [`AfterDurable`]).
    pub fn after_durable(&mut self, op: Op, unless_refused: Option<(String, String)>) {
        self.after.push(AfterDurable { op, unless_refused });
    }

    /// The writes asked for, in order: (before durable, after durable).
    pub fn into_effects(self) -> (Vec<Op>, Vec<AfterDurable>) {
        (self.before, self.after)
    }
}

/// The after-durable writes that still apply once `refused` (index, `_id`)
/// documents are known, with neighbouring adds to and removes from one set
/// merged into one op (dau asks one add per mid; Redis gets one SADD).
pub fn surviving(after: Vec<AfterDurable>, refused: &[crate::record::FailedDoc]) -> Vec<Op> {
    let refused: std::collections::HashSet<(&str, &str)> = refused
        .iter()
        .map(|f| (f.index.as_str(), f.id.as_str()))
        .collect();
    let mut ops: Vec<Op> = Vec::with_capacity(after.len());
    for a in after {
        if let Some((index, id)) = &a.unless_refused {
            if refused.contains(&(index.as_str(), id.as_str())) {
                continue;
            }
        }
        match (ops.last_mut(), a.op) {
            (
                Some(Op::SAdd { key, members }),
                Op::SAdd {
                    key: k,
                    members: more,
                },
            ) if *key == k => members.extend(more),
            (
                Some(Op::SRem { key, members }),
                Op::SRem {
                    key: k,
                    members: more,
                },
            ) if *key == k => members.extend(more),
            (_, op) => ops.push(op),
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::Failure;
    use crate::record::FailedDoc;

    fn add(key: &str, member: &str, doc: Option<(&str, &str)>) -> AfterDurable {
        AfterDurable {
            op: Op::SAdd {
                key: key.into(),
                members: vec![member.into()],
            },
            unless_refused: doc.map(|(i, d)| (i.into(), d.into())),
        }
    }

    #[test]
    fn refused_documents_lose_their_writes_and_neighbours_merge() {
        let after = vec![
            add("DAU:a", "m1", Some(("i", "m1"))),
            add("DAU:a", "m2", Some(("i", "m2"))),
            add("DAU:a", "m3", Some(("i", "m3"))),
            add("DAU:b", "m4", None),
        ];
        let refused = [FailedDoc {
            index: "i".into(),
            id: "m2".into(),
            status: 400,
            reason: "mapper_parsing_exception".into(),
        }];
        assert_eq!(
            surviving(after, &refused),
            vec![
                Op::SAdd {
                    key: "DAU:a".into(),
                    members: vec!["m1".into(), "m3".into()]
                },
                Op::SAdd {
                    key: "DAU:b".into(),
                    members: vec!["m4".into()]
                },
            ]
        );
    }

    #[test]
    fn a_strict_batch_with_a_dirty_record_sends_nothing() {
        let out = OutBuf {
            first_dirty: Some(("in.jsonl:3".into(), "not JSON".into())),
            ..OutBuf::default()
        };
        let mut batch = BatchState::new(None, true);
        let err = batch
            .request("reading", &out, vec![Op::Get("k".into())])
            .unwrap_err();
        assert!(matches!(
            err.downcast_ref::<Failure>(),
            Some(Failure::BadInput { source_pos, .. }) if source_pos == "in.jsonl:3"
        ));
        // Without --strict the same request goes to the store (none here).
        let mut lenient = BatchState::new(None, false);
        let err = lenient
            .request("reading", &out, vec![Op::Get("k".into())])
            .unwrap_err();
        assert!(err.to_string().contains("without a state store"), "{err}");
    }
}
