//! Pollers for long-running operations (LROs).
//!
//! A generated LRO method sends the initial request and hands the response to
//! [`Poller::azure`] (Azure `x-ms-long-running-operation`, PROTOCOLS.md §2) or
//! [`Poller::reconcile`] (`x-restsmith-lro` `style: reconcile`, PROTOCOLS.md §5.2). The
//! [`Poller`] then either runs to the end ([`Poller::wait`], or simply `.await` it) or is
//! stepped by the caller ([`Poller::poll`], [`Poller::status`], [`Poller::next_delay`]).
//! [`Poller::resume_token`] captures everything needed to continue in another process
//! ([`Poller::from_resume_token`], [`Poller::from_resume_token_reconcile`]).
//!
//! Every poll and final `GET` goes through [`ClientCore::send`], so it is authenticated, retried
//! on `408`/`429`/`5xx` and connection failures (a `500` during polling is retried, not fatal;
//! PROTOCOLS.md §7) and carries the initial call's client request id (`x-ms-client-request-id`
//! when [`ClientOptions::client_request_id_header`](crate::ClientOptions::client_request_id_header)
//! is configured). Cookies the service sets are kept by the client's cookie jar.
//!
//! # Azure algorithm
//!
//! **Initial response**: `200`, `201`, `202` or `204`, anything else is returned as
//! [`Error::Api`]. The URL to poll is, first present wins (header names case-insensitive):
//! `Azure-AsyncOperation`, `Operation-Location` (both *status monitors*), `Location`
//! (*Location polling*), and for `PUT`/`PATCH` without any of them the original URL
//! (*body polling*). Relative values are resolved against the initial request URL. The
//! initial `Location` is remembered separately as the final-result URL.
//!
//! * `204` → succeeded at once, no polling.
//! * `200`/`201` with `properties.provisioningState` in the body → that state decides
//!   (`Succeeded` ends at once even if polling headers are present — the AutoRest
//!   `patch200SucceededIgnoreHeaders` scenario; `Failed`/`Canceled` fail at once). Without a
//!   state: body polling of a `200` is done, of a `201` in progress; with a polling header in
//!   progress.
//! * `202` → in progress.
//! * No polling URL at all (a `POST`/`DELETE`): `200`/`201` are the synchronous result; a
//!   `202` is a protocol error — see *Choices* below.
//!
//! **Each poll** (one `GET` per [`Poller::poll`]):
//!
//! | mode | response | meaning |
//! |---|---|---|
//! | status monitor | 2xx with JSON body | `status` decides; no body → [`Error::Protocol`], invalid JSON → [`Error::Decode`], no string `status` → [`Error::Protocol`] |
//! | Location | `202` | in progress; a new `Location` replaces the URL polled next |
//! | Location | other 2xx | succeeded; this body is the result (a `provisioningState` in it is *not* a status) |
//! | body polling | `202` / `204` | in progress / succeeded |
//! | body polling | other 2xx | `properties.provisioningState` decides, absent → succeeded; empty body → [`Error::Protocol`] |
//! | any | non-2xx (after the pipeline's retries) | [`Error::Api`] with the service error decoded |
//!
//! States compare case-insensitively; terminal are `Succeeded`, `Failed`, `Canceled` (and
//! `Cancelled`); anything else means "keep polling" (PROTOCOLS.md §2.3).
//!
//! **Result** (only when [`AzureLro::has_result`]; otherwise `()` as soon as `Succeeded` is
//! seen, without a final `GET`, PROTOCOLS.md §2.5): Location and body polling return the
//! last poll's body. A status monitor that reports `Succeeded` is followed by at most one
//! final `GET`, chosen by `final-state-via` (compared case-insensitively):
//!
//! | `final-state-via` | result |
//! |---|---|
//! | `azure-async-operation`, `operation-location` | the status-monitor body itself, no `GET` |
//! | `location` | `GET` the initial `Location` (if there was none: as for no value) |
//! | `original-uri` | `GET` the initial request URL |
//! | none / other | `resourceLocation` of the status body if present; else `PUT`/`PATCH` → initial URL; `POST` with a `Location` → that; else (`DELETE`) the status body |
//!
//! **Failure**: `Failed`/`Canceled` end the poller with [`Error::OperationFailed`] whose
//! `details` decode the reporting body as `E` (for a status monitor the `error` member is the
//! ARM `ErrorDetail`; see [`Error::OperationFailed`]). [`Poller::poll`] reports the terminal
//! [`PollStatus`]; [`Poller::wait`] returns the error.
//!
//! **Delay** before each poll: the last response's `retry-after-ms`, `x-ms-retry-after-ms`
//! (milliseconds) or `Retry-After` (seconds or HTTP-date), first present wins; else
//! [`PollerOptions::default_interval`] (30 s); clamped to [`PollerOptions::interval_bounds`]
//! (1 s – 10 min); then multiplied by [`RetryOptions::scale`](crate::RetryOptions::scale)
//! (tests shrink waits with it). `Retry-After: 0` is a real zero, not "absent" (with the
//! default bounds it becomes 1 s; set the lower bound to 0 to poll at once). A delay header
//! that is present but cannot be parsed (e.g. `Retry-After: /bar`) on a response that asks
//! to keep polling is an [`Error::Protocol`]. [`PollerOptions::interval_override`] replaces
//! all of this with a fixed, unscaled delay. The final `GET` follows without delay.
//!
//! **Deadline**: [`PollerOptions::max_total_wait`], default 60 min from the poller's creation
//! (`None`: no limit). A poll whose delay would end past it is not started;
//! [`Error::PollTimeout`] is returned instead (nothing is cancelled on the server). The final
//! `GET` after `Succeeded` is not subject to the deadline.
//!
//! # Reconcile algorithm (PROTOCOLS.md §5.2)
//!
//! The initial 2xx body is the resource, the first observation. Each observation (in this
//! order): a non-empty array at [`ReconcileLro::irreconcilable_pointer`] →
//! [`Error::Irreconcilable`]; the string at [`ReconcileLro::state_pointer`] in
//! [`ReconcileLro::gone`] → [`Error::Gone`]; in [`ReconcileLro::failed`] →
//! [`Error::OperationFailed`]; in [`ReconcileLro::succeeded`] **and** nothing pending at
//! [`ReconcileLro::pending_pointer`] (absent, `null`, empty array or object) → succeeded, the
//! result is decoded from this body; anything else (unknown or missing state) → keep polling.
//! States compare case-insensitively. Each poll is a `GET` of the resource URL with the
//! client's credentials; a `404` → [`Error::Gone`]; other non-2xx → [`Error::Api`].
//! Delays: [`ReconcileLro::initial_delay`], multiplied by [`ReconcileLro::multiplier`] after
//! every poll up to [`ReconcileLro::max_delay`], scaled like Azure delays
//! ([`PollerOptions::interval_bounds`] and server delay headers do not apply); the default
//! deadline is [`ReconcileLro::deadline`].
//!
//! # Security (PROTOCOLS.md §8.1)
//!
//! Before every poll or final `GET`, the URL must pass [`ClientCore::check_trusted_url`]
//! (the endpoint's scheme, host and port, or a configured trusted host). Otherwise the poller
//! stops with [`Error::UntrustedUrl`] before anything is sent — unless
//! [`PollerOptions::allow_untrusted_poll_hosts_without_credentials`] is set, in which case
//! that URL is fetched with [`ClientCore::send_without_credentials`]: no credential, no
//! secret headers (`Authorization`, `x-sddc-token`, `ocp-*`, …) and no cookies.
//!
//! # Choices where the references disagree
//!
//! * `/error/delete/204/nolocation` (a `DELETE` answering `204` without headers): success,
//!   as the azure-core oracle and Go `azcore` do — `204` means the delete finished
//!   (PROTOCOLS.md §2.1), whatever the test server's scenario name says.
//! * `/error/post/202/nolocation` (a `POST` answering `202` without any polling header):
//!   [`Error::Protocol`], unlike the azure-core oracle (which reports success) and like Go
//!   `azcore` ("response is missing polling URL") and the test server's intent. PROTOCOLS.md
//!   §2.1 says a `202` means *started*, and §2.2 allows polling the original URL only for
//!   `PUT`/`PATCH`, so there is nothing to poll and success cannot be claimed. The same
//!   applies to a `DELETE` `202` without headers.
//! * `final-state-via: azure-async-operation`/`operation-location` return the status body for
//!   every method (PROTOCOLS.md §2.5); azure-core does so only for `POST`.
//! * A status monitor is always polled at the URL of the initial header (azure-core); only
//!   Location polling follows a new `Location` (PROTOCOLS.md §2.2).
//! * A non-2xx poll response is [`Error::Api`] (a polling error, PROTOCOLS.md §2.4), also in
//!   Location mode.
//!
//! # Resume tokens
//!
//! [`Poller::resume_token`] is URL-safe base64 (no padding) of a small JSON document: kind,
//! operation id, method, initial/resource URL, polling mode and URL, initial `Location`,
//! `final-state-via`, whether a result is expected, client request id, last status, a pending
//! final `GET` and the last requested delay. It never contains credentials, headers or
//! bodies; URLs keep their own query strings (e.g. `api-version`). Reconcile tokens do not
//! contain the [`ReconcileLro`] (it holds `&'static str`s): pass it again to
//! [`Poller::from_resume_token_reconcile`]. A resumed poller starts with the stored delay and
//! a fresh deadline. A token taken while the final `GET` is due resumes with just that `GET`;
//! one taken after the end re-reads the outcome with one more poll — except for a
//! `POST`/`DELETE` that finished synchronously (nothing to poll), which resumes as succeeded
//! without a result body.
//!
//! Dropping a poller (or a `poll`/`wait` future) sends nothing and cancels nothing.

mod azure;
mod reconcile;
mod token;

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;
use std::time::Duration;

use futures::future::BoxFuture;
use http::header::HeaderValue;
use http::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::time::Instant;
use url::Url;

use crate::client::ClientCore;
use crate::error::{Error, ErrorBody};
use crate::request::{redact_url, OperationMeta, Request};
use crate::response::RawResponse;

use azure::AzureState;
use reconcile::ReconcileState;

/// What a generated Azure LRO operation knows statically
/// (`x-ms-long-running-operation-options`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AzureLro {
    /// `final-state-via`: `azure-async-operation`, `location`, `original-uri` or
    /// `operation-location` (case-insensitive); `None` or another value → the ARM defaults
    /// (see the [module documentation](self)).
    pub final_state_via: Option<&'static str>,
    /// Whether the operation declares a success body to decode. When `false` the poller
    /// returns `()` as soon as `Succeeded` is seen and never sends a final `GET`
    /// (PROTOCOLS.md §2.5, our convention).
    pub has_result: bool,
}

/// What a generated reconcile-style operation knows statically (`x-restsmith-lro`,
/// `style: reconcile`; PROTOCOLS.md §5.2). Pointers are JSON pointers into the resource body.
#[derive(Debug, Clone, PartialEq)]
pub struct ReconcileLro {
    /// Where the state string is, e.g. `/metadata/state/state`.
    pub state_pointer: &'static str,
    /// States that mean success (when nothing is pending), e.g. `["active"]`.
    pub succeeded: &'static [&'static str],
    /// States that mean the operation failed ([`Error::OperationFailed`]).
    pub failed: &'static [&'static str],
    /// States that mean the resource is going away ([`Error::Gone`]), e.g. `["deleting"]`.
    pub gone: &'static [&'static str],
    /// Array (or object) that is non-empty while changes are still being applied, e.g.
    /// `/metadata/state/diff_fields/reconciling`.
    pub pending_pointer: Option<&'static str>,
    /// Array that, when non-empty, lists fields the service cannot apply
    /// ([`Error::Irreconcilable`]), e.g. `/metadata/state/diff_fields/irreconcilable`.
    pub irreconcilable_pointer: Option<&'static str>,
    /// Delay before the first poll.
    pub initial_delay: Duration,
    /// Upper bound of the growing delay.
    pub max_delay: Duration,
    /// Factor applied to the delay after each poll (e.g. `1.5`).
    pub multiplier: f64,
    /// Default overall deadline ([`PollerOptions::max_total_wait`] overrides it).
    pub deadline: Duration,
}

/// The state of a long-running operation as the poller last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PollStatus {
    /// Not finished yet (any non-terminal service state, or no state seen yet).
    InProgress,
    /// Finished successfully (the result may still need one final `GET`).
    Succeeded,
    /// Finished unsuccessfully (also: irreconcilable or gone, for reconcile pollers).
    Failed,
    /// Cancelled.
    Canceled,
}

impl PollStatus {
    /// Whether the operation has finished (`Succeeded`, `Failed` or `Canceled`).
    pub fn is_terminal(self) -> bool {
        !matches!(self, PollStatus::InProgress)
    }

    /// The canonical name (`InProgress`, `Succeeded`, `Failed`, `Canceled`).
    pub fn as_str(self) -> &'static str {
        match self {
            PollStatus::InProgress => "InProgress",
            PollStatus::Succeeded => "Succeeded",
            PollStatus::Failed => "Failed",
            PollStatus::Canceled => "Canceled",
        }
    }

    /// An Azure status value, compared case-insensitively; unknown values are `InProgress`.
    fn from_azure(status: &str) -> Self {
        let status = status.trim();
        if status.eq_ignore_ascii_case("succeeded") {
            PollStatus::Succeeded
        } else if status.eq_ignore_ascii_case("failed") {
            PollStatus::Failed
        } else if status.eq_ignore_ascii_case("canceled")
            || status.eq_ignore_ascii_case("cancelled")
        {
            PollStatus::Canceled
        } else {
            PollStatus::InProgress
        }
    }
}

impl fmt::Display for PollStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The overall deadline setting: the kind's default, or explicit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MaxWait {
    Default,
    Set(Option<Duration>),
}

/// Default overall deadline of Azure pollers (PROTOCOLS.md §2.7).
const AZURE_DEFAULT_MAX_WAIT: Duration = Duration::from_secs(60 * 60);

/// How a poller waits; `Default` plus builder-style setters.
#[derive(Debug, Clone, PartialEq)]
pub struct PollerOptions {
    max_total_wait: MaxWait,
    min_interval: Duration,
    max_interval: Duration,
    default_interval: Duration,
    interval_override: Option<Duration>,
    allow_untrusted_poll_hosts_without_credentials: bool,
}

impl Default for PollerOptions {
    fn default() -> Self {
        PollerOptions {
            max_total_wait: MaxWait::Default,
            min_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(600),
            default_interval: Duration::from_secs(30),
            interval_override: None,
            allow_untrusted_poll_hosts_without_credentials: false,
        }
    }
}

impl PollerOptions {
    /// Overall deadline, measured from the poller's creation; `None` waits forever. Default:
    /// 60 min for Azure pollers, [`ReconcileLro::deadline`] for reconcile pollers.
    pub fn max_total_wait(mut self, limit: Option<Duration>) -> Self {
        self.max_total_wait = MaxWait::Set(limit);
        self
    }

    /// Bounds for Azure poll delays (server-requested or default) before scaling; default
    /// 1 s and 10 min (PROTOCOLS.md §2.6). A lower bound of zero lets `Retry-After: 0` poll
    /// at once.
    pub fn interval_bounds(mut self, min: Duration, max: Duration) -> Self {
        self.min_interval = min;
        self.max_interval = max;
        self
    }

    /// Azure delay when a response names none (default 30 s).
    pub fn default_interval(mut self, interval: Duration) -> Self {
        self.default_interval = interval;
        self
    }

    /// A fixed delay between polls that replaces every other rule and is not scaled (tests:
    /// `Some(Duration::ZERO)`); `None` (the default) uses the rules.
    pub fn interval_override(mut self, interval: Option<Duration>) -> Self {
        self.interval_override = interval;
        self
    }

    /// Polls poll/final URLs on hosts the client does not trust **without** credentials,
    /// secret headers or cookies, instead of refusing them with [`Error::UntrustedUrl`]
    /// (default `false`; PROTOCOLS.md §8.1).
    pub fn allow_untrusted_poll_hosts_without_credentials(mut self, allow: bool) -> Self {
        self.allow_untrusted_poll_hosts_without_credentials = allow;
        self
    }
}

/// How a finished operation ended.
#[derive(Debug, Clone)]
enum Outcome {
    /// Success; the result is decoded from this response's body (`None`: from JSON `null`).
    Succeeded(Option<RawResponse>),
    /// Failure reported by this response.
    Failed(Failure, RawResponse),
}

/// Why an operation failed.
#[derive(Debug, Clone)]
enum Failure {
    /// A failure state (`Failed`, `Canceled`, a reconcile `failed` value).
    State(String),
    /// Reconcile: the service cannot apply these fields.
    Irreconcilable(Vec<String>),
    /// Reconcile: a `gone` state (`Some`) or a 404 (`None`).
    Gone(Option<String>),
}

/// Where the poller stands.
#[derive(Debug, Clone)]
enum Phase {
    /// The next [`Poller::poll`] waits, then polls.
    Polling,
    /// The operation succeeded; the next [`Poller::poll`] reads the result from this URL.
    FinalGet(Url),
    /// Finished.
    Done(Outcome),
}

/// What one response told the poller; applied by [`Poller::apply`].
#[derive(Debug)]
struct Step {
    status: PollStatus,
    /// The state as the service spelled it.
    raw_status: Option<String>,
    /// The response body as JSON, when it was JSON.
    body: Option<Value>,
    /// Delay the response asked for before the next poll (Azure).
    server_delay: Option<Duration>,
    phase: Phase,
}

impl Step {
    /// Still in progress.
    fn in_progress(
        raw_status: Option<String>,
        body: Option<Value>,
        delay: Option<Duration>,
    ) -> Self {
        Step {
            status: PollStatus::InProgress,
            raw_status,
            body,
            server_delay: delay,
            phase: Phase::Polling,
        }
    }

    /// Finished with `outcome`.
    fn done(
        status: PollStatus,
        raw_status: Option<String>,
        body: Option<Value>,
        outcome: Outcome,
    ) -> Self {
        Step {
            status,
            raw_status,
            body,
            server_delay: None,
            phase: Phase::Done(outcome),
        }
    }
}

/// Which protocol a poller follows.
#[derive(Debug, Clone)]
enum Kind {
    Azure(AzureState),
    Reconcile(ReconcileState),
}

/// Follows one long-running operation to its end.
///
/// `T` is the final result (`()` when the operation has no success body), `E` the API's error
/// body. See the [module documentation](self) for the protocols; `.await` a poller to run it
/// to the end.
pub struct Poller<T, E> {
    core: ClientCore,
    meta: &'static OperationMeta,
    options: PollerOptions,
    kind: Kind,
    /// Client request id of the initial call, re-sent on every poll.
    client_request_id: Option<String>,
    /// Status and headers of the initial response (absent for a resumed poller).
    initial: Option<(http::StatusCode, http::HeaderMap)>,
    status: PollStatus,
    raw_status: Option<String>,
    last_body: Option<Value>,
    /// Server request id of the last response.
    last_request_id: Option<String>,
    /// Azure: delay the last response asked for.
    server_delay: Option<Duration>,
    /// Reconcile: delay before the next poll.
    backoff: Duration,
    phase: Phase,
    started: Instant,
    _types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> fmt::Debug for Poller<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            Kind::Azure(_) => "azure",
            Kind::Reconcile(_) => "reconcile",
        };
        f.debug_struct("Poller")
            .field("operation_id", &self.meta.operation_id)
            .field("kind", &kind)
            .field("status", &self.status)
            .field("raw_status", &self.raw_status)
            .field("poll_url", &self.poll_url().as_ref().map(redact_url))
            .field("done", &matches!(self.phase, Phase::Done(_)))
            .finish_non_exhaustive()
    }
}

impl<T, E> Poller<T, E> {
    fn new(
        core: ClientCore,
        meta: &'static OperationMeta,
        kind: Kind,
        options: PollerOptions,
        client_request_id: Option<String>,
    ) -> Self {
        Poller {
            core,
            meta,
            options,
            kind,
            client_request_id,
            initial: None,
            status: PollStatus::InProgress,
            raw_status: None,
            last_body: None,
            last_request_id: None,
            server_delay: None,
            backoff: Duration::ZERO,
            phase: Phase::Polling,
            started: Instant::now(),
            _types: PhantomData,
        }
    }

    /// The HTTP status of the initial response (`None` for a poller rebuilt from a token).
    pub fn initial_status(&self) -> Option<http::StatusCode> {
        self.initial.as_ref().map(|(status, _)| *status)
    }

    /// The headers of the initial response, e.g. `Location`, `Azure-AsyncOperation`,
    /// `Retry-After`, `x-ms-request-id` (`None` for a poller rebuilt from a token).
    pub fn initial_headers(&self) -> Option<&http::HeaderMap> {
        self.initial.as_ref().map(|(_, headers)| headers)
    }

    /// The URL the next poll goes to (none once no more polls are needed).
    fn poll_url(&self) -> Option<Url> {
        match &self.kind {
            Kind::Azure(state) => state.poll_url(),
            Kind::Reconcile(state) => Some(state.resource_url.clone()),
        }
    }
}

impl<T, E> Poller<T, E>
where
    T: DeserializeOwned + Send + 'static,
    E: DeserializeOwned + ErrorBody + Send + 'static,
{
    /// A poller for an Azure LRO from its initial response (PROTOCOLS.md §2).
    ///
    /// `initial_method` and `initial_url` are those of the request that was sent (the URL
    /// relative poll URLs resolve against, and the one `original-uri`/body polling reads);
    /// the client request id is taken from `initial`.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for an initial status other than 200/201/202/204; [`Error::Protocol`]
    /// for a polling header that is not a URL, an unparsable delay header on an in-progress
    /// response, or a `POST`/`DELETE` `202` without any polling header; [`Error::Decode`]
    /// for an invalid JSON body that must be read (body polling).
    pub fn azure(
        core: ClientCore,
        meta: &'static OperationMeta,
        initial_method: Method,
        initial_url: Url,
        initial: RawResponse,
        lro: AzureLro,
        options: PollerOptions,
    ) -> Result<Self, Error<E>> {
        if !matches!(initial.status.as_u16(), 200 | 201 | 202 | 204) {
            return Err(initial.into_error());
        }
        let client_request_id = initial.client_request_id.clone();
        let request_id = initial.request_id().map(str::to_owned);
        let first = (initial.status, initial.headers.clone());
        let (state, step) = AzureState::start(initial_method, initial_url, initial, lro)?;
        let mut poller = Poller::new(core, meta, Kind::Azure(state), options, client_request_id);
        poller.initial = Some(first);
        poller.last_request_id = request_id;
        poller.apply(step);
        Ok(poller)
    }

    /// A poller for a reconcile-style operation (PROTOCOLS.md §5.2) from its initial
    /// response, whose body is the first observation of the resource at `resource_url`.
    ///
    /// # Errors
    ///
    /// [`Error::Api`] for a non-2xx initial response; [`Error::Decode`] when its body is not
    /// JSON.
    pub fn reconcile(
        core: ClientCore,
        meta: &'static OperationMeta,
        resource_url: Url,
        initial: RawResponse,
        lro: ReconcileLro,
        options: PollerOptions,
    ) -> Result<Self, Error<E>> {
        if !initial.status.is_success() {
            return Err(initial.into_error());
        }
        let client_request_id = initial.client_request_id.clone();
        let request_id = initial.request_id().map(str::to_owned);
        let first = (initial.status, initial.headers.clone());
        let state = ReconcileState::new(resource_url, lro);
        let step = state.initial_step(initial)?;
        let backoff = state.initial_backoff();
        let mut poller = Poller::new(
            core,
            meta,
            Kind::Reconcile(state),
            options,
            client_request_id,
        );
        poller.last_request_id = request_id;
        poller.initial = Some(first);
        poller.backoff = backoff;
        poller.apply(step);
        Ok(poller)
    }

    /// Replaces all options.
    pub fn with_options(mut self, options: PollerOptions) -> Self {
        self.options = options;
        self
    }

    /// Sets [`PollerOptions::max_total_wait`] (still measured from the poller's creation).
    pub fn max_total_wait(mut self, limit: Option<Duration>) -> Self {
        self.options = self.options.max_total_wait(limit);
        self
    }

    /// Sets [`PollerOptions::interval_bounds`].
    pub fn interval_bounds(mut self, min: Duration, max: Duration) -> Self {
        self.options = self.options.interval_bounds(min, max);
        self
    }

    /// Sets [`PollerOptions::interval_override`].
    pub fn interval_override(mut self, interval: Option<Duration>) -> Self {
        self.options = self.options.interval_override(interval);
        self
    }

    /// The status as of the last response.
    pub fn status(&self) -> PollStatus {
        self.status
    }

    /// The last status as the service spelled it (e.g. `Accepted`, `succeeded`, `reconciling`),
    /// when one was reported.
    pub fn raw_status(&self) -> Option<&str> {
        self.raw_status.as_deref()
    }

    /// The body of the last response, when it was JSON (status monitor body, resource body).
    pub fn last_status_body(&self) -> Option<&Value> {
        self.last_body.as_ref()
    }

    /// `percentComplete` of the last status-monitor body, when present.
    pub fn percent_complete(&self) -> Option<f64> {
        self.last_body.as_ref()?.get("percentComplete")?.as_f64()
    }

    /// Whether the poller has finished: [`Poller::wait`] returns without sending anything.
    /// (After `Succeeded` one final `GET` may still be due.)
    pub fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Done(_))
    }

    /// The delay the next [`Poller::poll`] waits before polling (zero when it sends the final
    /// `GET` or sends nothing).
    pub fn next_delay(&self) -> Duration {
        if !matches!(self.phase, Phase::Polling) {
            return Duration::ZERO;
        }
        if let Some(fixed) = self.options.interval_override {
            return fixed;
        }
        let base = match &self.kind {
            Kind::Azure(_) => self
                .server_delay
                .unwrap_or(self.options.default_interval)
                .max(self.options.min_interval)
                .min(self.options.max_interval),
            Kind::Reconcile(_) => self.backoff,
        };
        self.core.retry_options().scale(base)
    }

    /// The overall deadline in effect.
    fn deadline(&self) -> Option<Duration> {
        match (self.options.max_total_wait, &self.kind) {
            (MaxWait::Set(limit), _) => limit,
            (MaxWait::Default, Kind::Azure(_)) => Some(AZURE_DEFAULT_MAX_WAIT),
            (MaxWait::Default, Kind::Reconcile(state)) => Some(state.lro.deadline),
        }
    }

    /// One step: waits [`Poller::next_delay`], sends exactly one poll (or, after `Succeeded`,
    /// the final `GET` without waiting) and returns the new status. Once finished it returns
    /// the terminal status without sending anything.
    ///
    /// A failed or cancelled operation is reported as `Ok(PollStatus::Failed)` /
    /// `Ok(PollStatus::Canceled)`; [`Poller::wait`] turns it into the error.
    ///
    /// # Errors
    ///
    /// [`Error::PollTimeout`] when the delay would end past the deadline (nothing is sent);
    /// [`Error::UntrustedUrl`] before sending to an untrusted URL; [`Error::Api`] for a
    /// non-2xx poll or final response (after the pipeline's retries); [`Error::Protocol`] /
    /// [`Error::Decode`] for malformed poll responses; pipeline errors. The poller stays
    /// usable: calling `poll` again retries the same step.
    pub async fn poll(&mut self) -> Result<PollStatus, Error<E>> {
        match &self.phase {
            Phase::Done(_) => return Ok(self.status),
            Phase::FinalGet(url) => {
                let url = url.clone();
                let response = self.get(url).await?;
                if !response.status.is_success() {
                    return Err(response.into_error());
                }
                self.phase = Phase::Done(Outcome::Succeeded(Some(response)));
                return Ok(self.status);
            }
            Phase::Polling => {}
        }
        let Some(url) = self.poll_url() else {
            return Ok(self.status);
        };
        let delay = self.next_delay();
        if let Some(limit) = self.deadline() {
            let waited = self.started.elapsed();
            if waited.saturating_add(delay) > limit {
                return Err(Error::PollTimeout {
                    url: redact_url(&url),
                    last_status: self
                        .raw_status
                        .clone()
                        .unwrap_or_else(|| self.status.to_string()),
                    waited,
                    request_id: self.last_request_id.clone(),
                    client_request_id: self.client_request_id.clone(),
                });
            }
        }
        // Refuse an untrusted URL now rather than after the wait.
        if !self.options.allow_untrusted_poll_hosts_without_credentials {
            self.core.check_trusted_url::<E>(&url)?;
        }
        tokio::time::sleep(delay).await;
        let response = self.get(url).await?;
        self.last_request_id = response.request_id().map(str::to_owned);
        let step = match &mut self.kind {
            Kind::Azure(state) => state.poll_step(response)?,
            Kind::Reconcile(state) => state.poll_step(response)?,
        };
        if let Kind::Reconcile(state) = &self.kind {
            self.backoff = state.grow(self.backoff);
        }
        self.apply(step);
        Ok(self.status)
    }

    /// Records what a response said.
    fn apply(&mut self, step: Step) {
        tracing::debug!(
            operation_id = self.meta.operation_id,
            status = %step.status,
            raw_status = step.raw_status.as_deref().unwrap_or_default(),
            "long-running operation status"
        );
        self.status = step.status;
        self.raw_status = step.raw_status;
        self.last_body = step.body;
        self.server_delay = step.server_delay;
        self.phase = step.phase;
    }

    /// A `GET` of a server-provided URL through the pipeline, with the initial client
    /// request id; refused or sent without credentials when the URL is not trusted.
    async fn get(&self, url: Url) -> Result<RawResponse, Error<E>> {
        let mut request = Request::new(self.meta, url);
        request.method = Method::GET;
        if let (Some(name), Some(id)) = (
            self.core.client_request_id_header(),
            self.client_request_id.as_deref(),
        ) {
            if let Ok(value) = HeaderValue::from_str(id) {
                request.headers.insert(name.clone(), value);
            }
        }
        tracing::debug!(
            operation_id = self.meta.operation_id,
            url = %redact_url(&request.url),
            "polling"
        );
        match self.core.check_trusted_url::<E>(&request.url) {
            Ok(()) => self.core.send(request).await,
            Err(_) if self.options.allow_untrusted_poll_hosts_without_credentials => {
                self.core.send_without_credentials(request).await
            }
            Err(refused) => Err(refused),
        }
    }

    /// Runs to the end and returns the result.
    ///
    /// # Errors
    ///
    /// [`Error::OperationFailed`] (Azure `Failed`/`Canceled`, reconcile `failed` states)
    /// carrying the decoded service error, the state and the raw body;
    /// [`Error::Irreconcilable`] and [`Error::Gone`] (reconcile); [`Error::PollTimeout`] at
    /// the deadline; [`Error::Decode`] when the result does not decode as `T`; and every
    /// error of [`Poller::poll`].
    pub async fn wait(mut self) -> Result<T, Error<E>> {
        self.wait_in_place().await
    }

    /// Like [`Poller::wait`] but keeps the poller, so that after an error (e.g.
    /// [`Error::PollTimeout`]) you can still take a [`Poller::resume_token`] or poll on.
    /// Once finished, calling it again decodes the same result without sending anything.
    ///
    /// # Errors
    ///
    /// As [`Poller::wait`].
    pub async fn wait_in_place(&mut self) -> Result<T, Error<E>> {
        loop {
            if let Phase::Done(outcome) = &self.phase {
                return outcome_result(outcome);
            }
            self.poll().await?;
        }
    }

    /// An opaque token from which [`Poller::from_resume_token`] (or
    /// [`Poller::from_resume_token_reconcile`]) continues this operation, e.g. in another
    /// process. It holds no credentials; see the [module documentation](self#resume-tokens).
    pub fn resume_token(&self) -> String {
        token::encode(self)
    }

    /// Continues an Azure operation from [`Poller::resume_token`] with `core` (which may be a
    /// new client with fresh credentials).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] (parameter `resume_token`) for a token that is malformed, of
    /// another version, of a reconcile poller, or of another operation than `meta`.
    pub fn from_resume_token(
        core: ClientCore,
        meta: &'static OperationMeta,
        token: &str,
        options: PollerOptions,
    ) -> Result<Self, Error<E>> {
        token::decode_azure(core, meta, token, options)
    }

    /// Continues a reconcile operation from [`Poller::resume_token`]; `lro` must be the
    /// operation's [`ReconcileLro`] again (tokens do not contain it).
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] (parameter `resume_token`) for a token that is malformed, of
    /// another version, of an Azure poller, or of another operation than `meta`.
    pub fn from_resume_token_reconcile(
        core: ClientCore,
        meta: &'static OperationMeta,
        token: &str,
        lro: ReconcileLro,
        options: PollerOptions,
    ) -> Result<Self, Error<E>> {
        token::decode_reconcile(core, meta, token, lro, options)
    }
}

/// `.await` on a poller runs [`Poller::wait`].
impl<T, E> IntoFuture for Poller<T, E>
where
    T: DeserializeOwned + Send + 'static,
    E: DeserializeOwned + ErrorBody + Send + 'static,
{
    type Output = Result<T, Error<E>>;
    type IntoFuture = BoxFuture<'static, Result<T, Error<E>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

/// The caller-facing result of a finished operation.
fn outcome_result<T, E>(outcome: &Outcome) -> Result<T, Error<E>>
where
    T: DeserializeOwned,
    E: DeserializeOwned + ErrorBody,
{
    match outcome {
        Outcome::Succeeded(Some(response)) if !is_empty(&response.body) => response.json(),
        Outcome::Succeeded(response) => serde_json::from_value(Value::Null).map_err(|e| {
            let message = format!("the operation produced no result body: {e}");
            match response {
                Some(response) => {
                    Error::Decode(Box::new(response.decode_error(message, Some(Box::new(e)))))
                }
                None => Error::protocol(message, None),
            }
        }),
        Outcome::Failed(failure, response) => Err(failure_error(failure, response)),
    }
}

/// The error for a failed operation, with the reporting response decoded as `E`.
fn failure_error<E>(failure: &Failure, response: &RawResponse) -> Error<E>
where
    E: DeserializeOwned + ErrorBody,
{
    let mut details = match response.clone().into_error::<E>() {
        Error::Api(details) => details,
        other => return other,
    };
    // A status monitor nests the ARM `ErrorDetail` under `error`; when `E` models the detail
    // itself (flat `{code, message}`), decoding the whole body found no code: try the member.
    if details.code.is_none() {
        let nested = serde_json::from_slice::<Value>(&response.body)
            .ok()
            .and_then(|body| body.get("error").cloned())
            .and_then(|error| serde_json::from_value::<E>(error).ok());
        if let Some(nested) = nested.filter(|e| e.code().is_some()) {
            details.code = nested.code().map(str::to_owned);
            details.message = nested.message().map(str::to_owned);
            details.body = Some(nested);
        }
    }
    match failure {
        Failure::State(state) => Error::OperationFailed {
            state: state.clone(),
            details,
        },
        Failure::Irreconcilable(fields) => Error::Irreconcilable {
            fields: fields.clone(),
            details,
        },
        Failure::Gone(state) => Error::Gone {
            state: state.clone(),
            details,
        },
    }
}

/// Whether a body is empty or only whitespace.
fn is_empty(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// The body as JSON: `Ok(None)` when empty, [`Error::Decode`] when not JSON.
fn json_body<E>(response: &RawResponse) -> Result<Option<Value>, Error<E>> {
    if is_empty(&response.body) {
        Ok(None)
    } else {
        response.json().map(Some)
    }
}

/// A protocol error about `response`.
fn protocol<E>(message: impl Into<String>, response: &RawResponse) -> Error<E> {
    Error::protocol(message, response.request_id().map(str::to_owned))
}
