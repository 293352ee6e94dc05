//! EKS: clusters (POST with a nested body and an idempotency token, GET by label, paginated
//! list with `maxResults`/`nextToken` in the query, POST update, DELETE), and the
//! `ClusterActive`/`ClusterDeleted` waiters.

use std::time::Duration;

use eks::operation::describe_cluster::{DescribeClusterError, DescribeClusterOutput};
use eks::types::{ClusterStatus, LogSetup, LogType, Logging, VpcConfigRequest};
use moto_services::*;
use serde_json::json;

const ROLE: &str = "arn:aws:iam::123456789012:role/eks-cluster";

fn client(moto: &Moto) -> eks::Client {
    eks::Client::new(shared_config(moto))
}

async fn create(client: &eks::Client, name: &str) -> eks::types::Cluster {
    client
        .create_cluster()
        .name(name)
        .role_arn(ROLE)
        .version("1.31")
        .resources_vpc_config(
            VpcConfigRequest::builder()
                .subnet_ids("subnet-0a")
                .subnet_ids("subnet-0b")
                .security_group_ids("sg-01")
                .build(),
        )
        .tags("team", "core")
        .tags("env", "test")
        .send()
        .await
        .unwrap_or_else(|e| panic!("create_cluster {name}: {e}"))
        .cluster
        .expect("created cluster")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_create_read_update_delete() {
    let moto = start_moto();
    let client = client(&moto);

    let created = create(&client, "lifecycle").await;
    assert_eq!(created.name.as_deref(), Some("lifecycle"));
    assert_eq!(created.role_arn.as_deref(), Some(ROLE));
    assert_eq!(created.status, Some(ClusterStatus::Active));
    let tags = created.tags.as_ref().expect("tags");
    assert_eq!(
        (tags["team"].as_str(), tags["env"].as_str()),
        ("core", "test")
    );
    // The idempotency token was filled in, sent, and stored.
    let token = created.client_request_token.clone().expect("a token");
    assert!(!token.is_empty());

    // Read: our output is what boto3 reads from the same server, member for member.
    let ours = client
        .describe_cluster()
        .name("lifecycle")
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(
        &moto,
        "eks",
        "DescribeCluster",
        json!({"name": "lifecycle"}),
    );
    assert_same(&wire(&ours), &theirs, "DescribeCluster");
    assert_eq!(ours.cluster.as_ref(), Some(&created));
    let vpc = created.resources_vpc_config.as_ref().unwrap();
    assert_eq!(
        vpc.subnet_ids.as_deref(),
        Some(&["subnet-0a".to_string(), "subnet-0b".to_string()][..])
    );

    // Update: turn two log types on; boto3 sees the change.
    client
        .update_cluster_config()
        .name("lifecycle")
        .logging(
            Logging::builder()
                .cluster_logging(
                    LogSetup::builder()
                        .types(LogType::Api)
                        .types(LogType::Audit)
                        .enabled(true)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(
        &moto,
        "eks",
        "DescribeCluster",
        json!({"name": "lifecycle"}),
    );
    assert_eq!(
        theirs["cluster"]["logging"],
        json!({"clusterLogging": [{"types": ["api", "audit"], "enabled": true}]})
    );
    let ours = client
        .describe_cluster()
        .name("lifecycle")
        .send()
        .await
        .unwrap();
    assert_same(&wire(&ours), &theirs, "DescribeCluster after the update");

    // Delete: gone for boto3 and for us, with the same modeled error.
    let deleted = client
        .delete_cluster()
        .name("lifecycle")
        .send()
        .await
        .unwrap();
    assert_eq!(
        deleted.cluster.and_then(|c| c.name).as_deref(),
        Some("lifecycle")
    );
    let theirs = boto3_error(
        &moto,
        "eks",
        "DescribeCluster",
        json!({"name": "lifecycle"}),
    );
    assert_eq!(theirs["code"], "ResourceNotFoundException");
    let err = client
        .describe_cluster()
        .name("lifecycle")
        .send()
        .await
        .unwrap_err();
    assert_same_error(&err, &theirs);
    assert!(
        matches!(
            err.as_service_error(),
            Some(DescribeClusterError::ResourceNotFoundException(_))
        ),
        "expected ResourceNotFoundException, got {err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_clusters_pages_match_boto3s_paginator() {
    let moto = start_moto();
    let client = client(&moto);
    let mut names: Vec<String> = (0..7).map(|i| format!("paged-{i:02}")).collect();
    for name in &names {
        create(&client, name).await;
    }
    names.sort();

    let pages = client
        .list_clusters()
        .into_paginator()
        .page_size(3)
        .try_collect()
        .await
        .unwrap();
    // 7 clusters, 3 a page: moto really pages, so there are three pages.
    assert_eq!(
        pages
            .iter()
            .map(|p| p.clusters.as_ref().map_or(0, Vec::len))
            .collect::<Vec<_>>(),
        [3, 3, 1]
    );
    let theirs = boto3(&moto, &[paginate("eks", "ListClusters", json!({}), 3)]).remove(0);
    let their_pages = theirs["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), their_pages.len());
    for (i, (ours, theirs)) in pages.iter().zip(their_pages).enumerate() {
        assert_same(&wire(ours), theirs, &format!("ListClusters page {i}"));
    }

    let items: Vec<String> = client
        .list_clusters()
        .into_paginator()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, names);
}

type Waited = Result<
    eks::waiters::FinalPoll<DescribeClusterOutput, DescribeClusterError>,
    eks::waiters::WaiterError<DescribeClusterOutput, DescribeClusterError>,
>;

/// `ClusterActive` with short delays (the model's are 30 s), for 30 s at most.
async fn wait_active(client: &eks::Client, name: &str) -> Waited {
    client
        .wait_until_cluster_active()
        .name(name)
        .min_delay(Duration::from_millis(200))
        .max_delay(Duration::from_secs(1))
        .wait(Duration::from_secs(30))
        .await
}

/// `ClusterDeleted`, timed as [`wait_active`].
async fn wait_deleted(client: &eks::Client, name: &str) -> Waited {
    client
        .wait_until_cluster_deleted()
        .name(name)
        .min_delay(Duration::from_millis(200))
        .max_delay(Duration::from_secs(1))
        .wait(Duration::from_secs(30))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiters_see_active_and_deleted_clusters() {
    let moto = start_moto();
    let client = client(&moto);
    create(&client, "waited").await;

    let active = wait_active(&client, "waited")
        .await
        .expect("the cluster becomes active");
    let output = active.as_result().expect("a success response");
    let theirs = boto3_output(&moto, "eks", "DescribeCluster", json!({"name": "waited"}));
    assert_same(&wire(output), &theirs, "ClusterActive's final response");
    assert_eq!(theirs["cluster"]["status"], "ACTIVE");
    assert_eq!(active.attempts(), 1, "moto creates clusters ACTIVE");

    // `ClusterDeleted` has a failure acceptor for an ACTIVE cluster.
    let still_there = wait_deleted(&client, "waited").await.unwrap_err();
    let eks::waiters::WaiterError::FailureState { attempts, last } = &still_there else {
        panic!("expected the failure acceptor, got {still_there:?}");
    };
    assert_eq!(*attempts, 1);
    let last = last.as_ref().expect("a response");
    assert_eq!(
        last.cluster.as_ref().unwrap().status,
        Some(ClusterStatus::Active)
    );

    // Deleted, the error acceptor (ResourceNotFoundException) is the success.
    client.delete_cluster().name("waited").send().await.unwrap();
    let deleted = wait_deleted(&client, "waited")
        .await
        .expect("the cluster is deleted");
    let err = deleted
        .as_result()
        .expect_err("the waiter succeeds on the error");
    assert!(matches!(
        err.as_service_error(),
        Some(DescribeClusterError::ResourceNotFoundException(_))
    ));

    // `ClusterActive` has no acceptor for a missing cluster: the error ends the wait.
    let missing = wait_active(&client, "waited").await.unwrap_err();
    let eks::waiters::WaiterError::OperationFailed { attempts, error } = &missing else {
        panic!("expected OperationFailed, got {missing:?}");
    };
    assert_eq!(*attempts, 1);
    assert!(matches!(
        error.as_service_error(),
        Some(DescribeClusterError::ResourceNotFoundException(_))
    ));
}
