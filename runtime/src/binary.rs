//! [`Binary`]: a raw request body (`application/octet-stream`, `text/plain`, …) held in
//! memory or read from a stream while the request is sent.
//!
//! Generated methods take `impl Into<Binary>` for such bodies, so bytes (`Vec<u8>`,
//! [`Bytes`], `&'static [u8]`) and text (`String`, `&'static str`) pass unchanged, and a large
//! upload streams from a file, a reader or any [`Stream`] without being buffered.
//!
//! A streamed body can be sent **once**: the pipeline makes a single attempt for such a
//! request (no retry after a transport error or a retryable status, since the bytes already
//! sent cannot be replayed), and credentials that sign a hash of the payload (Volcengine V4)
//! refuse it. Pass bytes when a retry or such a signature is needed.

use std::fmt;
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::{Stream, StreamExt as _, TryStreamExt as _};
use tokio::io::AsyncRead;

use crate::error::BoxError;

/// The boxed stream a streamed body is read from.
pub(crate) type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send + 'static>>;

/// A request body of raw bytes: in memory, or a stream read once while sending.
///
/// Cloning a streamed body shares the one stream: whichever clone is sent first consumes
/// it, and sending another clone afterwards fails with a transport error.
#[derive(Clone)]
pub struct Binary {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    Bytes(Bytes),
    Stream(StreamBody),
}

/// A streamed body: the stream (taken by the first send) and its length if known.
#[derive(Clone)]
pub(crate) struct StreamBody {
    slot: Arc<Mutex<Option<ByteStream>>>,
    length: Option<u64>,
}

impl StreamBody {
    /// The length announced in `Content-Length`, if the caller gave one.
    pub(crate) fn length(&self) -> Option<u64> {
        self.length
    }

    /// Takes the stream out; `None` when an earlier send already consumed it.
    pub(crate) fn take(&self) -> Option<ByteStream> {
        match self.slot.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        }
    }
}

impl Binary {
    /// A body read from `stream` while the request is sent, with no `Content-Length`
    /// (sent with chunked transfer encoding over HTTP/1.1).
    ///
    /// An error from the stream aborts the request with [`crate::Error::Transport`].
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        Self::stream(stream, None)
    }

    /// A body read from `stream` that yields exactly `length` bytes, announced in
    /// `Content-Length` (some services, and Azure Batch Shared Key signing, need it). A stream
    /// that yields a different number of bytes makes the request fail.
    pub fn from_stream_with_length<S, B, E>(stream: S, length: u64) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        Self::stream(stream, Some(length))
    }

    /// A body read from `reader` (a file, a pipe, a decompressor, …) while sending, with no
    /// `Content-Length`.
    pub fn from_reader<R>(reader: R) -> Self
    where
        R: AsyncRead + Send + 'static,
    {
        Self::from_stream(tokio_util::io::ReaderStream::new(reader))
    }

    /// A body streamed from the file at `path`, with its current size as `Content-Length`.
    ///
    /// # Errors
    ///
    /// The I/O error from opening the file or reading its metadata.
    pub async fn from_file(path: impl AsRef<Path>) -> io::Result<Self> {
        let file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        Ok(Self::from_stream_with_length(
            tokio_util::io::ReaderStream::new(file),
            length,
        ))
    }

    fn stream<S, B, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream: ByteStream = stream.map_ok(Into::into).map_err(Into::into).boxed();
        Binary {
            repr: Repr::Stream(StreamBody {
                slot: Arc::new(Mutex::new(Some(stream))),
                length,
            }),
        }
    }

    /// The bytes of an in-memory body; `None` for a streamed one.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.repr {
            Repr::Bytes(bytes) => Some(bytes),
            Repr::Stream(_) => None,
        }
    }

    /// Whether the body is streamed (sent once, never retried).
    pub fn is_stream(&self) -> bool {
        matches!(self.repr, Repr::Stream(_))
    }

    /// The body's length when known: always for bytes, for a stream only when given.
    pub fn len(&self) -> Option<u64> {
        match &self.repr {
            Repr::Bytes(bytes) => Some(bytes.len() as u64),
            Repr::Stream(stream) => stream.length,
        }
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// Splits into the in-memory bytes or the stream.
    pub(crate) fn into_parts(self) -> Result<Bytes, StreamBody> {
        match self.repr {
            Repr::Bytes(bytes) => Ok(bytes),
            Repr::Stream(stream) => Err(stream),
        }
    }
}

impl Default for Binary {
    /// An empty in-memory body.
    fn default() -> Self {
        Binary::from(Bytes::new())
    }
}

/// Shows the length only, never the content.
impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Bytes(bytes) => f.debug_struct("Binary").field("len", &bytes.len()).finish(),
            Repr::Stream(stream) => f
                .debug_struct("Binary")
                .field("stream", &true)
                .field("len", &stream.length)
                .finish(),
        }
    }
}

/// Two in-memory bodies are equal when their bytes are; a streamed body equals only
/// itself (a clone sharing the same stream).
impl PartialEq for Binary {
    fn eq(&self, other: &Self) -> bool {
        match (&self.repr, &other.repr) {
            (Repr::Bytes(a), Repr::Bytes(b)) => a == b,
            (Repr::Stream(a), Repr::Stream(b)) => Arc::ptr_eq(&a.slot, &b.slot),
            _ => false,
        }
    }
}

impl From<Bytes> for Binary {
    fn from(bytes: Bytes) -> Self {
        Binary {
            repr: Repr::Bytes(bytes),
        }
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Binary::from(Bytes::from_static(bytes))
    }
}

impl<const N: usize> From<&'static [u8; N]> for Binary {
    fn from(bytes: &'static [u8; N]) -> Self {
        Binary::from(Bytes::from_static(bytes))
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary::from(Bytes::from(text))
    }
}

impl From<&'static str> for Binary {
    fn from(text: &'static str) -> Self {
        Binary::from(Bytes::from_static(text.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_and_lengths() {
        assert_eq!(Binary::from(vec![1u8, 2]).len(), Some(2));
        assert_eq!(Binary::from("abc").as_bytes().map(|b| &b[..]), Some(&b"abc"[..]));
        assert_eq!(Binary::from(b"xy"), Binary::from(Bytes::from_static(b"xy")));
        assert!(Binary::default().is_empty());
        let chunks = futures::stream::iter([Ok::<_, io::Error>(Bytes::from_static(b"ab"))]);
        let streamed = Binary::from_stream(chunks);
        assert!(streamed.is_stream() && streamed.len().is_none() && streamed.as_bytes().is_none());
        assert_eq!(streamed, streamed.clone());
        assert_ne!(streamed, Binary::from("ab"));
        assert_eq!(format!("{streamed:?}"), "Binary { stream: true, len: None }");
    }

    #[test]
    fn a_stream_is_taken_once_across_clones() {
        let chunks = futures::stream::iter([Ok::<_, io::Error>(Bytes::from_static(b"ab"))]);
        let body = Binary::from_stream_with_length(chunks, 2);
        let copy = body.clone();
        let Err(first) = body.into_parts() else { panic!("bytes") };
        assert_eq!(first.length(), Some(2));
        assert!(first.take().is_some());
        let Err(second) = copy.into_parts() else { panic!("bytes") };
        assert!(second.take().is_none());
    }
}
