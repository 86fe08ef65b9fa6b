//! Responses wrapped in an envelope (`x-restsmith-envelope`): the payload sits at one JSON
//! pointer of the body, a whole-request error at another (Volcengine: `/Result` and
//! `/ResponseMetadata/Error`). The error counts even on HTTP 200.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, ErrorBody};
use crate::response::RawResponse;

impl RawResponse {
    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The string at `pointer` in a JSON body (e.g. an envelope's request id), if any.
    pub fn body_str_at(&self, pointer: &str) -> Option<String> {
        let body: Value = serde_json::from_slice(&self.body).ok()?;
        body.pointer(pointer)?.as_str().map(str::to_owned)
    }

    /// Decodes the payload at `result_pointer`; a non-null value at `error_pointer` makes the
    /// response an [`Error::Api`] (decoded as `E` from the whole body).
    pub fn envelope_result<T: DeserializeOwned, E: DeserializeOwned + ErrorBody>(
        &self,
        result_pointer: &str,
        error_pointer: &str,
    ) -> Result<T, Error<E>> {
        let body: Value = self.json()?;
        if body.pointer(error_pointer).is_some_and(|e| !e.is_null()) {
            return Err(self.clone().into_error());
        }
        match body.pointer(result_pointer) {
            Some(result) => serde_json::from_value(result.clone()).map_err(|e| {
                Error::Decode(Box::new(self.decode_error(
                    format!("envelope member `{result_pointer}` does not decode: {e}"),
                    Some(Box::new(e)),
                )))
            }),
            None => Err(Error::Decode(Box::new(
                self.decode_error(format!("the response envelope has no `{result_pointer}`"), None),
            ))),
        }
    }
}
