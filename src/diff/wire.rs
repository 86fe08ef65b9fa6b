//! Wire-level comparison of two types: does every value of the old type remain valid under the
//! new one (wider), the other way round (narrower), both (same) or neither?

use super::usage::Usage;
use super::Compat;
use crate::ir::{ApiIr, Primitive, TypeDef, TypeKind, TypeRef};

/// How the set of values of a new type relates to the old one's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// The same values.
    Same,
    /// Every old value is still valid, and more.
    Wider,
    /// Every new value was valid before, but not all old ones are now.
    Narrower,
    /// Neither.
    Incompatible,
}

impl Width {
    /// The wire verdict for a value of this type travelling in `usage`'s directions: clients
    /// send old values (a request needs the new type to be wider) and decode new values (a
    /// response needs it to be narrower).
    pub fn verdict(self, usage: Usage) -> Compat {
        let request = match self {
            Width::Same | Width::Wider => Compat::Compatible,
            Width::Narrower | Width::Incompatible => Compat::Breaking,
        };
        let response = match self {
            Width::Same | Width::Narrower => Compat::Compatible,
            Width::Wider | Width::Incompatible => Compat::Breaking,
        };
        let mut verdict = Compat::Compatible;
        if usage.request {
            verdict = verdict.max(request);
        }
        if usage.response {
            verdict = verdict.max(response);
        }
        verdict
    }

    /// In words.
    pub fn describe(self) -> &'static str {
        match self {
            Width::Same => "accepts the same values",
            Width::Wider => "accepts more values than before",
            Width::Narrower => "accepts fewer values than before",
            Width::Incompatible => "accepts different values",
        }
    }
}

/// Strings with a format are a subset of plain strings.
fn string_like(p: Primitive) -> bool {
    matches!(p, Primitive::String | Primitive::DateTime | Primitive::Date | Primitive::DateTimeRfc1123 | Primitive::Uuid | Primitive::Bytes)
}

fn primitive_width(old: Primitive, new: Primitive) -> Width {
    use Primitive::*;
    if old == new {
        return Width::Same;
    }
    match (old, new) {
        (I32, I64) | (F32, F64) | (I32 | I64, F32 | F64) => Width::Wider,
        (I64, I32) | (F64, F32) | (F32 | F64, I32 | I64) => Width::Narrower,
        (o, String) if string_like(o) => Width::Wider,
        (String, n) if string_like(n) => Width::Narrower,
        _ => Width::Incompatible,
    }
}

/// Compares `old` (in `old_ir`) with `new` (in `new_ir`). Named types are compared by name
/// (their own changes are reported where they are defined), or by shape when the name changed.
pub fn width(old_ir: &ApiIr, old: &TypeRef, new_ir: &ApiIr, new: &TypeRef) -> Width {
    match (old, new) {
        (TypeRef::Named(a), TypeRef::Named(b)) if a == b => Width::Same,
        (TypeRef::Named(a), TypeRef::Named(b)) => match (old_ir.type_def(a), new_ir.type_def(b)) {
            (Some(x), Some(y)) if same_shape(x, y) => Width::Same,
            _ => Width::Incompatible,
        },
        (TypeRef::Prim(a), TypeRef::Prim(b)) => primitive_width(*a, *b),
        (TypeRef::List(a), TypeRef::List(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => width(old_ir, a, new_ir, b),
        (TypeRef::Any, TypeRef::Any) => Width::Same,
        (_, TypeRef::Any) => Width::Wider,
        (TypeRef::Any, _) => Width::Narrower,
        // A string enum → a string: an extensible enum already accepted every string.
        (TypeRef::Named(a), TypeRef::Prim(Primitive::String)) => match old_ir.type_def(a).map(|d| &d.kind) {
            Some(TypeKind::Enum(e)) if e.extensible => Width::Same,
            Some(TypeKind::Enum(_)) => Width::Wider,
            _ => Width::Incompatible,
        },
        (TypeRef::Prim(Primitive::String), TypeRef::Named(b)) => match new_ir.type_def(b).map(|d| &d.kind) {
            Some(TypeKind::Enum(e)) if e.extensible => Width::Same,
            Some(TypeKind::Enum(_)) => Width::Narrower,
            _ => Width::Incompatible,
        },
        _ => Width::Incompatible,
    }
}

/// Whether two type definitions describe the same wire shape (names and docs aside): used to
/// recognize a renamed type.
pub fn same_shape(a: &TypeDef, b: &TypeDef) -> bool {
    match (&a.kind, &b.kind) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) => {
            x.fields.len() == y.fields.len()
                && x.additional_properties == y.additional_properties
                && x.fields.iter().zip(&y.fields).all(|(f, g)| {
                    f.wire_name == g.wire_name
                        && f.ty == g.ty
                        && f.required == g.required
                        && f.nullable == g.nullable
                        && f.read_only == g.read_only
                })
        }
        (TypeKind::Enum(x), TypeKind::Enum(y)) => {
            x.extensible == y.extensible
                && x.variants.len() == y.variants.len()
                && x.variants.iter().zip(&y.variants).all(|(v, w)| v.wire_value == w.wire_value)
        }
        (TypeKind::Union(x), TypeKind::Union(y)) => {
            x.discriminator == y.discriminator
                && x.keeps_unknown == y.keeps_unknown
                && x.variants.len() == y.variants.len()
                && x.variants.iter().zip(&y.variants).all(|(v, w)| v.tag == w.tag && v.ty == w.ty)
        }
        (TypeKind::Alias(x), TypeKind::Alias(y)) => x == y,
        (TypeKind::External(x), TypeKind::External(y)) => x == y,
        _ => false,
    }
}
