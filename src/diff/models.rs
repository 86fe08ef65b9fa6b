//! Named types: matched by name, then by shape (renames); structs field by field, enums value
//! by value, unions variant by variant. Wire verdicts depend on the directions the type travels
//! in (old or new usage, whichever is wider).

use super::locate;
use super::rules::*;
use super::shape::{self, field_type, rust_type};
use super::usage::Usage;
use super::wire::{same_shape, width, Width};
use super::{At, Compat, Cx, Draft};
use crate::ir::{EnumDef, FieldDef, StructDef, TypeDef, TypeKind, TypeRef, UnionDef, UnionVariant};

fn kind_word(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Alias(_) => "alias",
        TypeKind::Union(_) => "union",
        TypeKind::External(_) => "external type",
    }
}

fn usage_of(cx: &Cx<'_>, name: &str) -> Usage {
    let old = cx.old.usage.get(name).copied().unwrap_or_default();
    let new = cx.new.usage.get(name).copied().unwrap_or_default();
    old.union(new)
}

/// `verdict` for the directions in `usage` (request, response).
fn by_direction(usage: Usage, request: Compat, response: Compat) -> Compat {
    let mut v = Compat::Compatible;
    if usage.request {
        v = v.max(request);
    }
    if usage.response {
        v = v.max(response);
    }
    v
}

pub fn compare(cx: &Cx<'_>) {
    let old_types = &cx.old.ir.types;
    let new_types = &cx.new.ir.types;
    let removed: Vec<&TypeDef> = old_types.iter().filter(|t| cx.new.ir.type_def(&t.name).is_none()).collect();
    let added: Vec<&TypeDef> = new_types.iter().filter(|t| cx.old.ir.type_def(&t.name).is_none()).collect();
    let mut renamed_to: Vec<Option<&TypeDef>> = vec![None; removed.len()];
    let mut taken = vec![false; added.len()];
    for (i, old) in removed.iter().enumerate() {
        let candidates: Vec<usize> = (0..added.len()).filter(|&j| !taken[j] && same_shape(old, added[j])).collect();
        if let [j] = candidates[..] {
            renamed_to[i] = Some(added[j]);
            taken[j] = true;
        }
    }
    for (old, new) in removed.iter().zip(&renamed_to) {
        let d = match new {
            Some(new) => Draft::new(&TYPE_RENAMED, At::New(new.origin.clone()), format!("type `{}` renamed to `{}`", old.name, new.name))
                .wire(Compat::Compatible, "same shape")
                .rust(Compat::Breaking, format!("`models::{}` is gone", old.name))
                .item(format!("models::{}", old.name)),
            None => Draft::new(&TYPE_REMOVED, At::Old(old.origin.clone()), format!("{} `{}` removed", kind_word(&old.kind), old.name))
                .rust(Compat::Breaking, format!("`models::{}` is gone", old.name))
                .item(format!("models::{}", old.name)),
        };
        cx.push(d);
    }
    for (new, _) in added.iter().zip(&taken).filter(|(_, taken)| !**taken) {
        let d = Draft::new(&TYPE_ADDED, At::New(new.origin.clone()), format!("{} `{}` added", kind_word(&new.kind), new.name))
            .rust(Compat::Compatible, format!("new `models::{}`", new.name))
            .item(format!("models::{}", new.name));
        cx.push(d);
    }
    for new in new_types {
        if let Some(old) = cx.old.ir.type_def(&new.name) {
            type_def(cx, old, new);
        }
    }
}

fn type_def(cx: &Cx<'_>, old: &TypeDef, new: &TypeDef) {
    let usage = usage_of(cx, &new.name);
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => structs(cx, old, new, a, b, usage),
        (TypeKind::Enum(a), TypeKind::Enum(b)) => enums(cx, old, new, a, b, usage),
        (TypeKind::Union(a), TypeKind::Union(b)) => unions(cx, new, a, b, usage),
        (TypeKind::Alias(a), TypeKind::Alias(b)) => {
            let w = width(&cx.old.ir, a, &cx.new.ir, b);
            let (ta, tb) = (rust_type(a), rust_type(b));
            if w != Width::Same || ta != tb {
                let d = Draft::new(&ALIAS_TARGET_CHANGED, At::New(new.origin.clone()), format!("alias `{}`: `{ta}` → `{tb}`", new.name))
                    .wire(w.verdict(usage), format!("the new type {} ({})", w.describe(), usage.describe()))
                    .rust(
                        if ta != tb { Compat::Breaking } else { Compat::Compatible },
                        if ta != tb { "the alias target changes" } else { "" },
                    )
                    .item(format!("models::{}", new.name));
                cx.push(d);
            }
        }
        (TypeKind::External(a), TypeKind::External(b)) => {
            if a != b {
                let d = Draft::new(
                    &ALIAS_TARGET_CHANGED,
                    At::New(new.origin.clone()),
                    format!("replacement type of `{}`: `{a}` → `{b}`", new.name),
                )
                .wire(Compat::Risky, "depends on the replacement types")
                .rust(Compat::Breaking, "the alias target changes")
                .item(format!("models::{}", new.name));
                cx.push(d);
            }
        }
        (a, b) => {
            let d = Draft::new(
                &TYPE_KIND_CHANGED,
                At::New(new.origin.clone()),
                format!("`{}` changed from {} to {}", new.name, kind_word(a), kind_word(b)),
            )
            .wire(by_direction(usage, Compat::Breaking, Compat::Breaking), usage.describe())
            .rust(Compat::Breaking, format!("`models::{}` is another kind of item", new.name))
            .item(format!("models::{}", new.name));
            cx.push(d);
        }
    }
}

/// Whether `new()` asks for this field (mirrors `codegen::models::constructor`: a discriminator
/// field of string or extensible-enum type is filled in, not asked for).
fn constructor_arg(cx: &Cx<'_>, f: &FieldDef) -> bool {
    if f.is_optional() {
        return false;
    }
    let filled = f.discriminator_value.is_some()
        && match &f.ty {
            TypeRef::Prim(crate::ir::Primitive::String) => true,
            TypeRef::Named(n) => shape::is_extensible_enum(&cx.new.ir, n),
            _ => false,
        };
    !filled
}

fn structs(cx: &Cx<'_>, old: &TypeDef, new: &TypeDef, a: &StructDef, b: &StructDef, usage: Usage) {
    let name = &new.name;
    let field_at_new = |cx: &Cx<'_>, wire: &str| At::New(locate::property(&cx.new.spec.raw, &new.origin, wire));
    for g in &b.fields {
        let Some(f) = a.fields.iter().find(|f| f.wire_name == g.wire_name) else {
            let item = format!("models::{name}::{}", g.rust_name);
            let d = if g.required {
                let d = Draft::new(
                    &FIELD_ADDED_REQUIRED,
                    field_at_new(cx, &g.wire_name),
                    format!("required property `{}` added to `{name}`", g.wire_name),
                )
                .wire(
                    by_direction(usage, if g.read_only { Compat::Compatible } else { Compat::Breaking }, Compat::Compatible),
                    format!("`{name}` is {}", usage.describe()),
                );
                if constructor_arg(cx, g) {
                    d.rust(Compat::Breaking, format!("`{name}::new` gains the argument `{}`", g.rust_name))
                        .item(format!("models::{name}::new"))
                } else {
                    d.rust(non_exhaustive_field(), format!("new field `{}: {}`", g.rust_name, field_type(g))).item(item)
                }
            } else {
                Draft::new(
                    &FIELD_ADDED_OPTIONAL,
                    field_at_new(cx, &g.wire_name),
                    format!("optional property `{}` added to `{name}`", g.wire_name),
                )
                .wire(Compat::Compatible, "")
                .rust(non_exhaustive_field(), format!("new field `{}: {}` (`{name}` is `#[non_exhaustive]`)", g.rust_name, field_type(g)))
                .item(item)
            };
            cx.push(d);
            continue;
        };
        field(cx, new, f, g, usage);
    }
    for f in &a.fields {
        if !b.fields.iter().any(|g| g.wire_name == f.wire_name) {
            let d = Draft::new(
                &FIELD_REMOVED,
                At::Old(locate::property(&cx.old.spec.raw, &old.origin, &f.wire_name)),
                format!("property `{}` removed from `{name}`", f.wire_name),
            )
            .wire(
                by_direction(usage, Compat::Risky, if f.is_optional() { Compat::Compatible } else { Compat::Breaking }),
                if usage.response && !f.is_optional() {
                    "old clients require it in responses".to_owned()
                } else {
                    format!("`{name}` is {}", usage.describe())
                },
            )
            .rust(Compat::Breaking, format!("field `{name}::{}` is gone", f.rust_name))
            .item(format!("models::{name}::{}", f.rust_name));
            cx.push(d);
        }
    }
    let at = || At::New(new.origin.clone());
    match (&a.additional_properties, &b.additional_properties) {
        (None, Some(t)) => {
            let d = Draft::new(&ADDITIONAL_PROPERTIES_ADDED, at(), format!("`{name}` allows additional properties (`{}`)", rust_type(t)))
                .rust(non_exhaustive_field(), "new field `additional_properties`")
                .item(format!("models::{name}::additional_properties"));
            cx.push(d);
        }
        (Some(_), None) => {
            let d = Draft::new(&ADDITIONAL_PROPERTIES_REMOVED, at(), format!("`{name}` no longer allows additional properties"))
                .wire(by_direction(usage, Compat::Risky, Compat::Compatible), format!("`{name}` is {}", usage.describe()))
                .rust(Compat::Breaking, "field `additional_properties` is gone")
                .item(format!("models::{name}::additional_properties"));
            cx.push(d);
        }
        (Some(x), Some(y)) => {
            let w = width(&cx.old.ir, x, &cx.new.ir, y);
            let (tx, ty) = (rust_type(x), rust_type(y));
            if w != Width::Same || tx != ty {
                let d =
                    Draft::new(&ADDITIONAL_PROPERTIES_TYPE_CHANGED, at(), format!("additional properties of `{name}`: `{tx}` → `{ty}`"))
                        .wire(w.verdict(usage), format!("the new type {} ({})", w.describe(), usage.describe()))
                        .rust(
                            if tx != ty { Compat::Breaking } else { Compat::Compatible },
                            if tx != ty { "the map's value type changes" } else { "" },
                        )
                        .item(format!("models::{name}::additional_properties"));
                cx.push(d);
            }
        }
        (None, None) => {}
    }
}

/// Adding a public field: compatible only because structs are `#[non_exhaustive]`.
fn non_exhaustive_field() -> Compat {
    if shape::STRUCTS_NON_EXHAUSTIVE {
        Compat::Compatible
    } else {
        Compat::Breaking
    }
}

fn field(cx: &Cx<'_>, new: &TypeDef, f: &FieldDef, g: &FieldDef, usage: Usage) {
    let name = &new.name;
    let wire_name = &g.wire_name;
    let at = || At::New(locate::property(&cx.new.spec.raw, &new.origin, wire_name));
    let item = format!("models::{name}::{}", g.rust_name);
    let (ta, tb) = (field_type(f), field_type(g));
    // Verdict on the Rust side of a change of `required` / `nullable` / `readOnly`.
    let option_verdict = |d: Draft| {
        if ta != tb {
            let ctor = if constructor_arg(cx, f) != constructor_arg(cx, g) { format!("; `{name}::new` changes") } else { String::new() };
            d.rust(Compat::Breaking, format!("`{name}::{}: {ta}` → `{tb}`{ctor}", g.rust_name))
        } else {
            d.rust(Compat::Compatible, format!("the field stays `{tb}`"))
        }
    };
    if f.rust_name != g.rust_name {
        let d = Draft::new(&FIELD_RENAMED, at(), format!("Rust name of `{name}.{wire_name}`: `{}` → `{}`", f.rust_name, g.rust_name))
            .rust(Compat::Breaking, format!("`{name}::{}` is gone", f.rust_name))
            .item(item.clone());
        cx.push(d);
    }
    if f.required != g.required {
        let d = if g.required {
            Draft::new(&FIELD_BECAME_REQUIRED, at(), format!("property `{name}.{wire_name}` became required")).wire(
                by_direction(usage, if g.read_only { Compat::Compatible } else { Compat::Breaking }, Compat::Compatible),
                if usage.request && !g.read_only {
                    "old clients may omit it".to_owned()
                } else {
                    format!("`{name}` is {}", usage.describe())
                },
            )
        } else {
            Draft::new(&FIELD_BECAME_OPTIONAL, at(), format!("property `{name}.{wire_name}` became optional")).wire(
                by_direction(usage, Compat::Compatible, if f.is_optional() { Compat::Compatible } else { Compat::Breaking }),
                if usage.response && !f.is_optional() {
                    "old clients fail when it is missing".to_owned()
                } else {
                    format!("`{name}` is {}", usage.describe())
                },
            )
        };
        cx.push(option_verdict(d.item(item.clone())));
    }
    if f.nullable != g.nullable {
        let d = if g.nullable {
            Draft::new(&FIELD_NULLABLE_CHANGED, at(), format!("property `{name}.{wire_name}` became nullable")).wire(
                by_direction(usage, Compat::Compatible, if f.is_optional() { Compat::Compatible } else { Compat::Breaking }),
                if usage.response && !f.is_optional() {
                    "old clients fail on `null`".to_owned()
                } else {
                    format!("`{name}` is {}", usage.describe())
                },
            )
        } else {
            let sent_null = f.required && f.nullable && !f.read_only;
            Draft::new(&FIELD_NULLABLE_CHANGED, at(), format!("property `{name}.{wire_name}` is no longer nullable")).wire(
                by_direction(usage, if sent_null { Compat::Breaking } else { Compat::Compatible }, Compat::Compatible),
                if usage.request && sent_null {
                    "old clients send `null` when it is unset".to_owned()
                } else {
                    format!("`{name}` is {}", usage.describe())
                },
            )
        };
        cx.push(option_verdict(d.item(item.clone())));
    }
    if f.read_only != g.read_only {
        let d = if g.read_only {
            Draft::new(&FIELD_READ_ONLY_CHANGED, at(), format!("property `{name}.{wire_name}` became read-only"))
                .wire(Compat::Compatible, "servers ignore it in requests")
        } else {
            let needed = g.required && !g.nullable;
            Draft::new(&FIELD_READ_ONLY_CHANGED, at(), format!("property `{name}.{wire_name}` is no longer read-only")).wire(
                by_direction(usage, if needed { Compat::Breaking } else { Compat::Compatible }, Compat::Compatible),
                if usage.request && needed {
                    "it is required in requests now, and old clients do not send it".to_owned()
                } else {
                    format!("`{name}` is {}", usage.describe())
                },
            )
        };
        cx.push(option_verdict(d.item(item.clone())));
    }
    let w = width(&cx.old.ir, &f.ty, &cx.new.ir, &g.ty);
    let (ra, rb) = (rust_type(&f.ty), rust_type(&g.ty));
    if w != Width::Same || ra != rb || f.boxed != g.boxed {
        let field_usage = if g.read_only { Usage { request: false, ..usage } } else { usage };
        let changed_rust = ra != rb || f.boxed != g.boxed;
        let d = Draft::new(&FIELD_TYPE_CHANGED, at(), format!("property `{name}.{wire_name}`: `{ra}` → `{rb}`"))
            .wire(w.verdict(field_usage), format!("the new type {} ({})", w.describe(), field_usage.describe()))
            .rust(
                if changed_rust { Compat::Breaking } else { Compat::Compatible },
                if changed_rust { format!("`{name}::{}: {ta}` → `{tb}`", g.rust_name) } else { String::new() },
            )
            .item(item.clone());
        cx.push(d);
    }
    if f.secret != g.secret {
        let d = Draft::new(
            &FIELD_SECRET_CHANGED,
            at(),
            format!("property `{name}.{wire_name}` {} secret", if g.secret { "became" } else { "is no longer" }),
        )
        .rust(Compat::Compatible, "only `Debug` output changes")
        .item(item);
        cx.push(d);
    }
}

fn enums(cx: &Cx<'_>, old: &TypeDef, new: &TypeDef, a: &EnumDef, b: &EnumDef, usage: Usage) {
    let name = &new.name;
    if a.extensible != b.extensible {
        let d = Draft::new(
            &ENUM_EXTENSIBILITY_CHANGED,
            At::New(new.origin.clone()),
            format!("enum `{name}` became {}", if b.extensible { "extensible" } else { "closed" }),
        )
        .wire(
            by_direction(usage, Compat::Compatible, if b.extensible { Compat::Risky } else { Compat::Compatible }),
            if b.extensible && usage.response { "servers may send values old clients reject" } else { "" },
        )
        .rust(
            Compat::Breaking,
            if b.extensible {
                "variant `UnknownValue(String)` and `#[non_exhaustive]` added, `Copy` removed"
            } else {
                "variant `UnknownValue` and `#[non_exhaustive]` removed"
            },
        )
        .item(format!("models::{name}"));
        cx.push(d);
    }
    for v in &b.variants {
        match a.variants.iter().find(|x| x.wire_value == v.wire_value) {
            None => {
                let d = Draft::new(
                    &ENUM_VALUE_ADDED,
                    At::New(locate::enum_value(&cx.new.spec.raw, &new.origin, &v.wire_value)),
                    format!("enum `{name}` gained `{}`", v.wire_value),
                )
                .wire(
                    by_direction(usage, Compat::Compatible, if a.extensible { Compat::Compatible } else { Compat::Breaking }),
                    if usage.response {
                        if a.extensible {
                            "old clients keep it as `UnknownValue`"
                        } else {
                            "old clients fail to decode it (closed enum)"
                        }
                    } else {
                        usage.describe()
                    },
                )
                .rust(
                    if shape::enum_non_exhaustive(a.extensible) { Compat::Compatible } else { Compat::Breaking },
                    if shape::enum_non_exhaustive(a.extensible) {
                        format!("new variant `{name}::{}` of a `#[non_exhaustive]` enum", v.rust_name)
                    } else {
                        format!("new variant `{name}::{}`; `{name}` is not `#[non_exhaustive]`, so exhaustive `match`es break", v.rust_name)
                    },
                )
                .item(format!("models::{name}::{}", v.rust_name));
                cx.push(d);
            }
            Some(x) if x.rust_name != v.rust_name => {
                let d = Draft::new(
                    &ENUM_VARIANT_RENAMED,
                    At::New(locate::enum_value(&cx.new.spec.raw, &new.origin, &v.wire_value)),
                    format!("variant of `{name}` for `{}`: `{}` → `{}`", v.wire_value, x.rust_name, v.rust_name),
                )
                .rust(Compat::Breaking, format!("`{name}::{}` is gone", x.rust_name))
                .item(format!("models::{name}::{}", x.rust_name));
                cx.push(d);
            }
            Some(_) => {}
        }
    }
    for x in &a.variants {
        if !b.variants.iter().any(|v| v.wire_value == x.wire_value) {
            let d = Draft::new(
                &ENUM_VALUE_REMOVED,
                At::Old(locate::enum_value(&cx.old.spec.raw, &old.origin, &x.wire_value)),
                format!("enum `{name}` lost `{}`", x.wire_value),
            )
            .wire(
                by_direction(usage, Compat::Breaking, Compat::Compatible),
                if usage.request { "old clients may send it" } else { usage.describe() },
            )
            .rust(Compat::Breaking, format!("`{name}::{}` is gone", x.rust_name))
            .item(format!("models::{name}::{}", x.rust_name));
            cx.push(d);
        }
    }
}

/// The key that identifies a union variant across versions: its tag, or its type.
fn variant_key(u: &UnionDef, v: &UnionVariant) -> String {
    match (&u.discriminator, &v.tag) {
        (Some(_), Some(tag)) => format!("tag:{tag}"),
        _ => format!("type:{}", rust_type(&v.ty)),
    }
}

fn unions(cx: &Cx<'_>, new: &TypeDef, a: &UnionDef, b: &UnionDef, usage: Usage) {
    let name = &new.name;
    let at = || At::New(new.origin.clone());
    if a.discriminator != b.discriminator {
        let show = |d: &Option<String>| d.as_ref().map(|d| format!("`{d}`")).unwrap_or_else(|| "none (untagged)".to_owned());
        let d = Draft::new(
            &UNION_DISCRIMINATOR_CHANGED,
            at(),
            format!("discriminator of `{name}`: {} → {}", show(&a.discriminator), show(&b.discriminator)),
        )
        .wire(by_direction(usage, Compat::Breaking, Compat::Breaking), format!("`{name}` is {}", usage.describe()))
        .item(format!("models::{name}"));
        cx.push(d);
    }
    if a.keeps_unknown != b.keeps_unknown {
        let d = Draft::new(
            &UNION_UNKNOWN_VARIANT_CHANGED,
            at(),
            format!("union `{name}` {} unknown values", if b.keeps_unknown { "now keeps" } else { "no longer keeps" }),
        )
        .wire(
            by_direction(usage, Compat::Compatible, if b.keeps_unknown { Compat::Risky } else { Compat::Compatible }),
            if b.keeps_unknown && usage.response { "servers may send variants old clients reject" } else { "" },
        )
        .rust(
            Compat::Breaking,
            if b.keeps_unknown {
                "variant `UnknownValue` and `#[non_exhaustive]` added"
            } else {
                "variant `UnknownValue` and `#[non_exhaustive]` removed"
            },
        )
        .item(format!("models::{name}"));
        cx.push(d);
    }
    // Under another discriminator, tags mean nothing across versions: match variants by type.
    let same_discriminator = a.discriminator == b.discriminator;
    let key = |u: &UnionDef, v: &UnionVariant| if same_discriminator { variant_key(u, v) } else { format!("type:{}", rust_type(&v.ty)) };
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_done = vec![false; a.variants.len()];
    let mut new_done = vec![false; b.variants.len()];
    for (j, v) in b.variants.iter().enumerate() {
        if let Some(i) = (0..a.variants.len()).find(|&i| !old_done[i] && key(a, &a.variants[i]) == key(b, v)) {
            pairs.push((i, j));
            old_done[i] = true;
            new_done[j] = true;
        }
    }
    // A variant whose tag changed: same type on both sides.
    for (j, v) in b.variants.iter().enumerate() {
        if new_done[j] {
            continue;
        }
        if let Some(i) = (0..a.variants.len()).find(|&i| !old_done[i] && a.variants[i].ty == v.ty) {
            pairs.push((i, j));
            old_done[i] = true;
            new_done[j] = true;
        }
    }
    for v in b.variants.iter().zip(&new_done).filter(|(_, done)| !**done).map(|(v, _)| v) {
        let d = Draft::new(
            &UNION_VARIANT_ADDED,
            at(),
            format!("union `{name}` gained variant `{}`{}", v.rust_name, v.tag.as_ref().map(|t| format!(" (`{t}`)")).unwrap_or_default()),
        )
        .wire(
            by_direction(usage, Compat::Compatible, if a.keeps_unknown { Compat::Compatible } else { Compat::Breaking }),
            if usage.response {
                if a.keeps_unknown {
                    "old clients keep it as `UnknownValue`"
                } else {
                    "old clients fail to decode it"
                }
            } else {
                usage.describe()
            },
        )
        .rust(
            if shape::union_non_exhaustive(a.keeps_unknown) { Compat::Compatible } else { Compat::Breaking },
            if shape::union_non_exhaustive(a.keeps_unknown) {
                format!("new variant `{name}::{}` of a `#[non_exhaustive]` enum", v.rust_name)
            } else {
                format!("new variant `{name}::{}` of an exhaustive enum", v.rust_name)
            },
        )
        .item(format!("models::{name}::{}", v.rust_name));
        cx.push(d);
    }
    pairs.sort_by_key(|&(_, j)| j);
    for (i, j) in pairs {
        let (x, v) = (&a.variants[i], &b.variants[j]);
        let w = width(&cx.old.ir, &x.ty, &cx.new.ir, &v.ty);
        let rust_changed = x.rust_name != v.rust_name || rust_type(&x.ty) != rust_type(&v.ty) || x.boxed != v.boxed;
        let tag_changed = same_discriminator && x.tag != v.tag;
        if tag_changed || w != Width::Same || rust_changed {
            let show = |t: &Option<String>| t.as_ref().map(|t| format!("`{t}`")).unwrap_or_else(|| "none".to_owned());
            let message = if tag_changed {
                format!("variant `{}` of `{name}`: tag {} → {}", v.rust_name, show(&x.tag), show(&v.tag))
            } else {
                format!("variant `{}` of `{name}`: `{}` → `{}`", v.rust_name, rust_type(&x.ty), rust_type(&v.ty))
            };
            let d = Draft::new(&UNION_VARIANT_CHANGED, at(), message)
                .wire(
                    if tag_changed { by_direction(usage, Compat::Breaking, Compat::Breaking) } else { w.verdict(usage) },
                    format!("`{name}` is {}", usage.describe()),
                )
                .rust(
                    if rust_changed { Compat::Breaking } else { Compat::Compatible },
                    if rust_changed {
                        format!("`{name}::{}({})` → `{name}::{}({})`", x.rust_name, rust_type(&x.ty), v.rust_name, rust_type(&v.ty))
                    } else {
                        "same variant".to_owned()
                    },
                )
                .item(format!("models::{name}::{}", v.rust_name));
            cx.push(d);
        }
    }
    for x in a.variants.iter().zip(&old_done).filter(|(_, done)| !**done).map(|(x, _)| x) {
        let d = Draft::new(
            &UNION_VARIANT_REMOVED,
            At::Old(cx.old.ir.type_def(name).map(|t| t.origin.clone()).unwrap_or_default()),
            format!("union `{name}` lost variant `{}`", x.rust_name),
        )
        .wire(
            by_direction(usage, Compat::Breaking, Compat::Compatible),
            if usage.request { "old clients may send it" } else { usage.describe() },
        )
        .rust(Compat::Breaking, format!("`{name}::{}` is gone", x.rust_name))
        .item(format!("models::{name}::{}", x.rust_name));
        cx.push(d);
    }
}
