//! An independent model of split-log's routing (SPEC §3.2), written over
//! `serde_json::Value`, to check the tool's counts against.

use std::collections::BTreeMap;

use serde_json::Value;

pub const STREAMS: [&str; 6] = [
    "DWD_START_LOG",
    "DWD_PAGE_LOG",
    "DWD_PAGE_DISPLAY",
    "DWD_PAGE_ACTION",
    "DWD_ERROR_LOG",
    "DWD_DIRTY_LOG",
];

/// Expected records per stream for these input lines (blank lines skipped).
pub fn expected_counts(lines: &[String]) -> BTreeMap<&'static str, usize> {
    let mut n: BTreeMap<&'static str, usize> = STREAMS.iter().map(|s| (*s, 0)).collect();
    for line in lines {
        if line.trim().is_empty() {
            continue;
        }
        let Some(v) = valid(line) else {
            *n.get_mut("DWD_DIRTY_LOG").unwrap() += 1;
            continue;
        };
        let is_start = v.get("start").is_some_and(|s| !s.is_null());
        *n.get_mut(if is_start {
            "DWD_START_LOG"
        } else {
            "DWD_PAGE_LOG"
        })
        .unwrap() += 1;
        let len = |k: &str| v.get(k).and_then(Value::as_array).map_or(0, Vec::len);
        *n.get_mut("DWD_PAGE_DISPLAY").unwrap() += len("displays");
        *n.get_mut("DWD_PAGE_ACTION").unwrap() += len("actions");
        if v.get("err").is_some_and(|e| !e.is_null()) {
            *n.get_mut("DWD_ERROR_LOG").unwrap() += 1;
        }
    }
    n
}

/// A valid log: an object with `common.mid` (non-empty string), integer `ts`,
/// and exactly one of `start` / `page`.
fn valid(line: &str) -> Option<Value> {
    let v: Value = serde_json::from_str(line).ok()?;
    let obj = v.as_object()?;
    let mid = obj.get("common")?.as_object()?.get("mid")?;
    if !(mid.as_str().is_some_and(|s| !s.is_empty()) || mid.is_number()) {
        return None;
    }
    obj.get("ts")?.as_i64()?;
    let has = |k: &str| obj.get(k).is_some_and(|x| x.is_object());
    if has("start") == has("page") {
        return None;
    }
    Some(v)
}
