//! Operations: matching, then parameters, request body, responses, headers, error models,
//! long-running and paging behaviour of each matched pair.

use std::collections::BTreeMap;

use super::locate;
use super::rules::*;
use super::shape::{self, argument_type, header_type, lro_final_type, response_body, rust_type, ParamRole, ResponseBody};
use super::usage::Usage;
use super::wire::{width, Width};
use super::{At, Bump, Compat, Cx, Draft};
use crate::ir::{ApiIr, HeaderIr, LroIr, OperationIr, ParamIr, ParamLocation, PathPart, TypeRef, Validation};

pub(crate) fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The path with parameter names blanked: `/pets/{}`.
fn path_shape(op: &OperationIr) -> String {
    op.path
        .parts
        .iter()
        .map(|p| match p {
            PathPart::Literal(text) => text.clone(),
            PathPart::Param(_) => "{}".to_owned(),
        })
        .collect()
}

pub fn compare(cx: &Cx<'_>) {
    let old_ops = &cx.old.ir.operations;
    let new_ops = &cx.new.ir.operations;
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_done = vec![false; old_ops.len()];
    let mut new_done = vec![false; new_ops.len()];
    for (i, o) in old_ops.iter().enumerate() {
        if let Some(j) = new_ops.iter().position(|n| n.operation_id == o.operation_id) {
            pairs.push((i, j));
            old_done[i] = true;
            new_done[j] = true;
        }
    }
    // An operationId rename: same method and path shape.
    let unmatched: Vec<usize> = (0..old_ops.len()).filter(|&i| !old_done[i]).collect();
    for i in unmatched {
        let o = &old_ops[i];
        let found =
            new_ops.iter().enumerate().find(|(j, n)| !new_done[*j] && n.http_method == o.http_method && path_shape(n) == path_shape(o));
        if let Some((j, _)) = found {
            pairs.push((i, j));
            old_done[i] = true;
            new_done[j] = true;
        }
    }
    for o in old_ops.iter().zip(&old_done).filter(|(_, done)| !**done).map(|(o, _)| o) {
        let d = Draft::new(
            &OPERATION_REMOVED,
            At::Old(o.origin.clone()),
            format!("operation `{}` (`{} {}`) removed", o.operation_id, o.http_method, o.path.template),
        )
        .wire(Compat::Breaking, "old clients' calls fail")
        .rust(Compat::Breaking, format!("`Client::{}` and `operations::{}` are gone", o.method_name, o.method_name))
        .item(format!("Client::{}", o.method_name));
        cx.push(d);
    }
    pairs.sort_by_key(|&(_, j)| j);
    let mut pair_iter = pairs.iter().peekable();
    for (j, n) in new_ops.iter().enumerate() {
        if !new_done[j] {
            let d = Draft::new(
                &OPERATION_ADDED,
                At::New(n.origin.clone()),
                format!("operation `{}` (`{} {}`) added", n.operation_id, n.http_method, n.path.template),
            )
            .rust(Compat::Compatible, format!("new `Client::{}`", n.method_name))
            .item(format!("Client::{}", n.method_name));
            cx.push(d);
        }
        while let Some(&&(i, pj)) = pair_iter.peek() {
            if pj != j {
                break;
            }
            pair_iter.next();
            operation(cx, &old_ops[i], n);
        }
    }
    crate_error(cx);
}

fn operation(cx: &Cx<'_>, o: &OperationIr, n: &OperationIr) {
    let at = || At::New(n.origin.clone());
    let client_item = format!("Client::{}", n.method_name);
    if o.operation_id != n.operation_id || o.method_name != n.method_name {
        let d = Draft::new(
            &OPERATION_RENAMED,
            at(),
            format!("operationId `{}` → `{}` (`{} {}`)", o.operation_id, n.operation_id, n.http_method, n.path.template),
        )
        .wire(Compat::Compatible, "the request is the same");
        let d = if o.method_name != n.method_name {
            d.rust(Compat::Breaking, format!("`Client::{}` is now `Client::{}`", o.method_name, n.method_name))
        } else {
            d.rust(Compat::Compatible, "the method name is unchanged")
        };
        cx.push(d.item(client_item.clone()));
    }
    if o.http_method != n.http_method || path_shape(o) != path_shape(n) {
        let d = Draft::new(
            &OPERATION_MOVED,
            at(),
            format!(
                "operation `{}` moved: `{} {}` → `{} {}`",
                n.operation_id, o.http_method, o.path.template, n.http_method, n.path.template
            ),
        )
        .wire(Compat::Breaking, "old clients send the old request")
        .rust(Compat::Compatible, "the method is the same")
        .item(client_item.clone());
        cx.push(d);
    }
    if o.deprecated != n.deprecated {
        let d = Draft::new(
            &OPERATION_DEPRECATED,
            child(cx, n, &["deprecated"]),
            format!("operation `{}` {}", n.operation_id, if n.deprecated { "is now deprecated" } else { "is no longer deprecated" }),
        )
        .rust(Compat::Compatible, if n.deprecated { "`#[deprecated]` makes uses warn" } else { "`#[deprecated]` removed" })
        .item(client_item.clone())
        .bump(if n.deprecated { Bump::Minor } else { Bump::Patch });
        cx.push(d);
    }
    if o.retry_safe != n.retry_safe {
        let d = Draft::new(
            &OPERATION_RETRY_SAFE_CHANGED,
            at(),
            format!("operation `{}` {} retried after a response", n.operation_id, if n.retry_safe { "may now be" } else { "is no longer" }),
        );
        cx.push(d);
    }
    params(cx, o, n);
    body(cx, o, n);
    responses(cx, o, n);
    lro(cx, o, n);
    paging(cx, o, n);
}

fn child(cx: &Cx<'_>, op: &OperationIr, tokens: &[&str]) -> At {
    At::New(locate::child(&cx.new.spec.raw, &op.origin, tokens))
}

fn param_at_old(cx: &Cx<'_>, op: &OperationIr, p: &ParamIr) -> At {
    At::Old(locate::param(&cx.old.spec.raw, op, p))
}

fn param_at_new(cx: &Cx<'_>, op: &OperationIr, p: &ParamIr) -> At {
    At::New(locate::param(&cx.new.spec.raw, op, p))
}

fn same_name(a: &ParamIr, b: &ParamIr) -> bool {
    if a.location == ParamLocation::Header || b.location == ParamLocation::Header {
        a.wire_name.eq_ignore_ascii_case(&b.wire_name)
    } else {
        a.wire_name == b.wire_name
    }
}

fn path_params(op: &OperationIr) -> Vec<usize> {
    op.path
        .parts
        .iter()
        .filter_map(|part| match part {
            PathPart::Param(name) => op.params.iter().position(|p| p.location == ParamLocation::Path && &p.wire_name == name),
            PathPart::Literal(_) => None,
        })
        .collect()
}

/// Where a parameter shows up in the generated API, for `rust_item`.
fn param_item(op: &OperationIr, p: &ParamIr) -> String {
    match ParamRole::of(p) {
        ParamRole::Setter => format!("operations::{}::RequestBuilder::{}", op.method_name, p.rust_name),
        ParamRole::ClientSetting => "Client::new".to_owned(),
        _ => format!("Client::{}", op.method_name),
    }
}

fn params(cx: &Cx<'_>, o: &OperationIr, n: &OperationIr) {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_done = vec![false; o.params.len()];
    let mut new_done = vec![false; n.params.len()];
    // Path parameters of an unmoved path pair up by position (their names are not on the wire).
    let (op_path, np_path) = (path_params(o), path_params(n));
    if path_shape(o) == path_shape(n) && op_path.len() == np_path.len() {
        for (&i, &j) in op_path.iter().zip(&np_path) {
            pairs.push((i, j));
            old_done[i] = true;
            new_done[j] = true;
        }
    }
    for (i, p) in o.params.iter().enumerate() {
        if old_done[i] {
            continue;
        }
        if let Some(j) = (0..n.params.len()).find(|&j| !new_done[j] && n.params[j].location == p.location && same_name(&n.params[j], p)) {
            pairs.push((i, j));
            old_done[i] = true;
            new_done[j] = true;
        }
    }
    // Same name, another location: a move.
    for (i, p) in o.params.iter().enumerate() {
        if old_done[i] {
            continue;
        }
        if let Some(j) = (0..n.params.len()).find(|&j| !new_done[j] && n.params[j].wire_name.eq_ignore_ascii_case(&p.wire_name)) {
            pairs.push((i, j));
            old_done[i] = true;
            new_done[j] = true;
        }
    }
    for p in o.params.iter().zip(&old_done).filter(|(_, done)| !**done).map(|(p, _)| p) {
        let role = ParamRole::of(p);
        let d = Draft::new(
            &PARAM_REMOVED,
            param_at_old(cx, o, p),
            format!("{} parameter `{}` of `{}` removed", location_word(p.location), p.wire_name, n.operation_id),
        )
        .wire(Compat::Risky, "old clients still send it")
        .item(param_item(o, p));
        let d = match role {
            ParamRole::Argument | ParamRole::Setter => d.rust(Compat::Breaking, format!("{} `{}` is gone", role.describe(), p.rust_name)),
            _ => d.rust(Compat::Compatible, format!("it was {}", role.describe())),
        };
        cx.push(d);
    }
    for p in n.params.iter().zip(&new_done).filter(|(_, done)| !**done).map(|(p, _)| p) {
        let role = ParamRole::of(p);
        let (rule, wire) = if p.required { (&PARAM_ADDED_REQUIRED, Compat::Breaking) } else { (&PARAM_ADDED_OPTIONAL, Compat::Compatible) };
        let mut d = Draft::new(
            rule,
            param_at_new(cx, n, p),
            format!(
                "{} {} parameter `{}` added to `{}`",
                if p.required { "required" } else { "optional" },
                location_word(p.location),
                p.wire_name,
                n.operation_id
            ),
        )
        .wire(wire, if p.required { "old clients do not send it" } else { "" })
        .item(param_item(n, p));
        d = match role {
            ParamRole::Argument => d.rust(Compat::Breaking, format!("`Client::{}` gains the argument `{}`", n.method_name, p.rust_name)),
            ParamRole::Setter => d.rust(Compat::Compatible, format!("new setter `{}`", p.rust_name)),
            ParamRole::Constant => d.rust(Compat::Compatible, "a constant the client sends itself"),
            ParamRole::ClientSetting => d.rust(Compat::Compatible, "a client setting (a new one is reported as `client-setting-added`)"),
        };
        cx.push(d);
    }
    for &(i, j) in &pairs {
        param(cx, n, &o.params[i], &n.params[j]);
    }
    reorder(cx, o, n, &pairs);
}

fn param(cx: &Cx<'_>, n: &OperationIr, po: &ParamIr, pn: &ParamIr) {
    let at = || param_at_new(cx, n, pn);
    let (ro, rn) = (ParamRole::of(po), ParamRole::of(pn));
    let name = &pn.wire_name;
    let op_id = &n.operation_id;
    let item = param_item(n, pn);
    if !po.wire_name.eq_ignore_ascii_case(&pn.wire_name) && po.location == ParamLocation::Path && pn.location == ParamLocation::Path {
        let d = Draft::new(
            &PATH_PARAM_RENAMED,
            at(),
            format!("path parameter `{{{}}}` of `{op_id}` renamed to `{{{}}}`", po.wire_name, pn.wire_name),
        )
        .wire(Compat::Compatible, "path parameters are positional")
        .rust(
            Compat::Compatible,
            if ro == ParamRole::Argument && rn == ParamRole::Argument { "only the argument's name changes" } else { "" },
        )
        .item(item.clone());
        cx.push(d);
    }
    if po.location != pn.location {
        let d = Draft::new(
            &PARAM_LOCATION_CHANGED,
            at(),
            format!("parameter `{name}` of `{op_id}` moved from the {} to the {}", location_word(po.location), location_word(pn.location)),
        )
        .wire(Compat::Breaking, "old clients send it in the old place")
        .rust(Compat::Compatible, "same argument or setter")
        .item(item.clone());
        cx.push(d);
    }
    // How it appears in Rust.
    if ro != rn {
        let d = match (ro, rn) {
            (ParamRole::Setter, ParamRole::Argument) => {
                Draft::new(&PARAM_BECAME_REQUIRED, at(), format!("parameter `{name}` of `{op_id}` became required"))
                    .wire(Compat::Breaking, "old clients may omit it")
                    .rust(Compat::Breaking, format!("setter `{}` becomes an argument of `Client::{}`", pn.rust_name, n.method_name))
            }
            (ParamRole::Argument, ParamRole::Setter) => {
                Draft::new(&PARAM_BECAME_OPTIONAL, at(), format!("parameter `{name}` of `{op_id}` became optional"))
                    .wire(Compat::Compatible, "")
                    .rust(Compat::Breaking, format!("argument `{}` of `Client::{}` becomes a setter", po.rust_name, n.method_name))
            }
            (_, ParamRole::Constant) => Draft::new(
                &PARAM_CONSTANT_CHANGED,
                at(),
                format!("parameter `{name}` of `{op_id}` became the constant `{}`", pn.constant.as_deref().unwrap_or_default()),
            )
            .wire(Compat::Breaking, "old clients may send other values")
            .rust(Compat::Breaking, format!("{} `{}` is gone", ro.describe(), po.rust_name)),
            (ParamRole::Constant, _) => Draft::new(
                &PARAM_CONSTANT_CHANGED,
                at(),
                format!("parameter `{name}` of `{op_id}` is no longer the constant `{}`", po.constant.as_deref().unwrap_or_default()),
            )
            .wire(Compat::Compatible, "old clients keep sending the old value")
            .rust(if rn == ParamRole::Setter { Compat::Compatible } else { Compat::Breaking }, format!("it becomes {}", rn.describe())),
            _ => Draft::new(
                &PARAM_CLIENT_SETTING_CHANGED,
                at(),
                format!("parameter `{name}` of `{op_id}` was {} and is now {}", ro.describe(), rn.describe()),
            )
            .wire(
                if po.required || !pn.required { Compat::Compatible } else { Compat::Breaking },
                if po.required || !pn.required { "" } else { "it became required" },
            )
            .rust(Compat::Breaking, "the value moves between the method and `Client::new`"),
        };
        cx.push(d.item(item.clone()));
    } else if ro == ParamRole::Constant && po.constant != pn.constant {
        let (a, b) = (po.constant.as_deref().unwrap_or_default(), pn.constant.as_deref().unwrap_or_default());
        if pn.wire_name.eq_ignore_ascii_case("api-version") {
            if cx.old.ir.version == cx.new.ir.version {
                let d = Draft::new(&API_VERSION_CHANGED, at(), format!("api-version sent by `{op_id}`: `{a}` → `{b}`"))
                    .wire(Compat::Compatible, "old clients keep sending the old version");
                cx.push(d);
            }
        } else {
            let d = Draft::new(&PARAM_CONSTANT_CHANGED, at(), format!("constant parameter `{name}` of `{op_id}`: `{a}` → `{b}`"))
                .wire(Compat::Breaking, "old clients send the old value")
                .rust(Compat::Compatible, "constants are not in the API");
            cx.push(d);
        }
    }
    if ro == ParamRole::Constant || rn == ParamRole::Constant {
        return;
    }
    // Type.
    let w = width(&cx.old.ir, &po.ty, &cx.new.ir, &pn.ty);
    let (ta, tb) = (argument_type(po), argument_type(pn));
    if w != Width::Same || ta != tb {
        let d = Draft::new(
            &PARAM_TYPE_CHANGED,
            at(),
            format!("parameter `{name}` of `{op_id}`: `{}` → `{}`", wire_type(&po.ty), wire_type(&pn.ty)),
        )
        .wire(w.verdict(Usage::REQUEST), format!("the new type {}", w.describe()))
        .item(item.clone());
        let d = if ta != tb && ro == rn && rn == ParamRole::ClientSetting {
            d.rust(Compat::Compatible, "reported once for `Client::new` as `client-setting-changed`")
        } else if ta != tb && ro == rn {
            d.rust(Compat::Breaking, format!("{} type `{ta}` → `{tb}`", rn.describe()))
        } else {
            d.rust(Compat::Compatible, format!("the Rust type stays `{tb}`"))
        };
        cx.push(d);
    }
    validation(cx, at(), name, op_id, &po.validation, &pn.validation);
    if po.default != pn.default {
        let show = |v: &Option<serde_json::Value>| v.as_ref().map(|v| format!("`{v}`")).unwrap_or_else(|| "none".to_owned());
        let d = Draft::new(
            &PARAM_DEFAULT_CHANGED,
            at(),
            format!("default of parameter `{name}` of `{op_id}`: {} → {}", show(&po.default), show(&pn.default)),
        )
        .wire(Compat::Risky, "callers that omit it get the new default");
        cx.push(d);
    }
    if po.encoding != pn.encoding {
        let d = Draft::new(
            &PARAM_ENCODING_CHANGED,
            at(),
            format!("serialization of parameter `{name}` of `{op_id}`: {} → {}", encoding_word(&po.encoding), encoding_word(&pn.encoding)),
        )
        .wire(Compat::Breaking, "old clients serialize it the old way");
        cx.push(d);
    }
    if po.rust_name != pn.rust_name && ro == rn && po.wire_name.eq_ignore_ascii_case(&pn.wire_name) {
        let d = Draft::new(
            &PARAM_RUST_NAME_CHANGED,
            at(),
            format!("Rust name of parameter `{name}` of `{op_id}`: `{}` → `{}`", po.rust_name, pn.rust_name),
        )
        .item(item);
        let d = match rn {
            ParamRole::Setter => d.rust(Compat::Breaking, format!("setter `{}` is now `{}`", po.rust_name, pn.rust_name)),
            ParamRole::ClientSetting => {
                d.rust(Compat::Breaking, format!("getter `Client::{}` is now `Client::{}`", po.rust_name, pn.rust_name))
            }
            _ => d.rust(Compat::Compatible, "only the argument's name changes"),
        };
        cx.push(d);
    }
}

fn encoding_word(e: &crate::ir::ParamEncoding) -> &'static str {
    use crate::ir::ParamEncoding::*;
    match e {
        Simple => "simple",
        ArmScope => "ARM scope (skip-url-encoding)",
        Unencoded => "unencoded (skip-url-encoding)",
        IndexedList => "indexed list (`Name.1=a&Name.2=b`)",
        Styled { style, explode, allow_reserved } => match (style, explode, allow_reserved) {
            (crate::ir::ParamStyle::Form, true, _) => "exploded form style (`a=1&a=2`)",
            (crate::ir::ParamStyle::Form, false, _) => "comma-separated form style (`a=1,2`)",
            (crate::ir::ParamStyle::Simple, _, _) => "simple style (comma-separated)",
            (crate::ir::ParamStyle::Label, _, _) => "label style (`.a`)",
            (crate::ir::ParamStyle::Matrix, _, _) => "matrix style (`;a=1`)",
            (crate::ir::ParamStyle::SpaceDelimited, _, _) => "space-delimited style",
            (crate::ir::ParamStyle::PipeDelimited, _, _) => "pipe-delimited style",
            (crate::ir::ParamStyle::DeepObject, _, _) => "deepObject style (`a[k]=v`)",
        },
        Json => "JSON text (content: application/json)",
    }
}

/// The type as the spec has it (format included), for messages.
fn wire_type(t: &TypeRef) -> String {
    match t {
        TypeRef::Prim(p) => format!("{p:?}").to_lowercase(),
        TypeRef::List(inner) => format!("array of {}", wire_type(inner)),
        TypeRef::Map(inner) => format!("map of {}", wire_type(inner)),
        TypeRef::Any => "any".to_owned(),
        TypeRef::Named(n) => n.clone(),
    }
}

fn validation(cx: &Cx<'_>, at: At, name: &str, op_id: &str, a: &Validation, b: &Validation) {
    if a.pattern != b.pattern {
        let (wire, why) = match (&a.pattern, &b.pattern) {
            (None, Some(_)) => (Compat::Breaking, "old clients may send values the pattern refuses"),
            (Some(_), None) => (Compat::Compatible, "every value is accepted"),
            _ => (Compat::Risky, "the new pattern may refuse values old clients send"),
        };
        let show = |p: &Option<String>| p.as_ref().map(|p| format!("`{p}`")).unwrap_or_else(|| "none".to_owned());
        let d = Draft::new(
            &PARAM_PATTERN_CHANGED,
            at.clone(),
            format!("pattern of parameter `{name}` of `{op_id}`: {} → {}", show(&a.pattern), show(&b.pattern)),
        )
        .wire(wire, why)
        .rust(Compat::Compatible, "validation only");
        cx.push(d);
    }
    let mut tightened = Vec::new();
    let mut loosened = Vec::new();
    let mut bound = |label: &str, old: Option<f64>, new: Option<f64>, is_min: bool| {
        if old == new {
            return;
        }
        let show = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_else(|| "none".to_owned());
        let text = format!("{label} {} → {}", show(old), show(new));
        let tighter = match (old, new) {
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (Some(x), Some(y)) => {
                if is_min {
                    y > x
                } else {
                    y < x
                }
            }
            (None, None) => false,
        };
        if tighter {
            tightened.push(text);
        } else {
            loosened.push(text);
        }
    };
    let f = |v: Option<usize>| v.map(|v| v as f64);
    bound("minLength", f(a.min_length), f(b.min_length), true);
    bound("maxLength", f(a.max_length), f(b.max_length), false);
    bound("minimum", a.minimum, b.minimum, true);
    bound("maximum", a.maximum, b.maximum, false);
    bound("minItems", f(a.min_items), f(b.min_items), true);
    bound("maxItems", f(a.max_items), f(b.max_items), false);
    if tightened.is_empty() && loosened.is_empty() {
        return;
    }
    let all: Vec<String> = tightened.iter().chain(&loosened).cloned().collect();
    let d = Draft::new(&PARAM_CONSTRAINT_CHANGED, at, format!("limits of parameter `{name}` of `{op_id}`: {}", all.join(", ")))
        .wire(
            if tightened.is_empty() { Compat::Compatible } else { Compat::Breaking },
            if tightened.is_empty() { "loosened" } else { "tightened: old clients may send values now refused" },
        )
        .rust(Compat::Compatible, "validation only");
    cx.push(d);
}

/// Required arguments that both versions have, in another relative order.
fn reorder(cx: &Cx<'_>, o: &OperationIr, n: &OperationIr, pairs: &[(usize, usize)]) {
    let mut common: Vec<(usize, usize)> = pairs
        .iter()
        .copied()
        .filter(|&(i, j)| ParamRole::of(&o.params[i]) == ParamRole::Argument && ParamRole::of(&n.params[j]) == ParamRole::Argument)
        .collect();
    common.sort_by_key(|&(i, _)| i);
    let old_order: Vec<usize> = common.iter().map(|&(_, j)| j).collect();
    let mut new_order = old_order.clone();
    new_order.sort_unstable();
    if old_order == new_order {
        return;
    }
    let names = |order: &[usize]| order.iter().map(|&j| n.params[j].rust_name.clone()).collect::<Vec<_>>().join(", ");
    let types: BTreeMap<usize, String> = common.iter().map(|&(_, j)| (j, argument_type(&n.params[j]))).collect();
    let same_types = old_order.iter().zip(&new_order).all(|(a, b)| types[a] == types[b]);
    let d = Draft::new(
        &PARAM_ARGUMENTS_REORDERED,
        At::New(n.origin.clone()),
        format!("arguments of `Client::{}`: ({}) → ({})", n.method_name, names(&old_order), names(&new_order)),
    )
    .rust(
        Compat::Breaking,
        if same_types {
            "the arguments have the same types: old calls compile and pass the values in the wrong places"
        } else {
            "old calls no longer compile"
        },
    )
    .item(format!("Client::{}", n.method_name));
    cx.push(d);
}

fn body(cx: &Cx<'_>, o: &OperationIr, n: &OperationIr) {
    let op_id = &n.operation_id;
    let method = &n.method_name;
    match (&o.body, &n.body) {
        (None, None) => {}
        (None, Some(b)) => {
            let d = Draft::new(
                &REQUEST_BODY_ADDED,
                child(cx, n, &["requestBody"]),
                format!("{} request body `{}` added to `{op_id}`", if b.required { "required" } else { "optional" }, rust_type(&b.ty)),
            )
            .item(format!("Client::{method}"));
            let d = if b.required {
                d.wire(Compat::Breaking, "old clients send no body")
                    .rust(Compat::Breaking, format!("`Client::{method}` gains the argument `body`"))
            } else {
                d.rust(Compat::Compatible, "new setter `body`")
            };
            cx.push(d);
        }
        (Some(b), None) => {
            let d = Draft::new(
                &REQUEST_BODY_REMOVED,
                At::Old(locate::child(&cx.old.spec.raw, &o.origin, &["requestBody"])),
                format!("request body `{}` of `{op_id}` removed", rust_type(&b.ty)),
            )
            .wire(Compat::Risky, "old clients still send one")
            .rust(Compat::Breaking, if b.required { "the `body` argument is gone" } else { "the `body` setter is gone" })
            .item(format!("Client::{method}"));
            cx.push(d);
        }
        (Some(a), Some(b)) => {
            let at = || child(cx, n, &["requestBody"]);
            if a.required != b.required {
                let d = Draft::new(
                    &REQUEST_BODY_REQUIRED_CHANGED,
                    at(),
                    format!("request body of `{op_id}` became {}", if b.required { "required" } else { "optional" }),
                )
                .wire(
                    if b.required { Compat::Breaking } else { Compat::Compatible },
                    if b.required { "old clients may send none" } else { "" },
                )
                .rust(
                    Compat::Breaking,
                    if b.required { "the `body` setter becomes an argument" } else { "the `body` argument becomes a setter" },
                )
                .item(format!("Client::{method}"));
                cx.push(d);
            }
            let w = width(&cx.old.ir, &a.ty, &cx.new.ir, &b.ty);
            let (ta, tb) = (rust_type(&a.ty), rust_type(&b.ty));
            if w != Width::Same || ta != tb {
                let d = Draft::new(&REQUEST_BODY_TYPE_CHANGED, at(), format!("request body of `{op_id}`: `{ta}` → `{tb}`"))
                    .wire(w.verdict(Usage::REQUEST), format!("the new type {}", w.describe()))
                    .rust(
                        if ta != tb { Compat::Breaking } else { Compat::Compatible },
                        if ta != tb { "the `body` type changes" } else { "" },
                    )
                    .item(format!("Client::{method}"));
                cx.push(d);
            }
            if a.content_type != b.content_type {
                let d = Draft::new(
                    &REQUEST_CONTENT_TYPE_CHANGED,
                    at(),
                    format!("request body media type of `{op_id}`: `{}` → `{}`", a.content_type, b.content_type),
                )
                .wire(Compat::Breaking, "old clients send the old Content-Type");
                cx.push(d);
            }
        }
    }
}

/// What `send()` hands back, in Rust: the response body (or the `Body` enum), or the final type
/// of the poller.
fn result_shape(op: &OperationIr) -> String {
    match &op.lro {
        Some(_) => format!("Poller<{}>", lro_final_type(op)),
        None => response_body(op).describe(),
    }
}

/// Headers of all success responses, merged by name, first declaration wins (mirrors
/// `codegen::operations::merged_headers`).
fn merged_headers(op: &OperationIr) -> Vec<(u16, HeaderIr)> {
    let mut out: Vec<(u16, HeaderIr)> = Vec::new();
    for r in &op.success {
        for h in &r.headers {
            if !out.iter().any(|(_, o)| o.wire_name.eq_ignore_ascii_case(&h.wire_name)) {
                out.push((r.status, h.clone()));
            }
        }
    }
    out
}

fn responses(cx: &Cx<'_>, o: &OperationIr, n: &OperationIr) {
    let op_id = &n.operation_id;
    let (shape_o, shape_n) = (result_shape(o), result_shape(n));
    // An LRO change is reported on its own (the whole result type changes).
    let lro_same = o.lro.is_some() == n.lro.is_some();
    let only_added_variants = match (&o.lro, &n.lro, response_body(o), response_body(n)) {
        (None, None, ResponseBody::PerStatus(a), ResponseBody::PerStatus(b)) => a.iter().all(|v| b.contains(v)),
        _ => false,
    };
    let body_rust = |d: Draft| {
        if lro_same && shape_o != shape_n && only_added_variants && shape::RESPONSE_BODY_ENUM_NON_EXHAUSTIVE {
            d.rust(Compat::Compatible, "the `#[non_exhaustive]` `Body` enum gains a variant")
        } else if lro_same && shape_o != shape_n {
            d.rust(Compat::Breaking, format!("the result changes from {shape_o} to {shape_n}"))
        } else {
            d.rust(Compat::Compatible, "")
        }
    };
    let item = format!("operations::{}::Response::body", n.method_name);
    for r in &n.success {
        match o.success.iter().find(|x| x.status == r.status) {
            None => {
                let d = Draft::new(
                    &RESPONSE_STATUS_ADDED,
                    At::New(locate::response(&cx.new.spec.raw, n, r.status)),
                    format!("`{op_id}` may answer {}", r.status),
                )
                .wire(Compat::Risky, format!("old clients report {} as an error", r.status))
                .item(item.clone());
                cx.push(body_rust(d));
            }
            Some(x) if x.body != r.body => {
                let w = match (&x.body, &r.body) {
                    (Some(a), Some(b)) => width(&cx.old.ir, a, &cx.new.ir, b),
                    (None, Some(_)) => Width::Same,
                    _ => Width::Incompatible,
                };
                let show = |t: &Option<TypeRef>| t.as_ref().map(rust_type).unwrap_or_else(|| "no body".to_owned());
                let d = Draft::new(
                    &RESPONSE_BODY_TYPE_CHANGED,
                    At::New(locate::response(&cx.new.spec.raw, n, r.status)),
                    format!("{} body of `{op_id}`: `{}` → `{}`", r.status, show(&x.body), show(&r.body)),
                )
                .wire(
                    w.verdict(Usage::RESPONSE),
                    if x.body.is_some() && r.body.is_none() {
                        "old clients expect a body".to_owned()
                    } else {
                        format!("the new type {}", w.describe())
                    },
                )
                .item(item.clone());
                cx.push(body_rust(d));
            }
            Some(_) => {}
        }
    }
    for x in &o.success {
        if !n.success.iter().any(|r| r.status == x.status) {
            let d = Draft::new(
                &RESPONSE_STATUS_REMOVED,
                At::Old(locate::response(&cx.old.spec.raw, o, x.status)),
                format!("`{op_id}` no longer answers {}", x.status),
            )
            .item(item.clone());
            cx.push(body_rust(d));
        }
    }
    // Headers (only non-LRO operations have a `Headers` struct).
    let (ho, hn) = (merged_headers(o), merged_headers(n));
    let has_struct = |op: &OperationIr| op.lro.is_none();
    for (status, h) in &hn {
        match ho.iter().find(|(_, x)| x.wire_name.eq_ignore_ascii_case(&h.wire_name)) {
            None => {
                let d = Draft::new(
                    &RESPONSE_HEADER_ADDED,
                    At::New(locate::header(&cx.new.spec.raw, n, *status, &h.wire_name)),
                    format!("response header `{}` of `{op_id}` added", h.wire_name),
                )
                .rust(
                    if has_struct(o) && has_struct(n) && !shape::RESPONSES_NON_EXHAUSTIVE { Compat::Breaking } else { Compat::Compatible },
                    if has_struct(n) {
                        format!("new field `Headers::{}` (`Headers` is `#[non_exhaustive]`)", h.rust_name)
                    } else {
                        String::new()
                    },
                )
                .item(format!("operations::{}::Headers::{}", n.method_name, h.rust_name));
                cx.push(d);
            }
            Some((_, x)) => {
                let (ta, tb) = (header_type(&cx.old.ir, &x.ty), header_type(&cx.new.ir, &h.ty));
                let w = width(&cx.old.ir, &x.ty, &cx.new.ir, &h.ty);
                if ta != tb || w != Width::Same || x.rust_name != h.rust_name {
                    let d = Draft::new(
                        &RESPONSE_HEADER_TYPE_CHANGED,
                        At::New(locate::header(&cx.new.spec.raw, n, *status, &h.wire_name)),
                        format!("response header `{}` of `{op_id}`: `{}` → `{}`", h.wire_name, wire_type(&x.ty), wire_type(&h.ty)),
                    )
                    .wire(
                        if w.verdict(Usage::RESPONSE) == Compat::Compatible { Compat::Compatible } else { Compat::Risky },
                        "old clients read `None` when a value does not parse",
                    )
                    .item(format!("operations::{}::Headers::{}", n.method_name, h.rust_name));
                    let d = if (ta != tb || x.rust_name != h.rust_name) && has_struct(o) && has_struct(n) {
                        d.rust(Compat::Breaking, format!("`Headers::{}: {ta}` → `Headers::{}: {tb}`", x.rust_name, h.rust_name))
                    } else {
                        d
                    };
                    cx.push(d);
                }
            }
        }
    }
    for (status, x) in &ho {
        if !hn.iter().any(|(_, h)| h.wire_name.eq_ignore_ascii_case(&x.wire_name)) {
            let d = Draft::new(
                &RESPONSE_HEADER_REMOVED,
                At::Old(locate::header(&cx.old.spec.raw, o, *status, &x.wire_name)),
                format!("response header `{}` of `{op_id}` removed", x.wire_name),
            )
            .wire(Compat::Risky, "old clients read `None`")
            .item(format!("operations::{}::Headers::{}", n.method_name, x.rust_name));
            let d = if has_struct(o) && has_struct(n) {
                d.rust(Compat::Breaking, format!("field `Headers::{}` is gone", x.rust_name))
            } else {
                d
            };
            cx.push(d);
        }
    }
    // Error model.
    if o.error_type != n.error_type {
        let show = |t: &Option<TypeRef>| t.as_ref().map(rust_type).unwrap_or_else(|| "serde_json::Value".to_owned());
        let (a, b) = (show(&o.error_type), show(&n.error_type));
        let w = match (&o.error_type, &n.error_type) {
            (Some(a), Some(b)) => width(&cx.old.ir, a, &cx.new.ir, b),
            _ => Width::Incompatible,
        };
        let wire = if w.verdict(Usage::RESPONSE) == Compat::Compatible { Compat::Compatible } else { Compat::Risky };
        let d =
            Draft::new(&ERROR_TYPE_CHANGED, child(cx, n, &["responses", "default"]), format!("error model of `{op_id}`: `{a}` → `{b}`"))
                .wire(
                    wire,
                    if wire == Compat::Compatible { "same shape" } else { "old clients keep the raw body when an error no longer decodes" },
                )
                .rust(
                    if a != b { Compat::Breaking } else { Compat::Compatible },
                    if a != b { format!("`send()` returns `Error<{b}>` instead of `Error<{a}>`") } else { String::new() },
                )
                .item(format!("Client::{}", n.method_name));
        cx.push(d);
    }
}

fn lro(cx: &Cx<'_>, o: &OperationIr, n: &OperationIr) {
    let op_id = &n.operation_id;
    let method = &n.method_name;
    let at = || child(cx, n, &["x-ms-long-running-operation"]);
    match (&o.lro, &n.lro) {
        (None, None) => {}
        (None, Some(_)) => {
            let d = Draft::new(&LRO_ADDED, at(), format!("`{op_id}` became long-running"))
                .wire(Compat::Breaking, "old clients take the first response as the result")
                .rust(
                    Compat::Breaking,
                    format!("`send()` returns `{}` instead of `Response` (`operations::{method}::Response` is gone)", result_shape(n)),
                )
                .item(format!("operations::{method}::RequestBuilder::send"));
            cx.push(d);
        }
        (Some(_), None) => {
            let d = Draft::new(
                &LRO_REMOVED,
                At::Old(locate::child(&cx.old.spec.raw, &o.origin, &["x-ms-long-running-operation"])),
                format!("`{op_id}` is no longer long-running"),
            )
            .wire(Compat::Risky, "old clients try to poll a final response")
            .rust(
                Compat::Breaking,
                format!("`send()` returns `Response` instead of `{}`; `operations::{method}::resume` is gone", result_shape(o)),
            )
            .item(format!("operations::{method}::RequestBuilder::send"));
            cx.push(d);
        }
        (Some(LroIr::Azure { final_state_via: a }), Some(LroIr::Azure { final_state_via: b })) if a != b => {
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "default".to_owned());
            let d = Draft::new(
                &LRO_FINAL_STATE_CHANGED,
                child(cx, n, &["x-ms-long-running-operation-options"]),
                format!("final-state-via of `{op_id}`: `{}` → `{}`", show(a), show(b)),
            )
            .wire(Compat::Risky, "old clients fetch the final result from the old place");
            cx.push(d);
        }
        (Some(a), Some(b)) if a != b => {
            let d = Draft::new(&LRO_POLLING_CHANGED, child(cx, n, &["x-restsmith-lro"]), format!("polling of `{op_id}` changed"))
                .wire(Compat::Risky, "old clients poll the old way");
            cx.push(d);
        }
        _ => {}
    }
}

fn paging(cx: &Cx<'_>, o: &OperationIr, n: &OperationIr) {
    let op_id = &n.operation_id;
    let method = &n.method_name;
    let at = || child(cx, n, &["x-ms-pageable"]);
    match (&o.pageable, &n.pageable) {
        (None, Some(_)) => {
            let d = Draft::new(&PAGINATION_ADDED, at(), format!("`{op_id}` became pageable"))
                .wire(Compat::Risky, "old clients read the first page only")
                .rust(Compat::Compatible, "new `into_stream()`")
                .item(format!("operations::{method}::RequestBuilder::into_stream"));
            cx.push(d);
        }
        (Some(_), None) => {
            let d = Draft::new(
                &PAGINATION_REMOVED,
                At::Old(locate::child(&cx.old.spec.raw, &o.origin, &["x-ms-pageable"])),
                format!("`{op_id}` is no longer pageable"),
            )
            .wire(Compat::Compatible, "old pagers stop after the only page")
            .rust(if o.lro.is_none() { Compat::Breaking } else { Compat::Compatible }, "`into_stream()` is gone")
            .item(format!("operations::{method}::RequestBuilder::into_stream"));
            cx.push(d);
        }
        (Some(a), Some(b)) if a != b => {
            let show = |p: &crate::ir::PageableIr| {
                format!("items `{}`, next link `{}`", p.item_field, p.next_link_field.as_deref().unwrap_or("none"))
            };
            let d = Draft::new(&PAGINATION_CHANGED, at(), format!("paging of `{op_id}`: {} → {}", show(a), show(b)))
                .wire(Compat::Breaking, "old pagers read the old properties");
            cx.push(d);
        }
        _ => {}
    }
}

/// The crate-wide `Error` alias follows the most common error model (mirrors
/// `codegen::operations::crate_error_body`).
fn crate_error_body(ir: &ApiIr) -> Option<TypeRef> {
    let mut counts = BTreeMap::<&TypeRef, usize>::new();
    for op in &ir.operations {
        if let Some(t) = &op.error_type {
            *counts.entry(t).or_default() += 1;
        }
    }
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))).map(|(t, _)| t.clone())
}

fn crate_error(cx: &Cx<'_>) {
    let show = |t: Option<TypeRef>| t.as_ref().map(rust_type).unwrap_or_else(|| "serde_json::Value".to_owned());
    let (a, b) = (show(crate_error_body(&cx.old.ir)), show(crate_error_body(&cx.new.ir)));
    if a != b {
        let at = match crate_error_body(&cx.new.ir) {
            Some(TypeRef::Named(n)) => cx.new.ir.type_def(&n).map(|t| t.origin.clone()).unwrap_or_default(),
            _ => String::new(),
        };
        let d = Draft::new(&ERROR_TYPE_CHANGED, At::New(at), format!("the crate's `Error` type: `Error<{a}>` → `Error<{b}>`"))
            .wire(Compat::Compatible, "")
            .rust(Compat::Breaking, "the `Error` alias changes")
            .item("Error");
        cx.push(d);
    }
}
