//! Pins the fake Elasticsearch's answers to the shapes the ES 8 reference
//! documents, through the official client rtdw uses: if the fake drifted
//! from Elasticsearch, tests built on it would prove nothing.

mod support;

use std::time::{Duration, Instant};

use elasticsearch::http::transport::Transport;
use elasticsearch::http::Method;
use elasticsearch::{BulkParts, CountParts, Elasticsearch, SearchParts};
use serde_json::{json, Value};
use support::fake_es::FakeEs;

fn client(es: &FakeEs) -> Elasticsearch {
    Elasticsearch::new(Transport::single_node(&es.url()).unwrap())
}

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Sends a raw request; (status, body).
fn call(es: &Elasticsearch, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    block(async {
        let r = es
            .send(
                method,
                path,
                elasticsearch::http::headers::HeaderMap::new(),
                Option::<&()>::None,
                body.map(elasticsearch::http::request::JsonBody::new),
                None,
            )
            .await
            .unwrap();
        let status = r.status_code().as_u16();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    })
}

fn bulk(es: &Elasticsearch, lines: Vec<Value>, filter: Option<&[&str]>) -> (u16, Value) {
    block(async {
        let body: Vec<elasticsearch::http::request::JsonBody<Value>> =
            lines.into_iter().map(Into::into).collect();
        let mut req = es.bulk(BulkParts::None).body(body);
        if let Some(f) = filter {
            req = req.filter_path(f);
        }
        let r = req.send().await.unwrap();
        (r.status_code().as_u16(), r.json::<Value>().await.unwrap())
    })
}

#[test]
fn bulk_items_answer_201_200_409_400_as_documented() {
    let fake = FakeEs::start();
    let es = client(&fake);
    let (status, r) = bulk(
        &es,
        vec![
            json!({"create": {"_index": "i", "_id": "a"}}),
            json!({"x": 1}),
            json!({"create": {"_index": "i", "_id": "a"}}),
            json!({"x": 2}),
            json!({"index": {"_index": "i", "_id": "a"}}),
            json!({"x": 3}),
        ],
        None,
    );
    assert_eq!(status, 200, "a bulk with failed items is still a 200");
    assert_eq!(r["errors"], true);
    let items = r["items"].as_array().unwrap();
    assert_eq!(items[0]["create"]["status"], 201);
    assert_eq!(items[0]["create"]["result"], "created");
    assert_eq!(items[0]["create"]["_version"], 1);
    assert_eq!(items[1]["create"]["status"], 409);
    assert_eq!(
        items[1]["create"]["error"]["type"],
        "version_conflict_engine_exception"
    );
    assert_eq!(
        items[1]["create"]["error"]["reason"],
        "[a]: version conflict, document already exists (current version [1])"
    );
    assert_eq!(items[2]["index"]["status"], 200);
    assert_eq!(items[2]["index"]["result"], "updated");
    assert_eq!(items[2]["index"]["_version"], 2);
    assert_eq!(fake.doc("i", "a").unwrap().source, json!({"x": 3}));

    // filter_path keeps exactly what rtdw maps errors back with.
    let (_, r) = bulk(
        &es,
        vec![
            json!({"create": {"_index": "i", "_id": "b"}}),
            json!({"x": 1}),
            json!({"create": {"_index": "i", "_id": "b"}}),
            json!({"x": 1}),
        ],
        Some(&[
            "errors",
            "items.*._id",
            "items.*.status",
            "items.*.error.type",
            "items.*.error.reason",
        ]),
    );
    assert_eq!(
        r,
        json!({"errors": true, "items": [
            {"create": {"_id": "b", "status": 201}},
            {"create": {"_id": "b", "status": 409, "error": {"type": "version_conflict_engine_exception",
                "reason": "[b]: version conflict, document already exists (current version [1])"}}}
        ]})
    );
}

#[test]
fn templates_map_new_indices_and_numeric_fields_are_checked() {
    let fake = FakeEs::start();
    let es = client(&fake);
    let (status, r) = call(
        &es,
        Method::Put,
        "/_index_template/t1",
        Some(json!({"index_patterns": ["daily_*"], "priority": 10,
            "template": {"mappings": {"properties": {"mid": {"type": "keyword"}, "age": {"type": "integer"}}}}})),
    );
    assert_eq!((status, r), (200, json!({"acknowledged": true})));
    let (status, r) = call(&es, Method::Get, "/_index_template/nope", None);
    assert_eq!(status, 404);
    assert_eq!(r["error"]["type"], "resource_not_found_exception");
    assert_eq!(r["status"], 404);

    let (_, r) = bulk(
        &es,
        vec![
            json!({"create": {"_index": "daily_1", "_id": "m1"}}),
            json!({"mid": "m1", "age": 30}),
            json!({"create": {"_index": "daily_1", "_id": "m2"}}),
            json!({"mid": "m2", "age": "old"}),
            // Any field takes an array of its values; not an object.
            json!({"create": {"_index": "daily_1", "_id": "m3"}}),
            json!({"mid": ["m3", "m4"], "age": [1, "2"]}),
            json!({"create": {"_index": "daily_1", "_id": "m5"}}),
            json!({"mid": ["m5", {"x": 1}]}),
        ],
        None,
    );
    assert_eq!(r["items"][0]["create"]["status"], 201);
    assert_eq!(r["items"][1]["create"]["status"], 400);
    assert_eq!(r["items"][2]["create"]["status"], 201, "{r}");
    assert_eq!(r["items"][3]["create"]["status"], 400, "{r}");
    assert_eq!(
        r["items"][1]["create"]["error"]["type"],
        "document_parsing_exception"
    );
    let template = fake.with(|s| s.indices["daily_1"].template.clone());
    assert_eq!(template.as_deref(), Some("t1"), "created from the template");
}

#[test]
fn writes_show_after_refresh_and_pit_pages_see_a_snapshot() {
    let fake = FakeEs::start();
    let es = client(&fake);
    let docs: Vec<Value> = (0..5)
        .flat_map(|i| {
            [
                json!({"index": {"_index": "p", "_id": format!("d{i}")}}),
                json!({"mid": format!("m{i}"), "n": i}),
            ]
        })
        .collect();
    bulk(&es, docs, None);
    let count = |es: &Elasticsearch| {
        block(async {
            es.count(CountParts::Index(&["p"]))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()["count"]
                .clone()
        })
    };
    assert_eq!(count(&es), 0, "not searchable before a refresh");
    let (status, _) = call(&es, Method::Post, "/p/_refresh", None);
    assert_eq!(status, 200);
    assert_eq!(count(&es), 5);

    let (_, pit) = call(&es, Method::Post, "/p/_pit?keep_alive=1m", None);
    let pit_id = pit["id"].as_str().unwrap().to_string();
    // A write after the PIT opened is not in its pages.
    bulk(
        &es,
        vec![
            json!({"index": {"_index": "p", "_id": "late"}}),
            json!({"mid": "late"}),
        ],
        None,
    );
    call(&es, Method::Post, "/p/_refresh", None);
    let mut seen = Vec::new();
    let mut after: Option<Value> = None;
    loop {
        let mut body = json!({"size": 2, "pit": {"id": pit_id, "keep_alive": "1m"},
            "sort": [{"_shard_doc": "asc"}], "_source": ["mid"]});
        if let Some(a) = &after {
            body["search_after"] = a.clone();
        }
        let r = block(async {
            es.search(SearchParts::None)
                .body(body)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        });
        assert_eq!(r["pit_id"], pit_id.as_str());
        assert_eq!(r["hits"]["total"]["relation"], "eq");
        let hits = r["hits"]["hits"].as_array().unwrap().clone();
        if hits.is_empty() {
            break;
        }
        for h in &hits {
            assert!(h["_source"].get("n").is_none(), "_source filtered");
            seen.push(h["_source"]["mid"].as_str().unwrap().to_string());
        }
        after = Some(hits.last().unwrap()["sort"].clone());
    }
    seen.sort();
    assert_eq!(seen, ["m0", "m1", "m2", "m3", "m4"]);
    let (status, r) = call(&es, Method::Delete, "/_pit", Some(json!({"id": pit_id})));
    assert_eq!(
        (status, r),
        (200, json!({"succeeded": true, "num_freed": 1}))
    );

    // A missing index is a documented 404.
    let (status, r) = call(&es, Method::Get, "/nope/_count", None);
    assert_eq!(status, 404);
    assert_eq!(r["error"]["type"], "index_not_found_exception");
    assert_eq!(r["error"]["index"], "nope");
}

#[test]
fn size_zero_searches_aggregate_terms_and_sums() {
    let fake = FakeEs::start();
    let es = client(&fake);
    let mut lines = Vec::new();
    for (i, (prov, amount)) in [("a", "1.50"), ("b", "2.00"), ("a", "3.25")]
        .iter()
        .enumerate()
    {
        lines.push(json!({"index": {"_index": "o", "_id": i.to_string()}}));
        lines.push(json!({"province": prov, "amount": amount}));
    }
    bulk(&es, lines, None);
    call(&es, Method::Post, "/o/_refresh", None);
    let (status, r) = call(
        &es,
        Method::Post,
        "/o/_search",
        Some(
            json!({"size": 0, "aggs": {"by": {"terms": {"field": "province", "size": 10},
            "aggs": {"total": {"sum": {"field": "amount"}}}}}}),
        ),
    );
    assert_eq!(status, 200);
    assert_eq!(r["hits"]["hits"], json!([]));
    assert_eq!(r["hits"]["total"]["value"], 3);
    assert_eq!(
        r["aggregations"]["by"],
        json!({"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [
            {"key": "a", "doc_count": 2, "total": {"value": 4.75}},
            {"key": "b", "doc_count": 1, "total": {"value": 2.0}}]})
    );
}

#[test]
fn fault_switches_answer_like_a_loaded_cluster() {
    let fake = FakeEs::start();
    let es = client(&fake);
    fake.with(|s| {
        s.faults.items_429_ratio = 0.5;
        s.faults.items_429_until = Some(Instant::now() + Duration::from_secs(60));
    });
    let lines: Vec<Value> = (0..100)
        .flat_map(|i| {
            [
                json!({"create": {"_index": "f", "_id": i.to_string()}}),
                json!({"i": i}),
            ]
        })
        .collect();
    let (_, r) = bulk(&es, lines, None);
    let rejected = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["create"]["status"] == 429)
        .count();
    assert!((25..=75).contains(&rejected), "{rejected} of 100 rejected");
    assert_eq!(
        fake.ids("f").len(),
        100 - rejected,
        "rejected items are not written"
    );
    let r429 = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["create"]["status"] == 429)
        .unwrap();
    assert_eq!(
        r429["create"]["error"]["type"],
        "es_rejected_execution_exception"
    );

    fake.with(|s| {
        s.faults.items_429_until = None;
        s.faults.reject_requests = 1;
        s.faults.fail_requests = 1;
        s.faults.drop_requests = 1;
    });
    // Faults apply in order: dropped, rejected (429), failed (503), then normal.
    let dropped = block(async { es.count(CountParts::Index(&["f"])).send().await });
    assert!(
        dropped.is_err(),
        "a dropped connection is a transport error"
    );
    let (status, r) = call(&es, Method::Get, "/f/_count", None);
    assert_eq!(status, 429);
    assert_eq!(r["error"]["type"], "es_rejected_execution_exception");
    let (status, _) = call(&es, Method::Get, "/f/_count", None);
    assert_eq!(status, 503);
    let (status, _) = call(&es, Method::Get, "/f/_count", None);
    assert_eq!(status, 200);
}

/// `match` (standard analyzer: CJK ideographs one token each, other words
/// lower-cased; `operator: and` needs all), `from`, and `range` buckets with
/// sub-aggregations, as the orders report uses them.
#[test]
fn match_queries_pages_and_range_aggregations() {
    let fake = FakeEs::start();
    let es = client(&fake);
    let names = [
        "小米10 至尊纪念版",
        "Apple iPhone 12 黑色",
        "小米 电视",
        "iPhone 12 白色",
    ];
    let docs: Vec<Value> = names
        .iter()
        .enumerate()
        .flat_map(|(i, n)| {
            [
                json!({"index": {"_index": "w", "_id": format!("d{i}")}}),
                json!({"sku_name": n, "age": 15 + 10 * i, "amount": 1.5}),
            ]
        })
        .collect();
    bulk(&es, docs, None);
    call(&es, Method::Post, "/w/_refresh", None);
    let search = |body: Value| call(&es, Method::Post, "/w/_search", Some(body)).1;
    let ids = |r: &Value| -> Vec<String> {
        r["hits"]["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["_id"].as_str().unwrap().to_string())
            .collect()
    };
    let r = search(json!({"query": {"match": {"sku_name": {"query": "小米", "operator": "and"}}}}));
    assert_eq!(ids(&r), ["d0", "d2"]);
    let r = search(
        json!({"query": {"match": {"sku_name": {"query": "IPHONE 黑色", "operator": "and"}}}}),
    );
    assert_eq!(ids(&r), ["d1"]);
    let r = search(json!({"query": {"match": {"sku_name": "iphone 黑色"}}}));
    assert_eq!(ids(&r), ["d1", "d3"], "operator or by default");
    let r = search(json!({"from": 1, "size": 2, "sort": [{"sku_name": "asc"}]}));
    assert_eq!(r["hits"]["total"]["value"], 4);
    assert_eq!(r["hits"]["hits"].as_array().unwrap().len(), 2);
    let r = search(json!({"size": 0, "aggs": {"a": {"range": {"field": "age",
        "ranges": [{"key": "<20", "to": 20}, {"key": "20-29", "from": 20, "to": 30}, {"from": 30}]},
        "aggs": {"s": {"sum": {"field": "amount"}}}}}}));
    let b = &r["aggregations"]["a"]["buckets"];
    assert_eq!(
        (b[0]["key"].as_str(), b[0]["doc_count"].as_u64()),
        (Some("<20"), Some(1))
    );
    assert_eq!(
        (b[1]["key"].as_str(), b[1]["doc_count"].as_u64()),
        (Some("20-29"), Some(1))
    );
    assert_eq!(
        (b[2]["key"].as_str(), b[2]["doc_count"].as_u64()),
        (Some("30.0-*"), Some(2))
    );
    assert_eq!(b[2]["s"]["value"], 3.0);
}
