//! The user-behaviour log (SPEC §3.1) and its flattening into the DWD
//! streams (§3.2). Parsed into borrowed structs whose leaves are raw JSON
//! slices, so each value is copied to the output as it was written, with no
//! intermediate tree and no re-encoding.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::json::{put_i64, put_raw, scalar_text};

type Raw<'a> = Option<&'a RawValue>;

#[derive(Deserialize)]
pub struct OdsLog<'a> {
    #[serde(borrow)]
    pub common: Option<Common<'a>>,
    #[serde(borrow)]
    pub start: Option<Start<'a>>,
    #[serde(borrow)]
    pub page: Option<Page<'a>>,
    #[serde(borrow)]
    pub displays: Option<Vec<Display<'a>>>,
    #[serde(borrow)]
    pub actions: Option<Vec<Action<'a>>>,
    #[serde(borrow)]
    pub err: Raw<'a>,
    /// Epoch ms in any integral form ([`crate::model::lenient::integral`]).
    #[serde(borrow)]
    pub ts: Raw<'a>,
}

#[derive(Deserialize)]
pub struct Common<'a> {
    #[serde(borrow)]
    pub ar: Raw<'a>,
    #[serde(borrow)]
    pub ba: Raw<'a>,
    #[serde(borrow)]
    pub ch: Raw<'a>,
    #[serde(borrow)]
    pub is_new: Raw<'a>,
    #[serde(borrow)]
    pub md: Raw<'a>,
    #[serde(borrow)]
    pub mid: Raw<'a>,
    #[serde(borrow)]
    pub os: Raw<'a>,
    #[serde(borrow)]
    pub uid: Raw<'a>,
    #[serde(borrow)]
    pub vc: Raw<'a>,
}

#[derive(Deserialize)]
pub struct Start<'a> {
    #[serde(borrow)]
    pub entry: Raw<'a>,
    #[serde(borrow)]
    pub loading_time: Raw<'a>,
    #[serde(borrow)]
    pub open_ad_id: Raw<'a>,
    #[serde(borrow)]
    pub open_ad_ms: Raw<'a>,
    #[serde(borrow)]
    pub open_ad_skip_ms: Raw<'a>,
}

#[derive(Deserialize)]
pub struct Page<'a> {
    #[serde(borrow)]
    pub page_id: Raw<'a>,
    #[serde(borrow)]
    pub last_page_id: Raw<'a>,
    #[serde(borrow)]
    pub item: Raw<'a>,
    #[serde(borrow)]
    pub item_type: Raw<'a>,
    #[serde(borrow)]
    pub during_time: Raw<'a>,
    #[serde(borrow)]
    pub source_type: Raw<'a>,
}

#[derive(Deserialize)]
pub struct Display<'a> {
    #[serde(borrow)]
    pub display_type: Raw<'a>,
    #[serde(borrow)]
    pub item: Raw<'a>,
    #[serde(borrow)]
    pub item_type: Raw<'a>,
    #[serde(borrow)]
    pub order: Raw<'a>,
    #[serde(borrow)]
    pub pos_id: Raw<'a>,
}

#[derive(Deserialize)]
pub struct Action<'a> {
    #[serde(borrow)]
    pub action_id: Raw<'a>,
    #[serde(borrow)]
    pub item: Raw<'a>,
    #[serde(borrow)]
    pub item_type: Raw<'a>,
    #[serde(borrow)]
    pub ts: Raw<'a>,
}

/// What kind of log a valid line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    Start,
    Page,
}

/// A log that passed validation, with its Kafka key.
pub struct ValidLog<'a> {
    pub log: OdsLog<'a>,
    pub kind: LogKind,
    pub mid: std::borrow::Cow<'a, str>,
    pub ts: i64,
}

/// Parses and validates one line; the error says why it is dirty.
pub fn parse(line: &[u8]) -> Result<ValidLog<'_>, String> {
    let text = std::str::from_utf8(line).map_err(|e| format!("not valid UTF-8: {e}"))?;
    // A struct also deserialises from a JSON array; a log must be an object.
    if !text.trim_start().starts_with('{') {
        return Err("not a JSON object".into());
    }
    let log: OdsLog = serde_json::from_str(text).map_err(|e| format!("invalid log JSON: {e}"))?;
    let common = log.common.as_ref().ok_or("no `common` object")?;
    let mid = common.mid.ok_or("no `common.mid`")?;
    let mid = scalar_text(mid).ok_or("`common.mid` is not a string")?;
    if mid.is_empty() {
        return Err("`common.mid` is empty".into());
    }
    let ts = log.ts.ok_or("no `ts`")?;
    let ts = scalar_text(ts)
        .and_then(|t| crate::model::lenient::integral_text(&t))
        .ok_or_else(|| {
            format!(
                "`ts` {} is not an integral time in epoch milliseconds",
                ts.get()
            )
        })?;
    let kind = match (&log.start, &log.page) {
        (Some(_), None) => LogKind::Start,
        (None, Some(_)) => LogKind::Page,
        (Some(_), Some(_)) => {
            return Err("both `start` and `page`: a log is one or the other".into())
        }
        (None, None) => {
            return Err("neither a start log nor a page log (no `start`, no `page`)".into())
        }
    };
    Ok(ValidLog { log, kind, mid, ts })
}

/// Writes the head every flattened record of one log starts with: `{`, the
/// renamed common fields and, for page logs, the page fields. Display and
/// action records repeat it, so the caller writes it once and copies it.
pub fn write_head(out: &mut Vec<u8>, c: &Common<'_>, p: Option<&Page<'_>>) {
    put_raw(out, b"{\"mid\":", c.mid);
    put_raw(out, b",\"user_id\":", c.uid);
    put_raw(out, b",\"province_id\":", c.ar);
    put_raw(out, b",\"channel\":", c.ch);
    put_raw(out, b",\"is_new\":", c.is_new);
    put_raw(out, b",\"model\":", c.md);
    put_raw(out, b",\"operate_system\":", c.os);
    put_raw(out, b",\"version_code\":", c.vc);
    put_raw(out, b",\"brand\":", c.ba);
    if p.is_some() {
        write_page_fields(out, p);
    }
}

/// The page fields, part of the head of page, display and action records.
pub fn write_page_fields(out: &mut Vec<u8>, p: Option<&Page<'_>>) {
    put_raw(out, b",\"page_id\":", p.and_then(|p| p.page_id));
    put_raw(out, b",\"last_page_id\":", p.and_then(|p| p.last_page_id));
    put_raw(out, b",\"page_item\":", p.and_then(|p| p.item));
    put_raw(out, b",\"page_item_type\":", p.and_then(|p| p.item_type));
    put_raw(out, b",\"during_time\":", p.and_then(|p| p.during_time));
    put_raw(out, b",\"source_type\":", p.and_then(|p| p.source_type));
}

/// Ends a record with its `ts`.
#[inline]
pub fn close_with_ts(out: &mut Vec<u8>, ts: i64) {
    put_i64(out, b",\"ts\":", ts);
    out.push(b'}');
}

/// After the common head: the rest of a `DWD_START_LOG` record.
pub fn write_start_tail(out: &mut Vec<u8>, s: &Start<'_>, ts: i64) {
    put_raw(out, b",\"entry\":", s.entry);
    put_raw(out, b",\"open_ad_id\":", s.open_ad_id);
    put_raw(out, b",\"loading_time_ms\":", s.loading_time);
    put_raw(out, b",\"open_ad_ms\":", s.open_ad_ms);
    put_raw(out, b",\"open_ad_skip_ms\":", s.open_ad_skip_ms);
    close_with_ts(out, ts);
}

/// After the page head: the rest of one `DWD_PAGE_DISPLAY` record.
pub fn write_display_tail(out: &mut Vec<u8>, d: &Display<'_>, ts: i64) {
    put_raw(out, b",\"display_type\":", d.display_type);
    put_raw(out, b",\"display_item\":", d.item);
    put_raw(out, b",\"display_item_type\":", d.item_type);
    put_raw(out, b",\"display_order\":", d.order);
    put_raw(out, b",\"display_pos_id\":", d.pos_id);
    close_with_ts(out, ts);
}

/// After the page head: the rest of one `DWD_PAGE_ACTION` record; `ts` is the
/// page's, `action_ts` the action's own.
pub fn write_action_tail(out: &mut Vec<u8>, a: &Action<'_>, ts: i64) {
    put_raw(out, b",\"action_id\":", a.action_id);
    put_raw(out, b",\"action_item\":", a.item);
    put_raw(out, b",\"action_item_type\":", a.item_type);
    // An integral time in any form is written as an integer, as `ts` is.
    match a
        .ts
        .and_then(scalar_text)
        .and_then(|t| crate::model::lenient::integral_text(&t))
    {
        Some(at) => put_i64(out, b",\"action_ts\":", at),
        None => put_raw(out, b",\"action_ts\":", a.ts),
    }
    close_with_ts(out, ts);
}

/// Field names of each flattened stream, in output order (SPEC §3.2).
pub mod fields {
    pub const COMMON: [&str; 9] = [
        "mid",
        "user_id",
        "province_id",
        "channel",
        "is_new",
        "model",
        "operate_system",
        "version_code",
        "brand",
    ];
    pub const START: [&str; 6] = [
        "entry",
        "open_ad_id",
        "loading_time_ms",
        "open_ad_ms",
        "open_ad_skip_ms",
        "ts",
    ];
    pub const PAGE: [&str; 6] = [
        "page_id",
        "last_page_id",
        "page_item",
        "page_item_type",
        "during_time",
        "source_type",
    ];
    pub const DISPLAY: [&str; 5] = [
        "display_type",
        "display_item",
        "display_item_type",
        "display_order",
        "display_pos_id",
    ];
    pub const ACTION: [&str; 4] = ["action_id", "action_item", "action_item_type", "action_ts"];
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_LOG: &str = r#"{"common":{"ar":"110000","ba":"Xiaomi","ch":"xiaomi","is_new":"1","md":"Xiaomi 10 Pro","mid":"mid_42","os":"Android 11.0","uid":"318","vc":"v2.1.134"},"page":{"page_id":"good_detail","last_page_id":"home","item":"17","item_type":"sku_id","during_time":8123,"source_type":"promotion"},"displays":[{"display_type":"promotion","item":"3","item_type":"sku_id","order":1,"pos_id":2}],"actions":[{"action_id":"favor_add","item":"17","item_type":"sku_id","ts":1700000003000}],"ts":1700000000000}"#;

    #[test]
    fn page_log_flattens_with_renamed_common_fields() {
        let v = parse(PAGE_LOG.as_bytes()).unwrap();
        assert_eq!(v.kind, LogKind::Page);
        assert_eq!(v.mid, "mid_42");
        let c = v.log.common.as_ref().unwrap();
        let mut out = Vec::new();
        write_head(&mut out, c, v.log.page.as_ref());
        close_with_ts(&mut out, v.ts);
        let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(j["user_id"], "318");
        assert_eq!(j["province_id"], "110000");
        assert_eq!(j["page_item"], "17");
        assert_eq!(j["during_time"], 8123);
        assert_eq!(j["ts"], 1700000000000i64);

        out.clear();
        write_head(&mut out, c, v.log.page.as_ref());
        write_action_tail(&mut out, &v.log.actions.as_ref().unwrap()[0], v.ts);
        let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(j["action_ts"], 1700000003000i64);
        assert_eq!(j["ts"], 1700000000000i64);
        assert_eq!(j["page_id"], "good_detail");
    }

    fn why(line: &[u8]) -> String {
        match parse(line) {
            Err(e) => e,
            Ok(_) => panic!("{} should be dirty", String::from_utf8_lossy(line)),
        }
    }

    #[test]
    fn dirty_reasons_are_specific() {
        assert!(why(b"[1,2]").contains("not a JSON object"));
        assert!(why(b"{\"ts\":1}").contains("common"));
        assert!(why(br#"{"common":{"mid":"m"},"ts":1}"#).contains("neither"));
        assert!(why(br#"{"common":{"mid":"m"},"page":{}}"#).contains("ts"));
        assert!(why(br#"{"common":{"mid":{}},"page":{},"ts":1}"#).contains("mid"));
        assert!(why(b"{\"common\":{\"mid\":\"\xff\"}}").contains("UTF-8"));
        assert!(why(br#"{"common":{"mid":"m"},"page":{},"ts":"x"}"#).contains("integral time"));
    }

    #[test]
    fn escaped_mid_is_unescaped_for_the_key() {
        let v = parse(br#"{"common":{"mid":"a\"b"},"start":{},"ts":5}"#).unwrap();
        assert_eq!(v.mid, "a\"b");
        assert_eq!(v.kind, LogKind::Start);
    }
}
