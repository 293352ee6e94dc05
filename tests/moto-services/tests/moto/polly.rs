//! Polly: lexicons (PUT with a JSON body, GET, list, PUT again as the update, DELETE; moto
//! answers a missing lexicon with 400 and `__type`, which still parses to the modeled
//! error), and `SynthesizeSpeech`, whose output is a streaming blob (`ByteStream`) plus a
//! header member, compared byte for byte with boto3's.

use moto_services::*;
use polly::operation::get_lexicon::GetLexiconError;
use polly::operation::synthesize_speech::SynthesizeSpeechError;
use polly::types::{OutputFormat, SpeechMarkType, TextType, VoiceId};
use serde_json::json;

fn client(moto: &Moto) -> polly::Client {
    polly::Client::new(shared_config(moto))
}

fn lexicon(lexemes: &[(&str, &str)]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">"#,
    );
    for (grapheme, alias) in lexemes {
        xml.push_str(&format!(
            "<lexeme><grapheme>{grapheme}</grapheme><alias>{alias}</alias></lexeme>"
        ));
    }
    xml.push_str("</lexicon>");
    xml
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lexicon_create_read_list_update_delete() {
    let moto = start_moto();
    let client = client(&moto);
    let first = lexicon(&[("W3C", "World Wide Web Consortium")]);
    client
        .put_lexicon()
        .name("acronyms")
        .content(&first)
        .send()
        .await
        .unwrap();
    client
        .put_lexicon()
        .name("other")
        .content(lexicon(&[("IoT", "Internet of Things")]))
        .send()
        .await
        .unwrap();

    let ours = client.get_lexicon().name("acronyms").send().await.unwrap();
    let theirs = boto3_output(&moto, "polly", "GetLexicon", json!({"Name": "acronyms"}));
    assert_same(&wire(&ours), &theirs, "GetLexicon");
    assert_eq!(
        ours.lexicon.as_ref().and_then(|l| l.content.as_deref()),
        Some(first.as_str())
    );
    let attributes = ours.lexicon_attributes.as_ref().unwrap();
    assert_eq!(attributes.lexemes_count, 1);
    assert_eq!(attributes.size, first.len() as i32);

    // ListLexicons is not @paginated in the model (nor paged by moto): one call.
    let ours = client.list_lexicons().send().await.unwrap();
    let theirs = boto3_output(&moto, "polly", "ListLexicons", json!({}));
    assert_same(&wire(&ours), &theirs, "ListLexicons");
    let names: Vec<&str> = ours
        .lexicons
        .iter()
        .flatten()
        .filter_map(|l| l.name.as_deref())
        .collect();
    assert_eq!(names, ["acronyms", "other"]);

    // Update: PutLexicon again replaces the content.
    let second = lexicon(&[
        ("W3C", "World Wide Web Consortium"),
        ("AWS", "Amazon Web Services"),
    ]);
    client
        .put_lexicon()
        .name("acronyms")
        .content(&second)
        .send()
        .await
        .unwrap();
    let theirs = boto3_output(&moto, "polly", "GetLexicon", json!({"Name": "acronyms"}));
    assert_eq!(theirs["Lexicon"]["Content"], second.as_str());
    assert_eq!(theirs["LexiconAttributes"]["Size"], second.len());
    let ours = client.get_lexicon().name("acronyms").send().await.unwrap();
    assert_same(&wire(&ours), &theirs, "GetLexicon after the update");

    client
        .delete_lexicon()
        .name("acronyms")
        .send()
        .await
        .unwrap();
    let theirs = boto3_error(&moto, "polly", "GetLexicon", json!({"Name": "acronyms"}));
    assert_eq!(theirs["code"], "LexiconNotFoundException");
    let err = client
        .get_lexicon()
        .name("acronyms")
        .send()
        .await
        .unwrap_err();
    assert_same_error(&err, &theirs);
    assert!(
        matches!(
            err.as_service_error(),
            Some(GetLexiconError::LexiconNotFoundException(_))
        ),
        "expected LexiconNotFoundException, got {err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn synthesize_speech_streams_the_bytes_boto3_reads() {
    let moto = start_moto();
    let client = client(&moto);
    client
        .put_lexicon()
        .name("acronyms")
        .content(lexicon(&[("W3C", "World Wide Web Consortium")]))
        .send()
        .await
        .unwrap();

    let cases = [
        (OutputFormat::Mp3, "text", "Hello from the W3C.", None),
        (
            OutputFormat::OggVorbis,
            "text",
            "Hello again.",
            Some("16000"),
        ),
        (OutputFormat::Pcm, "text", "Plain samples.", Some("8000")),
        (OutputFormat::Json, "ssml", "<speak>Marks.</speak>", None),
    ];
    let mut calls = Vec::new();
    for (format, text_type, text, rate) in &cases {
        let mut params = json!({
            "OutputFormat": format.as_str(),
            "Text": text,
            "TextType": text_type,
            "VoiceId": "Joanna",
            "LexiconNames": ["acronyms"],
        });
        if let Some(rate) = rate {
            params["SampleRate"] = json!(rate);
        }
        if *format == OutputFormat::Json {
            params["SpeechMarkTypes"] = json!(["word", "ssml"]);
        }
        calls.push(call("polly", "SynthesizeSpeech", params));
    }
    let theirs = boto3(&moto, &calls);

    for ((format, text_type, text, rate), theirs) in cases.iter().zip(&theirs) {
        let mut request = client
            .synthesize_speech()
            .output_format(format.clone())
            .text(*text)
            .text_type(TextType::from(*text_type))
            .voice_id(VoiceId::Joanna)
            .lexicon_names("acronyms");
        if let Some(rate) = rate {
            request = request.sample_rate(*rate);
        }
        if *format == OutputFormat::Json {
            request = request
                .speech_mark_types(SpeechMarkType::Word)
                .speech_mark_types(SpeechMarkType::Ssml);
        }
        let output = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        let content_type = output.content_type.clone();
        let bytes = output.audio_stream.collect().await.unwrap();
        let their_bytes = theirs["bytes"].as_str().expect("boto3 read the stream");
        assert_eq!(hex(&bytes), their_bytes, "{format:?}: the streamed bytes");
        assert!(!bytes.is_empty());
        assert_eq!(
            content_type.as_deref(),
            theirs["output"]["ContentType"].as_str(),
            "{format:?}"
        );
    }

    // A missing lexicon is the modeled error, for us as for boto3.
    let theirs = boto3_error(
        &moto,
        "polly",
        "SynthesizeSpeech",
        json!({"OutputFormat": "mp3", "Text": "x", "VoiceId": "Joanna", "LexiconNames": ["nope"]}),
    );
    assert_eq!(theirs["code"], "LexiconNotFoundException");
    let err = client
        .synthesize_speech()
        .output_format(OutputFormat::Mp3)
        .text("x")
        .voice_id(VoiceId::Joanna)
        .lexicon_names("nope")
        .send()
        .await
        .unwrap_err();
    assert_same_error(&err, &theirs);
    assert!(
        matches!(
            err.as_service_error(),
            Some(SynthesizeSpeechError::LexiconNotFoundException(_))
        ),
        "expected LexiconNotFoundException, got {err:?}"
    );
}

/// The generated CLI streams the speech into `--output-file` and prints the other output
/// members as JSON; the file holds the bytes boto3 reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_writes_the_speech_to_the_output_file() {
    let moto = start_moto();
    let params =
        json!({"OutputFormat": "mp3", "Text": "Hello from the command line.", "VoiceId": "Joanna"});
    let theirs = boto3(&moto, &[call("polly", "SynthesizeSpeech", params)]);
    let theirs = &theirs[0];

    let cli = cli_binary();
    let file = std::env::temp_dir().join(format!("polly-cli-{}.mp3", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let out = std::process::Command::new(&cli)
        .args([
            "synthesize-speech",
            "--output-format",
            "mp3",
            "--voice-id",
            "Joanna",
        ])
        .args(["--text", "Hello from the command line."])
        .arg("--output-file")
        .arg(&file)
        .args(["--endpoint-url", moto.endpoint(), "--region", REGION])
        .env("AWS_ACCESS_KEY_ID", "AKIDTEST")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_CONFIG_FILE", "/nonexistent/config")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .output()
        .expect("the polly CLI runs");
    assert!(out.status.success(), "{out:?}");
    let bytes = std::fs::read(&file).expect("the CLI wrote the output file");
    let _ = std::fs::remove_file(&file);
    assert!(!bytes.is_empty());
    assert_eq!(
        Some(hex(&bytes).as_str()),
        theirs["bytes"].as_str(),
        "the file's bytes"
    );
    let printed: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {out:?}"));
    assert_eq!(
        printed["ContentType"], theirs["output"]["ContentType"],
        "{printed}"
    );
    assert!(
        printed.get("AudioStream").is_none(),
        "the stream went to the file: {printed}"
    );
}

/// The generated polly crate's CLI example. Dev-dependencies (the example's tokio) count
/// only for a root package, so it is built from the crate's own manifest, with this
/// crate's lock file (so no version changes) and the shared target directory.
fn cli_binary() -> std::path::PathBuf {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let polly = workspace().join("target/moto-services/polly");
    std::fs::copy(here.join("Cargo.lock"), polly.join("Cargo.lock")).expect("copy Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--message-format=json",
            "--example",
            "cli",
        ])
        .arg("--manifest-path")
        .arg(polly.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(workspace().join("target"))
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("cargo build --example cli");
    assert!(out.status.success(), "building the polly CLI failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find_map(|message| message["executable"].as_str().map(std::path::PathBuf::from))
        .expect("cargo reported the CLI's executable")
}

/// Lower-case hex, as Python's `bytes.hex()` writes it.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
