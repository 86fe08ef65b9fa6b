//! Request and response bodies of the corpus specs over real HTTP: the exact bytes and content
//! type each generated client sends for each media type, how each response media type is
//! decoded, success and error bodies by status, response headers, and paging.

use restsmith_corpus as corpus;
use restsmith_runtime::{ClientOptions, Error, RetryOptions};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn options() -> ClientOptions {
    ClientOptions::default().retry(RetryOptions::none())
}

/// An unauthenticated client of corpus module `$module` for `$server`.
macro_rules! client {
    ($module:ident, $server:expr) => {
        corpus::$module::Client::with_options(&$server.uri(), None, options()).expect("client")
    };
}

/// A server answering every request with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(response).mount(&server).await;
    server
}

async fn sent(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

async fn last(server: &MockServer) -> Request {
    sent(server).await.pop().expect("a request was sent")
}

fn header(request: &Request, name: &str) -> Option<String> {
    request.headers.get(name).map(|v| v.to_str().expect("ASCII header").to_owned())
}

fn content_type(request: &Request) -> Option<String> {
    header(request, "content-type")
}

fn body_text(request: &Request) -> &str {
    std::str::from_utf8(&request.body).expect("a UTF-8 body")
}

/// The boundary of a `multipart/form-data` request.
fn boundary(request: &Request) -> String {
    let content_type = content_type(request).expect("a content type");
    content_type.strip_prefix("multipart/form-data; boundary=").unwrap_or_else(|| panic!("not multipart: {content_type}")).to_owned()
}

/// A multipart body from `(headers, data)` parts, each header line without its CRLF.
fn multipart(boundary: &str, parts: &[(&[&str], &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (headers, data) in parts {
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        for h in *headers {
            out.extend_from_slice(format!("{h}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

/// The API error of a failed call.
fn api<E: std::fmt::Debug>(result: Result<impl std::fmt::Debug, Error<E>>) -> restsmith_runtime::ApiError<E> {
    match result {
        Err(Error::Api(api)) => *api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

mod requests {
    use super::*;

    #[tokio::test]
    async fn json_request_body() {
        use corpus::json_request_body::models::Pet;
        let server = answering(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": 7, "name": "Fido", "tags": ["good"]}))).await;
        let c = client!(json_request_body, server);
        let mut pet = Pet::new("Fido".into());
        pet.tags = Some(vec!["good".into()]);
        let created = c.add_pet(pet.clone()).await.expect("send").body;
        assert_eq!((created.id, created.name.as_str(), created.tags), (Some(7), "Fido", pet.tags));
        let request = last(&server).await;
        assert_eq!(content_type(&request).as_deref(), Some("application/json"));
        assert_eq!(body_text(&request), r#"{"name":"Fido","tags":["good"]}"#);
    }

    #[tokio::test]
    async fn optional_request_body() {
        use corpus::optional_request_body::models::Settings;
        let server = answering(ResponseTemplate::new(204)).await;
        let c = client!(optional_request_body, server);
        c.update_settings().await.expect("without a body");
        let request = last(&server).await;
        assert!(request.body.is_empty());
        assert_eq!(content_type(&request), None);
        let mut settings = Settings::new();
        settings.theme = Some("dark".into());
        c.update_settings().body(settings).await.expect("with a body");
        let request = last(&server).await;
        assert_eq!(content_type(&request).as_deref(), Some("application/json"));
        assert_eq!(body_text(&request), r#"{"theme":"dark"}"#);
    }

    #[tokio::test]
    async fn form_urlencoded_request() {
        use corpus::form_urlencoded_request::models::TokenRequest;
        let server = answering(ResponseTemplate::new(200).set_body_json(serde_json::json!({"access_token": "abc"}))).await;
        let c = client!(form_urlencoded_request, server);
        let mut form = TokenRequest::new("client_credentials".into());
        form.scope = Some(vec!["read".into(), "write all".into()]);
        form.lifetime = Some(60);
        form.offline = Some(true);
        assert_eq!(c.get_token(form).await.expect("send").body.access_token, "abc");
        let request = last(&server).await;
        assert_eq!(content_type(&request).as_deref(), Some("application/x-www-form-urlencoded"));
        assert_eq!(body_text(&request), "grant_type=client_credentials&scope=read&scope=write+all&lifetime=60&offline=true");
    }

    #[tokio::test]
    async fn multipart_file_parts() {
        use corpus::multipart_file_parts::models::UploadDocumentMultipart;
        let server = answering(ResponseTemplate::new(204)).await;
        let c = client!(multipart_file_parts, server);
        let mut upload = UploadDocumentMultipart::new("Report".into(), vec![0x25, 0x50, 0x44, 0xff]);
        upload.labels = Some(vec!["a".into(), "b".into()]);
        c.upload_document(upload).await.expect("send");
        let request = last(&server).await;
        let b = boundary(&request);
        let expected = multipart(
            &b,
            &[
                (&[r#"Content-Disposition: form-data; name="title""#], b"Report"),
                (&[r#"Content-Disposition: form-data; name="file"; filename="file""#, "Content-Type: application/octet-stream"], &[0x25, 0x50, 0x44, 0xff]),
                (&[r#"Content-Disposition: form-data; name="labels""#], b"a"),
                (&[r#"Content-Disposition: form-data; name="labels""#], b"b"),
            ],
        );
        assert_eq!(String::from_utf8_lossy(&request.body), String::from_utf8_lossy(&expected));
        assert_eq!(request.body, expected);
    }

    #[tokio::test]
    async fn multipart_part_encoding() {
        use corpus::multipart_part_encoding::models::{PhotoMeta, PhotoUpload};
        let server = answering(ResponseTemplate::new(204)).await;
        let c = client!(multipart_part_encoding, server);
        let mut meta = PhotoMeta::new();
        meta.width = Some(640);
        c.upload_photo(PhotoUpload::new(vec![0x89, b'P'], "# Hi".into(), meta)).await.expect("send");
        let request = last(&server).await;
        let b = boundary(&request);
        let expected = multipart(
            &b,
            &[
                (&[r#"Content-Disposition: form-data; name="photo"; filename="photo""#, "Content-Type: image/png"], &[0x89, b'P']),
                (&[r#"Content-Disposition: form-data; name="caption""#, "Content-Type: text/markdown"], b"# Hi"),
                // OpenAPI 3.0 (Encoding Object): an object-valued part defaults to application/json.
                (&[r#"Content-Disposition: form-data; name="meta""#, "Content-Type: application/json"], br#"{"width":640}"#),
            ],
        );
        assert_eq!(String::from_utf8_lossy(&request.body), String::from_utf8_lossy(&expected));
    }

    #[tokio::test]
    async fn octet_stream_request() {
        let server = answering(ResponseTemplate::new(201)).await;
        let c = client!(octet_stream_request, server);
        c.put_blob("a.bin", vec![0u8, 1, 2, 255]).await.expect("send");
        let request = last(&server).await;
        assert_eq!((request.method.as_str(), request.url.path()), ("PUT", "/blobs/a.bin"));
        assert_eq!(content_type(&request).as_deref(), Some("application/octet-stream"));
        assert_eq!(request.body, [0u8, 1, 2, 255]);
    }

    /// Three chunks as a stream with no known length.
    fn chunks() -> restsmith_runtime::Binary {
        let parts: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"stre".to_vec()), Ok(b"amed ".to_vec()), Ok(b"bytes".to_vec())];
        restsmith_runtime::Binary::from_stream(futures::stream::iter(parts))
    }

    #[tokio::test]
    async fn octet_stream_request_from_a_stream() {
        let server = answering(ResponseTemplate::new(201)).await;
        let c = client!(octet_stream_request, server);
        c.put_blob("s.bin", chunks()).await.expect("send");
        let request = last(&server).await;
        assert_eq!(request.body, b"streamed bytes");
        assert_eq!(content_type(&request).as_deref(), Some("application/octet-stream"));
        assert_eq!(header(&request, "transfer-encoding").as_deref(), Some("chunked"));
        assert_eq!(header(&request, "content-length"), None);

        // A file streams with its size as Content-Length.
        let file = std::env::temp_dir().join(format!("restsmith-corpus-{}.bin", std::process::id()));
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&file, &data).expect("write temp file");
        let body = restsmith_runtime::Binary::from_file(&file).await.expect("open");
        assert_eq!(body.len(), Some(200_000));
        c.put_blob("f.bin", body).await.expect("send file");
        std::fs::remove_file(&file).ok();
        let request = last(&server).await;
        assert_eq!(header(&request, "content-length").as_deref(), Some("200000"));
        assert_eq!(request.body, data);
    }

    #[tokio::test]
    async fn a_streamed_body_is_sent_once_and_never_retried() {
        let server = answering(ResponseTemplate::new(503)).await;
        let retrying = ClientOptions::default().retry(RetryOptions::default().with_max_retries(2).with_delay_scale(0.001));
        let c = corpus::octet_stream_request::Client::with_options(&server.uri(), None, retrying).expect("client");
        // Bytes are replayed: one attempt and two retries.
        let err = c.put_blob("b.bin", b"bytes").await.expect_err("503");
        assert!(matches!(err, Error::Api(ref e) if e.status == 503), "{err:?}");
        assert_eq!(sent(&server).await.len(), 3);
        // A stream is not: the same 503 ends the call after one attempt.
        let err = c.put_blob("s.bin", chunks()).await.expect_err("503");
        assert!(matches!(err, Error::Api(ref e) if e.status == 503), "{err:?}");
        assert_eq!(sent(&server).await.len(), 4);
        // A builder cloned with its stream shares it: the second send finds it consumed.
        let builder = c.put_blob("twice.bin", chunks());
        let again = builder.clone();
        builder.await.expect_err("503");
        let err = again.await.expect_err("consumed");
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        assert!(err.to_string().contains("already consumed"), "{err}");
        assert_eq!(sent(&server).await.len(), 5);
    }

    #[tokio::test]
    async fn a_failing_stream_aborts_the_request() {
        let server = answering(ResponseTemplate::new(201)).await;
        let c = client!(octet_stream_request, server);
        let parts: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"partial".to_vec()), Err(std::io::Error::other("disk gone"))];
        let err = c.put_blob("e.bin", restsmith_runtime::Binary::from_stream(futures::stream::iter(parts))).await.expect_err("stream error");
        assert!(matches!(err, Error::Transport { .. }), "{err:?}");
        assert!(sent(&server).await.iter().all(|r| r.body != b"partial"), "an incomplete body must not be accepted as complete");
    }

    #[tokio::test]
    async fn text_plain_request() {
        let server = answering(ResponseTemplate::new(204)).await;
        let c = client!(text_plain_request, server);
        c.add_note("héllo\nworld").await.expect("send");
        let request = last(&server).await;
        assert_eq!(content_type(&request).as_deref(), Some("text/plain"));
        assert_eq!(body_text(&request), "héllo\nworld");
    }

    #[tokio::test]
    async fn several_request_media_types() {
        use corpus::several_request_media_types::{models::Pet, operations::add_pet::Body};
        let server = answering(ResponseTemplate::new(204)).await;
        let c = client!(several_request_media_types, server);
        let mut pet = Pet::new("Fido Dog".into());
        pet.age = Some(3);
        c.add_pet(Body::Json(pet.clone())).await.expect("json");
        c.add_pet(Body::Form(pet)).await.expect("form");
        c.add_pet(Body::Text("just text".into())).await.expect("text");
        c.add_pet(Body::Binary(vec![1u8, 2, 3].into())).await.expect("bytes");
        let sent: Vec<_> = sent(&server).await.iter().map(|r| (content_type(r).unwrap_or_default(), r.body.clone())).collect();
        assert_eq!(
            sent,
            [
                ("application/json".to_owned(), br#"{"name":"Fido Dog","age":3}"#.to_vec()),
                ("application/x-www-form-urlencoded".to_owned(), b"name=Fido+Dog&age=3".to_vec()),
                ("text/plain".to_owned(), b"just text".to_vec()),
                ("application/octet-stream".to_owned(), vec![1, 2, 3]),
            ]
        );
    }

    #[tokio::test]
    async fn xml_request_body_skipped() {
        use corpus::xml_request_body_skipped::models::Pet;
        let warnings = corpus::warnings("xml_request_body_skipped");
        for pointer in [
            "#/paths/~1pets/post/requestBody/content/application~1xml: ",
            "#/paths/~1legacy/post/requestBody/content/application~1xml: ",
            "#/paths/~1legacy/post/requestBody: ",
        ] {
            assert!(warnings.iter().any(|w| w.starts_with(pointer)), "{pointer} in {warnings:?}");
        }
        let server = answering(ResponseTemplate::new(204)).await;
        let c = client!(xml_request_body_skipped, server);
        c.add_pet(Pet::new("Fido".into())).await.expect("send");
        let request = last(&server).await;
        assert_eq!(content_type(&request).as_deref(), Some("application/json"), "the JSON media type is kept");
        assert_eq!(body_text(&request), r#"{"name":"Fido"}"#);
    }

    #[tokio::test]
    async fn swagger2_formdata() {
        use corpus::swagger2_formdata::{models::{LoginForm, UploadFileMultipart}, Client};
        assert_eq!(Client::DEFAULT_ENDPOINT, "http://localhost/v2", "host, schemes and basePath");
        let server = answering(ResponseTemplate::new(204)).await;
        let c = Client::with_options(&format!("{}/v2", server.uri()), None, options()).expect("client");
        let mut form = LoginForm::new("ada b".into());
        form.remember = Some(true);
        c.login(form).await.expect("form");
        let request = last(&server).await;
        assert_eq!(request.url.path(), "/v2/login");
        assert_eq!(content_type(&request).as_deref(), Some("application/x-www-form-urlencoded"));
        assert_eq!(body_text(&request), "user=ada+b&remember=true");
        let mut upload = UploadFileMultipart::new(b"data".to_vec());
        upload.note = Some("n".into());
        c.upload_file(upload).await.expect("multipart");
        let request = last(&server).await;
        assert_eq!(request.url.path(), "/v2/files");
        let expected = multipart(
            &boundary(&request),
            &[
                (&[r#"Content-Disposition: form-data; name="file"; filename="file""#, "Content-Type: application/octet-stream"], b"data"),
                (&[r#"Content-Disposition: form-data; name="note""#], b"n"),
            ],
        );
        assert_eq!(String::from_utf8_lossy(&request.body), String::from_utf8_lossy(&expected));
    }

    #[tokio::test]
    async fn component_refs() {
        use corpus::component_refs::models::Thing;
        let server = answering(ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "u"})).insert_header("X-Version", "3")).await;
        let c = client!(component_refs, server);
        let mut thing = Thing::new();
        thing.name = Some("t".into());
        let response = c.put_thing("t1", thing).verbose(true).await.expect("send");
        assert_eq!(response.body.name.as_deref(), Some("u"));
        assert_eq!(response.headers.x_version, Some(3));
        let request = last(&server).await;
        assert_eq!((request.method.as_str(), request.url.path(), request.url.query()), ("PUT", "/things/t1", Some("verbose=true")));
        assert_eq!(body_text(&request), r#"{"name":"t"}"#);
    }

    #[tokio::test]
    async fn external_ref() {
        use corpus::external_ref::models::{LocalThing, Tag, Thing};
        let server = MockServer::start().await;
        Mock::given(path("/things/t1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"name": "t", "tag": {"label": "x"}})))
            .mount(&server)
            .await;
        Mock::given(path("/things/nope"))
            .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({"code": "NotFound", "message": "no"})))
            .mount(&server)
            .await;
        Mock::given(method("POST")).and(path("/things")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        let c = client!(external_ref, server);
        let thing: Thing = c.get_thing("t1").await.expect("get").body;
        assert_eq!(thing.tag.and_then(|t| t.label).as_deref(), Some("x"));
        let missing = api(c.get_thing("nope").await);
        assert_eq!(missing.body.and_then(|e| e.message).as_deref(), Some("no"));
        let mut tag = Tag::new();
        tag.label = Some("y".into());
        let mut local = LocalThing::new();
        local.thing = Some(Thing::new("t".into()));
        local.tag = Some(tag);
        c.add_thing(local).await.expect("add");
        assert_eq!(body_text(&last(&server).await), r#"{"thing":{"name":"t"},"tag":{"label":"y"}}"#);
    }
}

mod responses {
    use super::*;

    #[tokio::test]
    async fn text_plain_response() {
        let server = answering(ResponseTemplate::new(200).set_body_raw("héllo wörld", "text/plain; charset=utf-8")).await;
        let c = client!(text_plain_response, server);
        assert_eq!(c.message_of_the_day().await.expect("send").body, "héllo wörld");
        assert_eq!(header(&last(&server).await, "accept").as_deref(), Some("text/plain"));
    }

    #[tokio::test]
    async fn octet_stream_response() {
        let server = answering(ResponseTemplate::new(200).set_body_raw(vec![0u8, 255, 7], "application/octet-stream")).await;
        let c = client!(octet_stream_response, server);
        assert_eq!(&c.get_blob("b").await.expect("send").body[..], [0u8, 255, 7]);
        assert_eq!(header(&last(&server).await, "accept").as_deref(), Some("application/octet-stream"));
    }

    #[tokio::test]
    async fn xml_response_as_text() {
        let server = answering(ResponseTemplate::new(200).set_body_raw("<rss><channel/></rss>", "application/xml")).await;
        let c = client!(xml_response_as_text, server);
        assert_eq!(c.get_feed().await.expect("send").body, "<rss><channel/></rss>");
        assert_eq!(header(&last(&server).await, "accept").as_deref(), Some("application/xml"));
    }

    #[tokio::test]
    async fn json_suffix_media_type() {
        let server = MockServer::start().await;
        Mock::given(path("/pets/p1"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"name":"Fido"}"#, "application/vnd.acme.pet+json"))
            .mount(&server)
            .await;
        Mock::given(path("/pets/p2"))
            .respond_with(ResponseTemplate::new(404).set_body_raw(r#"{"type":"about:blank","title":"Not Found","status":404}"#, "application/problem+json"))
            .mount(&server)
            .await;
        let c = client!(json_suffix_media_type, server);
        assert_eq!(c.get_pet("p1").await.expect("200").body.name, "Fido");
        let problem = api(c.get_pet("p2").await).body.expect("the problem decoded");
        assert_eq!((problem.title.as_deref(), problem.status), (Some("Not Found"), Some(404)));
        let accept = header(&sent(&server).await[0], "accept");
        assert!(accept.as_deref().is_some_and(|a| a.contains("application/vnd.acme.pet+json")), "Accept names the declared type: {accept:?}");
    }

    #[tokio::test]
    async fn wildcard_media_type() {
        let server = answering(ResponseTemplate::new(200).set_body_raw(vec![0u8, 159, 146, 150], "application/pdf")).await;
        let c = client!(wildcard_media_type, server);
        assert_eq!(&c.export().await.expect("application/*").body[..], [0u8, 159, 146, 150]);
        assert_eq!(header(&last(&server).await, "accept").as_deref(), Some("application/*"));
        assert_eq!(&c.download().await.expect("*/*: any bytes, not JSON").body[..], [0u8, 159, 146, 150]);
    }

    #[tokio::test]
    async fn empty_response_body() {
        let server = MockServer::start().await;
        Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(200).set_body_raw("pong", "text/plain")).mount(&server).await;
        let c = client!(empty_response_body, server);
        let ended = c.end_session("s1").await.expect("204");
        assert_eq!((ended.status.as_u16(), ended.body), (204, ()));
        let pong = c.ping().await.expect("200 with an undeclared body");
        assert_eq!((pong.status.as_u16(), pong.body), (200, ()));
        assert_eq!(sent(&server).await.iter().filter_map(|r| header(r, "accept")).filter(|a| a != "*/*").count(), 0, "no Accept for no content");
    }

    #[tokio::test]
    async fn two_success_bodies() {
        use corpus::two_success_bodies::operations::get_job::Body;
        let server = MockServer::start().await;
        Mock::given(path("/jobs/done")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"result": "ok"}))).mount(&server).await;
        Mock::given(path("/jobs/busy"))
            .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({"percent": 40})).insert_header("Retry-After", "5"))
            .mount(&server)
            .await;
        let c = client!(two_success_bodies, server);
        let done = c.get_job("done").await.expect("200");
        assert!(matches!(done.body, Body::Status200(ref job) if job.result.as_deref() == Some("ok")), "{:?}", done.body);
        assert_eq!(done.headers.retry_after, None);
        let busy = c.get_job("busy").await.expect("202");
        assert!(matches!(busy.body, Body::Status202(ref p) if p.percent == Some(40.0)), "{:?}", busy.body);
        assert_eq!(busy.headers.retry_after, Some(5));
    }

    #[tokio::test]
    async fn response_headers() {
        let server = MockServer::start().await;
        Mock::given(query_param_is_missing("bad"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(17)
                    .insert_header("ETag", "\"v1\"")
                    .insert_header("X-RateLimit-Remaining", "42")
                    .insert_header("X-Request-Count", "9007199254740993")
                    .insert_header("Last-Modified", "Tue, 02 Jan 2024 03:04:05 GMT")
                    .insert_header("X-Expires-At", "2024-01-02T03:04:05Z")
                    .insert_header("X-Other", "kept raw"),
            )
            .mount(&server)
            .await;
        let c = client!(response_headers, server);
        let quota = c.get_quota().await.expect("send");
        assert_eq!(quota.body, 17);
        let h = &quota.headers;
        assert_eq!(h.e_tag.as_deref(), Some("\"v1\""));
        assert_eq!(h.x_rate_limit_remaining, Some(42));
        assert_eq!(h.x_request_count, Some(9_007_199_254_740_993));
        assert_eq!(h.last_modified.as_deref(), Some("Tue, 02 Jan 2024 03:04:05 GMT"));
        assert_eq!(h.x_expires_at.map(|t| t.to_rfc3339()).as_deref(), Some("2024-01-02T03:04:05+00:00"));
        assert_eq!(quota.raw_headers.get("x-other").and_then(|v| v.to_str().ok()), Some("kept raw"));

        let malformed = answering(ResponseTemplate::new(200).set_body_json(1).insert_header("X-RateLimit-Remaining", "lots")).await;
        let quota = client!(response_headers, malformed).get_quota().await.expect("a malformed header is not an error");
        assert_eq!((quota.headers.x_rate_limit_remaining, quota.headers.e_tag), (None, None));
    }

    #[tokio::test]
    async fn several_error_bodies() {
        use corpus::several_error_bodies::operations::get_job::ErrorBody;
        let server = MockServer::start().await;
        let json = |status: u16, body: serde_json::Value| ResponseTemplate::new(status).set_body_json(body);
        Mock::given(path("/jobs/done")).respond_with(json(200, serde_json::json!({"result": "ok"}))).mount(&server).await;
        Mock::given(path("/jobs/gone")).respond_with(json(404, serde_json::json!({"code": "NotFound", "message": "gone", "missing": "gone"}))).mount(&server).await;
        Mock::given(path("/jobs/bad")).respond_with(json(422, serde_json::json!({"code": "Invalid", "message": "bad id", "field": "id"}))).mount(&server).await;
        Mock::given(path("/jobs/boom")).respond_with(json(503, serde_json::json!({"error": {"code": "Boom", "message": "it broke"}}))).mount(&server).await;
        let c = client!(several_error_bodies, server);
        assert_eq!(c.get_job("done").await.expect("200").body.result.as_deref(), Some("ok"));
        let gone = api(c.get_job("gone").await);
        assert!(matches!(gone.body, Some(ErrorBody::Status404(ref n)) if n.missing.as_deref() == Some("gone")), "{:?}", gone.body);
        assert_eq!((gone.status.as_u16(), gone.code.as_deref()), (404, Some("NotFound")));
        let bad = api(c.get_job("bad").await);
        assert!(matches!(bad.body, Some(ErrorBody::Status4XX(ref e)) if e.field.as_deref() == Some("id")), "{:?}", bad.body);
        assert_eq!(bad.message.as_deref(), Some("bad id"));
        let boom = api(c.get_job("boom").await);
        assert!(matches!(boom.body, Some(ErrorBody::Default(_))), "{:?}", boom.body);
        assert_eq!(boom.code.as_deref(), Some("Boom"), "the code is found inside the default error's `error` object");
    }

    #[tokio::test]
    async fn shared_response_types() {
        use corpus::shared_response_types::operations::{get_issue, get_repo, get_user};
        // One type each, re-exported by both operations (this would not compile otherwise).
        let same_headers: fn(get_repo::Headers) -> get_issue::Headers = |h| h;
        let same_errors: fn(get_repo::ErrorBody) -> get_issue::ErrorBody = |e| e;
        let _ = (same_headers, same_errors);
        use std::any::TypeId;
        assert_ne!(TypeId::of::<get_user::Headers>(), TypeId::of::<get_repo::Headers>(), "other headers, another struct");

        let server = MockServer::start().await;
        let page = ResponseTemplate::new(200)
            .set_body_json(serde_json::json!(["a", "b"]))
            .insert_header("Link", "<https://next>; rel=\"next\"")
            .insert_header("X-RateLimit-Remaining", "12");
        Mock::given(path("/repos/r1")).respond_with(page.clone()).mount(&server).await;
        Mock::given(path("/issues/7")).respond_with(page).mount(&server).await;
        let not_found = ResponseTemplate::new(404).set_body_json(serde_json::json!({"message": "no such thing"}));
        let invalid = ResponseTemplate::new(422).set_body_json(serde_json::json!({"message": "bad", "field": "number"}));
        Mock::given(path("/repos/gone")).respond_with(not_found.clone()).mount(&server).await;
        Mock::given(path("/issues/0")).respond_with(invalid).mount(&server).await;
        Mock::given(path("/users/u1"))
            .respond_with(ResponseTemplate::new(200).set_body_json("u1").insert_header("ETag", "\"e\""))
            .mount(&server)
            .await;
        Mock::given(path("/users/gone")).respond_with(not_found).mount(&server).await;
        let c = client!(shared_response_types, server);

        let repo = c.get_repo("r1").await.expect("200");
        let issue = c.get_issue(7).await.expect("200");
        for response in [&repo, &issue] {
            assert_eq!(response.body, ["a", "b"]);
            assert_eq!(response.headers.link.as_deref(), Some("<https://next>; rel=\"next\""));
            assert_eq!(response.headers.x_rate_limit_remaining, Some(12));
        }
        let gone = api(c.get_repo("gone").await);
        assert!(matches!(gone.body, Some(get_repo::ErrorBody::Status404(ref e)) if e.message == "no such thing"), "{:?}", gone.body);
        let bad = api(c.get_issue(0).await);
        assert!(matches!(bad.body, Some(get_issue::ErrorBody::Status422(ref e)) if e.field == "number"), "{:?}", bad.body);
        assert_eq!(bad.message.as_deref(), Some("bad"));

        // Different headers: its own struct.
        let user = c.get_user("u1").await.expect("200");
        assert_eq!((user.body.as_str(), user.headers.e_tag.as_deref()), ("u1", Some("\"e\"")));
        let gone = api(c.get_user("gone").await);
        assert_eq!(gone.body.map(|e| e.message).as_deref(), Some("no such thing"));
    }

    #[tokio::test]
    async fn prelude_schema_names() {
        use corpus::prelude_schema_names::models::{Box2, None2, Option2, Result2, String2};
        let server = MockServer::start().await;
        Mock::given(path("/results/r1"))
            .and(query_param("kind", "large"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(
                {"id": "r1", "label": {"text": "hi"}, "options": [{"name": "a", "value": "b"}], "empty": {}, "size": "small"}
            )))
            .mount(&server)
            .await;
        let c = client!(prelude_schema_names, server);
        let result: Result2 = c.get_result("r1").kind(Box2::Large).await.expect("200").body;
        assert_eq!(result.id, "r1");
        assert_eq!(result.label.and_then(|l: String2| l.text).as_deref(), Some("hi"));
        let options: Vec<Option2> = result.options.expect("options");
        assert_eq!((options[0].name.as_str(), options[0].value.as_deref()), ("a", Some("b")));
        assert_eq!(result.empty.map(|e: None2| e.reason), Some(None));
        assert_eq!(result.size, Some(Box2::Small));
    }

    #[tokio::test]
    async fn error_range_4xx() {
        let server = MockServer::start().await;
        let rejection = serde_json::json!({"code": "OutOfStock", "message": "none left", "retryable": false});
        Mock::given(query_param_is_missing("x")).respond_with(ResponseTemplate::new(409).set_body_json(&rejection)).up_to_n_times(1).mount(&server).await;
        Mock::given(query_param_is_missing("x")).respond_with(ResponseTemplate::new(422).set_body_json(&rejection)).up_to_n_times(1).mount(&server).await;
        Mock::given(query_param_is_missing("x")).respond_with(ResponseTemplate::new(503).set_body_raw("upstream down", "text/plain")).mount(&server).await;
        let c = client!(error_range_4xx, server);
        for status in [409, 422] {
            let error = api(c.place_order().await);
            assert_eq!(error.status.as_u16(), status);
            let body = error.body.expect("a 4xx decodes");
            assert_eq!((body.code.as_str(), body.message.as_str(), body.retryable), ("OutOfStock", "none left", Some(false)));
            assert_eq!((error.code.as_deref(), error.message.as_deref()), (Some("OutOfStock"), Some("none left")));
        }
        let error = api(c.place_order().await);
        assert_eq!((error.status.as_u16(), error.body.is_none(), error.raw_body.as_str()), (503, true, "upstream down"));
    }

    #[tokio::test]
    async fn default_error_response() {
        let server = MockServer::start().await;
        Mock::given(path("/widgets/w1")).respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "w1"}))).mount(&server).await;
        Mock::given(path("/widgets/w2"))
            .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({"code": "NotFound", "message": "no such widget"})))
            .mount(&server)
            .await;
        Mock::given(path("/widgets/w3"))
            .respond_with(ResponseTemplate::new(500).set_body_json(serde_json::json!({"code": "Internal", "message": "oops"})))
            .mount(&server)
            .await;
        let c = client!(default_error_response, server);
        assert_eq!(c.get_widget("w1").await.expect("200").body.id.as_deref(), Some("w1"));
        for (id, status, code) in [("w2", 404, "NotFound"), ("w3", 500, "Internal")] {
            let error = api(c.get_widget(id).await);
            assert_eq!(error.status.as_u16(), status);
            assert_eq!(error.body.map(|e| e.code).as_deref(), Some(code));
            assert_eq!(error.code.as_deref(), Some(code));
        }
    }

    #[tokio::test]
    async fn undeclared_error_status() {
        let server = answering(ResponseTemplate::new(500).set_body_raw("boom", "text/plain").insert_header("x-request-id", "r-1")).await;
        let c = client!(undeclared_error_status, server);
        let error = api(c.get_status().await);
        assert_eq!(error.status.as_u16(), 500);
        assert_eq!(error.request_id.as_deref(), Some("r-1"));
        assert_eq!((error.body, error.raw_body.as_str()), (None, "boom"));
        assert_eq!(sent(&server).await.len(), 1, "retries are off in these tests");
    }

    #[tokio::test]
    async fn x_ms_pageable_next_link() {
        use futures::TryStreamExt;
        let server = MockServer::start().await;
        let page = |items: &[&str], next: Option<String>| {
            let items: Vec<_> = items.iter().map(|id| serde_json::json!({"id": id})).collect();
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": items, "nextLink": next}))
        };
        Mock::given(path("/widgets"))
            .and(query_param_is_missing("page"))
            .respond_with(page(&["w1", "w2"], Some("/widgets?kind=a&page=2".into())))
            .mount(&server)
            .await;
        Mock::given(path("/widgets"))
            .and(query_param("page", "2"))
            .respond_with(page(&["w3"], Some(format!("{}/widgets?kind=a&page=3", server.uri()))))
            .mount(&server)
            .await;
        Mock::given(path("/widgets")).and(query_param("page", "3")).respond_with(page(&[], None)).mount(&server).await;
        let c = client!(x_ms_pageable_next_link, server);
        let widgets: Vec<_> = c.list_widgets("a").into_stream().try_collect().await.expect("every page");
        let ids: Vec<_> = widgets.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, ["w1", "w2", "w3"]);
        let queries: Vec<_> = sent(&server).await.iter().map(|r| r.url.query().unwrap_or_default().to_owned()).collect();
        assert_eq!(queries, ["kind=a", "kind=a&page=2", "kind=a&page=3"]);
    }
}
