//! API-wide changes: api-version, envelope, servers, security schemes, client settings.

use super::rules::*;
use super::shape::{argument_type, rust_type};
use super::{At, Compat, Cx, Draft};
use crate::error::escape_pointer_token;
use crate::ir::{SecurityKind, SecuritySchemeIr, ServerIr};

pub fn compare(cx: &Cx<'_>) {
    api_version(cx);
    envelope(cx);
    servers(cx);
    security(cx);
    client_settings(cx);
}

fn api_version(cx: &Cx<'_>) {
    let (old, new) = (&cx.old.ir.version, &cx.new.ir.version);
    if old != new {
        let d = Draft::new(&API_VERSION_CHANGED, At::New("/info/version".into()), format!("api-version `{old}` → `{new}`"))
            .wire(Compat::Compatible, "old clients keep sending the old version")
            .rust(Compat::Compatible, "");
        cx.push(d);
    }
}

fn envelope(cx: &Cx<'_>) {
    let (old, new) = (&cx.old.ir.envelope, &cx.new.ir.envelope);
    if old != new {
        let describe = |e: &Option<crate::ir::EnvelopeIr>| match e {
            Some(e) => format!("result `{}`, error `{}`", e.result, e.error),
            None => "none".to_owned(),
        };
        let at = if new.is_some() { At::New("/x-restsmith-envelope".into()) } else { At::Old("/x-restsmith-envelope".into()) };
        let d = Draft::new(&ENVELOPE_CHANGED, at, format!("response envelope: {} → {}", describe(old), describe(new)))
            .wire(Compat::Breaking, "old clients unwrap bodies the old way")
            .rust(Compat::Compatible, "");
        cx.push(d);
    }
}

fn default_endpoint(s: &ServerIr) -> Option<String> {
    let mut url = s.url.clone();
    for v in &s.variables {
        url = url.replace(&format!("{{{}}}", v.name), &v.default);
    }
    (!url.contains('{') && url.contains("://")).then_some(url)
}

/// Whether codegen emits `Client::endpoint_from` for this server.
fn has_endpoint_from(s: &ServerIr) -> bool {
    !s.variables.is_empty() && !s.variables.iter().all(|v| v.is_whole_url)
}

fn servers(cx: &Cx<'_>) {
    let (old, new) = (&cx.old.ir.servers, &cx.new.ir.servers);
    match (old.first(), new.first()) {
        (Some(o), Some(n)) => {
            let (od, nd) = (default_endpoint(o), default_endpoint(n));
            if o.url != n.url || od != nd {
                let mut d =
                    Draft::new(&SERVER_URL_CHANGED, At::New("/servers/0/url".into()), format!("default server `{}` → `{}`", o.url, n.url))
                        .wire(Compat::Risky, "old clients use the old URL unless given another endpoint")
                        .item("Client::DEFAULT_ENDPOINT");
                d = match (&od, &nd) {
                    (Some(_), None) => d.rust(Compat::Breaking, "`Client::DEFAULT_ENDPOINT` is gone (the new URL has no complete default)"),
                    (None, Some(_)) => d.rust(Compat::Compatible, "`Client::DEFAULT_ENDPOINT` is new"),
                    _ => d.rust(Compat::Compatible, "only the value of `Client::DEFAULT_ENDPOINT` changes"),
                };
                cx.push(d);
            }
            server_variables(cx, o, n);
        }
        (None, Some(_)) | (Some(_), None) => {
            let at = if new.is_empty() { At::Old("/servers".into()) } else { At::New("/servers".into()) };
            let d = Draft::new(&SERVER_URL_CHANGED, at, format!("servers: {} → {}", old.len(), new.len()))
                .wire(Compat::Risky, "the default endpoint changes")
                .rust(
                    if old.first().and_then(default_endpoint).is_some() { Compat::Breaking } else { Compat::Compatible },
                    "`Client::DEFAULT_ENDPOINT` depends on the first server",
                );
            cx.push(d);
        }
        (None, None) => {}
    }
    // Alternatives: every server after the first, by URL.
    for (i, s) in old.iter().enumerate().skip(1) {
        if !new.iter().skip(1).any(|n| n.url == s.url) {
            let d = Draft::new(&SERVER_LIST_CHANGED, At::Old(format!("/servers/{i}")), format!("alternative server `{}` removed", s.url))
                .wire(Compat::Risky, "clients configured with it lose their endpoint");
            cx.push(d);
        }
    }
    for (i, s) in new.iter().enumerate().skip(1) {
        if !old.iter().skip(1).any(|o| o.url == s.url) {
            let d = Draft::new(&SERVER_LIST_CHANGED, At::New(format!("/servers/{i}")), format!("alternative server `{}` added", s.url));
            cx.push(d);
        }
    }
}

fn server_variables(cx: &Cx<'_>, old: &ServerIr, new: &ServerIr) {
    let (had, has) = (has_endpoint_from(old), has_endpoint_from(new));
    let var_at = |name: &str| format!("/servers/0/variables/{}", escape_pointer_token(name));
    for v in &new.variables {
        if !old.variables.iter().any(|o| o.name == v.name) {
            let d = Draft::new(
                &SERVER_VARIABLE_ADDED,
                At::New(var_at(&v.name)),
                format!("server variable `{{{}}}` added (default `{}`)", v.name, v.default),
            )
            .wire(Compat::Compatible, "its default is used")
            .item("Client::endpoint_from");
            let d = if had {
                d.rust(Compat::Breaking, format!("`Client::endpoint_from` gains the argument `{}`", v.rust_name))
            } else if has {
                d.rust(Compat::Compatible, "`Client::endpoint_from` is new")
            } else {
                d
            };
            cx.push(d);
        }
    }
    for v in &old.variables {
        match new.variables.iter().find(|n| n.name == v.name) {
            None => {
                let d = Draft::new(&SERVER_VARIABLE_REMOVED, At::Old(var_at(&v.name)), format!("server variable `{{{}}}` removed", v.name))
                    .wire(Compat::Risky, "old clients may address a host the service no longer uses")
                    .item("Client::endpoint_from");
                let d =
                    if had { d.rust(Compat::Breaking, format!("`Client::endpoint_from` loses the argument `{}`", v.rust_name)) } else { d };
                cx.push(d);
            }
            Some(n) => {
                if n.default != v.default || n.allowed != v.allowed {
                    let narrowed = !v.allowed.is_empty() && !n.allowed.is_empty() && v.allowed.iter().any(|a| !n.allowed.contains(a))
                        || (v.allowed.is_empty() && !n.allowed.is_empty());
                    let mut parts = Vec::new();
                    if n.default != v.default {
                        parts.push(format!("default `{}` → `{}`", v.default, n.default));
                    }
                    if n.allowed != v.allowed {
                        parts.push(format!("allowed values [{}] → [{}]", v.allowed.join(", "), n.allowed.join(", ")));
                    }
                    let d = Draft::new(
                        &SERVER_VARIABLE_CHANGED,
                        At::New(var_at(&n.name)),
                        format!("server variable `{{{}}}`: {}", n.name, parts.join("; ")),
                    )
                    .wire(
                        Compat::Risky,
                        if narrowed { "old clients may use a value no longer allowed" } else { "old clients default to the old value" },
                    );
                    cx.push(d);
                }
            }
        }
    }
}

fn kind_word(k: &SecurityKind) -> String {
    match k {
        SecurityKind::OAuth2 { .. } => "OAuth2".into(),
        SecurityKind::Bearer => "HTTP bearer".into(),
        SecurityKind::ApiKey { location, name } => format!("API key in {} `{name}`", super::operations::location_word(*location)),
        SecurityKind::Signer(s) => format!("signer {s:?}"),
        SecurityKind::Basic => "HTTP basic".into(),
    }
}

/// The signature of the `auth::` constructor codegen emits for a scheme kind.
fn constructor_signature(k: &SecurityKind) -> &'static str {
    match k {
        SecurityKind::OAuth2 { .. } | SecurityKind::Bearer => "fn(token) -> BearerToken",
        SecurityKind::ApiKey { .. } => "fn(key) -> ApiKey",
        SecurityKind::Signer(crate::ir::SignerKind::VolcengineV4 { .. }) => {
            "fn(access_key_id, secret_access_key, region) -> VolcengineSigner"
        }
        SecurityKind::Signer(crate::ir::SignerKind::AzureBatchSharedKey) => "fn(account, key_base64) -> Result<SharedKeySigner>",
        SecurityKind::Basic => "fn(user, password) -> BasicAuth",
    }
}

fn security(cx: &Cx<'_>) {
    let at = |s: &SecuritySchemeIr| format!("/components/securitySchemes/{}", escape_pointer_token(&s.name));
    let (old, new) = (&cx.old.ir.security, &cx.new.ir.security);
    for s in old {
        match new.iter().find(|n| n.name == s.name) {
            None => {
                let d = Draft::new(
                    &SECURITY_SCHEME_REMOVED,
                    At::Old(at(s)),
                    format!("security scheme `{}` ({}) removed", s.name, kind_word(&s.kind)),
                )
                .wire(Compat::Breaking, "old clients authenticate with it")
                .rust(Compat::Breaking, format!("`auth::{}` is gone", s.rust_name))
                .item(format!("auth::{}", s.rust_name));
                cx.push(d);
            }
            Some(n) if n.kind != s.kind || n.rust_name != s.rust_name => {
                let only_scopes_added = match (&s.kind, &n.kind) {
                    (SecurityKind::OAuth2 { scopes: a, .. }, SecurityKind::OAuth2 { scopes: b, .. }) => a.iter().all(|x| b.contains(x)),
                    _ => false,
                };
                let message = match (&s.kind, &n.kind) {
                    (SecurityKind::OAuth2 { scopes: a, .. }, SecurityKind::OAuth2 { scopes: b, .. }) if a != b => {
                        format!("security scheme `{}`: scopes [{}] → [{}]", n.name, a.join(", "), b.join(", "))
                    }
                    _ => format!("security scheme `{}`: {} → {}", n.name, kind_word(&s.kind), kind_word(&n.kind)),
                };
                let d = Draft::new(&SECURITY_SCHEME_CHANGED, At::New(at(n)), message).item(format!("auth::{}", n.rust_name)).wire(
                    if only_scopes_added { Compat::Risky } else { Compat::Breaking },
                    if only_scopes_added {
                        "tokens obtained for the old scopes may not be enough"
                    } else {
                        "old clients send credentials the old way"
                    },
                );
                let d = if n.rust_name != s.rust_name {
                    d.rust(Compat::Breaking, format!("`auth::{}` is now `auth::{}`", s.rust_name, n.rust_name))
                } else if constructor_signature(&s.kind) != constructor_signature(&n.kind) {
                    d.rust(Compat::Breaking, format!("`auth::{}` changes signature", n.rust_name))
                } else {
                    d.rust(Compat::Compatible, format!("`auth::{}` keeps its signature", n.rust_name))
                };
                cx.push(d);
            }
            Some(_) => {}
        }
    }
    for n in new {
        if !old.iter().any(|s| s.name == n.name) {
            let d =
                Draft::new(&SECURITY_SCHEME_ADDED, At::New(at(n)), format!("security scheme `{}` ({}) added", n.name, kind_word(&n.kind)))
                    .wire(
                        if old.is_empty() { Compat::Breaking } else { Compat::Compatible },
                        if old.is_empty() { "old clients send no credentials" } else { "old clients keep using the old schemes" },
                    )
                    .rust(Compat::Compatible, format!("new `auth::{}`", n.rust_name))
                    .item(format!("auth::{}", n.rust_name));
            cx.push(d);
        }
    }
}

fn client_settings(cx: &Cx<'_>) {
    let (old, new) = (&cx.old.ir.client_settings, &cx.new.ir.client_settings);
    let first_use = |ir: &crate::ir::ApiIr, name: &str| {
        ir.operations
            .iter()
            .find(|o| o.params.iter().any(|p| p.client_setting && p.rust_name == name))
            .map(|o| o.origin.clone())
            .unwrap_or_default()
    };
    for s in new {
        match old.iter().find(|o| o.rust_name == s.rust_name) {
            None => {
                let d = Draft::new(
                    &CLIENT_SETTING_ADDED,
                    At::New(first_use(&cx.new.ir, &s.rust_name)),
                    format!("client setting `{}` added", s.wire_name),
                )
                .rust(Compat::Breaking, format!("`Client::new` and `Client::with_options` gain the argument `{}`", s.rust_name))
                .item("Client::new");
                cx.push(d);
            }
            Some(o) if argument_type(o) != argument_type(s) => {
                let d = Draft::new(
                    &CLIENT_SETTING_CHANGED,
                    At::New(first_use(&cx.new.ir, &s.rust_name)),
                    format!("client setting `{}`: `{}` → `{}`", s.wire_name, rust_type(&o.ty), rust_type(&s.ty)),
                )
                .rust(Compat::Breaking, format!("the `{}` argument of `Client::new` changes type", s.rust_name))
                .item("Client::new");
                cx.push(d);
            }
            Some(_) => {}
        }
    }
    for o in old {
        if !new.iter().any(|s| s.rust_name == o.rust_name) {
            let d = Draft::new(
                &CLIENT_SETTING_REMOVED,
                At::Old(first_use(&cx.old.ir, &o.rust_name)),
                format!("client setting `{}` removed", o.wire_name),
            )
            .rust(Compat::Breaking, format!("`Client::new` loses the argument `{}`; `Client::{}()` is gone", o.rust_name, o.rust_name))
            .item("Client::new");
            cx.push(d);
        }
    }
}
