//! Matching `--item WORDS` against `sku_name` as Elasticsearch's standard
//! analyzer does for a `match` query with `operator: and`: lower-cased
//! runs of letters and digits are words, and every CJK ideograph is a word
//! of its own ("小米10" → 小, 米, 10), so a file gives what ES gives.

/// The words of `text`.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        if is_ideograph(c) {
            if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            run.extend(c.to_lowercase());
        } else if !run.is_empty() {
            out.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether `text` has every word of `query`.
pub fn matches_all(text: &str, query: &[String]) -> bool {
    let have = words(text);
    query.iter().all(|q| have.contains(q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideographs_are_words_and_latin_runs_are_lower_cased() {
        assert_eq!(
            words("小米10 至尊纪念版"),
            ["小", "米", "10", "至", "尊", "纪", "念", "版"]
        );
        assert_eq!(
            words("Apple iPhone 12 (A2404)"),
            ["apple", "iphone", "12", "a2404"]
        );
        assert!(matches_all(
            "Apple iPhone 12 (A2404) 64GB 黑色",
            &words("iphone 黑色")
        ));
        assert!(!matches_all("Apple iPhone 12", &words("iphone 13")));
    }
}
