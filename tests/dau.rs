//! dau: one document per device and business day, enriched, never counted
//! twice; to stdout and to (fake) Elasticsearch; crashes between the ES
//! write and the set, and between the set and the offsets, lose nothing.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Value};
use support::{rtdw, run_ok};

fn lines_of(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A flattened page log (split-log output) of a visit start.
fn visit(mid: &str, user: Option<&str>, province: &str, ts_ms: i64) -> String {
    json!({"mid": mid, "user_id": user, "province_id": province, "channel": "xiaomi", "is_new": "0",
           "model": "m", "operate_system": "Android 11.0", "version_code": "v1", "brand": "b",
           "page_id": "home", "last_page_id": null, "page_item": null, "page_item_type": null,
           "during_time": 1000, "source_type": null, "ts": ts_ms})
    .to_string()
}

fn ms(rfc3339: &str) -> i64 {
    rfc3339.parse::<jiff::Timestamp>().unwrap().as_millisecond()
}

/// Dimension rows for user 7 (born 2000-11-23) and province 1, via route-db.
fn load_dims(dir: &Path, state: &[String]) {
    let cdc = [
        json!({"database": "gmall", "table": "user_info", "type": "insert", "ts": 1_795_312_800u64, "xid": 1,
               "data": {"id": 7, "gender": "F", "birthday": "2000-11-23"}}),
        json!({"database": "gmall", "table": "base_province", "type": "insert", "ts": 1_795_312_800u64, "xid": 2,
               "data": {"id": 1, "name": "北京", "iso_code": "CN-11", "iso_3166_2": "CN-BJ", "area_code": "110000"}}),
    ];
    let p = dir.join("dims.jsonl");
    std::fs::write(
        &p,
        cdc.iter().map(|v| v.to_string() + "\n").collect::<String>(),
    )
    .unwrap();
    run_ok(rtdw(dir).args(state).args([
        "route-db",
        "tables",
        "add",
        "--dim",
        "user_info",
        "--dim",
        "base_province",
    ]));
    run_ok(rtdw(dir).args(state).args([
        "route-db",
        "--from",
        p.to_str().unwrap(),
        "--to",
        dir.join("out/").to_str().unwrap(),
    ]));
}

/// Business dates in Asia/Shanghai, enrichment and age at the birthday,
/// per-batch and cross-batch deduplication, in pipe mode with the embedded store.
#[test]
fn days_in_shanghai_enrichment_and_no_double_count() {
    let dir = tempfile::tempdir().unwrap();
    let state = vec![
        "--state".to_string(),
        format!("file:{}", dir.path().join("s.db").display()),
    ];
    load_dims(dir.path(), &state);
    let input = dir.path().join("page.jsonl");
    let logs = [
        // 23:59:59 and 00:00:01 in Shanghai: one UTC date, two business days.
        visit("m1", Some("7"), "1", ms("2026-11-22T15:59:59Z")),
        visit("m1", Some("7"), "1", ms("2026-11-22T16:00:01Z")),
        // A later start of m1 on the 23rd, and a page that is not a start.
        visit("m1", Some("7"), "1", ms("2026-11-22T20:00:00Z")),
        json!({"mid": "m2", "page_id": "good_detail", "last_page_id": "home", "ts": ms("2026-11-22T05:00:00Z")}).to_string(),
        // Unknown user and province: null fields, counted, not dropped.
        visit("m3", Some("999"), "77", ms("2026-11-22T05:00:00Z")),
        "{not json".to_string(),
    ];
    std::fs::write(&input, logs.join("\n") + "\n").unwrap();
    let out = run_ok(rtdw(dir.path()).args(&state).args([
        "dau",
        "--from",
        input.to_str().unwrap(),
        "--to",
        "-",
    ]));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let docs = lines_of(&out.stdout);
    let by_key: BTreeMap<(String, String), &Value> = docs
        .iter()
        .map(|d| {
            (
                (
                    d["_index"].as_str().unwrap().to_string(),
                    d["_id"].as_str().unwrap().to_string(),
                ),
                d,
            )
        })
        .collect();
    assert_eq!(
        by_key.keys().cloned().collect::<Vec<_>>(),
        [
            ("gmall_dau_info_2026-11-22".into(), "m1".into()),
            ("gmall_dau_info_2026-11-22".into(), "m3".into()),
            ("gmall_dau_info_2026-11-23".into(), "m1".into()),
            ("rtdw_dirty_dau".into(), format!("{}:6", input.display())),
        ]
    );
    let day1 = &by_key[&("gmall_dau_info_2026-11-22".to_string(), "m1".to_string())]["_source"];
    let day2 = &by_key[&("gmall_dau_info_2026-11-23".to_string(), "m1".to_string())]["_source"];
    assert_eq!(
        (day1["dt"].clone(), day1["hr"].clone()),
        (json!("2026-11-22"), json!("23"))
    );
    assert_eq!(
        (day2["dt"].clone(), day2["hr"].clone()),
        (json!("2026-11-23"), json!("00"))
    );
    assert_eq!(
        day2["ts"],
        ms("2026-11-22T16:00:01Z"),
        "the day's earliest start"
    );
    // Born 2000-11-23: 25 the day before the birthday, 26 on it.
    assert_eq!(day1["user_age"], 25);
    assert_eq!(day2["user_age"], 26);
    assert_eq!(day1["user_gender"], "F");
    assert_eq!(
        (
            day1["province_name"].clone(),
            day1["province_iso_code"].clone(),
            day1["province_3166_2"].clone(),
            day1["province_area_code"].clone()
        ),
        (
            json!("北京"),
            json!("CN-11"),
            json!("CN-BJ"),
            json!("110000")
        )
    );
    let m3 = &by_key[&("gmall_dau_info_2026-11-22".to_string(), "m3".to_string())]["_source"];
    assert_eq!(
        (m3["user_age"].clone(), m3["province_name"].clone()),
        (Value::Null, Value::Null)
    );
    for c in [
        "new=3",
        "missing_user=1",
        "missing_province=1",
        "not_start=1",
        "dirty=1",
    ] {
        assert!(stderr.contains(c), "{c} in {stderr}");
    }
    // Running again over the same input adds no document (the sets have them).
    let again = run_ok(rtdw(dir.path()).args(&state).args([
        "dau",
        "--from",
        input.to_str().unwrap(),
        "--to",
        "-",
    ]));
    let again: Vec<Value> = lines_of(&again.stdout);
    assert!(
        again.iter().all(|d| d["_index"] == "rtdw_dirty_dau"),
        "{again:?}"
    );
}

#[test]
fn age_in_whole_years() {
    let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    assert_eq!(
        rtdw::enrich::age_at("2000-11-23", d("2026-11-22")),
        Some(25)
    );
    assert_eq!(
        rtdw::enrich::age_at("2000-11-23", d("2026-11-23")),
        Some(26)
    );
    assert_eq!(
        rtdw::enrich::age_at("2000-02-29", d("2026-02-28")),
        Some(25)
    );
    assert_eq!(
        rtdw::enrich::age_at("2000-02-29", d("2026-03-01")),
        Some(26)
    );
    assert_eq!(rtdw::enrich::age_at("garbage", d("2026-03-01")), None);
}

/// Kafka → fake ES with Redis: a day of mock visits, killed once between the
/// ES write and the set and once between the set and the offsets, then
/// drained: every day's set equals the ES mids, every mid of the input once.
#[cfg(feature = "failpoints")]
#[test]
fn crashes_around_the_es_write_lose_nothing_and_count_nothing_twice() {
    use support::dau::{page_logs, DauRig, INDEX};

    let rig = DauRig::new();
    let (pages, want) = page_logs(rig.path(), 400, 6000);
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let (first, second) = pages.split_at(pages.len() / 2);
    rig.broker.produce_lines(&rig.input, first);
    let crashed = rig.dau("redis", Some("after-sink-before-state@2"));
    assert!(
        stderr(&crashed).contains("failpoint after-sink-before-state reached"),
        "{}",
        stderr(&crashed)
    );
    // The crash left documents in ES whose mids the set does not have.
    assert!(rig.in_es().len() > rig.set().len());
    rig.broker.produce_lines(&rig.input, second);
    let crashed = rig.dau("redis", Some("after-flush-before-offsets@2"));
    assert!(
        stderr(&crashed).contains("failpoint after-flush-before-offsets reached"),
        "{}",
        stderr(&crashed)
    );
    let done = rig.dau("redis", None);
    assert!(done.status.success(), "{}", stderr(&done));

    assert_eq!(rig.in_es(), want, "every visiting device once in ES");
    assert_eq!(rig.set(), rig.in_es(), "the set equals the ES mids");
    assert!(
        rig.es
            .with(|s| s.indices[INDEX].docs.values().all(|d| d.version == 1)),
        "no document written twice"
    );
    let ttl: i64 = redis::cmd("TTL")
        .arg("DAU:2026-11-22")
        .query(&mut rig.redis.conn())
        .unwrap();
    // 2026-11-22 is a past date on purpose: its set must still outlive the
    // run by two days, whatever the day the test runs (SPEC §6).
    assert!(
        (47 * 3600..=48 * 3600).contains(&ttl),
        "the set expires two days after its last write: {ttl}"
    );
}

/// A 429 storm on 30 % of bulk items for 20 s: every document lands, and
/// whenever offsets are stored, every visit before them is already in ES.
#[test]
fn a_429_storm_loses_nothing_and_never_stores_offsets_early() {
    use std::collections::{BTreeSet, HashMap};
    use std::time::{Duration, Instant};
    use support::dau::{page_logs, DauRig};

    let rig = DauRig::new();
    let (pages, want) = page_logs(rig.path(), 400, 6000);
    rig.broker.produce_lines(&rig.input, &pages);
    // Which visit starts sit before which offset of each partition.
    let mut starts: HashMap<i32, Vec<(i64, String)>> = HashMap::new();
    for r in rig.broker.read_all_plain_at(&rig.input, 4) {
        let v: Value = serde_json::from_str(&r.value).unwrap();
        if v["last_page_id"].is_null() {
            starts
                .entry(r.partition)
                .or_default()
                .push((r.offset, v["mid"].as_str().unwrap().into()));
        }
    }
    rig.es.with(|s| {
        s.faults.items_429_ratio = 0.3;
        s.faults.items_429_until = Some(Instant::now() + Duration::from_secs(20));
    });
    let mut cmd = rig.dau_cmd(&rig.group, "redis", 200);
    cmd.stderr(std::process::Stdio::piped());
    let mut child = support::KillOnDrop(cmd.spawn().unwrap());
    let offsets_key = format!("offset:{}:{}", rig.group, rig.input);
    let mut checks = 0;
    while child.0.try_wait().unwrap().is_none() {
        // Offsets first, then ES: ES only grows, so this order cannot miss.
        let stored = rig.redis.hgetall(&offsets_key);
        let in_es = rig.in_es();
        for (p, o) in &stored {
            let (p, o): (i32, i64) = (p.parse().unwrap(), o.parse().unwrap());
            for (offset, mid) in starts.get(&p).into_iter().flatten() {
                if *offset < o {
                    assert!(in_es.contains(mid), "offset {o} of partition {p} stored before {mid} (offset {offset}) was in ES");
                }
            }
        }
        checks += 1;
        std::thread::sleep(Duration::from_millis(30));
    }
    let status = child.0.wait().unwrap();
    assert!(status.success());
    assert!(checks > 3, "the run was watched");
    assert!(rig.es.with(|s| s.rejected_items) > 0, "the storm hit");
    let in_es: BTreeSet<String> = rig.in_es();
    assert_eq!(in_es, want, "every document lands");
    assert_eq!(rig.set(), in_es);
}

/// A secured cluster: credentials from the environment or `[es_auth]` in
/// rtdw.toml reach it; they are never printed.
#[test]
fn credentials_come_from_env_or_config_and_are_never_printed() {
    use support::fake_es::FakeEs;

    let dir = tempfile::tempdir().unwrap();
    let es = FakeEs::start();
    // base64("elastic:s3cret")
    es.with(|s| s.require_auth = Some("Basic ZWxhc3RpYzpzM2NyZXQ=".into()));
    let input = dir.path().join("page.jsonl");
    std::fs::write(
        &input,
        visit("m1", None, "1", ms("2026-11-22T05:00:00Z")) + "\n",
    )
    .unwrap();
    // Each run its own state file: the sets must not hide the document.
    let dau = |state: &str, envs: &[(&str, &str)]| {
        let mut c = rtdw(dir.path());
        c.args([
            "--state",
            state,
            "--es",
            &es.url(),
            "dau",
            "--from",
            input.to_str().unwrap(),
            "--to",
            "es",
        ]);
        for (k, v) in envs {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let refused = dau("file:a.db", &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("security_exception"));
    let ok = dau(
        "file:b.db",
        &[
            ("RTDW_ES_USERNAME", "elastic"),
            ("RTDW_ES_PASSWORD", "s3cret"),
        ],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(es.ids("gmall_dau_info_2026-11-22"), ["m1"]);
    assert!(!String::from_utf8_lossy(&ok.stderr).contains("s3cret"));

    std::fs::write(
        dir.path().join("rtdw.toml"),
        "[es_auth]\nusername = \"elastic\"\npassword = \"s3cret\"\n",
    )
    .unwrap();
    let shown = run_ok(rtdw(dir.path()).args(["config", "show"]));
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains("basic elastic:****") && !shown.contains("s3cret"),
        "{shown}"
    );
    assert!(
        dau("file:c.db", &[]).status.success(),
        "credentials from rtdw.toml"
    );
}

/// With `--on-refused fail`, a document Elasticsearch refuses for good (a
/// 400): reported with index, id, status and reason; its mid stays out of
/// the set; no offset is stored past it; the run ends with exit 1. Once the
/// cause is gone, a re-run writes it and the offsets reach the end.
#[test]
fn a_refused_document_holds_the_offsets_and_the_set_with_on_refused_fail() {
    use support::dau::DauRig;

    let (rig, want, victim) = rig_with_a_refused_visit();
    let fail = |rig: &DauRig| {
        rig.dau_cmd(&rig.group, "redis", 300)
            .args(["--on-refused", "fail"])
            .output()
            .unwrap()
    };
    let out = fail(&rig);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "gmall_dau_info_2026-11-22/{victim}: status 400: document_parsing_exception"
        )),
        "{stderr}"
    );
    assert!(
        !rig.set().contains(&victim),
        "a refused visit is not counted"
    );
    assert!(!rig.in_es().contains(&victim));
    assert!(
        stored(&rig) < ends(&rig),
        "offsets held before the refused document"
    );

    rig.es.with(|s| s.faults.refuse_ids.clear());
    let out = fail(&rig);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(rig.in_es(), want);
    assert_eq!(rig.set(), want);
    assert_eq!(stored(&rig), ends(&rig));
}

/// By default (`--on-refused dead-letter`) a poison document goes to the
/// dead-letter index `rtdw_dead_dau` with its index, id, status, reason and
/// the bytes sent, counted `refused` (not written); the rest of the batch
/// lands, the run exits 0, and the offsets reach the end, so the next run
/// does not meet it again (Kafka Connect's errors.tolerance=all with a DLQ).
#[test]
fn a_poison_document_goes_to_the_dead_letter_index_and_the_offsets_move_on() {
    let (rig, want, victim) = rig_with_a_refused_visit();
    let out = rig.dau("redis", None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(support::summary_field(&stderr, "refused"), 1, "{stderr}");
    assert_eq!(
        support::summary_field(&stderr, "gmall_dau_info_2026-11-22"),
        want.len() as u64 - 1,
        "the refused document is not counted as written: {stderr}"
    );
    let mut others = want.clone();
    others.remove(&victim);
    assert_eq!(rig.in_es(), others, "the rest of the batch landed");
    assert!(
        !rig.set().contains(&victim),
        "a refused visit is not counted"
    );
    assert_eq!(stored(&rig), ends(&rig), "the offsets moved on");
    let letter = rig
        .es
        .doc(
            "rtdw_dead_dau",
            &format!("gmall_dau_info_2026-11-22/{victim}"),
        )
        .expect("a dead letter");
    assert_eq!(letter.source["tool"], "dau");
    assert_eq!(letter.source["index"], "gmall_dau_info_2026-11-22");
    assert_eq!(letter.source["id"], victim.as_str());
    assert_eq!(letter.source["status"], 400);
    assert!(
        letter.source["reason"]
            .as_str()
            .unwrap()
            .starts_with("document_parsing_exception"),
        "{}",
        letter.source
    );
    let sent: Value = serde_json::from_str(letter.source["document"].as_str().unwrap()).unwrap();
    assert_eq!(sent["mid"], victim.as_str());
    assert!(rig.es.with(|s| s.templates.contains_key("rtdw_dead")));

    // A second run reads nothing again: nothing more is refused.
    let out = rig.dau("redis", None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(support::summary_field(&stderr, "refused"), 0, "{stderr}");
    assert_eq!(rig.es.ids("rtdw_dead_dau").len(), 1);
}

/// A dau rig whose page logs are in Kafka, with the fake ES refusing one
/// device's visit: (rig, every device with a visit, the refused one).
fn rig_with_a_refused_visit() -> (
    support::dau::DauRig,
    std::collections::BTreeSet<String>,
    String,
) {
    let rig = support::dau::DauRig::new();
    let (pages, want) = support::dau::page_logs(rig.path(), 200, 3000);
    rig.broker.produce_lines(&rig.input, &pages);
    let victim = want.iter().next().unwrap().clone();
    rig.es.with(|s| s.faults.refuse_ids = vec![victim.clone()]);
    (rig, want, victim)
}

fn ends(rig: &support::dau::DauRig) -> i64 {
    rig.broker
        .watermarks(&rig.input, 4)
        .values()
        .map(|(_, hi)| hi)
        .sum()
}

fn stored(rig: &support::dau::DauRig) -> i64 {
    rig.redis
        .hgetall(&format!("offset:{}:{}", rig.group, rig.input))
        .values()
        .map(|v| v.parse::<i64>().unwrap())
        .sum()
}

/// Two `dau` instances in one group on Apache Kafka, one killed with -9
/// mid-run and restarted: every device with a visit start is counted once
/// (one document, one set member), and the documents equal a single run's
/// over the same page logs from a file.
#[test]
fn two_instances_on_apache_kafka_one_killed_count_each_device_once() {
    use std::process::Stdio;
    let rig = support::dau::DauRig::on(support::kafka::Broker::apache());
    let (pages, mids) = support::dau::page_logs(rig.path(), 800, 24_000);
    // Keyed by mid, as split-log writes DWD_PAGE_LOG: a device's visits are
    // in one partition, in order, so its first visit arrives first.
    let keyed: Vec<(String, String)> = pages
        .iter()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["mid"].as_str().unwrap_or_default().to_string(), l.clone())
        })
        .collect();
    rig.broker.produce_keyed(&rig.input, &keyed);
    let start = |name: &str| {
        support::KillOnDrop(
            rig.rtdw()
                .args(["dau", "--from", "kafka", "--to", "es", "--offsets", "redis"])
                .args([
                    "--group",
                    &rig.group,
                    "--batch-max",
                    "200",
                    "--batch-ms",
                    "50",
                ])
                .args(["--instance-id", name])
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        )
    };
    support::two_instances_one_killed(
        start,
        || stored(&rig),
        ends(&rig),
        std::time::Duration::from_secs(120),
    );
    assert_eq!(rig.in_es(), mids, "one document per device");
    assert_eq!(rig.set(), mids, "one set member per device");

    // A single run over the same page logs, from a file.
    let single = tempfile::tempdir().unwrap();
    std::fs::write(
        single.path().join("DWD_PAGE_LOG.jsonl"),
        pages.join("\n") + "\n",
    )
    .unwrap();
    let out =
        run_ok(rtdw(single.path()).args(["dau", "--from", "DWD_PAGE_LOG.jsonl", "--to", "-"]));
    let mut differ = 0;
    for doc in lines_of(&out.stdout) {
        let id = doc["_id"].as_str().unwrap();
        let in_es = rig.es.doc(support::dau::INDEX, id).map(|d| d.source);
        if in_es.as_ref() != Some(&doc["_source"]) {
            differ += 1;
        }
    }
    assert_eq!(differ, 0, "documents differ from a single run's");
}

/// A page log whose field the index maps as a number carries a string
/// (`"during_time":"abc"`): a dirty record at the tool, naming the field,
/// never a document Elasticsearch would refuse; the other visits count.
#[test]
fn a_string_in_a_numeric_field_is_dirty_at_the_tool() {
    let dir = tempfile::tempdir().unwrap();
    let page = |mid: &str, during: Value| {
        json!({"mid": mid, "uid": null, "page_id": "home", "during_time": during,
            "ts": 1_795_312_800_000i64})
        .to_string()
    };
    std::fs::write(
        dir.path().join("pages.jsonl"),
        [
            page("m1", json!(1200)),
            page("m2", json!("abc")),
            page("m3", json!("300")),
        ]
        .join("\n")
            + "\n",
    )
    .unwrap();
    let out = run_ok(rtdw(dir.path()).args(["dau", "--from", "pages.jsonl", "--to", "-"]));
    let docs = lines_of(&out.stdout);
    let dirty: Vec<&Value> = docs
        .iter()
        .filter(|d| d["_index"] == "rtdw_dirty_dau")
        .collect();
    assert_eq!(dirty.len(), 1, "{docs:?}");
    assert!(
        dirty[0]["_source"]["error"]
            .as_str()
            .unwrap()
            .contains("`during_time`: \"abc\" is not a number (the index maps a long)"),
        "{}",
        dirty[0]
    );
    let counted: Vec<&str> = docs
        .iter()
        .filter(|d| d["_index"] == "gmall_dau_info_2026-11-22")
        .map(|d| d["_id"].as_str().unwrap())
        .collect();
    assert_eq!(counted, ["m1", "m3"]);
}
