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

/// Lengths of an encoded version: time fields only, or binlog fields too.
const TIMED: usize = 3 * FIELD + 1;
const FULL: usize = 6 * FIELD + 1;

/// Whether `new` is strictly older than `current` (then it must not be
/// written). Both with binlog fields: the whole strings compare (binlog
/// first; equal positions are the same change, whose time is equal too);
/// otherwise the time fields. Equal versions are written again: replays are
/// idempotent. An unreadable stored version never blocks a write. The Lua
/// script compares exactly so, by lengths and suffixes, with no parsing.
pub fn is_older(new: &str, current: &str) -> bool {
    if current.len() != TIMED && current.len() != FULL {
        return false;
    }
    if new.len() == FULL && current.len() == FULL {
        new < current
    } else {
        time_fields(new) < time_fields(current)
    }
}

fn time_fields(v: &str) -> &str {
    v.get(v.len().saturating_sub(3 * FIELD)..).unwrap_or("")
}

/// The same rule in Lua, for Redis, over any number of rows per call: KEYS =
/// row key, version key, … ; ARGV = version, `S` (set) or `D` (delete), row
/// JSON, … . Returns one 1 (written) or 0 (stale) per row. The versions are
/// read with one MGET and the winners written with one MSET (and one DEL):
/// a `redis.call` costs Redis more than the rule itself. Rows are decided in
/// order, so two changes of one row in one call compare with each other.
pub const SCRIPT: &str = r#"
local TIME, TIMED, FULL = 60, 61, 121
local n = #KEYS / 2
local vkeys = {}
for i = 1, n do vkeys[i] = KEYS[2 * i] end
local stored = redis.call('MGET', unpack(vkeys))
local now, last, out = {}, {}, {}
for i = 1, n do
  local row, vkey, version = KEYS[2 * i - 1], KEYS[2 * i], ARGV[3 * i - 2]
  local cur = now[vkey]
  if cur == nil then cur = stored[i] end
  local older = false
  if cur and (#cur == TIMED or #cur == FULL) then
    if #version == FULL and #cur == FULL then
      older = version < cur
    else
      older = string.sub(version, -TIME) < string.sub(cur, -TIME)
    end
  end
  if older then
    out[i] = 0
  else
    out[i] = 1
    now[vkey] = version
    last[row] = i
  end
end
local sets, dels = {}, {}
for i = 1, n do
  local row = KEYS[2 * i - 1]
  if last[row] == i then
    sets[#sets + 1] = KEYS[2 * i]
    sets[#sets + 1] = ARGV[3 * i - 2]
    if ARGV[3 * i - 1] == 'D' then
      dels[#dels + 1] = row
    else
      sets[#sets + 1] = row
      sets[#sets + 1] = ARGV[3 * i]
    end
  end
end
if #sets > 0 then redis.call('MSET', unpack(sets)) end
if #dels > 0 then redis.call('DEL', unpack(dels)) end
return out
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
