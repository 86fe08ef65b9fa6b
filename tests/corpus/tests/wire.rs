//! Operations and parameters of the corpus specs over real HTTP: each generated client sends
//! exactly the method, path, query, headers and cookies its spec describes to a loopback server
//! (and refuses, before sending, values its spec forbids).

use restsmith_corpus as corpus;
use restsmith_runtime::{ClientOptions, Error, RetryOptions};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server that answers 204 to anything not mounted before this catch-all.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    catch_all(&server).await;
    server
}

async fn catch_all(server: &MockServer) {
    Mock::given(wiremock::matchers::any()).respond_with(ResponseTemplate::new(204)).with_priority(10).mount(server).await;
}

fn options() -> ClientOptions {
    ClientOptions::default().retry(RetryOptions::none())
}

/// An unauthenticated client of corpus module `$module` for `$server`.
macro_rules! client {
    ($module:ident, $server:expr) => {
        corpus::$module::Client::with_options(&$server.uri(), None, options()).expect("client")
    };
}

async fn sent(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

async fn last(server: &MockServer) -> Request {
    sent(server).await.pop().expect("a request was sent")
}

fn header(request: &Request, name: &str) -> Option<String> {
    let values: Vec<_> = request.headers.get_all(name).iter().map(|v| v.to_str().expect("ASCII header").to_owned()).collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Method, path and raw query (`-` when there is none) of a request.
fn line(request: &Request) -> String {
    format!("{} {}?{}", request.method, request.url.path(), request.url.query().unwrap_or("-"))
}

/// Asserts a validation error for `parameter`.
fn refused<T: std::fmt::Debug, E: std::fmt::Debug>(result: Result<T, Error<E>>, parameter: &str) {
    match result {
        Err(Error::Validation { parameter: p, message }) => assert_eq!(p, parameter, "{message}"),
        other => panic!("expected a validation error for `{parameter}`, got {other:?}"),
    }
}

/// The OpenAPI style table's object value, `{"R":100,"G":200,"B":150}`, as module `$module`'s `Color`.
macro_rules! rgb {
    ($module:ident) => {
        corpus::$module::models::Color::new(100, 200, 150)
    };
}

const COLORS: [&str; 3] = ["blue", "black", "brown"];

mod operations {
    use super::*;

    #[tokio::test]
    async fn missing_operation_id() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/stores/7/items"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(["nut", "bolt"])))
            .mount(&server)
            .await;
        catch_all(&server).await;
        let c = client!(missing_operation_id, server);
        assert_eq!(c.get_stores_store_id_items(7).await.expect("get").body, ["nut", "bolt"]);
        c.delete_stores_store_id_items(7).await.expect("delete");
        let lines: Vec<_> = sent(&server).await.iter().map(line).collect();
        assert_eq!(lines, ["GET /stores/7/items?-", "DELETE /stores/7/items?-"]);
    }

    #[tokio::test]
    async fn odd_operation_ids() {
        let server = server().await;
        let c = client!(odd_operation_ids, server);
        c.repos_get_content("octo").await.expect("repos/get-content");
        c.pets_list_by_owner().await.expect("Pets_ListByOwner");
        c.pets_create().await.expect("pets.create");
        c.get_user_by_id("u1").await.expect("get user by id");
        c.n2fa_enable().await.expect("2fa-enable");
        let lines: Vec<_> = sent(&server).await.iter().map(line).collect();
        assert_eq!(lines, ["GET /repos/octo/contents?-", "GET /pets?-", "POST /pets?-", "GET /users/u1?-", "POST /2fa?-"]);
    }

    #[tokio::test]
    async fn names_colliding_after_case_conversion() {
        let server = server().await;
        let c = client!(names_colliding_after_case_conversion, server);
        c.get_item().await.expect("getItem");
        c.get_item_2().await.expect("get_item");
        c.get_item_3().await.expect("GetItem");
        let paths: Vec<_> = sent(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
        assert_eq!(paths, ["/one", "/two", "/three"], "in spec order");
    }

    #[tokio::test]
    #[allow(deprecated)]
    async fn deprecated_operation() {
        let server = MockServer::start().await;
        Mock::given(path("/v1/widgets")).respond_with(ResponseTemplate::new(200).set_body_json(["old"])).mount(&server).await;
        Mock::given(path("/v2/widgets")).respond_with(ResponseTemplate::new(200).set_body_json(["new"])).mount(&server).await;
        let c = client!(deprecated_operation, server);
        assert_eq!(c.list_widgets_v1().await.expect("deprecated still works").body, ["old"]);
        assert_eq!(c.list_widgets().await.expect("current").body, ["new"]);
    }

    #[tokio::test]
    async fn path_level_server() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/cdn/assets/logo.png"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(vec![1u8, 2], "application/octet-stream"))
            .mount(&server)
            .await;
        catch_all(&server).await;
        let c = client!(path_level_server, server);
        assert_eq!(&c.get_asset("logo.png").await.expect("get").body[..], [1, 2]);
        c.put_asset("logo.png", b"png".to_vec()).await.expect("put");
        c.health().await.expect("health");
        let lines: Vec<_> = sent(&server).await.iter().map(line).collect();
        assert_eq!(lines, ["GET /cdn/assets/logo.png?-", "PUT /cdn/assets/logo.png?-", "GET /health?-"]);
    }

    /// The absolute operation server names port 28417 on the loopback interface.
    #[tokio::test]
    async fn operation_level_server() {
        let listener = std::net::TcpListener::bind("127.0.0.1:28417").expect("port 28417 (the spec's server variable default) is free");
        let upload_host = MockServer::builder().listener(listener).start().await;
        catch_all(&upload_host).await;
        let server = server().await;
        let c = client!(operation_level_server, server);
        c.upload_file(b"abc".to_vec()).await.expect("upload");
        c.get_report().await.expect("get report");
        c.delete_report().await.expect("delete report");
        let upload = last(&upload_host).await;
        assert_eq!(line(&upload), "POST /upload-host/uploads?-");
        assert_eq!(upload.body, b"abc");
        let lines: Vec<_> = sent(&server).await.iter().map(line).collect();
        assert_eq!(lines, ["GET /reporting/reports?-", "DELETE /reports?-"]);
    }

    #[tokio::test]
    async fn server_variables() {
        use corpus::server_variables::Client;
        assert_eq!(Client::DEFAULT_ENDPOINT, "http://localhost:8080/api/v1");
        assert_eq!(Client::endpoint_from("example.org", "81", "v2"), "http://example.org:81/api/v2");
        let server = server().await;
        let c = Client::with_options(&format!("{}/api/v2", server.uri()), None, options()).expect("client");
        c.ping().await.expect("ping");
        assert_eq!(line(&last(&server).await), "GET /api/v2/ping?-");
    }

    #[tokio::test]
    async fn path_level_parameters_merged() {
        let server = server().await;
        let c = client!(path_level_parameters_merged, server);
        c.list_members("acme", "admin", "t-1").page(2).await.expect("list");
        c.add_member("acme", "ada", "t-2").await.expect("add");
        let requests = sent(&server).await;
        assert_eq!(line(&requests[0]), "GET /orgs/acme/members?page=2&role=admin");
        assert_eq!(header(&requests[0], "x-trace").as_deref(), Some("t-1"));
        assert_eq!(line(&requests[1]), "POST /orgs/acme/members?login=ada");
        assert_eq!(header(&requests[1], "x-trace").as_deref(), Some("t-2"));
    }

    #[tokio::test]
    async fn path_level_parameter_override() {
        let server = server().await;
        let c = client!(path_level_parameter_override, server);
        c.get_content("octo", "main").await.expect("the operation's required ref");
        c.head_content("octo").await.expect("the path-level optional ref, unset");
        c.head_content("octo").ref_("dev").await.expect("the path-level optional ref, set");
        let lines: Vec<_> = sent(&server).await.iter().map(line).collect();
        assert_eq!(lines, ["GET /repos/octo/contents?ref=main", "HEAD /repos/octo/contents?-", "HEAD /repos/octo/contents?ref=dev"]);
    }

    #[tokio::test]
    async fn tags_group_operations() {
        use corpus::tags_group_operations::operations::{by_tag, list_orders, list_pets};
        let server = server().await;
        let c = client!(tags_group_operations, server);
        // The tag modules re-export the operation modules: the same types.
        let pets: by_tag::pets::list_pets::RequestBuilder<'_> = c.list_pets();
        let orders: by_tag::store_admin::list_orders::RequestBuilder<'_> = c.list_orders();
        let _: list_pets::Response = pets.await.expect("list pets");
        let _: by_tag::pets::list_orders::Response = orders.await.expect("list orders");
        let _: list_orders::Response = c.list_orders().await.expect("list orders");
        c.status().await.expect("untagged");
        let paths: Vec<_> = sent(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
        assert_eq!(paths, ["/pets", "/orders", "/orders", "/status"]);
    }

    #[tokio::test]
    async fn callbacks_skipped() {
        assert!(
            corpus::warnings("callbacks_skipped").iter().any(|w| w.starts_with("#/paths/~1subscriptions/post/callbacks: ")),
            "{:?}",
            corpus::warnings("callbacks_skipped")
        );
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "s-1"})))
            .mount(&server)
            .await;
        let c = client!(callbacks_skipped, server);
        let subscription = c.subscribe("http://hooks.example/cb?x=1").await.expect("subscribe").body;
        assert_eq!(subscription.id, "s-1");
        assert_eq!(line(&last(&server).await), "POST /subscriptions?callbackUrl=http%3A%2F%2Fhooks.example%2Fcb%3Fx%3D1");
    }

    #[tokio::test]
    async fn links_skipped() {
        assert!(
            corpus::warnings("links_skipped").iter().any(|w| w.starts_with("#/paths/~1users/post/responses/201/links: ")),
            "{:?}",
            corpus::warnings("links_skipped")
        );
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "u-1"})))
            .mount(&server)
            .await;
        let c = client!(links_skipped, server);
        let user = c.create_user().await.expect("create").body;
        c.get_user(&user.id).await.expect_err("201 answered where 200 is documented");
        let lines: Vec<_> = sent(&server).await.iter().map(line).collect();
        assert_eq!(lines, ["POST /users?-", "GET /users/u-1?-"]);
    }
}

mod parameter_styles {
    use super::*;

    async fn query_of(server: &MockServer) -> String {
        last(server).await.url.query().unwrap_or_default().to_owned()
    }

    #[tokio::test]
    async fn query_form_exploded() {
        let server = server().await;
        let c = client!(query_form_exploded, server);
        c.colors("blue", COLORS, rgb!(query_form_exploded)).await.expect("send");
        assert_eq!(query_of(&server).await, "color=blue&colors=blue&colors=black&colors=brown&R=100&G=200&B=150");
    }

    #[tokio::test]
    async fn query_form_not_exploded() {
        let server = server().await;
        let c = client!(query_form_not_exploded, server);
        c.colors("blue", COLORS, rgb!(query_form_not_exploded)).await.expect("send");
        assert_eq!(query_of(&server).await, "color=blue&colors=blue,black,brown&rgb=R,100,G,200,B,150");
    }

    #[tokio::test]
    async fn query_space_delimited() {
        let server = server().await;
        let c = client!(query_space_delimited, server);
        c.colors(COLORS, rgb!(query_space_delimited)).await.expect("send");
        assert_eq!(query_of(&server).await, "colors=blue%20black%20brown&rgb=R%20100%20G%20200%20B%20150");
    }

    #[tokio::test]
    async fn query_pipe_delimited() {
        let server = server().await;
        let c = client!(query_pipe_delimited, server);
        c.colors(COLORS, rgb!(query_pipe_delimited)).await.expect("send");
        assert_eq!(query_of(&server).await, "colors=blue|black|brown&rgb=R|100|G|200|B|150");
    }

    #[tokio::test]
    async fn query_deep_object() {
        use corpus::query_deep_object::models::Color;
        let server = server().await;
        let c = client!(query_deep_object, server);
        c.colors(rgb!(query_deep_object)).await.expect("send");
        assert_eq!(query_of(&server).await, "rgb[R]=100&rgb[G]=200&rgb[B]=150");
        c.colors(rgb!(query_deep_object)).tint(Color::new(1, 2, 3)).await.expect("send");
        assert_eq!(query_of(&server).await, "rgb[R]=100&rgb[G]=200&rgb[B]=150&tint[R]=1&tint[G]=2&tint[B]=3");
    }

    #[tokio::test]
    async fn query_allow_reserved() {
        let server = server().await;
        let c = client!(query_allow_reserved, server);
        c.redirect("https://u@example.com/a/b?c=[1],(2)*!$';", "a/b?c=d").await.expect("send");
        // Every reserved character stays as it is, except `'`: the WHATWG URL standard (which the
        // `url` crate under reqwest follows) percent-encodes it in the query of http(s) URLs.
        assert_eq!(query_of(&server).await, "target=https://u@example.com/a/b?c=[1],(2)*!$%27;&note=a%2Fb%3Fc%3Dd");
        c.redirect("a b", "x").await.expect("send");
        assert_eq!(query_of(&server).await, "target=a%20b&note=x", "characters outside the reserved set are still encoded");
    }

    #[tokio::test]
    async fn query_json_content() {
        use corpus::query_json_content::models::Filter;
        let server = server().await;
        let c = client!(query_json_content, server);
        let mut filter = Filter::new("age".into());
        filter.values = Some(vec![1, 2]);
        c.search(filter.clone()).x_context(filter).await.expect("send");
        let request = last(&server).await;
        assert_eq!(request.url.query(), Some("filter=%7B%22field%22%3A%22age%22%2C%22values%22%3A%5B1%2C2%5D%7D"));
        assert_eq!(header(&request, "x-context").as_deref(), Some(r#"{"field":"age","values":[1,2]}"#));
    }

    #[tokio::test]
    async fn path_simple_style() {
        let server = server().await;
        let c = client!(path_simple_style, server);
        c.not_exploded("blue", COLORS, rgb!(path_simple_style)).await.expect("send");
        assert_eq!(last(&server).await.url.path(), "/n/blue/blue,black,brown/R,100,G,200,B,150");
        c.exploded("blue", COLORS, rgb!(path_simple_style)).await.expect("send");
        assert_eq!(last(&server).await.url.path(), "/x/blue/blue,black,brown/R=100,G=200,B=150");
    }

    #[tokio::test]
    async fn path_label_style() {
        let server = server().await;
        let c = client!(path_label_style, server);
        c.not_exploded("blue", COLORS, rgb!(path_label_style)).await.expect("send");
        assert_eq!(last(&server).await.url.path(), "/n/.blue/.blue,black,brown/.R,100,G,200,B,150");
        c.exploded("blue", COLORS, rgb!(path_label_style)).await.expect("send");
        assert_eq!(last(&server).await.url.path(), "/x/.blue/.blue.black.brown/.R=100.G=200.B=150");
    }

    #[tokio::test]
    async fn path_matrix_style() {
        let server = server().await;
        let c = client!(path_matrix_style, server);
        c.not_exploded("blue", COLORS, rgb!(path_matrix_style)).await.expect("send");
        assert_eq!(last(&server).await.url.path(), "/n/;color=blue/;colors=blue,black,brown/;rgb=R,100,G,200,B,150");
        c.exploded("blue", COLORS, rgb!(path_matrix_style)).await.expect("send");
        assert_eq!(last(&server).await.url.path(), "/x/;color=blue/;colors=blue;colors=black;colors=brown/;R=100;G=200;B=150");
    }

    #[tokio::test]
    async fn header_simple_style() {
        let server = server().await;
        let c = client!(header_simple_style, server);
        c.not_exploded("blue", COLORS, rgb!(header_simple_style)).await.expect("send");
        let request = last(&server).await;
        assert_eq!(header(&request, "x-color").as_deref(), Some("blue"));
        assert_eq!(header(&request, "x-colors").as_deref(), Some("blue,black,brown"));
        assert_eq!(header(&request, "x-rgb").as_deref(), Some("R,100,G,200,B,150"));
        c.exploded("blue", COLORS, rgb!(header_simple_style)).await.expect("send");
        let request = last(&server).await;
        assert_eq!(header(&request, "x-color").as_deref(), Some("blue"));
        assert_eq!(header(&request, "x-colors").as_deref(), Some("blue,black,brown"));
        assert_eq!(header(&request, "x-rgb").as_deref(), Some("R=100,G=200,B=150"));
    }

    #[tokio::test]
    async fn cookie_parameter() {
        let server = server().await;
        let c = client!(cookie_parameter, server);
        c.get_profile("abc").await.expect("required only");
        assert_eq!(header(&last(&server).await, "cookie").as_deref(), Some("session=abc"));
        c.get_profile("abc").theme("dark").visits(3).await.expect("all");
        assert_eq!(header(&last(&server).await, "cookie").as_deref(), Some("session=abc; theme=dark; visits=3"));
        c.get_profile("a b;c=d").await.expect("encoded");
        assert_eq!(header(&last(&server).await, "cookie").as_deref(), Some("session=a%20b%3Bc%3Dd"), "a value cannot add cookies");
    }

    #[tokio::test]
    async fn constant_parameter() {
        let server = server().await;
        let c = client!(constant_parameter, server);
        c.list_things("ada").await.expect("send");
        let request = last(&server).await;
        assert_eq!(line(&request), "GET /things/widgets?api-version=2024-01-01&owner=ada");
        assert_eq!(header(&request, "x-kind").as_deref(), Some("fixed"));
    }

    #[tokio::test]
    async fn optional_parameters() {
        let server = server().await;
        let c = client!(optional_parameters, server);
        c.list_items().await.expect("none set");
        let request = last(&server).await;
        assert_eq!(line(&request), "GET /items?-", "no query at all");
        assert_eq!(header(&request, "if-none-match"), None);
        c.list_items().limit(10).cursor("c 1").fields(["a", "b"]).if_none_match("\"e1\"").await.expect("all set");
        let request = last(&server).await;
        assert_eq!(line(&request), "GET /items?limit=10&cursor=c%201&fields=a&fields=b");
        assert_eq!(header(&request, "if-none-match").as_deref(), Some("\"e1\""));
    }

    #[tokio::test]
    async fn scalar_parameter_types() {
        use corpus::scalar_parameter_types::models::GetRecordOrder;
        use restsmith_runtime::{chrono, uuid::Uuid};
        let server = server().await;
        let c = client!(scalar_parameter_types, server);
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).expect("date");
        let since = chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z").expect("date-time").to_utc();
        let trace = Uuid::parse_str("6f1c9a53-3b7e-4c1e-9a3c-2d7b8e0f1a2b").expect("uuid");
        c.get_record(9_007_199_254_740_993, -5, 1.5, true, GetRecordOrder::Desc, day, since, trace).await.expect("send");
        assert_eq!(
            line(&last(&server).await),
            "GET /records/9007199254740993?count=-5&ratio=1.5&active=true&order=desc&day=2024-01-02&since=2024-01-02T03%3A04%3A05Z&trace=6f1c9a53-3b7e-4c1e-9a3c-2d7b8e0f1a2b"
        );
    }

    #[tokio::test]
    async fn path_percent_encoding() {
        let server = server().await;
        let c = client!(path_percent_encoding, server);
        c.get_file_meta("a b/c%d?e#f é").await.expect("send");
        assert_eq!(line(&last(&server).await), "GET /files/a%20b%2Fc%25d%3Fe%23f%20%C3%A9/meta?-");
        // `.` and `..` would be resolved away by URL normalization (`%2E%2E` too, per the WHATWG
        // URL standard): refused rather than sent elsewhere.
        refused(c.get_file_meta("..").await, "path");
        refused(c.get_file_meta(".").await, "path");
        assert_eq!(sent(&server).await.len(), 1, "only the first request was sent");
        c.get_file_meta("..a").await.expect("not a dot segment");
        assert_eq!(last(&server).await.url.path(), "/files/..a/meta");
    }

    #[tokio::test]
    async fn x_ms_client_name_parameters() {
        let server = MockServer::start().await;
        Mock::given(path("/records"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"_etag": "W/1", "displayName": "first"})))
            .mount(&server)
            .await;
        let c = client!(x_ms_client_name, server);
        let record = c.list_records("name eq 'a'").page_size(5).await.expect("send").body;
        assert_eq!((record.etag.as_str(), record.label.as_deref()), ("W/1", Some("first")));
        let request = last(&server).await;
        assert_eq!(request.url.query(), Some("%24filter=name%20eq%20%27a%27"));
        assert_eq!(header(&request, "x-ms-page-size").as_deref(), Some("5"));
    }

    #[tokio::test]
    async fn swagger2_collection_format() {
        assert!(
            corpus::warnings("swagger2_collection_format").iter().any(|w| w.starts_with("#/paths/~1search/get/parameters/4/collectionFormat: ")),
            "{:?}",
            corpus::warnings("swagger2_collection_format")
        );
        let server = server().await;
        let c = client!(swagger2_collection_format, server);
        let ab = ["a", "b"];
        c.search(ab, ab, ab, ab, ab, vec![1, 2]).await.expect("send");
        let request = last(&server).await;
        assert_eq!(request.url.query(), Some("csv=a,b&ssv=a%20b&pipes=a|b&multi=a&multi=b&tsv=a,b"));
        assert_eq!(header(&request, "x-ids").as_deref(), Some("1,2"));
    }
}

mod validation {
    use super::*;

    /// Runs `$call` expecting a validation error for `value`.
    macro_rules! refuses {
        ($call:expr) => {
            refused($call.await, "value")
        };
    }

    #[tokio::test]
    async fn parameter_pattern() {
        let server = server().await;
        let c = client!(parameter_pattern, server);
        refuses!(c.search("ABC-1"));
        refuses!(c.search("abc"));
        refuses!(c.search("abc-1x"));
        assert!(sent(&server).await.is_empty(), "nothing was sent");
        c.search("abc-12").await.expect("matches");
        assert_eq!(line(&last(&server).await), "GET /search?value=abc-12");
    }

    #[tokio::test]
    async fn parameter_length() {
        let server = server().await;
        let c = client!(parameter_length, server);
        refuses!(c.search("a"));
        refuses!(c.search("abcde"));
        assert!(sent(&server).await.is_empty(), "nothing was sent");
        c.search("ab").await.expect("2 characters");
        c.search("éééé").await.expect("4 characters (8 bytes)");
        assert_eq!(sent(&server).await.len(), 2);
    }

    #[tokio::test]
    async fn parameter_range() {
        let server = server().await;
        let c = client!(parameter_range, server);
        refuses!(c.search(0));
        refuses!(c.search(101));
        refuses!(c.search(-3));
        assert!(sent(&server).await.is_empty(), "nothing was sent");
        c.search(1).await.expect("the minimum");
        c.search(100).await.expect("the maximum");
        let queries: Vec<_> = sent(&server).await.iter().map(line).collect();
        assert_eq!(queries, ["GET /search?value=1", "GET /search?value=100"]);
    }

    #[tokio::test]
    async fn parameter_exclusive_bounds() {
        let server = server().await;
        let c = client!(parameter_exclusive_bounds, server);
        refuses!(c.search(0.0));
        refuses!(c.search(1.0));
        refuses!(c.search(-0.5));
        assert!(sent(&server).await.is_empty(), "nothing was sent");
        c.search(0.25).await.expect("inside");
        assert_eq!(line(&last(&server).await), "GET /search?value=0.25");
    }

    /// NaN is within no bounds (every comparison with it is false).
    #[tokio::test]
    async fn parameter_exclusive_bounds_not_a_number() {
        let server = server().await;
        let c = client!(parameter_exclusive_bounds, server);
        refuses!(c.search(f64::NAN));
        assert!(sent(&server).await.is_empty(), "NaN was sent");
    }

    #[tokio::test]
    async fn openapi31_exclusive_bounds() {
        let server = server().await;
        let c = client!(openapi31_exclusive_bounds, server);
        refused(c.score(0.0).await, "value");
        refused(c.score(10.0).await, "value");
        assert!(sent(&server).await.is_empty(), "nothing was sent");
        c.score(9.5).await.expect("inside");
        assert_eq!(line(&last(&server).await), "GET /score?value=9.5");
    }

    #[tokio::test]
    async fn parameter_multiple_of() {
        let server = server().await;
        let c = client!(parameter_multiple_of, server);
        refuses!(c.search(7));
        refuses!(c.search(-3));
        assert!(sent(&server).await.is_empty(), "nothing was sent");
        c.search(10).await.expect("a multiple");
        c.search(-5).await.expect("a negative multiple");
        c.search(0).await.expect("zero");
        assert_eq!(sent(&server).await.len(), 3);
    }

    #[tokio::test]
    async fn parameter_item_count() {
        let server = server().await;
        let c = client!(parameter_item_count, server);
        refuses!(c.search(Vec::<String>::new()));
        refuses!(c.search(["a", "b", "c", "d"]));
        assert!(sent(&server).await.is_empty(), "nothing was sent");
        c.search(["a"]).await.expect("one");
        c.search(["a", "b", "c"]).await.expect("three");
        let queries: Vec<_> = sent(&server).await.iter().map(line).collect();
        assert_eq!(queries, ["GET /search?value=a", "GET /search?value=a&value=b&value=c"]);
    }

    #[tokio::test]
    async fn parameter_unique_items() {
        let server = server().await;
        let c = client!(parameter_unique_items, server);
        refuses!(c.search(vec![1, 2, 1]));
        assert!(sent(&server).await.is_empty(), "nothing was sent");
        c.search(vec![1, 2]).await.expect("unique");
        assert_eq!(line(&last(&server).await), "GET /search?value=1&value=2");
    }
}

mod security {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn security_api_key() {
        use corpus::security_api_key::{auth, Client};
        let server = server().await;
        let with = |credential: restsmith_runtime::auth::ApiKey| {
            Client::with_options(&server.uri(), Some(Arc::new(credential)), options()).expect("client")
        };
        with(auth::header_key("k1")).with_header_key().await.expect("header");
        let request = last(&server).await;
        assert_eq!(header(&request, "x-api-key").as_deref(), Some("k1"));
        assert_eq!(line(&request), "GET /header?-");
        with(auth::query_key("k 2")).with_query_key().q("x").await.expect("query");
        assert_eq!(line(&last(&server).await), "GET /query?q=x&api_key=k%202");
        with(auth::cookie_key("k3")).with_cookie_key().await.expect("cookie");
        assert_eq!(header(&last(&server).await, "cookie").as_deref(), Some("token=k3"));
    }

    #[tokio::test]
    async fn security_bearer() {
        use corpus::security_bearer::{auth, Client};
        let server = MockServer::start().await;
        Mock::given(path("/me")).respond_with(ResponseTemplate::new(200).set_body_raw("ada", "text/plain")).mount(&server).await;
        let c = Client::new(&server.uri(), auth::bearer_auth("t0k3n")).expect("client");
        assert_eq!(c.get_me().await.expect("me").body, "ada");
        assert_eq!(header(&last(&server).await, "authorization").as_deref(), Some("Bearer t0k3n"));
    }
}

/// Identical inline enums and objects are generated once; the other names are aliases.
#[tokio::test]
async fn shared_inline_types() {
    use corpus::shared_inline_types::models::{
        ListIssuesResponse, ListIssuesState, ListLabelsState, ListPullsResponse, ListPullsResponseState, ListPullsState,
    };
    // The same type under every name: no conversion between them.
    let state: ListPullsState = ListIssuesState::Closed;
    let same_response: fn(ListIssuesResponse) -> ListPullsResponse = |response| response;
    // An enum with other values keeps its own type.
    assert_eq!(ListLabelsState::KNOWN.len(), 2);
    assert_eq!(ListPullsState::KNOWN.len(), 3);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"total": 2, "state": "all"})))
        .mount(&server)
        .await;
    let c = client!(shared_inline_types, server);
    let pulls = c.list_pulls().state(state).await.expect("pulls");
    assert_eq!(line(&last(&server).await), "GET /pulls?state=closed");
    let pulls = same_response(pulls.body);
    assert_eq!((pulls.total, pulls.state.clone()), (Some(2), Some(ListPullsResponseState::All)));
    let issues = c.list_issues().state(ListPullsState::Open).await.expect("issues");
    assert_eq!(line(&last(&server).await), "GET /issues?state=open");
    assert_eq!(issues.body, pulls);
}
