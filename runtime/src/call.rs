//! The future of one operation call.
//!
//! A generated request builder prepares its [`Request`] synchronously and hands it, with a
//! plain function that decodes the response, to [`Call::new`]. The asynchronous part — the
//! pipeline of [`ClientCore`] — is compiled once, here, instead of once per operation: a
//! generated crate with a thousand operations then contains no `async fn` of its own, which is
//! most of what it would otherwise cost to compile.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::future::BoxFuture;

use crate::client::ClientCore;
use crate::error::Error;
use crate::request::Request;
use crate::response::RawResponse;

/// Turns the pipeline's response into the operation's result (a status check and a decoded
/// body, or a poller).
pub type Decode<'a, T, E> = Box<dyn FnOnce(RawResponse) -> Result<T, Error<E>> + Send + 'a>;

/// The future of a sent request: resolves to the decoded result, or to the error of the
/// request (preparing it, sending it, or the API's own error response).
///
/// Awaiting a generated request builder (or its `send()`) gives one.
#[must_use = "a call does nothing unless awaited"]
pub struct Call<'a, T, E> {
    state: State<'a, T, E>,
}

enum State<'a, T, E> {
    Sending {
        response: BoxFuture<'a, Result<RawResponse, Error<Infallible>>>,
        /// `None` once the call has completed.
        decode: Option<Decode<'a, T, E>>,
    },
    /// `None` once the error has been returned.
    Failed(Option<Error<E>>),
}

impl<'a, T, E> Call<'a, T, E> {
    /// Sends `request` through `core`'s pipeline and decodes the response with `decode`; a
    /// request that could not be prepared (`Err`) resolves to that error without sending.
    pub fn new(
        core: &'a ClientCore,
        request: Result<Request, Error<E>>,
        decode: impl FnOnce(RawResponse) -> Result<T, Error<E>> + Send + 'a,
    ) -> Self {
        let state = match request {
            Ok(request) => State::Sending {
                response: core.start(request),
                decode: Some(Box::new(decode)),
            },
            Err(error) => State::Failed(Some(error)),
        };
        Call { state }
    }

    /// A call that resolves to `error` without sending anything (a request that could not be
    /// prepared).
    pub fn failed(error: Error<E>) -> Self {
        Call {
            state: State::Failed(Some(error)),
        }
    }

    /// The same call with `f` applied to its successful result (e.g. a response's body).
    pub fn map<U: 'a>(self, f: fn(T) -> U) -> Call<'a, U, E>
    where
        T: 'a,
        E: 'a,
    {
        let state = match self.state {
            State::Sending { response, decode } => State::Sending {
                response,
                decode: decode
                    .map(|decode| -> Decode<'a, U, E> { Box::new(move |raw| decode(raw).map(f)) }),
            },
            State::Failed(error) => State::Failed(error),
        };
        Call { state }
    }
}

// No field is ever pinned in place: the pipeline's future is boxed.
impl<T, E> Unpin for Call<'_, T, E> {}

impl<T, E> Future for Call<'_, T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let done = "`Call` polled after completion";
        match &mut self.get_mut().state {
            State::Sending { response, decode } => {
                let raw = std::task::ready!(response.as_mut().poll(cx));
                let decode = decode.take().expect(done);
                Poll::Ready(raw.map_err(Error::into_body_type).and_then(decode))
            }
            State::Failed(error) => Poll::Ready(Err(error.take().expect(done))),
        }
    }
}

impl<T, E> fmt::Debug for Call<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Sending {
                decode: Some(_), ..
            } => "sending",
            State::Failed(Some(_)) => "failed",
            _ => "done",
        };
        f.debug_struct("Call").field("state", &state).finish()
    }
}
