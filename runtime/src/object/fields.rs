//! The field list of a generated struct, written once per struct and shared by its
//! `Serialize`, `Debug` and `PartialEq` impls.
//!
//! A struct's [`ListFields::list_fields`] names each field with a reference to its value
//! (type-erased as [`FieldValue`]) and how it goes on the wire. Serializing writes the list as
//! a map (optional fields that are `None` left out, read-only ones left out of request bodies,
//! special formats applied); `Debug` prints every field as the derived one would; `==`
//! compares the values pairwise. The per-type code (serializing, formatting, comparing a
//! `String` or a `Vec<Pet>`) lives in the vtables, shared by every struct with a field of that
//! type, and each generated impl is one call.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt::Debug;

use chrono::{DateTime, Utc};

use crate::serde_helpers;

/// A struct whose fields can be listed: generated models implement it, and their
/// `Serialize`, `Debug` and `PartialEq` impls go through the list.
pub trait ListFields {
    /// The struct's fields, in declaration order.
    fn list_fields(&self) -> Fields<'_>;
}

/// A value a struct lists as a field: serializable, printable, comparable (implemented for
/// every type that is all three and owns its data).
pub trait FieldValue: Debug + Any {
    /// The value as a serde value.
    fn as_serialize(&self) -> &dyn erased_serde::Serialize;
    /// The value as `Any`, to compare it with another of the same type.
    fn as_any(&self) -> &dyn Any;
    /// Whether `other` is a value of the same type equal to this one.
    fn equals(&self, other: &dyn FieldValue) -> bool;
}

impl<T: serde::Serialize + Debug + PartialEq + Any> FieldValue for T {
    fn as_serialize(&self) -> &dyn erased_serde::Serialize {
        self
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn equals(&self, other: &dyn FieldValue) -> bool {
        other.as_any().downcast_ref::<T>() == Some(self)
    }
}

/// A special wire format of a field (of type `DateTime<Utc>` or `Vec<u8>`, or an `Option` of
/// one); see [`serde_helpers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// RFC 3339 text.
    DateTime,
    /// RFC 1123 text (`Fri, 05 Jan 2024 09:30:00 GMT`).
    Rfc1123,
    /// Integer seconds since the epoch.
    UnixTime,
    /// Standard Base64 text.
    Base64,
}

/// How an entry is written.
#[derive(Clone, Copy)]
enum Wire {
    /// With the value's own `Serialize` (an `Option` that is `None` as `null`).
    Plain,
    /// In a special format.
    Formatted(Format),
    /// Not at all: an optional field that is `None`.
    Omitted,
    /// Not at all: a map of extra properties, written as its entries (listed after it).
    Expanded,
}

/// One entry of the list.
struct Entry<'a> {
    /// The property name on the wire.
    key: &'a str,
    /// The Rust field name, for `Debug`.
    label: &'a str,
    value: &'a dyn FieldValue,
    wire: Wire,
    /// Left out of request bodies.
    read_only: bool,
    /// Part of the struct's `Debug` and `==` (not an expanded extra property).
    shown: bool,
}

/// The fields of a struct, in order, as [`ListFields::list_fields`] returns them.
pub struct Fields<'a> {
    entries: Vec<Entry<'a>>,
}

impl<'a> Fields<'a> {
    /// Room for `capacity` fields.
    pub fn with_capacity(capacity: usize) -> Self {
        Self { entries: Vec::with_capacity(capacity) }
    }

    fn push(&mut self, key: &'a str, value: &'a dyn FieldValue, wire: Wire) {
        self.entries.push(Entry { key, label: key, value, wire, read_only: false, shown: true });
    }

    /// A field written with its own `Serialize` (a required, nullable one is an `Option`
    /// written as `null` when `None`).
    pub fn add(&mut self, key: &'a str, value: &'a dyn FieldValue) {
        self.push(key, value, Wire::Plain);
    }

    /// An optional field: left out of the serialized form when `None`.
    pub fn optional<T: serde::Serialize + Debug + PartialEq + Any>(&mut self, key: &'a str, value: &'a Option<T>) {
        self.push(key, value, if value.is_some() { Wire::Plain } else { Wire::Omitted });
    }

    /// A field of a special wire format (a `DateTime<Utc>` or `Vec<u8>`, or an `Option` of
    /// one written as `null` when `None`).
    pub fn add_as(&mut self, key: &'a str, value: &'a dyn FieldValue, format: Format) {
        self.push(key, value, Wire::Formatted(format));
    }

    /// An optional field of a special wire format: left out when `None`.
    pub fn optional_as<T: serde::Serialize + Debug + PartialEq + Any>(&mut self, key: &'a str, value: &'a Option<T>, format: Format) {
        self.push(key, value, if value.is_some() { Wire::Formatted(format) } else { Wire::Omitted });
    }

    /// The properties not named by the schema (`additionalProperties`), written after the
    /// fields; `Debug` shows them as the field `additional_properties`.
    pub fn rest<T: serde::Serialize + Debug + PartialEq + Any>(&mut self, properties: &'a BTreeMap<String, T>) {
        self.push("additional_properties", properties, Wire::Expanded);
        for (key, value) in properties {
            self.entries.push(Entry { key, label: key, value, wire: Wire::Plain, read_only: false, shown: false });
        }
    }

    /// Marks the last field read-only: left out of request bodies (see
    /// [`read_only`](crate::serde_helpers::read_only)).
    pub fn read_only(&mut self) {
        if let Some(last) = self.entries.last_mut() {
            last.read_only = true;
        }
    }

    /// Names the last field `label` in `Debug` (the Rust name, when it is not the wire name).
    pub fn label(&mut self, label: &'a str) {
        if let Some(last) = self.entries.last_mut() {
            last.label = label;
        }
    }

    /// `Debug` of struct `name`: every field (extra properties as one map), as derived.
    pub fn debug(&self, f: &mut std::fmt::Formatter<'_>, name: &str) -> std::fmt::Result {
        let mut out = f.debug_struct(name);
        for entry in self.entries.iter().filter(|e| e.shown) {
            out.field(entry.label, &entry.value);
        }
        out.finish()
    }
}

/// Equal when every field is (two lists of the same struct).
impl PartialEq for Fields<'_> {
    fn eq(&self, other: &Self) -> bool {
        let mut left = self.entries.iter().filter(|e| e.shown);
        let mut right = other.entries.iter().filter(|e| e.shown);
        loop {
            match (left.next(), right.next()) {
                (Some(l), Some(r)) if l.value.equals(r.value) => {}
                (None, None) => return true,
                _ => return false,
            }
        }
    }
}

impl Debug for Fields<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.debug(f, "Fields")
    }
}

/// A formatted value, or `None` for a `None` (written as `null`).
enum Formatted {
    Text(String),
    Integer(i64),
}

/// `value` (a `DateTime<Utc>` or `Vec<u8>`, or an `Option` of one) in `format`; `Ok(None)`
/// for `None`, and an error for a type the format does not apply to.
fn format_value(value: &dyn FieldValue, format: Format) -> Result<Option<Formatted>, String> {
    let any = value.as_any();
    let time = || match any.downcast_ref::<DateTime<Utc>>() {
        Some(time) => Ok(Some(time)),
        None => any.downcast_ref::<Option<DateTime<Utc>>>().map(Option::as_ref).ok_or(()),
    };
    let bytes = || match any.downcast_ref::<Vec<u8>>() {
        Some(bytes) => Ok(Some(bytes)),
        None => any.downcast_ref::<Option<Vec<u8>>>().map(Option::as_ref).ok_or(()),
    };
    let formatted = match format {
        Format::DateTime => time().map(|t| t.map(|t| Formatted::Text(serde_helpers::date_time::format(t)))),
        Format::Rfc1123 => time().map(|t| t.map(|t| Formatted::Text(serde_helpers::rfc1123::format(t)))),
        Format::UnixTime => time().map(|t| t.map(|t| Formatted::Integer(t.timestamp()))),
        Format::Base64 => bytes().map(|b| b.map(|b| Formatted::Text(serde_helpers::base64::encode(b)))),
    };
    formatted.map_err(|()| format!("{format:?} does not apply to {value:?}"))
}

impl serde::Serialize for Fields<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeMap};
        let in_request = self.entries.iter().any(|e| e.read_only) && serde_helpers::read_only::is_request();
        let sent = |e: &&Entry<'_>| !(matches!(e.wire, Wire::Omitted | Wire::Expanded) || e.read_only && in_request);
        let mut map = serializer.serialize_map(Some(self.entries.iter().filter(sent).count()))?;
        for entry in self.entries.iter().filter(sent) {
            match entry.wire {
                Wire::Formatted(format) => match format_value(entry.value, format).map_err(S::Error::custom)? {
                    Some(Formatted::Text(text)) => map.serialize_entry(entry.key, &text)?,
                    Some(Formatted::Integer(number)) => map.serialize_entry(entry.key, &number)?,
                    None => map.serialize_entry(entry.key, &())?,
                },
                _ => map.serialize_entry(entry.key, entry.value.as_serialize())?,
            }
        }
        map.end()
    }
}

/// The `Serialize` of a generated struct: its field list as a map.
pub fn serialize<T: ListFields + ?Sized, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&value.list_fields(), serializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::{json, Value};

    /// A struct written the way restsmith generates them.
    #[derive(Clone)]
    struct Pet {
        id: i64,
        type_: Option<String>,
        nickname: Option<String>,
        born: Option<DateTime<Utc>>,
        photo: Vec<u8>,
        checked: Option<DateTime<Utc>>,
        extra: BTreeMap<String, Value>,
    }

    impl ListFields for Pet {
        fn list_fields(&self) -> Fields<'_> {
            let mut fields = Fields::with_capacity(6);
            fields.add("id", &self.id);
            fields.optional("type", &self.type_);
            fields.label("type_");
            fields.add("nickname", &self.nickname);
            fields.optional_as("born", &self.born, Format::DateTime);
            fields.read_only();
            fields.add_as("photo", &self.photo, Format::Base64);
            fields.add_as("checked", &self.checked, Format::UnixTime);
            fields.rest(&self.extra);
            fields
        }
    }

    impl serde::Serialize for Pet {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize(self, serializer)
        }
    }

    fn pet() -> Pet {
        Pet {
            id: 7,
            type_: None,
            nickname: None,
            born: Utc.with_ymd_and_hms(2024, 1, 5, 9, 30, 0).single(),
            photo: b"hi".to_vec(),
            checked: Utc.timestamp_opt(1_700_000_000, 0).single(),
            extra: BTreeMap::from([("color".to_owned(), json!("grey"))]),
        }
    }

    #[test]
    fn the_list_is_written_as_a_map_with_formats_and_extra_properties() {
        let written = serde_json::to_string(&pet()).unwrap();
        assert_eq!(
            written,
            r#"{"id":7,"nickname":null,"born":"2024-01-05T09:30:00Z","photo":"aGk=","checked":1700000000,"color":"grey"}"#
        );
        let request = serde_helpers::read_only::in_request(|| serde_json::to_value(pet())).unwrap();
        assert!(request.get("born").is_none() && request.get("photo").is_some());
        let mut unset = pet();
        unset.checked = None;
        unset.type_ = Some("cat".into());
        let written = serde_json::to_value(&unset).unwrap();
        assert_eq!((&written["type"], &written["checked"]), (&json!("cat"), &Value::Null));
    }

    #[test]
    fn debug_prints_every_field_as_derived() {
        let printed = format!("{:?}", DebugPet(pet()));
        assert_eq!(
            printed,
            "Pet { id: 7, type_: None, nickname: None, born: Some(2024-01-05T09:30:00Z), photo: [104, 105], \
             checked: Some(2023-11-14T22:13:20Z), additional_properties: {\"color\": String(\"grey\")} }"
        );
        assert!(format!("{:#?}", DebugPet(pet())).starts_with("Pet {\n    id: 7,\n"));
    }

    struct DebugPet(Pet);

    impl Debug for DebugPet {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.list_fields().debug(f, "Pet")
        }
    }

    #[test]
    fn lists_are_equal_when_every_field_is() {
        let (a, mut b) = (pet(), pet());
        assert!(a.list_fields() == b.list_fields());
        b.extra.insert("size".into(), json!(3));
        assert!(a.list_fields() != b.list_fields());
        let mut c = pet();
        c.nickname = Some("Tom".into());
        assert!(a.list_fields() != c.list_fields());
        let mut d = pet();
        d.photo.push(0);
        assert!(a.list_fields() != d.list_fields());
        assert!(!7i64.equals(&7i32), "values of different types are never equal");
    }

    #[test]
    fn a_format_on_the_wrong_type_is_a_serialization_error() {
        struct Wrong(String);
        impl serde::Serialize for Wrong {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut fields = Fields::with_capacity(1);
                fields.add_as("when", &self.0, Format::DateTime);
                serde::Serialize::serialize(&fields, serializer)
            }
        }
        let error = serde_json::to_string(&Wrong("now".into())).unwrap_err().to_string();
        assert!(error.contains("DateTime does not apply to \"now\""), "{error}");
    }
}
