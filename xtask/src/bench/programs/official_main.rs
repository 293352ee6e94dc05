//! Calls GetStage once with the official SDK (written by `cargo xtask bench`).
use aws_sdk_apigatewayv2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_apigatewayv2::{Client, Config};

#[tokio::main]
async fn main() {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".to_string());
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "static",
        ))
        .endpoint_url(endpoint)
        .build();
    let client = Client::from_conf(config);
    match client.get_stage().api_id("a1b2c3").stage_name("production").send().await {
        Ok(stage) => println!("{:?}", stage.stage_name()),
        Err(e) => println!("error: {e}"),
    }
}
