//! The reconcile convention (PROTOCOLS.md §5.2): re-read the resource until its state
//! settles.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::{is_empty, json_body, protocol, Failure, Outcome, PollStatus, ReconcileLro, Step};
use crate::error::{Error, ErrorBody};
use crate::response::RawResponse;

/// Everything a reconcile poller knows about its operation.
#[derive(Debug, Clone)]
pub(super) struct ReconcileState {
    pub(super) resource_url: Url,
    pub(super) lro: ReconcileLro,
}

impl ReconcileState {
    pub(super) fn new(resource_url: Url, lro: ReconcileLro) -> Self {
        ReconcileState { resource_url, lro }
    }

    /// The delay before the first poll.
    pub(super) fn initial_backoff(&self) -> Duration {
        self.lro.initial_delay.min(self.lro.max_delay)
    }

    /// The delay after `current`: `× multiplier`, at most `max_delay`.
    pub(super) fn grow(&self, current: Duration) -> Duration {
        let factor = self.lro.multiplier;
        if !(factor.is_finite() && factor > 0.0) {
            return current;
        }
        Duration::try_from_secs_f64(current.as_secs_f64() * factor)
            .unwrap_or(self.lro.max_delay)
            .min(self.lro.max_delay)
    }

    /// The initial (2xx) response: its body, when there is one, is the first observation.
    pub(super) fn initial_step<E>(&self, initial: RawResponse) -> Result<Step, Error<E>> {
        Ok(match json_body(&initial)? {
            Some(body) => self.observe(body, initial),
            None => Step::in_progress(None, None, None),
        })
    }

    /// One re-read of the resource.
    pub(super) fn poll_step<E: DeserializeOwned + ErrorBody>(
        &mut self,
        response: RawResponse,
    ) -> Result<Step, Error<E>> {
        if response.status == http::StatusCode::NOT_FOUND {
            let body = json_body::<E>(&response).ok().flatten();
            let outcome = Outcome::Failed(Failure::Gone(None), response);
            return Ok(Step::done(PollStatus::Failed, None, body, outcome));
        }
        if !response.status.is_success() {
            return Err(response.into_error());
        }
        if is_empty(&response.body) {
            return Err(protocol("the resource response has no body", &response));
        }
        let body = response.json()?;
        Ok(self.observe(body, response))
    }

    /// Classifies one observation of the resource.
    fn observe(&self, body: Value, response: RawResponse) -> Step {
        let lro = &self.lro;
        let state = body
            .pointer(lro.state_pointer)
            .and_then(Value::as_str)
            .map(str::to_owned);
        let fields = lro
            .irreconcilable_pointer
            .and_then(|pointer| body.pointer(pointer))
            .map(field_list)
            .unwrap_or_default();
        if !fields.is_empty() {
            let outcome = Outcome::Failed(Failure::Irreconcilable(fields), response);
            return Step::done(PollStatus::Failed, state, Some(body), outcome);
        }
        let state_in = |values: &[&str]| {
            state
                .as_deref()
                .is_some_and(|s| values.iter().any(|v| v.eq_ignore_ascii_case(s.trim())))
        };
        if state_in(lro.gone) {
            let outcome = Outcome::Failed(Failure::Gone(state.clone()), response);
            return Step::done(PollStatus::Failed, state, Some(body), outcome);
        }
        if state_in(lro.failed) {
            let failure = Failure::State(state.clone().unwrap_or_default());
            return Step::done(
                PollStatus::Failed,
                state,
                Some(body),
                Outcome::Failed(failure, response),
            );
        }
        let pending = lro
            .pending_pointer
            .and_then(|pointer| body.pointer(pointer))
            .is_some_and(|value| !field_list(value).is_empty());
        if state_in(lro.succeeded) && !pending {
            let outcome = Outcome::Succeeded(Some(response));
            return Step::done(PollStatus::Succeeded, state, Some(body), outcome);
        }
        Step::in_progress(state, Some(body), None)
    }
}

/// The entries of a field list: array items (strings as is, others as JSON), object keys, a
/// non-empty string; nothing for `null` and other values.
fn field_list(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map_or_else(|| item.to_string(), str::to_owned)
            })
            .collect(),
        Value::Object(members) => members.keys().cloned().collect(),
        Value::String(text) if !text.is_empty() => vec![text.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state(multiplier: f64) -> ReconcileState {
        ReconcileState::new(
            Url::parse("https://h.example/sddc/v1/vm-snaps/1").unwrap(),
            ReconcileLro {
                state_pointer: "/metadata/state/state",
                succeeded: &["active"],
                failed: &["error"],
                gone: &["deleting"],
                pending_pointer: Some("/metadata/state/diff_fields/reconciling"),
                irreconcilable_pointer: Some("/metadata/state/diff_fields/irreconcilable"),
                initial_delay: Duration::from_secs(1),
                max_delay: Duration::from_secs(10),
                multiplier,
                deadline: Duration::from_secs(1800),
            },
        )
    }

    #[test]
    fn backoff_grows_to_the_cap() {
        let s = state(1.5);
        let mut d = s.initial_backoff();
        let mut seen = vec![d];
        for _ in 0..8 {
            d = s.grow(d);
            seen.push(d);
        }
        assert_eq!(seen[1], Duration::from_millis(1500));
        assert_eq!(seen[2], Duration::from_millis(2250));
        assert_eq!(*seen.last().unwrap(), Duration::from_secs(10));
        assert_eq!(state(f64::NAN).grow(d), d);
    }

    #[test]
    fn field_lists() {
        assert_eq!(
            field_list(&json!(["a", 1])),
            vec!["a".to_owned(), "1".to_owned()]
        );
        assert_eq!(field_list(&json!({"x": 1})), vec!["x".to_owned()]);
        assert!(field_list(&json!([])).is_empty());
        assert!(field_list(&json!(null)).is_empty());
        assert!(field_list(&json!("")).is_empty());
    }
}
