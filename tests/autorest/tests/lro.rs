//! Every long-running operation of the AutoRest test server's `lro.json`, run with the client
//! restsmith generated from that file (in this crate's build.rs) against the server started on
//! loopback, and compared with the reference oracle: what the official Azure Python poller
//! (azure-mgmt-core `ARMPolling`) returns for the same scenario
//! (`../shared/vectors/autorest-lro-oracle.jsonl`, made by `../shared/tools/lro_oracle.py`).
//!
//! Two results differ from the oracle on purpose, where PROTOCOLS.md says the oracle is wrong:
//! * `LROs_patch200SucceededIgnoreHeaders`: the initial 200 carries a terminal
//!   `provisioningState: Succeeded`; PROTOCOLS.md §2.1 (200 = finished synchronously) means the
//!   client must not poll the fake `Azure-AsyncOperation` URL the server adds (the test server's
//!   own intent: "ignore headers"). The oracle polls it and fails; restsmith succeeds.
//! * `LROSADs_post202NoLocation`: a POST answered 202 with neither `Location` nor
//!   `Azure-AsyncOperation`; PROTOCOLS.md §2.1/§2.2 (202 = started; polling the original URI is
//!   only for PUT/PATCH) leaves nothing to poll, so restsmith reports a protocol error (as Go's
//!   azcore does and as the server's `error/` route intends). The oracle reports success.

#[path = "../../support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::time::Duration;

use autorest_conformance::lro;
use futures::future::BoxFuture;
use restsmith_runtime::poller::Poller;
use restsmith_runtime::{ClientOptions, Error, RetryOptions};
use serde_json::Value;

/// The id the `LROsCustomHeader_*` scenarios demand on every request.
const CUSTOM_REQUEST_ID: &str = "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0";

/// Operations where restsmith deliberately disagrees with the oracle (see the module docs).
const DELIBERATE: &[&str] = &["LROs_patch200SucceededIgnoreHeaders", "LROSADs_post202NoLocation"];

/// What one scenario ended in: the final result as JSON, or the error.
type Outcome = Result<Value, String>;

async fn finish<T: serde::Serialize + serde::de::DeserializeOwned + Send + 'static, E>(
    started: Result<Poller<T, E>, Error<E>>,
) -> Outcome
where
    E: serde::de::DeserializeOwned + restsmith_runtime::ErrorBody + Debug + Send + 'static,
{
    match started {
        Ok(poller) => match poller.interval_override(Some(Duration::ZERO)).await {
            Ok(value) => serde_json::to_value(value).map_err(|e| format!("result does not serialize: {e}")),
            Err(e) => Err(describe(&e)),
        },
        Err(e) => Err(format!("initial request: {}", describe(&e))),
    }
}

fn describe<E: Debug>(e: &Error<E>) -> String {
    let kind = format!("{e:?}");
    let kind = kind.split(['(', ' ', '{']).next().unwrap_or_default().to_owned();
    format!("{kind}: {}", e.to_string().chars().take(160).collect::<String>())
}

macro_rules! scenarios {
    ($($id:literal => $kind:ident $method:ident,)*) => {
        /// The scenario's operationIds, in oracle order.
        const IDS: &[&str] = &[$($id),*];

        fn run<'a>(client: &'a lro::Client, id: &str) -> Option<BoxFuture<'a, Outcome>> {
            match id {
                $($id => Some(Box::pin(async move { scenarios!(@call $kind client.$method()) })),)*
                _ => None,
            }
        }
    };
    (@call plain $call:expr) => { finish($call.await).await };
    (@call custom $call:expr) => { finish($call.client_request_id(CUSTOM_REQUEST_ID).await).await };
}

scenarios! {
    "LROs_put200Succeeded" => plain lros_put200_succeeded,
    "LROs_patch200SucceededIgnoreHeaders" => plain lros_patch200_succeeded_ignore_headers,
    "LROs_patch201RetryWithAsyncHeader" => plain lros_patch201_retry_with_async_header,
    "LROs_patch202RetryWithAsyncAndLocationHeader" => plain lros_patch202_retry_with_async_and_location_header,
    "LROs_put201Succeeded" => plain lros_put201_succeeded,
    "LROs_post202List" => plain lros_post202_list,
    "LROs_put200SucceededNoState" => plain lros_put200_succeeded_no_state,
    "LROs_put202Retry200" => plain lros_put202_retry200,
    "LROs_put201CreatingSucceeded200" => plain lros_put201_creating_succeeded200,
    "LROs_put200UpdatingSucceeded204" => plain lros_put200_updating_succeeded204,
    "LROs_put201CreatingFailed200" => plain lros_put201_creating_failed200,
    "LROs_put200Acceptedcanceled200" => plain lros_put200_acceptedcanceled200,
    "LROs_putNoHeaderInRetry" => plain lros_put_no_header_in_retry,
    "LROs_putAsyncRetrySucceeded" => plain lros_put_async_retry_succeeded,
    "LROs_putAsyncNoRetrySucceeded" => plain lros_put_async_no_retry_succeeded,
    "LROs_putAsyncRetryFailed" => plain lros_put_async_retry_failed,
    "LROs_putAsyncNoRetrycanceled" => plain lros_put_async_no_retrycanceled,
    "LROs_putAsyncNoHeaderInRetry" => plain lros_put_async_no_header_in_retry,
    "LROs_putNonResource" => plain lros_put_non_resource,
    "LROs_putAsyncNonResource" => plain lros_put_async_non_resource,
    "LROs_putSubResource" => plain lros_put_sub_resource,
    "LROs_putAsyncSubResource" => plain lros_put_async_sub_resource,
    "LROs_deleteProvisioning202Accepted200Succeeded" => plain lros_delete_provisioning202_accepted200_succeeded,
    "LROs_deleteProvisioning202DeletingFailed200" => plain lros_delete_provisioning202_deleting_failed200,
    "LROs_deleteProvisioning202Deletingcanceled200" => plain lros_delete_provisioning202_deletingcanceled200,
    "LROs_delete204Succeeded" => plain lros_delete204_succeeded,
    "LROs_delete202Retry200" => plain lros_delete202_retry200,
    "LROs_delete202NoRetry204" => plain lros_delete202_no_retry204,
    "LROs_deleteNoHeaderInRetry" => plain lros_delete_no_header_in_retry,
    "LROs_deleteAsyncNoHeaderInRetry" => plain lros_delete_async_no_header_in_retry,
    "LROs_deleteAsyncRetrySucceeded" => plain lros_delete_async_retry_succeeded,
    "LROs_deleteAsyncNoRetrySucceeded" => plain lros_delete_async_no_retry_succeeded,
    "LROs_deleteAsyncRetryFailed" => plain lros_delete_async_retry_failed,
    "LROs_deleteAsyncRetrycanceled" => plain lros_delete_async_retrycanceled,
    "LROs_post200WithPayload" => plain lros_post200_with_payload,
    "LROs_post202Retry200" => plain lros_post202_retry200,
    "LROs_post202NoRetry204" => plain lros_post202_no_retry204,
    "LROs_postDoubleHeadersFinalLocationGet" => plain lros_post_double_headers_final_location_get,
    "LROs_postDoubleHeadersFinalAzureHeaderGet" => plain lros_post_double_headers_final_azure_header_get,
    "LROs_postDoubleHeadersFinalAzureHeaderGetDefault" => plain lros_post_double_headers_final_azure_header_get_default,
    "LROs_postAsyncRetrySucceeded" => plain lros_post_async_retry_succeeded,
    "LROs_postAsyncNoRetrySucceeded" => plain lros_post_async_no_retry_succeeded,
    "LROs_postAsyncRetryFailed" => plain lros_post_async_retry_failed,
    "LROs_postAsyncRetrycanceled" => plain lros_post_async_retrycanceled,
    "LRORetrys_put201CreatingSucceeded200" => plain lro_retrys_put201_creating_succeeded200,
    "LRORetrys_putAsyncRelativeRetrySucceeded" => plain lro_retrys_put_async_relative_retry_succeeded,
    "LRORetrys_deleteProvisioning202Accepted200Succeeded" => plain lro_retrys_delete_provisioning202_accepted200_succeeded,
    "LRORetrys_delete202Retry200" => plain lro_retrys_delete202_retry200,
    "LRORetrys_deleteAsyncRelativeRetrySucceeded" => plain lro_retrys_delete_async_relative_retry_succeeded,
    "LRORetrys_post202Retry200" => plain lro_retrys_post202_retry200,
    "LRORetrys_postAsyncRelativeRetrySucceeded" => plain lro_retrys_post_async_relative_retry_succeeded,
    "LROSADs_putNonRetry400" => plain lrosads_put_non_retry400,
    "LROSADs_putNonRetry201Creating400" => plain lrosads_put_non_retry201_creating400,
    "LROSADs_putNonRetry201Creating400InvalidJson" => plain lrosads_put_non_retry201_creating400_invalid_json,
    "LROSADs_putAsyncRelativeRetry400" => plain lrosads_put_async_relative_retry400,
    "LROSADs_deleteNonRetry400" => plain lrosads_delete_non_retry400,
    "LROSADs_delete202NonRetry400" => plain lrosads_delete202_non_retry400,
    "LROSADs_deleteAsyncRelativeRetry400" => plain lrosads_delete_async_relative_retry400,
    "LROSADs_postNonRetry400" => plain lrosads_post_non_retry400,
    "LROSADs_post202NonRetry400" => plain lrosads_post202_non_retry400,
    "LROSADs_postAsyncRelativeRetry400" => plain lrosads_post_async_relative_retry400,
    "LROSADs_putError201NoProvisioningStatePayload" => plain lrosads_put_error201_no_provisioning_state_payload,
    "LROSADs_putAsyncRelativeRetryNoStatus" => plain lrosads_put_async_relative_retry_no_status,
    "LROSADs_putAsyncRelativeRetryNoStatusPayload" => plain lrosads_put_async_relative_retry_no_status_payload,
    "LROSADs_delete204Succeeded" => plain lrosads_delete204_succeeded,
    "LROSADs_deleteAsyncRelativeRetryNoStatus" => plain lrosads_delete_async_relative_retry_no_status,
    "LROSADs_post202NoLocation" => plain lrosads_post202_no_location,
    "LROSADs_postAsyncRelativeRetryNoPayload" => plain lrosads_post_async_relative_retry_no_payload,
    "LROSADs_put200InvalidJson" => plain lrosads_put200_invalid_json,
    "LROSADs_putAsyncRelativeRetryInvalidHeader" => plain lrosads_put_async_relative_retry_invalid_header,
    "LROSADs_putAsyncRelativeRetryInvalidJsonPolling" => plain lrosads_put_async_relative_retry_invalid_json_polling,
    "LROSADs_delete202RetryInvalidHeader" => plain lrosads_delete202_retry_invalid_header,
    "LROSADs_deleteAsyncRelativeRetryInvalidHeader" => plain lrosads_delete_async_relative_retry_invalid_header,
    "LROSADs_deleteAsyncRelativeRetryInvalidJsonPolling" => plain lrosads_delete_async_relative_retry_invalid_json_polling,
    "LROSADs_post202RetryInvalidHeader" => plain lrosads_post202_retry_invalid_header,
    "LROSADs_postAsyncRelativeRetryInvalidHeader" => plain lrosads_post_async_relative_retry_invalid_header,
    "LROSADs_postAsyncRelativeRetryInvalidJsonPolling" => plain lrosads_post_async_relative_retry_invalid_json_polling,
    "LROsCustomHeader_putAsyncRetrySucceeded" => custom lros_custom_header_put_async_retry_succeeded,
    "LROsCustomHeader_put201CreatingSucceeded200" => custom lros_custom_header_put201_creating_succeeded200,
    "LROsCustomHeader_post202Retry200" => custom lros_custom_header_post202_retry200,
    "LROsCustomHeader_postAsyncRetrySucceeded" => custom lros_custom_header_post_async_retry_succeeded,
}

fn oracle() -> BTreeMap<String, Value> {
    let path = support::repo_root().join("../shared/vectors/autorest-lro-oracle.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is missing ({e}): the oracle lives beside the repository in ../shared", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("oracle line is JSON");
            (v["operationId"].as_str().expect("operationId").to_owned(), v)
        })
        .collect()
}

/// Whether our outcome agrees with the oracle's: both failed, or both succeeded with the same
/// result. Our result is typed by the spec's model, so it agrees when every member it has
/// equals the oracle's (the untyped oracle also keeps members the model does not declare, e.g.
/// `subresource`, or the `status` of a status-monitor body decoded as a `Product`); an
/// operation that declares no result returns `()`, which agrees with any oracle result.
fn agrees(ours: &Outcome, oracle: &Value) -> bool {
    match (ours, oracle["outcome"].as_str()) {
        (Ok(Value::Null), Some("ok")) => true,
        (Ok(value), Some("ok")) => subset(value, &oracle["result"]),
        (Err(_), Some("error")) => true,
        _ => false,
    }
}

/// Every member of `ours` (recursively) is in `theirs` with the same value.
fn subset(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => a.iter().all(|(k, v)| v.is_null() || b.get(k).is_some_and(|w| subset(v, w))),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| subset(x, y)),
        _ => restsmith_runtime::testing::same(ours, theirs),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_lro_scenario_against_the_autorest_test_server() {
    let server = support::start_autorest_testserver();
    let oracle = oracle();
    assert_eq!(IDS.len(), 81, "lro.json has 81 long-running operations");
    assert_eq!(oracle.len(), 81, "the oracle covers all 81");
    let mut agreed = 0;
    let mut deliberate = Vec::new();
    let mut disagreements = Vec::new();
    for id in IDS {
        // A client (and cookie jar: the server keeps scenario state in a cookie) per scenario;
        // a 500 is retried quickly.
        let options = ClientOptions::default().retry(RetryOptions::default().with_delay_scale(0.01));
        let client = lro::Client::with_options(&server.base_url, None, options).expect("client");
        let outcome = match run(&client, id) {
            Some(future) => tokio::time::timeout(Duration::from_secs(60), future).await.unwrap_or_else(|_| Err("hung".into())),
            None => Err("no generated method".into()),
        };
        let expected = &oracle[*id];
        let ok = agrees(&outcome, expected);
        println!("{id:55} {:5} {}", if ok { "agree" } else { "DIFF" }, match &outcome {
            Ok(v) => v.to_string().chars().take(70).collect::<String>(),
            Err(e) => e.clone(),
        });
        if ok {
            agreed += 1;
        } else if DELIBERATE.contains(id) {
            deliberate.push(*id);
        } else {
            disagreements.push(format!("{id}: restsmith {outcome:?}, oracle {expected}"));
        }
    }
    let coverage = support::http::get(&server.url("/report/azure"), &[]);
    let report: BTreeMap<String, Value> = serde_json::from_slice(&coverage.body).unwrap_or_default();
    let lro_keys: Vec<_> = report.iter().filter(|(k, _)| k.starts_with("LRO")).collect();
    let hit = lro_keys.iter().filter(|(_, v)| v.as_u64().unwrap_or(0) > 0).count();
    println!(
        "LRO conformance: {agreed}/81 agree with the reference oracle, {} deliberate differences ({}); server coverage: {hit}/{} LRO keys hit",
        deliberate.len(),
        deliberate.join(", "),
        lro_keys.len()
    );
    assert!(disagreements.is_empty(), "{} scenario(s) disagree with the oracle:\n{}", disagreements.len(), disagreements.join("\n"));
    assert_eq!(deliberate.len(), DELIBERATE.len(), "the deliberate differences are exactly those documented");
}
