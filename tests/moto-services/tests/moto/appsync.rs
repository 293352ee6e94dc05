//! AppSync: GraphQL APIs (POST with enums, a map and a nested structure; GET by label;
//! list; POST update that changes the enum and adds a log configuration; DELETE).
//! moto does not page this list (it ignores `maxResults`), so the paginator with a small
//! page size sees one page, which must still hold every API boto3's paginator lists.

use appsync::operation::get_graphql_api::GetGraphqlApiError;
use appsync::types::{AuthenticationType, FieldLogLevel, GraphQlApiVisibility, LogConfig};
use moto_services::*;
use serde_json::json;

const LOG_ROLE: &str = "arn:aws:iam::123456789012:role/appsync-logs";

fn client(moto: &Moto) -> appsync::Client {
    appsync::Client::new(shared_config(moto))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_api_create_read_list_update_delete() {
    let moto = start_moto();
    let client = client(&moto);

    let created = client
        .create_graphql_api()
        .name("orders")
        .authentication_type(AuthenticationType::ApiKey)
        .visibility(GraphQlApiVisibility::Global)
        .xray_enabled(true)
        .tags("team", "checkout")
        .send()
        .await
        .unwrap()
        .graphql_api
        .expect("the created API");
    let api_id = created.api_id.clone().expect("an id");
    assert_eq!(
        created.authentication_type,
        Some(AuthenticationType::ApiKey)
    );
    assert!(created.xray_enabled);

    let ours = client
        .get_graphql_api()
        .api_id(&api_id)
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(&moto, "appsync", "GetGraphqlApi", json!({"apiId": api_id}));
    assert_same(&wire(&ours), &theirs, "GetGraphqlApi");
    assert_eq!(ours.graphql_api.as_ref(), Some(&created));

    // List (after two more), through the paginator with a small page size.
    for name in ["payments", "search"] {
        client
            .create_graphql_api()
            .name(name)
            .authentication_type(AuthenticationType::AwsIam)
            .send()
            .await
            .unwrap();
    }
    let ours: Vec<appsync::types::GraphqlApi> = client
        .list_graphql_apis()
        .into_paginator()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    let theirs = boto3(
        &moto,
        &[paginate("appsync", "ListGraphqlApis", json!({}), 2)],
    )
    .remove(0);
    let their_items: Vec<_> = theirs["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .flat_map(|p| p["graphqlApis"].as_array().expect("graphqlApis").clone())
        .collect();
    assert_same(&wire(&ours), &json!(their_items), "ListGraphqlApis items");
    let names: Vec<&str> = ours.iter().filter_map(|a| a.name.as_deref()).collect();
    assert_eq!(names, ["orders", "payments", "search"]);

    // Update: another name and authentication type, a log configuration, X-Ray off.
    client
        .update_graphql_api()
        .api_id(&api_id)
        .name("orders-v2")
        .authentication_type(AuthenticationType::AwsIam)
        .log_config(
            LogConfig::builder()
                .field_log_level(FieldLogLevel::Error)
                .cloud_watch_logs_role_arn(LOG_ROLE)
                .exclude_verbose_content(true)
                .build()
                .unwrap(),
        )
        .xray_enabled(false)
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(&moto, "appsync", "GetGraphqlApi", json!({"apiId": api_id}));
    assert_eq!(theirs["graphqlApi"]["name"], "orders-v2");
    assert_eq!(theirs["graphqlApi"]["authenticationType"], "AWS_IAM");
    assert_eq!(theirs["graphqlApi"]["logConfig"]["fieldLogLevel"], "ERROR");
    let ours = client
        .get_graphql_api()
        .api_id(&api_id)
        .send()
        .await
        .unwrap();
    assert_same(&wire(&ours), &theirs, "GetGraphqlApi after the update");
    let log = ours
        .graphql_api
        .as_ref()
        .unwrap()
        .log_config
        .as_ref()
        .unwrap();
    assert_eq!(log.field_log_level, FieldLogLevel::Error);
    assert_eq!(log.cloud_watch_logs_role_arn, LOG_ROLE);

    client
        .delete_graphql_api()
        .api_id(&api_id)
        .send()
        .await
        .unwrap();
    let theirs = boto3_error(&moto, "appsync", "GetGraphqlApi", json!({"apiId": api_id}));
    assert_eq!(theirs["code"], "NotFoundException");
    let err = client
        .get_graphql_api()
        .api_id(&api_id)
        .send()
        .await
        .unwrap_err();
    assert_same_error(&err, &theirs);
    assert!(
        matches!(
            err.as_service_error(),
            Some(GetGraphqlApiError::NotFoundException(_))
        ),
        "expected NotFoundException, got {err:?}"
    );
}
