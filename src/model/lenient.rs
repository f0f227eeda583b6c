//! The JSON reading rule every tool shares (SPEC §3.3): records are read the
//! way the original fastjson pipeline read them, so that a chain of tools
//! never loses what its first tool accepted.
//!
//! - A UTF-8 byte-order mark before a record is dropped (Windows exports).
//! - A lone UTF-16 surrogate escape (`"\ud83d"` with no partner, as
//!   JavaScript clients send) becomes `\ufffd`, U+FFFD, as fastjson and
//!   Jackson read it.
//! - For duplicate keys the last value wins (fastjson's `JSONObject`);
//!   `serde_json::Map` does the same, typed readers fall back to it.
//! - An integral time is accepted in any numeric form ([`integral`]).
//!
//! [`normalise_record`] makes the first two edits in place as a record is
//! read (files, stdin, Kafka), so every tool sees the same bytes.

use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::Value;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Drops a leading BOM and replaces lone surrogate escapes with `\ufffd`,
/// in place (the escape keeps its length). Valid JSON is left as it is.
pub fn normalise_record(buf: &mut Vec<u8>) {
    if buf.starts_with(BOM) {
        buf.drain(..BOM.len());
    }
    replace_lone_surrogates(buf);
}

/// The value of the 4 hex digits at `at`, if there are 4.
fn hex4(buf: &[u8], at: usize) -> Option<u16> {
    let digits = std::str::from_utf8(buf.get(at..at + 4)?).ok()?;
    u16::from_str_radix(digits, 16).ok()
}

/// Whether the backslash at `at` starts an escape (is not itself escaped).
fn is_escape(buf: &[u8], at: usize) -> bool {
    let run = buf[..at].iter().rev().take_while(|&&b| b == b'\\').count();
    run % 2 == 0
}

fn replace_lone_surrogates(buf: &mut [u8]) {
    let finder = memchr::memmem::Finder::new(b"\\u");
    let mut from = 0;
    while let Some(found) = finder.find(&buf[from..]) {
        let at = from + found;
        from = at + 2;
        if !is_escape(buf, at) {
            continue;
        }
        let Some(unit) = hex4(buf, at + 2) else {
            continue;
        };
        let lone = match unit {
            0xD800..=0xDBFF => {
                let next = at + 6;
                let paired = buf.get(next..next + 2) == Some(b"\\u")
                    && matches!(hex4(buf, next + 2), Some(0xDC00..=0xDFFF));
                if paired {
                    from = next + 6;
                }
                !paired
            }
            0xDC00..=0xDFFF => true,
            _ => false,
        };
        if lone {
            buf[at + 2..at + 6].copy_from_slice(b"fffd");
            from = at + 6;
        }
    }
}

/// The record re-encoded with the last value of every duplicate key, for
/// typed readers, which refuse duplicates (`None`: not JSON at all).
pub fn last_wins(record: &[u8]) -> Option<Vec<u8>> {
    let v: Value = serde_json::from_slice(record).ok()?;
    serde_json::to_vec(&v).ok()
}

/// Whether a typed reader's error is a duplicate key ([`last_wins`] helps).
pub fn is_duplicate_key(error: &str) -> bool {
    error.contains("duplicate field")
}

/// An integral number in any JSON form, as fastjson's `getLong` reads a
/// time: `1795312800000`, `1795312800000.0`, `1.7953128E12` or the string
/// `"1795312800000"`. `None` for a fraction, a non-number or a value out of
/// `i64` range: those are not a time.
pub fn integral(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| integral_text(&n.to_string())),
        Value::String(s) => integral_text(s.trim()),
        _ => None,
    }
}

/// [`integral`] of a number's (or numeric string's) text, exactly: no
/// float is involved, so `1795312800000.5` is refused, not rounded.
pub fn integral_text(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    let d = if s.contains(['e', 'E']) {
        Decimal::from_scientific(s).ok()?
    } else {
        Decimal::from_str(s).ok()?
    };
    d.fract().is_zero().then(|| d.to_i64()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalised(s: &str) -> String {
        let mut b = s.as_bytes().to_vec();
        normalise_record(&mut b);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn bom_and_lone_surrogates() {
        assert_eq!(normalised("\u{feff}{\"a\":1}"), "{\"a\":1}");
        assert_eq!(
            normalised(r#"{"item":"\u624b\u673a\ud83d"}"#),
            r#"{"item":"\u624b\u673a\ufffd"}"#
        );
        // A pair stays; a lone low surrogate and a high one before a non-low go.
        assert_eq!(normalised(r#""\ud83d\ude00""#), r#""\ud83d\ude00""#);
        assert_eq!(normalised(r#""\ude00x""#), r#""\ufffdx""#);
        assert_eq!(normalised(r#""\ud83d\u0041""#), r#""\ufffd\u0041""#);
        // An escaped backslash before `u` is text, not an escape.
        assert_eq!(normalised(r#""\\ud83d""#), r#""\\ud83d""#);
        assert_eq!(normalised(r#""\\\ud83d""#), r#""\\\ufffd""#);
        let v: Value = serde_json::from_str(&normalised(r#"{"item":"\u624b\ud83d"}"#)).unwrap();
        assert_eq!(v["item"], "手\u{fffd}");
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let fixed = last_wins(br#"{"a":1,"b":{"c":1,"c":2},"a":3}"#).unwrap();
        let v: Value = serde_json::from_slice(&fixed).unwrap();
        assert_eq!(v, serde_json::json!({"a": 3, "b": {"c": 2}}));
    }

    #[test]
    fn integral_times_in_any_form() {
        for text in [
            "1795312800000",
            "1795312800000.0",
            "1.7953128E12",
            "\"1795312800000\"",
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            assert_eq!(integral(&v), Some(1_795_312_800_000), "{text}");
        }
        for text in ["1795312800000.5", "\"abc\"", "true", "1e30", "null", "\"\""] {
            let v: Value = serde_json::from_str(text).unwrap();
            assert_eq!(integral(&v), None, "{text}");
        }
    }
}
