//! SES v2: email identities, whose names (`user@example.com`) are URI labels; PascalCase
//! JSON, lists of tag structures, a map of policies; policy create and update; paginated
//! list (moto pages this list only without a page size: with `PageSize` it answers 500,
//! to boto3 as well, so the list here is read without one).

use moto_services::*;
use serde_json::json;
use sesv2::operation::get_email_identity::GetEmailIdentityError;
use sesv2::types::{IdentityType, Tag};

fn client(moto: &Moto) -> sesv2::Client {
    sesv2::Client::new(shared_config(moto))
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

const POLICY_V1: &str = r#"{"Version":"2012-10-17","Statement":[]}"#;
const POLICY_V2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"ses:SendEmail","Resource":"*"}]}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_identity_create_read_update_delete() {
    let moto = start_moto();
    let client = client(&moto);
    let identity = "ops+alerts@example.com";

    let created = client
        .create_email_identity()
        .email_identity(identity)
        .tags(tag("team", "ops"))
        .tags(tag("cost-centre", "42"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.identity_type, Some(IdentityType::EmailAddress));

    let ours = client
        .get_email_identity()
        .email_identity(identity)
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(
        &moto,
        "sesv2",
        "GetEmailIdentity",
        json!({"EmailIdentity": identity}),
    );
    assert_same(&wire(&ours), &theirs, "GetEmailIdentity");
    assert_eq!(
        ours.tags.as_deref(),
        Some(&[tag("team", "ops"), tag("cost-centre", "42")][..])
    );

    // Update: a policy created, then replaced.
    client
        .create_email_identity_policy()
        .email_identity(identity)
        .policy_name("senders")
        .policy(POLICY_V1)
        .send()
        .await
        .unwrap();
    client
        .update_email_identity_policy()
        .email_identity(identity)
        .policy_name("senders")
        .policy(POLICY_V2)
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(
        &moto,
        "sesv2",
        "GetEmailIdentity",
        json!({"EmailIdentity": identity}),
    );
    assert_eq!(theirs["Policies"], json!({"senders": POLICY_V2}));
    let ours = client
        .get_email_identity()
        .email_identity(identity)
        .send()
        .await
        .unwrap();
    assert_same(&wire(&ours), &theirs, "GetEmailIdentity after the update");

    client
        .delete_email_identity()
        .email_identity(identity)
        .send()
        .await
        .unwrap();
    let theirs = boto3_error(
        &moto,
        "sesv2",
        "GetEmailIdentity",
        json!({"EmailIdentity": identity}),
    );
    assert_eq!(theirs["code"], "NotFoundException");
    let err = client
        .get_email_identity()
        .email_identity(identity)
        .send()
        .await
        .unwrap_err();
    assert_same_error(&err, &theirs);
    assert!(
        matches!(
            err.as_service_error(),
            Some(GetEmailIdentityError::NotFoundException(_))
        ),
        "expected NotFoundException, got {err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_email_identities_matches_boto3() {
    let moto = start_moto();
    let client = client(&moto);
    let mut names: Vec<String> = (0..6).map(|i| format!("user{i}@example.com")).collect();
    names.push("example.org".into());
    for name in &names {
        client
            .create_email_identity()
            .email_identity(name)
            .send()
            .await
            .unwrap();
    }

    let pages = client
        .list_email_identities()
        .into_paginator()
        .try_collect()
        .await
        .unwrap();
    let theirs = boto3_output(&moto, "sesv2", "ListEmailIdentities", json!({}));
    assert_eq!(pages.len(), 1);
    assert_same(&wire(&pages[0]), &theirs, "ListEmailIdentities");
    let listed: Vec<(&str, Option<&IdentityType>)> = pages[0]
        .email_identities
        .iter()
        .flatten()
        .map(|i| {
            (
                i.identity_name.as_deref().unwrap(),
                i.identity_type.as_ref(),
            )
        })
        .collect();
    let expected: Vec<(&str, Option<&IdentityType>)> = names
        .iter()
        .map(|n| {
            let kind = if n.contains('@') {
                &IdentityType::EmailAddress
            } else {
                &IdentityType::Domain
            };
            (n.as_str(), Some(kind))
        })
        .collect();
    assert_eq!(listed, expected);
}
