//! Glacier: the service's decorators against a server (the `accountId` label defaulted to
//! `-`, the `x-amz-glacier-version` header, the SHA-256 tree hash of an uploaded body),
//! output members bound to headers (`x-amz-archive-id`, `x-amz-sha256-tree-hash`), vaults
//! created, read, listed (moto ignores `limit`: one page), changed by an archive upload and
//! delete, and deleted; moto's missing-vault error is not in the model, so it is the
//! unhandled error, with boto3's code and message.

use glacier::operation::describe_vault::DescribeVaultError;
use glacier::primitives::ByteStream;
use moto_services::*;
use serde_json::json;

fn client(moto: &Moto) -> glacier::Client {
    glacier::Client::new(shared_config(moto))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vault_create_read_list_update_delete() {
    let moto = start_moto();
    let client = client(&moto);

    let mut created = Vec::new();
    for name in ["archive-a", "archive-b", "archive-c"] {
        created.push(client.create_vault().vault_name(name).send().await.unwrap());
    }
    // One more through boto3: the same (empty: moto sends no `Location`) output.
    let theirs = boto3_output(
        &moto,
        "glacier",
        "CreateVault",
        json!({"vaultName": "archive-d"}),
    );
    for output in &created {
        assert_same(&wire(output), &theirs, "CreateVault");
    }

    let ours = client
        .describe_vault()
        .vault_name("archive-a")
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(
        &moto,
        "glacier",
        "DescribeVault",
        json!({"vaultName": "archive-a"}),
    );
    assert_same(&wire(&ours), &theirs, "DescribeVault");
    assert_eq!(ours.number_of_archives, 0);

    let ours = client
        .list_vaults()
        .into_paginator()
        .page_size(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    let theirs = boto3(&moto, &[paginate("glacier", "ListVaults", json!({}), 2)]).remove(0);
    let their_items: Vec<_> = theirs["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .flat_map(|p| p["VaultList"].as_array().expect("VaultList").clone())
        .collect();
    assert_same(&wire(&ours), &json!(their_items), "ListVaults items");
    let names: Vec<&str> = ours
        .iter()
        .filter_map(|v| v.vault_name.as_deref())
        .collect();
    assert_eq!(names, ["archive-a", "archive-b", "archive-c", "archive-d"]);

    // Update: an archive uploaded (the tree hash is computed and sent for us), then deleted.
    let body = b"glacier archive body, uploaded by the generated client".to_vec();
    let uploaded = client
        .upload_archive()
        .vault_name("archive-a")
        .archive_description("first archive")
        .body(ByteStream::from(body.clone()))
        .send()
        .await
        .unwrap();
    let archive_id = uploaded.archive_id.clone().expect("x-amz-archive-id");
    let theirs = boto3_output(
        &moto,
        "glacier",
        "DescribeVault",
        json!({"vaultName": "archive-a"}),
    );
    assert_eq!(theirs["NumberOfArchives"], 1);
    assert_eq!(theirs["SizeInBytes"], body.len());
    let ours = client
        .describe_vault()
        .vault_name("archive-a")
        .send()
        .await
        .unwrap();
    assert_same(&wire(&ours), &theirs, "DescribeVault after the upload");
    // moto answers with the SHA-256 of the bytes it received: the same as for boto3's
    // upload of the same body.
    let their_upload = boto3_output(
        &moto,
        "glacier",
        "UploadArchive",
        json!({"vaultName": "archive-b", "body": String::from_utf8(body.clone()).unwrap()}),
    );
    assert_eq!(
        uploaded.checksum.as_deref(),
        their_upload["checksum"].as_str()
    );
    assert!(their_upload["archiveId"].is_string());

    client
        .delete_archive()
        .vault_name("archive-a")
        .archive_id(&archive_id)
        .send()
        .await
        .unwrap();
    client
        .delete_vault()
        .vault_name("archive-c")
        .send()
        .await
        .unwrap();
    // moto answers a missing vault with `VaultNotFound`, a code the model does not have (the
    // service's is `ResourceNotFoundException`): it is an unhandled error with boto3's code,
    // message and status.
    let theirs = boto3_error(
        &moto,
        "glacier",
        "DescribeVault",
        json!({"vaultName": "archive-c"}),
    );
    assert_eq!(theirs["code"], "VaultNotFound");
    let err = client
        .describe_vault()
        .vault_name("archive-c")
        .send()
        .await
        .unwrap_err();
    assert_same_error(&err, &theirs);
    assert!(
        matches!(
            err.as_service_error(),
            Some(DescribeVaultError::Unhandled(_))
        ),
        "expected an unhandled error, got {err:?}"
    );
}
