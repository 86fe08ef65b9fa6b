//! Long-running operations: the `send()` whose decoder hands the initial response to a runtime
//! poller, the poller type, and `resume()` for continuing from a resume token.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{error_body_type, error_type, models_path, path_pushes};
use super::rust::{ident, type_tokens};
use crate::ir::{ApiIr, LroIr, OperationIr, ReconcileIr};

/// The final result type of a long-running operation: the success body (the first one declared
/// when they differ), an `Option` of it when the operation may end without one (some success
/// responses have none, or it is a POST/DELETE), or `()`.
pub fn final_type(op: &OperationIr) -> TokenStream {
    let body = match op.single_success_body() {
        Some(body) => body.cloned(),
        None => op.success.iter().find_map(|r| r.body.clone()),
    };
    // A POST or DELETE may end without a body (204, or a Location that answers empty) even when
    // the spec documents one.
    let some_without_body =
        op.success.iter().any(|r| r.body.is_none()) || matches!(op.http_method.as_str(), "POST" | "DELETE");
    match body {
        Some(t) if some_without_body => {
            let t = type_tokens(&t, &models_path());
            quote!(Option<#t>)
        }
        Some(t) => type_tokens(&t, &models_path()),
        None => quote!(()),
    }
}

/// `Poller<Final, ErrorBody>`.
pub fn poller_type(_ir: &ApiIr, op: &OperationIr) -> TokenStream {
    let final_type = final_type(op);
    let error = error_body_type(op);
    quote!(::restsmith_runtime::poller::Poller<#final_type, #error>)
}

fn has_result(op: &OperationIr) -> bool {
    op.success.iter().any(|r| r.body.is_some())
}

/// The body of a long-running operation's `send()`: prepares the request, then sends it with a
/// decoder that checks the initial status and builds the poller.
pub fn lro_send(ir: &ApiIr, op: &OperationIr) -> TokenStream {
    let statuses: Vec<u16> = op.success.iter().map(|r| r.status).collect();
    let accept = if statuses.is_empty() {
        quote!(200u16 | 201u16 | 202u16 | 204u16 => {})
    } else {
        quote!(#(#statuses)|* => {})
    };
    let (locals, build) = match &op.lro {
        Some(LroIr::Azure { final_state_via }) => {
            let via = match final_state_via {
                Some(v) => quote!(Some(#v)),
                None => quote!(None),
            };
            let has_result = has_result(op);
            let locals = quote! {
                let initial_method = request.method.clone();
                let initial_url = request.url.clone();
            };
            let build = quote! {
                ::restsmith_runtime::poller::Poller::azure(
                    core,
                    &META,
                    initial_method,
                    initial_url,
                    response,
                    ::restsmith_runtime::poller::AzureLro { final_state_via: #via, has_result: #has_result },
                    ::restsmith_runtime::poller::PollerOptions::default(),
                )
            };
            (locals, build)
        }
        Some(LroIr::Reconcile(r)) => {
            let resource_url = reconcile_resource_url(ir, op, r);
            let spec = reconcile_spec(r);
            let locals = quote!(let resource_url = #resource_url;);
            let build = quote! {
                ::restsmith_runtime::poller::Poller::reconcile(
                    core,
                    &META,
                    resource_url,
                    response,
                    #spec,
                    ::restsmith_runtime::poller::PollerOptions::default(),
                )
            };
            (locals, build)
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    quote! {
        let request = match self.prepare() {
            Ok(request) => request,
            Err(error) => return ::restsmith_runtime::Call::failed(error),
        };
        #locals
        let core = self.client.core().clone();
        ::restsmith_runtime::Call::new(self.client.core(), Ok(request), move |response| {
            match response.status.as_u16() {
                #accept
                _ => return Err(response.into_error()),
            }
            #build
        })
    }
}

/// The URL of the resource the reconcile poller re-reads: the poll operation's path built from
/// this operation's parameter values.
fn reconcile_resource_url(ir: &ApiIr, op: &OperationIr, r: &ReconcileIr) -> TokenStream {
    let Some(poll) = ir.operations.iter().find(|o| o.method_name == r.poll_method) else {
        return quote!(request.url.clone());
    };
    let place_of = |poll_param: &crate::ir::ParamIr| {
        let ours = r
            .poll_arguments
            .iter()
            .find(|(theirs, _)| *theirs == poll_param.rust_name)
            .map(|(_, ours)| ours.clone())
            .unwrap_or_else(|| poll_param.rust_name.clone());
        let from_client = op.params.iter().any(|p| p.rust_name == ours && p.client_setting);
        let name = ident(&ours);
        if from_client {
            quote!(self.client.#name)
        } else {
            quote!(self.#name)
        }
    };
    let pushes = path_pushes(ir, poll, &place_of);
    quote!({
        let mut path = String::new();
        #(#pushes)*
        self.client.core().request(&META, &path, &::restsmith_runtime::query::Query::new()).url
    })
}

fn reconcile_spec(r: &ReconcileIr) -> TokenStream {
    let state = &r.state_pointer;
    let succeeded = &r.succeeded;
    let failed = &r.failed;
    let gone = &r.gone;
    let opt = |v: &Option<String>| match v {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let pending = opt(&r.pending_pointer);
    let irreconcilable = opt(&r.irreconcilable_pointer);
    let initial = r.initial_delay_ms;
    let max = r.max_delay_ms;
    let multiplier = r.multiplier;
    let deadline = r.deadline_seconds;
    quote! {
        ::restsmith_runtime::poller::ReconcileLro {
            state_pointer: #state,
            succeeded: &[#(#succeeded),*],
            failed: &[#(#failed),*],
            gone: &[#(#gone),*],
            pending_pointer: #pending,
            irreconcilable_pointer: #irreconcilable,
            initial_delay: ::std::time::Duration::from_millis(#initial),
            max_delay: ::std::time::Duration::from_millis(#max),
            multiplier: #multiplier,
            deadline: ::std::time::Duration::from_secs(#deadline),
        }
    }
}

/// `resume()`: rebuilds the poller from a token, possibly in another process.
pub fn lro_items(ir: &ApiIr, op: &OperationIr) -> TokenStream {
    let poller = poller_type(ir, op);
    let error = error_type(ir, op);
    let method = &op.method_name;
    let doc = format!(
        " Continues polling a [`Client::{method}`](super::super::client::Client::{method}) operation from `Poller::resume_token`, e.g. in another process."
    );
    let body = match &op.lro {
        Some(LroIr::Reconcile(r)) => {
            let spec = reconcile_spec(r);
            quote!(::restsmith_runtime::poller::Poller::from_resume_token_reconcile(client.core().clone(), &META, token, #spec, ::restsmith_runtime::poller::PollerOptions::default()))
        }
        _ => quote!(::restsmith_runtime::poller::Poller::from_resume_token(client.core().clone(), &META, token, ::restsmith_runtime::poller::PollerOptions::default())),
    };
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn resume(client: &super::super::client::Client, token: &str) -> Result<#poller, #error> {
            #body
        }
    }
}
