//! The bulk sink (SPEC §5): documents of a batch go in `_bulk` requests bounded
//! by bytes and by count, `create` or `index` per tool. Each item's result is
//! checked: 2xx done; 409 on `create` done (already there, e.g. a replay);
//! 429 and 5xx items, and whole-request 429/5xx, timeouts and lost
//! connections, are sent again with jittered exponential backoff; anything
//! else is a document Elasticsearch refused for good: reported with index, id,
//! status and reason. With `--on-refused dead-letter` (the default) it is
//! indexed into the dead-letter index `rtdw_dead_{tool}` with why, counted
//! `refused`, and the offsets move on, as Kafka Connect's Elasticsearch sink
//! does with `errors.tolerance=all` and a dead-letter queue, and Logstash
//! with its DLQ for 400/404 answers ([`crate::sink::Stored::DeadLettered`]).
//! With `--on-refused fail`, or when the whole request was refused (a
//! 400/401/403/413 for the request, not a document), the batch's offsets are
//! held back and the run exits 1 ([`crate::sink::Stored::Held`]).

use anyhow::{anyhow, Result};
use elasticsearch::http::Method;
use elasticsearch::BulkParts;
use serde_json::Value;

use super::client::EsClient;
use super::FailedDoc;
use crate::record::OutBuf;
use crate::retry::{Attempt, RetryPolicy};
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

/// What to do with a document Elasticsearch refuses for good (`--on-refused`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OnRefused {
    /// Index it into `rtdw_dead_{tool}` with the reason, count it `refused`, move on
    #[default]
    DeadLetter,
    /// Stop storing offsets from it on and exit 1: a restart reads it again
    Fail,
}

/// The dead-letter index of `tool`: `rtdw_dead_{tool}` (dashes as underscores).
pub fn dead_letter_index(tool: &str) -> String {
    crate::sink::dead_letter_name(tool)
}

/// The dead-letter indices' template: the refused document kept verbatim as
/// an unindexed string (`document`; it was refused by a mapping, so it must
/// not meet one again), and where it was going and why.
pub fn dead_letter_template() -> IndexTemplate {
    IndexTemplate {
        name: "rtdw_dead".into(),
        body: serde_json::json!({"index_patterns": ["rtdw_dead_*"], "priority": 100,
            "template": {"settings": {"number_of_shards": 1}, "mappings": {"dynamic": false, "properties": {
                "tool": {"type": "keyword"}, "index": {"type": "keyword"}, "id": {"type": "keyword"},
                "status": {"type": "short"}, "reason": {"type": "text"},
                "document": {"type": "keyword", "index": false, "doc_values": false},
                "at": {"type": "date"}}}},
            "_meta": {"created_by": "rtdw"}}),
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
    /// Another index than the stream's (dead letters).
    index: Option<String>,
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
    /// Refused for good (never counted as written).
    pub failed: u64,
    /// Of those, written to the dead-letter index.
    pub dead_lettered: u64,
    pub requests: u64,
}

impl BulkCounts {
    fn add(&mut self, more: &BulkCounts) {
        self.written += more.written;
        self.existed += more.existed;
        self.retried += more.retried;
        self.failed += more.failed;
        self.dead_lettered += more.dead_lettered;
        self.requests += more.requests;
    }
}

/// Where refused documents go ([`EsSink::with_dead_letter`]).
struct DeadLetter {
    tool: String,
    index: String,
    template_put: bool,
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
    dead_letter: Option<DeadLetter>,
    pub counts: BulkCounts,
}

/// What an answer's status says of a bulk request or one of its items
/// (Elasticsearch's bulk API docs: per-item statuses; vector's and Kafka
/// Connect's Elasticsearch sinks retry the same ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 2xx: written.
    Done,
    /// 409 to a `create`: the document is there already (a replay).
    Existed,
    /// 429 or 5xx: the cluster is busy; send it again later.
    Busy,
    /// Any other status: refused for good (a mapping error, a bad request).
    Refused,
}

/// Classifies a status (of the whole request, or of one item) for `op`.
pub fn classify(op: BulkOp, status: u16) -> Answer {
    match status {
        200..=299 => Answer::Done,
        409 if op == BulkOp::Create => Answer::Existed,
        429 | 500..=599 => Answer::Busy,
        _ => Answer::Refused,
    }
}

/// Why a bulk request must be sent again.
enum SendError {
    /// No answer (connection refused, reset, timeout).
    Lost(String),
    /// A 429 or 5xx for the whole request.
    Busy(String),
}

enum Outcome {
    Done,
    Existed,
    Retry(String),
    /// This document was refused for good.
    Failed(FailedDoc),
    /// The whole request was refused: nothing to tell of the document.
    RequestRefused(FailedDoc),
}

/// What one write of documents left undone for good.
#[derive(Default)]
struct Refusals {
    /// Refused documents, with the bytes that were sent.
    documents: Vec<(FailedDoc, Vec<u8>)>,
    /// Documents of requests refused as a whole.
    requests: Vec<FailedDoc>,
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
            dead_letter: None,
            counts: BulkCounts::default(),
        }
    }

    /// Refused documents of `tool` go to [`dead_letter_index`] and the
    /// offsets move on (`--on-refused dead-letter`).
    pub fn with_dead_letter(mut self, tool: &str) -> EsSink {
        self.dead_letter = Some(DeadLetter {
            tool: tool.to_string(),
            index: dead_letter_index(tool),
            template_put: false,
        });
        self
    }

    /// The index a document goes to.
    fn index_of<'a>(&'a self, d: &'a Doc) -> &'a str {
        d.index.as_deref().unwrap_or(&self.streams[d.stream].name)
    }

    pub fn with_limits(mut self, limits: BulkLimits) -> EsSink {
        self.limits = limits;
        self
    }

    fn put_template(&mut self) -> Result<()> {
        match self.template.take() {
            Some(t) => self.put(&t),
            None => Ok(()),
        }
    }

    /// Puts the composable index template `t` (retried through outages).
    fn put(&self, t: &IndexTemplate) -> Result<()> {
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
    fn send(&self, docs: &[&Doc]) -> Result<Vec<Outcome>, SendError> {
        let op = self.op.name();
        let mut body: Vec<Vec<u8>> = Vec::with_capacity(docs.len() * 2);
        for d in docs {
            let action = serde_json::json!({ op: {"_index": self.index_of(d), "_id": d.id} });
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
        let (status, text) = response.map_err(|e| SendError::Lost(e.to_string()))?;
        let answer = classify(self.op, status);
        if answer == Answer::Busy {
            return Err(SendError::Busy(format!(
                "status {status}: {}",
                text.chars().take(300).collect::<String>()
            )));
        }
        if answer != Answer::Done {
            // The whole request was refused (a bad request): every document fails.
            let reason = format!(
                "bulk request refused: status {status}: {}",
                text.chars().take(300).collect::<String>()
            );
            return Ok(docs
                .iter()
                .map(|d| {
                    Outcome::RequestRefused(FailedDoc {
                        index: self.index_of(d).to_string(),
                        id: d.id.clone(),
                        status,
                        reason: reason.clone(),
                    })
                })
                .collect());
        }
        // A garbled answer (a proxy cut it short) is sent again, as vector does.
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| SendError::Lost(format!("unreadable bulk answer: {e}")))?;
        let items = v["items"].as_array().cloned().unwrap_or_default();
        if items.len() != docs.len() {
            return Err(SendError::Lost(format!(
                "bulk answered {} items for {} documents",
                items.len(),
                docs.len()
            )));
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
                match classify(self.op, status) {
                    Answer::Done => Outcome::Done,
                    Answer::Existed => Outcome::Existed,
                    Answer::Busy => {
                        Outcome::Retry(format!("{}/{}: status {status}", self.index_of(d), d.id))
                    }
                    Answer::Refused => Outcome::Failed(FailedDoc {
                        index: self.index_of(d).to_string(),
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
    fn write_pending(&mut self) -> Result<Refusals> {
        let docs = std::mem::take(&mut self.pending);
        self.write_docs(&docs)
    }

    /// Writes `docs` in bounded requests, sending 429/5xx items again.
    fn write_docs(&mut self, docs: &[Doc]) -> Result<Refusals> {
        let mut refused = Refusals::default();
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
            let (mut counts, this) = (BulkCounts::default(), &*self);
            // One retry path (crate::retry) for a lost connection and for
            // busy items alike: one backoff, one give-up, exit 69.
            let sent = crate::retry::retry(
                &this.policy,
                crate::service::Service::Elasticsearch,
                &this.client.masked,
                &this.shutdown,
                || {
                    counts.requests += 1;
                    let outcomes = this.send(&todo).map_err(|e| match e {
                        SendError::Lost(e) => Attempt::Transient(anyhow!("bulk request: {e}")),
                        SendError::Busy(e) => Attempt::Busy(anyhow!("bulk request: {e}")),
                    })?;
                    let mut again = Vec::new();
                    let mut why = None;
                    for (d, o) in todo.iter().zip(outcomes) {
                        match o {
                            Outcome::Done => counts.written += 1,
                            Outcome::Existed => counts.existed += 1,
                            Outcome::Retry(w) => {
                                why.get_or_insert(w);
                                again.push(*d);
                            }
                            Outcome::Failed(f) => {
                                counts.failed += 1;
                                if refused.documents.len() < 20 {
                                    tracing::error!("elasticsearch refused {f}");
                                }
                                refused.documents.push((f, d.source.clone()));
                            }
                            Outcome::RequestRefused(f) => {
                                counts.failed += 1;
                                if refused.requests.is_empty() {
                                    tracing::error!("elasticsearch refused {f}");
                                }
                                refused.requests.push(f);
                            }
                        }
                    }
                    if again.is_empty() {
                        return Ok(());
                    }
                    counts.retried += again.len() as u64;
                    let busy = anyhow!(
                        "{} documents answered 429/5xx (e.g. {})",
                        again.len(),
                        why.unwrap_or_default()
                    );
                    todo = again;
                    Err(Attempt::Busy(busy))
                },
            );
            self.counts.add(&counts);
            sent?;
            start = end;
        }
        if refused.documents.len() > 20 {
            tracing::error!(
                "… and {} more documents refused",
                refused.documents.len() - 20
            );
        }
        Ok(refused)
    }

    /// Indexes refused documents into the dead-letter index, each with its
    /// index, id, status, reason and the bytes sent (`_id` = `{index}/{id}`,
    /// `create`: a replay refused again finds its dead letter there). Any
    /// of them refused in turn fails the run.
    fn write_dead_letters(&mut self, refused: &[(FailedDoc, Vec<u8>)]) -> Result<()> {
        let Some(dl) = self.dead_letter.as_mut() else {
            return Ok(());
        };
        let (tool, index, put) = (dl.tool.clone(), dl.index.clone(), dl.template_put);
        dl.template_put = true;
        if !put {
            self.put(&dead_letter_template())?;
        }
        let at = jiff::Timestamp::now().to_string();
        let letters: Vec<Doc> = refused
            .iter()
            .map(|(f, sent)| Doc {
                stream: 0,
                index: Some(index.clone()),
                id: format!("{}/{}", f.index, f.id),
                source: serde_json::to_vec(&serde_json::json!({
                    "tool": tool, "index": f.index, "id": f.id, "status": f.status,
                    "reason": f.reason, "document": String::from_utf8_lossy(sent), "at": at,
                }))
                .unwrap_or_default(),
            })
            .collect();
        let before = self.counts;
        let again = self.write_docs(&letters)?;
        // Dead letters are not the tool's documents: not written, not refused.
        let letters_failed = self.counts.failed - before.failed;
        self.counts = BulkCounts {
            written: before.written,
            existed: before.existed,
            failed: before.failed,
            dead_lettered: before.dead_lettered + refused.len() as u64,
            ..self.counts
        };
        match again
            .documents
            .first()
            .map(|(f, _)| f)
            .or(again.requests.first())
        {
            None => Ok(()),
            Some(f) => Err(anyhow::anyhow!(
                "{letters_failed} refused documents could not be written to the dead-letter index either (first: {f}); fix the index or its template, or run with --on-refused fail"
            )),
        }
    }

    /// Writes what is pending; what became of the refused documents.
    fn finish(&mut self) -> Result<Stored> {
        let refused = self.write_pending()?;
        if refused.documents.is_empty() && refused.requests.is_empty() {
            return Ok(Stored::ByPipeline);
        }
        if self.dead_letter.is_none() || !refused.requests.is_empty() {
            let mut failed = refused.requests;
            failed.extend(refused.documents.into_iter().map(|(f, _)| f));
            return Ok(Stored::Held(failed));
        }
        self.write_dead_letters(&refused.documents)?;
        Ok(Stored::DeadLettered(
            refused.documents.into_iter().map(|(f, _)| f).collect(),
        ))
    }
}

impl Sink for EsSink {
    fn start(&mut self, _source: &dyn Source) -> Result<()> {
        self.put_template()
    }

    fn finish_batch(&mut self, _positions: &[Position], _source: &dyn Source) -> Result<Stored> {
        self.finish()
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
                index: None,
                id,
                source: out.value(rec).to_vec(),
            });
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        match self.finish()? {
            Stored::Held(failed) => Err(anyhow::anyhow!(
                "{} documents refused by Elasticsearch, first {}",
                failed.len(),
                failed.first().map(ToString::to_string).unwrap_or_default()
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 18: which answers are retried, refused or done, for each op.
    #[test]
    fn answers_are_classified_as_the_bulk_api_documents() {
        use Answer::*;
        for (op, status, want) in [
            (BulkOp::Index, 200, Done),
            (BulkOp::Create, 201, Done),
            (BulkOp::Create, 409, Existed),
            (BulkOp::Index, 409, Refused),
            (BulkOp::Index, 429, Busy),
            (BulkOp::Create, 503, Busy),
            (BulkOp::Index, 500, Busy),
            (BulkOp::Index, 400, Refused),
            (BulkOp::Create, 404, Refused),
            (BulkOp::Index, 413, Refused),
            (BulkOp::Index, 0, Refused),
        ] {
            assert_eq!(classify(op, status), want, "{op:?} {status}");
        }
    }
}
