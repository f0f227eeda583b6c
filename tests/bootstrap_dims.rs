//! bootstrap-dims: from a real MariaDB (keyset pages, kill and --resume,
//! --dry-run), from files (CDC records, plain rows), and racing route-db
//! under the version rule.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::mariadb::MariaDb;
use support::redis::Redis;
use support::{add_gmall_tables, rtdw, run_ok, KillOnDrop};

/// Calls of the versioned-write script so far (each writes up to 200 rows).
fn script_calls(redis: &Redis) -> u64 {
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(&mut redis.conn())
        .unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("cmdstat_evalsha:calls="))
        .and_then(|rest| rest.split(',').next())
        .map_or(0, |n| n.parse().unwrap())
}

fn count_keys(redis: &Redis, pattern: &str) -> usize {
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(pattern)
        .query(&mut redis.conn())
        .unwrap();
    keys.len()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn mysql_backfill_dry_run_then_killed_halfway_and_resumed() {
    const USERS: u64 = 200_000;
    const PAGE: u64 = 1000;
    let dir = tempfile::tempdir().unwrap();
    let db = MariaDb::with_users(dir.path(), USERS);
    let redis = Redis::start();
    let url = db.url("gmall");
    let args = |extra: &[&str]| {
        let mut c = rtdw(dir.path());
        c.args([
            "--redis",
            &redis.url(),
            "bootstrap-dims",
            "--from",
            &url,
            "--table",
            "user_info",
        ])
        .args(["--page-size", &PAGE.to_string()])
        .args(extra);
        c
    };

    // --dry-run reads every row, writes nothing, and says how many rows it
    // would write (issue 16: it said written=0).
    let out = run_ok(&mut args(&["--dry-run"]));
    assert!(
        stderr_of(&out).contains(&format!("read={USERS} would_write={USERS} would_delete=0")),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(script_calls(&redis), 0);
    assert_eq!(
        count_keys(&redis, "*"),
        0,
        "a dry run writes nothing at all"
    );

    // A run killed (SIGKILL) about halfway...
    let child = args(&[])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let deadline = Instant::now() + Duration::from_secs(120);
    let stored_after = || {
        redis
            .hgetall("BOOTSTRAP:USER_INFO")
            .get("after")
            .and_then(|a| serde_json::from_str::<Vec<u64>>(a).ok())
            .and_then(|k| k.first().copied())
    };
    let resume_point = loop {
        if stored_after().is_some_and(|a| a >= USERS / 2) {
            child.0.kill().unwrap();
            child.0.wait().unwrap();
            // Pages may have landed between the read and the kill.
            break stored_after().unwrap_or(0);
        }
        assert!(Instant::now() < deadline, "no progress");
        assert!(
            child.0.try_wait().unwrap().is_none(),
            "finished before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    // Rows reach Redis before the resume point that follows them in the
    // same pipeline; at most the page after it was (partly) written too.
    let first_run = count_keys(&redis, "DIM:USER_INFO:*") as u64;
    assert!(
        first_run >= resume_point && first_run <= resume_point + PAGE,
        "{first_run} rows written, resume point {resume_point}"
    );

    // ... is finished by --resume, which starts after the stored key.
    let out = run_ok(&mut args(&["--resume"]));
    let stored = redis.hgetall("BOOTSTRAP:USER_INFO");
    assert!(
        stderr_of(&out).contains("resuming after primary key"),
        "{}",
        stderr_of(&out)
    );
    let resumed_from: u64 = serde_json::from_str::<Vec<u64>>(&stored["after"]).unwrap()[0];
    assert_eq!(
        resumed_from, USERS,
        "the last key written is the table's last"
    );
    assert_eq!(stored["done"], "1");
    // The resumed run read and wrote exactly the rows after the resume point.
    let left = USERS - resume_point;
    assert!(
        stderr_of(&out).contains(&format!("read={left} written={left} ")),
        "{left} rows were left after key {resume_point}: {}",
        stderr_of(&out)
    );
    let total = script_calls(&redis);
    assert_eq!(
        count_keys(&redis, "DIM:USER_INFO:*"),
        USERS as usize,
        "exactly the table's rows"
    );

    // Rows are the JSON route-db writes for the same row (types as the CDC path gives them).
    let row: String = redis::cmd("GET")
        .arg("DIM:USER_INFO:123456")
        .query(&mut redis.conn())
        .unwrap();
    let row: Value = serde_json::from_str(&row).unwrap();
    assert_eq!(row["id"], json!(123456));
    assert!(row["birthday"].as_str().unwrap().len() == 10, "{row}");
    assert!(row["create_time"].as_str().unwrap().len() == 19, "{row}");
    assert_eq!(row["operate_time"], Value::Null);

    // A second --resume has nothing left to do.
    let out = run_ok(&mut args(&["--resume"]));
    assert!(
        stderr_of(&out).contains("nothing to resume"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(script_calls(&redis), total);
}

/// Dimension rows as the state store holds them (embedded store).
fn dims_of(state: &Path) -> BTreeMap<String, Value> {
    let store = rtdw::state::embedded::EmbeddedStore::open(state).unwrap();
    rtdw::state::StateExt::keys(&store, "DIM:*:*")
        .unwrap()
        .into_iter()
        .filter(|k| k != "DIM:TABLES")
        .map(|k| {
            let v = rtdw::state::StateExt::get(&store, &k).unwrap().unwrap();
            (k, serde_json::from_str(&v).unwrap())
        })
        .collect()
}

fn state_arg(path: &Path) -> String {
    format!("file:{}", path.display())
}

/// A backfill from MariaDB gives exactly the rows that route-db builds from
/// the change stream of the same data (after its updates and deletes).
#[test]
fn mysql_backfill_equals_the_routed_change_stream() {
    let dir = tempfile::tempdir().unwrap();
    let mock = [
        "--users",
        "300",
        "--orders",
        "400",
        "--date",
        "2026-11-20",
        "--seed",
        "3",
    ];
    let db = MariaDb::start();
    db.load_mock("gmall", dir.path(), &mock);

    let backfilled = dir.path().join("backfill.db");
    add_gmall_tables(dir.path(), &backfilled, false);
    let out = run_ok(rtdw(dir.path()).args([
        "--state",
        &state_arg(&backfilled),
        "bootstrap-dims",
        "--from",
        &db.url("gmall"),
        "--all-dims",
        "--page-size",
        "70",
    ]));
    assert!(
        stderr_of(&out).contains("base_province: read=34 written=34"),
        "{}",
        stderr_of(&out)
    );

    let streamed = dir.path().join("stream.db");
    add_gmall_tables(dir.path(), &streamed, false);
    let stream = dir.path().join("stream.jsonl");
    std::fs::write(
        &stream,
        run_ok(rtdw(dir.path()).args(["mock", "db"]).args(mock)).stdout,
    )
    .unwrap();
    run_ok(rtdw(dir.path()).args([
        "--state",
        &state_arg(&streamed),
        "route-db",
        "--from",
        stream.to_str().unwrap(),
        "--to",
        dir.path().join("out/").to_str().unwrap(),
    ]));
    let (a, b) = (dims_of(&backfilled), dims_of(&streamed));
    assert!(a.len() > 300, "{}", a.len());
    assert_eq!(
        a, b,
        "MySQL backfill and CDC stream agree on every dimension row"
    );
}

fn maxwell_user(ts_secs: i64, level: &str) -> String {
    json!({"database": "gmall", "table": "user_info", "type": "update", "ts": ts_secs, "xid": 1,
           "data": {"id": 1, "user_level": level}})
    .to_string()
}

/// route-db and bootstrap-dims write one row in either order: the newer
/// version wins whoever writes last.
fn backfill_races_the_stream(store_args: &[String], get: &dyn Fn(&str) -> Option<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| run_ok(rtdw(dir.path()).args(store_args).args(args));
    run(&["route-db", "tables", "add", "--dim", "user_info"]);
    let rows = dir.path().join("users.jsonl");
    std::fs::write(
        &rows,
        "{\"id\":1,\"user_level\":\"snapshot\"}\n{\"id\":2,\"user_level\":\"snapshot\"}\n",
    )
    .unwrap();
    let stream = |name: &str, lines: &[String]| {
        let p = dir.path().join(name);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
        run(&[
            "route-db",
            "--from",
            p.to_str().unwrap(),
            "--to",
            dir.path().join("out/").to_str().unwrap(),
        ]);
    };
    let snapshot_at = "2026-11-22T11:00:00Z";
    let at = |t: &str| t.parse::<jiff::Timestamp>().unwrap().as_second();
    // The stream is ahead: a change at 12:00, then the 11:00 backfill.
    stream(
        "a.jsonl",
        &[maxwell_user(at("2026-11-22T12:00:00Z"), "stream 12:00")],
    );
    let out = run(&[
        "bootstrap-dims",
        "--from",
        rows.to_str().unwrap(),
        "--table",
        "user_info",
        "--as-of",
        snapshot_at,
    ]);
    assert!(
        stderr_of(&out).contains("written=1 deleted=0 stale=1"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        get("DIM:USER_INFO:1").unwrap()["user_level"],
        "stream 12:00"
    );
    assert_eq!(get("DIM:USER_INFO:2").unwrap()["user_level"], "snapshot");
    // The stream is behind: it replays a 10:00 change after the backfill
    // (older: ignored), then a 13:00 one (newer: wins).
    stream("b.jsonl", &[
        json!({"database": "gmall", "table": "user_info", "type": "update", "ts": at("2026-11-22T10:00:00Z"), "xid": 1,
               "data": {"id": 2, "user_level": "stream 10:00"}}).to_string(),
    ]);
    assert_eq!(get("DIM:USER_INFO:2").unwrap()["user_level"], "snapshot");
    stream("c.jsonl", &[
        json!({"database": "gmall", "table": "user_info", "type": "update", "ts": at("2026-11-22T13:00:00Z"), "xid": 1,
               "data": {"id": 2, "user_level": "stream 13:00"}}).to_string(),
    ]);
    assert_eq!(
        get("DIM:USER_INFO:2").unwrap()["user_level"],
        "stream 13:00"
    );
}

#[test]
fn backfill_races_the_stream_with_redis() {
    let redis = Redis::start();
    let get = |k: &str| {
        let v: Option<String> = redis::cmd("GET").arg(k).query(&mut redis.conn()).unwrap();
        v.map(|s| serde_json::from_str(&s).unwrap())
    };
    backfill_races_the_stream(&["--redis".into(), redis.url()], &get);
}

#[test]
fn backfill_races_the_stream_with_a_redis_cluster() {
    use rtdw::state::{Op, Reply, StateStore};
    let cluster = support::redis::RedisCluster::start();
    let store = rtdw::state::redis::RedisStore::connect(&cluster.url()).unwrap();
    let get = |k: &str| match store.exec(vec![Op::Get(k.into())]).unwrap().pop() {
        Some(Reply::Str(s)) => Some(serde_json::from_str(&s).unwrap()),
        _ => None,
    };
    backfill_races_the_stream(&["--redis".into(), cluster.url()], &get);
}

#[test]
fn backfill_races_the_stream_with_the_embedded_store() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let get = |k: &str| dims_of(&state).get(k).cloned();
    backfill_races_the_stream(&["--state".into(), state_arg(&state)], &get);
}

/// From a file: CDC records of the chosen tables (others skipped), bad lines
/// as dirty envelopes on stdout, and --resume by line.
#[test]
fn file_backfill_keeps_chosen_tables_reports_bad_lines_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.db");
    let input = dir.path().join("db.jsonl");
    let mut lines = String::from_utf8(
        run_ok(rtdw(dir.path()).args([
            "mock",
            "db",
            "--users",
            "40",
            "--orders",
            "10",
            "--format",
            "debezium",
            "--date",
            "2026-11-20",
        ]))
        .stdout,
    )
    .unwrap();
    lines.push_str("{broken\n");
    std::fs::write(&input, &lines).unwrap();
    let backfill = || {
        let mut c = rtdw(dir.path());
        c.args(["--state", &state_arg(&state), "bootstrap-dims", "--from"])
            .arg(&input)
            .args(["--table", "user_info"]);
        c
    };
    let run = |extra: &[&str]| run_ok(backfill().args(extra));
    let out = run(&["--page-size", "7"]);
    let dirty: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(dirty.len(), 1);
    assert_eq!(dirty[0]["topic"], "DWD_DIRTY_LOG");
    let n = lines.lines().count();
    assert_eq!(
        dirty[0]["value"]["source"],
        format!("{}:{n}", input.display())
    );
    let dims = dims_of(&state);
    assert!(
        dims.keys().all(|k| k.starts_with("DIM:USER_INFO:")),
        "only the chosen table"
    );
    assert!(dims.len() >= 35 && dims.len() <= 40, "{}", dims.len());
    // Finished: --resume has nothing to do; --strict stops at the bad line.
    assert!(stderr_of(&run(&["--resume"])).contains("nothing to resume"));
    let strict = backfill().args(["--strict", "--dry-run"]).output().unwrap();
    assert_eq!(strict.status.code(), Some(65));
    assert!(stderr_of(&strict).contains(&format!("{}:{n}", input.display())));
}

/// The MySQL reader thread panics after its third page: the run ends with
/// an error (exit 1, naming the reader) instead of exit 0 with a partial
/// backfill, the table is not marked done, and `--resume` completes it.
#[cfg(feature = "failpoints")]
#[test]
fn a_panicking_mysql_reader_fails_the_run_and_resume_completes_it() {
    const USERS: usize = 5000;
    let dir = tempfile::tempdir().unwrap();
    let db = MariaDb::with_users(dir.path(), USERS as u64);
    let redis = Redis::start();
    let url = db.url("gmall");
    let run = |extra: &[&str]| {
        let mut c = rtdw(dir.path());
        c.args(["--redis", &redis.url(), "bootstrap-dims", "--from", &url])
            .args(["--table", "user_info", "--page-size", "1000"])
            .args(extra);
        c
    };
    let out = run(&[])
        .env("RTDW_FAILPOINT", "mysql-reader-page@3:panic")
        .output()
        .unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the MySQL reader thread failed"),
        "{stderr}"
    );
    assert!(count_keys(&redis, "DIM:USER_INFO:*") < USERS, "{stderr}");
    assert_ne!(
        redis
            .hgetall("BOOTSTRAP:USER_INFO")
            .get("done")
            .map(String::as_str),
        Some("1"),
        "not marked done"
    );
    run_ok(&mut run(&["--resume"]));
    assert_eq!(count_keys(&redis, "DIM:USER_INFO:*"), USERS);
}
