//! Helpers for tests of generated crates (used by their generated example round-trip tests).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Deserializes `json` into `T`, serializes it back and asserts the result means the same JSON:
/// `null` equals an absent member, numbers compare by value (`0` = `0.0`), and date-time strings
/// compare by instant. Panics with both documents when they differ.
pub fn assert_round_trip<T: DeserializeOwned + Serialize>(json: &str) {
    let expected: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => panic!("example is not JSON: {e}\n{json}"),
    };
    let typed: T = match serde_json::from_value(expected.clone()) {
        Ok(t) => t,
        Err(e) => panic!("example does not deserialize into {}: {e}\n{json}", std::any::type_name::<T>()),
    };
    let actual = match serde_json::to_value(&typed) {
        Ok(v) => v,
        Err(e) => panic!("{} does not serialize: {e}", std::any::type_name::<T>()),
    };
    if !same(&expected, &actual) {
        panic!(
            "round trip of {} changed the JSON\nexpected: {}\nactual:   {}",
            std::any::type_name::<T>(),
            expected,
            actual
        );
    }
}

/// Semantic JSON equality as described on [`assert_round_trip`].
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> =
                x.iter().chain(y.iter()).filter(|(_, v)| !v.is_null()).map(|(k, _)| k).collect();
            keys.into_iter().all(|k| same(x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null)))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y || same_instant(x, y),
        _ => a == b,
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    use crate::serde_helpers::date_time::parse;
    matches!((parse(a), parse(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn semantic_equality() {
        assert!(same(&json!({"a": null, "b": 0}), &json!({"b": 0.0})));
        assert!(same(&json!({"t": "2024-01-05T09:30:00.000Z"}), &json!({"t": "2024-01-05T09:30:00Z"})));
        assert!(!same(&json!({"a": 1}), &json!({"a": 2})));
        assert!(!same(&json!([1, 2]), &json!([1])));
    }
}
