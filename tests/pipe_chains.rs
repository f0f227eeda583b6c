//! Every pipe chain the README shows runs as printed, with the default
//! embedded state (`.rtdw/state`, shared by the stages): every stage exits
//! 0 and the output is complete (SPEC §5: the embedded store is shared by
//! several rtdw processes at once).

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use support::{json_lines, pipe, rtdw, run_ok};

/// The chains, as the README prints them (`target/release/rtdw` runs as
/// this build's `rtdw`).
const DEMO: &str = "target/release/rtdw mock logs --devices 1000 --users 500 --date 2026-11-22 --dirty-ratio 0.01 \\\n  | target/release/rtdw split-log --from - --to out/";
const SPLIT_DAU: &str = "rtdw split-log --from day.jsonl --to - | rtdw dau --from - --to -";
const ROUTE_TO_DIR: &str = "rtdw mock db --orders 1000 | rtdw route-db --from - --to out/";
const ROUTE_WIDE: &str =
    "rtdw mock db --orders 200 | rtdw route-db --from - --to - | rtdw order-wide --from - --to -";

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// Lines of the README's `sh` blocks that pipe into rtdw, without Kafka.
fn readme_chains() -> Vec<String> {
    let mut chains = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in readme().lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let code = line.split(" # ").next().unwrap_or("").trim_end();
        pending.push_str(code);
        if code.ends_with('\\') {
            pending.push('\n');
            continue;
        }
        let chain = std::mem::take(&mut pending);
        if chain.contains("| rtdw") || chain.contains("| target/release/rtdw") {
            chains.push(chain);
        }
    }
    chains
}

fn run_chain(dir: &Path, chain: &str) -> std::process::Output {
    let (out, statuses) = pipe(dir, &chain.replace("target/release/rtdw", "rtdw"));
    let stages = chain.matches('|').count() + 1;
    assert_eq!(
        statuses,
        vec![0; stages],
        "{chain}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn add_tables(dir: &Path) {
    support::add_gmall_tables(dir, &dir.join(".rtdw/state"), true);
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |t| t.lines().count())
}

#[test]
fn every_readme_chain_is_tested_here() {
    let tested = [DEMO, SPLIT_DAU, ROUTE_TO_DIR, ROUTE_WIDE];
    let chains = readme_chains();
    assert!(chains.len() >= tested.len(), "{chains:?}");
    for chain in chains {
        assert!(
            tested.contains(&chain.as_str()) || chain.contains("kafka") || chain.contains("zcat"),
            "a README chain without a test: {chain}"
        );
    }
    for chain in tested {
        assert!(
            readme().contains(chain),
            "the README no longer shows: {chain}"
        );
    }
}

#[test]
fn the_demo_chain_splits_every_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_chain(dir.path(), DEMO);
    let err = String::from_utf8_lossy(&out.stderr);
    let out_dir = dir.path().join("out");
    let pages = lines(&out_dir.join("DWD_PAGE_LOG.jsonl"));
    let dirty = lines(&out_dir.join("DWD_DIRTY_LOG.jsonl"));
    assert!(pages > 1000, "{err}");
    assert!(dirty > 0, "1 % of the lines are malformed: {err}");
}

#[test]
fn split_log_into_dau_counts_every_visiting_device_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(rtdw(d).args([
        "mock",
        "logs",
        "--devices",
        "500",
        "--users",
        "300",
        "--date",
        "2026-11-22",
        "--to",
        "day.jsonl",
    ]));
    // Devices with a visit start (a page without last_page_id), per business day.
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let mut want = BTreeSet::new();
    for v in json_lines(&std::fs::read(d.join("day.jsonl")).unwrap()) {
        if v["page"].is_object() && v["page"]["last_page_id"].is_null() {
            let ts = jiff::Timestamp::from_millisecond(v["ts"].as_i64().unwrap()).unwrap();
            want.insert((
                ts.to_zoned(tz.clone()).date().to_string(),
                v["common"]["mid"].as_str().unwrap().to_string(),
            ));
        }
    }
    let out = run_chain(d, SPLIT_DAU);
    let got: BTreeSet<(String, String)> = json_lines(&out.stdout)
        .iter()
        .map(|doc: &Value| {
            (
                doc["_source"]["dt"].as_str().unwrap().to_string(),
                doc["_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(want.len() > 400);
    assert_eq!(got, want);
}

#[test]
fn mock_db_into_route_db_writes_every_order() {
    let dir = tempfile::tempdir().unwrap();
    add_tables(dir.path());
    run_chain(dir.path(), ROUTE_TO_DIR);
    assert_eq!(lines(&dir.path().join("out/DWD_ORDER_INFO_I.jsonl")), 1000);
}

#[test]
fn mock_db_through_route_db_into_order_wide_widens_every_detail() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_tables(d);
    // The details the chain's mock day holds (the same seed, written apart).
    let (details, statuses) = pipe(d, "rtdw mock db --orders 200 | grep -c '\"table\":\"order_detail\",\"ts\":[0-9]*,\"type\":\"insert\"'");
    assert_eq!(statuses, [0, 0]);
    let want: usize = String::from_utf8_lossy(&details.stdout)
        .trim()
        .parse()
        .unwrap();
    for round in 0..3 {
        let out = run_chain(d, ROUTE_WIDE);
        let ids: BTreeSet<String> = json_lines(&out.stdout)
            .iter()
            .map(|doc| doc["_id"].as_str().unwrap().to_string())
            .collect();
        assert!(want > 200, "{want}");
        assert_eq!(ids.len(), want, "round {round}: one wide record per detail");
    }
}
