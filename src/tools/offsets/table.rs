//! Plain aligned text tables for terminals: a header row, then rows; numbers
//! right-aligned, text left-aligned.

/// Renders `rows` under `header`; a column is right-aligned when every
/// non-empty cell of it parses as a number or is `-`.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut width: Vec<usize> = header.iter().map(|h| h.len()).collect();
    let mut numeric = vec![true; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(cols) {
            width[i] = width[i].max(cell.chars().count());
            if !(cell == "-" || cell.is_empty() || cell.parse::<i64>().is_ok()) {
                numeric[i] = false;
            }
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            let pad = width[i].saturating_sub(cell.chars().count());
            if numeric[i] {
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            } else {
                text.push_str(cell);
                if i + 1 < cells.len() {
                    text.push_str(&" ".repeat(pad));
                }
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

/// `Some(n)` as text, `None` as `-`.
pub fn cell(v: Option<i64>) -> String {
    v.map_or_else(|| "-".to_string(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn aligns_numbers_right_and_text_left() {
        let t = super::render(
            &["TOPIC", "PARTITION", "LAG"],
            &[
                vec!["a".into(), "0".into(), "12".into()],
                vec!["bbb".into(), "10".into(), "-".into()],
            ],
        );
        assert_eq!(
            t,
            "TOPIC  PARTITION  LAG\na              0   12\nbbb           10    -\n"
        );
    }
}
