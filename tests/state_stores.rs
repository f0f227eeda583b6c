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
