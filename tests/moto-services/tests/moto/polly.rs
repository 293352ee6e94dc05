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

/// Lower-case hex, as Python's `bytes.hex()` writes it.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
