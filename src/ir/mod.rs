//! Stage 2: the intermediate representation.
//!
//! Plain Rust data describing what to generate: named types, operations with their parameters,
//! bodies and responses, security schemes and long-running-operation strategies. Every decision
//! (names, collisions, boxing of recursive fields, which parameters are constants or client
//! settings) is made while building the IR; the codegen stage only prints it.

mod build;
mod extensions;
pub mod names;
mod operations;
mod polymorphism;
mod recursion;
mod security;
mod shared;
mod types;

pub use build::{build, build_with};

use serde_json::Value;

/// Everything needed to generate one API crate.
#[derive(Debug, Clone)]
pub struct ApiIr {
    /// Cargo package name of the generated crate, e.g. `azure-batch`.
    pub crate_name: String,
    /// The spec's `info.title`.
    pub title: String,
    /// The spec's `info.description`.
    pub description: Option<String>,
    /// The spec's `info.version` (for Azure specs: the api-version).
    pub version: String,
    /// The spec file name shown in the `@generated` header.
    pub source_name: String,
    /// Servers, first = default.
    pub servers: Vec<ServerIr>,
    /// Named types, sorted by name.
    pub types: Vec<TypeDef>,
    /// Operations, sorted by method name.
    pub operations: Vec<OperationIr>,
    /// Security schemes, in spec order.
    pub security: Vec<SecuritySchemeIr>,
    /// Values set once on the client and sent with every operation that declares them
    /// (`x-ms-parameter-location: client`, e.g. the subscription id), in first-use order.
    pub client_settings: Vec<ParamIr>,
    /// Header that carries a client-generated request id, if the API has one.
    pub client_request_id_header: Option<String>,
    /// Response envelope (`x-restsmith-envelope`), if the API wraps bodies.
    pub envelope: Option<EnvelopeIr>,
    /// Schema examples: (type name, example JSON), for generated round-trip tests.
    pub examples: Vec<(String, Value)>,
    /// Generation options that reach the codegen stage.
    pub options: CodegenChoices,
}

/// Choices the codegen stage applies (from [`crate::settings::GenerateOptions`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodegenChoices {
    /// Emit only the models.
    pub types_only: bool,
    /// Extra derive paths for models.
    pub extra_derives: Vec<String>,
    /// Extra attributes (without `#[]`) for models.
    pub extra_attributes: Vec<String>,
    /// The client struct's name.
    pub client_name: String,
    /// One cargo feature per tag gates operations and the models they use.
    pub features_per_tag: bool,
    /// Structs derive serde's `Deserialize` instead of the compact hand-written one.
    pub serde_derive: bool,
}

impl ApiIr {
    /// The type definition named `name`.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &self.types[i])
    }

    /// The definition `name` stands for: [`ApiIr::type_def`], following aliases of named
    /// types (e.g. a shared inline enum) to the type they name.
    pub fn resolved_def(&self, name: &str) -> Option<&TypeDef> {
        let mut def = self.type_def(name)?;
        // Bounded: a cycle of aliases cannot come from a valid spec, but must not hang.
        for _ in 0..self.types.len() {
            match &def.kind {
                TypeKind::Alias(TypeRef::Named(next)) => def = self.type_def(next)?,
                _ => return Some(def),
            }
        }
        Some(def)
    }
}

/// A server URL, possibly with `{variables}`.
#[derive(Debug, Clone)]
pub struct ServerIr {
    /// The URL template.
    pub url: String,
    /// Description from the spec.
    pub description: Option<String>,
    /// Variables in template order.
    pub variables: Vec<ServerVariableIr>,
}

/// One `{variable}` of a server URL.
#[derive(Debug, Clone)]
pub struct ServerVariableIr {
    /// Name in the template.
    pub name: String,
    /// Rust argument name.
    pub rust_name: String,
    /// Default value.
    pub default: String,
    /// Allowed values, if restricted.
    pub allowed: Vec<String>,
    /// Description from the spec.
    pub description: Option<String>,
    /// True when the variable holds a whole URL (e.g. `{batchUrl}`), not a host fragment.
    pub is_whole_url: bool,
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// UpperCamelCase Rust name, unique in the crate.
    pub name: String,
    /// Documentation from the schema's title/description.
    pub doc: Option<String>,
    /// What kind of type.
    pub kind: TypeKind,
    /// JSON pointer of the schema this type comes from.
    pub origin: String,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(StructDef),
    /// A string enum.
    Enum(EnumDef),
    /// Another name for an existing type (`pub type A = B;`).
    Alias(TypeRef),
    /// A type the user supplies instead (`pub type A = path::to::Type;`), a type replacement.
    External(String),
    /// One of several types (`oneOf`/`anyOf`, or a polymorphic base and its subtypes).
    Union(UnionDef),
}

/// A value that is one of several types.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// The property whose value selects the variant (wire name); `None`: the first variant
    /// that deserializes wins (serde `untagged`).
    pub discriminator: Option<String>,
    /// The variants, in spec order.
    pub variants: Vec<UnionVariant>,
    /// An extra variant keeps values no variant accepts (unknown discriminator values).
    pub keeps_unknown: bool,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// UpperCamelCase variant name.
    pub rust_name: String,
    /// The discriminator value that selects it.
    pub tag: Option<String>,
    /// Its type.
    pub ty: TypeRef,
    /// Stored in a `Box` to break a type cycle.
    pub boxed: bool,
}

/// Fields of a struct.
#[derive(Debug, Clone, Default)]
pub struct StructDef {
    /// Fields in spec order.
    pub fields: Vec<FieldDef>,
    /// Type of extra properties kept in a flattened map, if the schema allows them.
    pub additional_properties: Option<TypeRef>,
    /// `x-restsmith-batch-result`: the struct reports per-item outcomes.
    pub batch_result: Option<BatchResultIr>,
}

/// `x-restsmith-batch-result`: where a batch response lists its items (wire names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchResultIr {
    /// The array property holding one entry per item.
    pub items: String,
    /// The item's id property.
    pub id: String,
    /// The item's error property (absent/null = success).
    pub error: String,
    /// The error's code property (empty = success).
    pub error_code: String,
    /// The error's message property.
    pub error_message: Option<String>,
}

/// One struct field.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// snake_case Rust name.
    pub rust_name: String,
    /// JSON property name.
    pub wire_name: String,
    /// Documentation.
    pub doc: Option<String>,
    /// The field's type (without the `Option` that optional fields get).
    pub ty: TypeRef,
    /// Required by the schema.
    pub required: bool,
    /// May be `null` on the wire.
    pub nullable: bool,
    /// Sent by the server only (`readOnly`, `x-ms-mutability: [read]`).
    pub read_only: bool,
    /// A secret (`x-ms-secret`, `format: password`): redacted in `Debug`.
    pub secret: bool,
    /// Stored in a `Box` to break a type cycle.
    pub boxed: bool,
    /// The discriminator of a polymorphic family: the value this type always carries here
    /// (constructors fill it in).
    pub discriminator_value: Option<String>,
    /// The schema's `default` (constructors fill it in where the type allows).
    pub default: Option<Value>,
}

impl FieldDef {
    /// Whether the Rust field is an `Option`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable || self.read_only
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// Keep unknown values in an extra variant (true unless `x-ms-enum.modelAsString: false`).
    pub extensible: bool,
    /// The values are integers (`type: integer`), sent as JSON numbers.
    pub integer: bool,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// UpperCamelCase variant name.
    pub rust_name: String,
    /// The string on the wire.
    pub wire_value: String,
    /// Documentation (`x-ms-enum` value descriptions).
    pub doc: Option<String>,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A named type of this crate.
    Named(String),
    /// A built-in scalar.
    Prim(Primitive),
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// Any JSON (`serde_json::Value`).
    Any,
}

/// Scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Primitive {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// RFC 3339 date-time.
    DateTime,
    /// RFC 3339 full-date.
    Date,
    /// RFC 1123 date-time (`date-time-rfc1123`).
    DateTimeRfc1123,
    /// Seconds since the Unix epoch (`unixtime`).
    UnixTime,
    /// UUID.
    Uuid,
    /// Base64-encoded bytes (`byte`; in JSON models also `binary`).
    Bytes,
    /// Raw bytes of a binary request or response body (`bytes::Bytes`).
    Binary,
}

impl Primitive {
    /// True when serde needs a helper module (`#[serde(with = ...)]`) for this type.
    pub fn needs_serde_helper(self) -> bool {
        matches!(self, Primitive::DateTime | Primitive::DateTimeRfc1123 | Primitive::UnixTime | Primitive::Bytes)
    }
}

/// One operation = one client method.
#[derive(Debug, Clone)]
pub struct OperationIr {
    /// The spec's operationId.
    pub operation_id: String,
    /// snake_case method name (also the name of the operation's module).
    pub method_name: String,
    /// UpperCamelCase stem for names of this operation's types.
    pub type_stem: String,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Upper-case HTTP method.
    pub http_method: String,
    /// The path template (without fragment).
    pub path: PathTemplate,
    /// The operation's own server (`servers` on the operation or its path), variables at their
    /// defaults; `None`: the client's endpoint.
    pub server: Option<String>,
    /// Parameters in order: path, query, header, cookie; within each in spec order.
    pub params: Vec<ParamIr>,
    /// Request body.
    pub body: Option<RequestBodyIr>,
    /// Success responses in status order.
    pub success: Vec<ResponseIr>,
    /// `Accept` header: the media types the success responses declare, when not only JSON.
    pub accept: Option<String>,
    /// The error body type (the `default` response's, else the first error response's).
    pub error_type: Option<TypeRef>,
    /// Every documented error response, in spec order (`default` last).
    pub errors: Vec<ErrorResponseIr>,
    /// Long-running behaviour.
    pub lro: Option<LroIr>,
    /// `x-ms-pageable`: the response is one page of a list.
    pub pageable: Option<PageableIr>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The spec's tags.
    pub tags: Vec<String>,
    /// POST/PATCH that may be retried after a response.
    pub retry_safe: bool,
    /// JSON pointer of the operation.
    pub origin: String,
}

/// A documented error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponseIr {
    /// Which statuses it covers.
    pub status: ErrorStatus,
    /// Its body type, if it has one.
    pub ty: Option<TypeRef>,
}

/// The statuses an error response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorStatus {
    /// One status.
    Code(u16),
    /// A class (`4XX` → 4).
    Range(u16),
    /// Everything else (`default`).
    Default,
}

impl OperationIr {
    /// Whether error bodies differ by status, so the operation needs its own error enum (LROs
    /// keep one error type: their pollers decode it).
    pub fn has_error_enum(&self) -> bool {
        let mut types: Vec<&TypeRef> = self.errors.iter().filter_map(|e| e.ty.as_ref()).collect();
        types.sort();
        types.dedup();
        types.len() > 1 && self.lro.is_none()
    }

    /// Parameters the caller supplies as method arguments (required, not constant, not client-level).
    pub fn required_args(&self) -> impl Iterator<Item = &ParamIr> {
        self.params.iter().filter(|p| p.required && p.constant.is_none() && !p.client_setting)
    }

    /// Parameters set through the request builder.
    pub fn optional_args(&self) -> impl Iterator<Item = &ParamIr> {
        self.params.iter().filter(|p| !p.required && p.constant.is_none() && !p.client_setting)
    }

    /// Body type of the success responses, if they all agree.
    pub fn single_success_body(&self) -> Option<Option<&TypeRef>> {
        let mut bodies = self.success.iter().map(|r| r.body.as_ref());
        let Some(first) = bodies.next() else { return Some(None) };
        bodies.all(|b| b == first).then_some(first)
    }
}

/// A path template split into literal text and parameters.
#[derive(Debug, Clone)]
pub struct PathTemplate {
    /// The template as written in the spec (fragment removed).
    pub template: String,
    /// The pieces.
    pub parts: Vec<PathPart>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, sent as written.
    Literal(String),
    /// A parameter, by wire name.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// How a parameter value is put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamEncoding {
    /// One value, percent-encoded as one path segment / query value / header value.
    Simple,
    /// `x-ms-skip-url-encoding` on an ARM scope (`resourceUri`, `scope`): `/` kept, each segment
    /// validated and encoded.
    ArmScope,
    /// `x-ms-skip-url-encoding` on anything else: sent as given, only characters that would
    /// break the URL refused or encoded.
    Unencoded,
    /// `x-restsmith-indexed-list`: `Name.1=a&Name.2=b`.
    IndexedList,
    /// An array, an object, a non-default `style` or `allowReserved`: serialized per the
    /// OpenAPI style rules (`restsmith_runtime::style`).
    Styled {
        /// The `style`.
        style: ParamStyle,
        /// `explode` (with the spec's default filled in).
        explode: bool,
        /// `allowReserved` (query only).
        allow_reserved: bool,
    },
    /// `content: application/json`: the value's JSON text, then encoded as one value.
    Json,
}

/// OpenAPI parameter styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamStyle {
    /// `form`.
    Form,
    /// `simple`.
    Simple,
    /// `label`.
    Label,
    /// `matrix`.
    Matrix,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// Checks applied to a parameter value before sending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validation {
    /// Regular expression the value must match.
    pub pattern: Option<String>,
    /// Minimum length in characters.
    pub min_length: Option<usize>,
    /// Maximum length in characters.
    pub max_length: Option<usize>,
    /// Minimum value.
    pub minimum: Option<f64>,
    /// Maximum value.
    pub maximum: Option<f64>,
    /// Minimum number of items.
    pub min_items: Option<usize>,
    /// Maximum number of items.
    pub max_items: Option<usize>,
    /// `exclusiveMinimum`: the minimum itself is not allowed.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`: the maximum itself is not allowed.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `uniqueItems`.
    pub unique_items: bool,
}

impl Validation {
    /// True when there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Validation::default()
    }
}

/// One operation parameter.
#[derive(Debug, Clone)]
pub struct ParamIr {
    /// Name on the wire.
    pub wire_name: String,
    /// snake_case Rust name.
    pub rust_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Required by the spec.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// A fixed value (a required single-value enum, e.g. `Action=DeleteImages`).
    pub constant: Option<String>,
    /// A client setting (`x-ms-parameter-location: client`), not a method argument.
    pub client_setting: bool,
    /// How it is encoded.
    pub encoding: ParamEncoding,
    /// Checks before sending.
    pub validation: Validation,
    /// Default value from the spec (documentation only: the server applies it).
    pub default: Option<Value>,
    /// Documentation.
    pub doc: Option<String>,
}

/// A request body. The first media type the spec lists that restsmith can send is the primary
/// one (`ty`, `content_type`, `kind`); `others` are the further ones the caller may choose.
#[derive(Debug, Clone)]
pub struct RequestBodyIr {
    /// Its type (of the primary media type).
    pub ty: TypeRef,
    /// Whether it must be sent.
    pub required: bool,
    /// Media type sent (primary).
    pub content_type: String,
    /// Documentation.
    pub doc: Option<String>,
    /// How the primary media type is encoded.
    pub kind: BodyKind,
    /// The other media types, in spec order.
    pub others: Vec<BodyVariantIr>,
}

impl RequestBodyIr {
    /// Every media type: the primary one first.
    pub fn variants(&self) -> Vec<BodyVariantIr> {
        let primary = BodyVariantIr {
            content_type: self.content_type.clone(),
            kind: self.kind.clone(),
            ty: self.ty.clone(),
            rust_name: variant_name_for(&self.kind),
        };
        std::iter::once(primary).chain(self.others.iter().cloned()).collect()
    }
}

/// The `Body` enum variant name of a body kind.
pub fn variant_name_for(kind: &BodyKind) -> String {
    match kind {
        BodyKind::Json => "Json",
        BodyKind::Form => "Form",
        BodyKind::Multipart(_) => "Multipart",
        BodyKind::Binary => "Binary",
        BodyKind::Text => "Text",
    }
    .to_owned()
}

/// One media type of a request body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyVariantIr {
    /// The media type sent.
    pub content_type: String,
    /// How it is encoded.
    pub kind: BodyKind,
    /// The value's type.
    pub ty: TypeRef,
    /// Variant name in the operation's `Body` enum.
    pub rust_name: String,
}

/// How a request body is put on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON (`application/json`, `…+json`).
    Json,
    /// `application/x-www-form-urlencoded` from an object's members.
    Form,
    /// `multipart/form-data`, one part per member.
    Multipart(Vec<PartIr>),
    /// Raw bytes (`application/octet-stream` and other binary types).
    Binary,
    /// Text (`text/plain`).
    Text,
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartIr {
    /// Part name (the property's wire name).
    pub wire_name: String,
    /// Field of the model holding it.
    pub rust_name: String,
    /// A file part (`format: binary`): sent as bytes with a filename.
    pub file: bool,
    /// `encoding.<name>.contentType`, if the spec gives one.
    pub content_type: Option<String>,
    /// The field is an `Option`.
    pub optional: bool,
    /// The field is a list (one part per item).
    pub list: bool,
}

/// How a success response body is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseMedia {
    /// JSON into the body type.
    #[default]
    Json,
    /// Text (`text/*`): a `String`.
    Text,
    /// Anything else: the raw bytes.
    Binary,
}

/// One success response.
#[derive(Debug, Clone)]
pub struct ResponseIr {
    /// HTTP status (`200` for a `2XX` range).
    pub status: u16,
    /// Documented as the `2XX` range: any 2xx status not documented on its own.
    pub range: bool,
    /// Description.
    pub doc: Option<String>,
    /// Body type (after envelope unwrapping), if any.
    pub body: Option<TypeRef>,
    /// How the body is decoded.
    pub media: ResponseMedia,
    /// Documented headers.
    pub headers: Vec<HeaderIr>,
}

/// A documented response header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderIr {
    /// Header name as documented.
    pub wire_name: String,
    /// snake_case field name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Documentation.
    pub doc: Option<String>,
}

/// `x-ms-pageable`: where a page keeps its items and the link to the next page (wire names of
/// properties of the success body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageableIr {
    /// The array property with the items (`itemName`, default `value`).
    pub item_field: String,
    /// The property with the next page's URL (`nextLinkName`); `None`: a single page.
    pub next_link_field: Option<String>,
    /// Method name of the operation that fetches the next page (`operationName`), if any.
    pub next_operation: Option<String>,
}

/// How a long-running operation is followed to its end.
#[derive(Debug, Clone, PartialEq)]
pub enum LroIr {
    /// Azure `x-ms-long-running-operation`.
    Azure {
        /// `final-state-via`, if the spec gives it.
        final_state_via: Option<String>,
    },
    /// `x-restsmith-lro` with `style: reconcile`.
    Reconcile(ReconcileIr),
}

/// Settings of the reconcile polling style.
#[derive(Debug, Clone, PartialEq)]
pub struct ReconcileIr {
    /// Method name of the operation that re-reads the resource.
    pub poll_method: String,
    /// (poll operation parameter rust name, this operation's parameter rust name).
    pub poll_arguments: Vec<(String, String)>,
    /// JSON pointer of the state field.
    pub state_pointer: String,
    /// Values of the state field that mean success.
    pub succeeded: Vec<String>,
    /// Values that mean failure.
    pub failed: Vec<String>,
    /// Values that mean the resource is going away.
    pub gone: Vec<String>,
    /// Pointer of an array that is non-empty while converging.
    pub pending_pointer: Option<String>,
    /// Pointer of an array that is non-empty when the change cannot be applied.
    pub irreconcilable_pointer: Option<String>,
    /// First delay in milliseconds.
    pub initial_delay_ms: u64,
    /// Largest delay in milliseconds.
    pub max_delay_ms: u64,
    /// Growth factor of the delay.
    pub multiplier: f64,
    /// Overall deadline in seconds.
    pub deadline_seconds: u64,
}

/// `x-restsmith-envelope`: JSON pointers into every response body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeIr {
    /// Where the payload is.
    pub result: String,
    /// Where a whole-request error is.
    pub error: String,
    /// Where the request id is.
    pub request_id: Option<String>,
}

/// A security scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SecuritySchemeIr {
    /// Key in `components/securitySchemes`.
    pub name: String,
    /// snake_case name for the generated constructor.
    pub rust_name: String,
    /// Description.
    pub doc: Option<String>,
    /// What it is.
    pub kind: SecurityKind,
}

/// Kinds of security scheme.
#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    /// OAuth2 bearer token.
    OAuth2 {
        /// Scopes named by the flows.
        scopes: Vec<String>,
        /// Scopes a token is requested for by default: `x-restsmith-default-scopes`, else for
        /// Microsoft Entra ID the `.default` scope of the API's origin, else the flows' scopes.
        default_scopes: Vec<String>,
    },
    /// HTTP bearer.
    Bearer,
    /// An API key.
    ApiKey {
        /// header / query / cookie.
        location: ParamLocation,
        /// Header, query or cookie name.
        name: String,
    },
    /// `x-restsmith-signer`: a computed `Authorization` header.
    Signer(SignerKind),
    /// HTTP basic.
    Basic,
}

/// Request signers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerKind {
    /// Volcengine OpenAPI V4 HMAC-SHA256.
    VolcengineV4 {
        /// Service name in the credential scope.
        service: String,
        /// Server variable that holds the region.
        region_variable: Option<String>,
    },
    /// Azure Batch Shared Key.
    AzureBatchSharedKey,
}
