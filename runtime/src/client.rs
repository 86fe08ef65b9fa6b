//! The client core shared by every generated client: configuration and the request pipeline.
//!
//! [`ClientCore::send`] is the single pipeline every request goes through. For one logical
//! call it:
//!
//! 1. reports a rejection recorded while the request was built ([`Error::Validation`]) and
//!    refuses plain-`http` URLs to non-loopback hosts unless explicitly allowed;
//! 2. picks the client request id (a fresh UUID v4, the same on every retry) when
//!    [`ClientOptions::client_request_id_header`] is configured and the request lacks that header;
//! 3. per attempt: clones the request, sets `User-Agent`, runs
//!    [`Interceptor::modify_before_signing`], the credential, and
//!    [`Interceptor::read_before_transmit`]; sends it with the request timeout; reads the body
//!    up to the size cap; runs [`Interceptor::read_after_attempt`];
//! 4. asks the [`RetryClassifier`] about the outcome and, within the [`RetryOptions`] budget,
//!    sleeps and goes back to 3 — except for a streamed body ([`crate::Binary`]), which is
//!    sent once.
//!
//! It returns the response for **any** status — generated code decides what is success — and
//! fails only when no complete response was obtained.
//!
//! Tracing: one `operation` span (operation id, method, host, path template, client request
//! id) and one `attempt` span per attempt (attempt number, status, server request id).
//! Header values, query strings and bodies are never recorded.

use std::convert::Infallible as NoBody;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use http::header::{HeaderName, HeaderValue, USER_AGENT};
use futures::future::BoxFuture;
use http::Method;
use tracing::field::Empty;
use tracing::Instrument as _;
use url::{Host, Url};

use crate::auth::Credential;
use crate::error::Error;
use crate::interceptor::{AttemptContext, Interceptor};
use crate::query::Query;
use crate::request::{header_value, is_secret_header, redact_url, OperationMeta, Request};
use crate::response::RawResponse;
use crate::retry::{
    AttemptOutcome, DefaultRetryClassifier, RetryAction, RetryClassifier, RetryContext,
    RetryOptions,
};
use crate::transport::{root_cause, Exchange, Failure, Transport, DEFAULT_MAX_RESPONSE_BODY};

/// Version of this runtime crate, sent in `User-Agent`.
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Client configuration; `Default` plus builder-style setters.
#[derive(Clone)]
pub struct ClientOptions {
    user_agent_suffix: Option<String>,
    retry: RetryOptions,
    retry_classifier: Arc<dyn RetryClassifier>,
    request_timeout: Duration,
    connect_timeout: Duration,
    http_client: Option<reqwest::Client>,
    allow_insecure_http: bool,
    client_request_id_header: Option<&'static str>,
    trusted_hosts: Vec<String>,
    interceptors: Vec<Arc<dyn Interceptor>>,
    max_response_body: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            user_agent_suffix: None,
            retry: RetryOptions::default(),
            retry_classifier: Arc::new(DefaultRetryClassifier),
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            http_client: None,
            allow_insecure_http: false,
            client_request_id_header: None,
            trusted_hosts: Vec::new(),
            interceptors: Vec::new(),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
        }
    }
}

impl ClientOptions {
    /// Text appended to `User-Agent` after a space (visible ASCII and spaces only).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Retry budget and backoff (default: [`RetryOptions::default`]).
    pub fn retry(mut self, retry: RetryOptions) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the [`DefaultRetryClassifier`].
    pub fn retry_classifier(mut self, classifier: Arc<dyn RetryClassifier>) -> Self {
        self.retry_classifier = classifier;
        self
    }

    /// Time limit for one attempt: connect, send, headers and body (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Time limit for establishing a connection (default 10 s). Applies to the default HTTP
    /// client only; configure a custom client yourself.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses a preconfigured `reqwest::Client` instead of the default one (which follows no
    /// redirects and keeps cookies). A custom client should also disable redirects
    /// (PROTOCOLS.md §8.1): build it with `.redirect(reqwest::redirect::Policy::none())`.
    ///
    /// # Security
    ///
    /// Redirects are followed inside the `reqwest::Client`, after the credential signed the
    /// request, so the pipeline cannot check where they lead. A client that follows them
    /// (reqwest's default policy follows up to 10) sends the request — including the
    /// credential — to whatever origin the `Location` header names, including plain `http`
    /// unless the client was built with `https_only(true)`. reqwest drops `Authorization`,
    /// `Cookie` and `Proxy-Authorization` on a hop to another host or port, but forwards
    /// every other header: API keys in custom headers (`x-sddc-token`,
    /// `Ocp-Apim-Subscription-Key`), signed `x-ms-*`/`X-*` headers and security tokens reach
    /// the other origin (tested in `runtime/tests/faults.rs`). A credential in the query string
    /// is dropped only if the new `Location` does not repeat it.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Allows plain `http` to hosts other than loopback (`127.0.0.0/8`, `::1`, `localhost`).
    /// Off by default: credentials must not travel unencrypted (PROTOCOLS.md §8.4).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sends a fresh UUID v4 per call in header `name`, e.g. `x-ms-client-request-id` (ARM)
    /// or `client-request-id` (Batch); by default none is sent. The same id is used on every
    /// retry, a value the request already carries is kept, and errors record it.
    pub fn client_request_id_header(mut self, name: &'static str) -> Self {
        self.client_request_id_header = Some(name);
        self
    }

    /// Sends no client request id (the default).
    pub fn without_client_request_id(mut self) -> Self {
        self.client_request_id_header = None;
        self
    }

    /// Adds a host (`host` or `host:port`; IPv6 in brackets) that server-provided URLs may
    /// point to besides the endpoint's own origin (see [`ClientCore::get_url`]).
    pub fn trusted_host(mut self, host: impl Into<String>) -> Self {
        self.trusted_hosts.push(host.into());
        self
    }

    /// Appends an interceptor; interceptors run in the order added.
    pub fn interceptor(mut self, interceptor: Arc<dyn Interceptor>) -> Self {
        self.interceptors.push(interceptor);
        self
    }

    /// Cap on response bodies in bytes (default 16 MiB); larger bodies fail with
    /// [`Error::BodyTooLarge`].
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("retry", &self.retry)
            .field("retry_classifier", &self.retry_classifier)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("custom_http_client", &self.http_client.is_some())
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("client_request_id_header", &self.client_request_id_header)
            .field("trusted_hosts", &self.trusted_hosts)
            .field("interceptors", &self.interceptors)
            .field("max_response_body", &self.max_response_body)
            .finish()
    }
}

/// A host that server-provided URLs may point to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TrustedHost {
    host: String,
    port: Option<u16>,
}

/// Shared state behind [`ClientCore`].
struct Inner {
    endpoint: Url,
    credential: Option<Arc<dyn Credential>>,
    transport: Transport,
    user_agent: HeaderValue,
    retry: RetryOptions,
    classifier: Arc<dyn RetryClassifier>,
    interceptors: Vec<Arc<dyn Interceptor>>,
    request_timeout: Duration,
    connect_timeout: Duration,
    max_response_body: usize,
    client_request_id_header: Option<HeaderName>,
    trusted_hosts: Vec<TrustedHost>,
    allow_insecure_http: bool,
    /// Cookie-less client for [`ClientCore::send_without_credentials`], built on first use.
    anonymous_transport: OnceLock<Transport>,
}

/// The pipeline and configuration of one client; cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<Inner>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("ClientCore")
            .field("endpoint", &redact_url(&inner.endpoint))
            .field("credential", &inner.credential)
            .field("retry", &inner.retry)
            .field("request_timeout", &inner.request_timeout)
            .field("client_request_id_header", &inner.client_request_id_header)
            .finish_non_exhaustive()
    }
}

fn config<E>(message: impl Into<String>) -> Error<E> {
    Error::Config {
        message: message.into(),
    }
}

/// Whether `url`'s host is a loopback address or `localhost`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl ClientCore {
    /// Creates the core for `endpoint` (base URL; its path is kept as a prefix).
    ///
    /// `crate_name`/`crate_version` identify the generated crate in
    /// `User-Agent: <crate>/<version> restsmith-runtime/<ver>[ <suffix>]`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an unparsable endpoint, a scheme other than `https` (plain
    /// `http` only for loopback hosts or with [`ClientOptions::allow_insecure_http`]),
    /// userinfo or a fragment in the endpoint, invalid header names/values in the options,
    /// a zero timeout, or an HTTP client that cannot be built.
    pub fn new(
        endpoint: &str,
        credential: Option<Arc<dyn Credential>>,
        options: ClientOptions,
        crate_name: &'static str,
        crate_version: &'static str,
    ) -> Result<Self, Error> {
        let endpoint =
            Url::parse(endpoint).map_err(|e| config(format!("invalid endpoint URL: {e}")))?;
        match endpoint.scheme() {
            "https" => {}
            "http" if options.allow_insecure_http || is_loopback(&endpoint) => {}
            "http" => {
                return Err(config(
                    "plain http endpoints are only allowed for loopback hosts unless allow_insecure_http is set",
                ))
            }
            other => return Err(config(format!("unsupported endpoint scheme `{other}`"))),
        }
        if endpoint.host_str().is_none_or(str::is_empty) {
            return Err(config("endpoint URL has no host"));
        }
        if !endpoint.username().is_empty() || endpoint.password().is_some() {
            return Err(config("endpoint URL must not contain credentials"));
        }
        if endpoint.fragment().is_some() {
            return Err(config("endpoint URL must not contain a fragment"));
        }
        if options.request_timeout.is_zero() || options.connect_timeout.is_zero() {
            return Err(config("timeouts must be greater than zero"));
        }

        let mut user_agent =
            format!("{crate_name}/{crate_version} restsmith-runtime/{RUNTIME_VERSION}");
        if let Some(suffix) = options
            .user_agent_suffix
            .as_deref()
            .filter(|s| !s.is_empty())
        {
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        let user_agent = header_value(&user_agent)
            .map_err(|reason| config(format!("invalid User-Agent: {reason}")))?;

        let client_request_id_header = options
            .client_request_id_header
            .map(|name| {
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| config(format!("invalid client request id header name `{name}`")))
            })
            .transpose()?;

        let trusted_hosts = options
            .trusted_hosts
            .iter()
            .map(|entry| parse_trusted_host(entry))
            .collect::<Result<Vec<_>, _>>()?;

        let http = match options.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .connect_timeout(options.connect_timeout)
                .build()
                .map_err(|e| config(format!("cannot build the HTTP client: {}", root_cause(&e))))?,
        };

        Ok(ClientCore {
            inner: Arc::new(Inner {
                endpoint,
                credential,
                transport: Transport::new(http, options.max_response_body),
                user_agent,
                retry: options.retry,
                classifier: options.retry_classifier,
                interceptors: options.interceptors,
                request_timeout: options.request_timeout,
                connect_timeout: options.connect_timeout,
                max_response_body: options.max_response_body,
                client_request_id_header,
                trusted_hosts,
                allow_insecure_http: options.allow_insecure_http,
                anonymous_transport: OnceLock::new(),
            }),
        })
    }

    /// The endpoint the client was created with.
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The header that carries the client request id, when one is configured
    /// ([`ClientOptions::client_request_id_header`]). Pollers re-send the initial call's id in
    /// it on every poll.
    pub fn client_request_id_header(&self) -> Option<&HeaderName> {
        self.inner.client_request_id_header.as_ref()
    }

    /// The retry options (pollers use [`RetryOptions::scale`] so tests can shrink waits).
    pub fn retry_options(&self) -> &RetryOptions {
        &self.inner.retry
    }

    /// The `User-Agent` value sent with every request.
    pub fn user_agent(&self) -> &str {
        self.inner.user_agent.to_str().unwrap_or_default()
    }

    /// Builds a request for `meta`: endpoint + `encoded_path` (the endpoint's base path is
    /// kept: `https://h/sddc/v1` + `/vm-snaps/1` → `https://h/sddc/v1/vm-snaps/1`) + `query`
    /// (after any query the endpoint has).
    ///
    /// `encoded_path` must already be encoded (template literals + [`crate::path::segment`]).
    /// If it contains an empty segment (`//`, or a trailing `/` the operation's path template
    /// does not have) or would be altered by URL normalization
    /// (a `.`/`..` segment), the request is marked rejected and `send` returns
    /// [`Error::Validation`] for parameter `path` without sending.
    pub fn request(
        &self,
        meta: &'static OperationMeta,
        encoded_path: &str,
        query: &Query,
    ) -> Request {
        self.request_at(&self.inner.endpoint.clone(), meta, encoded_path, query)
    }

    /// [`ClientCore::request`] against another base URL: an operation whose spec names its own
    /// server (`servers` on the path or operation).
    pub fn request_at(
        &self,
        base: &Url,
        meta: &'static OperationMeta,
        encoded_path: &str,
        query: &Query,
    ) -> Request {
        let mut url = base.clone();
        // An unencoded path value may carry a query of its own (`next?page=2`, a next-page
        // fragment): it goes before the operation's query parameters.
        let (encoded_path, inline_query) = match encoded_path.split_once('?') {
            Some((path, query)) => (path, Some(query).filter(|q| !q.is_empty())),
            None => (encoded_path, None),
        };
        let path = if encoded_path.is_empty() {
            url.path().to_owned()
        } else {
            let base = url.path().trim_end_matches('/');
            let sep = if encoded_path.starts_with('/') {
                ""
            } else {
                "/"
            };
            format!("{base}{sep}{encoded_path}")
        };
        url.set_path(&path);
        let altered = url.path() != path;

        let encoded_query = (!query.is_empty()).then(|| query.encode());
        let parts: Vec<&str> = [url.query().filter(|q| !q.is_empty()), inline_query, encoded_query.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let query_text = (!parts.is_empty()).then(|| parts.join("&"));
        url.set_query(query_text.as_deref());

        let mut request = Request::new(meta, url);
        let rest = encoded_path.strip_prefix('/').unwrap_or(encoded_path);
        let empty_segment = rest.starts_with('/')
            || rest.contains("//")
            || (encoded_path.len() > 1
                && encoded_path.ends_with('/')
                && !meta.path_template.ends_with('/'));
        if empty_segment {
            request.reject("path", "empty path segment (is a path parameter empty?)");
        } else if altered {
            request.reject(
                "path",
                "path would be altered by URL normalization (`.` or `..` segment, or unencoded characters)",
            );
        }
        request
    }

    /// Sends `request` through the pipeline (see the [module documentation](self)).
    ///
    /// Returns the response for any status. Errors: a recorded rejection
    /// ([`Error::Validation`]), an insecure URL ([`Error::UntrustedUrl`]), interceptor or
    /// credential failures, and — after retries — [`Error::Transport`], [`Error::Timeout`] or
    /// [`Error::BodyTooLarge`].
    pub async fn send<E>(&self, request: Request) -> Result<RawResponse, Error<E>> {
        self.start(request).await.map_err(Error::into_body_type)
    }

    /// [`ClientCore::send`] as a boxed future whose error carries no typed body, the one
    /// compiled instance of the pipeline that generated operations share (see
    /// [`Call`](crate::call::Call)).
    pub(crate) fn start(&self, request: Request) -> BoxFuture<'_, Result<RawResponse, Error<NoBody>>> {
        Box::pin(self.dispatch(request, false))
    }

    /// Sends `request` like [`ClientCore::send`] (same retries, interceptors and client
    /// request id) but **without credentials**, for server-provided URLs on hosts the client
    /// does not trust (an LRO poll with
    /// `PollerOptions::allow_untrusted_poll_hosts_without_credentials`):
    ///
    /// * the credential is never called;
    /// * after the interceptors ran, every [secret header](crate::request::is_secret_header)
    ///   (`Authorization`, `Cookie`, `x-sddc-token`, `…-key`, …) and every `ocp-*` header is
    ///   removed;
    /// * it goes through a separate HTTP client without a cookie store (built on first use, no
    ///   redirects, the configured connect timeout), so no cookie of the client's jar is sent
    ///   and none is stored. A custom [`ClientOptions::http_client`] is **not** used here.
    ///
    /// # Errors
    ///
    /// [`Error::UntrustedUrl`] for a URL with userinfo or a fragment, or a scheme the pipeline
    /// refuses; [`Error::Config`] if the HTTP client cannot be built; otherwise as
    /// [`ClientCore::send`].
    pub async fn send_without_credentials<E>(
        &self,
        request: Request,
    ) -> Result<RawResponse, Error<E>> {
        let url = &request.url;
        if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
            return Err(Error::UntrustedUrl {
                url: redact_url(url),
                reason: "URL carries credentials or a fragment".to_owned(),
            });
        }
        self.dispatch(request, true)
            .await
            .map_err(Error::into_body_type)
    }

    /// Steps 1–2 of the pipeline and the `operation` span around the attempt loop;
    /// `anonymous` as in [`ClientCore::run`].
    async fn dispatch(
        &self,
        mut request: Request,
        anonymous: bool,
    ) -> Result<RawResponse, Error<NoBody>> {
        if let Some(rejection) = request.take_rejection() {
            return Err(rejection);
        }
        self.check_transport_security(&request.url)?;

        let client_request_id = self.client_request_id(&mut request);
        let span = tracing::info_span!(
            "operation",
            operation_id = request.meta.operation_id,
            method = %request.method,
            host = request.url.host_str().unwrap_or_default(),
            path_template = request.meta.path_template,
            client_request_id = client_request_id.as_deref().unwrap_or_default(),
            anonymous,
        );
        self.run(request, client_request_id, anonymous)
            .instrument(span)
            .await
    }

    /// The cookie-less transport of [`ClientCore::send_without_credentials`].
    fn anonymous_transport(&self) -> Result<&Transport, Error<NoBody>> {
        if let Some(transport) = self.inner.anonymous_transport.get() {
            return Ok(transport);
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.inner.connect_timeout)
            .build()
            .map_err(|e| config(format!("cannot build the HTTP client: {}", root_cause(&e))))?;
        let transport = Transport::new(http, self.inner.max_response_body);
        Ok(self.inner.anonymous_transport.get_or_init(|| transport))
    }

    /// Sends a `GET` to an absolute, server-provided URL (LRO poll, next page) through the
    /// same pipeline, after [`ClientCore::check_trusted_url`].
    ///
    /// # Errors
    ///
    /// [`Error::UntrustedUrl`] — before anything is sent — when the URL is not trusted;
    /// otherwise as [`ClientCore::send`].
    pub async fn get_url<E>(
        &self,
        meta: &'static OperationMeta,
        url: Url,
    ) -> Result<RawResponse, Error<E>> {
        self.check_trusted_url(&url)?;
        let mut request = Request::new(meta, url);
        request.method = Method::GET;
        self.send(request).await
    }

    /// PROTOCOLS.md §8.1: `url` must have the endpoint's scheme, host and port, or point to a
    /// [trusted host](ClientOptions::trusted_host) over `https` (or over the endpoint's own
    /// scheme); it must not carry userinfo or a fragment.
    ///
    /// # Errors
    ///
    /// [`Error::UntrustedUrl`] naming the URL without its query.
    pub fn check_trusted_url<E>(&self, url: &Url) -> Result<(), Error<E>> {
        let refuse = |reason: &str| {
            Err(Error::UntrustedUrl {
                url: redact_url(url),
                reason: reason.to_owned(),
            })
        };
        if !url.username().is_empty() || url.password().is_some() {
            return refuse("URL carries credentials");
        }
        if url.fragment().is_some() {
            return refuse("URL has a fragment");
        }
        let endpoint = &self.inner.endpoint;
        let host = url.host_str().unwrap_or_default();
        let port = url.port_or_known_default();
        let same_origin = url.scheme() == endpoint.scheme()
            && host.eq_ignore_ascii_case(endpoint.host_str().unwrap_or_default())
            && port == endpoint.port_or_known_default();
        if same_origin {
            return Ok(());
        }
        let allowed_scheme = url.scheme() == "https" || url.scheme() == endpoint.scheme();
        let listed = self.inner.trusted_hosts.iter().any(|t| {
            host.eq_ignore_ascii_case(&t.host)
                && t.port.map_or(url.port().is_none(), |p| Some(p) == port)
        });
        match (listed, allowed_scheme) {
            (true, true) => Ok(()),
            (true, false) => refuse("scheme is not https"),
            (false, _) => refuse("host is neither the endpoint's origin nor a trusted host"),
        }
    }

    /// Refuses URLs the pipeline must never send to (non-http(s), or http to a non-loopback
    /// host without the opt-in).
    fn check_transport_security(&self, url: &Url) -> Result<(), Error<NoBody>> {
        let reason = match url.scheme() {
            "https" => return Ok(()),
            "http" if self.inner.allow_insecure_http || is_loopback(url) => return Ok(()),
            "http" => "plain http is only allowed for loopback hosts",
            _ => "unsupported scheme",
        };
        Err(Error::UntrustedUrl {
            url: redact_url(url),
            reason: reason.to_owned(),
        })
    }

    /// The client request id of this call: the caller's header if present, else a fresh UUID
    /// (inserted into `request`). `None` when no header is configured.
    fn client_request_id(&self, request: &mut Request) -> Option<String> {
        let name = self.inner.client_request_id_header.as_ref()?;
        if let Some(existing) = request.headers.get(name) {
            return existing.to_str().ok().map(str::to_owned);
        }
        let id = uuid::Uuid::new_v4().to_string();
        if let Ok(value) = HeaderValue::from_str(&id) {
            request.headers.insert(name.clone(), value);
        }
        Some(id)
    }

    /// The attempt loop.
    ///
    /// `anonymous`: no credential, secret headers stripped, cookie-less transport
    /// (see [`ClientCore::send_without_credentials`]).
    async fn run(
        &self,
        request: Request,
        client_request_id: Option<String>,
        anonymous: bool,
    ) -> Result<RawResponse, Error<NoBody>> {
        let inner = &*self.inner;
        let transport = if anonymous {
            self.anonymous_transport()?
        } else {
            &inner.transport
        };
        let started = tokio::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let ctx = AttemptContext::new(request.meta, attempt, client_request_id.as_deref());
            let mut outgoing = request.clone();
            if !outgoing.headers.contains_key(USER_AGENT) {
                outgoing
                    .headers
                    .insert(USER_AGENT, inner.user_agent.clone());
            }
            for interceptor in &inner.interceptors {
                interceptor
                    .modify_before_signing(&ctx, &mut outgoing)
                    .map_err(|source| Error::Interceptor {
                        interceptor: interceptor.name(),
                        source,
                    })?;
            }
            if anonymous {
                strip_secret_headers(&mut outgoing.headers);
            } else if let Some(credential) = &inner.credential {
                credential.authorize(&mut outgoing).await?;
            }
            for interceptor in &inner.interceptors {
                interceptor.read_before_transmit(&ctx, &outgoing);
            }

            let method = outgoing.method.clone();
            let attempt_span =
                tracing::debug_span!("attempt", attempt, status = Empty, request_id = Empty);
            let result = transport
                .execute(outgoing, inner.request_timeout)
                .instrument(attempt_span.clone())
                .await;

            let outcome = match &result {
                Ok(exchange) => AttemptOutcome::Response {
                    status: exchange.status,
                    headers: &exchange.headers,
                },
                Err(Failure::Transport { kind, .. }) => AttemptOutcome::Transport(*kind),
                Err(Failure::Timeout(phase)) => AttemptOutcome::Timeout(*phase),
                Err(Failure::TooLarge { .. }) => AttemptOutcome::BodyTooLarge,
            };
            if let Ok(exchange) = &result {
                attempt_span.record("status", exchange.status.as_u16());
                if let Some(id) = crate::response::REQUEST_ID_HEADERS
                    .iter()
                    .find_map(|n| exchange.headers.get(*n).and_then(|v| v.to_str().ok()))
                {
                    attempt_span.record("request_id", id);
                }
            }
            for interceptor in &inner.interceptors {
                interceptor.read_after_attempt(&ctx, &outcome);
            }

            let action = inner
                .classifier
                .classify(&RetryContext::new(request.meta, &method, attempt), &outcome);
            if let RetryAction::Retry { server_hint } = action {
                if request.is_streaming() {
                    attempt_span.in_scope(|| {
                        tracing::debug!("not retrying: the streamed request body cannot be sent again");
                    });
                } else if attempt <= inner.retry.max_retries {
                    let delay = inner.retry.delay(attempt - 1, server_hint);
                    if started.elapsed().saturating_add(delay) <= inner.retry.max_total {
                        attempt_span.in_scope(|| {
                            tracing::debug!(
                                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                                outcome = %describe(&outcome),
                                "retrying"
                            );
                        });
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    attempt_span.in_scope(|| tracing::debug!("retry budget exhausted"));
                }
            }
            return self.finish(result, attempt, client_request_id);
        }
    }

    /// Converts the last attempt's result into the caller-facing result.
    fn finish(
        &self,
        result: Result<Exchange, Failure>,
        attempts: u32,
        client_request_id: Option<String>,
    ) -> Result<RawResponse, Error<NoBody>> {
        match result {
            Ok(exchange) => Ok(RawResponse {
                status: exchange.status,
                headers: exchange.headers,
                body: exchange.body,
                client_request_id,
                attempts,
            }),
            Err(Failure::Transport { kind, source }) => {
                let message = root_cause(&*source);
                tracing::debug!(%kind, attempts, error = %message, "transport error");
                Err(Error::Transport {
                    kind,
                    response_started: kind.response_started(),
                    message,
                    attempts,
                    client_request_id,
                    source: Some(source),
                })
            }
            Err(Failure::Timeout(phase)) => Err(Error::Timeout {
                phase,
                after: if phase == crate::error::TimeoutPhase::Connect {
                    self.inner.connect_timeout
                } else {
                    self.inner.request_timeout
                },
                attempts,
                client_request_id,
            }),
            Err(Failure::TooLarge { status }) => Err(Error::BodyTooLarge {
                status,
                limit: self.inner.max_response_body,
            }),
        }
    }
}

/// Removes headers that may carry credentials: [secret headers](is_secret_header) and `ocp-*`
/// (Batch Shared Key signs those).
fn strip_secret_headers(headers: &mut http::HeaderMap) {
    let doomed: Vec<HeaderName> = headers
        .keys()
        .filter(|name| is_secret_header(name.as_str()) || name.as_str().starts_with("ocp-"))
        .cloned()
        .collect();
    for name in doomed {
        headers.remove(name);
    }
}

/// Short description of an outcome for tracing (no header values).
fn describe(outcome: &AttemptOutcome<'_>) -> String {
    match outcome {
        AttemptOutcome::Response { status, .. } => format!("HTTP {}", status.as_u16()),
        AttemptOutcome::Transport(kind) => kind.to_string(),
        AttemptOutcome::Timeout(phase) => format!("timeout {phase}"),
        AttemptOutcome::BodyTooLarge => "body too large".to_owned(),
    }
}

/// Parses a trusted-host entry (`host`, `host:port`, `[v6]`, `[v6]:port`).
fn parse_trusted_host(entry: &str) -> Result<TrustedHost, Error> {
    let bad = || config(format!("invalid trusted host `{entry}`"));
    if entry.is_empty() || entry.contains(['/', '?', '#', '@']) {
        return Err(bad());
    }
    let url = Url::parse(&format!("https://{entry}")).map_err(|_| bad())?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(bad)?
        .to_owned();
    Ok(TrustedHost {
        host,
        port: url.port(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    static META: OperationMeta = OperationMeta {
        operation_id: "VmSnaps_Update",
        method: Method::PATCH,
        path_template: "/vm-snaps/{id}",
        retry_safe: true,
    };

    fn core(endpoint: &str, options: ClientOptions) -> ClientCore {
        ClientCore::new(endpoint, None, options, "demo", "1.2.3").unwrap()
    }

    #[test]
    fn request_url_keeps_base_path_and_merges_query() {
        let c = core("https://h.example/sddc/v1/", ClientOptions::default());
        let mut q = Query::new();
        q.push("api-version", "2024-06-01");
        let r = c.request(&META, "/vm-snaps/1", &q);
        assert_eq!(
            r.url.as_str(),
            "https://h.example/sddc/v1/vm-snaps/1?api-version=2024-06-01"
        );

        let c = core("https://h.example?sv=1", ClientOptions::default());
        let r = c.request(&META, "/a(x=1,y=2)/b", &q);
        assert_eq!(
            r.url.as_str(),
            "https://h.example/a(x=1,y=2)/b?sv=1&api-version=2024-06-01"
        );
        let r = c.request(&META, "/", &Query::new());
        assert_eq!(r.url.as_str(), "https://h.example/?sv=1");
    }

    #[test]
    fn dot_and_empty_segments_are_rejected() {
        let c = core("https://h.example/base", ClientOptions::default());
        for path in [
            format!("/vm-snaps/{}", crate::path::segment("..")),
            format!("/vm-snaps/{}", crate::path::segment(".")),
            format!("/vm-snaps/{}/x", crate::path::segment("")),
            format!("/{}/x", crate::path::segment("")),
            format!("/vm-snaps/{}", crate::path::segment("")),
        ] {
            let mut r = c.request(&META, &path, &Query::new());
            assert!(
                matches!(r.take_rejection::<()>(), Some(Error::Validation { .. })),
                "{path}"
            );
        }
        let mut r = c.request(&META, "/vm-snaps/a.b", &Query::new());
        assert!(r.take_rejection::<()>().is_none());
    }

    #[test]
    fn endpoint_rules() {
        let ok = [
            "https://x.example",
            "http://127.0.0.1:8080",
            "http://[::1]:1/",
            "http://LOCALHOST",
        ];
        for e in ok {
            assert!(
                ClientCore::new(e, None, ClientOptions::default(), "c", "1").is_ok(),
                "{e}"
            );
        }
        let bad = [
            "http://x.example",
            "ftp://x.example",
            "not a url",
            "https://u:p@x.example",
            "https://x.example/#f",
        ];
        for e in bad {
            assert!(
                matches!(
                    ClientCore::new(e, None, ClientOptions::default(), "c", "1"),
                    Err(Error::Config { .. })
                ),
                "{e}"
            );
        }
        let opts = ClientOptions::default().allow_insecure_http(true);
        assert!(ClientCore::new("http://x.example", None, opts, "c", "1").is_ok());
        let opts = ClientOptions::default().user_agent_suffix("bad\r\nx");
        assert!(ClientCore::new("https://x.example", None, opts, "c", "1").is_err());
        let opts = ClientOptions::default().trusted_host("evil/path");
        assert!(ClientCore::new("https://x.example", None, opts, "c", "1").is_err());
    }

    #[test]
    fn user_agent_format() {
        let c = core(
            "https://x.example",
            ClientOptions::default().user_agent_suffix("app/9"),
        );
        assert_eq!(
            c.user_agent(),
            format!("demo/1.2.3 restsmith-runtime/{RUNTIME_VERSION} app/9")
        );
    }

    #[test]
    fn trusted_url_rules() {
        let c = core(
            "https://management.azure.com",
            ClientOptions::default()
                .trusted_host("login.example")
                .trusted_host("alt.example:8443"),
        );
        let ok = [
            "https://management.azure.com/x?y=1",
            "https://MANAGEMENT.azure.com:443/x",
            "https://login.example/op",
            "https://alt.example:8443/op",
        ];
        for u in ok {
            assert!(
                c.check_trusted_url::<()>(&Url::parse(u).unwrap()).is_ok(),
                "{u}"
            );
        }
        let bad = [
            "http://management.azure.com/x",
            "https://management.azure.com:444/x",
            "https://evil.example/x",
            "https://management.azure.com.evil.example/x",
            "https://login.example:444/op",
            "http://login.example/op",
            "https://alt.example/op",
            "https://user@management.azure.com/x",
        ];
        for u in bad {
            match c.check_trusted_url::<()>(&Url::parse(u).unwrap()) {
                Err(Error::UntrustedUrl { url, .. }) => assert!(!url.contains('?')),
                other => panic!("{u}: {other:?}"),
            }
        }
    }
}
