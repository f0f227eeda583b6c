//! CSV as every tool writes and reads it, through the `csv` crate (RFC 4180):
//! a field with a comma, a quote or a line break (a `sku_name`, a topic
//! name) stays one field, quoted, and reads back as it was.

use anyhow::{anyhow, Result};

/// A header line and one line per row.
pub fn write<R, F>(header: &[&str], rows: R) -> String
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    render(Some(header), rows)
}

/// One line per row and no header: the form Kafka's tools read and write
/// (`kafka-consumer-groups --reset-offsets --export` / `--from-file`).
pub fn write_rows<R, F>(rows: R) -> String
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    render(None, rows)
}

fn render<R, F>(header: Option<&[&str]>, rows: R) -> String
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    // Writing into memory fails only on a broken `csv` invariant: an
    // empty result is then the visible symptom, never a panic.
    if let Some(header) = header {
        let _ = w.write_record(header);
    }
    for row in rows {
        let _ = w.write_record(row);
    }
    w.into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// The records of `text` after an optional header line equal to `header`,
/// each with its 1-based line number; errors name `origin` and the line.
pub fn read(text: &str, header: &[&str], origin: &str) -> Result<Vec<(u64, Vec<String>)>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| anyhow!("{origin}: {e}"))?;
        let line = rec.position().map_or(0, |p| p.line());
        let fields: Vec<String> = rec.iter().map(str::to_string).collect();
        if fields.iter().all(String::is_empty) || (out.is_empty() && fields == header) {
            continue;
        }
        out.push((line, fields));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_field_with_a_comma_or_a_quote_stays_one_field() {
        let name = "小米10, 至尊\"纪念\"版";
        let text = super::write(&["id", "sku_name"], [vec!["1", name]]);
        assert_eq!(text, "id,sku_name\n1,\"小米10, 至尊\"\"纪念\"\"版\"\n");
        let back = super::read(&text, &["id", "sku_name"], "t").unwrap();
        assert_eq!(back, vec![(2, vec!["1".to_string(), name.to_string()])]);
    }
}
