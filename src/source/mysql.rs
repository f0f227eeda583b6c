//! Reading a MySQL/MariaDB table by keyset pagination on its primary key
//! (`WHERE (pk) > (last) ORDER BY pk LIMIT n`): every page is one short
//! indexed query, never one huge result, and a run can resume after any key.
//!
//! Rows become the JSON the CDC path produces for the same row (see
//! `model::cdc`): integers and floats as numbers, DECIMAL and everything else
//! as the server's text (exact), NULL as null. The text protocol gives every
//! value as the server prints it, so dates and times keep MySQL's format.

use anyhow::{bail, Result};
use mysql::consts::ColumnType;
use mysql::prelude::Queryable;
use serde_json::Value;

use crate::exit::Failure;
use crate::record::write_json_str;
use crate::settings::mask_url;

/// Environment variable with the MySQL password (kept out of argv and logs).
pub const PASSWORD_ENV: &str = "RTDW_MYSQL_PASSWORD";

pub struct MysqlTables {
    conn: mysql::Conn,
    pub masked: String,
}

/// A result set's columns, worked out from its first row.
struct Layout {
    kinds: Vec<Kind>,
    /// Positions of the primary-key columns, in key order.
    key_idx: Vec<usize>,
    /// (position, JSON-escaped name) in name order: serde_json's key order.
    sorted: Vec<(usize, Vec<u8>)>,
}

/// One row of a page: its primary-key text (`dims::primary_key`'s form) and
/// its JSON, byte for byte what `serde_json` writes for the same row as the
/// CDC path builds it (keys in sorted order).
pub struct PageRow {
    pub id: String,
    pub json: String,
}

/// One page of rows, and the last row's key values (the next page starts after it).
pub struct Page {
    pub rows: Vec<PageRow>,
    pub last_key: Option<Vec<Value>>,
}

fn ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A JSON key value as an SQL literal.
fn literal(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => mysql::Value::from(s.as_str()).as_sql(false),
        Value::Null => "NULL".into(),
        other => mysql::Value::from(other.to_string()).as_sql(false),
    }
}

/// How a column's text becomes JSON.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Float,
    /// DECIMAL: a JSON number with MySQL's exact text (`30.30`), as the
    /// CDC dialects give it after routing (SPEC §3.3).
    Decimal,
    Text,
}

fn kind_of(column_type: ColumnType) -> Kind {
    use ColumnType::*;
    match column_type {
        MYSQL_TYPE_TINY | MYSQL_TYPE_SHORT | MYSQL_TYPE_LONG | MYSQL_TYPE_INT24
        | MYSQL_TYPE_LONGLONG | MYSQL_TYPE_YEAR => Kind::Integer,
        MYSQL_TYPE_FLOAT | MYSQL_TYPE_DOUBLE => Kind::Float,
        MYSQL_TYPE_DECIMAL | MYSQL_TYPE_NEWDECIMAL => Kind::Decimal,
        _ => Kind::Text,
    }
}

/// One value as JSON (Canal's typing by column type, see `model::cdc`).
fn to_json(v: &mysql::Value, kind: Kind) -> Value {
    let bytes = match v {
        mysql::Value::NULL => return Value::Null,
        mysql::Value::Bytes(b) => b,
        mysql::Value::Int(n) => return Value::from(*n),
        mysql::Value::UInt(n) => return Value::from(*n),
        mysql::Value::Float(f) => return Value::from(f64::from(*f)),
        mysql::Value::Double(f) => return Value::from(*f),
        other => return Value::from(other.as_sql(false).trim_matches('\'').to_string()),
    };
    let text = String::from_utf8_lossy(bytes);
    match kind {
        Kind::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .unwrap_or_else(|_| Value::from(text.into_owned())),
        Kind::Float | Kind::Decimal => serde_json::from_str::<serde_json::Number>(text.trim())
            .map_or_else(|_| Value::from(text.into_owned()), Value::Number),
        Kind::Text => Value::from(text.into_owned()),
    }
}

/// Writes one value as [`to_json`] would serialise, without building it:
/// integer text goes through as is when it is canonical (what MySQL prints).
fn write_value(out: &mut Vec<u8>, v: &mysql::Value, kind: Kind) {
    if let (mysql::Value::Bytes(b), Kind::Integer | Kind::Decimal | Kind::Text) = (v, kind) {
        match (std::str::from_utf8(b), kind) {
            (Ok(text), Kind::Integer) if canonical_int(text) => {
                out.extend_from_slice(text.as_bytes());
                return;
            }
            (Ok(text), Kind::Decimal)
                if serde_json::from_str::<serde_json::Number>(text).is_ok() =>
            {
                out.extend_from_slice(text.as_bytes());
                return;
            }
            (Ok(text), Kind::Text) => {
                write_json_str(out, text);
                return;
            }
            _ => {}
        }
    }
    // serde_json writes into any io::Write; a Vec never fails.
    let _ = serde_json::to_writer(&mut *out, &to_json(v, kind));
}

/// Whether `text` is an i64 written as Rust and serde_json write it (no
/// sign on zero, no leading zeros, no `+`).
fn canonical_int(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" && text == "0" || !digits.starts_with('0'))
        && text.parse::<i64>().is_ok()
}

/// The primary-key text of one value, as `dims::primary_key` gives it.
fn key_text(v: &mysql::Value, kind: Kind) -> Option<String> {
    match to_json(v, kind) {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A driver error as a sentence: the crate's `Display` wraps some in their
/// variant names (`DriverError { Could not connect … }`).
pub fn describe(e: &mysql::Error) -> String {
    match e {
        mysql::Error::DriverError(d) => d.to_string(),
        mysql::Error::IoError(io) => io.to_string(),
        mysql::Error::MySqlError(refusal) => describe_refusal(refusal),
        mysql::Error::UrlError(u) => u.to_string(),
        other => other.to_string(),
    }
}

/// `ERROR 1045 (28000): Access denied …`, and the fix for the usual ones.
fn describe_refusal(e: &mysql::MySqlError) -> String {
    let fix = match e.code {
        1045 => "; check the user in the URL and the password (RTDW_MYSQL_PASSWORD)",
        1049 => "; check the database name at the end of the URL",
        1044 | 1142 => "; grant the user SELECT on the tables",
        _ => "",
    };
    format!("ERROR {} ({}): {}{fix}", e.code, e.state, e.message)
}

impl MysqlTables {
    /// Connects to `url` (`mysql://user@host:port/db`); the password comes
    /// from the URL or, preferably, from `RTDW_MYSQL_PASSWORD`.
    pub fn connect(url: &str) -> Result<MysqlTables> {
        // `mysql://user@host/db` names a user, not a secret: only a
        // password (`user:pw@`) is masked.
        let has_password = url
            .split_once("://")
            .and_then(|(_, rest)| rest.rsplit_once('@'))
            .is_some_and(|(userinfo, _)| userinfo.contains(':'));
        let masked = if has_password {
            mask_url(url)
        } else {
            url.to_string()
        };
        let opts = mysql::Opts::from_url(url)
            .map_err(|e| Failure::usage(format!("bad MySQL URL {masked}: {e}")))?;
        let mut builder = mysql::OptsBuilder::from_opts(opts);
        if let Ok(pw) = std::env::var(PASSWORD_ENV) {
            builder = builder.pass(Some(pw));
        }
        let conn = mysql::Conn::new(builder).map_err(|e| match e {
            // The server answered and refused: a setting to fix, not an outage.
            mysql::Error::MySqlError(refusal) => Failure::usage(format!(
                "mysql {masked} refused the connection: {}",
                describe_refusal(&refusal)
            )),
            other => Failure::unavailable(
                crate::service::Service::MySql,
                masked.clone(),
                describe(&other),
            ),
        })?;
        Ok(MysqlTables { conn, masked })
    }

    /// The primary-key columns of `table`, in key order.
    pub fn primary_key(&mut self, table: &str) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND CONSTRAINT_NAME = 'PRIMARY' \
             ORDER BY ORDINAL_POSITION",
            literal(&Value::from(table))
        );
        let cols: Vec<String> = self.conn.query(sql).map_err(|e| {
            anyhow::anyhow!(
                "reading the primary key of {table} on {}: {}",
                self.masked,
                describe(&e)
            )
        })?;
        if cols.is_empty() {
            bail!(
                "table {table} on {} has no primary key (or does not exist): keyset pagination needs one",
                self.masked
            );
        }
        Ok(cols)
    }

    fn after_clause(pk: &[String], after: Option<&[Value]>) -> String {
        match after {
            None => String::new(),
            Some(key) => {
                let cols: Vec<String> = pk.iter().map(|c| ident(c)).collect();
                let vals: Vec<String> = key.iter().map(literal).collect();
                format!(" WHERE ({}) > ({})", cols.join(","), vals.join(","))
            }
        }
    }

    /// Rows after `after` (for the progress bar's total).
    pub fn count_after(
        &mut self,
        table: &str,
        pk: &[String],
        after: Option<&[Value]>,
    ) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM {}{}",
            ident(table),
            Self::after_clause(pk, after)
        );
        let n: Option<u64> = self.conn.query_first(sql).map_err(|e| {
            anyhow::anyhow!("counting {table} on {}: {}", self.masked, describe(&e))
        })?;
        Ok(n.unwrap_or(0))
    }

    /// The server's clock in whole seconds (binlog timestamps use the same clock).
    pub fn server_time_secs(&mut self) -> Result<i64> {
        let t: Option<i64> = self
            .conn
            .query_first("SELECT UNIX_TIMESTAMP()")
            .map_err(|e| {
                anyhow::anyhow!("reading the clock of {}: {}", self.masked, describe(&e))
            })?;
        Ok(t.unwrap_or(0))
    }

    /// The next page of `table` after `after`, in key order.
    pub fn page(
        &mut self,
        table: &str,
        pk: &[String],
        after: Option<&[Value]>,
        limit: usize,
    ) -> Result<Page> {
        let order: Vec<String> = pk.iter().map(|c| ident(c)).collect();
        let sql = format!(
            "SELECT * FROM {}{} ORDER BY {} LIMIT {limit}",
            ident(table),
            Self::after_clause(pk, after),
            order.join(",")
        );
        let masked = &self.masked;
        let mut result = self
            .conn
            .query_iter(sql)
            .map_err(|e| anyhow::anyhow!("reading {table} on {masked}: {}", describe(&e)))?;
        let mut page = Page {
            rows: Vec::with_capacity(limit),
            last_key: None,
        };
        let Some(set) = result.iter() else {
            return Ok(page);
        };
        let mut layout: Option<Layout> = None;
        let mut last = None;
        for row in set {
            let row =
                row.map_err(|e| anyhow::anyhow!("reading {table} on {masked}: {}", describe(&e)))?;
            let Layout {
                kinds,
                key_idx,
                sorted,
            } = layout.get_or_insert_with(|| {
                let cols = row.columns_ref();
                let kinds = cols.iter().map(|c| kind_of(c.column_type())).collect();
                let key_idx = pk
                    .iter()
                    .filter_map(|k| cols.iter().position(|c| c.name_str() == k.as_str()))
                    .collect();
                let mut sorted: Vec<(usize, Vec<u8>)> = cols
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let mut name = Vec::new();
                        write_json_str(&mut name, &c.name_str());
                        (i, name)
                    })
                    .collect();
                sorted.sort_by(|a, b| cols[a.0].name_str().cmp(&cols[b.0].name_str()));
                Layout {
                    kinds,
                    key_idx,
                    sorted,
                }
            });
            let value = |i: usize| row.as_ref(i).unwrap_or(&mysql::Value::NULL);
            let mut json = Vec::with_capacity(256);
            json.push(b'{');
            for (n, (i, name)) in sorted.iter().enumerate() {
                if n > 0 {
                    json.push(b',');
                }
                json.extend_from_slice(name);
                json.push(b':');
                write_value(&mut json, value(*i), kinds[*i]);
            }
            json.push(b'}');
            let parts: Option<Vec<String>> = key_idx
                .iter()
                .map(|&i| key_text(value(i), kinds[i]))
                .collect();
            let Some(parts) = parts.filter(|p| p.len() == pk.len()) else {
                bail!("{table} on {masked}: a row without its primary key {pk:?}");
            };
            // Only text from `&str`s was written: valid UTF-8.
            let json = String::from_utf8(json)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            page.rows.push(PageRow {
                id: parts.join(":"),
                json,
            });
            last = Some(
                key_idx
                    .iter()
                    .map(|&i| to_json(value(i), kinds[i]))
                    .collect(),
            );
        }
        page.last_key = last;
        Ok(page)
    }
}
