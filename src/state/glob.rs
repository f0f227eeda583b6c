//! Redis-style glob matching (`*`, `?`, `\` escapes) for `Keys` on the embedded store.

/// True when `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matcher with one backtrack point for the last `*`.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
            continue;
        }
        if pi < p.len() {
            let (lit, width) = if p[pi] == '\\' && pi + 1 < p.len() {
                (Some(p[pi + 1]), 2)
            } else if p[pi] == '?' {
                (None, 1)
            } else {
                (Some(p[pi]), 1)
            };
            if lit.is_none_or(|c| c == t[ti]) {
                pi += width;
                ti += 1;
                continue;
            }
        }
        match star {
            Some((sp, st)) => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// `text` as a pattern that matches only itself (`*`, `?`, `[`, `\` escaped).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The literal prefix before the first wildcard: lets a store range-scan.
pub fn literal_prefix(pattern: &str) -> &str {
    let end = pattern.find(['*', '?', '\\', '[']).unwrap_or(pattern.len());
    &pattern[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(matches("offset:*", "offset:g:t"));
        assert!(matches("offset:*:t", "offset:g:t"));
        assert!(!matches("offset:*:t", "offset:g:u"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("a?c", "ac"));
        assert!(matches("*", ""));
        assert!(matches("a\\*", "a*"));
        assert!(matches(&(escape("a*?b") + "*"), "a*?bcd"));
        assert!(!matches(&(escape("a*?b") + "*"), "axybcd"));
        assert!(!matches("a\\*", "ab"));
        assert_eq!(literal_prefix("offset:*"), "offset:");
    }
}
