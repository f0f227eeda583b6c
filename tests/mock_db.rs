//! `rtdw mock db`: deterministic gmall changes whose amounts add up, in three
//! dialects that route-db turns into the same rows.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::Value;
use support::{add_gmall_tables, parse_json_lines, rtdw, run_ok};

fn mock(dir: &Path, format: &str, extra: &[&str]) -> Vec<u8> {
    let mut cmd = rtdw(dir);
    cmd.args([
        "mock",
        "db",
        "--orders",
        "300",
        "--users",
        "50",
        "--date",
        "2026-11-22",
        "--format",
        format,
    ]);
    if !extra.contains(&"--seed") {
        cmd.args(["--seed", "5"]);
    }
    run_ok(cmd.args(extra)).stdout
}

/// An amount in hundredths: Maxwell writes DECIMAL as a number with its
/// exact text (`30.30`), Canal as a string; both have two places.
fn cents(v: &Value) -> i64 {
    let s = match v {
        Value::Number(n) => n.to_string(),
        other => other
            .as_str()
            .expect("decimals are numbers or strings")
            .to_string(),
    };
    let (whole, frac) = s.split_once('.').expect("two decimal places");
    whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

#[test]
fn same_seed_same_bytes_and_amounts_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let a = mock(dir.path(), "maxwell", &[]);
    assert_eq!(
        a,
        mock(dir.path(), "maxwell", &[]),
        "deterministic for a seed"
    );
    assert_ne!(a, mock(dir.path(), "maxwell", &["--seed", "6"]));
    let records: Vec<Value> = String::from_utf8(a)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    let mut kinds: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut detail_sum: HashMap<i64, i64> = HashMap::new();
    let mut orders_seen = std::collections::HashSet::new();
    let mut early = 0;
    for r in &records {
        let table = r["table"].as_str().unwrap().to_string();
        let kind = r["type"].as_str().unwrap().to_string();
        *kinds.entry((table.clone(), kind.clone())).or_default() += 1;
        let d = &r["data"];
        match (table.as_str(), kind.as_str()) {
            ("order_detail", "insert") => {
                let order = d["order_id"].as_i64().unwrap();
                if !orders_seen.contains(&order) {
                    early += 1;
                }
                *detail_sum.entry(order).or_default() +=
                    cents(&d["order_price"]) * d["sku_num"].as_i64().unwrap();
            }
            ("order_info", "insert") => {
                orders_seen.insert(d["id"].as_i64().unwrap());
                assert_eq!(
                    cents(&d["total_amount"]),
                    cents(&d["original_total_amount"])
                        - cents(&d["activity_reduce_amount"])
                        - cents(&d["coupon_reduce_amount"]),
                    "{d}"
                );
            }
            _ => {}
        }
    }
    for r in &records {
        if r["table"] == "order_info" && r["type"] == "insert" {
            let d = &r["data"];
            assert_eq!(
                detail_sum[&d["id"].as_i64().unwrap()],
                cents(&d["original_total_amount"]),
                "the details add up to the order's original amount: {d}"
            );
        }
    }
    assert_eq!(orders_seen.len(), 300);
    assert!(early > 0, "some details arrive before their order");
    let count = |t: &str, k: &str| kinds.get(&(t.into(), k.into())).copied().unwrap_or(0);
    assert_eq!(count("user_info", "bootstrap-insert"), 50);
    assert_eq!(count("base_province", "bootstrap-insert"), 34);
    assert_eq!(count("user_info", "bootstrap-start"), 1);
    assert!(
        count("order_info", "update") > 100,
        "payments and cancellations"
    );
    assert!(count("user_info", "update") > 0);
    assert!(count("sku_info", "update") > 0);
    assert!(
        records.iter().any(|r| r["type"] == "delete"),
        "some deletes: {kinds:?}"
    );
    // Some orders get an activity or a coupon.
    assert!(records.iter().any(|r| r["table"] == "order_info"
        && r["type"] == "insert"
        && (cents(&r["data"]["activity_reduce_amount"]) > 0
            || cents(&r["data"]["coupon_reduce_amount"]) > 0)));
}

/// Routes one dialect's stream with the embedded store; returns the DWD
/// topics' rows (without `ts_ms`, whose precision differs by dialect) and
/// the dimension rows.
fn routed(
    dir: &Path,
    format: &str,
    extra: &[&str],
) -> (BTreeMap<String, Vec<Value>>, BTreeMap<String, String>) {
    let label = format!("{format}{}", extra.join("").replace('-', "_"));
    let input = dir.join(format!("{label}.jsonl"));
    std::fs::write(&input, mock(dir, format, extra)).unwrap();
    let state = dir.join(format!("{label}.db"));
    let state_arg = format!("file:{}", state.display());
    add_gmall_tables(dir, &state, true);
    let out = dir.join(format!("{label}-out/"));
    run_ok(rtdw(dir).args([
        "--state",
        &state_arg,
        "route-db",
        "--from",
        input.to_str().unwrap(),
        "--to",
        out.to_str().unwrap(),
    ]));
    let mut topics = BTreeMap::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let path = entry.unwrap().path();
        let mut rows = parse_json_lines(&path);
        for r in rows.iter_mut() {
            r.as_object_mut().unwrap().remove("ts_ms");
        }
        topics.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            rows,
        );
    }
    let store = rtdw::state::embedded::EmbeddedStore::open(&state).unwrap();
    let mut dims = BTreeMap::new();
    for key in rtdw::state::StateExt::keys(&store, "DIM:*:*").unwrap() {
        if key != "DIM:TABLES" {
            let v = rtdw::state::StateExt::get(&store, &key).unwrap().unwrap();
            dims.insert(key, v);
        }
    }
    (topics, dims)
}

#[test]
fn the_three_dialects_route_to_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (maxwell_topics, maxwell_dims) = routed(dir.path(), "maxwell", &[]);
    assert_eq!(
        maxwell_topics.keys().collect::<Vec<_>>(),
        [
            "DWD_ORDER_DETAIL_I.jsonl",
            "DWD_ORDER_INFO_I.jsonl",
            "DWD_ORDER_INFO_U.jsonl"
        ]
    );
    assert_eq!(maxwell_topics["DWD_ORDER_INFO_I.jsonl"].len(), 300);
    assert!(maxwell_dims.len() > 34 + 35, "{}", maxwell_dims.len());
    // Debezium at its defaults (precise decimals, temporal types, the
    // schema wrapper) and without the schema (decoded by column name).
    for (format, extra) in [
        ("canal", &[][..]),
        ("debezium", &[][..]),
        ("debezium", &["--debezium-schemas", "off"][..]),
    ] {
        let (topics, dims) = routed(dir.path(), format, extra);
        assert_eq!(topics, maxwell_topics, "{format} {extra:?}: fact rows");
        assert_eq!(dims, maxwell_dims, "{format} {extra:?}: dimension rows");
    }
}

#[test]
fn sql_output_creates_and_fills_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(rtdw(dir.path()).args([
        "mock",
        "db",
        "--orders",
        "3",
        "--users",
        "4",
        "--skus",
        "2",
        "--date",
        "2026-11-22",
        "--sql",
    ]));
    let sql = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = sql.lines().collect();
    assert_eq!(lines[0], "SET NAMES utf8mb4;");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("CREATE TABLE IF NOT EXISTS"))
            .count(),
        5
    );
    let users = lines
        .iter()
        .find(|l| l.starts_with("INSERT INTO `user_info`"))
        .unwrap();
    assert_eq!(
        users.matches("),(").count(),
        3,
        "one multi-row insert: {users}"
    );
    assert!(lines.iter().all(|l| l.ends_with(';')));
}
