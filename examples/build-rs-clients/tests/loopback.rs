//! The generated clients against a real HTTP server on loopback (wiremock): the Volcengine
//! server recomputes each request's V4 signature, the AKS server checks the bearer token.

use build_rs_clients::{aks, ecs};
use restsmith_runtime::auth::volcengine::{self, SigningInput, VolcengineCredentials};
use restsmith_runtime::http::StatusCode;
use restsmith_runtime::uuid::Uuid;
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const ACCESS_KEY: &str = "AKLTexampleEXAMPLE";
const SECRET_KEY: &str = "EXAMPLEsecretEXAMPLEsecretEXAMPLE00";
const REGION: &str = "cn-beijing";

/// Matches requests whose Volcengine V4 signature is right, checked the way the service checks
/// it: the signature is recomputed from the request as received, with the same secret key.
struct SignedWith(&'static str);

impl wiremock::Match for SignedWith {
    fn matches(&self, request: &Request) -> bool {
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        let (Some(authorization), Some(host), Some(x_date)) = (header("authorization"), header("host"), header("x-date"))
        else {
            return false;
        };
        // `HMAC-SHA256 Credential=…, SignedHeaders=a;b;c, Signature=…`: the signer adds host,
        // x-date and x-content-sha256 itself and takes the other signed headers as input.
        let signed = authorization.split("SignedHeaders=").nth(1).and_then(|s| s.split(',').next()).unwrap_or_default();
        let headers: Vec<(String, String)> = signed
            .split(';')
            .filter(|name| !["host", "x-date", "x-content-sha256", "x-security-token"].contains(name))
            .filter_map(|name| Some((name.to_owned(), header(name)?.to_owned())))
            .collect();
        let query: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let input = SigningInput {
            method: request.method.as_str(),
            host,
            path: request.url.path(),
            query: &query,
            headers: &headers,
            body: &request.body,
            service: "ecs",
            region: REGION,
            x_date,
        };
        volcengine::sign(&VolcengineCredentials::new(ACCESS_KEY, self.0), &input)
            .is_ok_and(|expected| expected.authorization == authorization)
    }
}

/// A Volcengine server: DeleteImages answers when the signature is right (one image deleted,
/// one not found), `SignatureDoesNotMatch` otherwise.
async fn volcengine_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/"))
        .and(query_param("Action", "DeleteImages"))
        .and(query_param("Version", "2020-04-01"))
        .and(query_param("ImageIds.1", "image-aaaa1111"))
        .and(query_param("ImageIds.2", "image-bbbb2222"))
        .and(SignedWith(SECRET_KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ResponseMetadata": { "RequestId": "20240105093000010225243100005430", "Action": "DeleteImages" },
            "Result": { "OperationDetails": [
                { "ImageId": "image-aaaa1111", "Error": null },
                { "ImageId": "image-bbbb2222", "Error": { "Code": "InvalidImage.NotFound", "Message": "The specified image does not exist." } }
            ] }
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "ResponseMetadata": {
                "RequestId": "20240105093000010225243100005431",
                "Error": { "Code": "SignatureDoesNotMatch", "Message": "The request signature we calculated does not match." }
            }
        })))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn volcengine_delete_images_is_signed() {
    let server = volcengine_server().await;
    let client = ecs::Client::new(&server.uri(), ecs::auth::volcengine_v4(ACCESS_KEY, SECRET_KEY, REGION)).unwrap();

    let ids = ["image-aaaa1111", "image-bbbb2222"];
    let response = client.delete_images(ids).await.unwrap();

    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.request_id.as_deref(), Some("20240105093000010225243100005430"));
    let outcome = response.body.outcome(&ids);
    assert_eq!(outcome.succeeded, ["image-aaaa1111"]);
    assert_eq!(outcome.failed.len(), 1);
    assert_eq!(outcome.failed[0].id, "image-bbbb2222");
    assert_eq!(outcome.failed[0].code, "InvalidImage.NotFound");
}

#[tokio::test]
async fn volcengine_rejects_a_wrong_secret_key() {
    let server = volcengine_server().await;
    let wrong = ecs::auth::volcengine_v4(ACCESS_KEY, "not-the-secret-key", REGION);
    let client = ecs::Client::new(&server.uri(), wrong).unwrap();

    match client.delete_images(["image-aaaa1111", "image-bbbb2222"]).await {
        Err(ecs::Error::Api(error)) => {
            assert_eq!(error.status, StatusCode::UNAUTHORIZED);
            assert_eq!(error.code.as_deref(), Some("SignatureDoesNotMatch"));
        }
        other => panic!("expected the server to refuse the signature, got {other:?}"),
    }
}

/// `.derive("Eq")` in build.rs: the ECS models are `Eq` (the default derives stop at
/// `PartialEq`).
#[test]
fn ecs_models_are_eq() {
    fn is_eq<T: Eq>() {}
    is_eq::<ecs::models::DeleteImagesResult>();
    is_eq::<ecs::models::OperationDetail>();
}

#[tokio::test]
async fn aks_get_cluster_sends_the_bearer_token() {
    const CLUSTER: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CLUSTER))
        .and(query_param("api-version", "2024-09-01"))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": CLUSTER,
            "name": "aks1",
            "location": "eastus",
            "properties": { "provisioningState": "Succeeded", "kubernetesVersion": "1.30.3" }
        })))
        .expect(1)
        .mount(&server)
        .await;

    // `.client_name("AksClient")` and `.method_name("ManagedClusters_Get", "get_cluster")`.
    let client = aks::AksClient::new(&server.uri(), aks::auth::azure_auth_token("test-token"), Uuid::nil()).unwrap();
    let cluster = client.get_cluster("rg1", "aks1").await.unwrap().body;

    assert_eq!(cluster.name.as_deref(), Some("aks1"));
    assert_eq!(cluster.location, "eastus");
    let properties = cluster.properties.unwrap();
    assert_eq!(properties.provisioning_state.as_deref(), Some("Succeeded"));
}

/// `.include_operation("ManagedClusters_Get")` in build.rs: the other AKS operation is not
/// generated.
#[test]
fn aks_has_only_the_included_operation() {
    let source = include_str!(concat!(env!("OUT_DIR"), "/aks.rs"));
    assert!(source.contains("pub fn get_cluster("));
    assert!(!source.contains("managed_clusters_abort_latest_operation"), "ManagedClusters_AbortLatestOperation was generated");
}
