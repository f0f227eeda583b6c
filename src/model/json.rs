//! Small helpers to write JSON objects field by field from raw JSON values.

use serde_json::value::RawValue;

/// Appends a field: `prefix` is the ready-made `,"name":` (or `{"name":`),
/// then the raw value, or `null` when absent.
#[inline]
pub fn put_raw(out: &mut Vec<u8>, prefix: &[u8], value: Option<&RawValue>) {
    out.extend_from_slice(prefix);
    match value {
        Some(v) => out.extend_from_slice(v.get().as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends a field with an integer value; `prefix` as in [`put_raw`].
#[inline]
pub fn put_i64(out: &mut Vec<u8>, prefix: &[u8], value: i64) {
    out.extend_from_slice(prefix);
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
