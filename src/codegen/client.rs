//! `client.rs`: the `Client` struct, its constructors and one method per operation; and
//! `auth.rs`: a credential constructor per security scheme.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{argument_type, param_doc};
use super::rust::{ident, lines_to_doc, sanitize_doc, type_tokens};
use crate::ir::{ApiIr, OperationIr, ParamLocation, SecurityKind, SignerKind};

/// Tokens of the client module.
pub fn client_file(ir: &ApiIr, plan: Option<&super::features::FeaturePlan>) -> TokenStream {
    let mut lines = sanitize_doc(&format!("Client for {} (version {}).", ir.title, ir.version));
    lines.push(String::new());
    lines.push("Create it with [`Client::new`] from an endpoint and a credential (see [`auth`](super::auth)); every operation is a method returning a request builder that you `.await`.".into());
    let doc = lines_to_doc(&lines);
    let endpoint_items = endpoint_items(ir);
    let client_request_id = match &ir.client_request_id_header {
        Some(h) => quote!(let options = options.client_request_id_header(#h);),
        None => TokenStream::new(),
    };
    let methods = ir.operations.iter().map(|op| {
        let method = operation_method(ir, op);
        let cfg = plan.map(|p| p.operation_cfg(&op.method_name)).unwrap_or_default();
        quote!(#cfg #method)
    });
    let core_accessor = (!ir.operations.is_empty()).then(|| {
        quote! {
            pub(crate) fn core(&self) -> &::restsmith_runtime::ClientCore {
                &self.core
            }
        }
    });
    let settings = &ir.client_settings;
    let setting_fields = settings.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, &quote!(super::models::));
        quote!(pub(crate) #name: #ty,)
    });
    let setting_args: Vec<TokenStream> = settings
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = argument_type(p, &quote!(super::models::));
            quote!(#name: #ty,)
        })
        .collect();
    let setting_pass: Vec<TokenStream> = settings.iter().map(|p| { let n = ident(&p.rust_name); quote!(#n,) }).collect();
    let setting_inits = settings.iter().map(|p| {
        let name = ident(&p.rust_name);
        super::operations::field_init(p, &name)
    });
    let setting_getters = settings.iter().map(|p| {
        let name = ident(&p.rust_name);
        let ty = type_tokens(&p.ty, &quote!(super::models::));
        let mut lines = vec![format!("The client setting `{}` sent with every operation that uses it.", p.wire_name)];
        let spec = param_doc(p);
        if !spec.is_empty() {
            lines.push(String::new());
            lines.extend(spec);
        }
        let doc = lines_to_doc(&lines);
        quote!(#doc pub fn #name(&self) -> &#ty { &self.#name })
    });
    let settings_doc = if settings.is_empty() {
        String::new()
    } else {
        format!(
            " Client settings: {}.",
            settings.iter().map(|p| format!("`{}` (`{}`)", p.rust_name, p.wire_name)).collect::<Vec<_>>().join(", ")
        )
    };
    let new_doc = format!(" Creates a client for `endpoint` that authenticates with `credential`.{settings_doc}");
    let with_options_doc = format!(" Creates a client with explicit options (retries, timeouts, a preconfigured `reqwest::Client`, …); `credential` may be `None` for unauthenticated use.{settings_doc}");
    quote! {

        #doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct Client {
            core: ::restsmith_runtime::ClientCore,
            #(#setting_fields)*
        }

        impl Client {
            #endpoint_items

            #[doc = #new_doc]
            pub fn new(endpoint: &str, credential: impl ::restsmith_runtime::auth::Credential + 'static, #(#setting_args)*) -> Result<Self, super::Error> {
                Self::with_options(endpoint, Some(::std::sync::Arc::new(credential)), #(#setting_pass)* ::restsmith_runtime::ClientOptions::default())
            }

            #[doc = #with_options_doc]
            pub fn with_options(
                endpoint: &str,
                credential: Option<::std::sync::Arc<dyn ::restsmith_runtime::auth::Credential>>,
                #(#setting_args)*
                options: ::restsmith_runtime::ClientOptions,
            ) -> Result<Self, super::Error> {
                #client_request_id
                let core = ::restsmith_runtime::ClientCore::new(endpoint, credential, options, env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
                    .map_err(::restsmith_runtime::Error::into_body_type)?;
                Ok(Self { core, #(#setting_inits)* })
            }

            #(#setting_getters)*

            /// The endpoint requests are sent to.
            pub fn endpoint(&self) -> &::restsmith_runtime::url::Url {
                self.core.endpoint()
            }

            #core_accessor

            #(#methods)*
        }
    }
}

/// `DEFAULT_ENDPOINT` and, when the server URL has variables, `endpoint_from(...)`.
fn endpoint_items(ir: &ApiIr) -> TokenStream {
    let Some(server) = ir.servers.first() else { return TokenStream::new() };
    let mut default = server.url.clone();
    for v in &server.variables {
        default = default.replace(&format!("{{{}}}", v.name), &v.default);
    }
    let all_defaulted = server.variables.iter().all(|v| !v.default.is_empty());
    let default_item = (all_defaulted && !default.contains('{') && default.contains("://")).then(|| {
        let doc = format!(" The default endpoint: `{default}`.");
        quote! {
            #[doc = #doc]
            pub const DEFAULT_ENDPOINT: &'static str = #default;
        }
    });
    let builder = (!server.variables.is_empty() && !server.variables.iter().all(|v| v.is_whole_url)).then(|| {
        let args = server.variables.iter().map(|v| {
            let name = ident(&v.rust_name);
            quote!(#name: &str)
        });
        let mut format_string = server.url.clone();
        for v in &server.variables {
            format_string = format_string.replace(&format!("{{{}}}", v.name), &format!("{{{}}}", v.rust_name));
        }
        let mut lines = vec![format!("The endpoint `{}` with its variables filled in.", server.url), String::new()];
        for v in &server.variables {
            let description = sanitize_doc(v.description.as_deref().unwrap_or_default()).join(" ");
            let mut line = format!("- `{}`: {description}", v.rust_name);
            if !v.allowed.is_empty() {
                line.push_str(&format!(" (one of {})", v.allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")));
            }
            line.push_str(&format!(" (default `{}`)", v.default));
            lines.push(line);
        }
        let doc = lines_to_doc(&lines);
        quote! {
            #doc
            pub fn endpoint_from(#(#args),*) -> String {
                format!(#format_string)
            }
        }
    });
    quote!(#default_item #builder)
}

pub(super) fn operation_method(ir: &ApiIr, op: &OperationIr) -> TokenStream {
    let name = ident(&op.method_name);
    let module = ident(&op.method_name);
    let mut spec_text = String::new();
    if let Some(summary) = &op.summary {
        spec_text.push_str(summary.trim());
        spec_text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        if Some(description.trim()) != op.summary.as_deref().map(str::trim) {
            spec_text.push_str(description.trim());
        }
    }
    let mut lines = sanitize_doc(&spec_text);
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("`{} {}` (operationId `{}`).", op.http_method, op.path.template, op.operation_id));
    let required: Vec<_> = op.required_args().collect();
    if !required.is_empty() || op.body.as_ref().is_some_and(|b| b.required) {
        lines.push(String::new());
        lines.push("Arguments:".into());
        for p in &required {
            let first = param_doc(p).first().cloned().unwrap_or_default();
            lines.push(format!("- `{}` ({} `{}`): {first}", p.rust_name, location_word(p.location), p.wire_name));
        }
        if let Some(b) = op.body.as_ref().filter(|b| b.required) {
            let first = b.doc.as_deref().map(sanitize_doc).and_then(|l| l.first().cloned()).unwrap_or_else(|| "the request body.".into());
            lines.push(format!("- `body`: {first}"));
            if b.others.is_empty() && matches!(b.kind, crate::ir::BodyKind::Binary) {
                lines.push("  Bytes, or a stream from [`Binary::from_file`](restsmith_runtime::Binary::from_file) / [`Binary::from_stream`](restsmith_runtime::Binary::from_stream) (sent once, never retried).".into());
            }
        }
    }
    let doc = lines_to_doc(&lines);
    let args = required.iter().map(|p| {
        let n = ident(&p.rust_name);
        let t = argument_type(p, &quote!(super::models::));
        quote!(#n: #t)
    });
    let body_arg = match op.body.as_ref().filter(|b| b.required) {
        Some(b) => {
            let t = if !b.others.is_empty() {
                quote!(super::operations::#module::Body)
            } else {
                match b.kind {
                    crate::ir::BodyKind::Binary => quote!(impl ::std::convert::Into<::restsmith_runtime::Binary>),
                    crate::ir::BodyKind::Text => quote!(impl ::std::convert::Into<String>),
                    _ => type_tokens(&b.ty, &quote!(super::models::)),
                }
            };
            quote!(body: #t)
        }
        None => TokenStream::new(),
    };
    let all_args: Vec<TokenStream> = args.chain((!body_arg.is_empty()).then_some(body_arg)).collect();
    let inits = super::operations::builder_inits(ir, op);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated(note = "deprecated in the API description")]));
    let too_many = (all_args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #deprecated
        #too_many
        #[inline]
        pub fn #name(&self, #(#all_args),*) -> super::operations::#module::RequestBuilder<'_> {
            super::operations::#module::RequestBuilder { client: self, #(#inits)* }
        }
    }
}

fn location_word(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// Tokens of the auth module: one constructor per security scheme.
pub fn auth_file(ir: &ApiIr) -> TokenStream {
    let items = ir.security.iter().map(|s| {
        let name = ident(&s.rust_name);
        let scheme = &s.name;
        let base_doc = s.doc.clone().unwrap_or_default();
        match &s.kind {
            SecurityKind::OAuth2 { scopes, default_scopes } => {
                let doc = scheme_doc(
                    &format!("Security scheme `{scheme}` (OAuth2): bearer tokens from `credential` (e.g. `restsmith_runtime::auth::ClientSecretCredential` for Microsoft Entra ID) for the default scopes; tokens are cached and refreshed before they expire."),
                    &base_doc,
                    &format!(
                        "Default scopes: {}. Spec scopes: {}. Use `restsmith_runtime::auth::OAuth2Bearer::new` for other scopes (sovereign clouds).",
                        default_scopes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                        scopes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                    ),
                );
                let consts = ident(&format!("{}_SCOPES", s.rust_name.to_uppercase()));
                let token_fn = ident(&format!("{}_token", s.rust_name));
                let const_doc = format!(" The scopes `{}` requests tokens for.", s.rust_name);
                let token_doc = format!(" Security scheme `{scheme}` with a fixed bearer token (obtained elsewhere, or for tests).");
                quote! {
                    #[doc = #const_doc]
                    pub const #consts: &[&str] = &[#(#default_scopes),*];
                    #doc
                    pub fn #name(credential: impl ::restsmith_runtime::auth::TokenCredential + 'static) -> ::restsmith_runtime::auth::OAuth2Bearer {
                        ::restsmith_runtime::auth::OAuth2Bearer::new(::std::sync::Arc::new(credential), #consts.iter().copied())
                    }
                    #[doc = #token_doc]
                    pub fn #token_fn(token: impl ::std::convert::Into<String>) -> ::restsmith_runtime::auth::BearerToken {
                        ::restsmith_runtime::auth::BearerToken::new(token)
                    }
                }
            }
            SecurityKind::Bearer => {
                let doc = scheme_doc(&format!("Security scheme `{scheme}`: a static bearer token."), &base_doc, "");
                quote! {
                    #doc
                    pub fn #name(token: impl ::std::convert::Into<String>) -> ::restsmith_runtime::auth::BearerToken {
                        ::restsmith_runtime::auth::BearerToken::new(token)
                    }
                }
            }
            SecurityKind::ApiKey { location, name: key_name } => {
                let ctor = ident(match location {
                    ParamLocation::Query => "query",
                    ParamLocation::Cookie => "cookie",
                    _ => "header",
                });
                let doc = scheme_doc(
                    &format!("Security scheme `{scheme}`: an API key sent in {} `{key_name}`.", location_word(*location)),
                    &base_doc,
                    "",
                );
                quote! {
                    #doc
                    pub fn #name(key: impl ::std::convert::Into<String>) -> ::restsmith_runtime::auth::ApiKey {
                        ::restsmith_runtime::auth::ApiKey::#ctor(#key_name, key)
                    }
                }
            }
            SecurityKind::Signer(SignerKind::VolcengineV4 { service, .. }) => {
                let doc = scheme_doc(
                    &format!("Security scheme `{scheme}`: Volcengine V4 HMAC-SHA256 request signing (service `{service}`) with an access key pair for `region`."),
                    &base_doc,
                    "",
                );
                quote! {
                    #doc
                    pub fn #name(
                        access_key_id: impl ::std::convert::Into<String>,
                        secret_access_key: impl ::std::convert::Into<String>,
                        region: impl ::std::convert::Into<String>,
                    ) -> ::restsmith_runtime::auth::VolcengineSigner {
                        ::restsmith_runtime::auth::VolcengineSigner::new(access_key_id, secret_access_key, #service, region)
                    }
                }
            }
            SecurityKind::Signer(SignerKind::AzureBatchSharedKey) => {
                let doc = scheme_doc(
                    &format!("Security scheme `{scheme}`: Azure Batch Shared Key signing with the account name and its Base64 key."),
                    &base_doc,
                    "",
                );
                quote! {
                    #doc
                    pub fn #name(
                        account: impl ::std::convert::Into<String>,
                        key_base64: &str,
                    ) -> Result<::restsmith_runtime::auth::SharedKeySigner, ::restsmith_runtime::auth::CredentialError> {
                        ::restsmith_runtime::auth::SharedKeySigner::new(account, key_base64)
                    }
                }
            }
            SecurityKind::Basic => {
                let doc = scheme_doc(&format!("Security scheme `{scheme}`: HTTP basic authentication."), &base_doc, "");
                quote! {
                    #doc
                    pub fn #name(
                        user: impl ::std::convert::Into<String>,
                        password: impl ::std::convert::Into<String>,
                    ) -> ::restsmith_runtime::auth::BasicAuth {
                        ::restsmith_runtime::auth::BasicAuth::new(user, password)
                    }
                }
            }
        }
    });
    quote! {
        #(#items)*
    }
}

/// Trusted first line, the spec's description, a trusted last line.
fn scheme_doc(first: &str, spec: &str, last: &str) -> TokenStream {
    let mut lines = vec![first.to_owned()];
    let spec_lines = sanitize_doc(spec);
    if !spec_lines.is_empty() {
        lines.push(String::new());
        lines.extend(spec_lines);
    }
    if !last.is_empty() {
        lines.push(String::new());
        lines.push(last.to_owned());
    }
    lines_to_doc(&lines)
}
