//! Reading a MySQL/MariaDB table by keyset pagination on its primary key
//! (`WHERE (pk) > (last) ORDER BY pk LIMIT n`): every page is one short
//! indexed query, never one huge result, and a run can resume after any key.
//!
//! Rows become the JSON the CDC path produces for the same row (see
//! `model::cdc`): integers and floats as numbers, DECIMAL and everything else
//! as the server's text (exact), NULL as null. The text protocol gives every
//! value as the server prints it, so dates and times keep MySQL's format.

use anyhow::{bail, Context, Result};
use mysql::consts::ColumnType;
use mysql::prelude::Queryable;
use serde_json::{Map, Value};

use crate::exit::Failure;
use crate::settings::mask_url;

/// Environment variable with the MySQL password (kept out of argv and logs).
pub const PASSWORD_ENV: &str = "RTDW_MYSQL_PASSWORD";

pub struct MysqlTables {
    conn: mysql::Conn,
    pub masked: String,
}

/// One page of rows: (primary-key values, row JSON).
pub struct Page {
    pub rows: Vec<(Vec<Value>, Map<String, Value>)>,
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

fn to_json(v: &mysql::Value, column_type: ColumnType) -> Value {
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
    use ColumnType::*;
    match column_type {
        MYSQL_TYPE_TINY | MYSQL_TYPE_SHORT | MYSQL_TYPE_LONG | MYSQL_TYPE_INT24
        | MYSQL_TYPE_LONGLONG | MYSQL_TYPE_YEAR => text
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.parse::<u64>().map(Value::from))
            .unwrap_or_else(|_| Value::from(text.into_owned())),
        MYSQL_TYPE_FLOAT | MYSQL_TYPE_DOUBLE => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::from(text.into_owned()), Value::Number),
        _ => Value::from(text.into_owned()),
    }
}

impl MysqlTables {
    /// Connects to `url` (`mysql://user@host:port/db`); the password comes
    /// from the URL or, preferably, from `RTDW_MYSQL_PASSWORD`.
    pub fn connect(url: &str) -> Result<MysqlTables> {
        let masked = mask_url(url);
        let opts = mysql::Opts::from_url(url)
            .map_err(|e| Failure::usage(format!("bad MySQL URL {masked}: {e}")))?;
        let mut builder = mysql::OptsBuilder::from_opts(opts);
        if let Ok(pw) = std::env::var(PASSWORD_ENV) {
            builder = builder.pass(Some(pw));
        }
        let conn = mysql::Conn::new(builder)
            .map_err(|e| Failure::unavailable("mysql", masked.clone(), e))?;
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
        let cols: Vec<String> = self
            .conn
            .query(sql)
            .with_context(|| format!("reading the primary key of {table} on {}", self.masked))?;
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
        let n: Option<u64> = self
            .conn
            .query_first(sql)
            .with_context(|| format!("counting {table} on {}", self.masked))?;
        Ok(n.unwrap_or(0))
    }

    /// The server's clock in whole seconds (binlog timestamps use the same clock).
    pub fn server_time_secs(&mut self) -> Result<i64> {
        let t: Option<i64> = self
            .conn
            .query_first("SELECT UNIX_TIMESTAMP()")
            .with_context(|| format!("reading the clock of {}", self.masked))?;
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
            .with_context(|| format!("reading {table} on {masked}"))?;
        let mut rows = Vec::with_capacity(limit);
        let Some(set) = result.iter() else {
            return Ok(Page { rows });
        };
        let mut key_idx: Option<Vec<usize>> = None;
        for row in set {
            let row = row.with_context(|| format!("reading {table} on {masked}"))?;
            let columns = row.columns_ref();
            let idx = key_idx.get_or_insert_with(|| {
                pk.iter()
                    .filter_map(|c| columns.iter().position(|col| col.name_str() == c.as_str()))
                    .collect()
            });
            let mut obj = Map::new();
            for (i, col) in columns.iter().enumerate() {
                let v = row
                    .as_ref(i)
                    .map_or(Value::Null, |v| to_json(v, col.column_type()));
                obj.insert(col.name_str().into_owned(), v);
            }
            let key: Vec<Value> = idx
                .iter()
                .map(|&i| {
                    obj.get(columns[i].name_str().as_ref())
                        .cloned()
                        .unwrap_or(Value::Null)
                })
                .collect();
            rows.push((key, obj));
        }
        Ok(Page { rows })
    }
}
