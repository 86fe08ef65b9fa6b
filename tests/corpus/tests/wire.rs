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
