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
fn whole_range(ty: &str) -> Option<(f64, f64)> {
    match ty {
        "byte" => Some((i8::MIN as f64, i8::MAX as f64)),
        "short" => Some((i16::MIN as f64, i16::MAX as f64)),
        "integer" => Some((i32::MIN as f64, i32::MAX as f64)),
        "long" => Some((i64::MIN as f64, i64::MAX as f64)),
        _ => None,
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
            let n = match v {
                Value::Number(n) => n.to_string().parse::<f64>().ok(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            match (n, whole_range(ty)) {
                (None, _) => Some(format!("{v} is not a number (the index maps a {ty})")),
                (Some(x), Some((lo, hi))) if x < lo || x > hi => {
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
    }
}
