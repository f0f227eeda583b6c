//! A fake Elasticsearch 8 for tests, answering as the ES 8 REST reference
//! documents for what rtdw calls: `_bulk` (`index`/`create`, per-item
//! 201/200/409/400/429), `_index_template`, index creation on first write
//! (mappings from the matching template, numeric fields checked),
//! near-real-time visibility (`refresh`, or 1 s after a write), `_count`,
//! `_search` with `size: 0` and `terms`/`sum` aggregations, point-in-time +
//! `search_after`, and `filter_path`. Requests it does not implement get an
//! ES-shaped 400 naming them, so a test never passes on a guess.
//!
//! Switches inject what a loaded cluster does: 429 on a share of bulk items
//! for a while, 429 or 503 on whole requests, slow answers, dropped connections.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

use super::http::{Answer, Request, Server};

/// Documents become searchable this long after a write (ES's default
/// `refresh_interval`), or at the next refresh.
const REFRESH_INTERVAL: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Share of bulk items answered 429, while `items_429_until` is in the future.
    pub items_429_ratio: f64,
    pub items_429_until: Option<Instant>,
    /// The next N requests answered 429 / 503 as a whole.
    pub reject_requests: u32,
    pub fail_requests: u32,
    /// The next N requests get no answer: the connection is closed.
    pub drop_requests: u32,
    /// Every answer waits this long.
    pub delay: Duration,
    /// Documents with these ids are refused with a 400, as a mapping
    /// conflict would refuse them.
    pub refuse_ids: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub source: Value,
    pub version: u64,
    seq_no: u64,
    written: Instant,
}

#[derive(Debug, Default)]
pub struct Index {
    pub docs: BTreeMap<String, Doc>,
    pub mappings: Value,
    /// The template it was created from.
    pub template: Option<String>,
    refreshed_seq: u64,
}

impl Index {
    fn visible(&self) -> impl Iterator<Item = (&String, &Doc)> {
        let cut = self.refreshed_seq;
        self.docs
            .iter()
            .filter(move |(_, d)| d.seq_no <= cut || d.written.elapsed() >= REFRESH_INTERVAL)
    }
}

#[derive(Default)]
pub struct State {
    pub indices: BTreeMap<String, Index>,
    pub templates: BTreeMap<String, Value>,
    /// Point-in-time id → the documents visible when it was opened.
    pits: HashMap<String, Vec<Hit>>,
    pub faults: Faults,
    /// When set, the `Authorization` header every request must carry
    /// (else 401 security_exception, as a secured cluster answers).
    pub require_auth: Option<String>,
    /// Every request: (method, path).
    pub requests: Vec<(String, String)>,
    /// Bulk items received (all attempts), and items answered 429.
    pub bulk_items: u64,
    pub rejected_items: u64,
    seq: u64,
    rng: Option<rand_chacha::ChaCha8Rng>,
}

pub struct FakeEs {
    pub state: Arc<Mutex<State>>,
    server: Server,
}

type Reply = (u16, Value);
/// A searchable document: (index, id, source).
type Hit = (String, String, Value);

fn error(status: u16, kind: &str, reason: &str, index: Option<&str>) -> Reply {
    let mut cause = json!({"type": kind, "reason": reason});
    if let Some(i) = index {
        cause["index"] = json!(i);
        cause["index_uuid"] = json!("_na_");
        cause["resource.type"] = json!("index_or_alias");
        cause["resource.id"] = json!(i);
    }
    let mut e = cause.clone();
    e["root_cause"] = json!([cause]);
    (status, json!({"error": e, "status": status}))
}

fn unsupported(what: &str) -> Reply {
    error(
        400,
        "illegal_argument_exception",
        &format!("the fake Elasticsearch does not implement {what}"),
        None,
    )
}

/// `*` globs, as index patterns use them.
fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            name.starts_with(head)
                && (0..=name.len() - head.len()).any(|i| glob(tail, &name[head.len() + i..]))
        }
    }
}

/// Applies `filter_path` (comma-separated dotted paths, `*` = any one key;
/// arrays are transparent).
fn filter_path(v: &Value, paths: &[Vec<&str>]) -> Option<Value> {
    if paths.iter().any(|p| p.is_empty()) {
        return Some(v.clone());
    }
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, child) in m {
                let rest: Vec<Vec<&str>> = paths
                    .iter()
                    .filter(|p| p[0] == "*" || p[0] == k || glob(p[0], k))
                    .map(|p| p[1..].to_vec())
                    .collect();
                if rest.is_empty() {
                    continue;
                }
                if let Some(f) = filter_path(child, &rest) {
                    out.insert(k.clone(), f);
                }
            }
            (!out.is_empty()).then_some(Value::Object(out))
        }
        Value::Array(a) => {
            let items: Vec<Value> = a.iter().filter_map(|x| filter_path(x, paths)).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        _ => None,
    }
}

const NUMERIC: [&str; 8] = [
    "long",
    "integer",
    "short",
    "byte",
    "double",
    "float",
    "half_float",
    "scaled_float",
];

/// Whether a field of type `ty` takes `v`. Any field takes an array of
/// values it takes (ES has no array type); objects fit no leaf type.
fn value_fits(ty: &str, v: &Value) -> bool {
    match v {
        Value::Null | Value::Number(_) => true,
        Value::String(s) if NUMERIC.contains(&ty) => s.trim().parse::<f64>().is_ok(),
        Value::Bool(_) if NUMERIC.contains(&ty) => false,
        Value::Array(items) => items.iter().all(|x| value_fits(ty, x)),
        Value::Object(_) if NUMERIC.contains(&ty) || ty == "keyword" => false,
        _ => true,
    }
}

/// The first field whose value its mapping cannot take, as ES reports it.
fn mapping_error(mappings: &Value, source: &Value, id: &str) -> Option<String> {
    let props = mappings.get("properties")?.as_object()?;
    for (field, spec) in props {
        let ty = spec.get("type").and_then(Value::as_str).unwrap_or("");
        let Some(v) = source.get(field) else { continue };
        if !value_fits(ty, v) {
            return Some(format!(
                "failed to parse field [{field}] of type [{ty}] in document with id '{id}'. Preview of field's value: '{}'",
                v.as_str().map_or_else(|| v.to_string(), str::to_string)
            ));
        }
    }
    None
}

impl State {
    /// Points in time not closed yet.
    pub fn pits_open(&self) -> usize {
        self.pits.len()
    }

    fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn roll(&mut self, p: f64) -> bool {
        self.rng
            .get_or_insert_with(|| rand_chacha::ChaCha8Rng::seed_from_u64(7))
            .gen_bool(p.clamp(0.0, 1.0))
    }

    /// Creates `name` on first write, with the highest-priority matching template's mappings.
    fn ensure_index(&mut self, name: &str) {
        if self.indices.contains_key(name) {
            return;
        }
        let template = self
            .templates
            .iter()
            .filter(|(_, t)| {
                t["index_patterns"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .chain(t["index_patterns"].as_str().map(|_| &t["index_patterns"]))
                    .filter_map(Value::as_str)
                    .any(|p| glob(p, name))
            })
            .max_by_key(|(_, t)| t["priority"].as_i64().unwrap_or(0))
            .map(|(n, t)| (n.clone(), t["template"]["mappings"].clone()));
        let (template, mappings) = match template {
            Some((n, m)) => (Some(n), m),
            None => (None, json!({})),
        };
        self.indices.insert(
            name.to_string(),
            Index {
                mappings,
                template,
                ..Index::default()
            },
        );
    }

    fn bulk(&mut self, default_index: Option<&str>, body: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(body);
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let mut items = Vec::new();
        let mut errors = false;
        let storm = self
            .faults
            .items_429_until
            .is_some_and(|until| Instant::now() < until);
        while let Some(action_line) = lines.next() {
            let Ok(Value::Object(action)) = serde_json::from_str::<Value>(action_line) else {
                return error(
                    400,
                    "x_content_parse_exception",
                    "Malformed action/metadata line",
                    None,
                );
            };
            let Some((op, meta)) = action.into_iter().next() else {
                return error(400, "illegal_argument_exception", "empty action", None);
            };
            if op != "index" && op != "create" {
                return unsupported(&format!("bulk `{op}`"));
            }
            let Some(source_line) = lines.next() else {
                return error(
                    400,
                    "illegal_argument_exception",
                    "The bulk request must be terminated by a newline [\\n]",
                    None,
                );
            };
            self.bulk_items += 1;
            let index = meta["_index"]
                .as_str()
                .or(default_index)
                .unwrap_or("")
                .to_string();
            let id = meta["_id"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("auto{}", self.seq + 1));
            let item = |status: u16, extra: Value| {
                let mut v = json!({"_index": index, "_id": id, "status": status});
                if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
                    m.extend(e);
                }
                json!({ op.clone(): v })
            };
            if storm && self.roll(self.faults.items_429_ratio) {
                self.rejected_items += 1;
                errors = true;
                items.push(item(429, json!({"error": {"type": "es_rejected_execution_exception",
                    "reason": "rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=1, max_coordinating_and_primary_bytes=0]"}})));
                continue;
            }
            let source: Value = match serde_json::from_str(source_line) {
                Ok(v @ Value::Object(_)) => v,
                _ => {
                    errors = true;
                    items.push(item(
                        400,
                        json!({"error": {"type": "document_parsing_exception",
                        "reason": "[1:1] failed to parse: not a JSON object"}}),
                    ));
                    continue;
                }
            };
            self.ensure_index(&index);
            let mappings = self.indices[&index].mappings.clone();
            let refused = self
                .faults
                .refuse_ids
                .contains(&id)
                .then(|| format!("[1:2] failed to parse: document {id} refused by the test"));
            if let Some(reason) = refused.or_else(|| mapping_error(&mappings, &source, &id)) {
                errors = true;
                items.push(item(
                    400,
                    json!({"error": {"type": "document_parsing_exception", "reason": reason}}),
                ));
                continue;
            }
            let seq = self.next_seq();
            let idx = self.indices.get_mut(&index).expect("created above");
            let shards = json!({"total": 2, "successful": 1, "failed": 0});
            match (op.as_str(), idx.docs.get_mut(&id)) {
                ("create", Some(existing)) => {
                    errors = true;
                    items.push(item(409, json!({"error": {"type": "version_conflict_engine_exception",
                        "reason": format!("[{id}]: version conflict, document already exists (current version [{}])", existing.version),
                        "index_uuid": "fake-uuid", "shard": "0", "index": index}})));
                }
                (_, Some(existing)) => {
                    existing.version += 1;
                    existing.source = source;
                    existing.seq_no = seq;
                    existing.written = Instant::now();
                    let v = existing.version;
                    items.push(item(
                        200,
                        json!({"_version": v, "result": "updated", "_shards": shards,
                        "_seq_no": seq, "_primary_term": 1}),
                    ));
                }
                (_, None) => {
                    idx.docs.insert(
                        id.clone(),
                        Doc {
                            source,
                            version: 1,
                            seq_no: seq,
                            written: Instant::now(),
                        },
                    );
                    items.push(item(
                        201,
                        json!({"_version": 1, "result": "created", "_shards": shards,
                        "_seq_no": seq, "_primary_term": 1}),
                    ));
                }
            }
        }
        (200, json!({"took": 3, "errors": errors, "items": items}))
    }

    /// Concrete indices a path names (comma lists, `*` patterns, `_all`).
    fn resolve(&self, expr: &str) -> Result<Vec<String>, Reply> {
        let mut out = Vec::new();
        for part in expr.split(',') {
            if part == "_all" || part.contains('*') {
                let pat = if part == "_all" { "*" } else { part };
                out.extend(self.indices.keys().filter(|n| glob(pat, n)).cloned());
            } else if self.indices.contains_key(part) {
                out.push(part.to_string());
            } else {
                return Err(error(
                    404,
                    "index_not_found_exception",
                    &format!("no such index [{part}]"),
                    Some(part),
                ));
            }
        }
        Ok(out)
    }

    fn visible_docs(&self, indices: &[String]) -> Vec<Hit> {
        indices
            .iter()
            .flat_map(|i| {
                self.indices[i]
                    .visible()
                    .map(move |(id, d)| (i.clone(), id.clone(), d.source.clone()))
            })
            .collect()
    }

    /// A document's sort value for `field`. A multi-field `name.sub`
    /// (`"fields": {"sub": {…}}` in the mapping) is indexed from `name`'s
    /// value as `sub`'s type: a numeric sub-field sorts the text as a
    /// number, and text that is no number is missing (`ignore_malformed`).
    fn sort_value(&self, index: &str, source: &Value, field: &str) -> Value {
        if let Some(v) = source.get(field) {
            return v.clone();
        }
        let Some((name, sub)) = field.split_once('.') else {
            return Value::Null;
        };
        let mapped = &self.indices[index].mappings["properties"][name]["fields"][sub]["type"];
        let numeric = matches!(
            mapped.as_str(),
            Some("long" | "integer" | "short" | "byte" | "double" | "float" | "scaled_float")
        );
        match source.get(name) {
            Some(Value::String(s)) if numeric => s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
            Some(v @ Value::Number(_)) if numeric => v.clone(),
            _ => Value::Null,
        }
    }

    fn search(&mut self, index_expr: Option<&str>, body: &Value) -> Reply {
        let filter = match body.get("query") {
            None => None,
            Some(q) if q.get("match_all").is_some() => None,
            Some(q) => match q.get("match").and_then(Value::as_object) {
                Some(m) if m.len() == 1 => {
                    let (field, spec) = m.iter().next().expect("one field");
                    let (text, and) = match spec {
                        Value::String(t) => (t.clone(), false),
                        Value::Object(o) => (
                            o.get("query")
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_string(),
                            o.get("operator")
                                .and_then(Value::as_str)
                                .is_some_and(|op| op.eq_ignore_ascii_case("and")),
                        ),
                        _ => return unsupported("this match query"),
                    };
                    Some((field.clone(), standard_tokens(&text), and))
                }
                _ => return unsupported("queries other than match_all and match"),
            },
        };
        let pit_id = body["pit"]["id"].as_str().map(str::to_string);
        let docs = match (&pit_id, index_expr) {
            (Some(id), None) => match self.pits.get(id) {
                Some(d) => d.clone(),
                None => {
                    return error(
                        404,
                        "search_context_missing_exception",
                        "No search context found for id",
                        None,
                    )
                }
            },
            (Some(_), Some(_)) => {
                return error(
                    400,
                    "action_request_validation_exception",
                    "Validation Failed: 1: [indices] cannot be used with point in time;",
                    None,
                )
            }
            (None, expr) => match self.resolve(expr.unwrap_or("_all")) {
                Ok(ix) => self.visible_docs(&ix),
                Err(e) => return e,
            },
        };
        let docs: Vec<Hit> = match &filter {
            None => docs,
            Some((field, terms, and)) => docs
                .into_iter()
                .filter(|d| {
                    let have =
                        standard_tokens(d.2.get(field).and_then(Value::as_str).unwrap_or(""));
                    let mut hits = terms.iter().map(|t| have.contains(t));
                    if *and {
                        hits.all(|h| h)
                    } else {
                        hits.any(|h| h)
                    }
                })
                .collect(),
        };
        let size = body["size"].as_u64().unwrap_or(10) as usize;
        let from = body["from"].as_u64().unwrap_or(0) as usize;
        if from + size > 10_000 {
            return error(
                400,
                "illegal_argument_exception",
                "Result window is too large, from + size must be less than or equal to: [10000]",
                None,
            );
        }
        // Sort keys: `_shard_doc` (a stable position) or one field, then position.
        let sort_field = body["sort"]
            .as_array()
            .and_then(|s| s.first())
            .and_then(|s| match s {
                Value::String(f) => Some(f.clone()),
                Value::Object(m) => m.keys().next().cloned(),
                _ => None,
            });
        let mut rows: Vec<(Vec<Value>, &Hit)> = docs
            .iter()
            .enumerate()
            .map(|(pos, d)| {
                let key = match sort_field.as_deref() {
                    None | Some("_shard_doc") | Some("_doc") => vec![json!(pos)],
                    Some(f) => vec![self.sort_value(&d.0, &d.2, f), json!(pos)],
                };
                (key, d)
            })
            .collect();
        // Numbers by value, strings by bytes, missing values last (ES's
        // default `missing: _last` in ascending order).
        let cmp = |a: &Value, b: &Value| match (a, b) {
            (Value::Number(x), Value::Number(y)) => x
                .as_f64()
                .partial_cmp(&y.as_f64())
                .unwrap_or(std::cmp::Ordering::Equal),
            (Value::Null, Value::Null) => std::cmp::Ordering::Equal,
            (Value::Null, _) => std::cmp::Ordering::Greater,
            (_, Value::Null) => std::cmp::Ordering::Less,
            _ => a.to_string().cmp(&b.to_string()),
        };
        let key_cmp = |a: &[Value], b: &[Value]| {
            a.iter()
                .zip(b)
                .map(|(x, y)| cmp(x, y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        };
        rows.sort_by(|a, b| key_cmp(&a.0, &b.0));
        if let Some(after) = body["search_after"].as_array() {
            rows.retain(|(k, _)| key_cmp(k, after).is_gt());
        }
        let total = docs.len();
        let source_filter = body.get("_source");
        let hits: Vec<Value> = rows
            .iter()
            .skip(from)
            .take(size)
            .map(|(k, (index, id, src))| {
                let src = match source_filter {
                    Some(Value::Bool(false)) => None,
                    Some(Value::Array(fields)) => Some(Value::Object(
                        fields
                            .iter()
                            .filter_map(Value::as_str)
                            .filter_map(|f| Some((f.to_string(), src.get(f)?.clone())))
                            .collect(),
                    )),
                    _ => Some(src.clone()),
                };
                let mut h = json!({"_index": index, "_id": id, "_score": null});
                if let Some(s) = src {
                    h["_source"] = s;
                }
                if body.get("sort").is_some() {
                    h["sort"] = Value::Array(k.clone());
                }
                h
            })
            .collect();
        let mut out = json!({"took": 1, "timed_out": false,
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {"total": {"value": total, "relation": "eq"}, "max_score": null, "hits": hits}});
        if let Some(id) = pit_id {
            out["pit_id"] = json!(id);
        }
        if let Some(aggs) = body.get("aggs").or_else(|| body.get("aggregations")) {
            match aggregate(aggs, &docs) {
                Ok(a) => out["aggregations"] = a,
                Err(e) => return e,
            }
        }
        (200, out)
    }
}

/// ES's standard analyzer, as far as order lines need it: lower-cased runs
/// of letters and digits, and each CJK ideograph a token of its own.
fn standard_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        let cjk = matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F);
        if cjk || !c.is_alphanumeric() {
            if !run.is_empty() {
                tokens.push(std::mem::take(&mut run));
            }
            if cjk {
                tokens.push(c.to_string());
            }
        } else {
            run.extend(c.to_lowercase());
        }
    }
    if !run.is_empty() {
        tokens.push(run);
    }
    tokens
}

fn aggregate(aggs: &Value, docs: &[Hit]) -> Result<Value, Reply> {
    let mut out = Map::new();
    for (name, spec) in aggs.as_object().into_iter().flatten() {
        let value = if let Some(t) = spec.get("terms") {
            let field = t["field"].as_str().unwrap_or("");
            let size = t["size"].as_u64().unwrap_or(10) as usize;
            let mut counts: BTreeMap<String, (Value, Vec<Hit>)> = BTreeMap::new();
            for d in docs {
                if let Some(v) = d.2.get(field).filter(|v| !v.is_null()) {
                    let key = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                    counts
                        .entry(key)
                        .or_insert_with(|| (v.clone(), Vec::new()))
                        .1
                        .push(d.clone());
                }
            }
            let mut buckets: Vec<(String, Value, Vec<Hit>)> =
                counts.into_iter().map(|(k, (v, ds))| (k, v, ds)).collect();
            buckets.sort_by(|a, b| b.2.len().cmp(&a.2.len()).then(a.0.cmp(&b.0)));
            let shown: u64 = buckets.iter().take(size).map(|b| b.2.len() as u64).sum();
            let all: u64 = buckets.iter().map(|b| b.2.len() as u64).sum();
            let mut list = Vec::new();
            for (_, key, ds) in buckets.into_iter().take(size) {
                let mut b = json!({"key": key, "doc_count": ds.len()});
                if let Some(sub) = spec.get("aggs").or_else(|| spec.get("aggregations")) {
                    if let Value::Object(m) = aggregate(sub, &ds)? {
                        b.as_object_mut().expect("object").extend(m);
                    }
                }
                list.push(b);
            }
            json!({"doc_count_error_upper_bound": 0, "sum_other_doc_count": all - shown, "buckets": list})
        } else if let Some(r) = spec.get("range") {
            let field = r["field"].as_str().unwrap_or("");
            let mut list = Vec::new();
            for range in r["ranges"].as_array().into_iter().flatten() {
                let (from, to) = (range["from"].as_f64(), range["to"].as_f64());
                let ds: Vec<Hit> = docs
                    .iter()
                    .filter(|d| {
                        d.2.get(field).and_then(Value::as_f64).is_some_and(|v| {
                            from.is_none_or(|f| v >= f) && to.is_none_or(|t| v < t)
                        })
                    })
                    .cloned()
                    .collect();
                let key = range["key"].as_str().map_or_else(
                    || {
                        let end = |x: Option<f64>| x.map_or("*".to_string(), |x| format!("{x:.1}"));
                        format!("{}-{}", end(from), end(to))
                    },
                    str::to_string,
                );
                let mut b = json!({"key": key, "doc_count": ds.len()});
                if let Some(f) = from {
                    b["from"] = json!(f);
                }
                if let Some(t) = to {
                    b["to"] = json!(t);
                }
                if let Some(sub) = spec.get("aggs").or_else(|| spec.get("aggregations")) {
                    if let Value::Object(m) = aggregate(sub, &ds)? {
                        b.as_object_mut().expect("object").extend(m);
                    }
                }
                list.push(b);
            }
            json!({"buckets": list})
        } else if let Some(s) = spec.get("sum") {
            let field = s["field"].as_str().unwrap_or("");
            let sum: f64 = docs
                .iter()
                .filter_map(|d| match d.2.get(field)? {
                    Value::Number(n) => n.as_f64(),
                    Value::String(s) => s.parse().ok(),
                    _ => None,
                })
                .sum();
            json!({"value": sum})
        } else {
            return Err(unsupported(&format!("aggregation {spec}")));
        };
        out.insert(name.clone(), value);
    }
    Ok(Value::Object(out))
}

impl FakeEs {
    pub fn start() -> FakeEs {
        let state = Arc::new(Mutex::new(State::default()));
        let s = Arc::clone(&state);
        let server = Server::start(Arc::new(move |req: &Request| handle(&s, req)));
        FakeEs { state, server }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.server.port)
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The ids in `index`, visible or not.
    pub fn ids(&self, index: &str) -> Vec<String> {
        self.with(|s| {
            s.indices
                .get(index)
                .map(|i| i.docs.keys().cloned().collect())
                .unwrap_or_default()
        })
    }

    pub fn doc(&self, index: &str, id: &str) -> Option<Doc> {
        self.with(|s| s.indices.get(index)?.docs.get(id).cloned())
    }

    /// Requests seen so far whose path ends with `suffix` (e.g. `_bulk`).
    pub fn count_requests(&self, suffix: &str) -> usize {
        self.with(|s| {
            s.requests
                .iter()
                .filter(|(_, p)| p.ends_with(suffix))
                .count()
        })
    }
}

fn handle(state: &Arc<Mutex<State>>, req: &Request) -> Answer {
    let (delay, outcome) = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        s.requests.push((req.method.clone(), req.path.clone()));
        let delay = s.faults.delay;
        let authorized = s
            .require_auth
            .as_deref()
            .is_none_or(|want| req.header("authorization") == Some(want));
        let outcome = if !authorized {
            Some(error(
                401,
                "security_exception",
                "missing authentication credentials for REST request",
                None,
            ))
        } else if s.faults.drop_requests > 0 {
            s.faults.drop_requests -= 1;
            None
        } else if s.faults.reject_requests > 0 {
            s.faults.reject_requests -= 1;
            Some(error(
                429,
                "es_rejected_execution_exception",
                "rejected execution of coordinating operation",
                None,
            ))
        } else if s.faults.fail_requests > 0 {
            s.faults.fail_requests -= 1;
            Some(error(
                503,
                "cluster_block_exception",
                "blocked by: [SERVICE_UNAVAILABLE/2/no master];",
                None,
            ))
        } else {
            Some(route(&mut s, req))
        };
        (delay, outcome)
    };
    std::thread::sleep(delay);
    let Some((status, body)) = outcome else {
        return Answer::Drop;
    };
    let body = match req.param("filter_path") {
        Some(fp) => {
            let paths: Vec<Vec<&str>> = fp.split(',').map(|p| p.split('.').collect()).collect();
            filter_path(&body, &paths).unwrap_or_else(|| json!({}))
        }
        None => body,
    };
    Answer::Respond {
        status,
        content_type: "application/vnd.elasticsearch+json;compatible-with=8",
        body: serde_json::to_vec(&body).unwrap_or_default(),
    }
}

fn route(s: &mut State, req: &Request) -> Reply {
    let parts: Vec<&str> = req
        .path
        .trim_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    let body: Value = if req.body.is_empty() || parts.last() == Some(&"_bulk") {
        Value::Null
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                return error(
                    400,
                    "parse_exception",
                    &format!("request body is required / not JSON: {e}"),
                    None,
                )
            }
        }
    };
    let m = req.method.as_str();
    match (m, parts.as_slice()) {
        ("GET" | "HEAD", []) => (
            200,
            json!({"name": "fake-node", "cluster_name": "fake", "cluster_uuid": "fake",
            "version": {"number": "8.19.0", "build_flavor": "default", "lucene_version": "9.12.0",
                        "minimum_wire_compatibility_version": "7.17.0", "minimum_index_compatibility_version": "7.0.0"},
            "tagline": "You Know, for Search"}),
        ),
        ("PUT" | "POST", ["_index_template", name]) => {
            if body.get("index_patterns").is_none() {
                return error(
                    400,
                    "action_request_validation_exception",
                    "Validation Failed: 1: index patterns are missing;",
                    None,
                );
            }
            s.templates.insert(name.to_string(), body);
            (200, json!({"acknowledged": true}))
        }
        ("GET" | "HEAD", ["_index_template", name]) => match s.templates.get(*name) {
            Some(t) => (
                200,
                json!({"index_templates": [{"name": name, "index_template": t}]}),
            ),
            None => error(
                404,
                "resource_not_found_exception",
                &format!("index template matching [{name}] not found"),
                None,
            ),
        },
        ("POST" | "PUT", ["_bulk"]) => s.bulk(None, &req.body),
        ("POST" | "PUT", [index, "_bulk"]) => s.bulk(Some(index), &req.body),
        ("POST" | "GET", ["_refresh"]) | ("POST" | "GET", [_, "_refresh"]) => {
            let expr = if parts.len() == 2 { parts[0] } else { "_all" };
            match s.resolve(expr) {
                Ok(ix) => {
                    let seq = s.seq;
                    for i in &ix {
                        if let Some(idx) = s.indices.get_mut(i) {
                            idx.refreshed_seq = seq;
                        }
                    }
                    (
                        200,
                        json!({"_shards": {"total": ix.len() * 2, "successful": ix.len(), "failed": 0}}),
                    )
                }
                Err(e) => e,
            }
        }
        ("POST" | "GET", [index, "_count"]) => {
            if body
                .get("query")
                .is_some_and(|q| q.get("match_all").is_none())
            {
                return unsupported("queries other than match_all");
            }
            match s.resolve(index) {
                Ok(ix) => {
                    let n = s.visible_docs(&ix).len();
                    (
                        200,
                        json!({"count": n, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}),
                    )
                }
                Err(e) => e,
            }
        }
        ("POST", [index, "_pit"]) => {
            if req.param("keep_alive").is_none() {
                return error(
                    400,
                    "action_request_validation_exception",
                    "Validation Failed: 1: [keep_alive] is not specified;",
                    None,
                );
            }
            match s.resolve(index) {
                Ok(ix) => {
                    let docs = s.visible_docs(&ix);
                    let id = format!("pit{}", s.next_seq());
                    s.pits.insert(id.clone(), docs);
                    (
                        200,
                        json!({"_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}, "id": id}),
                    )
                }
                Err(e) => e,
            }
        }
        ("DELETE", ["_pit"]) => {
            let id = body["id"].as_str().unwrap_or("");
            let freed = s.pits.remove(id).is_some();
            (
                if freed { 200 } else { 404 },
                json!({"succeeded": true, "num_freed": freed as u32}),
            )
        }
        ("POST" | "GET", ["_search"]) => s.search(None, &body),
        ("POST" | "GET", [index, "_search"]) => s.search(Some(index), &body),
        _ => unsupported(&format!("{m} /{}", parts.join("/"))),
    }
}
