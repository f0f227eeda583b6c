//! Small helpers to write JSON objects field by field from raw JSON values.

use serde_json::value::RawValue;

/// Appends `"name":value` (with a leading comma unless `first`), `null` when absent.
#[inline]
pub fn put_raw(out: &mut Vec<u8>, first: bool, name: &str, value: Option<&RawValue>) {
    if !first {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
    match value {
        Some(v) => out.extend_from_slice(v.get().as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends `,"name":N`.
#[inline]
pub fn put_i64(out: &mut Vec<u8>, name: &str, value: i64) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// The text of a JSON string or number, unescaped; `None` for other types.
pub fn scalar_text(v: &RawValue) -> Option<std::borrow::Cow<'_, str>> {
    let s = v.get();
    let b = s.as_bytes();
    match b.first()? {
        b'"' if !s.contains('\\') && b.len() >= 2 => {
            Some(std::borrow::Cow::Borrowed(&s[1..s.len() - 1]))
        }
        b'"' => serde_json::from_str::<String>(s)
            .ok()
            .map(std::borrow::Cow::Owned),
        b'-' | b'0'..=b'9' => Some(std::borrow::Cow::Borrowed(s)),
        _ => None,
    }
}
