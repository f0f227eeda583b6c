//! The Redis state backend follows the same contract as the embedded one.

mod support;

use rtdw::state::redis::RedisStore;
use rtdw::state::StateStore;

#[test]
fn redis_store_follows_the_state_contract() {
    let redis = support::redis::Redis::start();
    let store = RedisStore::connect(&redis.url()).unwrap();
    rtdw::state::contract::check(&store);
    assert!(store.describe().contains(&redis.port.to_string()));
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
