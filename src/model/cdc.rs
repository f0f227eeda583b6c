//! Change data capture records (SPEC §3.3): Maxwell JSON, Canal flat
//! messages and Debezium envelopes, detected per record, normalised to
//! [`Change`] rows `{table, op, data, old, ts_ms, position}`.
//!
//! Canal sends every value as a string; integer and floating-point columns
//! (by its `mysqlType`) become JSON numbers here so the three formats give the
//! same rows. DECIMAL stays a string: a float would change the amount.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::debezium_types;
use super::lenient::integral;

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
    /// Markers that carry no row: Maxwell `bootstrap-start` /
    /// `bootstrap-complete` / `heartbeat`, Debezium heartbeats and
    /// logical-decoding messages (`op: m`).
    Control(String),
    /// Schema changes (Maxwell `table-*`/`database-*`, Canal `isDdl` or a
    /// DDL `type`, Debezium schema-change events): skipped and counted.
    Ddl,
    /// A Kafka tombstone (Debezium writes one after every delete): an empty
    /// or `null` value, or `{"schema":null,"payload":null}`.
    Tombstone,
    /// `TRUNCATE TABLE` (Canal `TRUNCATE`, Debezium `op: t`).
    Truncate {
        table: String,
        version: Version,
    },
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

/// Parses one record, detecting its format unless `forced`. `tz` is the
/// business zone, in which a Debezium `ZonedTimestamp` (a TIMESTAMP
/// column's instant) is shown.
pub fn parse(
    payload: &[u8],
    forced: Option<Format>,
    tz: &jiff::tz::TimeZone,
) -> Result<Record, CdcError> {
    if payload.trim_ascii().is_empty() {
        return Ok(Record::Tombstone);
    }
    let mut v: Value =
        serde_json::from_slice(payload).map_err(|e| CdcError::NotJson(e.to_string()))?;
    // Debezium with the JSON converter's schemas on: {"schema":…, "payload":…}.
    let mut schema = None;
    if let Some(obj) = v.as_object_mut() {
        if obj.contains_key("schema") && obj.contains_key("payload") && obj.len() == 2 {
            schema = obj.remove("schema");
            v = obj.remove("payload").unwrap_or(Value::Null);
        }
    }
    let obj = match v {
        Value::Null => return Ok(Record::Tombstone),
        Value::Object(obj) => obj,
        _ => return Err(CdcError::UnknownFormat),
    };
    match forced.or_else(|| detect(&obj)) {
        Some(Format::Maxwell) => maxwell(obj),
        Some(Format::Canal) => canal(obj),
        Some(Format::Debezium) => debezium(obj, schema.as_ref(), tz),
        None => Err(CdcError::UnknownFormat),
    }
}

fn detect(obj: &Map<String, Value>) -> Option<Format> {
    let debezium_event = (obj.contains_key("op")
        && (obj.contains_key("after") || obj.contains_key("before") || obj.contains_key("source")))
        // Schema-change events, and heartbeats (`{"ts_ms": …}` alone).
        || (obj.contains_key("ddl") && obj.contains_key("tableChanges"))
        || (obj.len() == 1 && obj.contains_key("ts_ms"));
    if debezium_event {
        return Some(Format::Debezium);
    }
    if obj.contains_key("isDdl") || obj.get("data").is_some_and(Value::is_array) {
        return Some(Format::Canal);
    }
    // Maxwell: `database-*` records have no `table`.
    if obj.contains_key("type") && (obj.contains_key("table") || obj.contains_key("database")) {
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

/// Maxwell's `output_primary_keys` gives the key's values without its
/// column names (those come with `output_primary_key_columns`): the
/// columns are found by value, `id` first. `None` when a value matches no
/// column.
fn pk_by_values(values: Option<&Value>, data: &Map<String, Value>) -> Option<Vec<String>> {
    let values = values?.as_array().filter(|v| !v.is_empty())?;
    let mut names: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let id_first = data.get_key_value("id").into_iter().chain(data.iter());
        let (name, _) = id_first
            .filter(|(name, _)| !names.contains(name))
            .find(|(_, value)| *value == v)?;
        names.push(name.clone());
    }
    Some(names)
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
        "bootstrap-start" | "bootstrap-complete" | "heartbeat" => {
            return Ok(Record::Control(kind.to_string()))
        }
        k if k.starts_with("table-") || k.starts_with("database-") || k == "ddl" => {
            return Ok(Record::Ddl)
        }
        other => return Err(invalid(F, format!("unknown type `{other}`"))),
    };
    let table = str_field(&obj, "table", F)?.to_string();
    let data = take_object(&mut obj, "data").ok_or_else(|| invalid(F, "no `data` object"))?;
    let pk = names(obj.get("primary_key_columns"))
        .or_else(|| pk_by_values(obj.get("primary_key"), &data))
        .unwrap_or_else(default_pk);
    let old = take_object(&mut obj, "old");
    let ts_ms = obj
        .get("ts")
        .and_then(integral)
        .ok_or_else(|| invalid(F, "`ts` is missing or not whole seconds since the epoch"))?
        .saturating_mul(1000);
    let position = obj.get("position").and_then(Value::as_str).and_then(|p| {
        let (file, pos) = p.split_once(':')?;
        binlog(file, pos.parse().ok()?)
    });
    let version = Version {
        binlog: position,
        ts_ms,
        xid: obj.get("xid").and_then(Value::as_u64).unwrap_or(0),
        // Maxwell writes `xoffset` on every row of a transaction but the
        // last, which carries `commit: true` instead: that one is the latest.
        xoffset: obj.get("xoffset").and_then(Value::as_u64).unwrap_or(
            if obj.get("commit").and_then(Value::as_bool) == Some(true) {
                u64::MAX
            } else {
                0
            },
        ),
    };
    Ok(Record::Changes(vec![Change {
        table,
        op,
        data,
        old,
        ts_ms,
        pk,
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
        // Numbers with the exact text MySQL gave: a DECIMAL keeps its scale
        // (`30.30`), as Maxwell writes it.
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" | "float"
        | "double" | "real" | "decimal" | "numeric" => {
            serde_json::from_str::<serde_json::Number>(text.trim())
                .map(Value::Number)
                .unwrap_or_else(|_| v.clone())
        }
        _ => v.clone(),
    }
}

fn canal(obj: Map<String, Value>) -> Result<Record, CdcError> {
    const F: &str = "canal";
    // `es`: when the change happened in MySQL; `ts`: when Canal sent it.
    let ts_ms = || {
        obj.get("es")
            .or_else(|| obj.get("ts"))
            .and_then(integral)
            .ok_or_else(|| invalid(F, "no `es`/`ts` (milliseconds)"))
    };
    let kind = str_field(&obj, "type", F)?;
    // `isDdl` is true, false or (older Canal) null: the type decides.
    let op = match kind {
        "INSERT" => Op::Insert,
        "UPDATE" => Op::Update,
        "DELETE" => Op::Delete,
        "TRUNCATE" => {
            let ts_ms = ts_ms()?;
            return Ok(Record::Truncate {
                table: str_field(&obj, "table", F)?.to_string(),
                version: Version {
                    binlog: None,
                    ts_ms,
                    xid: obj.get("id").and_then(Value::as_u64).unwrap_or(0),
                    xoffset: 0,
                },
            });
        }
        "CREATE" | "ALTER" | "ERASE" | "RENAME" | "CINDEX" | "DINDEX" | "QUERY" => {
            return Ok(Record::Ddl)
        }
        _ if obj.get("isDdl").and_then(Value::as_bool) == Some(true) => return Ok(Record::Ddl),
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
    let ts_ms = ts_ms()?;
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
            // Canal gives every message of a fetch batch one `id`, and `es`
            // has whole seconds: rows of one version are ordered by where
            // they stand in the input (an equal version is written again),
            // not by their index in the message.
            version: Version {
                binlog: None,
                ts_ms,
                xid,
                xoffset: 0,
            },
        });
    }
    Ok(Record::Changes(changes))
}

fn debezium(
    mut obj: Map<String, Value>,
    schema: Option<&Value>,
    tz: &jiff::tz::TimeZone,
) -> Result<Record, CdcError> {
    const F: &str = "debezium";
    if obj.contains_key("ddl") && obj.contains_key("tableChanges") {
        return Ok(Record::Ddl);
    }
    if !obj.contains_key("op") {
        return Ok(Record::Control("heartbeat".into()));
    }
    let mut before = take_object(&mut obj, "before");
    let mut after = take_object(&mut obj, "after");
    let types = schema.map(debezium_types::column_types);
    for row in [before.as_mut(), after.as_mut()].into_iter().flatten() {
        match &types {
            Some(types) => debezium_types::decode_row(row, types, tz),
            None => debezium_types::by_column_name(row, tz),
        }
        .map_err(|e| invalid(F, e))?;
    }
    let source = obj
        .get("source")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid(F, "no `source` object"))?;
    let op_code = str_field(&obj, "op", F)?;
    match op_code {
        "m" => return Ok(Record::Control("message".into())),
        "c" | "r" | "u" | "d" | "t" => {}
        other => return Err(invalid(F, format!("unknown op `{other}`"))),
    }
    let table = str_field(source, "table", F)?.to_string();
    let ts_ms = source
        .get("ts_ms")
        .or_else(|| obj.get("ts_ms"))
        .and_then(integral)
        .ok_or_else(|| invalid(F, "no `ts_ms`"))?;
    let position = match (
        source.get("file").and_then(Value::as_str),
        source.get("pos").and_then(Value::as_u64),
    ) {
        (Some(file), Some(pos)) => binlog(file, pos),
        _ => None,
    };
    let version = Version {
        binlog: position,
        ts_ms,
        xid: 0,
        xoffset: source.get("row").and_then(Value::as_u64).unwrap_or(0),
    };
    let (op, data, old) = match op_code {
        "c" | "r" => (Op::Insert, after, None),
        "u" => (Op::Update, after, before),
        "d" => (Op::Delete, before, None),
        _ => return Ok(Record::Truncate { table, version }),
    };
    let data = data.ok_or_else(|| invalid(F, "no row (`after` / `before`)"))?;
    Ok(Record::Changes(vec![Change {
        table,
        op,
        data,
        old,
        ts_ms,
        pk: default_pk(),
        version,
    }]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> Change {
        match parse(text.as_bytes(), None, &jiff::tz::TimeZone::UTC).unwrap() {
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
            &jiff::tz::TimeZone::UTC,
        );
        assert_eq!(ctl, Ok(Record::Control("bootstrap-start".into())));
        let ddl = parse(br#"{"type":"table-alter","database":"gmall","table":"t","ts":1,"sql":"alter table t"}"#, None, &jiff::tz::TimeZone::UTC);
        assert_eq!(ddl, Ok(Record::Ddl));
    }

    #[test]
    fn maxwell_primary_key_values_find_their_columns() {
        let c = one(
            r#"{"database":"gmall","table":"sku_stock","type":"insert","ts":1,"primary_key":[42],"data":{"id":null,"sku_id":42,"n":3}}"#,
        );
        assert_eq!(c.pk, ["sku_id"]);
        let c = one(
            r#"{"database":"gmall","table":"t","type":"insert","ts":1,"primary_key":[5,10],"data":{"id":77,"a":5,"b":10}}"#,
        );
        assert_eq!(c.pk, ["a", "b"]);
        let c = one(
            r#"{"database":"gmall","table":"t","type":"insert","ts":1,"primary_key":[5],"data":{"id":5,"a":5}}"#,
        );
        assert_eq!(c.pk, ["id"]);
    }

    #[test]
    fn canal_rows_are_typed_and_split() {
        let text = r#"{"data":[{"id":"1","amount":"12.30","num":"3","ratio":"0.5","name":null},{"id":"2","amount":"1.00","num":"4","ratio":"1","name":"x"}],"database":"gmall","es":1795312800000,"id":9,"isDdl":false,"mysqlType":{"id":"bigint(20)","amount":"decimal(16,2)","num":"int","ratio":"double","name":"varchar(20)"},"old":[{"num":"2"},null],"pkNames":["id"],"table":"order_info","ts":1795312800100,"type":"UPDATE"}"#;
        let Ok(Record::Changes(rows)) = parse(text.as_bytes(), None, &jiff::tz::TimeZone::UTC)
        else {
            panic!()
        };
        assert_eq!(rows.len(), 2);
        assert_eq!(
            Value::Object(rows[0].data.clone()),
            serde_json::from_str::<Value>(
                r#"{"id": 1, "amount": 12.30, "num": 3, "ratio": 0.5, "name": null}"#
            )
            .unwrap()
        );
        assert_eq!(rows[0].old, json!({"num": 2}).as_object().cloned());
        assert_eq!(rows[1].old, None);
        assert_eq!(
            rows[1].version.cmp_to(&rows[0].version),
            Ordering::Equal,
            "input order decides"
        );
        assert_eq!(
            parse(
                br#"{"isDdl":true,"type":"ALTER","table":"t","sql":"x"}"#,
                None,
                &jiff::tz::TimeZone::UTC
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
            parse(b"not json", None, &jiff::tz::TimeZone::UTC),
            Err(CdcError::NotJson(_))
        ));
        assert_eq!(
            parse(br#"{"a":1}"#, None, &jiff::tz::TimeZone::UTC),
            Err(CdcError::UnknownFormat)
        );
        let e = parse(
            br#"{"table":"t","type":"insert","ts":1}"#,
            None,
            &jiff::tz::TimeZone::UTC,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "maxwell: no `data` object");
        let forced = parse(
            br#"{"table":"t","type":"insert","ts":1,"data":{}}"#,
            Some(Format::Canal),
            &jiff::tz::TimeZone::UTC,
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
