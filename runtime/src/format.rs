//! Text forms of typed values for paths, queries and headers.

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
}
