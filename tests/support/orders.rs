//! order-wide test data and checks: hand-made orders and details (Canal
//! style, decimals as strings), gmall days from `mock db` through
//! `route-db`, and the exactness checks every arrival order must pass.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::kafka::Broker;
use super::{add_gmall_tables, rtdw, run_ok, unique};

pub fn dec(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// An order with its details' (price, quantity), the reductions, and the detail ids.
pub struct Order {
    pub id: u32,
    pub lines: Vec<(u32, &'static str, u32)>,
    pub activity: &'static str,
    pub coupon: &'static str,
}

impl Order {
    pub fn original(&self) -> Decimal {
        self.lines
            .iter()
            .map(|(_, p, n)| dec(p) * Decimal::from(*n))
            .sum()
    }

    pub fn total(&self) -> Decimal {
        self.original() - dec(self.activity) - dec(self.coupon)
    }

    /// The order_info row as route-db writes it.
    pub fn row(&self) -> String {
        json!({"id": self.id, "user_id": 1, "province_id": 1, "order_status": "1001",
            "original_total_amount": self.original().to_string(), "total_amount": self.total().to_string(),
            "activity_reduce_amount": self.activity, "coupon_reduce_amount": self.coupon,
            "feight_fee": "0.00", "create_time": "2026-11-22 10:15:00", "op": "I", "ts_ms": 1})
        .to_string()
    }

    /// The order_detail row of line `i`.
    pub fn detail(&self, i: usize) -> String {
        let (id, price, num) = self.lines[i];
        json!({"id": id, "order_id": self.id, "sku_id": 1, "sku_name": "小米10", "order_price": price,
            "sku_num": num, "create_time": "2026-11-22 10:15:00", "op": "I", "ts_ms": 1})
        .to_string()
    }
}

/// The documents of `order-wide --to -` output (`{_index,_id,_source}` lines).
pub fn documents(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {e}: {l}")))
        .collect()
}

/// Wide records by detail id; fails on a detail written twice.
pub fn wide_by_detail(docs: &[Value]) -> BTreeMap<String, Value> {
    let mut by = BTreeMap::new();
    for d in docs {
        let index = d["_index"].as_str().unwrap_or_default();
        if !index.starts_with("gmall_order_wide_") {
            continue;
        }
        let id = d["_id"].as_str().expect("_id").to_string();
        assert!(
            by.insert(id.clone(), d["_source"].clone()).is_none(),
            "detail {id} written twice"
        );
    }
    by
}

fn amount(v: &Value, field: &str) -> Decimal {
    match &v[field] {
        Value::String(s) => dec(s),
        Value::Number(n) => dec(&n.to_string()),
        other => panic!("{field} is {other} in {v}"),
    }
}

/// Each order's split amounts add up exactly to its amounts, each share is
/// within a cent of its exact proportion, none negative.
pub fn assert_exact(wide: &BTreeMap<String, Value>) {
    let mut by_order: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for w in wide.values() {
        let id = w["order_id"].as_str().expect("order_id").to_string();
        by_order.entry(id).or_default().push(w);
    }
    let cent = Decimal::new(1, 2);
    for (order, ws) in by_order {
        let original = amount(ws[0], "original_total_amount");
        let line_sum: Decimal = ws
            .iter()
            .map(|w| amount(w, "order_price") * amount(w, "sku_num"))
            .sum();
        if line_sum != original {
            continue; // not every detail here (an orphan test)
        }
        for (split, whole) in [
            ("split_total_amount", "total_amount"),
            ("split_activity_amount", "activity_reduce_amount"),
            ("split_coupon_amount", "coupon_reduce_amount"),
        ] {
            let target = amount(ws[0], whole);
            let sum: Decimal = ws.iter().map(|w| amount(w, split)).sum();
            assert_eq!(sum, target, "order {order}: Σ {split}");
            for w in &ws {
                let share = amount(w, split);
                let line = amount(w, "order_price") * amount(w, "sku_num");
                let exact = target * line / original;
                assert!(share >= Decimal::ZERO, "order {order}: {split} {share} < 0");
                assert!(
                    (share - exact).abs() <= cent,
                    "order {order}: {split} {share} vs exact {exact}"
                );
            }
        }
    }
}

/// A gmall day from `mock db` routed by `route-db --to -` (envelopes of
/// `DWD_ORDER_INFO_I` and `DWD_ORDER_DETAIL_I`, in arrival order), with the
/// dimension rows written to `state` (`file:PATH` or `redis` with `redis_url`).
pub fn routed_day(
    dir: &Path,
    orders: u32,
    seed: u32,
    state: &str,
    redis_url: Option<&str>,
) -> Vec<u8> {
    let cdc = dir.join(format!("db-{seed}.jsonl"));
    let out = run_ok(rtdw(dir).args([
        "mock",
        "db",
        "--orders",
        &orders.to_string(),
        "--seed",
        &seed.to_string(),
        "--date",
        "2026-11-22",
        "--early-detail-ratio",
        "0.3",
    ]));
    std::fs::write(&cdc, &out.stdout).expect("writing the CDC day");
    let lists = dir.join("lists.db");
    add_gmall_tables(dir, &lists, true);
    // The table lists live in the state the routing runs against.
    let mut route = rtdw(dir);
    if let Some(url) = redis_url {
        let mut conn = redis::Client::open(url)
            .and_then(|c| c.get_connection())
            .expect("redis");
        for (key, tables) in [
            ("FACT:TABLES", vec!["order_info", "order_detail"]),
            ("DIM:TABLES", vec!["user_info", "base_province", "sku_info"]),
        ] {
            let _: () = redis::cmd("SADD")
                .arg(key)
                .arg(tables)
                .query(&mut conn)
                .expect("SADD");
        }
        route.args(["--redis", url]);
    } else {
        let path = state.strip_prefix("file:").expect("file:PATH");
        // Relative to `dir`, where rtdw runs.
        std::fs::copy(&lists, dir.join(path)).expect("copying the table lists");
    }
    let out = run_ok(
        route
            .args(["--state", state, "route-db", "--from"])
            .arg(&cdc)
            .args(["--to", "-"]),
    );
    out.stdout
}

/// A routed day's order and detail rows, split by topic (bare values).
pub fn rows_by_topic(routed: &[u8]) -> (Vec<String>, Vec<String>) {
    let (mut orders, mut details) = (Vec::new(), Vec::new());
    for line in String::from_utf8_lossy(routed).lines() {
        let env: Value = serde_json::from_str(line).expect("an envelope");
        let value = env["value"].to_string();
        match env["topic"].as_str() {
            Some("DWD_ORDER_INFO_I") => orders.push(value),
            Some("DWD_ORDER_DETAIL_I") => details.push(value),
            _ => {}
        }
    }
    (orders, details)
}

/// Creates an order topic and a detail topic with these partitions on
/// `broker`, names them in `dir/rtdw.toml`, produces the rows (details
/// first) and returns the topics.
pub fn produce_to_topics(
    dir: &Path,
    broker: &Broker,
    (order_partitions, detail_partitions): (i32, i32),
    orders: &[String],
    details: &[String],
) -> (String, String) {
    let (order_topic, detail_topic) = (unique("orders"), unique("details"));
    broker.create_topic(&order_topic, order_partitions);
    broker.create_topic(&detail_topic, detail_partitions);
    std::fs::write(
        dir.join("rtdw.toml"),
        format!(
            "brokers = \"{}\"\n{}[topics]\nDWD_ORDER_INFO_I = \"{order_topic}\"\nDWD_ORDER_DETAIL_I = \"{detail_topic}\"\n",
            broker.bootstrap(),
            broker.client_tuning()
        ),
    )
    .expect("rtdw.toml");
    broker.produce_lines(&detail_topic, details);
    broker.produce_lines(&order_topic, orders);
    (order_topic, detail_topic)
}

/// `order-wide --once` Kafka → Elasticsearch, join state and offsets in Redis.
pub fn kafka_to_es(
    dir: &Path,
    redis_url: &str,
    es_url: &str,
    group: &str,
    batch_max: usize,
) -> Command {
    let mut c = rtdw(dir);
    c.args(["--redis", redis_url, "--es", es_url, "--state", "redis"])
        .args(["order-wide", "--from", "kafka", "--to", "es", "--once"])
        .args(["--offsets", "redis", "--group", group])
        .args(["--batch-max", &batch_max.to_string()]);
    c
}
