//! Versioned writes: a row is written only when its change is not older than
//! the one already stored, so a late (replayed, reordered, backfilled) change
//! never overwrites a newer one.
//!
//! The version lives beside the row, under `{ROWKEY}:v`, so the row's value
//! stays exactly the JSON readers expect. The braces make it a Redis Cluster
//! hash tag: the version key hashes to the same slot as the row key, so the
//! compare-and-set script may touch both. A delete removes the row and keeps
//! its version (a tombstone), so a stale insert cannot bring the row back.
//!
//! A version is a string `BINLOG|TIME` of fixed-width decimal fields, compared
//! field group by field group like [`crate::model::cdc::Version::cmp_to`]:
//! the binlog groups when both sides have one, else the time groups. Redis
//! (Lua) and the embedded store run the same comparison.

/// Width of each decimal field: u64::MAX has 20 digits.
const FIELD: usize = 20;

/// The key holding `row_key`'s version.
pub fn version_key(row_key: &str) -> String {
    format!("{{{row_key}}}:v")
}

/// Encodes a version. `binlog` = (file sequence, position, row in event).
pub fn encode(binlog: Option<(u64, u64, u64)>, ts_ms: i64, xid: u64, xoffset: u64) -> String {
    let mut s = String::with_capacity(FIELD * 6 + 1);
    if let Some((file, pos, row)) = binlog {
        s.push_str(&format!("{file:020}{pos:020}{row:020}"));
    }
    s.push('|');
    s.push_str(&format!("{:020}{xid:020}{xoffset:020}", ts_ms.max(0)));
    s
}

/// Whether `new` is strictly older than `current` (then it must not be
/// written). Equal versions are written again: replays are idempotent. An
/// unreadable stored version never blocks a write.
pub fn is_older(new: &str, current: &str) -> bool {
    let (Some((nb, nt)), Some((cb, ct))) = (new.split_once('|'), current.split_once('|')) else {
        return false;
    };
    if !nb.is_empty() && !cb.is_empty() {
        nb < cb
    } else {
        nt < ct
    }
}

/// The same rule in Lua, for Redis: KEYS = row key, version key; ARGV =
/// version, `S` (set) or `D` (delete), row JSON. Returns 1 if written, 0 if stale.
pub const SCRIPT: &str = r#"
local cur = redis.call('GET', KEYS[2])
if cur then
  local nb, nt = string.match(ARGV[1], '^(%d*)|(%d+)$')
  local cb, ct = string.match(cur, '^(%d*)|(%d+)$')
  if nb and cb then
    local older
    if nb ~= '' and cb ~= '' then older = nb < cb else older = nt < ct end
    if older then return 0 end
  end
end
redis.call('SET', KEYS[2], ARGV[1])
if ARGV[2] == 'D' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[3]) end
return 1
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binlog_wins_when_both_have_it_else_time() {
        let a = encode(Some((3, 10, 0)), 900, 0, 0);
        let b = encode(Some((3, 20, 0)), 100, 0, 0);
        assert!(is_older(&a, &b), "earlier binlog position, later clock");
        assert!(!is_older(&b, &a));
        let snapshot = encode(None, 500, 0, 0);
        assert!(is_older(&b, &snapshot), "no binlog on one side: by time");
        assert!(!is_older(&a, &snapshot));
        assert!(!is_older(&a, &a), "equal versions are rewritten");
        assert!(is_older(&encode(None, 5, 1, 0), &encode(None, 5, 1, 1)));
        assert!(!is_older(&a, "garbage"));
    }

    #[test]
    fn version_key_shares_the_row_key_hash_slot() {
        assert_eq!(version_key("DIM:USER_INFO:7"), "{DIM:USER_INFO:7}:v");
    }
}
