//! Reading an index back: its document count, and every document id through
//! a point in time and `search_after` pages (a consistent view, never one
//! query of a fixed size that silently stops at 10 000).

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
        let (status, text) = self.call(
            "opening a point in time",
            Method::Post,
            &format!("/{index}/_pit?keep_alive={KEEP_ALIVE}"),
            None,
        )?;
        if status == 404 {
            return Ok(0);
        }
        let mut pit = parse(
            &format!("opening a point in time on {index}"),
            status,
            &text,
        )?["id"]
            .as_str()
            .ok_or_else(|| anyhow!("opening a point in time on {index}: no id in the answer"))?
            .to_string();
        let mut after: Option<Value> = None;
        let mut total = 0u64;
        let result = loop {
            let mut body = json!({"size": page_size, "pit": {"id": pit, "keep_alive": KEEP_ALIVE},
                "sort": [{"_shard_doc": "asc"}], "_source": false, "track_total_hits": false});
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
        let _ = self
            .client
            .request(Method::Delete, "/_pit", Some(json!({"id": pit})));
        result
    }
}
