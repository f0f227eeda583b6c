//! Renders `mock db` transactions as Maxwell, Canal flat or Debezium records
//! (the shapes SPEC §3.3 reads), or as MySQL statements.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

use super::db::{Change, Kind, Row, Txn, Val};
use super::gmall::{columns, TABLES};
use crate::model::cdc::Format;

/// Row → JSON object; `all_strings` as Canal sends values.
/// A row as Maxwell (numbers for numeric columns, DECIMAL with its exact
/// text: `30.30`) or, with `all_strings`, Canal writes it.
fn object(table: &str, row: &Row, all_strings: bool) -> Map<String, Value> {
    columns(table)
        .iter()
        .zip(row)
        .map(|((name, _), v)| {
            let json = match (v, all_strings) {
                (Val::Null, _) => Value::Null,
                (Val::Int(n), false) => Value::from(*n),
                (Val::Cents(_), false) => exact_number(&v.text().unwrap_or_default()),
                (v, _) => Value::from(v.text().unwrap_or_default()),
            };
            (name.to_string(), json)
        })
        .collect()
}

fn exact_number(text: &str) -> Value {
    serde_json::from_str::<serde_json::Number>(text).map_or(Value::Null, Value::Number)
}

/// The `scale` of a `decimal(p,s)` column type.
fn decimal_scale(sql_type: &str) -> Option<u32> {
    let inner = sql_type.strip_prefix("decimal(")?.strip_suffix(')')?;
    inner.split(',').nth(1)?.trim().parse().ok()
}

/// A row as Debezium's MySQL connector writes it at its defaults: DECIMAL
/// as base64 of the unscaled two's-complement value (`precise`; the text
/// with `decimals_as_strings`), DATETIME as epoch ms of the wall clock read
/// as UTC (`io.debezium.time.Timestamp`), DATE as days since 1970-01-01.
fn debezium_object(table: &str, row: &Row, decimals_as_strings: bool) -> Map<String, Value> {
    use base64::Engine;
    columns(table)
        .iter()
        .zip(row)
        .map(|((name, sql_type), v)| {
            let json = match v {
                Val::Null => Value::Null,
                Val::Int(n) => Value::from(*n),
                Val::Cents(c) if !decimals_as_strings => {
                    // Hundredths are the unscaled value at scale 2; minimal bytes.
                    let bytes = c.to_be_bytes();
                    let skip = bytes
                        .windows(2)
                        .take_while(|w| {
                            (w[0] == 0 && w[1] & 0x80 == 0) || (w[0] == 0xFF && w[1] & 0x80 != 0)
                        })
                        .count();
                    Value::from(base64::engine::general_purpose::STANDARD.encode(&bytes[skip..]))
                }
                Val::Str(text) if *sql_type == "datetime" => {
                    let wall = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", text)
                        .ok()
                        .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC).ok());
                    wall.map_or(Value::from(text.clone()), |z| {
                        Value::from(z.timestamp().as_millisecond())
                    })
                }
                Val::Str(text) if *sql_type == "date" => text
                    .parse::<jiff::civil::Date>()
                    .ok()
                    .map(|d| (d - jiff::civil::date(1970, 1, 1)).get_days())
                    .map_or(Value::from(text.clone()), |days| {
                        Value::from(i64::from(days))
                    }),
                other => Value::from(other.text().unwrap_or_default()),
            };
            (name.to_string(), json)
        })
        .collect()
}

/// The JSON converter's schema of a `table` row (`schemas.enable=true`).
fn debezium_row_schema(table: &str, field: &str, decimals_as_strings: bool) -> Value {
    let fields: Vec<Value> = columns(table)
        .iter()
        .map(|(name, sql_type)| {
            let mut f = match (*sql_type, decimal_scale(sql_type)) {
                (_, Some(scale)) if !decimals_as_strings => json!({"type": "bytes",
                    "name": "org.apache.kafka.connect.data.Decimal", "version": 1,
                    "parameters": {"scale": scale.to_string()}}),
                (_, Some(_)) => json!({"type": "string"}),
                ("datetime", _) => {
                    json!({"type": "int64", "name": "io.debezium.time.Timestamp", "version": 1})
                }
                ("date", _) => {
                    json!({"type": "int32", "name": "io.debezium.time.Date", "version": 1})
                }
                (t, _) if t.contains("int") => json!({"type": "int64"}),
                _ => json!({"type": "string"}),
            };
            f["optional"] = Value::Bool(*name != "id");
            f["field"] = Value::from(*name);
            f
        })
        .collect();
    json!({"type": "struct", "fields": fields, "optional": true,
        "name": format!("gmall.gmall.{table}.Value"), "field": field})
}

/// The columns an update changed, with their previous values.
fn old_values(table: &str, change: &Change, all_strings: bool) -> Option<Map<String, Value>> {
    let before = change.before.as_ref()?;
    let full = object(table, before, all_strings);
    let changed: Map<String, Value> = columns(table)
        .iter()
        .zip(before.iter().zip(&change.row))
        .filter(|(_, (b, a))| b != a)
        .filter_map(|((name, _), _)| Some((name.to_string(), full.get(*name)?.clone())))
        .collect();
    Some(changed)
}

fn key_of(change: &Change) -> String {
    format!(
        "gmall.{}.{}",
        change.table,
        change.row.first().and_then(Val::text).unwrap_or_default()
    )
}

pub struct Renderer {
    format: Format,
    dirty_ratio: f64,
    rng: ChaCha8Rng,
    /// The binlog file of the day (`mysql-bin.NNNNNN`, see [`Renderer::for_day`]).
    binlog_file: String,
    pos: u64,
    xid: u64,
    canal_id: u64,
    /// Maxwell: the table whose bootstrap is open.
    bootstrapping: Option<&'static str>,
    /// Debezium: the JSON converter's schema wrapper, and DECIMAL as text.
    debezium_schemas: bool,
    debezium_decimals_as_strings: bool,
}

impl Renderer {
    pub fn new(format: Format, dirty_ratio: f64, seed: u64) -> Renderer {
        Renderer {
            format,
            dirty_ratio,
            // Its own stream, so the data do not change with --dirty-ratio.
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0xd1b5_4a32_d192_ed03),
            binlog_file: "mysql-bin.000001".into(),
            pos: 4,
            xid: 1000,
            canal_id: 0,
            bootstrapping: None,
            debezium_schemas: true,
            debezium_decimals_as_strings: false,
        }
    }

    /// Positions of day number `day` (days since 1970-01-01): its own binlog
    /// file (MySQL rotates files; their names sort in commit order) and its
    /// own xid and Canal id ranges, so that days of `mock db` chain the way
    /// real days do.
    pub fn for_day(mut self, day: i64) -> Renderer {
        let day = day.max(0) as u64;
        self.binlog_file = format!("mysql-bin.{:06}", day % 1_000_000);
        self.xid = day * 1_000_000_000;
        self.canal_id = day * 1_000_000_000;
        self
    }

    /// Debezium's encodings: the schema wrapper on or off, DECIMAL as
    /// `precise` base64 or as strings.
    pub fn with_debezium(mut self, schemas: bool, decimals_as_strings: bool) -> Renderer {
        self.debezium_schemas = schemas;
        self.debezium_decimals_as_strings = decimals_as_strings;
        self
    }

    fn push(&mut self, out: &mut Vec<(String, Vec<u8>)>, key: String, v: Value) {
        let mut line = serde_json::to_vec(&v).unwrap_or_default();
        if self.dirty_ratio > 0.0 && self.rng.gen_bool(self.dirty_ratio) {
            line = match self.rng.gen_range(0..3) {
                0 => line[..line.len() / 2].to_vec(),
                1 => b"ERROR 2026-11-22 10:00:00 binlog reader restarted".to_vec(),
                _ => {
                    br#"{"database":"gmall","table":"order_info","type":"insert","ts":1}"#.to_vec()
                }
            };
        }
        out.push((key, line));
    }

    /// Appends the records of one transaction.
    pub fn txn(&mut self, t: &Txn, out: &mut Vec<(String, Vec<u8>)>) {
        self.xid += 1;
        match self.format {
            Format::Maxwell => self.maxwell(t, out),
            Format::Canal => self.canal(t, out),
            Format::Debezium => self.debezium(t, out),
        }
    }

    /// Closes an open Maxwell bootstrap.
    pub fn finish(&mut self, out: &mut Vec<(String, Vec<u8>)>) {
        self.bootstrap_marker(None, 0, out);
    }

    fn bootstrap_marker(
        &mut self,
        table: Option<&'static str>,
        ts_ms: i64,
        out: &mut Vec<(String, Vec<u8>)>,
    ) {
        if self.bootstrapping == table {
            return;
        }
        if let Some(open) = self.bootstrapping.take() {
            let v = json!({"database": "gmall", "table": open, "type": "bootstrap-complete", "ts": ts_ms / 1000, "data": {}});
            self.push(out, format!("gmall.{open}"), v);
        }
        if let Some(t) = table {
            let v = json!({"database": "gmall", "table": t, "type": "bootstrap-start", "ts": ts_ms / 1000, "data": {}});
            self.push(out, format!("gmall.{t}"), v);
            self.bootstrapping = Some(t);
        }
    }

    fn maxwell(&mut self, t: &Txn, out: &mut Vec<(String, Vec<u8>)>) {
        let last = t.changes.len().saturating_sub(1);
        for (i, c) in t.changes.iter().enumerate() {
            let snapshot = c.kind == Kind::Snapshot;
            self.bootstrap_marker(snapshot.then_some(c.table), t.ts_ms, out);
            let data = Value::Object(object(c.table, &c.row, false));
            let v = if snapshot {
                json!({"database": "gmall", "table": c.table, "type": "bootstrap-insert",
                       "ts": t.ts_ms / 1000, "data": data})
            } else {
                self.pos += 120;
                let kind = match c.kind {
                    Kind::Update => "update",
                    Kind::Delete => "delete",
                    _ => "insert",
                };
                let mut v = json!({"database": "gmall", "table": c.table, "type": kind,
                    "ts": t.ts_ms / 1000, "xid": self.xid, "xoffset": i,
                    "position": format!("{}:{}", self.binlog_file, self.pos),
                    "primary_key_columns": ["id"], "data": data});
                if i == last {
                    v["commit"] = Value::Bool(true);
                }
                if let Some(old) = old_values(c.table, c, false) {
                    v["old"] = Value::Object(old);
                }
                v
            };
            self.push(out, key_of(c), v);
        }
    }

    fn canal(&mut self, t: &Txn, out: &mut Vec<(String, Vec<u8>)>) {
        // One message per run of rows of one table and one kind.
        let mut start = 0;
        while start < t.changes.len() {
            let first = &t.changes[start];
            let end = t.changes[start..]
                .iter()
                .position(|c| c.table != first.table || c.kind != first.kind)
                .map_or(t.changes.len(), |n| start + n);
            let rows = &t.changes[start..end];
            let kind = match first.kind {
                Kind::Update => "UPDATE",
                Kind::Delete => "DELETE",
                _ => "INSERT",
            };
            let types: Map<String, Value> = columns(first.table)
                .iter()
                .map(|(n, ty)| (n.to_string(), Value::from(*ty)))
                .collect();
            let data: Vec<Value> = rows
                .iter()
                .map(|c| Value::Object(object(c.table, &c.row, true)))
                .collect();
            let old = if first.kind == Kind::Update {
                Value::Array(
                    rows.iter()
                        .map(|c| old_values(c.table, c, true).map_or(Value::Null, Value::Object))
                        .collect(),
                )
            } else {
                Value::Null
            };
            self.canal_id += 1;
            let v = json!({"data": data, "database": "gmall", "es": t.ts_ms, "id": self.canal_id,
                "isDdl": false, "mysqlType": types, "old": old, "pkNames": ["id"], "sql": "",
                "table": first.table, "ts": t.ts_ms + 35, "type": kind});
            self.push(out, format!("gmall.{}", first.table), v);
            start = end;
        }
    }

    fn debezium(&mut self, t: &Txn, out: &mut Vec<(String, Vec<u8>)>) {
        let strings = self.debezium_decimals_as_strings;
        for c in &t.changes {
            self.pos += 120;
            let row = Value::Object(debezium_object(c.table, &c.row, strings));
            let before = c.before.as_ref().map_or(Value::Null, |b| {
                Value::Object(debezium_object(c.table, b, strings))
            });
            let (op, before, after) = match c.kind {
                Kind::Snapshot => ("r", Value::Null, row),
                Kind::Insert => ("c", Value::Null, row),
                Kind::Update => ("u", before, row),
                Kind::Delete => ("d", row, Value::Null),
            };
            let snapshot = if c.kind == Kind::Snapshot {
                "true"
            } else {
                "false"
            };
            let v = json!({"before": before, "after": after,
                "source": {"version": "2.5.0.Final", "connector": "mysql", "name": "gmall",
                    "ts_ms": t.ts_ms, "snapshot": snapshot, "db": "gmall", "table": c.table,
                    "server_id": 1, "file": self.binlog_file, "pos": self.pos, "row": 0},
                "op": op, "ts_ms": t.ts_ms + 40});
            let v = if self.debezium_schemas {
                let schema = json!({"type": "struct", "optional": false,
                    "name": format!("gmall.gmall.{}.Envelope", c.table), "fields": [
                        debezium_row_schema(c.table, "before", strings),
                        debezium_row_schema(c.table, "after", strings),
                        {"type": "struct", "field": "source", "optional": false,
                         "name": "io.debezium.connector.mysql.Source", "fields": []},
                        {"type": "string", "field": "op", "optional": false},
                        {"type": "int64", "field": "ts_ms", "optional": true}]});
                json!({"schema": schema, "payload": v})
            } else {
                v
            };
            self.push(out, key_of(c), v);
            // `tombstones.on.delete=true` (the default): a null value after
            // each delete, so a compacted topic forgets the row.
            if c.kind == Kind::Delete {
                out.push((key_of(c), b"null".to_vec()));
            }
        }
    }
}

fn sql_value(v: &Val) -> String {
    match v {
        Val::Null => "NULL".into(),
        Val::Int(n) => n.to_string(),
        Val::Cents(_) => v.text().unwrap_or_default(),
        Val::Str(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''")),
    }
}

/// MySQL statements that create the tables.
pub fn sql_schema() -> Vec<String> {
    let mut out = vec!["SET NAMES utf8mb4;".to_string()];
    for (table, cols) in TABLES {
        let defs: Vec<String> = cols.iter().map(|(n, t)| format!("`{n}` {t}")).collect();
        out.push(format!(
                "CREATE TABLE IF NOT EXISTS `{table}` ({}, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;",
                defs.join(", ")
            ));
    }
    out
}

/// MySQL statements that apply one transaction.
pub fn sql_txn(t: &Txn) -> Vec<String> {
    let mut out = Vec::new();
    let mut inserts: Vec<&Change> = Vec::new();
    let flush = |inserts: &mut Vec<&Change>, out: &mut Vec<String>| {
        let Some(first) = inserts.first() else {
            return;
        };
        let cols: Vec<String> = columns(first.table)
            .iter()
            .map(|(n, _)| format!("`{n}`"))
            .collect();
        let rows: Vec<String> = inserts
            .iter()
            .map(|c| {
                let vals: Vec<String> = c.row.iter().map(sql_value).collect();
                format!("({})", vals.join(","))
            })
            .collect();
        out.push(format!(
            "INSERT INTO `{}` ({}) VALUES {};",
            first.table,
            cols.join(","),
            rows.join(",")
        ));
        inserts.clear();
    };
    for c in &t.changes {
        let id = c.row.first().map(sql_value).unwrap_or_default();
        match c.kind {
            Kind::Snapshot | Kind::Insert => {
                if inserts.first().is_some_and(|f| f.table != c.table) {
                    flush(&mut inserts, &mut out);
                }
                inserts.push(c);
            }
            Kind::Update => {
                flush(&mut inserts, &mut out);
                let before = c.before.as_ref();
                let sets: Vec<String> = columns(c.table)
                    .iter()
                    .zip(&c.row)
                    .enumerate()
                    .filter(|(i, _)| before.and_then(|b| b.get(*i)) != c.row.get(*i))
                    .map(|(_, ((n, _), v))| format!("`{n}`={}", sql_value(v)))
                    .collect();
                out.push(format!(
                    "UPDATE `{}` SET {} WHERE `id`={id};",
                    c.table,
                    sets.join(",")
                ));
            }
            Kind::Delete => {
                flush(&mut inserts, &mut out);
                out.push(format!("DELETE FROM `{}` WHERE `id`={id};", c.table));
            }
        }
    }
    flush(&mut inserts, &mut out);
    out
}
