//! Which direction each named type travels in: sent by clients (parameters, request bodies,
//! client settings) and/or received (response bodies and headers, error models). Found by walking
//! every operation and following fields, variants, aliases, lists and maps. Read-only fields are
//! not followed on the request side: clients do not send them.

use std::collections::BTreeMap;

use crate::ir::{ApiIr, TypeKind, TypeRef};

/// Directions a type is used in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Sent by clients.
    pub request: bool,
    /// Received by clients.
    pub response: bool,
}

impl Usage {
    /// Both directions of `self` and `other`.
    pub fn union(self, other: Usage) -> Usage {
        Usage { request: self.request || other.request, response: self.response || other.response }
    }

    /// Request only.
    pub const REQUEST: Usage = Usage { request: true, response: false };
    /// Response only.
    pub const RESPONSE: Usage = Usage { request: false, response: true };

    /// In words, for messages.
    pub fn describe(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "sent and received",
            (true, false) => "sent by clients",
            (false, true) => "received by clients",
            (false, false) => "not used by any operation",
        }
    }
}

/// Usage of every named type that some operation reaches.
pub type UsageMap = BTreeMap<String, Usage>;

/// Computes the usage of every named type of `ir`.
pub fn usage_map(ir: &ApiIr) -> UsageMap {
    let mut map = UsageMap::new();
    for op in &ir.operations {
        for p in &op.params {
            mark(ir, &p.ty, Usage::REQUEST, &mut map);
        }
        if let Some(b) = &op.body {
            mark(ir, &b.ty, Usage::REQUEST, &mut map);
        }
        for r in &op.success {
            if let Some(t) = &r.body {
                mark(ir, t, Usage::RESPONSE, &mut map);
            }
            for h in &r.headers {
                mark(ir, &h.ty, Usage::RESPONSE, &mut map);
            }
        }
        if let Some(t) = &op.error_type {
            mark(ir, t, Usage::RESPONSE, &mut map);
        }
    }
    for p in &ir.client_settings {
        mark(ir, &p.ty, Usage::REQUEST, &mut map);
    }
    map
}

fn mark(ir: &ApiIr, t: &TypeRef, usage: Usage, map: &mut UsageMap) {
    match t {
        TypeRef::Named(name) => {
            let seen = map.get(name).copied().unwrap_or_default();
            let merged = seen.union(usage);
            if merged == seen && map.contains_key(name) {
                return;
            }
            map.insert(name.clone(), merged);
            let Some(def) = ir.type_def(name) else { return };
            match &def.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        let along = if f.read_only { Usage { request: false, ..usage } } else { usage };
                        if along != Usage::default() {
                            mark(ir, &f.ty, along, map);
                        }
                    }
                    if let Some(extra) = &s.additional_properties {
                        mark(ir, extra, usage, map);
                    }
                }
                TypeKind::Union(u) => {
                    for v in &u.variants {
                        mark(ir, &v.ty, usage, map);
                    }
                }
                TypeKind::Alias(target) => mark(ir, target, usage, map),
                TypeKind::Enum(_) | TypeKind::External(_) => {}
            }
        }
        TypeRef::List(inner) | TypeRef::Map(inner) => mark(ir, inner, usage, map),
        TypeRef::Prim(_) | TypeRef::Any => {}
    }
}
