//! Security schemes → [`SecuritySchemeIr`]: which credentials the generated client accepts.

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityScheme};
use serde_json::Value;

use super::names;
use super::{ParamLocation, SecurityKind, SecuritySchemeIr, SignerKind};
use crate::error::{escape_pointer_token, Diagnostic, Location};

/// The security schemes of the document, in document order.
pub(crate) fn security_schemes(openapi: &OpenAPI, file: &std::path::Path, errors: &mut Vec<Diagnostic>) -> Vec<SecuritySchemeIr> {
    let Some(components) = &openapi.components else { return Vec::new() };
    let mut out = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let pointer = format!("/components/securitySchemes/{}", escape_pointer_token(name));
        let ReferenceOr::Item(scheme) = scheme else {
            errors.push(Diagnostic::new(Location::new(file, pointer), "security scheme `$ref` is not supported"));
            continue;
        };
        let (kind, doc) = match scheme {
            SecurityScheme::APIKey { location, name: key_name, description, extensions } => {
                let signer = match extensions.get("x-restsmith-signer") {
                    Some(config) => match signer_kind(config) {
                        Ok(kind) => Some(kind),
                        Err(message) => {
                            errors.push(Diagnostic::new(Location::new(file, format!("{pointer}/x-restsmith-signer")), message));
                            continue;
                        }
                    },
                    None => None,
                };
                let kind = match signer {
                    Some(kind) => SecurityKind::Signer(kind),
                    None => SecurityKind::ApiKey {
                        location: match location {
                            APIKeyLocation::Header => ParamLocation::Header,
                            APIKeyLocation::Query => ParamLocation::Query,
                            APIKeyLocation::Cookie => ParamLocation::Cookie,
                        },
                        name: key_name.clone(),
                    },
                };
                (kind, description.clone())
            }
            SecurityScheme::HTTP { scheme, description, .. } => {
                let kind = if scheme.eq_ignore_ascii_case("basic") { SecurityKind::Basic } else { SecurityKind::Bearer };
                (kind, description.clone())
            }
            SecurityScheme::OAuth2 { flows, description, extensions } => {
                let mut scopes: Vec<String> = Vec::new();
                let mut add = |m: &indexmap::IndexMap<String, String>| {
                    for s in m.keys() {
                        if !scopes.contains(s) {
                            scopes.push(s.clone());
                        }
                    }
                };
                if let Some(f) = &flows.implicit {
                    add(&f.scopes);
                }
                if let Some(f) = &flows.password {
                    add(&f.scopes);
                }
                if let Some(f) = &flows.client_credentials {
                    add(&f.scopes);
                }
                if let Some(f) = &flows.authorization_code {
                    add(&f.scopes);
                }
                let urls = [
                    flows.implicit.as_ref().map(|f| f.authorization_url.as_str()),
                    flows.authorization_code.as_ref().map(|f| f.token_url.as_str()),
                    flows.client_credentials.as_ref().map(|f| f.token_url.as_str()),
                    flows.password.as_ref().map(|f| f.token_url.as_str()),
                ];
                let entra = urls.iter().flatten().any(|u| u.contains("login.microsoftonline.com"));
                let explicit: Option<Vec<String>> = extensions
                    .get("x-restsmith-default-scopes")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect());
                let origin = openapi.servers.first().and_then(|s| origin_of(&s.url));
                let default_scopes = match (explicit, entra, origin) {
                    (Some(explicit), _, _) => explicit,
                    (None, true, Some(origin)) => vec![format!("{origin}/.default")],
                    _ => scopes.clone(),
                };
                (SecurityKind::OAuth2 { scopes, default_scopes }, description.clone())
            }
            SecurityScheme::OpenIDConnect { description, .. } => (SecurityKind::Bearer, description.clone()),
        };
        // Signers are named after what they do; other schemes after their spec key.
        let rust_name = match &kind {
            SecurityKind::Signer(SignerKind::AzureBatchSharedKey) => "shared_key".to_owned(),
            SecurityKind::Signer(SignerKind::VolcengineV4 { .. }) => "volcengine_v4".to_owned(),
            _ => names::field_name(name),
        };
        out.push(SecuritySchemeIr { name: name.clone(), rust_name, doc, kind });
    }
    out
}

fn signer_kind(config: &Value) -> Result<SignerKind, String> {
    match config.get("kind").and_then(Value::as_str) {
        Some("volcengine-v4") => Ok(SignerKind::VolcengineV4 {
            service: config
                .get("service")
                .and_then(Value::as_str)
                .ok_or("x-restsmith-signer volcengine-v4 needs `service`")?
                .to_owned(),
            region_variable: config.get("region-variable").and_then(Value::as_str).map(str::to_owned),
        }),
        Some("azure-batch-shared-key") => Ok(SignerKind::AzureBatchSharedKey),
        other => Err(format!("unknown x-restsmith-signer kind {other:?} (supported: volcengine-v4, azure-batch-shared-key)")),
    }
}

/// `https://host` of a concrete server URL (no variables in scheme or host).
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    (!host.is_empty() && !host.contains('{') && !scheme.contains('{')).then(|| format!("{scheme}://{host}"))
}
