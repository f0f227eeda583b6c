//! Replays (SPEC §6): a day replayed long after it happened gives the live
//! run's documents; a second replay says that it counted nothing new, and
//! `--forget-day` recomputes the day from scratch. Dates are relative to
//! the day the test runs, so it passes on any day.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use jiff::civil::Date;
use jiff::ToSpan;
use serde_json::Value;
use support::{json_lines, pipe};

/// Yesterday in Asia/Shanghai, and the same calendar day a year before it
/// (so that every age differs by exactly one year; mock birthdays are never
/// on the 29th, so a leap day changes nothing).
fn days() -> (Date, Date) {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let recent = jiff::Zoned::now()
        .with_time_zone(tz)
        .date()
        .yesterday()
        .unwrap();
    let old = recent.checked_sub(1.year()).unwrap();
    (recent, old)
}

/// Runs both README chains over a mock day (one seed for every date) dated `date` in a folder of its
/// own (the default embedded state, small batches); returns (dau documents,
/// order-wide documents).
fn run_day(root: &Path, date: Date, extra_dau: &str) -> (Vec<Value>, Vec<Value>, String) {
    let dir = root.join(date.to_string());
    std::fs::create_dir_all(&dir).unwrap();
    support::add_gmall_tables(&dir, &dir.join(".rtdw/state"), true);
    let (wide, statuses) = pipe(
        &dir,
        &format!(
            "rtdw mock db --orders 120 --seed 3 --date {date} \
             | rtdw route-db --from - --to - --batch-max 40 \
             | rtdw order-wide --from - --to - --batch-max 25"
        ),
    );
    assert_eq!(
        statuses,
        [0, 0, 0],
        "{}",
        String::from_utf8_lossy(&wide.stderr)
    );
    let (dau, statuses) = pipe(
        &dir,
        &format!(
            "rtdw mock logs --devices 400 --users 200 --seed 3 --date {date} --lines 20000 \
             | rtdw split-log --from - --to - \
             | rtdw dau --from - --to - --batch-max 100 {extra_dau}"
        ),
    );
    assert_eq!(
        statuses,
        [0, 0, 0],
        "{}",
        String::from_utf8_lossy(&dau.stderr)
    );
    (
        json_lines(&dau.stdout),
        json_lines(&wide.stdout),
        String::from_utf8_lossy(&dau.stderr).into_owned(),
    )
}

/// Order and detail ids per date in `mock db` (each date its own range).
const ORDER_IDS_PER_DAY: i64 = 10_000_000;
const DETAIL_IDS_PER_DAY: i64 = 100_000_000;

/// `doc` as the recent day would have it: every date in a string moved by
/// `days`, every millisecond time (`ts`, `*_ms`) by as many days, the order
/// and detail ids into the recent date's range, and the age one year more.
fn shifted(doc: &Value, days: i64) -> Value {
    fn walk(key: &str, v: &Value, days: i64) -> Value {
        let per_day = match key {
            "order_id" => Some(ORDER_IDS_PER_DAY),
            "id" | "detail_id" | "_id" => Some(DETAIL_IDS_PER_DAY),
            _ => None,
        };
        match (v, per_day) {
            (Value::String(s), Some(n)) if s.parse::<i64>().is_ok_and(|id| id > n) => {
                return Value::String((s.parse::<i64>().unwrap_or(0) + days * n).to_string())
            }
            (Value::Number(id), Some(n)) if id.as_i64().is_some_and(|id| id > n) => {
                return Value::from(id.as_i64().unwrap_or(0) + days * n)
            }
            _ => {}
        }
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), walk(k, v, days)))
                    .collect(),
            ),
            Value::String(s) => Value::String(shift_dates(s, days)),
            Value::Number(n) if key == "ts" || key.ends_with("_ms") => {
                Value::from(n.as_i64().unwrap() + days * 86_400_000)
            }
            Value::Number(n) if key == "user_age" => Value::from(n.as_i64().unwrap() + 1),
            other => other.clone(),
        }
    }
    walk("", doc, days)
}

/// Moves every `YYYY-MM-DD` in `s` by `days`.
fn shift_dates(s: &str, days: i64) -> String {
    let mut out = String::new();
    let mut rest = s;
    while rest.len() >= 10 {
        let head = rest.get(..10).and_then(|h| h.parse::<Date>().ok());
        if let Some(d) = head {
            out.push_str(&d.checked_add(days.days()).unwrap().to_string());
            rest = &rest[10..];
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out + rest
}

fn by_id(docs: &[Value]) -> BTreeMap<(String, String), Value> {
    docs.iter()
        .map(|d| {
            (
                (
                    d["_index"].as_str().unwrap().to_string(),
                    d["_id"].as_str().unwrap().to_string(),
                ),
                d.clone(),
            )
        })
        .collect()
}

#[test]
fn a_day_replayed_a_year_later_gives_the_live_runs_documents() {
    let root = tempfile::tempdir().unwrap();
    let (recent, old) = days();
    let gap = (recent - old).get_days() as i64;
    assert!(gap >= 30, "the old day is at least 30 days before the run");
    let (dau_live, wide_live, _) = run_day(root.path(), recent, "");
    let (dau_old, wide_old, _) = run_day(root.path(), old, "");
    let dau_devices = dau_live.len();
    assert!(
        dau_devices > 300,
        "most of the 400 devices visit: {dau_devices}"
    );
    assert!(
        wide_live.len() > 120,
        "every order has details: {}",
        wide_live.len()
    );
    for (what, live, replayed) in [
        ("dau", &dau_live, &dau_old),
        ("order-wide", &wide_live, &wide_old),
    ] {
        let replayed: Vec<Value> = replayed.iter().map(|d| shifted(d, gap)).collect();
        let (live, replayed) = (by_id(live), by_id(&replayed));
        assert_eq!(live.len(), replayed.len(), "{what}: as many documents");
        for (id, doc) in &live {
            assert_eq!(Some(doc), replayed.get(id), "{what}: {id:?}");
        }
    }
}

#[test]
fn a_second_replay_warns_and_forget_day_recomputes_it() {
    let root = tempfile::tempdir().unwrap();
    let (_, old) = days();
    let (first, _, _) = run_day(root.path(), old, "");
    let (again, _, stderr) = run_day(root.path(), old, "");
    assert!(
        again.is_empty(),
        "every visit was counted by the first replay"
    );
    assert!(
        stderr.contains(&format!(
            "every visit of {old} in the input was already counted"
        )) && stderr.contains(&format!("--forget-day {old}")),
        "{stderr}"
    );
    let (recomputed, _, stderr) = run_day(root.path(), old, &format!("--forget-day {old}"));
    assert!(stderr.contains(&format!("forgot DAU:{old}")), "{stderr}");
    assert_eq!(
        by_id(&recomputed),
        by_id(&first),
        "the same documents again"
    );
}
