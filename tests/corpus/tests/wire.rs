//! The corpus specs over real HTTP: each generated client sends exactly the bytes its spec
//! describes to a loopback server.

use restsmith_corpus::parameter_styles::{models::Color, Client};
use restsmith_runtime::ClientOptions;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::with_options(&server.uri(), None, ClientOptions::default()).expect("client")
}

/// The last request's path and raw query.
async fn last(server: &MockServer) -> wiremock::Request {
    let requests = server.received_requests().await.expect("recording");
    requests.last().cloned().expect("a request was sent")
}

fn blue() -> String {
    "blue".into()
}
fn colors() -> Vec<&'static str> {
    vec!["blue", "black", "brown"]
}
fn rgb() -> Color {
    Color::new(100, 200, 150)
}

/// Every cell of the OpenAPI 3.0 "Style Examples" table, as sent by generated clients.
#[tokio::test]
async fn parameter_styles_match_the_openapi_style_examples_table() {
    let server = server().await;
    let c = client(&server);

    macro_rules! query_case {
        ($call:expr, $expected:literal) => {{
            $call.await.expect(stringify!($call));
            let request = last(&server).await;
            assert_eq!(request.url.query().unwrap_or_default(), $expected, "{}", stringify!($call));
        }};
    }
    query_case!(c.query_form_x_string(blue()), "color=blue");
    query_case!(c.query_form_x_array(colors()), "color=blue&color=black&color=brown");
    query_case!(c.query_form_x_object(rgb()), "R=100&G=200&B=150");
    query_case!(c.query_form_n_string(blue()), "color=blue");
    query_case!(c.query_form_n_array(colors()), "color=blue,black,brown");
    query_case!(c.query_form_n_object(rgb()), "color=R,100,G,200,B,150");
    query_case!(c.query_space_delimited_n_array(colors()), "color=blue%20black%20brown");
    query_case!(c.query_space_delimited_n_object(rgb()), "color=R%20100%20G%20200%20B%20150");
    query_case!(c.query_pipe_delimited_n_array(colors()), "color=blue|black|brown");
    query_case!(c.query_pipe_delimited_n_object(rgb()), "color=R|100|G|200|B|150");
    query_case!(c.query_deep_object_x_object(rgb()), "color[R]=100&color[G]=200&color[B]=150");
    query_case!(c.query_allow_reserved("https://example.com/a?b=1"), "target=https://example.com/a?b=1");
    query_case!(c.query_json_content(rgb()), "filter=%7B%22R%22%3A100%2C%22G%22%3A200%2C%22B%22%3A150%7D");

    macro_rules! path_case {
        ($call:expr, $prefix:literal, $expected:literal) => {{
            $call.await.expect(stringify!($call));
            let request = last(&server).await;
            assert_eq!(request.url.path(), concat!($prefix, $expected), "{}", stringify!($call));
        }};
    }
    path_case!(c.path_simple_n_string(blue()), "/path/simple/n/string/", "blue");
    path_case!(c.path_simple_n_array(colors()), "/path/simple/n/array/", "blue,black,brown");
    path_case!(c.path_simple_n_object(rgb()), "/path/simple/n/object/", "R,100,G,200,B,150");
    path_case!(c.path_simple_x_string(blue()), "/path/simple/x/string/", "blue");
    path_case!(c.path_simple_x_array(colors()), "/path/simple/x/array/", "blue,black,brown");
    path_case!(c.path_simple_x_object(rgb()), "/path/simple/x/object/", "R=100,G=200,B=150");
    path_case!(c.path_label_n_string(blue()), "/path/label/n/string/", ".blue");
    path_case!(c.path_label_n_array(colors()), "/path/label/n/array/", ".blue,black,brown");
    path_case!(c.path_label_n_object(rgb()), "/path/label/n/object/", ".R,100,G,200,B,150");
    path_case!(c.path_label_x_string(blue()), "/path/label/x/string/", ".blue");
    path_case!(c.path_label_x_array(colors()), "/path/label/x/array/", ".blue.black.brown");
    path_case!(c.path_label_x_object(rgb()), "/path/label/x/object/", ".R=100.G=200.B=150");
    path_case!(c.path_matrix_n_string(blue()), "/path/matrix/n/string/", ";color=blue");
    path_case!(c.path_matrix_n_array(colors()), "/path/matrix/n/array/", ";color=blue,black,brown");
    path_case!(c.path_matrix_n_object(rgb()), "/path/matrix/n/object/", ";color=R,100,G,200,B,150");
    path_case!(c.path_matrix_x_string(blue()), "/path/matrix/x/string/", ";color=blue");
    path_case!(c.path_matrix_x_array(colors()), "/path/matrix/x/array/", ";color=blue;color=black;color=brown");
    path_case!(c.path_matrix_x_object(rgb()), "/path/matrix/x/object/", ";R=100;G=200;B=150");

    macro_rules! header_case {
        ($call:expr, $expected:literal) => {{
            $call.await.expect(stringify!($call));
            let request = last(&server).await;
            let value = request.headers.get("color").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            assert_eq!(value, $expected, "{}", stringify!($call));
        }};
    }
    header_case!(c.header_simple_n_string(blue()), "blue");
    header_case!(c.header_simple_n_array(colors()), "blue,black,brown");
    header_case!(c.header_simple_n_object(rgb()), "R,100,G,200,B,150");
    header_case!(c.header_simple_x_string(blue()), "blue");
    header_case!(c.header_simple_x_array(colors()), "blue,black,brown");
    header_case!(c.header_simple_x_object(rgb()), "R=100,G=200,B=150");

    c.cookie_params("abc").theme("dark").await.expect("cookies");
    let request = last(&server).await;
    assert_eq!(request.headers.get("cookie").and_then(|v| v.to_str().ok()), Some("session=abc; theme=dark"));
}

mod bodies {
    use restsmith_corpus::request_bodies::{models, operations::add_pet::Body, Client};
    use restsmith_runtime::ClientOptions;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn content_type(request: &wiremock::Request) -> String {
        request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }

    /// The caller picks the media type; each is encoded as its type says.
    #[tokio::test]
    async fn request_body_media_types() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/pets"))
            .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"name": "Fido", "age": 3})))
            .mount(&server)
            .await;
        Mock::given(method("PUT")).and(path("/upload")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        Mock::given(method("POST")).and(path("/form")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let c = Client::with_options(&server.uri(), None, ClientOptions::default()).expect("client");
        let mut pet = models::Pet::new("Fido".into());
        pet.age = Some(3);

        let created = c.add_pet(Body::Json(pet.clone())).await.expect("json");
        assert_eq!(created.body.name, "Fido");
        c.add_pet(Body::Form(pet.clone())).await.expect("form");
        let mut upload = models::PetUpload::new("Fido".into(), vec![0x89, b'P', b'N', b'G']);
        upload.tags = Some(vec!["a".into(), "b".into()]);
        c.add_pet(Body::Multipart(upload)).await.expect("multipart");
        c.add_pet(Body::Binary(vec![1u8, 2, 3].into())).await.expect("binary");
        c.add_pet(Body::Text("just text".into())).await.expect("text");
        c.upload(b"raw bytes".to_vec()).await.expect("upload");
        let mut form = models::SubmitFormForm::default();
        form.grant_type = Some("client credentials".into());
        form.scope = Some(vec!["a".into(), "b c".into()]);
        c.submit_form().body(form).await.expect("optional form");

        let sent = server.received_requests().await.expect("recording");
        assert_eq!(content_type(&sent[0]), "application/json");
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&sent[0].body).unwrap(), serde_json::json!({"name": "Fido", "age": 3}));
        assert_eq!(content_type(&sent[1]), "application/x-www-form-urlencoded");
        assert_eq!(String::from_utf8_lossy(&sent[1].body), "name=Fido&age=3");
        let multipart_type = content_type(&sent[2]);
        let boundary = multipart_type.strip_prefix("multipart/form-data; boundary=").expect("multipart content type");
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nFido\r\n--{b}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"photo\"\r\nContent-Type: image/png\r\n\r\n\u{89}PNG\r\n--{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n--{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n--{b}--\r\n",
            b = boundary
        );
        let mut expected_bytes = expected.into_bytes();
        // The photo part is raw bytes, not UTF-8: put 0x89 back.
        let marker = expected_bytes.windows(5).position(|w| w == "\u{89}PNG".as_bytes()).expect("marker");
        expected_bytes.splice(marker..marker + 2, [0x89u8]);
        assert_eq!(sent[2].body, expected_bytes, "multipart body");
        assert_eq!(content_type(&sent[3]), "application/octet-stream");
        assert_eq!(sent[3].body, vec![1u8, 2, 3]);
        assert_eq!(content_type(&sent[4]), "text/plain");
        assert_eq!(sent[4].body, b"just text");
        assert_eq!(sent[5].body, b"raw bytes");
        assert_eq!(content_type(&sent[6]), "application/x-www-form-urlencoded");
        assert_eq!(String::from_utf8_lossy(&sent[6].body), "grant_type=client+credentials&scope=a&scope=b+c");
    }

    /// Responses are decoded by their media type, and `Accept` names it.
    #[tokio::test]
    async fn response_media_types() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/echo"))
            .respond_with(ResponseTemplate::new(200).set_body_raw("héllo", "text/plain"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/download"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0u8, 255, 7], "application/octet-stream"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/report"))
            .respond_with(ResponseTemplate::new(200).set_body_raw("<r>1</r>", "application/xml"))
            .mount(&server)
            .await;
        let c = Client::with_options(&server.uri(), None, ClientOptions::default()).expect("client");
        assert_eq!(c.echo_text("héllo").await.expect("echo").body, "héllo");
        assert_eq!(&c.download().await.expect("download").body[..], &[0u8, 255, 7]);
        assert_eq!(c.report().await.expect("report").body, "<r>1</r>");
        let sent = server.received_requests().await.expect("recording");
        let accept = |i: usize| sent[i].headers.get("accept").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert_eq!(accept(0), "text/plain");
        assert_eq!(accept(1), "application/octet-stream");
        assert_eq!(accept(2), "application/xml");
    }
}

mod schemas {
    use restsmith_corpus::schemas::models::{Priority, Thing, ThingColor, Vote};

    /// Defaults from the spec fill the constructor; integer enums are numbers on the wire; odd
    /// enum values get names and survive; unknown values are kept.
    #[test]
    fn defaults_and_enums() {
        // `password` is required but write-only: an `Option`, since responses never carry it.
        let mut thing = Thing::new("box".into());
        thing.password = Some("s3cret".into());
        assert_eq!(thing.size, Some(10));
        assert_eq!(thing.color, Some(ThingColor::Green));
        let json = serde_json::to_value(&thing).expect("serializes");
        assert_eq!(json, serde_json::json!({"name": "box", "password": "s3cret", "size": 10, "color": "green"}));
        assert_eq!(serde_json::to_value(Priority::V2).unwrap(), serde_json::json!(2));
        assert_eq!(serde_json::from_value::<Priority>(serde_json::json!(7)).unwrap(), Priority::UnknownValue(7));
        assert_eq!(Vote::from("+1"), Vote::Plus1);
        assert_eq!(Vote::from("-1"), Vote::Minus1);
        assert_eq!(Vote::from(""), Vote::Empty);
        assert_eq!(Vote::from("a b").as_str(), "a b");
        assert_eq!(Vote::from("A B").as_str(), "A B", "values that collide after case conversion stay distinct");
        assert_ne!(Vote::from("a b"), Vote::from("A B"));
        // A response without the write-only password still decodes.
        let back: Thing = serde_json::from_value(serde_json::json!({"id": "t-1", "name": "box"})).expect("decodes");
        assert_eq!(back.password, None);
        assert_eq!(back.id.as_deref(), Some("t-1"));
    }
}

mod responses {
    use restsmith_corpus::responses::operations::get_job::{Body, ErrorBody};
    use restsmith_corpus::responses::Client;
    use restsmith_runtime::{ClientOptions, Error, RetryOptions};
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// Different success bodies by status, and error bodies decoded by status.
    #[tokio::test]
    async fn bodies_by_status() {
        let server = MockServer::start().await;
        let json = |status: u16, body: serde_json::Value| ResponseTemplate::new(status).set_body_json(body);
        Mock::given(path("/jobs/done")).respond_with(json(200, serde_json::json!({"result": "ok"}))).mount(&server).await;
        Mock::given(path("/jobs/busy")).respond_with(json(202, serde_json::json!({"percent": 40})).insert_header("Retry-After", "5")).mount(&server).await;
        Mock::given(path("/jobs/gone")).respond_with(json(404, serde_json::json!({"code": "NotFound", "message": "gone", "missing": "gone"}))).mount(&server).await;
        Mock::given(path("/jobs/bad")).respond_with(json(422, serde_json::json!({"code": "Invalid", "message": "bad id", "field": "id"}))).mount(&server).await;
        Mock::given(path("/jobs/boom")).respond_with(json(503, serde_json::json!({"error": {"code": "Boom", "message": "it broke"}}))).mount(&server).await;
        let options = ClientOptions::default().retry(RetryOptions::none());
        let c = Client::with_options(&server.uri(), None, options).expect("client");

        match c.get_job("done").await.expect("200").body {
            Body::Status200(job) => assert_eq!(job.result.as_deref(), Some("ok")),
            other => panic!("expected the 200 body, got {other:?}"),
        }
        let busy = c.get_job("busy").await.expect("202");
        assert!(matches!(busy.body, Body::Status202(ref p) if p.percent == Some(40.0)), "{:?}", busy.body);
        assert_eq!(busy.headers.retry_after, Some(5));

        let api = |e: Error<ErrorBody>| match e {
            Error::Api(api) => *api,
            other => panic!("expected an API error, got {other:?}"),
        };
        let gone = api(c.get_job("gone").await.expect_err("404"));
        assert!(matches!(gone.body, Some(ErrorBody::Status404(ref n)) if n.missing.as_deref() == Some("gone")), "{:?}", gone.body);
        assert_eq!(gone.code.as_deref(), Some("NotFound"));
        let bad = api(c.get_job("bad").await.expect_err("422"));
        assert!(matches!(bad.body, Some(ErrorBody::Status4XX(ref e)) if e.field.as_deref() == Some("id")), "{:?}", bad.body);
        assert_eq!(bad.message.as_deref(), Some("bad id"));
        let boom = api(c.get_job("boom").await.expect_err("503"));
        assert!(matches!(boom.body, Some(ErrorBody::Default(_))), "{:?}", boom.body);
        assert_eq!(boom.code.as_deref(), Some("Boom"), "the code is found inside the default error's `error` object");
    }
}

mod operations {
    use restsmith_corpus::operations::Client;
    use restsmith_runtime::ClientOptions;
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// Odd and missing operationIds get idiomatic names; the operation's parameter overrides the
    /// path-level one; a path-level server is used; tags group the operation modules.
    #[tokio::test]
    #[allow(deprecated)]
    async fn operation_constructs() {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let c = Client::with_options(&server.uri(), None, ClientOptions::default()).expect("client");
        c.repos_get_content("octo", "main").await.expect("odd operationId");
        c.get_no_id_item(7).await.expect("derived operationId");
        c.upload_asset(b"x".to_vec()).await.expect_err("201 declared, 204 answered: not a success");
        let sent = server.received_requests().await.expect("recording");
        assert_eq!(sent[0].url.path(), "/repos/octo/contents");
        assert_eq!(sent[0].url.query(), Some("ref=main"), "the operation's required `ref` replaces the path-level one");
        assert_eq!(sent[1].url.path(), "/no-id/7");
        assert_eq!(sent[2].url.path(), "/uploads-api/uploads", "a path-level relative server");
        // The deprecated operation still works (the attribute only warns).
        let _ = c.markdown_render_raw("# hi");
        // Grouping by tag.
        let _ = restsmith_corpus::operations::operations::by_tag::repos::repos_get_content::RequestBuilder::send;
        let _ = restsmith_corpus::operations::operations::by_tag::markdown::get_no_id_item::RequestBuilder::send;
    }
}

mod validation {
    use restsmith_corpus::validation::Client;
    use restsmith_runtime::{ClientOptions, Error};
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// Values that break a keyword are refused with an error naming the parameter; nothing is sent.
    #[tokio::test]
    async fn keywords_are_checked_before_sending() {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let c = Client::with_options(&server.uri(), None, ClientOptions::default()).expect("client");
        let rejected = |result: Result<_, Error<serde_json::Value>>, parameter: &str| match result {
            Err(Error::Validation { parameter: p, message }) => assert_eq!(p, parameter, "{message}"),
            other => panic!("expected a validation error for {parameter}, got {other:?}"),
        };
        rejected(c.search("ABC").await.map(|_| ()), "q");
        rejected(c.search("a").await.map(|_| ()), "q");
        rejected(c.search("abcdef").await.map(|_| ()), "q");
        rejected(c.search("ok").ratio(0.0).await.map(|_| ()), "ratio");
        rejected(c.search("ok").ratio(1.0).await.map(|_| ()), "ratio");
        rejected(c.search("ok").step(7).await.map(|_| ()), "step");
        rejected(c.search("ok").step(0).await.map(|_| ()), "step");
        rejected(c.search("ok").ids(Vec::<String>::new()).await.map(|_| ()), "ids");
        rejected(c.search("ok").ids(["a", "b", "a"]).await.map(|_| ()), "ids");
        assert!(server.received_requests().await.expect("recording").is_empty(), "nothing was sent");
        c.search("ok").ratio(0.5).step(10).ids(["a", "b"]).await.expect("valid values are sent");
        assert_eq!(server.received_requests().await.expect("recording").len(), 1);
    }
}
