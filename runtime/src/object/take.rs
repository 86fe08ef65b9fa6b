//! Taking all of a struct's fields in one call: [`Object::fields`] with a tuple type that
//! says, field by field, how each is read.
//!
//! A generated reader is then one call, one `let … else` and the struct literal; reading each
//! field (and handling its absence, `null` and errors) is generic code here, compiled only for
//! the field types a program reads. Tuples of up to 16 readers are readers themselves, so a
//! struct with more fields nests them: `((Required<_>, …16), (Optional<_>, …))`.

use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Object, Result};
use crate::serde_helpers;

/// How one field (or, for a tuple, several) is taken out of an [`Object`].
pub trait Take {
    /// What the field becomes.
    type Value;
    /// Takes the field named by the next key; `None` (with the error kept by the object)
    /// when a required field is missing or a value is invalid.
    fn take(object: &mut Object, keys: &mut std::slice::Iter<'_, &str>) -> Option<Self::Value>;
}

/// A required field of type `T` (an error when missing).
pub struct Required<T>(PhantomData<T>);

/// An optional field of type `Option<T>` (`None` when missing or `null`).
pub struct Optional<T>(PhantomData<T>);

/// A required field of a special wire format `F` (e.g. [`DateTimeText`]).
pub struct RequiredAs<F>(PhantomData<F>);

/// An optional field of a special wire format `F`.
pub struct OptionalAs<F>(PhantomData<F>);

/// A special wire format: the type it reads and how.
pub trait WireFormat {
    /// The Rust type of the field.
    type Value;
    /// Reads the JSON value.
    fn read(value: Value) -> Result<Self::Value>;
}

/// RFC 3339 text, read leniently ([`serde_helpers::date_time`]).
pub struct DateTimeText;
/// RFC 1123 text ([`serde_helpers::rfc1123`]).
pub struct Rfc1123Text;
/// Seconds since the epoch ([`serde_helpers::unix_time`]).
pub struct UnixTime;
/// Base64 text ([`serde_helpers::base64`]).
pub struct Base64Text;

/// `WireFormat` for a marker, reading with a [`serde_helpers`] module's `deserialize`.
macro_rules! wire_format {
    ($marker:ident, $value:ty, $module:ident) => {
        impl WireFormat for $marker {
            type Value = $value;
            fn read(value: Value) -> Result<Self::Value> {
                serde_helpers::$module::deserialize(value)
            }
        }
    };
}

wire_format!(DateTimeText, DateTime<Utc>, date_time);
wire_format!(Rfc1123Text, DateTime<Utc>, rfc1123);
wire_format!(UnixTime, DateTime<Utc>, unix_time);
wire_format!(Base64Text, Vec<u8>, base64);

/// The next key (a reader asks for exactly as many as it has fields, so there is one).
fn next<'k>(keys: &mut std::slice::Iter<'_, &'k str>) -> &'k str {
    keys.next().copied().unwrap_or_default()
}

impl<T: DeserializeOwned> Take for Required<T> {
    type Value = T;
    fn take(object: &mut Object, keys: &mut std::slice::Iter<'_, &str>) -> Option<T> {
        object.required(next(keys))
    }
}

impl<T: DeserializeOwned> Take for Optional<T> {
    type Value = Option<T>;
    fn take(object: &mut Object, keys: &mut std::slice::Iter<'_, &str>) -> Option<Option<T>> {
        Some(object.optional(next(keys)))
    }
}

impl<F: WireFormat> Take for RequiredAs<F> {
    type Value = F::Value;
    fn take(object: &mut Object, keys: &mut std::slice::Iter<'_, &str>) -> Option<F::Value> {
        object.required_with(next(keys), F::read)
    }
}

impl<F: WireFormat> Take for OptionalAs<F> {
    type Value = Option<F::Value>;
    fn take(object: &mut Object, keys: &mut std::slice::Iter<'_, &str>) -> Option<Option<F::Value>> {
        Some(object.optional_with(next(keys), F::read))
    }
}

/// `Take` for tuples of readers: every field is taken (so the object sees them all) before
/// any missing one makes the whole `None`.
macro_rules! take_tuple {
    ($($name:ident)+) => {
        impl<$($name: Take),+> Take for ($($name,)+) {
            type Value = ($($name::Value,)+);
            #[allow(non_snake_case)]
            fn take(object: &mut Object, keys: &mut std::slice::Iter<'_, &str>) -> Option<Self::Value> {
                $(let $name = $name::take(object, keys);)+
                Some(($($name?,)+))
            }
        }
    };
}

take_tuple!(A);
take_tuple!(A B);
take_tuple!(A B C);
take_tuple!(A B C D);
take_tuple!(A B C D E);
take_tuple!(A B C D E F);
take_tuple!(A B C D E F G);
take_tuple!(A B C D E F G H);
take_tuple!(A B C D E F G H I);
take_tuple!(A B C D E F G H I J);
take_tuple!(A B C D E F G H I J K);
take_tuple!(A B C D E F G H I J K L);
take_tuple!(A B C D E F G H I J K L M);
take_tuple!(A B C D E F G H I J K L M N);
take_tuple!(A B C D E F G H I J K L M N O);
take_tuple!(A B C D E F G H I J K L M N O P);

impl Object {
    /// Takes the fields named by `keys`, in order, as the readers `T` say: `None` (with the
    /// first error kept, for [`failure`](Self::failure)) if a required one is missing or any
    /// value is invalid.
    pub fn fields<T: Take>(&mut self, keys: &[&str]) -> Option<T::Value> {
        T::take(self, &mut keys.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(json: &str) -> Object {
        let Ok(Value::Object(map)) = serde_json::from_str(json) else { panic!("not an object: {json}") };
        Object::new(map, "Pet")
    }

    #[test]
    fn fields_are_taken_by_their_readers_and_nested_tuples_take_in_order() {
        let mut o = object(r#"{"id":7,"born":"2024-01-05T09:30:00Z","tags":["a"],"photo":"aGk=","name":null}"#);
        type Readers = (
            Required<i64>,
            (OptionalAs<DateTimeText>, Optional<Vec<String>>),
            (RequiredAs<Base64Text>, Optional<String>, OptionalAs<UnixTime>),
        );
        let keys = ["id", "born", "tags", "photo", "name", "checked"];
        let (id, (born, tags), (photo, name, checked)) = o.fields::<Readers>(&keys).unwrap();
        assert_eq!((id, tags, photo, name, checked), (7, Some(vec!["a".to_owned()]), b"hi".to_vec(), None, None));
        assert_eq!(born.map(|t| t.to_rfc3339()), Some("2024-01-05T09:30:00+00:00".to_owned()));
        assert!(o.finish(()).is_ok());
    }

    #[test]
    fn a_missing_or_invalid_field_makes_the_whole_none_with_its_error() {
        let mut o = object(r#"{"name":"Rex"}"#);
        assert!(o.fields::<(Optional<String>, Required<i64>)>(&["name", "id"]).is_none());
        assert_eq!(o.failure().to_string(), "Pet: missing field `id`");
        // An invalid optional field is `None`; the object reports its error when finished.
        let mut o = object(r#"{"id":1,"born":"yesterday"}"#);
        let taken = o.fields::<(Required<i64>, OptionalAs<Rfc1123Text>)>(&["id", "born"]);
        assert_eq!(taken.map(|(id, born)| (id, born.is_none())), Some((1, true)));
        assert!(o.finish(()).unwrap_err().to_string().starts_with("Pet.born: "));
    }
}

