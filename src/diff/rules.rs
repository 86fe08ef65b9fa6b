//! The rules of `restsmith diff`: one per kind of change, each with its wire and Rust verdicts.
//!
//! "wire" answers: does a client generated from the old spec, already deployed, keep working
//! against a server that implements the new one? "rust" answers: does code written against the
//! old generated crate still compile and mean the same? Where a verdict depends on where a model
//! travels, "request" means the type is sent by the client (parameters, request bodies) and
//! "response" that it is received (response bodies, headers, error models); a type used both ways
//! gets the worse verdict. A Rust-breaking change always needs a major bump; the bump column is
//! the bump when the change is Rust-compatible.
//!
//! The Rust verdicts follow from what codegen emits (see [`super::shape`]): structs (models,
//! responses, response headers) are `#[non_exhaustive]` and built with `new(required…)`;
//! closed string enums and unions are exhaustive enums, while extensible ones keep unknown values
//! in an `UnknownValue` variant and are `#[non_exhaustive]`; required parameters
//! are positional method arguments, optional ones builder setters; client settings and server
//! variables are arguments of `Client::new` and `Client::endpoint_from`.
//!
//! The table (generated from [`RULES`]; the README shows the same one):
//!
#![doc = include_str!("RULES.md")]

use super::Bump;

/// One kind of change.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, shown in reports and used for fixture directories.
    pub id: &'static str,
    /// What part of the API it is about.
    pub area: &'static str,
    /// What the change is.
    pub what: &'static str,
    /// The wire verdict, in words.
    pub wire: &'static str,
    /// The Rust verdict, in words.
    pub rust: &'static str,
    /// The bump when the change is Rust-compatible.
    pub bump: Bump,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $area:literal, $what:literal, wire: $wire:literal, rust: $rust:literal, $bump:ident;)*) => {
        $(
            #[doc = concat!("`", $id, "`: ", $what)]
            pub const $name: Rule = Rule { id: $id, area: $area, what: $what, wire: $wire, rust: $rust, bump: Bump::$bump };
        )*
        /// Every rule, in report order of areas.
        pub const RULES: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    API_VERSION_CHANGED = "api-version-changed", "api",
        "`info.version` (the api-version constant sent by Azure clients) changed",
        wire: "compatible: old clients keep sending the old api-version, which services keep serving",
        rust: "compatible", Minor;
    ENVELOPE_CHANGED = "envelope-changed", "api",
        "`x-restsmith-envelope` added, removed or its pointers changed",
        wire: "breaking: old clients look for the payload and errors in the old places",
        rust: "compatible", Minor;
    SERVER_URL_CHANGED = "server-url-changed", "server",
        "the default server URL changed",
        wire: "risky: old clients call the old URL by default, which works only while it is served",
        rust: "compatible (`Client::DEFAULT_ENDPOINT` changes value); breaking when the constant disappears", Minor;
    SERVER_LIST_CHANGED = "server-list-changed", "server",
        "an alternative (not the first) server was added or removed",
        wire: "compatible when added; risky when removed",
        rust: "compatible (only the first server is used)", Patch;
    SERVER_VARIABLE_ADDED = "server-variable-added", "server",
        "a `{variable}` was added to the default server URL",
        wire: "compatible: its default is used",
        rust: "breaking: `Client::endpoint_from` gains an argument", Minor;
    SERVER_VARIABLE_REMOVED = "server-variable-removed", "server",
        "a `{variable}` was removed from the default server URL",
        wire: "risky: old clients may build a URL the service no longer uses",
        rust: "breaking: `Client::endpoint_from` loses an argument", Minor;
    SERVER_VARIABLE_CHANGED = "server-variable-changed", "server",
        "a server variable's default or allowed values changed",
        wire: "risky: old clients may send a value no longer allowed",
        rust: "compatible (documentation)", Patch;
    SECURITY_SCHEME_ADDED = "security-scheme-added", "security",
        "a security scheme was added",
        wire: "compatible while the old schemes are still accepted; breaking when the API had none (old clients send no credentials)",
        rust: "compatible: a new `auth::` constructor", Minor;
    SECURITY_SCHEME_REMOVED = "security-scheme-removed", "security",
        "a security scheme was removed",
        wire: "breaking: old clients authenticate in a way the service no longer accepts",
        rust: "breaking: its `auth::` constructor is gone", Major;
    SECURITY_SCHEME_CHANGED = "security-scheme-changed", "security",
        "a security scheme changed kind, key location or name, or its scopes",
        wire: "breaking (risky when only OAuth2 scopes were added)",
        rust: "breaking when the `auth::` constructor's signature changes, else compatible", Minor;
    CLIENT_SETTING_ADDED = "client-setting-added", "client",
        "a client setting (`x-ms-parameter-location: client`) was added",
        wire: "compatible at the client level (the operations' parameters are reported on their own)",
        rust: "breaking: `Client::new` and `Client::with_options` gain an argument", Minor;
    CLIENT_SETTING_REMOVED = "client-setting-removed", "client",
        "a client setting was removed",
        wire: "compatible at the client level",
        rust: "breaking: `Client::new` loses an argument and the getter is gone", Minor;
    CLIENT_SETTING_CHANGED = "client-setting-changed", "client",
        "a client setting's type changed",
        wire: "as for its parameters",
        rust: "breaking when the Rust type changes", Patch;
    OPERATION_ADDED = "operation-added", "operation",
        "an operation was added",
        wire: "compatible",
        rust: "compatible: a new `Client` method and `operations::` module", Minor;
    OPERATION_REMOVED = "operation-removed", "operation",
        "an operation was removed",
        wire: "breaking: calls from old clients fail",
        rust: "breaking: the method and its module are gone", Major;
    OPERATION_MOVED = "operation-moved", "operation",
        "an operation (same operationId) has a new path or HTTP method",
        wire: "breaking: old clients call the old path",
        rust: "compatible: same method", Minor;
    OPERATION_RENAMED = "operation-renamed", "operation",
        "an operation (same path and method) has a new operationId or method name",
        wire: "compatible: same request",
        rust: "breaking when the method name changes", Patch;
    OPERATION_DEPRECATED = "operation-deprecated", "operation",
        "an operation became deprecated (or stopped being deprecated)",
        wire: "compatible",
        rust: "compatible: `#[deprecated]` only warns", Minor;
    OPERATION_RETRY_SAFE_CHANGED = "operation-retry-safe-changed", "operation",
        "`x-restsmith-retry-safe` changed",
        wire: "compatible (retries after a response start or stop)",
        rust: "compatible", Patch;
    PARAM_ADDED_REQUIRED = "param-added-required", "parameter",
        "a required parameter was added",
        wire: "breaking: old clients do not send it",
        rust: "breaking: a new method argument (or `Client::new` argument); compatible for a constant", Minor;
    PARAM_ADDED_OPTIONAL = "param-added-optional", "parameter",
        "an optional parameter was added",
        wire: "compatible",
        rust: "compatible: a new builder setter", Minor;
    PARAM_REMOVED = "param-removed", "parameter",
        "a parameter was removed",
        wire: "risky: old clients still send it",
        rust: "breaking: its argument or setter is gone; compatible for a constant or client setting", Patch;
    PARAM_BECAME_REQUIRED = "param-became-required", "parameter",
        "an optional parameter became required",
        wire: "breaking: old clients may omit it",
        rust: "breaking: the setter becomes a method argument", Minor;
    PARAM_BECAME_OPTIONAL = "param-became-optional", "parameter",
        "a required parameter became optional",
        wire: "compatible",
        rust: "breaking: the method argument becomes a setter", Minor;
    PARAM_LOCATION_CHANGED = "param-location-changed", "parameter",
        "a parameter moved (e.g. from the query to a header)",
        wire: "breaking: old clients send it in the old place",
        rust: "compatible unless the order of method arguments changes", Patch;
    PARAM_TYPE_CHANGED = "param-type-changed", "parameter",
        "a parameter's type or format changed",
        wire: "compatible when the new type accepts every old value (wider), else breaking",
        rust: "breaking when the argument or setter type changes", Patch;
    PARAM_PATTERN_CHANGED = "param-pattern-changed", "parameter",
        "a parameter's `pattern` was added, removed or changed",
        wire: "breaking when added; compatible when removed; risky when changed",
        rust: "compatible (checked before sending)", Patch;
    PARAM_CONSTRAINT_CHANGED = "param-constraint-changed", "parameter",
        "a parameter's length, range or item-count limit changed",
        wire: "breaking when tightened, compatible when loosened",
        rust: "compatible (checked before sending)", Patch;
    PARAM_DEFAULT_CHANGED = "param-default-changed", "parameter",
        "a parameter's default value changed",
        wire: "risky: callers that omit it get another behaviour",
        rust: "compatible (documentation)", Patch;
    PARAM_ENCODING_CHANGED = "param-encoding-changed", "parameter",
        "how a parameter is serialized changed (style, explode, indexed list, skip-url-encoding)",
        wire: "breaking: old clients serialize it the old way",
        rust: "compatible", Patch;
    PARAM_CONSTANT_CHANGED = "param-constant-changed", "parameter",
        "the fixed value of a constant parameter changed",
        wire: "breaking: old clients send the old value",
        rust: "compatible", Minor;
    PARAM_CLIENT_SETTING_CHANGED = "param-client-setting-changed", "parameter",
        "a parameter became a client setting or stopped being one",
        wire: "compatible: same request",
        rust: "breaking: the value moves between the method and `Client::new`", Patch;
    PARAM_RUST_NAME_CHANGED = "param-rust-name-changed", "parameter",
        "a parameter's Rust name changed (e.g. `x-ms-client-name`), wire name unchanged",
        wire: "compatible",
        rust: "breaking for a setter or client-setting getter; compatible for a method argument", Patch;
    PATH_PARAM_RENAMED = "path-param-renamed", "parameter",
        "a path parameter was renamed in place (`{name}` → `{clusterName}`)",
        wire: "compatible: path parameters are positional",
        rust: "compatible: only the argument name changes", Patch;
    PARAM_ARGUMENTS_REORDERED = "param-arguments-reordered", "parameter",
        "the method's required arguments come in another order",
        wire: "compatible",
        rust: "breaking: positional arguments fail to compile or, with equal types, swap silently", Patch;
    REQUEST_BODY_ADDED = "request-body-added", "request-body",
        "a request body was added",
        wire: "breaking when required, else compatible",
        rust: "breaking when required (a new `body` argument), else compatible (a `body` setter)", Minor;
    REQUEST_BODY_REMOVED = "request-body-removed", "request-body",
        "the request body was removed",
        wire: "risky: old clients still send one",
        rust: "breaking: the `body` argument or setter is gone", Patch;
    REQUEST_BODY_REQUIRED_CHANGED = "request-body-required-changed", "request-body",
        "the request body became required or optional",
        wire: "breaking when it became required, else compatible",
        rust: "breaking: `body` moves between the method arguments and a setter", Patch;
    REQUEST_BODY_TYPE_CHANGED = "request-body-type-changed", "request-body",
        "the request body has another type",
        wire: "compatible when the new type accepts every old value, else breaking",
        rust: "breaking when the Rust type changes", Patch;
    REQUEST_CONTENT_TYPE_CHANGED = "request-content-type-changed", "request-body",
        "the request body's media type changed",
        wire: "breaking: old clients send the old `Content-Type`",
        rust: "compatible", Minor;
    RESPONSE_STATUS_ADDED = "response-status-added", "response",
        "a success status was added",
        wire: "risky: old clients report a status they do not know as an error",
        rust: "breaking when the response `Body` enum gains a variant or the body type changes, else compatible", Minor;
    RESPONSE_STATUS_REMOVED = "response-status-removed", "response",
        "a success status was removed",
        wire: "compatible",
        rust: "breaking when the response `Body` enum loses a variant or the body type changes, else compatible", Patch;
    RESPONSE_BODY_TYPE_CHANGED = "response-body-type-changed", "response",
        "a success response's body type changed (or a body appeared or disappeared)",
        wire: "compatible when every new value decodes as the old type (narrower), else breaking",
        rust: "breaking when the Rust type of `Response::body` (or a `Body` variant) changes", Patch;
    RESPONSE_HEADER_ADDED = "response-header-added", "response",
        "a documented response header was added",
        wire: "compatible",
        rust: "compatible: a new field of the `#[non_exhaustive]` `Headers` struct", Minor;
    RESPONSE_HEADER_REMOVED = "response-header-removed", "response",
        "a documented response header was removed",
        wire: "risky: old clients read `None`",
        rust: "breaking: the `Headers` field is gone (compatible for long-running operations, which have no `Headers`)", Patch;
    RESPONSE_HEADER_TYPE_CHANGED = "response-header-type-changed", "response",
        "a response header's type changed",
        wire: "risky: old clients read `None` when the value no longer parses",
        rust: "breaking when the `Headers` field type changes", Patch;
    ERROR_TYPE_CHANGED = "error-type-changed", "response",
        "the error model of an operation changed",
        wire: "risky: old clients keep the raw body when the error no longer decodes (compatible when the shape is the same)",
        rust: "breaking when the operation's Rust error type changes", Patch;
    LRO_ADDED = "lro-added", "long-running",
        "an operation became long-running",
        wire: "breaking: old clients take the first response as the result",
        rust: "breaking: `send()` returns a poller instead of a `Response`", Major;
    LRO_REMOVED = "lro-removed", "long-running",
        "an operation stopped being long-running",
        wire: "risky: old clients poll a response that is already final",
        rust: "breaking: `send()` returns a `Response` instead of a poller; `resume` is gone", Major;
    LRO_FINAL_STATE_CHANGED = "lro-final-state-changed", "long-running",
        "`final-state-via` changed",
        wire: "risky: old clients read the final result from another place",
        rust: "compatible", Patch;
    LRO_POLLING_CHANGED = "lro-polling-changed", "long-running",
        "the polling style or reconcile settings changed",
        wire: "risky: old clients poll the old way",
        rust: "compatible", Patch;
    PAGINATION_ADDED = "pagination-added", "paging",
        "an operation became pageable (`x-ms-pageable`)",
        wire: "risky: old clients read the first page only",
        rust: "compatible: a new `into_stream()`", Minor;
    PAGINATION_REMOVED = "pagination-removed", "paging",
        "an operation stopped being pageable",
        wire: "compatible: old pagers stop after one page",
        rust: "breaking: `into_stream()` is gone", Major;
    PAGINATION_CHANGED = "pagination-changed", "paging",
        "the item or next-link property of a pageable operation changed",
        wire: "breaking: old pagers miss items or stop early",
        rust: "compatible", Patch;
    TYPE_ADDED = "type-added", "model",
        "a named type was added",
        wire: "compatible",
        rust: "compatible: a new item in `models`", Minor;
    TYPE_REMOVED = "type-removed", "model",
        "a named type was removed",
        wire: "compatible by itself (uses are reported where they change)",
        rust: "breaking: the item is gone from `models`", Major;
    TYPE_RENAMED = "type-renamed", "model",
        "a named type was renamed (same shape, new name)",
        wire: "compatible",
        rust: "breaking: the old name is gone", Major;
    TYPE_KIND_CHANGED = "type-kind-changed", "model",
        "a named type changed kind (struct, enum, union, alias)",
        wire: "breaking",
        rust: "breaking", Major;
    FIELD_ADDED_OPTIONAL = "field-added-optional", "model",
        "an optional property was added",
        wire: "compatible: old clients ignore it and omit it",
        rust: "compatible: a new `Option` field of a `#[non_exhaustive]` struct", Minor;
    FIELD_ADDED_REQUIRED = "field-added-required", "model",
        "a required property was added",
        wire: "request: breaking (old clients do not send it); response: compatible",
        rust: "breaking: `new()` gains an argument (compatible when the field is an `Option`: nullable or read-only)", Minor;
    FIELD_REMOVED = "field-removed", "model",
        "a property was removed",
        wire: "request: risky; response: breaking when the old field was not an `Option`, else compatible",
        rust: "breaking: the field is gone", Major;
    FIELD_BECAME_REQUIRED = "field-became-required", "model",
        "an optional property became required",
        wire: "request: breaking; response: compatible",
        rust: "breaking when the field stops being an `Option`", Patch;
    FIELD_BECAME_OPTIONAL = "field-became-optional", "model",
        "a required property became optional",
        wire: "request: compatible; response: breaking when the old field was not an `Option`",
        rust: "breaking when the field becomes an `Option`", Patch;
    FIELD_NULLABLE_CHANGED = "field-nullable-changed", "model",
        "a property became nullable or stopped being nullable",
        wire: "became nullable — response: breaking when the old field was not an `Option`; stopped — request: breaking when old clients send `null`",
        rust: "breaking when the field's `Option`-ness changes", Patch;
    FIELD_READ_ONLY_CHANGED = "field-read-only-changed", "model",
        "a property became read-only or stopped being read-only",
        wire: "stopped being read-only and required — request: breaking; else compatible",
        rust: "breaking when the field's `Option`-ness changes", Patch;
    FIELD_TYPE_CHANGED = "field-type-changed", "model",
        "a property's type or format changed",
        wire: "request: compatible when wider; response: compatible when narrower; else breaking",
        rust: "breaking when the Rust field type changes", Patch;
    FIELD_RENAMED = "field-renamed", "model",
        "a property's Rust name changed (`x-ms-client-name`), wire name unchanged",
        wire: "compatible",
        rust: "breaking: the old field name is gone", Patch;
    FIELD_SECRET_CHANGED = "field-secret-changed", "model",
        "a property became secret (redacted in `Debug`) or stopped being one",
        wire: "compatible",
        rust: "compatible: only the `Debug` output changes", Patch;
    ADDITIONAL_PROPERTIES_ADDED = "additional-properties-added", "model",
        "a model started allowing additional properties",
        wire: "compatible",
        rust: "compatible: a new `additional_properties` field of a `#[non_exhaustive]` struct", Minor;
    ADDITIONAL_PROPERTIES_REMOVED = "additional-properties-removed", "model",
        "a model stopped allowing additional properties",
        wire: "request: risky (old clients may send extra properties); response: compatible",
        rust: "breaking: the `additional_properties` field is gone", Patch;
    ADDITIONAL_PROPERTIES_TYPE_CHANGED = "additional-properties-type-changed", "model",
        "the type of additional properties changed",
        wire: "request: compatible when wider; response: compatible when narrower; else breaking",
        rust: "breaking when the map's value type changes", Patch;
    ENUM_VALUE_ADDED = "enum-value-added", "enum",
        "a string enum gained a value",
        wire: "request: compatible; response: compatible when the enum is extensible (`UnknownValue`), breaking when closed",
        rust: "compatible when the enum is extensible (`#[non_exhaustive]`); breaking when closed: a new variant of an exhaustive enum breaks `match`es", Minor;
    ENUM_VALUE_REMOVED = "enum-value-removed", "enum",
        "a string enum lost a value",
        wire: "request: breaking (old clients may send it); response: compatible",
        rust: "breaking: the variant is gone", Major;
    ENUM_VARIANT_RENAMED = "enum-variant-renamed", "enum",
        "an enum value's Rust variant name changed, wire value unchanged",
        wire: "compatible",
        rust: "breaking: the old variant name is gone", Patch;
    ENUM_EXTENSIBILITY_CHANGED = "enum-extensibility-changed", "enum",
        "an enum became closed (`modelAsString: false`) or extensible",
        wire: "response: risky when it became extensible (servers may send values old closed enums reject); else compatible",
        rust: "breaking: the `UnknownValue` variant (and `#[non_exhaustive]`, `Copy`, `From<&str>`) appears or disappears", Patch;
    UNION_VARIANT_ADDED = "union-variant-added", "union",
        "a union (oneOf/anyOf, polymorphic family) gained a variant",
        wire: "request: compatible; response: compatible when the union keeps unknown values, else breaking",
        rust: "compatible when the union keeps unknown values (`#[non_exhaustive]`); else breaking: a new variant of an exhaustive enum", Minor;
    UNION_VARIANT_REMOVED = "union-variant-removed", "union",
        "a union lost a variant",
        wire: "request: breaking; response: compatible",
        rust: "breaking: the variant is gone", Major;
    UNION_VARIANT_CHANGED = "union-variant-changed", "union",
        "a union variant's discriminator value or type changed",
        wire: "breaking",
        rust: "breaking when the variant's name or type changes, else compatible", Patch;
    UNION_DISCRIMINATOR_CHANGED = "union-discriminator-changed", "union",
        "a union's discriminator property changed (or it became untagged / tagged)",
        wire: "breaking: old clients pick variants by the old property",
        rust: "compatible", Minor;
    UNION_UNKNOWN_VARIANT_CHANGED = "union-unknown-variant-changed", "union",
        "a union started or stopped keeping unknown values",
        wire: "response: risky when it started (servers may send variants old clients reject); else compatible",
        rust: "breaking: the `UnknownValue` variant (and `#[non_exhaustive]`) appears or disappears", Patch;
    ALIAS_TARGET_CHANGED = "alias-target-changed", "model",
        "a type alias points to another type",
        wire: "request: compatible when wider; response: compatible when narrower; else breaking",
        rust: "breaking when the target's Rust type changes", Patch;
}

/// The rule with id `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// The rule table as Markdown (the contents of `RULES.md` and of the README section).
pub fn markdown_table() -> String {
    let mut out = String::from("| rule | area | change | wire (deployed clients) | rust (generated crate) | bump if Rust-compatible |\n|---|---|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            r.id,
            r.area,
            r.what.replace('|', "\\|"),
            r.wire.replace('|', "\\|"),
            r.rust.replace('|', "\\|"),
            r.bump.as_str()
        ));
    }
    out
}
