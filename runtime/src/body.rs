//! Request bodies other than JSON: `application/x-www-form-urlencoded` from an object's members
//! and `multipart/form-data` with text and file parts. (JSON is [`Request::json`]; raw bytes
//! and text are [`Request::set_body`].)

use bytes::{BufMut, Bytes, BytesMut};
use serde::Serialize;

use crate::error::Error;
use crate::request::Request;

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

/// A `multipart/form-data` body being built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<Part>,
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text part (`content_type` defaults to none, i.e. `text/plain`).
    pub fn text(&mut self, name: &str, value: impl Into<String>, content_type: Option<&str>) {
        self.parts.push(Part {
            name: name.to_owned(),
            filename: None,
            content_type: content_type.map(str::to_owned),
            data: Bytes::from(value.into()),
        });
    }

    /// Adds a file part (`content_type` defaults to `application/octet-stream`).
    pub fn file(&mut self, name: &str, filename: &str, data: impl Into<Bytes>, content_type: Option<&str>) {
        self.parts.push(Part {
            name: name.to_owned(),
            filename: Some(filename.to_owned()),
            content_type: Some(content_type.unwrap_or("application/octet-stream").to_owned()),
            data: data.into(),
        });
    }

    /// The parts added so far.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The encoded body for `boundary`.
    pub fn encode(&self, boundary: &str) -> Bytes {
        let mut out = BytesMut::new();
        for part in &self.parts {
            out.put_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", quote(&part.name));
            if let Some(filename) = &part.filename {
                disposition.push_str(&format!("; filename=\"{}\"", quote(filename)));
            }
            out.put_slice(disposition.as_bytes());
            out.put_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                out.put_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
            }
            out.put_slice(b"\r\n");
            out.put_slice(&part.data);
            out.put_slice(b"\r\n");
        }
        out.put_slice(format!("--{boundary}--\r\n").as_bytes());
        out.freeze()
    }
}

/// Escapes a quoted-string value of a Content-Disposition header (and drops line breaks).
fn quote(value: &str) -> String {
    value.chars().filter(|c| *c != '\r' && *c != '\n').map(|c| if c == '"' { '\'' } else { c }).collect()
}

/// The `name=value` pairs of an object serialized with serde: scalars as text, arrays as one
/// pair per item, nested objects as JSON text; `null` members are left out.
fn form_pairs<T: Serialize + ?Sized>(body: &T) -> Result<Vec<(String, String)>, serde_json::Error> {
    let value = crate::serde_helpers::read_only::in_request(|| serde_json::to_value(body))?;
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut pairs = Vec::new();
    if let serde_json::Value::Object(map) = value {
        for (name, member) in map {
            match member {
                serde_json::Value::Null => {}
                serde_json::Value::Array(items) => pairs.extend(items.iter().map(|i| (name.clone(), text(i)))),
                other => pairs.push((name, text(&other))),
            }
        }
    }
    Ok(pairs)
}

impl Request {
    /// Sets an `application/x-www-form-urlencoded` body from an object's members.
    pub fn form<E, T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error<E>> {
        let pairs = form_pairs(body).map_err(|e| Error::validation("body", format!("cannot serialize as a form: {e}")))?;
        let encoded = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.set_body(encoded);
        if !self.headers.contains_key(http::header::CONTENT_TYPE) {
            self.content_type("application/x-www-form-urlencoded");
        }
        Ok(())
    }

    /// Sets a `multipart/form-data` body with a fresh boundary.
    pub fn multipart(&mut self, body: &Multipart) {
        let boundary = format!("restsmith-{}", uuid::Uuid::new_v4().simple());
        self.set_body(body.encode(&boundary));
        match http::HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}")) {
            Ok(value) => {
                self.headers.insert(http::header::CONTENT_TYPE, value);
            }
            Err(_) => self.reject("Content-Type", "invalid multipart boundary"),
        }
    }
}

/// `application/x-www-form-urlencoded` encoding (space as `+`).
fn form_encode(text: &str) -> String {
    crate::query::encode_component(text).replace("%20", "+")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_layout() {
        let mut body = Multipart::new();
        body.text("name", "Fido", None);
        body.file("photo", "photo", b"\x00\x01".to_vec(), Some("image/png"));
        let encoded = body.encode("B");
        assert_eq!(
            &encoded[..],
            &b"--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nFido\r\n--B\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"photo\"\r\nContent-Type: image/png\r\n\r\n\x00\x01\r\n--B--\r\n"[..]
        );
    }

    #[test]
    fn form_members() {
        let pairs = form_pairs(&serde_json::json!({"name": "a b", "tags": ["x", "y"], "age": 3, "gone": null})).unwrap();
        assert_eq!(pairs, vec![("name".into(), "a b".into()), ("tags".into(), "x".into()), ("tags".into(), "y".into()), ("age".into(), "3".into())]);
        assert_eq!(form_encode("a b&c"), "a+b%26c");
    }
}
