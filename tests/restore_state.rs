//! restore-state: the DAU set rebuilt from Elasticsearch (or a file) after
//! Redis lost it, atomically and with its expiry; dau then goes on without
//! counting a visit twice or losing one.

mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use support::dau::{page_logs, DauRig, DAY, SET};
use support::redis::Redis;
use support::{rtdw, run_ok};

fn smembers(redis: &Redis, key: &str) -> BTreeSet<String> {
    redis::cmd("SMEMBERS")
        .arg(key)
        .query::<Vec<String>>(&mut redis.conn())
        .unwrap()
        .into_iter()
        .collect()
}

#[test]
fn flushall_mid_day_then_restore_state_then_dau_goes_on() {
    let rig = DauRig::new();
    let (pages, want) = page_logs(rig.path(), 300, 5000);
    let (first, second) = pages.split_at(pages.len() / 2);
    // Offsets in the Kafka group: the FLUSHALL loses only the sets.
    let dau = || {
        let out = rig.dau("kafka", None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    rig.broker.produce_lines(&rig.input, first);
    dau();
    let first_mids = rig.in_es();
    assert_eq!(rig.set(), first_mids);

    let _: () = redis::cmd("FLUSHALL").query(&mut rig.redis.conn()).unwrap();
    assert!(rig.set().is_empty());
    // At once: restore-state refreshes the index before reading it.
    let out = run_ok(rig.rtdw().args([
        "restore-state",
        "--date",
        DAY,
        "--json",
        "--page-size",
        "37",
    ]));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["documents"], first_mids.len());
    assert_eq!(report["set_before"], 0);
    assert_eq!(report["set_after"], first_mids.len());
    assert_eq!(rig.set(), first_mids);
    let ttl: i64 = redis::cmd("TTL")
        .arg(SET)
        .query(&mut rig.redis.conn())
        .unwrap();
    // DAY is a fixed, past date on purpose: the rebuilt set must outlive
    // the run by two days, whatever the day the test runs (SPEC §6).
    assert!(
        (47 * 3600..=48 * 3600).contains(&ttl),
        "the rebuilt set expires two days from now: {ttl}"
    );
    assert_eq!(
        rig.es.with(|s| s.pits_open()),
        0,
        "the point in time is closed"
    );

    let sent_before = rig.es.with(|s| s.bulk_items);
    rig.broker.produce_lines(&rig.input, second);
    dau();
    let all = rig.in_es();
    assert_eq!(all, want, "every visiting device once");
    assert_eq!(rig.set(), all);
    assert_eq!(
        rig.es.with(|s| s.bulk_items) - sent_before,
        (all.len() - first_mids.len()) as u64,
        "after the restore, dau sent only devices it had not counted"
    );
}

#[test]
fn dry_run_compares_and_files_rebuild_with_the_expiry_kept() {
    let dir = tempfile::tempdir().unwrap();
    let redis = Redis::start();
    let docs = dir.path().join("docs.jsonl");
    std::fs::write(
        &docs,
        [
            r#"{"_index":"gmall_dau_info_2026-11-22","_id":"a","_source":{"mid":"a","dt":"2026-11-22"}}"#,
            r#"{"_index":"gmall_dau_info_2026-11-22","_id":"b","_source":{"mid":"b","dt":"2026-11-22"}}"#,
            r#"{"_index":"gmall_dau_info_2026-11-21","_id":"z","_source":{"mid":"z","dt":"2026-11-21"}}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let mut c = redis.conn();
    let _: () = redis::cmd("SADD")
        .arg("DAU:2026-11-22")
        .arg("a")
        .arg("stale")
        .query(&mut c)
        .unwrap();
    let _: () = redis::cmd("EXPIRE")
        .arg("DAU:2026-11-22")
        .arg(5000)
        .query(&mut c)
        .unwrap();
    let restore = |extra: &[&str]| {
        let out = run_ok(
            rtdw(dir.path())
                .args([
                    "--redis",
                    &redis.url(),
                    "restore-state",
                    "--date",
                    "2026-11-22",
                    "--json",
                    "--from",
                    docs.to_str().unwrap(),
                ])
                .args(extra),
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let r = restore(&["--dry-run"]);
    assert_eq!(
        (
            r["documents"].clone(),
            r["missing_from_set"].clone(),
            r["not_in_documents"].clone()
        ),
        (2.into(), 1.into(), 1.into())
    );
    assert_eq!(
        smembers(&redis, "DAU:2026-11-22"),
        ["a", "stale"].map(String::from).into(),
        "a dry run changes nothing"
    );
    let r = restore(&[]);
    assert_eq!(r["set_after"], 2);
    assert_eq!(
        smembers(&redis, "DAU:2026-11-22"),
        ["a", "b"].map(String::from).into()
    );
    let ttl: i64 = redis::cmd("TTL")
        .arg("DAU:2026-11-22")
        .query(&mut c)
        .unwrap();
    assert!((4990..=5000).contains(&ttl), "the expiry is kept: {ttl}");
    let tmp: i64 = redis::cmd("EXISTS")
        .arg("{DAU:2026-11-22}:restore")
        .query(&mut c)
        .unwrap();
    assert_eq!(tmp, 0, "no temporary key left");
}
