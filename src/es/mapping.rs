//! The check a tool runs on a document before sending it: does each field
//! fit the type its index template maps it to? A string in a `long` field
//! (`"during_time":"abc"`) then becomes a dirty record at the tool, with the
//! field named, instead of a refusal by Elasticsearch (SPEC §5).
//!
//! The rules follow Elasticsearch's field types with their defaults
//! (`coerce: true`): numeric fields take numbers and numeric strings, whole
//! types take fractions (truncated) but not values out of their range;
//! `keyword` takes any scalar; neither takes an object; any field takes an
//! array of values it takes, and null. Other types are not checked here.

use serde_json::{Map, Value};

/// The range of each whole-number type.
fn whole_range(ty: &str) -> Option<(i128, i128)> {
    match ty {
        "byte" => Some((i8::MIN.into(), i8::MAX.into())),
        "short" => Some((i16::MIN.into(), i16::MAX.into())),
        "integer" => Some((i32::MIN.into(), i32::MAX.into())),
        "long" => Some((i64::MIN.into(), i64::MAX.into())),
        _ => None,
    }
}

/// Whether the number `text` fits `[lo, hi]` once Elasticsearch truncates
/// its fraction: whole texts compare exactly (i64::MAX + 1 is out, though
/// it equals i64::MAX as an f64), others by their value.
fn fits_whole(text: &str, x: f64, (lo, hi): (i128, i128)) -> bool {
    match text.parse::<i128>() {
        Ok(n) => lo <= n && n <= hi,
        // hi + 1 is exact in f64 for every type (2^63 for a long).
        Err(_) => {
            let t = x.trunc();
            t >= lo as f64 && t < (hi + 1) as f64
        }
    }
}

fn is_numeric(ty: &str) -> bool {
    whole_range(ty).is_some() || matches!(ty, "double" | "float" | "half_float" | "scaled_float")
}

/// Why `v` does not fit a field of type `ty`, if it does not.
fn misfit(ty: &str, v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Array(items) => items.iter().find_map(|x| misfit(ty, x)),
        Value::Object(_) if is_numeric(ty) || ty == "keyword" => {
            Some(format!("an object where the index maps a {ty}"))
        }
        _ if is_numeric(ty) => {
            let text = match v {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.trim().to_string(),
                _ => String::new(),
            };
            // Rust reads "NaN" and "inf"; Elasticsearch takes finite values only.
            let n = text.parse::<f64>().ok().filter(|x| x.is_finite());
            match (n, whole_range(ty)) {
                (None, _) => Some(format!("{v} is not a number (the index maps a {ty})")),
                (Some(x), Some(range)) if !fits_whole(&text, x, range) => {
                    Some(format!("{v} is out of range for a {ty}"))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The first field of `doc` that its mapping (`properties`, as in a
/// template's `mappings.properties`) cannot take: `Err("`field`: why")`.
pub fn check(properties: &Map<String, Value>, doc: &Map<String, Value>) -> Result<(), String> {
    for (field, value) in doc {
        let Some(ty) = properties
            .get(field)
            .and_then(|spec| spec.get("type"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        if let Some(why) = misfit(ty, value) {
            return Err(format!("`{field}`: {why}"));
        }
    }
    Ok(())
}

/// The `mappings.properties` of a composable template body.
pub fn properties(template_body: &Value) -> Map<String, Value> {
    template_body["template"]["mappings"]["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props() -> Map<String, Value> {
        json!({"during_time": {"type": "long"}, "user_age": {"type": "short"},
            "mid": {"type": "keyword"}, "amount": {"type": "scaled_float", "scaling_factor": 100},
            "ts": {"type": "date"}})
        .as_object()
        .cloned()
        .unwrap()
    }

    fn doc(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn what_elasticsearch_takes_passes() {
        let ok = doc(json!({"during_time": "1200", "user_age": 30.7, "mid": 7,
            "amount": "12.50", "ts": "anything", "unmapped": {"x": 1}, "mid2": null}));
        assert_eq!(check(&props(), &ok), Ok(()));
        assert_eq!(
            check(&props(), &doc(json!({"during_time": [1, "2"]}))),
            Ok(())
        );
    }

    #[test]
    fn what_elasticsearch_refuses_is_named() {
        let e = check(&props(), &doc(json!({"during_time": "abc"}))).unwrap_err();
        assert_eq!(
            e,
            "`during_time`: \"abc\" is not a number (the index maps a long)"
        );
        let e = check(&props(), &doc(json!({"user_age": 40000}))).unwrap_err();
        assert_eq!(e, "`user_age`: 40000 is out of range for a short");
        let e = check(&props(), &doc(json!({"mid": {"a": 1}}))).unwrap_err();
        assert!(e.starts_with("`mid`: an object"), "{e}");
        let e = check(&props(), &doc(json!({"amount": [1, true]}))).unwrap_err();
        assert!(e.starts_with("`amount`: true is not a number"), "{e}");
        // Break-test findings: what Rust reads but Elasticsearch refuses.
        for bad in [json!("NaN"), json!("inf"), json!("-Infinity")] {
            let e = check(&props(), &doc(json!({"during_time": bad}))).unwrap_err();
            assert!(e.contains("is not a number"), "{e}");
        }
        let over = doc(serde_json::from_str(r#"{"during_time": 9223372036854775808}"#).unwrap());
        let e = check(&props(), &over).unwrap_err();
        assert!(e.contains("out of range for a long"), "{e}");
        let max = doc(serde_json::from_str(r#"{"during_time": 9223372036854775807}"#).unwrap());
        assert_eq!(check(&props(), &max), Ok(()));
        assert_eq!(
            check(&props(), &doc(json!({"user_age": "32767.9"}))),
            Ok(())
        );
        let e = check(&props(), &doc(json!({"user_age": 1e30}))).unwrap_err();
        assert!(e.contains("out of range"), "{e}");
    }
}
