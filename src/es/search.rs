//! Reading an index back: its document count, and every document id through
//! a point in time and `search_after` pages (a consistent view, never one
//! query of a fixed size that silently stops at 10 000).
//!
//! Elasticsearch (7.10+) opens a point in time with `POST /{index}/_pit`;
//! OpenSearch (2.4+) has no such route ("no handler found for uri") and opens
//! one with `POST /{index}/_search/point_in_time`, answering `pit_id`, and
//! frees it with `DELETE /_search/point_in_time {"pit_id": [...]}`. The
//! pages are the same search on both. rtdw tries Elasticsearch's route
//! first and falls back to OpenSearch's (tests/report.rs runs both).

use anyhow::{anyhow, Result};
use elasticsearch::http::Method;
use serde_json::{json, Value};

use super::client::EsClient;
use crate::retry::RetryPolicy;
use crate::shutdown::Shutdown;

/// How long a point in time lives between two pages.
const KEEP_ALIVE: &str = "2m";

pub struct Reader<'a> {
    pub client: &'a EsClient,
    pub policy: RetryPolicy,
    pub shutdown: Shutdown,
}

fn parse(what: &str, status: u16, text: &str) -> Result<Value> {
    if !(200..300).contains(&status) {
        return Err(anyhow!(
            "{what}: status {status}: {}",
            text.chars().take(300).collect::<String>()
        ));
    }
    serde_json::from_str(text).map_err(|e| anyhow!("{what}: unreadable answer: {e}"))
}

impl Reader<'_> {
    /// One request, retried through outages (429, 5xx, transport errors).
    pub fn call(
        &self,
        what: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(u16, String)> {
        self.client
            .retrying(&self.policy, &self.shutdown, what, || {
                self.client.request(method, path, body.clone())
            })
    }

    /// A search of `index`: the answer, or None when the index does not exist.
    pub fn search(&self, what: &str, index: &str, body: Value) -> Result<Option<Value>> {
        let (status, text) =
            self.call(what, Method::Post, &format!("/{index}/_search"), Some(body))?;
        if status == 404 {
            return Ok(None);
        }
        parse(&format!("{what} in {index}"), status, &text).map(Some)
    }

    /// Makes every acknowledged write searchable (ES shows writes after its
    /// refresh interval): a restore must not miss the last second's documents.
    pub fn refresh(&self, index: &str) -> Result<()> {
        let (status, text) = self.call(
            "refreshing",
            Method::Post,
            &format!("/{index}/_refresh"),
            None,
        )?;
        if status != 404 {
            parse(&format!("refreshing {index}"), status, &text)?;
        }
        Ok(())
    }

    /// Documents in `index`; None when the index does not exist.
    pub fn count(&self, index: &str) -> Result<Option<u64>> {
        let (status, text) = self.call(
            "counting documents",
            Method::Get,
            &format!("/{index}/_count"),
            None,
        )?;
        if status == 404 {
            return Ok(None);
        }
        let v = parse(&format!("counting {index}"), status, &text)?;
        Ok(v["count"].as_u64())
    }

    /// Calls `on_page` with the ids of every document of `index`, a page at a
    /// time, from one point in time; returns how many there were.
    pub fn each_id(
        &self,
        index: &str,
        page_size: usize,
        mut on_page: impl FnMut(Vec<String>) -> Result<()>,
    ) -> Result<u64> {
        let Some((mut pit, dialect)) = self.open_pit(index)? else {
            return Ok(0);
        };
        let mut after: Option<Value> = None;
        let mut total = 0u64;
        let result = loop {
            let mut body = json!({"size": page_size, "pit": {"id": pit, "keep_alive": KEEP_ALIVE},
                "sort": [dialect.total_order()], "_source": false, "track_total_hits": false});
            if let Some(a) = &after {
                body["search_after"] = a.clone();
            }
            let (status, text) =
                self.call("reading a page", Method::Post, "/_search", Some(body))?;
            let v = match parse(&format!("reading {index}"), status, &text) {
                Ok(v) => v,
                Err(e) => break Err(e),
            };
            if let Some(p) = v["pit_id"].as_str() {
                pit = p.to_string();
            }
            let hits = v["hits"]["hits"].as_array().cloned().unwrap_or_default();
            if hits.is_empty() {
                break Ok(total);
            }
            after = hits.last().map(|h| h["sort"].clone());
            let ids: Vec<String> = hits
                .iter()
                .filter_map(|h| h["_id"].as_str().map(str::to_string))
                .collect();
            total += ids.len() as u64;
            if let Err(e) = on_page(ids) {
                break Err(e);
            }
        };
        // Free the point in time now rather than at its keep-alive.
        let _ = match dialect {
            Dialect::Elasticsearch => {
                self.client
                    .request(Method::Delete, "/_pit", Some(json!({"id": pit})))
            }
            Dialect::OpenSearch => self.client.request(
                Method::Delete,
                "/_search/point_in_time",
                Some(json!({"pit_id": [pit]})),
            ),
        };
        result
    }

    /// Opens a point in time on `index`: its id and the API that opened it;
    /// None when the index does not exist.
    fn open_pit(&self, index: &str) -> Result<Option<(String, Dialect)>> {
        let what = format!("opening a point in time on {index}");
        let (status, text) = self.call(
            "opening a point in time",
            Method::Post,
            &format!("/{index}/_pit?keep_alive={KEEP_ALIVE}"),
            None,
        )?;
        let (status, text, dialect, field) = if is_unknown_route(status, &text) {
            let (status, text) = self.call(
                "opening a point in time",
                Method::Post,
                &format!("/{index}/_search/point_in_time?keep_alive={KEEP_ALIVE}"),
                None,
            )?;
            (status, text, Dialect::OpenSearch, "pit_id")
        } else {
            (status, text, Dialect::Elasticsearch, "id")
        };
        if status == 404 {
            return Ok(None);
        }
        let id = parse(&what, status, &text)?[field]
            .as_str()
            .ok_or_else(|| anyhow!("{what}: no {field} in the answer"))?
            .to_string();
        Ok(Some((id, dialect)))
    }
}

/// Which point-in-time API the cluster has (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Elasticsearch,
    OpenSearch,
}

impl Dialect {
    /// A sort that orders every document of the point in time once:
    /// Elasticsearch's `_shard_doc` tiebreaker; OpenSearch 2 has none, and
    /// sorts on `_id` instead (field data on `_id`, which it allows by default).
    fn total_order(self) -> Value {
        match self {
            Dialect::Elasticsearch => json!({"_shard_doc": "asc"}),
            Dialect::OpenSearch => json!({"_id": "asc"}),
        }
    }
}

/// OpenSearch's answer to a route it does not have, e.g. `POST /i/_pit`:
/// 400 (or 405) with `no handler found for uri`.
fn is_unknown_route(status: u16, text: &str) -> bool {
    matches!(status, 400 | 405) && text.contains("no handler found for uri")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opensearch_answers_an_unknown_route_with_no_handler() {
        let answer = r#"{"error":"no handler found for uri [/i/_pit] and method [POST]"}"#;
        assert!(is_unknown_route(400, answer));
        assert!(!is_unknown_route(
            404,
            r#"{"error":{"type":"index_not_found_exception"}}"#
        ));
        assert!(!is_unknown_route(
            400,
            r#"{"error":{"type":"parsing_exception"}}"#
        ));
    }
}
