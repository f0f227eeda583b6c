//! The behaviour every state store must share (built for tests only, issue
//! 18): run against the embedded store, a real redis-server and a real
//! Redis Cluster of three masters (`tests/state_stores.rs`).

use std::time::Duration;

use rtdw::state::order_join::{Aged, JoinBuffer, ORDER_MARK};
use rtdw::state::*;

fn s(v: &str) -> String {
    v.to_string()
}

pub fn check(store: &dyn StateStore) {
    let r = store
        .exec(vec![
            Op::Set {
                key: s("k"),
                value: s("v"),
                ttl: None,
            },
            Op::Get(s("k")),
            Op::Get(s("missing")),
            Op::SAdd {
                key: s("set"),
                members: vec![s("a"), s("b"), s("a")],
            },
            Op::SMIsMember {
                key: s("set"),
                members: vec![s("a"), s("z")],
            },
            Op::SCard(s("set")),
            Op::HSet {
                key: s("h"),
                fields: vec![(s("0"), s("10")), (s("1"), s("20"))],
            },
            Op::HGet {
                key: s("h"),
                field: s("1"),
            },
            Op::Ttl(s("k")),
            Op::Ttl(s("missing")),
        ])
        .unwrap();
    assert_eq!(r[1], Reply::Str(s("v")));
    assert_eq!(r[2], Reply::Nil);
    assert_eq!(r[3], Reply::Int(2), "SADD counts new members only");
    assert_eq!(r[4], Reply::Bools(vec![true, false]));
    assert_eq!(r[5], Reply::Int(2));
    assert_eq!(r[7], Reply::Str(s("20")));
    assert_eq!(r[8], Reply::Int(-1));
    assert_eq!(r[9], Reply::Int(-2));

    let mut members = store.smembers("set").unwrap();
    members.sort();
    assert_eq!(members, vec![s("a"), s("b")]);
    let h = store.hgetall("h").unwrap();
    assert_eq!(h.get("0").map(String::as_str), Some("10"));

    // Rename replaces the target and carries the expiry.
    let r = store
        .exec(vec![
            // `{set}:tmp` hashes as `set` (a Redis Cluster hash tag), so
            // the rename stays in one slot, as restore-state's does.
            Op::SAdd {
                key: s("{set}:tmp"),
                members: vec![s("x")],
            },
            Op::Expire {
                key: s("{set}:tmp"),
                ttl: Duration::from_secs(100),
            },
            Op::Rename {
                from: s("{set}:tmp"),
                to: s("set"),
            },
            Op::SMembers(s("set")),
            Op::Ttl(s("set")),
            Op::Exists(s("{set}:tmp")),
        ])
        .unwrap();
    assert_eq!(r[3], Reply::Strs(vec![s("x")]));
    assert!(
        matches!(r[4], Reply::Int(t) if (90..=100).contains(&t)),
        "{:?}",
        r[4]
    );
    assert_eq!(r[5], Reply::Int(0));

    // Expired keys are gone.
    store
        .exec(vec![Op::Set {
            key: s("short"),
            value: s("1"),
            ttl: Some(Duration::from_millis(1)),
        }])
        .unwrap();
    std::thread::sleep(Duration::from_millis(20));
    assert_eq!(store.get("short").unwrap(), None);

    // Keys by pattern; deletes of every type.
    let mut keys = store.keys("*").unwrap();
    keys.sort();
    assert_eq!(keys, vec![s("h"), s("k"), s("set")]);
    let r = store
        .exec(vec![
            Op::HDel {
                key: s("h"),
                fields: vec![s("0")],
            },
            Op::SRem {
                key: s("set"),
                members: vec![s("x")],
            },
            Op::Del(vec![s("k"), s("h"), s("nope")]),
            Op::Keys(s("*")),
        ])
        .unwrap();
    assert_eq!(r[0], Reply::Int(1));
    assert_eq!(r[1], Reply::Int(1));
    assert_eq!(r[2], Reply::Int(2));
    assert_eq!(r[3], Reply::Strs(vec![]), "an emptied set no longer exists");

    // Type errors are reported, not silently mixed.
    store
        .exec(vec![Op::Set {
            key: s("str"),
            value: s("1"),
            ttl: None,
        }])
        .unwrap();
    let err = store.exec(vec![Op::SAdd {
        key: s("str"),
        members: vec![s("a")],
    }]);
    assert!(matches!(err, Err(StateError::WrongType { .. })), "{err:?}");

    // Versioned writes: newer or equal wins, older is ignored, a delete
    // leaves a tombstone version that stops a stale re-insert.
    let v = |ts: i64| versioned::encode(None, ts, 0, 0);
    let put = |value: Option<&str>, ts: i64| Op::PutIfNewer {
        key: s("row"),
        value: value.map(s),
        version: v(ts),
    };
    let r = store
        .exec(vec![
            put(Some("new"), 20),
            put(Some("old"), 10),
            Op::Get(s("row")),
            put(Some("same"), 20),
            Op::Get(s("row")),
        ])
        .unwrap();
    assert_eq!(r[0], Reply::Int(1));
    assert_eq!(r[1], Reply::Int(0), "an older change is ignored");
    assert_eq!(r[2], Reply::Str(s("new")));
    assert_eq!(r[3], Reply::Int(1), "an equal version is a replay: written");
    assert_eq!(r[4], Reply::Str(s("same")));
    let r = store
        .exec(vec![
            put(None, 30),
            put(Some("stale insert"), 25),
            Op::Exists(s("row")),
            Op::Get(versioned::version_key("row")),
        ])
        .unwrap();
    assert_eq!(r[0], Reply::Int(1));
    assert_eq!(r[1], Reply::Int(0), "a stale insert after a delete");
    assert_eq!(r[2], Reply::Int(0));
    assert_eq!(r[3], Reply::Str(v(30)));

    // Claims: places in a running sum, each given once.
    let claim = |field: &str, units: i64| Op::Claim {
        key: s("sums"),
        field: s(field),
        units,
    };
    let r = store
        .exec(vec![
            claim("a", 300),
            claim("b", 50),
            claim("a", 999),
            Op::HGet {
                key: s("sums"),
                field: s(CLAIM_SUM),
            },
        ])
        .unwrap();
    assert_eq!(r[0], Reply::Int(0));
    assert_eq!(r[1], Reply::Int(300));
    assert_eq!(r[2], Reply::Int(0), "a replayed claim keeps its place");
    assert_eq!(r[3], Reply::Str(s("350")), "and adds nothing");
    assert_eq!(
        store.one(claim("c", 1)).unwrap(),
        Reply::Int(350),
        "across calls too"
    );
}

/// `order-wide`'s join buffer ([`rtdw::state::order_join`]) on `store`, step
/// by step as the tool runs it: joins both ways, places, release, reports, sweep.
pub fn order_join(store: &dyn StateStore) {
    let buffer = &JoinBuffer::new(str::to_string, Duration::from_secs(3600));
    let exec = |ops: Vec<Op>| store.exec(ops).expect("the store answers");
    let row = |s: &str| s.to_string();
    // A detail comes first and waits; its order finds it.
    let ops = buffer.join_ops(&[], &[("o1", vec![row("{\"id\":\"d1\"}")])]);
    let joined = buffer.joined(exec(ops), 0, 1).expect("typed replies");
    assert_eq!(joined.orders, vec![None], "no order stored yet");
    let ops = buffer.join_ops(&[("o1", row("{\"id\":\"o1\"}"))], &[]);
    let joined = buffer.joined(exec(ops), 1, 0).expect("typed replies");
    assert_eq!(joined.waited, vec![vec![row("{\"id\":\"d1\"}")]]);
    // A later detail reads the stored order.
    let ops = buffer.join_ops(&[], &[("o1", vec![row("{\"id\":\"d2\"}")])]);
    let joined = buffer.joined(exec(ops), 0, 1).expect("typed replies");
    assert_eq!(joined.orders, vec![Some(row("{\"id\":\"o1\"}"))]);
    // Places: in claim order, the same again on a replay.
    let claims = [("o1", "d1", 300), ("o1", "d2", 200)];
    let places = exec(buffer.claim_ops(&claims));
    assert_eq!(&places[..2], &[Reply::Int(0), Reply::Int(300)]);
    let again = exec(buffer.claim_ops(&claims[..1]));
    assert_eq!(again[0], Reply::Int(0), "a replayed detail keeps its place");
    // Released details stop waiting; a report is remembered.
    exec(vec![buffer.release_op("o1", vec![row("{\"id\":\"d1\"}")])]);
    exec(buffer.reported_ops("o1", vec![ORDER_MARK.into()]).to_vec());
    // The sweep with orphan_after 0 sees everything written.
    let (keys, ttls) = buffer.listed(exec(buffer.list_ops())).expect("key lists");
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![buffer.detail_key("o1"), buffer.order_key("o1")]
    );
    let (checks, ops) = buffer
        .aged_ops(&keys, exec(ttls), Duration::ZERO)
        .expect("TTLs");
    let mut aged = buffer.aged(checks, exec(ops)).expect("typed replies");
    aged.sort_by_key(|a| matches!(a, Aged::Order { .. }));
    assert_eq!(
        aged,
        vec![
            Aged::Details {
                order_id: row("o1"),
                members: vec![row("{\"id\":\"d2\"}")],
                reported: [ORDER_MARK.to_string()].into(),
            },
            Aged::Order {
                order_id: row("o1"),
                row: Some(row("{\"id\":\"o1\"}")),
                units: 500,
                reported: true,
            },
        ]
    );
}
