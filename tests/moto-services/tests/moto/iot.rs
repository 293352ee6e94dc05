//! IoT: things (POST with a map body, GET by label, paginated list with `maxResults` and
//! `nextToken` in the query, PATCH update with `merge`, DELETE), and the item-for-item
//! comparison of a paginated list with boto3's paginator.

use iot::operation::describe_thing::DescribeThingError;
use iot::types::AttributePayload;
use moto_services::*;
use serde_json::{json, Value};

fn client(moto: &Moto) -> iot::Client {
    iot::Client::new(shared_config(moto))
}

fn attributes(pairs: &[(&str, &str)]) -> AttributePayload {
    let mut payload = AttributePayload::builder();
    for (k, v) in pairs {
        payload = payload.attributes(*k, *v);
    }
    payload.build()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thing_create_read_update_delete() {
    let moto = start_moto();
    let client = client(&moto);

    let created = client
        .create_thing()
        .thing_name("sensor-1")
        .attribute_payload(attributes(&[("room", "kitchen"), ("floor", "1")]))
        .send()
        .await
        .unwrap();
    assert_eq!(created.thing_name.as_deref(), Some("sensor-1"));
    let arn = created.thing_arn.clone().expect("an ARN");
    assert!(arn.ends_with(":thing/sensor-1"), "{arn}");

    let ours = client
        .describe_thing()
        .thing_name("sensor-1")
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(
        &moto,
        "iot",
        "DescribeThing",
        json!({"thingName": "sensor-1"}),
    );
    assert_same(&wire(&ours), &theirs, "DescribeThing");
    assert_eq!(ours.thing_id, created.thing_id);
    assert_eq!(ours.thing_arn.as_deref(), Some(arn.as_str()));

    // Update with merge: one attribute changed, one added, the other kept.
    client
        .update_thing()
        .thing_name("sensor-1")
        .attribute_payload(
            AttributePayload::builder()
                .attributes("floor", "2")
                .attributes("battery", "low")
                .merge(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(
        &moto,
        "iot",
        "DescribeThing",
        json!({"thingName": "sensor-1"}),
    );
    assert_eq!(
        theirs["attributes"],
        json!({"room": "kitchen", "floor": "2", "battery": "low"})
    );
    let ours = client
        .describe_thing()
        .thing_name("sensor-1")
        .send()
        .await
        .unwrap();
    assert_same(&wire(&ours), &theirs, "DescribeThing after the update");

    client
        .delete_thing()
        .thing_name("sensor-1")
        .send()
        .await
        .unwrap();
    let theirs = boto3_error(
        &moto,
        "iot",
        "DescribeThing",
        json!({"thingName": "sensor-1"}),
    );
    assert_eq!(theirs["code"], "ResourceNotFoundException");
    let err = client
        .describe_thing()
        .thing_name("sensor-1")
        .send()
        .await
        .unwrap_err();
    assert_same_error(&err, &theirs);
    assert!(
        matches!(
            err.as_service_error(),
            Some(DescribeThingError::ResourceNotFoundException(_))
        ),
        "expected ResourceNotFoundException, got {err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_things_items_match_boto3s_paginator_item_for_item() {
    let moto = start_moto();
    let client = client(&moto);
    for i in 0..11 {
        client
            .create_thing()
            .thing_name(format!("device-{i:02}"))
            .attribute_payload(attributes(&[("index", &i.to_string()), ("kind", "probe")]))
            .send()
            .await
            .unwrap();
    }

    let pages = client
        .list_things()
        .into_paginator()
        .page_size(4)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages
            .iter()
            .map(|p| p.things.as_ref().map_or(0, Vec::len))
            .collect::<Vec<_>>(),
        [4, 4, 3],
        "11 things, 4 a page"
    );
    let items: Vec<iot::types::ThingAttribute> = client
        .list_things()
        .into_paginator()
        .page_size(4)
        .items()
        .try_collect()
        .await
        .unwrap();

    let theirs = boto3(&moto, &[paginate("iot", "ListThings", json!({}), 4)]).remove(0);
    let their_pages = theirs["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), their_pages.len());
    for (i, (ours, theirs)) in pages.iter().zip(their_pages).enumerate() {
        assert_same(&wire(ours), theirs, &format!("ListThings page {i}"));
    }
    let their_items: Vec<&Value> = their_pages
        .iter()
        .flat_map(|p| p["things"].as_array().expect("things"))
        .collect();
    assert_eq!(items.len(), 11);
    assert_eq!(items.len(), their_items.len());
    for (i, (ours, theirs)) in items.iter().zip(their_items).enumerate() {
        assert_same(&wire(ours), theirs, &format!("ListThings item {i}"));
    }
    let names: Vec<&str> = items
        .iter()
        .filter_map(|t| t.thing_name.as_deref())
        .collect();
    let expected: Vec<String> = (0..11).map(|i| format!("device-{i:02}")).collect();
    assert_eq!(names, expected);
}
