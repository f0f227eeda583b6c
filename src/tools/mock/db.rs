//! `rtdw mock db`: a day of gmall business-database changes (SPEC §4.9):
//! a snapshot of the dimension tables, then orders with their details,
//! payments, cancellations, user and price updates and account deletions,
//! as Maxwell, Canal or Debezium records (`db_render`) or as SQL.
//!
//! Amounts are generated in integer cents, so an order always satisfies
//! `total_amount = original_total_amount − activity_reduce_amount −
//! coupon_reduce_amount` and `original_total_amount = Σ order_price × sku_num`.
//! Decimals are written as strings (what Canal sends, and Debezium with
//! `decimal.handling.mode=string`), so no reader turns them into floats.

use anyhow::{Context, Result};
use clap::Args;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::db_render::{sql_schema, sql_txn, Renderer};
use super::gmall::{GIVEN, PROVINCES, SKUS, SKU_NAMES, SURNAMES};
use super::open_out;
use crate::endpoint::To;
use crate::exit::{ExitStatus, Failure};
use crate::model::cdc::Format;
use crate::settings::Settings;
use crate::shutdown::Shutdown;

#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Orders placed during the day
    #[arg(long, default_value_t = 1000)]
    pub orders: u64,
    /// Rows of user_info (ids 1..N, as `mock logs --users`)
    #[arg(long, default_value_t = 500)]
    pub users: u32,
    /// Rows of sku_info (ids 1..N, the items `mock logs` shows)
    #[arg(long, default_value_t = SKUS)]
    pub skus: u32,
    /// Business date of the changes (YYYY-MM-DD, in --tz) [default: today]
    #[arg(long)]
    pub date: Option<jiff::civil::Date>,
    /// Random seed: the same seed (and flags) gives the same output [default: derived from --date, so days differ]
    #[arg(long)]
    pub seed: Option<u64>,
    /// CDC dialect of the records
    #[arg(long, default_value = "maxwell", value_name = "maxwell|canal|debezium")]
    pub format: Format,
    /// Debezium: wrap each record in the JSON converter's {"schema","payload"} (schemas.enable)
    #[arg(long, default_value = "on", value_name = "on|off", value_parser = ["on", "off"])]
    pub debezium_schemas: String,
    /// Debezium: DECIMAL as `precise` (base64 of the unscaled value, the connector's default) or `string` (older mocks)
    #[arg(long, default_value = "precise", value_name = "precise|string", value_parser = ["precise", "string"])]
    pub debezium_decimals: String,
    /// Share of orders whose details are committed (and arrive) before the order row
    #[arg(long, default_value_t = 0.1)]
    pub early_detail_ratio: f64,
    /// Share of malformed records
    #[arg(long, default_value_t = 0.0)]
    pub dirty_ratio: f64,
    /// Leave out the snapshot of base_province, sku_info and user_info that opens the stream
    #[arg(long)]
    pub no_snapshot: bool,
    /// Print MySQL statements (CREATE TABLE IF NOT EXISTS, INSERT, UPDATE, DELETE) instead of CDC records
    #[arg(long)]
    pub sql: bool,
    /// Output: - (stdout), FILE (.gz compressed), DIR/ (DIR/ODS_BASE_DB.jsonl), kafka or kafka:TOPIC
    #[arg(long, default_value = "-")]
    pub to: To,
}

/// A column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(i64),
    /// An exact decimal, in hundredths.
    Cents(i64),
    Str(String),
    Null,
}

impl Val {
    pub fn text(&self) -> Option<String> {
        match self {
            Val::Int(n) => Some(n.to_string()),
            Val::Cents(c) => Some(cents(*c)),
            Val::Str(s) => Some(s.clone()),
            Val::Null => None,
        }
    }
}

pub fn cents(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

/// A row: values in the table's column order (`gmall::TABLES`).
pub type Row = Vec<Val>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A row of the opening snapshot (Maxwell bootstrap-insert, Debezium `r`).
    Snapshot,
    Insert,
    Update,
    Delete,
}

#[derive(Debug, Clone)]
pub struct Change {
    pub table: &'static str,
    pub kind: Kind,
    /// The row after the change (for a delete: the deleted row).
    pub row: Row,
    /// The whole row before an update.
    pub before: Option<Row>,
}

/// One committed transaction.
#[derive(Debug, Clone)]
pub struct Txn {
    pub ts_ms: i64,
    pub changes: Vec<Change>,
    /// Tie-break for equal times: generation order.
    seq: u64,
}

const DAY_MS: i64 = 86_400_000;
/// Orders are created before 23:30, so their payment (up to 30 min later)
/// falls within the day.
const LAST_ORDER_MS: i64 = DAY_MS - 30 * 60_000;
/// Order ids of a date: `days since 1970 × this + n`.
const ORDER_IDS_PER_DAY: u64 = 10_000_000;
/// Detail ids of a date: `days since 1970 × this + n` (at most 5 per order).
const DETAIL_IDS_PER_DAY: i64 = 100_000_000;

struct Gen {
    rng: ChaCha8Rng,
    day_start: i64,
    users: u32,
    /// Current rows, to write updates with their before image.
    user_rows: Vec<Option<Row>>,
    sku_rows: Vec<Row>,
    next_detail: i64,
    seq: u64,
}

/// `2026-11-22 10:00:00` in `tz`.
fn datetime(ms: i64, tz: &jiff::tz::TimeZone) -> Val {
    let ts = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    Val::Str(
        ts.to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string(),
    )
}

impl Gen {
    fn txn(&mut self, ts_ms: i64, changes: Vec<Change>) -> Txn {
        self.seq += 1;
        Txn {
            ts_ms,
            changes,
            seq: self.seq,
        }
    }

    fn user(&mut self, id: u32, tz: &jiff::tz::TimeZone) -> Row {
        let r = &mut self.rng;
        let name = format!(
            "{}{}",
            SURNAMES[r.gen_range(0..SURNAMES.len())],
            GIVEN[r.gen_range(0..GIVEN.len())]
        );
        let birthday = jiff::civil::date(
            r.gen_range(1960..2008),
            r.gen_range(1..=12),
            r.gen_range(1..=28),
        );
        let created = self.day_start - r.gen_range(1..1000) * DAY_MS;
        vec![
            Val::Int(id.into()),
            Val::Str(format!("user{id}")),
            Val::Str(name.clone()),
            Val::Str(name),
            Val::Str(format!("13{:09}", r.gen_range(0..1_000_000_000u64))),
            Val::Str(format!("user{id}@163.com")),
            Val::Str(r.gen_range(1..=3).to_string()),
            Val::Str(birthday.to_string()),
            Val::Str(if r.gen_bool(0.5) { "F" } else { "M" }.into()),
            datetime(created, tz),
            Val::Null,
        ]
    }

    fn sku(&mut self, id: u32, tz: &jiff::tz::TimeZone) -> Row {
        let r = &mut self.rng;
        // Whole yuan, some ending in .90, as shops price.
        let price = r.gen_range(5..6000) * 100 + if r.gen_bool(0.3) { 90 } else { 0 };
        vec![
            Val::Int(id.into()),
            Val::Int(r.gen_range(1..12)),
            Val::Cents(price),
            Val::Str(SKU_NAMES[(id as usize) % SKU_NAMES.len()].into()),
            Val::Cents(r.gen_range(10..500)),
            Val::Int(r.gen_range(1..12)),
            Val::Int(r.gen_range(1..500)),
            datetime(self.day_start - 30 * DAY_MS, tz),
        ]
    }

    /// One order at `at`: the order and its details (one transaction, or two
    /// when the details are committed first), then its payment or cancellation.
    fn order(&mut self, id: i64, at: i64, early: f64, tz: &jiff::tz::TimeZone) -> Vec<Txn> {
        let user_id = self.rng.gen_range(1..=self.users);
        let province = PROVINCES[self.rng.gen_range(0..PROVINCES.len())].id;
        let lines = self.rng.gen_range(1..=5usize).min(self.sku_rows.len());
        let mut skus: Vec<usize> = (0..self.sku_rows.len()).collect();
        let mut details = Vec::with_capacity(lines);
        let mut original = 0i64;
        for i in 0..lines {
            let pick = self.rng.gen_range(i..skus.len());
            skus.swap(i, pick);
            let sku = &self.sku_rows[skus[i]];
            let (Val::Int(sku_id), Val::Cents(price), Val::Str(name)) = (&sku[0], &sku[2], &sku[3])
            else {
                continue;
            };
            let num = self.rng.gen_range(1..=3);
            original += price * num;
            self.next_detail += 1;
            details.push(Change {
                table: "order_detail",
                kind: Kind::Insert,
                row: vec![
                    Val::Int(self.next_detail),
                    Val::Int(id),
                    Val::Int(*sku_id),
                    Val::Str(name.clone()),
                    Val::Cents(*price),
                    Val::Int(num),
                    Val::Str(
                        ["promotion", "recommend", "query", "activity"][self.rng.gen_range(0..4)]
                            .into(),
                    ),
                    datetime(at, tz),
                ],
                before: None,
            });
        }
        // A full-reduction activity (满减) on some orders, then a coupon.
        let activity = if self.rng.gen_bool(0.3) {
            match original {
                o if o >= 100_000 => 10_000,
                o if o >= 50_000 => 5_000,
                o if o >= 10_000 => 1_000,
                _ => 0,
            }
        } else {
            0
        };
        let coupons = [
            (5_000, 500),
            (10_000, 1_000),
            (20_000, 3_000),
            (50_000, 5_000),
        ];
        let coupon = if self.rng.gen_bool(0.25) {
            let usable: Vec<i64> = coupons
                .iter()
                .filter(|(threshold, _)| original - activity >= *threshold)
                .map(|(_, reduce)| *reduce)
                .collect();
            if usable.is_empty() {
                0
            } else {
                usable[self.rng.gen_range(0..usable.len())]
            }
        } else {
            0
        };
        let order = vec![
            Val::Int(id),
            Val::Str(format!(
                "{}{}",
                SURNAMES[self.rng.gen_range(0..SURNAMES.len())],
                GIVEN[self.rng.gen_range(0..GIVEN.len())]
            )),
            Val::Cents(original - activity - coupon),
            Val::Str("1001".into()),
            Val::Int(user_id.into()),
            Val::Int(province.into()),
            Val::Str("3501".into()),
            Val::Cents(original),
            Val::Cents(activity),
            Val::Cents(coupon),
            Val::Cents(0),
            datetime(at, tz),
            Val::Null,
        ];
        let insert = Change {
            table: "order_info",
            kind: Kind::Insert,
            row: order.clone(),
            before: None,
        };
        let mut txns = if self.rng.gen_bool(early) {
            let d = self.txn(at, details);
            let later = at + self.rng.gen_range(1..3000);
            vec![d, self.txn(later, vec![insert])]
        } else {
            let mut all = vec![insert];
            all.extend(details);
            vec![self.txn(at, all)]
        };
        let outcome = self.rng.gen_range(0..100);
        if outcome < 85 {
            let when = at + self.rng.gen_range(60_000..1_800_000);
            let status = if outcome < 75 { "1002" } else { "1003" };
            let mut after = order.clone();
            after[3] = Val::Str(status.into());
            after[12] = datetime(when, tz);
            let change = Change {
                table: "order_info",
                kind: Kind::Update,
                row: after,
                before: Some(order),
            };
            txns.push(self.txn(when, vec![change]));
        }
        txns
    }

    /// Occasional dimension changes during the day.
    fn dimension_change(&mut self, at: i64, tz: &jiff::tz::TimeZone) -> Option<Txn> {
        let roll = self.rng.gen_range(0..1000);
        if roll < 50 {
            let i = self.rng.gen_range(0..self.user_rows.len());
            let before = self.user_rows[i].clone()?;
            let mut after = before.clone();
            after[6] = Val::Str(self.rng.gen_range(1..=3).to_string());
            after[10] = datetime(at, tz);
            self.user_rows[i] = Some(after.clone());
            let change = Change {
                table: "user_info",
                kind: Kind::Update,
                row: after,
                before: Some(before),
            };
            Some(self.txn(at, vec![change]))
        } else if roll < 55 {
            let i = self.rng.gen_range(0..self.user_rows.len());
            let row = self.user_rows[i].take()?;
            let change = Change {
                table: "user_info",
                kind: Kind::Delete,
                row,
                before: None,
            };
            Some(self.txn(at, vec![change]))
        } else if roll < 65 {
            let i = self.rng.gen_range(0..self.sku_rows.len());
            let before = self.sku_rows[i].clone();
            let mut after = before.clone();
            if let Val::Cents(p) = after[2] {
                after[2] = Val::Cents((p * self.rng.gen_range(80..120) / 100).max(100));
            }
            self.sku_rows[i] = after.clone();
            let change = Change {
                table: "sku_info",
                kind: Kind::Update,
                row: after,
                before: Some(before),
            };
            Some(self.txn(at, vec![change]))
        } else {
            None
        }
    }
}

fn snapshot_of(table: &'static str, rows: Vec<Row>) -> Vec<Vec<Change>> {
    rows.chunks(100)
        .map(|chunk| {
            chunk
                .iter()
                .map(|row| Change {
                    table,
                    kind: Kind::Snapshot,
                    row: row.clone(),
                    before: None,
                })
                .collect()
        })
        .collect()
}

pub fn run(a: DbArgs, settings: &Settings, shutdown: &Shutdown) -> Result<ExitStatus> {
    for (name, share) in [
        ("--early-detail-ratio", a.early_detail_ratio),
        ("--dirty-ratio", a.dirty_ratio),
    ] {
        if !(0.0..=1.0).contains(&share) {
            return Err(Failure::usage(format!(
                "{name} is a share between 0.0 and 1.0"
            )));
        }
    }
    if a.users == 0 || a.skus == 0 {
        return Err(Failure::usage("--users and --skus must be at least 1"));
    }
    let tz = settings.tz.clone();
    let date = a
        .date
        .unwrap_or_else(|| jiff::Zoned::now().with_time_zone(tz.clone()).date());
    let day_start = date
        .to_zoned(tz.clone())
        .with_context(|| format!("the start of {date} in {}", settings.tz_name))?
        .timestamp()
        .as_millisecond();
    // Every date has its own id and position ranges, so that days routed
    // into one state chain as real days do (issue 16: day 2's order 1 took
    // the apportioning places of day 1's order 1).
    let day_no = super::day_number(date);
    if a.orders >= ORDER_IDS_PER_DAY {
        return Err(Failure::usage(format!(
            "--orders is at most {} a day (each date has its own id range)",
            ORDER_IDS_PER_DAY - 1
        )));
    }
    let first_order_id = day_no * ORDER_IDS_PER_DAY as i64;
    let seed = super::seed_for(a.seed, date);
    let mut gen = Gen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        day_start,
        users: a.users,
        user_rows: Vec::new(),
        sku_rows: Vec::new(),
        next_detail: day_no * DETAIL_IDS_PER_DAY,
        seq: 0,
    };
    let provinces: Vec<Row> = PROVINCES
        .iter()
        .map(|p| {
            vec![
                Val::Int(p.id.into()),
                Val::Str(p.name.into()),
                Val::Str(p.region_id.into()),
                Val::Str(p.area_code.into()),
                Val::Str(p.iso_code.into()),
                Val::Str(p.iso_3166_2.into()),
            ]
        })
        .collect();
    gen.sku_rows = (1..=a.skus).map(|id| gen.sku(id, &tz)).collect();
    gen.user_rows = (1..=a.users).map(|id| Some(gen.user(id, &tz))).collect();

    // The snapshot, taken the evening before; then the day, in commit order.
    let snapshot_at = day_start - 3_600_000;
    let mut snapshot = Vec::new();
    if !a.no_snapshot {
        let users: Vec<Row> = gen.user_rows.iter().flatten().cloned().collect();
        for (table, rows) in [
            ("base_province", provinces),
            ("sku_info", gen.sku_rows.clone()),
            ("user_info", users),
        ] {
            for changes in snapshot_of(table, rows) {
                snapshot.push(gen.txn(snapshot_at, changes));
            }
        }
    }
    let mut day = Vec::new();
    for i in 0..a.orders {
        if shutdown.requested() {
            break;
        }
        let share = (i as f64 + gen.rng.gen::<f64>()) / a.orders as f64;
        let at = day_start + super::curve::time_at(share, LAST_ORDER_MS);
        if let Some(t) = gen.dimension_change(at, &tz) {
            day.push(t);
        }
        let order = gen.order(first_order_id + i as i64 + 1, at, a.early_detail_ratio, &tz);
        day.extend(order);
    }
    day.sort_by_key(|t| (t.ts_ms, t.seq));

    let topic = settings.topic("ODS_BASE_DB");
    let mut out = open_out(&a.to, settings, &topic)?;
    let (mut txns, mut records) = (0u64, 0u64);
    let mut shown = crate::progress::Progress::new(
        "mock db transactions",
        Some((snapshot.len() + day.len()) as u64),
    );
    if a.sql {
        for line in sql_schema() {
            out.line("", line.as_bytes())?;
        }
        for t in snapshot.iter().chain(&day) {
            for line in sql_txn(t) {
                out.line("", line.as_bytes())?;
                records += 1;
            }
            txns += 1;
            shown.add(1);
        }
    } else {
        let mut render = Renderer::new(a.format, a.dirty_ratio, seed)
            .for_day(day_no)
            .with_debezium(a.debezium_schemas == "on", a.debezium_decimals == "string");
        let mut lines = Vec::new();
        for t in snapshot.iter().chain(&day) {
            lines.clear();
            render.txn(t, &mut lines);
            for (key, line) in &lines {
                out.line(key, line)?;
                records += 1;
            }
            txns += 1;
            shown.add(1);
        }
        lines.clear();
        render.finish(&mut lines);
        for (key, line) in &lines {
            out.line(key, line)?;
            records += 1;
        }
    }
    shown.finish();
    out.finish()?;
    tracing::info!(
        "mock db: {records} {} for {date} ({txns} transactions, {} orders)",
        if a.sql { "statements" } else { "records" },
        a.orders
    );
    Ok(ExitStatus::Success)
}
