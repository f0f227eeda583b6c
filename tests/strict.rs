//! `--strict` stops at a bad record with exit 65 and keeps nothing of its
//! batch: no output and no state (SPEC §2), for every streaming tool.

mod support;

use std::path::Path;

use support::{dump_state, rtdw};

const STATE: &str = "state.db";

/// Runs `TOOL --strict` over `input` (one batch) and checks exit 65, no
/// output and a state store exactly as it was.
fn strict_run_changes_nothing(dir: &Path, tool: &[&str], input: &str) {
    let path = dir.join(format!("{}.jsonl", tool[0]));
    std::fs::write(&path, input).unwrap();
    let state = dir.join(STATE);
    let before = dump_state(&state);
    let out = rtdw(dir)
        .args(["--state", &format!("file:{STATE}")])
        .args(tool)
        .args(["--from", path.to_str().unwrap(), "--to", "-", "--strict"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{}: {err}", tool[0]);
    assert!(err.contains(":3"), "{}: names the bad line: {err}", tool[0]);
    assert!(out.stdout.is_empty(), "{}: no output", tool[0]);
    assert_eq!(dump_state(&state), before, "{}: state unchanged", tool[0]);
}

fn add_tables(dir: &Path) {
    support::add_gmall_tables(dir, &dir.join(STATE), true);
}

#[test]
fn route_db_strict_writes_no_dimension_row() {
    let dir = tempfile::tempdir().unwrap();
    add_tables(dir.path());
    let input = concat!(
        r#"{"database":"gmall","table":"user_info","type":"insert","ts":1795312800,"xid":1,"data":{"id":7,"gender":"F","birthday":"2000-11-23"}}"#,
        "\n",
        r#"{"database":"gmall","table":"base_province","type":"insert","ts":1795312800,"xid":2,"data":{"id":1,"name":"北京"}}"#,
        "\n",
        "not json\n",
    );
    strict_run_changes_nothing(dir.path(), &["route-db"], input);
}

#[test]
fn order_wide_strict_writes_no_join_state() {
    let dir = tempfile::tempdir().unwrap();
    let order = r#"{"topic":"DWD_ORDER_INFO_I","key":"1","value":{"id":1,"user_id":7,"province_id":1,"order_status":"1001","create_time":"2026-11-22 10:00:00","original_total_amount":"30.00","activity_reduce_amount":"0.00","coupon_reduce_amount":"0.00","total_amount":"30.00","feight_fee":"0.00","op":"I","ts_ms":1}}"#;
    let detail = r#"{"topic":"DWD_ORDER_DETAIL_I","key":"11","value":{"id":11,"order_id":2,"sku_id":3,"sku_name":"x","order_price":"10.00","sku_num":"1","op":"I","ts_ms":1}}"#;
    strict_run_changes_nothing(
        dir.path(),
        &["order-wide"],
        &format!(
            "{order}\n{detail}\n{{\"topic\":\"DWD_ORDER_INFO_I\",\"key\":\"9\",\"value\":[1]}}\n"
        ),
    );
}

#[test]
fn dau_strict_adds_no_mid_to_the_day_set() {
    let dir = tempfile::tempdir().unwrap();
    let visit = r#"{"mid":"m1","user_id":null,"province_id":"1","page_id":"home","last_page_id":null,"ts":1795312800000}"#;
    let other = r#"{"mid":"m2","user_id":null,"province_id":"1","page_id":"home","last_page_id":null,"ts":1795312900000}"#;
    strict_run_changes_nothing(
        dir.path(),
        &["dau"],
        &format!("{visit}\n{other}\n{{\"mid\":\"m3\"}}\n"),
    );
}

#[test]
fn risk_alert_strict_stores_no_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let action = r#"{"topic":"DWD_ACTION_LOG","key":"m1","value":{"mid":"m1","uid":"7","action_id":"get_coupon","item":"1","item_type":"coupon_id","page_id":"good_detail","ts":1795312800000}}"#;
    strict_run_changes_nothing(
        dir.path(),
        &["risk-alert"],
        &format!("{action}\n{action}\nnot json\n"),
    );
}

#[test]
fn split_log_strict_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let log = r#"{"common":{"mid":"m1","uid":"7","ar":"1","ch":"xiaomi","is_new":"0","md":"m","os":"Android","vc":"v1","ba":"b"},"page":{"page_id":"home","during_time":1000},"ts":1795312800000}"#;
    strict_run_changes_nothing(
        dir.path(),
        &["split-log"],
        &format!("{log}\n{log}\nnot json\n"),
    );
}
