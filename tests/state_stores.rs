//! The Redis state backend follows the same contract as the embedded one.

mod support;

use rtdw::state::redis::RedisStore;
use rtdw::state::StateStore;

#[test]
fn redis_store_follows_the_state_contract() {
    let redis = support::redis::Redis::start();
    let store = RedisStore::connect(&redis.url()).unwrap();
    support::state_contract::check(&store);
    support::state_contract::order_join(&store);
    assert!(store.describe().contains(&redis.port.to_string()));
}

#[test]
fn embedded_store_follows_the_state_contract() {
    let dir = tempfile::tempdir().unwrap();
    let store = rtdw::state::embedded::EmbeddedStore::open(&dir.path().join("state")).unwrap();
    support::state_contract::check(&store);
    support::state_contract::order_join(&store);
}

#[test]
fn redis_store_reconnects_after_a_server_restart() {
    let mut redis = support::redis::Redis::start();
    let store = RedisStore::connect(&redis.url()).unwrap();
    let set = |v: &str| rtdw::state::Op::Set {
        key: "k".into(),
        value: v.into(),
        ttl: None,
    };
    store.exec(vec![set("1")]).unwrap();
    redis.restart();
    // The first call after the restart may see the dead socket; the next reconnects.
    let _ = store.exec(vec![set("2")]);
    store.exec(vec![set("3")]).unwrap();
    assert_eq!(
        rtdw::state::StateExt::get(&store, "k").unwrap().as_deref(),
        Some("3")
    );
}

#[test]
fn redis_versioned_writes_survive_a_script_flush() {
    let redis = support::redis::Redis::start();
    let store = RedisStore::connect(&redis.url()).unwrap();
    let put = |value: &str, ts: i64| rtdw::state::Op::PutIfNewer {
        key: "DIM:T:1".into(),
        value: Some(value.into()),
        version: rtdw::state::versioned::encode(None, ts, 0, 0),
    };
    store.exec(vec![put("a", 1)]).unwrap();
    let mut raw = redis::Client::open(redis.url())
        .unwrap()
        .get_connection()
        .unwrap();
    let _: () = redis::cmd("SCRIPT").arg("FLUSH").query(&mut raw).unwrap();
    let r = store.exec(vec![put("b", 2), put("stale", 0)]).unwrap();
    assert_eq!(
        r,
        vec![rtdw::state::Reply::Int(1), rtdw::state::Reply::Int(0)]
    );
    let row: String = redis::cmd("GET").arg("DIM:T:1").query(&mut raw).unwrap();
    assert_eq!(row, "b", "the row holds exactly the JSON given, no version");
}

/// The embedded store is shared: while a `dau` run holds it (stdin still
/// open, batches flowing), `offsets show` and `route-db tables add` run
/// beside it and succeed, and the job goes on to the end (SPEC §5).
#[test]
fn admin_commands_run_beside_a_job_on_the_embedded_store() {
    use std::io::Write;
    use std::process::Stdio;
    use support::{rtdw, run_ok};

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let visit = |mid: usize| {
        format!(
            "{{\"mid\":\"m{mid}\",\"page_id\":\"home\",\"last_page_id\":null,\"ts\":1795312800000}}\n"
        )
    };
    let reset = |topic: &str, spec: [&str; 2]| {
        run_ok(
            rtdw(d)
                .args([
                    "offsets", "reset", "--store", "file", "--group", "dau", "--topic", topic,
                ])
                .args(spec)
                .arg("--execute"),
        );
    };
    reset("DWD_PAGE_LOG:0", ["--to-offset", "5"]);
    let mut job = support::KillOnDrop(
        rtdw(d)
            .args(["dau", "--from", "-", "--to", "out/", "--batch-ms", "100"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stdin = job.0.stdin.take().unwrap();
    let index = d.join("out/gmall_dau_info_2026-11-22.jsonl");
    for round in 0..3 {
        for mid in round * 10..round * 10 + 10 {
            stdin.write_all(visit(mid).as_bytes()).unwrap();
        }
        stdin.flush().unwrap();
        // The job has written this round: it holds the store mid-run.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::fs::read_to_string(&index).map_or(0, |t| t.lines().count()) < round * 10 + 10 {
            assert!(
                std::time::Instant::now() < deadline,
                "the job wrote round {round}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let shown = run_ok(rtdw(d).args([
            "offsets", "show", "--store", "file", "--group", "dau", "--json",
        ]));
        let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
        assert_eq!(shown["partitions"][0]["stored"], 5 + round);
        reset("DWD_PAGE_LOG", ["--shift-by", "1"]);
        run_ok(rtdw(d).args(["route-db", "tables", "add", "--dim", &format!("t{round}")]));
    }
    drop(stdin);
    let status = job.0.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut job.0.stderr.take().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{err}");
    let listed = run_ok(rtdw(d).args(["route-db", "tables", "list"]));
    assert_eq!(
        String::from_utf8_lossy(&listed.stdout),
        "dim\tt0\ndim\tt1\ndim\tt2\n"
    );
    let sets = support::dump_state(&d.join(".rtdw/state"));
    assert!(sets["DAU:2026-11-22"].contains("\"m29\""), "{sets:?}");
}

/// A real Redis Cluster of three masters follows the same state contract:
/// keys a script or a rename touches together share a slot.
#[test]
fn redis_cluster_store_follows_the_state_contract() {
    let cluster = support::redis::RedisCluster::start();
    let store = RedisStore::connect(&cluster.url()).unwrap();
    support::state_contract::check(&store);
    support::state_contract::order_join(&store);
}

/// route-db, dau and restore-state with their state on a real Redis
/// Cluster of three masters: the dimension rows, table lists and DAU set
/// equal what the same runs leave in the embedded store.
#[test]
fn tools_keep_their_state_on_a_redis_cluster() {
    use support::{rtdw, run_ok};
    let cluster = support::redis::RedisCluster::start();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(rtdw(d).args([
        "mock",
        "db",
        "--orders",
        "200",
        "--date",
        "2026-11-22",
        "--to",
        "db.jsonl",
    ]));
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--devices",
        "400",
        "--date",
        "2026-11-22",
        "--to",
        "logs.jsonl",
    ]));
    run_ok(rtdw(d).args([
        "--state",
        "file:plain.db",
        "split-log",
        "--from",
        "logs.jsonl",
        "--to",
        "dwd/",
    ]));
    let on_cluster = ["--redis".to_string(), cluster.url()];
    let embedded = [
        "--state".to_string(),
        format!("file:{}", d.join("e.db").display()),
    ];
    for (store, out) in [(&on_cluster, "dws-cluster/"), (&embedded, "dws-file/")] {
        run_ok(rtdw(d).args(store).args([
            "route-db",
            "tables",
            "add",
            "--fact",
            "order_info",
            "--dim",
            "user_info",
            "--dim",
            "base_province",
        ]));
        run_ok(
            rtdw(d)
                .args(store)
                .args(["route-db", "--from", "db.jsonl", "--to", "routed/"]),
        );
        run_ok(
            rtdw(d)
                .args(store)
                .args(["dau", "--from", "dwd/DWD_PAGE_LOG.jsonl", "--to", out]),
        );
    }
    let redis = rtdw::state::redis::RedisStore::connect(&cluster.url()).unwrap();
    let file = rtdw::state::embedded::EmbeddedStore::open(&d.join("e.db")).unwrap();
    use rtdw::state::{Op, Reply, StateExt, StateStore};
    let dims = |s: &dyn StateStore| {
        let mut keys = s.keys("DIM:*").unwrap();
        keys.retain(|k| k.matches(':').count() == 2);
        keys
    };
    let (in_cluster, in_file) = (dims(&redis), dims(&file));
    assert!(
        in_cluster.len() > 300,
        "{} dimension rows",
        in_cluster.len()
    );
    assert_eq!(in_cluster, in_file);
    let members = |s: &dyn StateStore| match s
        .exec(vec![Op::SMembers("DAU:2026-11-22".into())])
        .unwrap()
        .pop()
    {
        Some(Reply::Strs(mut m)) => {
            m.sort();
            m
        }
        other => panic!("{other:?}"),
    };
    let set = members(&redis);
    assert!(set.len() > 300 && set == members(&file));
    // restore-state rebuilds the lost set on the cluster (RENAME within one slot).
    redis
        .exec(vec![Op::Del(vec!["DAU:2026-11-22".into()])])
        .unwrap();
    run_ok(rtdw(d).args(&on_cluster).args([
        "restore-state",
        "--date",
        "2026-11-22",
        "--from",
        "dws-cluster/",
    ]));
    assert_eq!(members(&redis), set, "the set rebuilt from dau's documents");
}

/// Kafka runs keep their offsets, instance registry and event-time
/// checkpoints in a Redis Cluster: split-log (offsets in Redis, as in the
/// seeds) then risk-alert (checkpoints in the state store) on Apache Kafka,
/// and `rtdw offsets show` reads the offsets back from the cluster.
#[test]
fn kafka_runs_keep_offsets_and_checkpoints_on_a_redis_cluster() {
    use rtdw::state::{Op, Reply, StateExt};
    use support::{rtdw, run_ok};
    let cluster = support::redis::RedisCluster::start();
    let broker = support::kafka::Broker::apache();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let topics = support::split_log::Topics::new(d, &broker, 2);
    let logs = support::mock_day_with(d, "logs.jsonl", 3_000, &["--bot-ratio", "0.05"]);
    broker.produce_lines(&topics.input, &support::read_lines(&logs));
    let url = cluster.url();
    let mut split = rtdw(d);
    split
        .args(support::split_log::split_log_args(&topics, &url))
        .arg("--once");
    run_ok(&mut split);
    let store = RedisStore::connect(&url).unwrap();
    let stored = |group: &str, topic: &str| -> i64 {
        match store
            .exec(vec![Op::HGetAll(format!("offset:{group}:{topic}"))])
            .unwrap()
            .pop()
        {
            Some(Reply::Map(m)) => m.values().map(|o| o.parse::<i64>().unwrap()).sum(),
            other => panic!("{other:?}"),
        }
    };
    let ends: i64 = broker
        .watermarks(&topics.input, 2)
        .values()
        .map(|(_, hi)| hi)
        .sum();
    assert_eq!(stored(&topics.group, &topics.input), ends);
    // A streaming run registers itself there (a clean exit deregisters).
    let live = support::KillOnDrop(
        rtdw(d)
            .args(support::split_log::split_log_args(&topics, &url))
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let registry = format!("instances:{}", topics.group);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !store.keys("instances:*").unwrap().contains(&registry) {
        assert!(
            std::time::Instant::now() < deadline,
            "{registry} never written"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    drop(live);

    let risk = support::unique("risk");
    let out = run_ok(rtdw(d).args(["--redis", &url, "--state", "redis"]).args([
        "risk-alert",
        "--from",
        "kafka",
        "--to",
        "-",
        "--group",
        &risk,
        "--once",
    ]));
    assert!(!out.stdout.is_empty(), "risk-alert wrote nothing");
    let actions = &topics.outputs["DWD_PAGE_ACTION"];
    assert!(stored(&risk, actions) > 0);
    let checkpoints = store.keys(&format!("EVENTTIME:{risk}:*")).unwrap();
    assert_eq!(checkpoints.len(), 4, "{checkpoints:?}");

    let show = run_ok(rtdw(d).args(["--redis", &url]).args([
        "offsets",
        "show",
        "--group",
        &topics.group,
        "--json",
    ]));
    let rows = support::json_lines(&show.stdout);
    let partitions = rows[0]["partitions"].as_array().unwrap();
    let shown: i64 = partitions
        .iter()
        .filter(|r| r["topic"] == topics.input.as_str())
        .map(|r| r["stored"].as_i64().unwrap())
        .sum();
    assert_eq!(shown, ends, "{rows:?}");
}
