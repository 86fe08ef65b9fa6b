//! Named extension points of the request pipeline.
//!
//! Per attempt the pipeline runs, in order:
//!
//! 1. [`Interceptor::modify_before_signing`] — may change the request (headers, query);
//! 2. the credential (`auth::Credential::authorize`) signs the request;
//! 3. [`Interceptor::read_before_transmit`] — sees the exact request sent, read-only so
//!    signatures stay valid;
//! 4. the request is transmitted and the response read;
//! 5. [`Interceptor::read_after_attempt`] — sees the outcome, before retry classification.
//!
//! Interceptors run in the order they were added to `ClientOptions`. They must not log
//! header values or query strings (PROTOCOLS.md §8.5).

use std::fmt;

use crate::error::BoxError;
use crate::request::{OperationMeta, Request};
use crate::retry::AttemptOutcome;

/// What an interceptor knows about the current attempt.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AttemptContext<'a> {
    /// The operation.
    pub meta: &'static OperationMeta,
    /// 1-based attempt number.
    pub attempt: u32,
    /// Client request id of the logical call, if one is sent.
    pub client_request_id: Option<&'a str>,
}

impl<'a> AttemptContext<'a> {
    /// Context for `attempt` of `meta`.
    pub fn new(
        meta: &'static OperationMeta,
        attempt: u32,
        client_request_id: Option<&'a str>,
    ) -> Self {
        AttemptContext {
            meta,
            attempt,
            client_request_id,
        }
    }
}

/// A pipeline hook; every method has a no-op default.
pub trait Interceptor: Send + Sync + fmt::Debug {
    /// Short name used in errors.
    fn name(&self) -> &'static str;

    /// Changes the request before it is signed. An error aborts the call with
    /// `Error::Interceptor` (not retried).
    fn modify_before_signing(
        &self,
        ctx: &AttemptContext<'_>,
        request: &mut Request,
    ) -> Result<(), BoxError> {
        let _ = (ctx, request);
        Ok(())
    }

    /// Observes the signed request right before it is sent.
    fn read_before_transmit(&self, ctx: &AttemptContext<'_>, request: &Request) {
        let _ = (ctx, request);
    }

    /// Observes the attempt's outcome.
    fn read_after_attempt(&self, ctx: &AttemptContext<'_>, outcome: &AttemptOutcome<'_>) {
        let _ = (ctx, outcome);
    }
}
