//! Change data capture records (SPEC §3.3): Maxwell JSON, Canal flat
//! messages and Debezium envelopes, detected per record, normalised to
//! [`Change`] rows `{table, op, data, old, ts_ms, position}`.
//!
//! Canal sends every value as a string; integer and floating-point columns
//! (by its `mysqlType`) become JSON numbers here so the three formats give the
//! same rows. DECIMAL stays a string: a float would change the amount.

use std::cmp::Ordering;

use serde_json::{Map, Value};

/// `--format`: which CDC dialect a record is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Maxwell,
    Canal,
    Debezium,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "maxwell" => Ok(Format::Maxwell),
            "canal" => Ok(Format::Canal),
            "debezium" => Ok(Format::Debezium),
            _ => Err(format!(
                "unknown CDC format `{s}`: use maxwell, canal or debezium"
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Insert,
    Update,
    Delete,
}

impl Op {
    /// `I`, `U` or `D`, as in `DWD_{TABLE}_{I|U|D}`.
    pub fn letter(self) -> &'static str {
        match self {
            Op::Insert => "I",
            Op::Update => "U",
            Op::Delete => "D",
        }
    }
}

/// Where a change sits in the source's history, to tell a stale change from
/// a newer one. Binlog coordinates win when both sides have them; otherwise
/// the change time, then the transaction id and the row's place in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Version {
    /// (binlog file sequence number, position).
    pub binlog: Option<(u64, u64)>,
    pub ts_ms: i64,
    pub xid: u64,
    /// The row's index within its transaction or message.
    pub xoffset: u64,
}

impl Version {
    /// The stored form (see [`crate::state::versioned`]), which orders like [`Version::cmp_to`].
    pub fn encode(&self) -> String {
        crate::state::versioned::encode(
            self.binlog.map(|(file, pos)| (file, pos, self.xoffset)),
            self.ts_ms,
            self.xid,
            self.xoffset,
        )
    }

    pub fn cmp_to(&self, other: &Version) -> Ordering {
        match (self.binlog, other.binlog) {
            (Some(a), Some(b)) => a.cmp(&b).then(self.xoffset.cmp(&other.xoffset)),
            _ => (self.ts_ms, self.xid, self.xoffset).cmp(&(other.ts_ms, other.xid, other.xoffset)),
        }
    }
}

/// One row change.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub table: String,
    pub op: Op,
    /// The row after the change; the deleted row for a delete.
    pub data: Map<String, Value>,
    /// Previous values of changed columns (updates).
    pub old: Option<Map<String, Value>>,
    pub ts_ms: i64,
    /// Primary key column names (`pkNames`, `primary_key_columns`, else `id`).
    pub pk: Vec<String>,
    pub version: Version,
}

/// What one CDC record holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Changes(Vec<Change>),
    /// Maxwell `bootstrap-start` / `bootstrap-complete`.
    Control(String),
    /// Schema changes: skipped and counted.
    Ddl,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CdcError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not a Maxwell, Canal or Debezium record")]
    UnknownFormat,
    #[error("{format}: {what}")]
    Invalid { format: &'static str, what: String },
}

fn invalid(format: &'static str, what: impl Into<String>) -> CdcError {
    CdcError::Invalid {
        format,
        what: what.into(),
    }
}

/// Parses one record, detecting its format unless `forced`.
pub fn parse(payload: &[u8], forced: Option<Format>) -> Result<Record, CdcError> {
    let mut v: Value =
        serde_json::from_slice(payload).map_err(|e| CdcError::NotJson(e.to_string()))?;
    // Debezium with the JSON converter's schemas on: {"schema":…, "payload":…}.
    if v.get("schema").is_some() && v.get("payload").is_some_and(Value::is_object) {
        v = v["payload"].take();
    }
    let Value::Object(obj) = v else {
        return Err(CdcError::UnknownFormat);
    };
    match forced.or_else(|| detect(&obj)) {
        Some(Format::Maxwell) => maxwell(obj),
        Some(Format::Canal) => canal(obj),
        Some(Format::Debezium) => debezium(obj),
        None => Err(CdcError::UnknownFormat),
    }
}

fn detect(obj: &Map<String, Value>) -> Option<Format> {
    if obj.contains_key("op") && (obj.contains_key("after") || obj.contains_key("before")) {
        return Some(Format::Debezium);
    }
    if obj.contains_key("isDdl") || obj.get("data").is_some_and(Value::is_array) {
        return Some(Format::Canal);
    }
    if obj.contains_key("type") && obj.contains_key("table") {
        return Some(Format::Maxwell);
    }
    None
}

fn str_field<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    format: &'static str,
) -> Result<&'a str, CdcError> {
    obj.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(format, format!("no `{key}` string")))
}

/// Takes an object field out of the record (no copy of the row).
fn take_object(obj: &mut Map<String, Value>, key: &str) -> Option<Map<String, Value>> {
    match obj.remove(key) {
        Some(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn names(v: Option<&Value>) -> Option<Vec<String>> {
    let names: Vec<String> = v?
        .as_array()?
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    (!names.is_empty()).then_some(names)
}

fn default_pk() -> Vec<String> {
    vec!["id".to_string()]
}

/// `mysql-bin.000042` and a position → (42, position).
fn binlog(file: &str, pos: u64) -> Option<(u64, u64)> {
    let seq = file.rsplit('.').next()?.parse().ok()?;
    Some((seq, pos))
}

fn maxwell(mut obj: Map<String, Value>) -> Result<Record, CdcError> {
    const F: &str = "maxwell";
    let kind = str_field(&obj, "type", F)?;
    let op = match kind {
        "insert" | "bootstrap-insert" => Op::Insert,
        "update" => Op::Update,
        "delete" => Op::Delete,
        "bootstrap-start" | "bootstrap-complete" => return Ok(Record::Control(kind.to_string())),
        k if k.starts_with("table-") || k.starts_with("database-") || k == "ddl" => {
            return Ok(Record::Ddl)
        }
        other => return Err(invalid(F, format!("unknown type `{other}`"))),
    };
    let table = str_field(&obj, "table", F)?.to_string();
    let data = take_object(&mut obj, "data").ok_or_else(|| invalid(F, "no `data` object"))?;
    let old = take_object(&mut obj, "old");
    let ts_ms = obj
        .get("ts")
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid(F, "no `ts` (seconds)"))?
        .saturating_mul(1000);
    let position = obj.get("position").and_then(Value::as_str).and_then(|p| {
        let (file, pos) = p.split_once(':')?;
        binlog(file, pos.parse().ok()?)
    });
    let version = Version {
        binlog: position,
        ts_ms,
        xid: obj.get("xid").and_then(Value::as_u64).unwrap_or(0),
        xoffset: obj.get("xoffset").and_then(Value::as_u64).unwrap_or(0),
    };
    Ok(Record::Changes(vec![Change {
        table,
        op,
        data,
        old,
        ts_ms,
        pk: names(obj.get("primary_key_columns")).unwrap_or_else(default_pk),
        version,
    }]))
}

/// A Canal string value as the JSON type its MySQL column type implies.
fn canal_value(v: &Value, mysql_type: Option<&str>) -> Value {
    let (Some(text), Some(t)) = (v.as_str(), mysql_type) else {
        return v.clone();
    };
    let t = t.to_ascii_lowercase();
    let base = t.split(['(', ' ']).next().unwrap_or("");
    match base {
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .unwrap_or_else(|_| v.clone()),
        "float" | "double" | "real" => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| v.clone()),
        _ => v.clone(),
    }
}

fn canal(obj: Map<String, Value>) -> Result<Record, CdcError> {
    const F: &str = "canal";
    if obj.get("isDdl").and_then(Value::as_bool) == Some(true) {
        return Ok(Record::Ddl);
    }
    let op = match str_field(&obj, "type", F)? {
        "INSERT" => Op::Insert,
        "UPDATE" => Op::Update,
        "DELETE" => Op::Delete,
        other => return Err(invalid(F, format!("unknown type `{other}`"))),
    };
    let table = str_field(&obj, "table", F)?.to_string();
    let rows = obj
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid(F, "no `data` array"))?;
    let olds = obj.get("old").and_then(Value::as_array);
    let types = obj.get("mysqlType").and_then(Value::as_object);
    let typed = |row: &Map<String, Value>| -> Map<String, Value> {
        row.iter()
            .map(|(k, v)| {
                let t = types.and_then(|t| t.get(k)).and_then(Value::as_str);
                (k.clone(), canal_value(v, t))
            })
            .collect()
    };
    // `es`: when the change happened in MySQL; `ts`: when Canal sent it.
    let ts_ms = obj
        .get("es")
        .or_else(|| obj.get("ts"))
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid(F, "no `es`/`ts` (milliseconds)"))?;
    let pk = names(obj.get("pkNames")).unwrap_or_else(default_pk);
    let xid = obj.get("id").and_then(Value::as_u64).unwrap_or(0);
    let mut changes = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let row = row
            .as_object()
            .ok_or_else(|| invalid(F, format!("data[{i}] is not an object")))?;
        changes.push(Change {
            table: table.clone(),
            op,
            data: typed(row),
            old: olds
                .and_then(|o| o.get(i))
                .and_then(Value::as_object)
                .map(&typed),
            ts_ms,
            pk: pk.clone(),
            version: Version {
                binlog: None,
                ts_ms,
                xid,
                xoffset: i as u64,
            },
        });
    }
    Ok(Record::Changes(changes))
}

fn debezium(mut obj: Map<String, Value>) -> Result<Record, CdcError> {
    const F: &str = "debezium";
    let before = take_object(&mut obj, "before");
    let after = take_object(&mut obj, "after");
    let source = obj
        .get("source")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid(F, "no `source` object"))?;
    let table = str_field(source, "table", F)?.to_string();
    let (op, data, old) = match str_field(&obj, "op", F)? {
        "c" | "r" => (Op::Insert, after, None),
        "u" => (Op::Update, after, before),
        "d" => (Op::Delete, before, None),
        other => return Err(invalid(F, format!("unknown op `{other}`"))),
    };
    let data = data.ok_or_else(|| invalid(F, "no row (`after` / `before`)"))?;
    let ts_ms = source
        .get("ts_ms")
        .or_else(|| obj.get("ts_ms"))
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid(F, "no `ts_ms`"))?;
    let position = match (
        source.get("file").and_then(Value::as_str),
        source.get("pos").and_then(Value::as_u64),
    ) {
        (Some(file), Some(pos)) => binlog(file, pos),
        _ => None,
    };
    Ok(Record::Changes(vec![Change {
        table,
        op,
        data,
        old,
        ts_ms,
        pk: default_pk(),
        version: Version {
            binlog: position,
            ts_ms,
            xid: 0,
            xoffset: source.get("row").and_then(Value::as_u64).unwrap_or(0),
        },
    }]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> Change {
        match parse(text.as_bytes(), None).unwrap() {
            Record::Changes(mut c) => {
                assert_eq!(c.len(), 1);
                c.remove(0)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn maxwell_rows_controls_and_ddl() {
        let c = one(
            r#"{"database":"gmall","table":"user_info","type":"update","ts":1795312800,"xid":7,"xoffset":1,"position":"mysql-bin.000003:1234","data":{"id":5,"name":"a"},"old":{"name":"b"}}"#,
        );
        assert_eq!(
            (c.table.as_str(), c.op, c.ts_ms),
            ("user_info", Op::Update, 1_795_312_800_000)
        );
        assert_eq!(c.old, json!({"name": "b"}).as_object().cloned());
        assert_eq!(c.version.binlog, Some((3, 1234)));
        assert_eq!(c.pk, vec!["id"]);
        let b = one(
            r#"{"database":"gmall","table":"sku_info","type":"bootstrap-insert","ts":1,"data":{"id":1},"primary_key_columns":["sku_id"]}"#,
        );
        assert_eq!((b.op, b.pk), (Op::Insert, vec!["sku_id".to_string()]));
        let ctl = parse(
            br#"{"database":"gmall","table":"sku_info","type":"bootstrap-start","ts":1,"data":{}}"#,
            None,
        );
        assert_eq!(ctl, Ok(Record::Control("bootstrap-start".into())));
        let ddl = parse(br#"{"type":"table-alter","database":"gmall","table":"t","ts":1,"sql":"alter table t"}"#, None);
        assert_eq!(ddl, Ok(Record::Ddl));
    }

    #[test]
    fn canal_rows_are_typed_and_split() {
        let text = r#"{"data":[{"id":"1","amount":"12.30","num":"3","ratio":"0.5","name":null},{"id":"2","amount":"1.00","num":"4","ratio":"1","name":"x"}],"database":"gmall","es":1795312800000,"id":9,"isDdl":false,"mysqlType":{"id":"bigint(20)","amount":"decimal(16,2)","num":"int","ratio":"double","name":"varchar(20)"},"old":[{"num":"2"},null],"pkNames":["id"],"table":"order_info","ts":1795312800100,"type":"UPDATE"}"#;
        let Ok(Record::Changes(rows)) = parse(text.as_bytes(), None) else {
            panic!()
        };
        assert_eq!(rows.len(), 2);
        assert_eq!(
            Value::Object(rows[0].data.clone()),
            json!({"id": 1, "amount": "12.30", "num": 3, "ratio": 0.5, "name": null})
        );
        assert_eq!(rows[0].old, json!({"num": 2}).as_object().cloned());
        assert_eq!(rows[1].old, None);
        assert_eq!(rows[1].version.cmp_to(&rows[0].version), Ordering::Greater);
        assert_eq!(
            parse(
                br#"{"isDdl":true,"type":"ALTER","table":"t","sql":"x"}"#,
                None
            ),
            Ok(Record::Ddl)
        );
    }

    #[test]
    fn debezium_ops_and_schema_envelope() {
        let text = r#"{"schema":{},"payload":{"before":{"id":4,"name":"old"},"after":null,"source":{"table":"base_province","file":"mysql-bin.000010","pos":99,"row":0,"ts_ms":1795312800000},"op":"d","ts_ms":1795312800500}}"#;
        let c = one(text);
        assert_eq!((c.op, c.table.as_str()), (Op::Delete, "base_province"));
        assert_eq!(
            c.data,
            json!({"id": 4, "name": "old"})
                .as_object()
                .cloned()
                .unwrap()
        );
        assert_eq!(c.version.binlog, Some((10, 99)));
        let r =
            one(r#"{"before":null,"after":{"id":1},"source":{"table":"t","ts_ms":5},"op":"r"}"#);
        assert_eq!(r.op, Op::Insert);
    }

    #[test]
    fn bad_records_say_why() {
        assert!(matches!(
            parse(b"not json", None),
            Err(CdcError::NotJson(_))
        ));
        assert_eq!(parse(br#"{"a":1}"#, None), Err(CdcError::UnknownFormat));
        let e = parse(br#"{"table":"t","type":"insert","ts":1}"#, None).unwrap_err();
        assert_eq!(e.to_string(), "maxwell: no `data` object");
        let forced = parse(
            br#"{"table":"t","type":"insert","ts":1,"data":{}}"#,
            Some(Format::Canal),
        );
        assert!(forced.is_err(), "a Maxwell record read as Canal is invalid");
    }

    #[test]
    fn binlog_position_beats_time_and_time_orders_without_it() {
        let at = |binlog, ts_ms| Version {
            binlog,
            ts_ms,
            xid: 0,
            xoffset: 0,
        };
        // An older binlog position with a later clock is still older.
        assert_eq!(
            at(Some((3, 10)), 900).cmp_to(&at(Some((3, 20)), 100)),
            Ordering::Less
        );
        assert_eq!(
            at(Some((4, 1)), 0).cmp_to(&at(Some((3, 99)), 0)),
            Ordering::Greater
        );
        assert_eq!(
            at(None, 200).cmp_to(&at(Some((3, 20)), 100)),
            Ordering::Greater
        );
    }
}
