//! How generated structs read themselves from JSON and list their fields: the object is
//! collected into an [`Object`] first, and the struct takes its fields out of it by name; the
//! other way, a struct lists its fields in [`Fields`] ([`ListFields`]), which its `Serialize`,
//! `Debug` and `PartialEq` share.
//!
//! serde's derived `Deserialize` is one large generic visitor per struct, compiled again for
//! every input format; on big APIs that is most of a generated crate's build time. Generated
//! structs instead implement `Deserialize` in two lines that call [`Object::read`] and a
//! non-generic function taking every field at once with [`Object::fields`] (its readers,
//! [`Required`], [`Optional`] and those of wire formats; see [`Take`]); the per-type work here
//! is shared by every struct with a field of that type.
//! The behaviour is serde's for the attributes generated models used: unknown properties are
//! ignored (or kept, for schemas with `additionalProperties`), optional fields are `None` when
//! missing or `null`, and a missing required field is an error naming it (unlike serde, a
//! property sent twice is not an error: the first is the field's). Reading costs more at run
//! time than serde's derives (`cargo bench -p restsmith-runtime --bench object`: about 1.8x
//! to decode, 2.1x to encode), which a network client can afford. Errors also name the
//! struct, so a nested one reads `Outer.items: Item.id: invalid type: …` (serde_json's line and
//! column are not added: the object has been read when its fields are checked).

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Error as _};
use serde_json::{Map, Value};

mod fields;
mod take;

pub use fields::{serialize, FieldValue, Fields, Format, ListFields};
pub use take::{Base64Text, DateTimeText, Optional, OptionalAs, Required, RequiredAs, Rfc1123Text, Take, UnixTime, WireFormat};

/// The result of reading a struct's fields (errors are serde_json's, turned into the input
/// format's error by the caller).
pub type Result<T> = std::result::Result<T, serde_json::Error>;

/// A function that reads a value of a special wire format (the `deserialize` of a
/// [`serde_helpers`](crate::serde_helpers) module, at `Value`).
pub type ReadWith<T> = fn(Value) -> Result<T>;

/// The properties of one JSON object, taken out field by field.
///
/// Taking a field never fails on the spot: the first error is kept, the field comes back as
/// `None`, and [`finish`](Self::finish) reports the error. The generated reader then has one
/// branch (for the required fields) instead of one per field, which keeps it cheap to compile.
#[derive(Debug)]
pub struct Object {
    type_name: &'static str,
    /// In the order received; a taken value is `None`.
    properties: Vec<(String, Option<Value>)>,
    /// Where the next field is looked for first: fields mostly arrive in the schema's order.
    next: usize,
    error: Option<serde_json::Error>,
}

/// Collects a map's entries in order, without hashing (the object is read once, by name).
struct EntriesVisitor;

impl<'de> serde::de::Visitor<'de> for EntriesVisitor {
    type Value = Vec<(String, Option<Value>)>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a map")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            entries.push((key, Some(value)));
        }
        Ok(entries)
    }
}

impl Object {
    /// Reads a JSON object (an error for anything else) for the struct `type_name`.
    pub fn read<'de, D: serde::Deserializer<'de>>(deserializer: D, type_name: &'static str) -> std::result::Result<Self, D::Error> {
        let properties = deserializer.deserialize_map(EntriesVisitor)?;
        Ok(Self { type_name, properties, next: 0, error: None })
    }

    /// The object's properties, for the struct `type_name`.
    pub fn new(properties: Map<String, Value>, type_name: &'static str) -> Self {
        let properties = properties.into_iter().map(|(key, value)| (key, Some(value))).collect();
        Self { type_name, properties, next: 0, error: None }
    }

    /// Takes the value of `key` (the first, if the object repeats it): searched from where the
    /// last one was found, then from the start.
    fn take(&mut self, key: &str) -> Option<Value> {
        let start = self.next.min(self.properties.len());
        let matches = |(k, v): &(String, Option<Value>)| k == key && v.is_some();
        let index = match self.properties[start..].iter().position(matches) {
            Some(i) => start + i,
            None => self.properties[..start].iter().position(matches)?,
        };
        self.next = index + 1;
        self.properties[index].1.take()
    }

    /// `Deserialize::deserialize` of a generated struct: reads the object, then the struct's
    /// fields with `read`.
    pub fn deserialize<'de, D: serde::Deserializer<'de>, T>(
        deserializer: D,
        type_name: &'static str,
        read: fn(Object) -> Result<T>,
    ) -> std::result::Result<T, D::Error> {
        read(Self::read(deserializer, type_name)?).map_err(Self::error)
    }

    /// Turns a reader's error into the input format's error.
    pub fn error<E: serde::de::Error>(error: serde_json::Error) -> E {
        E::custom(error)
    }

    /// Keeps the first error.
    fn fail(&mut self, error: serde_json::Error) {
        self.error.get_or_insert(error);
    }

    fn missing(&mut self, key: &str) {
        let error = serde_json::Error::custom(format_args!("{}: missing field `{key}`", self.type_name));
        self.fail(error);
    }

    fn invalid(&mut self, key: &str, error: serde_json::Error) {
        let error = serde_json::Error::custom(format_args!("{}.{key}: {error}", self.type_name));
        self.fail(error);
    }

    /// Takes a required property: `None`, with the error kept, when it is missing or invalid.
    pub fn required<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        match self.take(key) {
            Some(value) => self.convert(key, value, serde_json::from_value),
            None => {
                self.missing(key);
                None
            }
        }
    }

    /// Takes an optional property: `None` when it is missing or `null` (or invalid, with the
    /// error kept).
    pub fn optional<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        match self.take(key) {
            None | Some(Value::Null) => None,
            Some(value) => self.convert(key, value, serde_json::from_value),
        }
    }

    /// [`required`](Self::required) for a value of a special wire format, read by `read`.
    pub fn required_with<T>(&mut self, key: &str, read: ReadWith<T>) -> Option<T> {
        match self.take(key) {
            Some(value) => self.convert(key, value, read),
            None => {
                self.missing(key);
                None
            }
        }
    }

    /// [`optional`](Self::optional) for a value of a special wire format, read by `read`.
    pub fn optional_with<T>(&mut self, key: &str, read: ReadWith<T>) -> Option<T> {
        match self.take(key) {
            None | Some(Value::Null) => None,
            Some(value) => self.convert(key, value, read),
        }
    }

    fn convert<T>(&mut self, key: &str, value: Value, read: ReadWith<T>) -> Option<T> {
        match read(value) {
            Ok(value) => Some(value),
            Err(e) => {
                self.invalid(key, e);
                None
            }
        }
    }

    /// The properties not taken yet, for a struct that keeps unknown properties
    /// (`additionalProperties`); an invalid one is left out, with the error kept.
    pub fn rest<T: DeserializeOwned>(&mut self) -> BTreeMap<String, T> {
        let mut rest = BTreeMap::new();
        for (key, value) in std::mem::take(&mut self.properties) {
            let Some(value) = value else { continue };
            if let Some(value) = self.convert(&key, value, serde_json::from_value) {
                rest.insert(key, value);
            }
        }
        rest
    }

    /// The error that made a required field `None` (a generic one if, unexpectedly, none was
    /// kept).
    pub fn failure(&mut self) -> serde_json::Error {
        let type_name = self.type_name;
        self.error.take().unwrap_or_else(|| serde_json::Error::custom(format_args!("{type_name}: invalid object")))
    }

    /// The struct read, or the first error taking its fields.
    pub fn finish<T>(mut self, value: T) -> Result<T> {
        match self.error.take() {
            None => Ok(value),
            Some(error) => Err(error),
        }
    }
}

/// A union's variant `T`, if `value` deserializes into it (unions take the first that does).
pub fn variant<T: DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// The error for a value none of the union `type_name`'s variants accepts.
pub fn no_variant(type_name: &str) -> serde_json::Error {
    serde_json::Error::custom(format_args!("the value matches no variant of {type_name}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serde_helpers;
    use serde::Deserialize;

    /// A struct written the way restsmith generates them.
    struct Pet {
        id: i64,
        name: Option<String>,
        born: Option<chrono::DateTime<chrono::Utc>>,
        parent: Option<Box<Pet>>,
        extra: BTreeMap<String, Value>,
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
            fn read(mut o: Object) -> Result<Pet> {
                type Readers = (Required<i64>, Optional<String>, OptionalAs<DateTimeText>, Optional<Box<Pet>>);
                let Some((id, name, born, parent)) = o.fields::<Readers>(&["id", "name", "born", "parent"]) else {
                    return Err(o.failure());
                };
                let pet = Pet { id, name, born, parent, extra: o.rest() };
                o.finish(pet)
            }
            Object::deserialize(deserializer, "Pet", read)
        }
    }

    impl ListFields for Pet {
        fn list_fields(&self) -> Fields<'_> {
            let mut fields = Fields::with_capacity(4);
            fields.add("id", &self.id);
            fields.add("name", &self.name);
            fields.optional_as("born", &self.born, Format::DateTime);
            fields.read_only();
            fields.optional("parent", &self.parent);
            fields.rest(&self.extra);
            fields
        }
    }

    impl serde::Serialize for Pet {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
            serialize(self, serializer)
        }
    }

    impl std::fmt::Debug for Pet {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.list_fields().debug(f, "Pet")
        }
    }

    impl PartialEq for Pet {
        fn eq(&self, other: &Self) -> bool {
            self.list_fields() == other.list_fields()
        }
    }

    #[test]
    fn fields_are_taken_by_name_and_the_rest_is_kept() {
        let pet: Pet = serde_json::from_str(
            r#"{"name":null,"id":7,"born":"2024-01-05T09:30:00Z","color":"grey","parent":{"id":1}}"#,
        )
        .unwrap();
        assert_eq!(pet.id, 7);
        assert_eq!(pet.name, None);
        assert_eq!(pet.born.unwrap().to_rfc3339(), "2024-01-05T09:30:00+00:00");
        assert_eq!(pet.parent.as_ref().map(|p| p.id), Some(1));
        assert_eq!(pet.extra, BTreeMap::from([("color".to_owned(), Value::from("grey"))]));
    }

    #[test]
    fn fields_are_written_in_order_and_read_only_ones_left_out_of_requests() {
        let json = r#"{"id":7,"name":null,"born":"2024-01-05T09:30:00Z","parent":{"id":1,"name":"Rex"},"color":"grey"}"#;
        let pet: Pet = serde_json::from_str(json).unwrap();
        assert_eq!(serde_json::to_string(&pet).unwrap(), json);
        let request = serde_helpers::read_only::in_request(|| serde_json::to_value(&pet)).unwrap();
        assert!(request.get("born").is_none() && request.get("name") == Some(&Value::Null));
    }

    #[test]
    fn fields_are_found_in_any_order_and_a_repeated_key_counts_once() {
        let pet: Pet = serde_json::from_str(r#"{"parent":{"name":"Rex","id":1},"name":"Tom","id":7,"id":8}"#).unwrap();
        assert_eq!((pet.id, pet.name.as_deref()), (7, Some("Tom")));
        assert_eq!(pet.parent.map(|p| (p.id, p.name)), Some((1, Some("Rex".to_owned()))));
        // The repeated `id` is not taken, so it is an unknown property.
        assert_eq!(pet.extra, BTreeMap::from([("id".to_owned(), Value::from(8))]));
    }

    #[test]
    fn errors_name_the_struct_and_field() {
        let missing = serde_json::from_str::<Pet>(r#"{"name":"x"}"#).unwrap_err().to_string();
        assert_eq!(missing, "Pet: missing field `id`");
        let nested = serde_json::from_str::<Pet>(r#"{"id":1,"parent":{"id":"one"}}"#).unwrap_err().to_string();
        assert_eq!(nested, "Pet.parent: Pet.id: invalid type: string \"one\", expected i64");
        let format = serde_json::from_str::<Pet>(r#"{"id":1,"born":"yesterday"}"#).unwrap_err().to_string();
        assert!(format.starts_with("Pet.born: "), "{format}");
        let not_object = serde_json::from_str::<Pet>("[1]").unwrap_err().to_string();
        assert!(not_object.starts_with("invalid type: sequence, expected a map"), "{not_object}");
    }

    #[test]
    fn debug_and_equality_go_through_the_field_list() {
        let pet: Pet = serde_json::from_str(r#"{"id":7,"parent":{"id":1}}"#).unwrap();
        assert_eq!(
            format!("{pet:?}"),
            "Pet { id: 7, name: None, born: None, parent: Some(Pet { id: 1, name: None, born: None, parent: None, \
             additional_properties: {} }), additional_properties: {} }"
        );
        let same: Pet = serde_json::from_str(r#"{"parent":{"id":1},"id":7}"#).unwrap();
        let other: Pet = serde_json::from_str(r#"{"id":7,"parent":{"id":2}}"#).unwrap();
        assert!(pet == same && pet != other);
    }
}
