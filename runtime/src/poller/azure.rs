//! The Azure LRO protocol (PROTOCOLS.md §2): reading the initial response, each poll
//! response, and choosing the final `GET` (`final-state-via`).

use std::time::Duration;

use http::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::{is_empty, json_body, protocol, AzureLro, Failure, Outcome, Phase, PollStatus, Step};
use crate::error::{Error, ErrorBody};
use crate::response::RawResponse;
use crate::retry::retry_after;

/// `final-state-via`, parsed case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FinalStateVia {
    AzureAsyncOperation,
    Location,
    OriginalUri,
    OperationLocation,
    /// Absent or unknown: the ARM defaults.
    Default,
}

impl FinalStateVia {
    pub(super) fn parse(value: Option<&str>) -> Self {
        let Some(value) = value.map(str::trim) else {
            return FinalStateVia::Default;
        };
        [
            FinalStateVia::AzureAsyncOperation,
            FinalStateVia::Location,
            FinalStateVia::OriginalUri,
            FinalStateVia::OperationLocation,
        ]
        .into_iter()
        .find(|via| {
            via.as_str()
                .is_some_and(|name| name.eq_ignore_ascii_case(value))
        })
        .unwrap_or(FinalStateVia::Default)
    }

    pub(super) fn as_str(self) -> Option<&'static str> {
        match self {
            FinalStateVia::AzureAsyncOperation => Some("azure-async-operation"),
            FinalStateVia::Location => Some("location"),
            FinalStateVia::OriginalUri => Some("original-uri"),
            FinalStateVia::OperationLocation => Some("operation-location"),
            FinalStateVia::Default => None,
        }
    }
}

/// How the operation is followed.
#[derive(Debug, Clone)]
pub(super) enum Mode {
    /// A status monitor (`Azure-AsyncOperation` / `Operation-Location`) at this URL.
    Status(Url),
    /// Location polling; the URL is the newest `Location`.
    Location(Url),
    /// Polling the initial URL's `properties.provisioningState`.
    Body,
    /// Nothing to poll: the operation finished synchronously.
    None,
}

impl Mode {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Mode::Status(_) => "status",
            Mode::Location(_) => "location",
            Mode::Body => "body",
            Mode::None => "none",
        }
    }
}

/// Everything an Azure poller knows about its operation.
#[derive(Debug, Clone)]
pub(super) struct AzureState {
    pub(super) method: Method,
    pub(super) initial_url: Url,
    pub(super) mode: Mode,
    /// The `Location` of the initial response: the result URL for `final-state-via: location`.
    pub(super) initial_location: Option<Url>,
    pub(super) final_state_via: FinalStateVia,
    pub(super) has_result: bool,
}

/// Headers that may carry a poll delay, in precedence order (PROTOCOLS.md §2.6).
const DELAY_HEADERS: [&str; 3] = ["retry-after-ms", "x-ms-retry-after-ms", "retry-after"];

impl AzureState {
    /// Reads the initial response (status already checked to be 200/201/202/204).
    pub(super) fn start<E>(
        method: Method,
        initial_url: Url,
        initial: RawResponse,
        lro: AzureLro,
    ) -> Result<(Self, Step), Error<E>> {
        let location = header_url(&initial, "location", &initial_url);
        let (mode, initial_location) =
            if let Some(url) = header_url(&initial, "azure-asyncoperation", &initial_url)? {
                (Mode::Status(url), location.ok().flatten())
            } else if let Some(url) = header_url(&initial, "operation-location", &initial_url)? {
                (Mode::Status(url), location.ok().flatten())
            } else if let Some(url) = location? {
                (Mode::Location(url.clone()), Some(url))
            } else if matches!(method, Method::PUT | Method::PATCH) {
                (Mode::Body, None)
            } else {
                (Mode::None, None)
            };
        let mut state = AzureState {
            method,
            initial_url,
            mode,
            initial_location,
            final_state_via: FinalStateVia::parse(lro.final_state_via),
            has_result: lro.has_result,
        };
        let step = state.initial_step(initial)?;
        if matches!(step.phase, Phase::Done(_)) {
            // Finished synchronously: a resumed poller re-reads a PUT/PATCH resource and never
            // follows the (possibly bogus) polling headers of a finished operation.
            state.mode = if matches!(state.method, Method::PUT | Method::PATCH) {
                Mode::Body
            } else {
                Mode::None
            };
        }
        Ok((state, step))
    }

    /// The URL the next poll goes to.
    pub(super) fn poll_url(&self) -> Option<Url> {
        match &self.mode {
            Mode::Status(url) | Mode::Location(url) => Some(url.clone()),
            Mode::Body => Some(self.initial_url.clone()),
            Mode::None => None,
        }
    }

    /// The status the initial response implies.
    fn initial_step<E>(&self, initial: RawResponse) -> Result<Step, Error<E>> {
        let code = initial.status.as_u16();
        if code == 204 {
            return self.classified(PollStatus::Succeeded, None, None, initial);
        }
        if matches!(self.mode, Mode::None) {
            if code == 202 {
                return Err(protocol(
                    "the service accepted the operation (202) but sent no Azure-AsyncOperation, \
                     Operation-Location or Location header to poll",
                    &initial,
                ));
            }
            let body = json_body::<E>(&initial).ok().flatten();
            return self.classified(PollStatus::Succeeded, None, body, initial);
        }
        if code == 202 {
            let body = json_body::<E>(&initial).ok().flatten();
            return self.classified(PollStatus::InProgress, None, body, initial);
        }
        // 200 / 201: a provisioning state in the body decides (Go azcore does the same), so
        // a resource that is already `Succeeded` is not polled.
        let body = match self.mode {
            Mode::Body => json_body(&initial)?,
            _ => json_body::<E>(&initial).ok().flatten(),
        };
        let state = body.as_ref().and_then(provisioning_state);
        let status = match state {
            Some(state) => PollStatus::from_azure(state),
            None if matches!(self.mode, Mode::Body) && code == 200 => PollStatus::Succeeded,
            None => PollStatus::InProgress,
        };
        let raw = state.map(str::to_owned);
        self.classified(status, raw, body, initial)
    }

    /// Reads one poll response.
    pub(super) fn poll_step<E: DeserializeOwned + ErrorBody>(
        &mut self,
        response: RawResponse,
    ) -> Result<Step, Error<E>> {
        if !response.status.is_success() {
            return Err(response.into_error());
        }
        let initial_url = &self.initial_url;
        match &mut self.mode {
            Mode::Status(_) => {
                if is_empty(&response.body) {
                    return Err(protocol(
                        "the status monitor response has no body",
                        &response,
                    ));
                }
                let body: Value = response.json()?;
                let Some(raw) = body
                    .get("status")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                else {
                    return Err(protocol(
                        "the status monitor response has no `status`",
                        &response,
                    ));
                };
                let status = PollStatus::from_azure(&raw);
                if status == PollStatus::Succeeded && self.has_result {
                    let phase = match self.final_url(&body, &response)? {
                        Some(url) => Phase::FinalGet(url),
                        None => Phase::Done(Outcome::Succeeded(Some(response))),
                    };
                    return Ok(Step {
                        status,
                        raw_status: Some(raw),
                        body: Some(body),
                        server_delay: None,
                        phase,
                    });
                }
                self.classified(status, Some(raw), Some(body), response)
            }
            Mode::Location(url) => {
                let body = json_body::<E>(&response).ok().flatten();
                if response.status.as_u16() == 202 {
                    if let Some(next) = header_url(&response, "location", initial_url)? {
                        *url = next;
                    }
                    return self.classified(PollStatus::InProgress, None, body, response);
                }
                self.classified(PollStatus::Succeeded, None, body, response)
            }
            Mode::Body => match response.status.as_u16() {
                202 => {
                    let body = json_body::<E>(&response).ok().flatten();
                    self.classified(PollStatus::InProgress, None, body, response)
                }
                204 => self.classified(PollStatus::Succeeded, None, None, response),
                _ => {
                    if is_empty(&response.body) {
                        return Err(protocol("the resource response has no body", &response));
                    }
                    let body: Value = response.json()?;
                    let state = provisioning_state(&body).map(str::to_owned);
                    let status = state
                        .as_deref()
                        .map_or(PollStatus::Succeeded, PollStatus::from_azure);
                    self.classified(status, state, Some(body), response)
                }
            },
            Mode::None => self.classified(PollStatus::Succeeded, None, None, response),
        }
    }

    /// The step for a response whose status is known. In progress: its delay header must be
    /// valid. Succeeded: this response is the result (when one is expected).
    fn classified<E>(
        &self,
        status: PollStatus,
        raw: Option<String>,
        body: Option<Value>,
        response: RawResponse,
    ) -> Result<Step, Error<E>> {
        Ok(match status {
            PollStatus::InProgress => {
                let delay = requested_delay(&response)?;
                Step::in_progress(raw, body, delay)
            }
            PollStatus::Succeeded => {
                let result = self.has_result.then_some(response);
                Step::done(status, raw, body, Outcome::Succeeded(result))
            }
            PollStatus::Failed | PollStatus::Canceled => {
                let state = raw.clone().unwrap_or_else(|| status.to_string());
                Step::done(
                    status,
                    raw,
                    body,
                    Outcome::Failed(Failure::State(state), response),
                )
            }
        })
    }

    /// Where the result of a status-monitor operation is read (`None`: the status body).
    fn final_url<E>(
        &self,
        status_body: &Value,
        response: &RawResponse,
    ) -> Result<Option<Url>, Error<E>> {
        match self.final_state_via {
            FinalStateVia::AzureAsyncOperation | FinalStateVia::OperationLocation => {
                return Ok(None)
            }
            FinalStateVia::OriginalUri => return Ok(Some(self.initial_url.clone())),
            FinalStateVia::Location if self.initial_location.is_some() => {
                return Ok(self.initial_location.clone())
            }
            FinalStateVia::Location | FinalStateVia::Default => {}
        }
        if let Some(target) = status_body.get("resourceLocation").and_then(Value::as_str) {
            let url = self
                .initial_url
                .join(target.trim())
                .map_err(|e| protocol(format!("`resourceLocation` is not a URL: {e}"), response))?;
            return Ok(Some(url));
        }
        Ok(match self.method {
            Method::PUT | Method::PATCH => Some(self.initial_url.clone()),
            Method::POST => self.initial_location.clone(),
            _ => None,
        })
    }
}

/// `properties.provisioningState` of a resource body.
fn provisioning_state(body: &Value) -> Option<&str> {
    body.get("properties")?.get("provisioningState")?.as_str()
}

/// Header `name` as a URL, resolved against `base`; `Ok(None)` when absent or blank.
fn header_url<E>(response: &RawResponse, name: &str, base: &Url) -> Result<Option<Url>, Error<E>> {
    let Some(value) = response.headers.get(name) else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .map_err(|_| {
            protocol(
                format!("the `{name}` header is not visible ASCII"),
                response,
            )
        })?
        .trim();
    if text.is_empty() {
        return Ok(None);
    }
    base.join(text)
        .map(Some)
        .map_err(|e| protocol(format!("the `{name}` header is not a URL: {e}"), response))
}

/// The delay a response asks for before the next poll ([`retry_after`]: `retry-after-ms`,
/// `x-ms-retry-after-ms`, `Retry-After` seconds or HTTP-date). Unlike for retries, a delay
/// header that is present but has no usable value is an error.
fn requested_delay<E>(response: &RawResponse) -> Result<Option<Duration>, Error<E>> {
    if let Some(delay) = retry_after(&response.headers) {
        return Ok(Some(delay));
    }
    match DELAY_HEADERS
        .iter()
        .find(|name| response.headers.contains_key(**name))
    {
        Some(name) => Err(protocol(
            format!("the `{name}` header is not a valid delay"),
            response,
        )),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_state_via_parsing() {
        assert_eq!(
            FinalStateVia::parse(Some("Azure-Async-Operation")),
            FinalStateVia::AzureAsyncOperation
        );
        assert_eq!(
            FinalStateVia::parse(Some(" location")),
            FinalStateVia::Location
        );
        assert_eq!(
            FinalStateVia::parse(Some("original-uri")),
            FinalStateVia::OriginalUri
        );
        assert_eq!(
            FinalStateVia::parse(Some("OPERATION-LOCATION")),
            FinalStateVia::OperationLocation
        );
        assert_eq!(FinalStateVia::parse(Some("bogus")), FinalStateVia::Default);
        assert_eq!(FinalStateVia::parse(None), FinalStateVia::Default);
    }

    #[test]
    fn status_words() {
        for (word, status) in [
            ("succeeded", PollStatus::Succeeded),
            ("SUCCEEDED", PollStatus::Succeeded),
            ("Failed", PollStatus::Failed),
            ("canceled", PollStatus::Canceled),
            ("Cancelled", PollStatus::Canceled),
            ("Accepted", PollStatus::InProgress),
            ("Running", PollStatus::InProgress),
            ("", PollStatus::InProgress),
        ] {
            assert_eq!(PollStatus::from_azure(word), status, "{word}");
        }
    }

    #[test]
    fn delay_headers() {
        let response = |pairs: &[(&'static str, &str)]| {
            let mut headers = http::HeaderMap::new();
            for (k, v) in pairs {
                headers.insert(*k, http::HeaderValue::from_str(v).unwrap());
            }
            RawResponse::new(http::StatusCode::ACCEPTED, headers, "")
        };
        let d = |pairs| requested_delay::<()>(&response(pairs));
        assert_eq!(d(&[]).unwrap(), None);
        assert_eq!(d(&[("retry-after", "0")]).unwrap(), Some(Duration::ZERO));
        assert_eq!(
            d(&[("Retry-After", "7")]).unwrap(),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            d(&[("retry-after", "7"), ("retry-after-ms", "250")]).unwrap(),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            d(&[("x-ms-retry-after-ms", "40")]).unwrap(),
            Some(Duration::from_millis(40))
        );
        assert!(matches!(
            d(&[("retry-after", "/bar")]),
            Err(Error::Protocol { .. })
        ));
        assert!(matches!(
            d(&[("retry-after", "-1")]),
            Err(Error::Protocol { .. })
        ));
    }
}
