//! Text forms of typed values for paths, queries and headers, and the `Debug` form of
//! generated structs.

use chrono::{DateTime, Utc};

use crate::serde_helpers;

/// RFC 3339 with a `Z` offset, e.g. `2024-01-05T09:30:00Z` (fractional seconds only when set).
pub fn date_time(value: &DateTime<Utc>) -> String {
    serde_helpers::date_time::format(value)
}

/// RFC 1123 (HTTP-date), e.g. `Fri, 05 Jan 2024 09:30:00 GMT`.
pub fn rfc1123(value: &DateTime<Utc>) -> String {
    serde_helpers::rfc1123::format(value)
}

/// Standard Base64 with padding.
pub fn base64(value: &[u8]) -> String {
    serde_helpers::base64::encode(value)
}

/// Compact JSON text of a value (for object-valued parameters).
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    crate::serde_helpers::read_only::in_request(|| serde_json::to_string(value)).unwrap_or_default()
}

/// `Debug` of a generated struct or request builder: `name { label: value, … }`, as derived
/// (and `{:#?}` pretty-printed alike). One call with a list keeps each generated `fmt` small;
/// generated impls are `#[inline]`, so they are compiled only where something is formatted.
pub fn debug_struct(
    f: &mut std::fmt::Formatter<'_>,
    name: &str,
    fields: &[(&str, &dyn std::fmt::Debug)],
) -> std::fmt::Result {
    let mut out = f.debug_struct(name);
    for (label, value) in fields {
        out.field(label, value);
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats() {
        let t = Utc.with_ymd_and_hms(2024, 1, 5, 9, 30, 0).single().unwrap_or_default();
        assert_eq!(date_time(&t), "2024-01-05T09:30:00Z");
        assert_eq!(rfc1123(&t), "Fri, 05 Jan 2024 09:30:00 GMT");
        assert_eq!(base64(b"hi"), "aGk=");
        assert_eq!(json(&serde_json::json!({"a": 1})), r#"{"a":1}"#);
    }

    #[test]
    fn debug_struct_reads_like_a_derived_debug() {
        #[derive(Debug)]
        struct Pet {
            id: i64,
            name: Option<String>,
        }
        struct Shown(Pet);
        impl std::fmt::Debug for Shown {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                debug_struct(f, "Pet", &[("id", &self.0.id), ("name", &self.0.name)])
            }
        }
        let pet = Pet { id: 7, name: Some("Tom".to_owned()) };
        let derived = (format!("{pet:?}"), format!("{pet:#?}"));
        let shown = Shown(pet);
        assert_eq!((format!("{shown:?}"), format!("{shown:#?}")), derived);
    }
}
