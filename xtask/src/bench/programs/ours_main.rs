//! Calls GetStage once with the generated client (written by `cargo xtask bench`).
use apigatewayv2::{Client, Config};

#[tokio::main]
async fn main() {
    let endpoint = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:9".to_string());
    let config = Config::builder()
        .region("us-east-1")
        .credentials(apigatewayv2::config::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "static",
        ))
        .endpoint_url(endpoint)
        .build();
    let client = Client::new(&config);
    match client.get_stage().api_id("a1b2c3").stage_name("production").send().await {
        Ok(stage) => println!("{:?}", stage.stage_name()),
        Err(e) => println!("error: {e}"),
    }
}
