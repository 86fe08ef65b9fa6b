//! Wire formats for `#[serde(with = "…")]` in generated models.
//!
//! Each module has `serialize`/`deserialize` for the plain type and an `option` submodule for
//! `Option<_>` fields, meant to be combined with
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "…::option")]`
//! (`null` and a missing field both give `None`).
//!
//! | module | Rust type | wire form |
//! |---|---|---|
//! | [`date_time`] | `DateTime<Utc>` | RFC 3339 string; read leniently (missing offset = UTC) |
//! | [`rfc1123`] | `DateTime<Utc>` | `Fri, 05 Jan 2024 09:30:00 GMT` |
//! | [`base64`] | `Vec<u8>` | standard Base64; read also without padding and URL-safe |
//! | [`unix_time`] | `DateTime<Utc>` | integer seconds since the epoch; read also fractional |
//!
//! [`read_only`] leaves `readOnly` fields out of request bodies.

/// `readOnly` fields: kept when a model is serialized on its own, left out of request bodies.
///
/// Generated models mark such fields `#[serde(skip_serializing_if = "…read_only::skip")]`;
/// the runtime serializes request data (JSON and form bodies, JSON-encoded parameters and
/// multipart parts) inside [`in_request`](read_only::in_request), so a model read from the
/// service can be sent back (read-modify-write) without its server-owned fields, while
/// `serde_json::to_string(&model)` in your code keeps them.
pub mod read_only {
    use std::cell::Cell;

    thread_local! {
        static IN_REQUEST: Cell<bool> = const { Cell::new(false) };
    }

    /// Restores the previous flag when dropped (also on panic).
    struct Reset(bool);

    impl Drop for Reset {
        fn drop(&mut self) {
            IN_REQUEST.with(|flag| flag.set(self.0));
        }
    }

    /// Runs `serialize` (synchronous) with read-only fields left out.
    pub fn in_request<R>(serialize: impl FnOnce() -> R) -> R {
        let _reset = Reset(IN_REQUEST.with(|flag| flag.replace(true)));
        serialize()
    }

    /// Whether a serialization is running inside [`in_request`] on this thread.
    pub fn is_request() -> bool {
        IN_REQUEST.with(Cell::get)
    }

    /// `skip_serializing_if` of an optional read-only field: skipped when `None` or in a
    /// request.
    pub fn skip<T>(value: &Option<T>) -> bool {
        value.is_none() || is_request()
    }

    /// `skip_serializing_if` of a required, nullable read-only field (`None` is written as
    /// `null` outside requests): skipped in requests only.
    pub fn skip_in_request<T>(_value: &Option<T>) -> bool {
        is_request()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_flag_is_scoped_and_restored() {
            assert!(!is_request());
            let inner = in_request(|| (is_request(), in_request(is_request), is_request()));
            assert_eq!(inner, (true, true, true));
            assert!(!is_request());
            assert!(skip::<u8>(&None) && !skip(&Some(1)));
            assert!(in_request(|| skip(&Some(1)) && skip_in_request(&Some(1))));
            let caught = std::panic::catch_unwind(|| in_request(|| panic!("serializer bug")));
            assert!(caught.is_err());
            assert!(!is_request(), "a panic inside must not leave the flag set");
        }
    }
}

/// RFC 3339 date-times (`format: date-time`), read leniently.
pub mod date_time {
    use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Parses RFC 3339, also accepting a missing offset (taken as UTC), a space or lower-case
    /// `t` as separator, and any number of fractional digits.
    pub fn parse(text: &str) -> Option<DateTime<Utc>> {
        let text = text.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
            return Some(dt.with_timezone(&Utc));
        }
        [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dt%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
        ]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(text, fmt).ok())
        .map(|naive| naive.and_utc())
    }

    /// Formats as RFC 3339 in UTC with a `Z` suffix, e.g. `2024-01-05T09:30:00Z`.
    pub fn format(value: &DateTime<Utc>) -> String {
        value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }

    /// Serializes with [`format()`].
    pub fn serialize<S: Serializer>(
        value: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(value))
    }

    /// Deserializes with [`parse()`].
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("invalid RFC 3339 date-time: {text:?}"))
        })
    }

    /// `Option<DateTime<Utc>>` variant.
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serializes `Some` like the parent module, `None` as `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<DateTime<Utc>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::serialize(v, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Deserializes `null` as `None`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            match Option::<String>::deserialize(deserializer)? {
                Some(text) => super::parse(&text).map(Some).ok_or_else(|| {
                    serde::de::Error::custom(format!("invalid RFC 3339 date-time: {text:?}"))
                }),
                None => Ok(None),
            }
        }
    }
}

/// HTTP-dates (`format: date-time-rfc1123`), e.g. `Fri, 05 Jan 2024 09:30:00 GMT`.
pub mod rfc1123 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Parses an HTTP-date (IMF-fixdate; the obsolete RFC 850 and asctime forms too).
    pub fn parse(text: &str) -> Option<DateTime<Utc>> {
        httpdate::parse_http_date(text.trim())
            .ok()
            .map(DateTime::<Utc>::from)
    }

    /// Formats as IMF-fixdate, e.g. `Fri, 05 Jan 2024 09:30:00 GMT`.
    pub fn format(value: &DateTime<Utc>) -> String {
        value.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
    }

    /// Serializes with [`format()`].
    pub fn serialize<S: Serializer>(
        value: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(value))
    }

    /// Deserializes with [`parse()`].
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid RFC 1123 date: {text:?}")))
    }

    /// `Option<DateTime<Utc>>` variant.
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serializes `Some` like the parent module, `None` as `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<DateTime<Utc>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::serialize(v, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Deserializes `null` as `None`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            match Option::<String>::deserialize(deserializer)? {
                Some(text) => super::parse(&text).map(Some).ok_or_else(|| {
                    serde::de::Error::custom(format!("invalid RFC 1123 date: {text:?}"))
                }),
                None => Ok(None),
            }
        }
    }
}

/// Base64 byte strings (`format: byte`) as `Vec<u8>`.
pub mod base64 {
    use ::base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use ::base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Decodes standard Base64, also accepting missing padding and the URL-safe alphabet.
    pub fn decode(text: &str) -> Option<Vec<u8>> {
        let text = text.trim();
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok())
    }

    /// Encodes as standard Base64 with padding.
    pub fn encode(bytes: &[u8]) -> String {
        STANDARD.encode(bytes)
    }

    /// Serializes with [`encode()`].
    pub fn serialize<S: Serializer>(value: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&encode(value))
    }

    /// Deserializes with [`decode()`].
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        decode(&text).ok_or_else(|| serde::de::Error::custom("invalid Base64"))
    }

    /// `Option<Vec<u8>>` variant.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serializes `Some` like the parent module, `None` as `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<Vec<u8>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::serialize(v, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Deserializes `null` as `None`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Vec<u8>>, D::Error> {
            match Option::<String>::deserialize(deserializer)? {
                Some(text) => super::decode(&text)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom("invalid Base64")),
                None => Ok(None),
            }
        }
    }
}

/// Unix timestamps in seconds (`format: unixtime`).
pub mod unix_time {
    use std::fmt;

    use chrono::{DateTime, Utc};
    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    /// Serializes as integer seconds since the epoch (sub-second part dropped).
    pub fn serialize<S: Serializer>(
        value: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(value.timestamp())
    }

    /// Deserializes integer or fractional seconds since the epoch.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        deserializer.deserialize_any(SecondsVisitor)
    }

    struct SecondsVisitor;

    impl Visitor<'_> for SecondsVisitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("seconds since the Unix epoch")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            DateTime::from_timestamp(v, 0).ok_or_else(|| E::custom("timestamp out of range"))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            let v = i64::try_from(v).map_err(|_| E::custom("timestamp out of range"))?;
            self.visit_i64(v)
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            if !v.is_finite() || v.abs() > 1e14 {
                return Err(E::custom("timestamp out of range"));
            }
            let secs = v.floor();
            // Both casts are in range: |secs| ≤ 1e14 and the fraction is in [0, 1).
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let (secs, nanos) = (secs as i64, ((v - secs) * 1e9) as u32);
            DateTime::from_timestamp(secs, nanos.min(999_999_999))
                .ok_or_else(|| E::custom("timestamp out of range"))
        }
    }

    /// `Option<DateTime<Utc>>` variant.
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serializes `Some` like the parent module, `None` as `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<DateTime<Utc>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::serialize(v, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Deserializes `null` as `None`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapper(#[serde(with = "super")] DateTime<Utc>);
            Ok(Option::<Wrapper>::deserialize(deserializer)?.map(|w| w.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Model {
        #[serde(with = "super::date_time")]
        at: DateTime<Utc>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "super::date_time::option"
        )]
        maybe_at: Option<DateTime<Utc>>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "super::rfc1123::option"
        )]
        modified: Option<DateTime<Utc>>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "super::base64::option"
        )]
        data: Option<Vec<u8>>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "super::unix_time::option"
        )]
        epoch: Option<DateTime<Utc>>,
    }

    fn t() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 1, 5, 9, 30, 0).single().unwrap()
    }

    #[test]
    fn round_trip_all_set() {
        let m = Model {
            at: t(),
            maybe_at: Some(t()),
            modified: Some(t()),
            data: Some(b"hi?".to_vec()),
            epoch: Some(t()),
        };
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "at": "2024-01-05T09:30:00Z",
                "maybe_at": "2024-01-05T09:30:00Z",
                "modified": "Fri, 05 Jan 2024 09:30:00 GMT",
                "data": "aGk/",
                "epoch": 1704447000
            })
        );
        assert_eq!(serde_json::from_value::<Model>(json).unwrap(), m);
    }

    #[test]
    fn missing_and_null_are_none() {
        let m: Model = serde_json::from_str(
            r#"{"at":"2024-01-05T09:30:00","maybe_at":null,"modified":null,"data":null,"epoch":null}"#,
        )
        .unwrap();
        assert_eq!(m.at, t());
        assert_eq!(
            (m.maybe_at, m.modified, m.data, m.epoch),
            (None, None, None, None)
        );
        let m: Model = serde_json::from_str(r#"{"at":"2024-01-05T11:30:00+02:00"}"#).unwrap();
        assert_eq!(m.at, t());
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"at":"2024-01-05T09:30:00Z"}"#
        );
    }

    #[test]
    fn lenient_and_strict_inputs() {
        use super::*;
        assert_eq!(
            date_time::parse("2024-01-05 09:30:00.1234567"),
            Some(t() + chrono::Duration::nanoseconds(123_456_700))
        );
        assert_eq!(date_time::parse("2024-01-05t09:30:00z"), Some(t()));
        assert_eq!(date_time::parse("yesterday"), None);
        assert_eq!(base64::decode("aGk_"), Some(b"hi?".to_vec()));
        assert_eq!(base64::decode("aGk"), Some(b"hi".to_vec()));
        assert_eq!(base64::decode("***"), None);
        let m: Result<Model, _> = serde_json::from_str(r#"{"at":"nope"}"#);
        assert!(m.is_err());
        let m: Model =
            serde_json::from_str(r#"{"at":"2024-01-05T09:30:00Z","epoch":1704447000.5}"#).unwrap();
        assert_eq!(m.epoch, Some(t() + chrono::Duration::milliseconds(500)));
    }
}
