//! route-db: every CDC dialect routed to the right DWD topic or dimension
//! key, with the Redis and the embedded state store alike; stale dimension
//! changes ignored; table lists changed while it runs.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::kafka::Broker;
use support::redis::Redis;
use support::{rtdw, run_ok, unique, KillOnDrop};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cdc_mixed.jsonl"
);

/// Where the state (table lists, dimension rows) lives in a test.
enum Store {
    Embedded(PathBuf),
    Redis(Redis),
}

impl Store {
    fn embedded(dir: &Path) -> Store {
        Store::Embedded(dir.join("state.db"))
    }

    fn args(&self) -> Vec<String> {
        match self {
            Store::Embedded(p) => vec!["--state".into(), format!("file:{}", p.display())],
            Store::Redis(r) => vec!["--redis".into(), r.url()],
        }
    }

    /// Reads keys (the store must not be held open by a running rtdw).
    fn get(&self, key: &str) -> Option<String> {
        match self {
            Store::Embedded(p) => {
                let store = rtdw::state::embedded::EmbeddedStore::open(p).unwrap();
                rtdw::state::StateExt::get(&store, key).unwrap()
            }
            Store::Redis(r) => redis::cmd("GET").arg(key).query(&mut r.conn()).unwrap(),
        }
    }

    fn row(&self, key: &str) -> Option<Value> {
        self.get(key).map(|s| serde_json::from_str(&s).unwrap())
    }
}

fn tables(dir: &Path, store: &Store, args: &[&str]) {
    run_ok(
        rtdw(dir)
            .args(store.args())
            .args(["route-db", "tables"])
            .args(args),
    );
}

fn standard_lists(dir: &Path, store: &Store) {
    tables(
        dir,
        store,
        &[
            "add",
            "--fact",
            "order_info",
            "--fact",
            "ORDER_DETAIL",
            "--dim",
            "user_info",
            "--dim",
            "base_province",
            "--dim",
            "sku_info",
        ],
    );
}

/// Runs route-db over `input` with envelopes on stdout; returns them and stderr.
fn route_file(dir: &Path, store: &Store, input: &str) -> (Vec<Value>, String) {
    let out = run_ok(
        rtdw(dir)
            .args(store.args())
            .args(["route-db", "--from", input, "--to", "-"]),
    );
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (lines, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn by_topic(envelopes: &[Value]) -> BTreeMap<String, Vec<(Value, Value)>> {
    let mut m: BTreeMap<String, Vec<(Value, Value)>> = BTreeMap::new();
    for e in envelopes {
        m.entry(e["topic"].as_str().unwrap().to_string())
            .or_default()
            .push((e["key"].clone(), e["value"].clone()));
    }
    m
}

fn keys(records: &[(Value, Value)]) -> Vec<&str> {
    records.iter().map(|(k, _)| k.as_str().unwrap()).collect()
}

fn every_dialect_routes_to_its_topic_or_key(store: Store) {
    let dir = tempfile::tempdir().unwrap();
    standard_lists(dir.path(), &store);
    let (out, stderr) = route_file(dir.path(), &store, FIXTURE);
    let topics = by_topic(&out);
    assert_eq!(
        topics.keys().collect::<Vec<_>>(),
        [
            "DWD_DIRTY_LOG",
            "DWD_ORDER_DETAIL_D",
            "DWD_ORDER_DETAIL_I",
            "DWD_ORDER_INFO_D",
            "DWD_ORDER_INFO_I",
            "DWD_ORDER_INFO_U"
        ]
    );
    // Maxwell insert, update, delete; Debezium create: keyed by the primary key.
    assert_eq!(keys(&topics["DWD_ORDER_INFO_I"]), ["1001", "1002"]);
    assert_eq!(keys(&topics["DWD_ORDER_INFO_U"]), ["1001"]);
    assert_eq!(keys(&topics["DWD_ORDER_INFO_D"]), ["1001"]);
    assert_eq!(
        topics["DWD_ORDER_INFO_U"][0].1,
        json!({"id": 1001, "user_id": 7, "total_amount": "99.50", "order_status": "1002", "op": "U", "ts_ms": 1_795_312_801_000i64})
    );
    // Canal: one message, two rows; values typed by mysqlType, DECIMAL a
    // number with its exact text (scale kept), as Maxwell writes it.
    assert_eq!(keys(&topics["DWD_ORDER_DETAIL_I"]), ["1", "2"]);
    let exact: Value = serde_json::from_str(
        r#"{"id": 2, "order_id": 1001, "sku_id": 56, "sku_num": 1, "order_price": 79.50, "op": "I", "ts_ms": 1795312800000}"#,
    )
    .unwrap();
    assert_eq!(topics["DWD_ORDER_DETAIL_I"][1].1, exact);
    assert_eq!(
        serde_json::to_string(&topics["DWD_ORDER_DETAIL_I"][1].1["order_price"]).unwrap(),
        "79.50"
    );
    assert_eq!(keys(&topics["DWD_ORDER_DETAIL_D"]), ["2"]);
    // Bad records go to the dirty stream with their line; nothing else is lost.
    let dirty: Vec<&str> = topics["DWD_DIRTY_LOG"]
        .iter()
        .map(|(_, v)| v["source"].as_str().unwrap())
        .collect();
    assert_eq!(dirty, [format!("{FIXTURE}:21"), format!("{FIXTURE}:22")]);
    assert!(topics["DWD_DIRTY_LOG"][0].1["error"]
        .as_str()
        .unwrap()
        .contains("primary key column `id` is missing"));

    // Dimensions: bootstrap-insert then update (Maxwell), insert then delete,
    // Canal update then Debezium delete, Debezium create + update, snapshot read.
    assert_eq!(
        store.row("DIM:USER_INFO:7"),
        Some(json!({"id": 7, "login_name": "u7", "birthday": "1990-05-01", "gender": "M"}))
    );
    assert_eq!(store.get("DIM:USER_INFO:8"), None, "deleted");
    assert_eq!(
        store.row("DIM:USER_INFO:9"),
        Some(json!({"id": 9, "login_name": "u9", "birthday": "2000-12-31", "gender": "F"}))
    );
    assert_eq!(store.get("DIM:BASE_PROVINCE:3"), None, "deleted");
    assert_eq!(
        store.row("DIM:SKU_INFO:55"),
        Some(json!({"id": 55, "sku_name": "phone", "price": "1899.00"}))
    );
    for count in [
        "facts=7",
        "dims_written=7",
        "dims_deleted=2",
        "dims_stale=0",
        "unlisted=1",
        "ddl=2",
        "control=2",
        "dirty=2",
    ] {
        assert!(stderr.contains(count), "{count} in:\n{stderr}");
    }
}

#[test]
fn every_dialect_routes_with_the_embedded_store() {
    let dir = tempfile::tempdir().unwrap();
    every_dialect_routes_to_its_topic_or_key(Store::embedded(dir.path()));
}

#[test]
fn every_dialect_routes_with_redis() {
    every_dialect_routes_to_its_topic_or_key(Store::Redis(Redis::start()));
}

/// A Maxwell change of user 20 at `ts` seconds after 2026-11-22 00:00 UTC
/// (0 and below, and far ahead, are implausible: dirty).
fn maxwell_user(kind: &str, ts: u64, pos: u64, gender: &str) -> String {
    let ts = if ts < 1_000_000 {
        1_795_312_800 + ts
    } else {
        ts
    };
    json!({"database": "gmall", "table": "user_info", "type": kind, "ts": ts, "xid": pos,
           "position": format!("mysql-bin.000004:{pos}"),
           "data": {"id": 20, "login_name": "u20", "gender": gender}})
    .to_string()
}

fn newest_dimension_change_wins(store: Store) {
    let dir = tempfile::tempdir().unwrap();
    standard_lists(dir.path(), &store);
    let write = |name: &str, lines: &[String]| {
        let p = dir.path().join(name);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        p.to_str().unwrap().to_string()
    };
    // The newer change arrives first, in one batch and across runs.
    let first = write(
        "a.jsonl",
        &[
            maxwell_user("update", 200, 900, "newest"),
            maxwell_user("insert", 100, 100, "oldest"),
        ],
    );
    let (_, stderr) = route_file(dir.path(), &store, &first);
    assert!(stderr.contains("dims_stale=1"), "{stderr}");
    assert_eq!(
        store.row("DIM:USER_INFO:20").unwrap()["gender"],
        "newest",
        "a stale change never overwrites a newer one"
    );
    // A later run replays an older update (binlog position beats the clock:
    // this one's ts is later, its position earlier) and a stale delete.
    let second = write(
        "b.jsonl",
        &[
            maxwell_user("update", 300, 500, "older position"),
            maxwell_user("delete", 150, 150, "x"),
        ],
    );
    let (_, stderr) = route_file(dir.path(), &store, &second);
    assert!(stderr.contains("dims_stale=2"), "{stderr}");
    assert_eq!(store.row("DIM:USER_INFO:20").unwrap()["gender"], "newest");
    // Readers get the row JSON only; the version sits under its own key.
    assert_eq!(
        store.row("DIM:USER_INFO:20").unwrap(),
        json!({"id": 20, "login_name": "u20", "gender": "newest"})
    );
    assert!(store.get("{DIM:USER_INFO:20}:v").is_some());
    // A newer delete removes the row, and a stale insert cannot bring it back.
    let third = write(
        "c.jsonl",
        &[
            maxwell_user("delete", 400, 1000, "x"),
            maxwell_user("insert", 100, 100, "zombie"),
        ],
    );
    route_file(dir.path(), &store, &third);
    assert_eq!(store.get("DIM:USER_INFO:20"), None);
}

#[test]
fn newest_dimension_change_wins_with_the_embedded_store() {
    let dir = tempfile::tempdir().unwrap();
    newest_dimension_change_wins(Store::embedded(dir.path()));
}

#[test]
fn newest_dimension_change_wins_with_redis() {
    newest_dimension_change_wins(Store::Redis(Redis::start()));
}

#[test]
fn tables_list_add_remove() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::embedded(dir.path());
    standard_lists(dir.path(), &store);
    tables(dir.path(), &store, &["remove", "--dim", "SKU_INFO"]);
    let out = run_ok(
        rtdw(dir.path())
            .args(store.args())
            .args(["route-db", "tables", "list", "--json"]),
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        json!({"fact": ["order_detail", "order_info"], "dim": ["base_province", "user_info"]})
    );
    let out = run_ok(
        rtdw(dir.path())
            .args(store.args())
            .args(["route-db", "tables", "list"]),
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "fact\torder_detail\nfact\torder_info\ndim\tbase_province\ndim\tuser_info\n"
    );
    let bad = rtdw(dir.path())
        .args(["route-db", "tables", "add"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "a name is required");
}

fn maxwell_order(id: u64) -> String {
    json!({"database": "gmall", "table": "order_info", "type": "insert", "ts": 1_795_312_800u64 + id,
           "xid": id, "data": {"id": id, "total_amount": "1.00"}})
    .to_string()
}

/// Waits until the route-db group's stored offsets reach `n` in total.
fn wait_for_offsets(redis: &Redis, group: &str, topic: &str, n: i64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let total: i64 = redis
            .hgetall(&format!("offset:{group}:{topic}"))
            .values()
            .map(|v| v.parse::<i64>().unwrap())
            .sum();
        if total >= n {
            return;
        }
        assert!(Instant::now() < deadline, "offsets stuck at {total} < {n}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Kafka → Kafka with Redis state: a table added while route-db runs is
/// routed from the next batch on, and a removed one is skipped again.
#[test]
fn table_lists_changed_mid_run_apply_to_the_next_batch() {
    let dir = tempfile::tempdir().unwrap();
    let broker = Broker::apache();
    let redis = Redis::start();
    let store = Store::Redis(redis);
    let input = unique("ods_db");
    let output = unique("dwd_order_info_i");
    broker.create_topic(&input, 2);
    broker.create_topic(&output, 2);
    std::fs::write(
        dir.path().join("rtdw.toml"),
        format!(
            "brokers = \"{}\"\n{}[topics]\nODS_BASE_DB = \"{input}\"\nDWD_ORDER_INFO_I = \"{output}\"\n",
            broker.bootstrap(),
            broker.client_tuning()
        ),
    )
    .unwrap();
    let Store::Redis(redis) = &store else {
        unreachable!()
    };
    let group = unique("route");
    let child = rtdw(dir.path())
        .args(store.args())
        .args([
            "route-db",
            "--from",
            "kafka",
            "--to",
            "kafka",
            "--group",
            &group,
            "--offsets",
            "redis",
            "--batch-ms",
            "100",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let produce = |ids: std::ops::Range<u64>| {
        let lines: Vec<String> = ids.map(maxwell_order).collect();
        broker.produce_lines(&input, &lines);
    };
    produce(1..11);
    wait_for_offsets(redis, &group, &input, 10);
    tables(dir.path(), &store, &["add", "--fact", "order_info"]);
    produce(11..21);
    wait_for_offsets(redis, &group, &input, 20);
    tables(dir.path(), &store, &["remove", "--fact", "order_info"]);
    produce(21..31);
    wait_for_offsets(redis, &group, &input, 30);

    unsafe { libc::kill(child.0.id() as i32, libc::SIGTERM) };
    let status = child.0.wait().unwrap();
    assert!(status.success(), "SIGTERM ends a streaming run with 0");
    let mut got: Vec<u64> = broker
        .read_all_plain(&output, 2)
        .into_iter()
        .map(|(k, v)| {
            let v: Value = serde_json::from_str(&v).unwrap();
            assert_eq!(k.as_deref(), Some(v["id"].to_string().as_str()));
            v["id"].as_u64().unwrap()
        })
        .collect();
    got.sort();
    assert_eq!(got, (11..21).collect::<Vec<_>>());
}

/// Kafka → Kafka over a `mock db` day, both delivery modes: every fact row
/// in its topic once, keyed by its primary key, offsets at the log end; the
/// dimension rows in Redis.
#[test]
fn kafka_to_kafka_routes_a_day_at_least_once_and_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    // Apache Kafka: the exactly-once run's topics are read with
    // read_committed from a broker that really does transactions.
    let broker = Broker::apache();
    let redis = Redis::start();
    let input = unique("ods_db");
    broker.create_topic(&input, 4);
    let facts = ["DWD_ORDER_INFO_I", "DWD_ORDER_INFO_U", "DWD_ORDER_DETAIL_I"];
    let toml = format!(
        "brokers = \"{}\"\n{}[topics]\nODS_BASE_DB = \"{input}\"\n",
        broker.bootstrap(),
        broker.client_tuning()
    );
    let mut topics = BTreeMap::new();
    for mode in ["alo", "eos"] {
        for f in facts {
            let t = unique(&format!("{}_{mode}", f.to_lowercase()));
            broker.create_topic(&t, 2);
            topics.insert((mode, f), t);
        }
    }
    let day = run_ok(rtdw(dir.path()).args([
        "mock",
        "db",
        "--orders",
        "200",
        "--users",
        "30",
        "--date",
        "2026-11-20",
    ]))
    .stdout;
    let lines: Vec<String> = String::from_utf8(day)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    broker.produce_lines(&input, &lines);
    let store = Store::Redis(redis);
    tables(
        dir.path(),
        &store,
        &[
            "add",
            "--fact",
            "order_info",
            "--fact",
            "order_detail",
            "--dim",
            "user_info",
        ],
    );
    let expected = |table: &str, kind: &str| {
        lines
            .iter()
            .filter(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                v["table"] == table && v["type"] == kind
            })
            .count()
    };
    for (mode, extra) in [
        ("alo", vec!["--offsets", "redis"]),
        ("eos", vec!["--exactly-once"]),
    ] {
        let mut config = toml.clone();
        for f in facts {
            config.push_str(&format!("{f} = \"{}\"\n", topics[&(mode, f)]));
        }
        std::fs::write(dir.path().join("rtdw.toml"), config).unwrap();
        let group = unique("route");
        run_ok(
            rtdw(dir.path())
                .args(store.args())
                .args([
                    "route-db", "--from", "kafka", "--to", "kafka", "--once", "--group", &group,
                ])
                .args(["--batch-max", "100"])
                .args(&extra),
        );
        for (f, table, kind) in [
            ("DWD_ORDER_INFO_I", "order_info", "insert"),
            ("DWD_ORDER_INFO_U", "order_info", "update"),
            ("DWD_ORDER_DETAIL_I", "order_detail", "insert"),
        ] {
            let got = broker.read_all(&topics[&(mode, f)], 2);
            assert_eq!(got.len(), expected(table, kind), "{mode}: {f}");
            for (k, v) in &got {
                let v: Value = serde_json::from_str(v).unwrap();
                assert_eq!(
                    k.as_deref(),
                    Some(v["id"].to_string().as_str()),
                    "{mode}: keyed by id"
                );
            }
        }
        let ends: BTreeMap<i32, i64> = broker
            .watermarks(&input, 4)
            .into_iter()
            .map(|(p, (_, hi))| (p, hi))
            .collect();
        let Store::Redis(redis) = &store else {
            unreachable!()
        };
        let stored: BTreeMap<i32, i64> = if mode == "alo" {
            redis
                .hgetall(&format!("offset:{group}:{input}"))
                .into_iter()
                .map(|(p, o)| (p.parse().unwrap(), o.parse().unwrap()))
                .collect()
        } else {
            broker.committed(&group, &input, 4)
        };
        assert_eq!(stored, ends, "{mode}: offsets at the log end");
    }
    let users: usize = redis::cmd("KEYS")
        .arg("DIM:USER_INFO:*")
        .query::<Vec<String>>(&mut match &store {
            Store::Redis(r) => r.conn(),
            Store::Embedded(_) => unreachable!(),
        })
        .unwrap()
        .len();
    assert!(users > 20 && users <= 30, "{users} user rows");
}

/// Two `route-db` instances in one group on Apache Kafka, one killed with
/// -9 mid-run and restarted: no fact row is lost (at least once: a batch
/// the killed one had not stored may be written twice), and the dimension
/// rows in Redis equal a single run's over the same day from a file.
#[test]
fn two_instances_on_apache_kafka_one_killed_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let broker = Broker::apache();
    let redis = Redis::start();
    let input = unique("ods_db");
    broker.create_topic(&input, 4);
    let facts = ["DWD_ORDER_INFO_I", "DWD_ORDER_INFO_U", "DWD_ORDER_DETAIL_I"];
    let mut toml = format!(
        "brokers = \"{}\"\n{}[topics]\nODS_BASE_DB = \"{input}\"\n",
        broker.bootstrap(),
        broker.client_tuning()
    );
    let mut topics = BTreeMap::new();
    for f in facts {
        let t = unique(&f.to_lowercase());
        broker.create_topic(&t, 2);
        toml.push_str(&format!("{f} = \"{t}\"\n"));
        topics.insert(f, t);
    }
    std::fs::write(d.join("rtdw.toml"), toml).unwrap();
    let day = run_ok(rtdw(d).args([
        "mock",
        "db",
        "--orders",
        "1500",
        "--users",
        "300",
        "--date",
        "2026-11-20",
    ]))
    .stdout;
    let lines: Vec<String> = String::from_utf8(day)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    broker.produce_lines(&input, &lines);
    let store = Store::Redis(redis);
    let lists = [
        "add",
        "--fact",
        "order_info",
        "--fact",
        "order_detail",
        "--dim",
        "user_info",
        "--dim",
        "sku_info",
    ];
    tables(d, &store, &lists);
    let Store::Redis(redis) = &store else {
        unreachable!()
    };
    let group = unique("route");
    let start = |name: &str| {
        KillOnDrop(
            rtdw(d)
                .args(store.args())
                .args([
                    "route-db",
                    "--from",
                    "kafka",
                    "--to",
                    "kafka",
                    "--offsets",
                    "redis",
                ])
                .args([
                    "--group",
                    &group,
                    "--batch-max",
                    "100",
                    "--batch-ms",
                    "50",
                    "--instance-id",
                    name,
                ])
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap(),
        )
    };
    let ends: i64 = broker
        .watermarks(&input, 4)
        .values()
        .map(|(_, hi)| hi)
        .sum();
    let stored = || {
        redis
            .hgetall(&format!("offset:{group}:{input}"))
            .values()
            .map(|v| v.parse::<i64>().unwrap())
            .sum::<i64>()
    };
    support::two_instances_one_killed(start, stored, ends, Duration::from_secs(60));

    // The single run: the same day from a file, into the embedded store.
    let single = tempfile::tempdir().unwrap();
    std::fs::write(single.path().join("day.jsonl"), lines.join("\n") + "\n").unwrap();
    let one = Store::embedded(single.path());
    tables(single.path(), &one, &lists);
    run_ok(rtdw(single.path()).args(one.args()).args([
        "route-db",
        "--from",
        "day.jsonl",
        "--to",
        "out/",
    ]));
    for f in facts {
        let want: std::collections::BTreeSet<String> =
            support::read_lines(&single.path().join(format!("out/{f}.jsonl")))
                .into_iter()
                .collect();
        let got: std::collections::BTreeSet<String> = broker
            .read_all_plain(&topics[f], 2)
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        assert_eq!(got, want, "{f}: every row, nothing else");
    }
    let dims = |keys: Vec<(String, String)>| keys.into_iter().collect::<BTreeMap<_, _>>();
    let in_redis = dims(
        redis::cmd("KEYS")
            .arg("DIM:*")
            .query::<Vec<String>>(&mut redis.conn())
            .unwrap()
            .into_iter()
            .filter(|k| k.matches(':').count() == 2)
            .map(|k| {
                let v: String = redis::cmd("GET").arg(&k).query(&mut redis.conn()).unwrap();
                (k, v)
            })
            .collect(),
    );
    let Store::Embedded(path) = &one else {
        unreachable!()
    };
    let in_file = dims(
        support::dump_state(path)
            .into_iter()
            .filter(|(k, _)| k.starts_with("DIM:") && k.matches(':').count() == 2)
            .collect(),
    );
    assert_eq!(in_redis.len(), in_file.len());
    assert!(!in_redis.is_empty());
    assert_eq!(
        in_redis, in_file,
        "dimension rows as a single run leaves them"
    );
}

/// Issue 18: a record Kafka refuses for good (larger than the topic's
/// `max.message.bytes`, or than the producer's `message.max.bytes`) goes to
/// the dead-letter topic `rtdw_dead_route_db` with why; the rest of the
/// batch lands, the summary counts it `refused`, and the offsets move on.
/// With `--on-refused fail` the offsets stay; under `--exactly-once` a
/// record the broker refuses aborts the transaction and the run stops with
/// the fix, and one the producer refuses is dead-lettered in the transaction.
#[test]
fn a_record_kafka_refuses_goes_to_the_dead_letter_topic_and_the_offsets_move_on() {
    let broker = Broker::apache();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = unique("ods_db_big");
    let output = unique("dwd_order_info_i_big");
    broker.create_topic(&input, 1);
    broker.create_topic_with(&output, 1, &[("max.message.bytes", "2000")]);
    // Incompressible: the producer compresses batches (a repeated letter
    // would pass any size limit).
    let noise = |n: usize| -> String {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b"0123456789abcdefghijklmnopqrstuvwxyz"[(x % 36) as usize])
            })
            .collect()
    };
    let order = |id: u64, note: usize| {
        json!({"database": "gmall", "table": "order_info", "type": "insert", "ts": 1_795_312_800u64 + id,
               "xid": id, "data": {"id": id, "total_amount": "1.00", "order_comment": noise(note)}})
        .to_string()
    };
    let lines: Vec<String> = (1..=10)
        .map(|id| order(id, if id == 4 { 5000 } else { 10 }))
        .collect();
    broker.produce_lines(&input, &lines);
    let toml = |extra: &str| {
        std::fs::write(
            d.join("rtdw.toml"),
            format!(
                "brokers = \"{}\"\n{}{extra}[topics]\nODS_BASE_DB = \"{input}\"\nDWD_ORDER_INFO_I = \"{output}\"\n",
                broker.bootstrap(),
                broker.client_tuning()
            ),
        )
        .unwrap()
    };
    toml("");
    run_ok(rtdw(d).args(["route-db", "tables", "add", "--fact", "order_info"]));
    let route = |group: &str, extra: &[&str]| {
        rtdw(d)
            .args(["route-db", "--from", "kafka", "--to", "kafka", "--once"])
            .args(["--group", group, "--offsets", "kafka"])
            .args(extra)
            .output()
            .unwrap()
    };
    let dead = |key: &str| -> Vec<Value> {
        broker
            .read_all("rtdw_dead_route_db", 1)
            .into_iter()
            .map(|(_, v)| serde_json::from_str::<Value>(&v).unwrap())
            .filter(|v| v["topic"] == output.as_str() && v["key"] == key)
            .collect()
    };

    // --on-refused fail: the rest lands, the offsets stay, exit 1.
    let held = unique("held");
    let out = route(&held, &["--on-refused", "fail"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("--on-refused fail"), "{said}");
    assert_eq!(broker.read_all_plain(&output, 1).len(), 9);
    assert!(
        broker.committed(&held, &input, 1).is_empty(),
        "offsets held"
    );

    // The default: dead-lettered with why, counted, offsets at the end.
    let group = unique("dead");
    let out = route(&group, &[]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("refused=1"), "{said}");
    let letters = dead("4");
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0]["tool"], "route-db");
    assert_eq!(letters[0]["status"], 10, "MESSAGE_TOO_LARGE");
    assert_eq!(letters[0]["truncated"], false);
    assert!(letters[0]["value"].as_str().unwrap().contains(&noise(5000)));
    assert_eq!(broker.committed(&group, &input, 1)[&0], 10);

    // --exactly-once, the broker refuses: the transaction aborts, the run
    // stops with the fix instead of re-reading the batch forever.
    let txn = unique("txn");
    let out = route(&txn, &["--exactly-once"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("producer.message.max.bytes"), "{said}");
    // (The start-up probe commits the starting offset, 0.)
    assert_eq!(broker.committed(&txn, &input, 1).get(&0), Some(&0));

    // ... and with the producer's limit below the topic's, the producer
    // refuses it first and its dead letter commits with the batch.
    toml("\"producer.message.max.bytes\" = \"1900\"\n");
    let out = route(&txn, &["--exactly-once"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert_eq!(dead("4").len(), 2, "a second dead letter, from this run");
    assert_eq!(broker.committed(&txn, &input, 1)[&0], 10);
}

/// Break-test finding (issue 18): a change whose time is implausible (from
/// the future, or before `--min-event-time`) is dirty, not a row version
/// that outranks every later change of the row; `--strict` stops at it.
#[test]
fn a_change_from_the_future_is_dirty_and_never_blocks_later_changes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::Embedded(dir.path().join("state"));
    standard_lists(dir.path(), &store);
    let p = dir.path().join("future.jsonl");
    let lines = [
        maxwell_user("insert", 99_999_999_999, 100, "from the future"),
        maxwell_user("insert", 1_795_312_800, 101, "x").replace("1795312800", "5"),
    ];
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    let (envelopes, stderr) = route_file(dir.path(), &store, p.to_str().unwrap());
    assert!(stderr.contains("dirty=2"), "{stderr}");
    let dirty = &by_topic(&envelopes)["DWD_DIRTY_LOG"];
    assert!(
        dirty
            .iter()
            .all(|(_, v)| v["error"].as_str().unwrap().contains("change time")),
        "{dirty:?}"
    );
    assert_eq!(store.get("DIM:USER_INFO:20"), None);
    let q = dir.path().join("now.jsonl");
    std::fs::write(
        &q,
        maxwell_user("update", 1_795_312_800, 200, "real") + "\n",
    )
    .unwrap();
    route_file(dir.path(), &store, q.to_str().unwrap());
    assert_eq!(store.row("DIM:USER_INFO:20").unwrap()["gender"], "real");
    let out = rtdw(dir.path())
        .args(store.args())
        .args([
            "route-db",
            "--from",
            p.to_str().unwrap(),
            "--to",
            "-",
            "--strict",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    assert!(String::from_utf8_lossy(&out.stderr).contains("future.jsonl:1"));
}
