//! A report as people and scripts read it: an aligned table with an inline
//! bar per hour (the day against the comparison day), stable JSON, CSV.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::hourly::Day;
use super::orders::Orders;

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
    let mut out = format!("hr,{},{}\n", day.date, compare.date);
    for h in 0..24 {
        out.push_str(&format!(
            "{h:02},{},{}\n",
            show(day.hours[h], money),
            show(compare.hours[h], money)
        ));
    }
    out.push_str(&format!(
        "total,{},{}\n",
        show(day.total(), money),
        show(compare.total(), money)
    ));
    out
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
        out.push_str(&format!(
            "\nlines, page {} ({} a page):\n",
            page.page, page.size
        ));
        for row in &page.rows {
            let cell = |f: &str| match row.get(f) {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => "-".into(),
                Some(v) => v.to_string(),
            };
            out.push_str(&format!(
                "{:<8} {:<8} {:<19} {:>10} {:>3} {:<7} {:>3}  {}\n",
                cell("detail_id"),
                cell("order_id"),
                cell("create_time"),
                cell("split_total_amount"),
                cell("sku_num"),
                cell("user_gender"),
                cell("user_age"),
                cell("sku_name")
            ));
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

/// `group,lines,amount` rows and a `total` row.
pub fn orders_csv(o: &Orders) -> String {
    let mut out = String::from("group,lines,amount\n");
    for g in &o.groups {
        out.push_str(&format!("{},{},{}\n", g.key, g.lines, show(g.amount, true)));
    }
    out.push_str(&format!("total,{},{}\n", o.lines, show(o.amount, true)));
    out
}
