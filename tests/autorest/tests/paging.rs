//! The `x-ms-pageable` scenarios of the AutoRest test server's `paging.json`: every list
//! operation's `into_stream()` against the server on loopback, checking the items of every page
//! (next links followed, `operationName` honoured, the client's api-version on next links,
//! retries of a failed page, failures ending the stream with a typed error).

#[path = "../../support/mod.rs"]
mod support;

use std::collections::BTreeMap;

use autorest_conformance::paging::{models, Client};
use futures::StreamExt;
use restsmith_runtime::{ClientOptions, Error, RetryOptions};
use serde_json::Value;

fn client(server: &support::ServerProcess) -> Client {
    let options = ClientOptions::default().retry(RetryOptions::default().with_delay_scale(0.01));
    Client::with_options(&server.base_url, None, options).expect("client")
}

/// The `properties.id` of every item the stream yields, and the error that ended it, if any.
async fn ids<T: serde::Serialize, E: std::fmt::Debug>(
    stream: restsmith_runtime::pager::ItemStream<'_, T, E>,
) -> (Vec<i64>, Option<Error<E>>) {
    let mut ids = Vec::new();
    let mut stream = stream;
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => {
                let value = serde_json::to_value(&item).expect("item serializes");
                ids.push(value.pointer("/properties/id").and_then(Value::as_i64).unwrap_or(-1));
            }
            Err(e) => return (ids, Some(e)),
        }
    }
    (ids, None)
}

fn expect_items<E: std::fmt::Debug>(what: &str, got: (Vec<i64>, Option<Error<E>>), want: &[i64]) {
    assert!(got.1.is_none(), "{what}: the stream ended in an error: {:?}", got.1);
    assert_eq!(got.0, want, "{what}: item ids");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_paging_scenario_against_the_autorest_test_server() {
    let server = support::start_autorest_testserver();
    let c = client(&server);
    let ten: Vec<i64> = (1..=10).collect();

    expect_items("single", ids(c.paging_get_single_pages().into_stream()).await, &[1]);
    expect_items("no item name", ids(c.paging_get_no_item_name_pages().into_stream()).await, &[1]);
    expect_items("null next link name", ids(c.paging_get_null_next_link_name_pages().into_stream()).await, &[1]);
    expect_items("empty next link", ids(c.paging_get_empty_next_link_name_pages().into_stream()).await, &[1]);
    expect_items("x-ms-client-name", ids(c.paging_get_paging_model_with_item_name_with_xms_client_name().into_stream()).await, &[1]);
    expect_items("first response empty", ids(c.paging_first_response_empty().into_stream()).await, &[1]);
    let mut body = models::BodyParam::new();
    body.name = Some("body".into());
    expect_items("single with body params", ids(c.paging_get_single_pages_with_body_params(body).into_stream()).await, &[1]);
    expect_items("multiple", ids(c.paging_get_multiple_pages().into_stream()).await, &ten);
    expect_items("odata multiple", ids(c.paging_get_odata_multiple_pages().into_stream()).await, &ten);
    // The first page is id 1, later pages offset + page number.
    let offset: Vec<i64> = std::iter::once(1).chain(102..=110).collect();
    expect_items("with offset in the path", ids(c.paging_get_multiple_pages_with_offset(100).into_stream()).await, &offset);
    expect_items("retry first page", ids(c.paging_get_multiple_pages_retry_first().into_stream()).await, &ten);
    // Page 2 answers 500 once, then (the server's data) an item with id 1.
    let retried: Vec<i64> = [1, 1].into_iter().chain(3..=10).collect();
    expect_items("retry second page", ids(c.paging_get_multiple_pages_retry_second().into_stream()).await, &retried);
    // operationName: the next page through Paging_nextOperationWithQueryParams (adds its constant
    // `queryConstant=true`), and through Paging_nextFragment (the link is its `nextLink` path part).
    expect_items("operationName with query params", ids(c.paging_get_with_query_params(100).into_stream()).await, &[1, 2]);
    expect_items("fragment next link", ids(c.paging_get_multiple_pages_fragment_next_link("test_user", "1.6").into_stream()).await, &ten);
    expect_items(
        "fragment next link with grouping",
        ids(c.paging_get_multiple_pages_fragment_with_grouping_next_link("test_user", "1.6").into_stream()).await,
        &ten,
    );
    // Next links keep their own query and get the client's api-version (appended or replaced).
    expect_items("duplicate params", ids(c.paging_duplicate_params().filter("foo").into_stream()).await, &[1]);
    expect_items("api-version appended", ids(c.paging_append_api_version().into_stream()).await, &[1]);
    expect_items("api-version replaced", ids(c.paging_replace_api_version().into_stream()).await, &[1]);
    expect_items("max page size not sent", ids(c.paging_page_with_max_page_size().into_stream()).await, &[]);

    // Failures end the stream with the error, after the items already received.
    let (items, error) = ids(c.paging_get_single_pages_failure().into_stream()).await;
    assert!(items.is_empty());
    assert_eq!(error.and_then(|e| e.status()).map(|s| s.as_u16()), Some(400), "single failure");
    let (items, error) = ids(c.paging_get_multiple_pages_failure().into_stream()).await;
    assert_eq!(items, [1]);
    assert_eq!(error.and_then(|e| e.status()).map(|s| s.as_u16()), Some(400), "failure on the second page");
    let (items, error) = ids(c.paging_get_multiple_pages_failure_uri().into_stream()).await;
    assert_eq!(items, [1]);
    assert!(error.is_some(), "a next link that is not a page fails");

    // A long-running operation whose result is a page: its first page arrives through the poller.
    let page = c
        .paging_get_multiple_pages_lro()
        .await
        .expect("LRO started")
        .interval_override(Some(std::time::Duration::ZERO))
        .await
        .expect("LRO finished");
    assert!(page.is_some_and(|p| p.values.is_some_and(|v| v.len() == 1)), "the first page of the LRO result");

    // A parameterized host (`{accountName}{host}`): partial next links resolve against it,
    // directly and through the next-page operation.
    let custom = autorest_conformance::custom_baseurl_paging::Client::with_options(
        &server.base_url,
        None,
        ClientOptions::default(),
    )
    .expect("client");
    expect_items("custom url, partial next link", ids(custom.paging_get_pages_partial_url().into_stream()).await, &[1, 2]);
    expect_items(
        "custom url, partial next link through operationName",
        ids(custom.paging_get_pages_partial_url_operation().into_stream()).await,
        &[1, 2],
    );

    let coverage = support::http::get(&server.url("/report/azure"), &[]);
    let report: BTreeMap<String, Value> = serde_json::from_slice(&coverage.body).unwrap_or_default();
    let keys: Vec<_> = report.iter().filter(|(k, _)| k.starts_with("Paging")).collect();
    let missed: Vec<_> = keys.iter().filter(|(_, v)| v.as_u64().unwrap_or(0) == 0).map(|(k, _)| k.as_str()).collect();
    println!("paging coverage: {}/{} Paging keys hit; not hit: {missed:?}", keys.len() - missed.len(), keys.len());
    assert!(missed.is_empty(), "every paging scenario of the server is exercised; missed {missed:?}");
}
