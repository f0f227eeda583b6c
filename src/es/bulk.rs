//! The bulk sink (SPEC §5): documents of a batch go in `_bulk` requests bounded
//! by bytes and by count, `create` or `index` per tool. Each item's result is
//! checked: 2xx done; 409 on `create` done (already there, e.g. a replay);
//! 429 and 5xx items, and whole-request 429/5xx, timeouts and lost
//! connections, are sent again with jittered exponential backoff; anything
//! else is a document Elasticsearch refused for good: reported with index, id,
//! status and reason, and the batch's offsets are held back (see
//! [`crate::sink::Stored::Held`]).

use anyhow::Result;
use elasticsearch::http::Method;
use elasticsearch::BulkParts;
use serde_json::Value;

use super::client::EsClient;
use super::FailedDoc;
use crate::exit::Failure;
use crate::record::OutBuf;
use crate::retry::{Backoff, RetryPolicy};
use crate::shutdown::Shutdown;
use crate::sink::{Sink, Stored, StreamDef, StreamKind};
use crate::source::{Position, Source};

/// `create` (never overwrite: deterministic ids make a replay a 409) or `index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkOp {
    Create,
    Index,
}

impl BulkOp {
    fn name(self) -> &'static str {
        match self {
            BulkOp::Create => "create",
            BulkOp::Index => "index",
        }
    }
}

/// A composable index template the sink puts before its first write.
#[derive(Debug, Clone)]
pub struct IndexTemplate {
    pub name: String,
    pub body: Value,
}

#[derive(Debug, Clone, Copy)]
pub struct BulkLimits {
    pub max_bytes: usize,
    pub max_docs: usize,
}

impl Default for BulkLimits {
    fn default() -> Self {
        BulkLimits {
            max_bytes: 5 * 1024 * 1024,
            max_docs: 5000,
        }
    }
}

/// What the response filter keeps: enough to map every item back.
const FILTER_PATH: [&str; 5] = [
    "errors",
    "items.*._id",
    "items.*.status",
    "items.*.error.type",
    "items.*.error.reason",
];

struct Doc {
    stream: usize,
    id: String,
    source: Vec<u8>,
}

/// Counts over the run.
#[derive(Debug, Default, Clone, Copy)]
pub struct BulkCounts {
    pub written: u64,
    /// `create` answered 409: already there.
    pub existed: u64,
    pub retried: u64,
    pub failed: u64,
    pub requests: u64,
}

pub struct EsSink {
    client: EsClient,
    streams: Vec<StreamDef>,
    op: BulkOp,
    limits: BulkLimits,
    policy: RetryPolicy,
    shutdown: Shutdown,
    template: Option<IndexTemplate>,
    pending: Vec<Doc>,
    pub counts: BulkCounts,
}

enum Outcome {
    Done,
    Existed,
    Retry(String),
    Failed(FailedDoc),
}

impl EsSink {
    pub fn new(
        client: EsClient,
        streams: Vec<StreamDef>,
        op: BulkOp,
        template: Option<IndexTemplate>,
        policy: RetryPolicy,
        shutdown: Shutdown,
    ) -> EsSink {
        EsSink {
            client,
            streams,
            op,
            limits: BulkLimits::default(),
            policy,
            shutdown,
            template,
            pending: Vec::new(),
            counts: BulkCounts::default(),
        }
    }

    pub fn with_limits(mut self, limits: BulkLimits) -> EsSink {
        self.limits = limits;
        self
    }

    fn put_template(&mut self) -> Result<()> {
        let Some(t) = self.template.take() else {
            return Ok(());
        };
        let path = format!("/_index_template/{}", t.name);
        let answer = self.client.retrying(
            &self.policy,
            &self.shutdown,
            "putting the index template",
            || {
                self.client
                    .request(Method::Put, &path, Some(t.body.clone()))
            },
        )?;
        if !(200..300).contains(&answer.0) {
            return Err(anyhow::anyhow!(
                "Elasticsearch {} refused index template {}: status {}: {}",
                self.client.masked,
                t.name,
                answer.0,
                answer.1
            ));
        }
        tracing::info!(template = %t.name, "index template in place");
        Ok(())
    }

    /// One `_bulk` request for `docs`: per document, its outcome.
    fn send(&self, docs: &[&Doc]) -> Result<Vec<Outcome>, String> {
        let op = self.op.name();
        let mut body: Vec<Vec<u8>> = Vec::with_capacity(docs.len() * 2);
        for d in docs {
            let action =
                serde_json::json!({ op: {"_index": self.streams[d.stream].name, "_id": d.id} });
            body.push(serde_json::to_vec(&action).unwrap_or_default());
            body.push(d.source.clone());
        }
        let response = self.client.block_on(async {
            let r = self
                .client
                .es
                .bulk(BulkParts::None)
                .filter_path(&FILTER_PATH)
                .body(body)
                .send()
                .await?;
            let status = r.status_code().as_u16();
            let text = r.text().await?;
            Ok::<_, elasticsearch::Error>((status, text))
        });
        let (status, text) = response.map_err(|e| e.to_string())?;
        if status == 429 || status >= 500 {
            return Err(format!(
                "status {status}: {}",
                text.chars().take(300).collect::<String>()
            ));
        }
        if !(200..300).contains(&status) {
            // The whole request was refused (a bad request): every document fails.
            let reason = format!(
                "bulk request refused: status {status}: {}",
                text.chars().take(300).collect::<String>()
            );
            return Ok(docs
                .iter()
                .map(|d| {
                    Outcome::Failed(FailedDoc {
                        index: self.streams[d.stream].name.clone(),
                        id: d.id.clone(),
                        status,
                        reason: reason.clone(),
                    })
                })
                .collect());
        }
        let v: Value =
            serde_json::from_str(&text).map_err(|e| format!("unreadable bulk answer: {e}"))?;
        let items = v["items"].as_array().cloned().unwrap_or_default();
        if items.len() != docs.len() {
            return Err(format!(
                "bulk answered {} items for {} documents",
                items.len(),
                docs.len()
            ));
        }
        Ok(items
            .iter()
            .zip(docs)
            .map(|(item, d)| {
                let r = item
                    .as_object()
                    .and_then(|o| o.values().next())
                    .cloned()
                    .unwrap_or(Value::Null);
                let status = r["status"].as_u64().unwrap_or(0) as u16;
                match status {
                    200..=299 => Outcome::Done,
                    409 if self.op == BulkOp::Create => Outcome::Existed,
                    429 | 500..=599 => Outcome::Retry(format!(
                        "{}/{}: status {status}",
                        self.streams[d.stream].name, d.id
                    )),
                    _ => Outcome::Failed(FailedDoc {
                        index: self.streams[d.stream].name.clone(),
                        id: d.id.clone(),
                        status,
                        reason: format!(
                            "{}: {}",
                            r["error"]["type"].as_str().unwrap_or("error"),
                            r["error"]["reason"].as_str().unwrap_or("(no reason given)")
                        ),
                    }),
                }
            })
            .collect())
    }

    /// Writes every pending document; returns those refused for good.
    fn write_pending(&mut self) -> Result<Vec<FailedDoc>> {
        let docs = std::mem::take(&mut self.pending);
        let mut failed = Vec::new();
        let mut start = 0;
        while start < docs.len() {
            let mut bytes = 0;
            let mut end = start;
            while end < docs.len()
                && end - start < self.limits.max_docs
                && (end == start || bytes + docs[end].source.len() + 100 <= self.limits.max_bytes)
            {
                bytes += docs[end].source.len() + 100;
                end += 1;
            }
            let mut todo: Vec<&Doc> = docs[start..end].iter().collect();
            let mut backoff = Backoff::new(&self.policy);
            loop {
                self.counts.requests += 1;
                let outcomes =
                    self.client
                        .retrying(&self.policy, &self.shutdown, "bulk request", || {
                            self.send(&todo)
                        })?;
                let mut again = Vec::new();
                let mut why = None;
                for (d, o) in todo.iter().zip(outcomes) {
                    match o {
                        Outcome::Done => self.counts.written += 1,
                        Outcome::Existed => self.counts.existed += 1,
                        Outcome::Retry(w) => {
                            why.get_or_insert(w);
                            again.push(*d);
                        }
                        Outcome::Failed(f) => {
                            self.counts.failed += 1;
                            if failed.len() < 20 {
                                tracing::error!("elasticsearch refused {f}");
                            }
                            failed.push(f);
                        }
                    }
                }
                if again.is_empty() {
                    break;
                }
                self.counts.retried += again.len() as u64;
                crate::metrics::retried(crate::service::Service::Elasticsearch);
                if backoff.exhausted(&self.shutdown) {
                    return Err(Failure::unavailable(
                        crate::service::Service::Elasticsearch,
                        self.client.masked.clone(),
                        format!(
                            "{} documents still rejected (e.g. {}) after {:.0}s; --max-retry-time",
                            again.len(),
                            why.unwrap_or_default(),
                            backoff.elapsed().as_secs_f64()
                        ),
                    ));
                }
                tracing::debug!(
                    retry = again.len(),
                    "bulk items rejected (429/5xx); sending them again"
                );
                backoff.wait(&format!("elasticsearch {}", self.client.masked));
                todo = again;
            }
            start = end;
        }
        if failed.len() > 20 {
            tracing::error!("… and {} more documents refused", failed.len() - 20);
        }
        Ok(failed)
    }
}

impl Sink for EsSink {
    fn start(&mut self, _source: &dyn Source) -> Result<()> {
        self.put_template()
    }

    fn finish_batch(&mut self, _positions: &[Position], _source: &dyn Source) -> Result<Stored> {
        let failed = self.write_pending()?;
        Ok(if failed.is_empty() {
            Stored::ByPipeline
        } else {
            Stored::Held(failed)
        })
    }

    fn add_streams(&mut self, defs: &[StreamDef]) {
        self.streams.extend_from_slice(defs);
    }

    fn write(&mut self, out: &OutBuf) -> Result<()> {
        for rec in &out.recs {
            // Records go to Kafka (see sink::tee).
            if self.streams[rec.stream].kind != StreamKind::Document {
                continue;
            }
            let id = String::from_utf8_lossy(out.key(rec).unwrap_or_default()).into_owned();
            self.pending.push(Doc {
                stream: rec.stream,
                id,
                source: out.value(rec).to_vec(),
            });
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        let failed = self.write_pending()?;
        match failed.first() {
            None => Ok(()),
            Some(f) => Err(anyhow::anyhow!(
                "{} documents refused by Elasticsearch, first {f}",
                failed.len()
            )),
        }
    }
}
