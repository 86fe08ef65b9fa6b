//! What the generated Rust looks like, as far as compatibility goes.
//!
//! The Rust verdicts of [`super::rules`] depend on choices codegen makes for forward
//! compatibility. They are written down here, once, and every rule reads them from here instead
//! of assuming them; `tests/diff.rs` checks each constant against the code codegen emits for a
//! probe spec, and builds the fixture crates with cargo-semver-checks, so a codegen change that
//! invalidates a verdict fails a test instead of silently producing wrong reports.

use crate::ir::{ApiIr, FieldDef, OperationIr, ParamIr, Primitive, TypeKind, TypeRef};

/// Model structs carry `#[non_exhaustive]` and are built with `new(required…)`: adding a
/// public `Option` field does not break users.
pub const STRUCTS_NON_EXHAUSTIVE: bool = true;
/// Extensible enums (string or integer: they keep unknown values in `UnknownValue`) are
/// `#[non_exhaustive]`: `match`es need a wildcard arm, so a new variant breaks nobody.
pub const EXTENSIBLE_ENUMS_NON_EXHAUSTIVE: bool = true;
/// Closed enums (`modelAsString: false`) are exhaustive: a new variant breaks `match`
/// expressions without a wildcard arm.
pub const CLOSED_ENUMS_NON_EXHAUSTIVE: bool = false;
/// Unions (oneOf/anyOf, polymorphic families) that keep unknown values (`UnknownValue`) are
/// `#[non_exhaustive]`.
pub const UNIONS_KEEPING_UNKNOWN_NON_EXHAUSTIVE: bool = true;
/// Unions that reject unknown values are exhaustive enums.
pub const CLOSED_UNIONS_NON_EXHAUSTIVE: bool = false;

/// Whether an enum is `#[non_exhaustive]` (see the constants above).
pub fn enum_non_exhaustive(extensible: bool) -> bool {
    if extensible {
        EXTENSIBLE_ENUMS_NON_EXHAUSTIVE
    } else {
        CLOSED_ENUMS_NON_EXHAUSTIVE
    }
}

/// Whether a union is `#[non_exhaustive]` (see the constants above).
pub fn union_non_exhaustive(keeps_unknown: bool) -> bool {
    if keeps_unknown {
        UNIONS_KEEPING_UNKNOWN_NON_EXHAUSTIVE
    } else {
        CLOSED_UNIONS_NON_EXHAUSTIVE
    }
}
/// An operation's `Response` and `Headers` structs are `#[non_exhaustive]`.
pub const RESPONSES_NON_EXHAUSTIVE: bool = true;
/// The per-status `Body` enum of an operation whose success responses carry different bodies is
/// exhaustive.
pub const RESPONSE_BODY_ENUM_NON_EXHAUSTIVE: bool = false;
/// Optional parameters (and an optional body) are setters of the request builder; required
/// ones are positional arguments of the `Client` method.
pub const OPTIONAL_PARAMS_ARE_SETTERS: bool = true;

/// How a parameter appears in the generated API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamRole {
    /// A constant the client sends itself: not in the API.
    Constant,
    /// An argument of `Client::new` (client setting).
    ClientSetting,
    /// A positional argument of the `Client` method.
    Argument,
    /// A setter of the request builder.
    Setter,
}

impl ParamRole {
    /// The role of `p`.
    pub fn of(p: &ParamIr) -> Self {
        if p.constant.is_some() {
            ParamRole::Constant
        } else if p.client_setting {
            ParamRole::ClientSetting
        } else if p.required || !OPTIONAL_PARAMS_ARE_SETTERS {
            ParamRole::Argument
        } else {
            ParamRole::Setter
        }
    }

    /// In words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            ParamRole::Constant => "a constant",
            ParamRole::ClientSetting => "a `Client::new` argument",
            ParamRole::Argument => "a method argument",
            ParamRole::Setter => "a builder setter",
        }
    }
}

/// The Rust type of `t` as written in the generated code, without paths (`Vec<Pet>`).
pub fn rust_type(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Prim(p) => primitive(*p).to_owned(),
        TypeRef::List(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust_type(inner)),
        TypeRef::Any => "serde_json::Value".to_owned(),
    }
}

/// The Rust type of a primitive (mirrors `codegen::rust::primitive_tokens`: the three date-time
/// forms are one Rust type).
pub fn primitive(p: Primitive) -> &'static str {
    match p {
        Primitive::String => "String",
        Primitive::Bool => "bool",
        Primitive::I32 => "i32",
        Primitive::I64 => "i64",
        Primitive::F32 => "f32",
        Primitive::F64 => "f64",
        Primitive::DateTime | Primitive::DateTimeRfc1123 | Primitive::UnixTime => "DateTime<Utc>",
        Primitive::Date => "NaiveDate",
        Primitive::Uuid => "Uuid",
        Primitive::Bytes => "Vec<u8>",
        Primitive::Binary => "Bytes",
    }
}

/// The Rust type of a struct field (mirrors `codegen::models::field_type`).
pub fn field_type(f: &FieldDef) -> String {
    let inner = rust_type(&f.ty);
    let inner = if f.boxed { format!("Box<{inner}>") } else { inner };
    if f.is_optional() {
        format!("Option<{inner}>")
    } else {
        inner
    }
}

/// The type a caller passes for a parameter (mirrors `codegen::operations::argument_type`).
pub fn argument_type(p: &ParamIr) -> String {
    match &p.ty {
        TypeRef::Prim(Primitive::String) => "impl Into<String>".to_owned(),
        TypeRef::List(inner) if **inner == TypeRef::Prim(Primitive::String) => "impl IntoIterator<Item = impl Into<String>>".to_owned(),
        other => rust_type(other),
    }
}

/// Whether `name` is an extensible string enum in `ir`.
pub fn is_extensible_enum(ir: &ApiIr, name: &str) -> bool {
    matches!(ir.type_def(name).map(|d| &d.kind), Some(TypeKind::Enum(e)) if e.extensible)
}

/// The Rust type of a `Headers` field (mirrors `codegen::operations::header_field_type`).
pub fn header_type(ir: &ApiIr, t: &TypeRef) -> String {
    let inner = match t {
        TypeRef::Prim(Primitive::Bytes) => "String".to_owned(),
        TypeRef::Prim(p) => primitive(*p).to_owned(),
        TypeRef::Named(n) if is_extensible_enum(ir, n) => n.clone(),
        _ => "String".to_owned(),
    };
    format!("Option<{inner}>")
}

/// The Rust type of `Response::body`: the common body type, `()`, or the per-status `Body` enum
/// (with its variants) when the success responses disagree.
pub fn response_body(op: &OperationIr) -> ResponseBody {
    match op.single_success_body() {
        Some(Some(t)) => ResponseBody::Single(rust_type(t)),
        Some(None) => ResponseBody::Single("()".to_owned()),
        None => {
            ResponseBody::PerStatus(op.success.iter().map(|r| (format!("Status{}", r.status), r.body.as_ref().map(rust_type))).collect())
        }
    }
}

/// See [`response_body`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBody {
    /// One type for every status.
    Single(String),
    /// `Body` enum: (variant, payload type).
    PerStatus(Vec<(String, Option<String>)>),
}

impl ResponseBody {
    /// How it reads in a message.
    pub fn describe(&self) -> String {
        match self {
            ResponseBody::Single(t) => format!("`{t}`"),
            ResponseBody::PerStatus(v) => format!(
                "`Body` {{ {} }}",
                v.iter()
                    .map(|(name, t)| match t {
                        Some(t) => format!("{name}({t})"),
                        None => name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The final result type of a long-running operation's poller (mirrors `codegen::lro::final_type`).
pub fn lro_final_type(op: &OperationIr) -> String {
    let body = match op.single_success_body() {
        Some(body) => body.cloned(),
        None => op.success.iter().find_map(|r| r.body.clone()),
    };
    body.map(|t| rust_type(&t)).unwrap_or_else(|| "()".to_owned())
}
