//! A report as people and scripts read it: an aligned table with an inline
//! bar per hour (the day against the comparison day), stable JSON, CSV.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::hourly::Day;
use super::orders::{Orders, Page};

/// Bar width in characters at the largest hourly value.
const BAR: usize = 30;

/// A value as the report shows it: whole numbers for counts, cents for money.
fn show(v: Decimal, money: bool) -> String {
    if money {
        format!("{v:.2}")
    } else {
        v.trunc().to_string()
    }
}

fn cells(v: Decimal, max: Decimal) -> usize {
    if max.is_zero() {
        return 0;
    }
    let n = (v * Decimal::from(BAR as u64) / max).round();
    n.to_usize().unwrap_or(0).min(BAR)
}

/// `█` where both days reach, `▓` where only the day does, `░` where only the comparison does.
fn bar(day: Decimal, compare: Decimal, max: Decimal) -> String {
    let (d, c) = (cells(day, max), cells(compare, max));
    (0..d.max(c))
        .map(|i| match (i < d, i < c) {
            (true, true) => '█',
            (true, false) => '▓',
            _ => '░',
        })
        .collect()
}

pub fn table(title: &str, day: &Day, compare: &Day, money: bool) -> String {
    let max = day
        .hours
        .iter()
        .chain(&compare.hours)
        .copied()
        .max()
        .unwrap_or_default();
    let (a, b) = (day.date.to_string(), compare.date.to_string());
    let width = day
        .hours
        .iter()
        .chain(&compare.hours)
        .map(|v| show(*v, money).len())
        .chain([
            show(day.total(), money).len(),
            show(compare.total(), money).len(),
            a.len(),
        ])
        .max()
        .unwrap_or(10);
    let mut out = format!("{title}: {a} against {b}\n");
    out.push_str(&format!(
        "{:<5} {a:>width$} {b:>width$}  █ both ▓ {a} only ░ {b} only\n",
        "hour"
    ));
    for h in 0..24 {
        let (x, y) = (day.hours[h], compare.hours[h]);
        out.push_str(&format!(
            "{:<5} {:>width$} {:>width$}  {}\n",
            format!("{h:02}"),
            show(x, money),
            show(y, money),
            bar(x, y, max)
        ));
    }
    out.push_str(&format!(
        "{:<5} {:>width$} {:>width$}\n",
        "total",
        show(day.total(), money),
        show(compare.total(), money)
    ));
    for note in [&day.note, &compare.note].into_iter().flatten() {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

/// Numbers as JSON numbers for counts, as exact strings for money.
fn value(v: Decimal, money: bool) -> Value {
    if money {
        json!(format!("{v:.2}"))
    } else {
        json!(v.trunc().to_u64().unwrap_or(0))
    }
}

/// `{report, date, compare, hours: [{hr, value, compare}], total, compare_total, notes}`.
pub fn json(report: &str, day: &Day, compare: &Day, money: bool) -> Value {
    let hours: Vec<Value> = (0..24)
        .map(|h| json!({"hr": format!("{h:02}"), "value": value(day.hours[h], money), "compare": value(compare.hours[h], money)}))
        .collect();
    let notes: Vec<&String> = [&day.note, &compare.note].into_iter().flatten().collect();
    json!({"report": report, "date": day.date.to_string(), "compare": compare.date.to_string(),
        "hours": hours, "total": value(day.total(), money), "compare_total": value(compare.total(), money),
        "notes": notes})
}

/// `hr,{date},{compare}` then 24 rows and a `total` row.
pub fn csv(day: &Day, compare: &Day, money: bool) -> String {
    let (a, b) = (day.date.to_string(), compare.date.to_string());
    let rows = (0..24)
        .map(|h| {
            vec![
                format!("{h:02}"),
                show(day.hours[h], money),
                show(compare.hours[h], money),
            ]
        })
        .chain([vec![
            "total".to_string(),
            show(day.total(), money),
            show(compare.total(), money),
        ]]);
    crate::csv_text::write(&["hr", &a, &b], rows)
}

/// The groups with a bar each, the total, then the page of lines.
pub fn orders_table(title: &str, o: &Orders) -> String {
    let max = o.groups.iter().map(|g| g.amount).max().unwrap_or_default();
    let amounts: Vec<String> = o.groups.iter().map(|g| show(g.amount, true)).collect();
    let width = amounts
        .iter()
        .map(String::len)
        .chain([show(o.amount, true).len(), "amount".len()])
        .max()
        .unwrap_or(6);
    let mut out = format!(
        "{title}\n{:<8} {:>6} {:>width$}\n",
        "group", "lines", "amount"
    );
    for (g, a) in o.groups.iter().zip(&amounts) {
        out.push_str(&format!(
            "{:<8} {:>6} {a:>width$}  {}\n",
            g.key,
            g.lines,
            "█".repeat(cells(g.amount, max))
        ));
    }
    out.push_str(&format!(
        "{:<8} {:>6} {:>width$}\n",
        "total",
        o.lines,
        show(o.amount, true)
    ));
    if let Some(page) = &o.details {
        out.push('\n');
        out.push_str(&page_heading(page, o.lines));
        let mut rows: Vec<Vec<String>> = vec![DETAIL_COLUMNS
            .iter()
            .map(|(h, _, _)| h.to_string())
            .collect()];
        rows.extend(page.rows.iter().map(|row| {
            DETAIL_COLUMNS
                .iter()
                .map(|(_, f, _)| match row.get(*f) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => "-".into(),
                    Some(v) => v.to_string(),
                })
                .collect()
        }));
        let widths: Vec<usize> = (0..DETAIL_COLUMNS.len())
            .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        for r in &rows {
            let mut line = String::new();
            for (c, cell) in r.iter().enumerate() {
                let pad = widths[c] - cell.chars().count();
                // Numbers right-aligned, text left; the last column unpadded.
                if c + 1 == r.len() {
                    line.push_str(cell);
                } else if DETAIL_COLUMNS[c].2 {
                    line.push_str(&format!("{}{cell}  ", " ".repeat(pad)));
                } else {
                    line.push_str(&format!("{cell}{}  ", " ".repeat(pad)));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    if let Some(note) = &o.note {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

/// `{report, date, item, by, groups: [{key, lines, amount}], lines, amount, details?, notes}`.
pub fn orders_json(date: &str, item: &str, by: &str, o: &Orders) -> Value {
    let groups: Vec<Value> = o
        .groups
        .iter()
        .map(|g| json!({"key": g.key, "lines": g.lines, "amount": value(g.amount, true)}))
        .collect();
    let mut v = json!({"report": "orders", "date": date, "item": item, "by": by, "groups": groups,
        "lines": o.lines, "amount": value(o.amount, true), "notes": o.note.iter().collect::<Vec<_>>()});
    if let Some(p) = &o.details {
        v["details"] = json!({"page": p.page, "size": p.size, "rows": p.rows});
    }
    v
}

/// One CSV: `row` says what a line is (`group`, `total`, or with
/// `--details` a `line` of the page), then `group,lines,amount` for groups
/// and the total, and the detail fields for lines.
pub fn orders_csv(o: &Orders) -> String {
    let mut header = vec!["row", "group", "lines", "amount"];
    header.extend(DETAIL_COLUMNS.iter().map(|(_, f, _)| *f));
    let blank = || vec![String::new(); DETAIL_COLUMNS.len()];
    let mut rows: Vec<Vec<String>> = Vec::new();
    for g in &o.groups {
        let mut r = vec![
            "group".into(),
            g.key.clone(),
            g.lines.to_string(),
            show(g.amount, true),
        ];
        r.extend(blank());
        rows.push(r);
    }
    let mut total = vec![
        "total".into(),
        String::new(),
        o.lines.to_string(),
        show(o.amount, true),
    ];
    total.extend(blank());
    rows.push(total);
    for row in o.details.iter().flat_map(|p| &p.rows) {
        let mut r = vec![
            "line".to_string(),
            String::new(),
            String::new(),
            String::new(),
        ];
        r.extend(DETAIL_COLUMNS.iter().map(|(_, f, _)| match row.get(*f) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        }));
        rows.push(r);
    }
    crate::csv_text::write(&header, rows)
}

/// The columns of a page of lines: header, field, right-aligned (numbers).
const DETAIL_COLUMNS: [(&str, &str, bool); 8] = [
    ("DETAIL_ID", "detail_id", true),
    ("ORDER_ID", "order_id", true),
    ("CREATE_TIME", "create_time", false),
    ("SPLIT_TOTAL_AMOUNT", "split_total_amount", true),
    ("SKU_NUM", "sku_num", true),
    ("USER_GENDER", "user_gender", false),
    ("USER_AGE", "user_age", true),
    ("SKU_NAME", "sku_name", false),
];

/// `lines 21-40 of 153, page 2 of 8 (20 a page):`
fn page_heading(page: &Page, lines: u64) -> String {
    let pages = lines.div_ceil(page.size.max(1)).max(1);
    let first = (page.page - 1) * page.size + 1;
    let last = (first + page.rows.len() as u64).saturating_sub(1);
    if page.rows.is_empty() {
        return format!(
            "no lines on page {} of {pages} ({} lines, {} a page)\n",
            page.page, lines, page.size
        );
    }
    format!(
        "lines {first}-{last} of {lines}, page {} of {pages} ({} a page):\n",
        page.page, page.size
    )
}
