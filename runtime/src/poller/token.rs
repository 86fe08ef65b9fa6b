//! Resume tokens: URL-safe base64 (no padding) of a small JSON document.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use http::Method;
use serde::{Deserialize, Serialize};
use url::Url;

use super::azure::{AzureState, FinalStateVia, Mode};
use super::reconcile::ReconcileState;
use super::{Kind, Outcome, Phase, PollStatus, Poller, PollerOptions, ReconcileLro};
use crate::client::ClientCore;
use crate::error::Error;
use crate::request::OperationMeta;

/// Current token format.
const VERSION: u32 = 1;
const AZURE: &str = "azure";
const RECONCILE: &str = "reconcile";

/// The token document. Never holds credentials, headers or bodies.
#[derive(Debug, Serialize, Deserialize)]
struct Token {
    /// Format version.
    v: u32,
    /// `azure` or `reconcile`.
    kind: String,
    /// `operationId` the token belongs to.
    operation: String,
    /// Method of the initial request.
    method: String,
    /// Azure: the initial request URL; reconcile: the resource URL.
    url: String,
    /// Azure polling mode: `status`, `location`, `body` or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mode: Option<String>,
    /// Azure status monitor / newest `Location`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    poll_url: Option<String>,
    /// Azure: the initial `Location`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    final_state_via: Option<String>,
    #[serde(default)]
    has_result: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_request_id: Option<String>,
    /// Last status (`InProgress`, `Succeeded`, …).
    status: String,
    /// Last status as the service spelled it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    raw_status: Option<String>,
    /// A final `GET` that is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    final_get: Option<String>,
    /// Azure: the delay the last response asked for; reconcile: the current backoff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delay_ms: Option<u64>,
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

pub(super) fn encode<T, E>(poller: &Poller<T, E>) -> String {
    let final_get = match &poller.phase {
        Phase::FinalGet(url) => Some(url.to_string()),
        _ => None,
    };
    let mut token = Token {
        v: VERSION,
        kind: String::new(),
        operation: poller.meta.operation_id.to_owned(),
        method: String::new(),
        url: String::new(),
        mode: None,
        poll_url: None,
        location: None,
        final_state_via: None,
        has_result: false,
        client_request_id: poller.client_request_id.clone(),
        status: poller.status.to_string(),
        raw_status: poller.raw_status.clone(),
        final_get,
        delay_ms: None,
    };
    match &poller.kind {
        Kind::Azure(state) => {
            token.kind = AZURE.to_owned();
            token.method = state.method.to_string();
            token.url = state.initial_url.to_string();
            token.mode = Some(state.mode.name().to_owned());
            token.poll_url = match &state.mode {
                Mode::Status(url) | Mode::Location(url) => Some(url.to_string()),
                Mode::Body | Mode::None => None,
            };
            token.location = state.initial_location.as_ref().map(Url::to_string);
            token.final_state_via = state.final_state_via.as_str().map(str::to_owned);
            token.has_result = state.has_result;
            token.delay_ms = poller.server_delay.map(millis);
        }
        Kind::Reconcile(state) => {
            token.kind = RECONCILE.to_owned();
            token.method = Method::GET.to_string();
            token.url = state.resource_url.to_string();
            token.has_result = true;
            token.delay_ms = Some(millis(poller.backoff));
        }
    }
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).unwrap_or_default())
}

fn invalid<E>(message: impl Into<String>) -> Error<E> {
    Error::validation("resume_token", message)
}

fn url<E>(text: &str) -> Result<Url, Error<E>> {
    Url::parse(text).map_err(|e| invalid(format!("the token holds an invalid URL: {e}")))
}

/// Decodes and checks a token of `kind` for `meta`.
fn parse<E>(text: &str, meta: &OperationMeta, kind: &str) -> Result<Token, Error<E>> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim())
        .map_err(|_| invalid("not a resume token (bad base64)"))?;
    let token: Token =
        serde_json::from_slice(&bytes).map_err(|e| invalid(format!("not a resume token: {e}")))?;
    if token.v != VERSION {
        return Err(invalid(format!(
            "unsupported resume token version {}",
            token.v
        )));
    }
    if token.kind != kind {
        let hint = if token.kind == RECONCILE {
            " (use from_resume_token_reconcile)"
        } else {
            " (use from_resume_token)"
        };
        return Err(invalid(format!(
            "the token is of a `{}` poller{hint}",
            token.kind
        )));
    }
    if token.operation != meta.operation_id {
        return Err(invalid(format!(
            "the token belongs to operation `{}`, not `{}`",
            token.operation, meta.operation_id
        )));
    }
    Ok(token)
}

/// Status, raw status and phase of a resumed poller.
fn restore<T, E>(poller: &mut Poller<T, E>, token: &Token) -> Result<(), Error<E>> {
    poller.status = PollStatus::from_azure(&token.status);
    poller.raw_status = token.raw_status.clone();
    poller.phase = match (&token.final_get, poller.poll_url()) {
        (Some(final_get), _) => Phase::FinalGet(url(final_get)?),
        (None, Some(_)) => Phase::Polling,
        (None, None) => Phase::Done(Outcome::Succeeded(None)),
    };
    Ok(())
}

pub(super) fn decode_azure<T, E>(
    core: ClientCore,
    meta: &'static OperationMeta,
    text: &str,
    options: PollerOptions,
) -> Result<Poller<T, E>, Error<E>> {
    let token = parse(text, meta, AZURE)?;
    let method = Method::from_bytes(token.method.as_bytes())
        .map_err(|_| invalid("the token holds an invalid method"))?;
    let poll_url = || {
        token
            .poll_url
            .as_deref()
            .ok_or_else(|| invalid("the token lacks the poll URL"))
            .and_then(url)
    };
    let mode = match token.mode.as_deref() {
        Some("status") => Mode::Status(poll_url()?),
        Some("location") => Mode::Location(poll_url()?),
        Some("body") => Mode::Body,
        Some("none") => Mode::None,
        _ => return Err(invalid("the token holds an unknown polling mode")),
    };
    let state = AzureState {
        method,
        initial_url: url(&token.url)?,
        mode,
        initial_location: token.location.as_deref().map(url).transpose()?,
        final_state_via: FinalStateVia::parse(token.final_state_via.as_deref()),
        has_result: token.has_result,
    };
    let mut poller = Poller::new(
        core,
        meta,
        Kind::Azure(state),
        options,
        token.client_request_id.clone(),
    );
    poller.server_delay = token.delay_ms.map(Duration::from_millis);
    restore(&mut poller, &token)?;
    Ok(poller)
}

pub(super) fn decode_reconcile<T, E>(
    core: ClientCore,
    meta: &'static OperationMeta,
    text: &str,
    lro: ReconcileLro,
    options: PollerOptions,
) -> Result<Poller<T, E>, Error<E>> {
    let token = parse(text, meta, RECONCILE)?;
    let state = ReconcileState::new(url(&token.url)?, lro);
    let backoff = token
        .delay_ms
        .map_or_else(|| state.initial_backoff(), Duration::from_millis);
    let mut poller = Poller::new(
        core,
        meta,
        Kind::Reconcile(state),
        options,
        token.client_request_id.clone(),
    );
    poller.backoff = backoff;
    restore(&mut poller, &token)?;
    Ok(poller)
}
