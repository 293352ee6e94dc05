//! Stage 1: read model files from disk.
//!
//! Every failure names the file: a missing file, a directory, unreadable bytes, text that is
//! not UTF-8. These errors end the run; nothing later can make sense of a model it could not
//! read.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use crate::error::{CodegenError, Result};

/// A model file's text and where it came from.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: String,
}

/// Reads every model file, in order. No files at all is an error too.
pub fn read_files(paths: &[PathBuf]) -> Result<Vec<SourceText>> {
    if paths.is_empty() {
        return Err(CodegenError::new("no model files given"));
    }
    paths.iter().map(|p| read_file(p)).collect()
}

/// Reads one model file.
pub fn read_file(path: &Path) -> Result<SourceText> {
    let fail = |message: String| Err(CodegenError::new(message).in_file(path));
    if path.is_dir() {
        return fail("is a directory, not a model file".to_string());
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return fail("model file not found".to_string())
        }
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {
            return fail("cannot read the model file: permission denied".to_string())
        }
        Err(e) => return fail(format!("cannot read the model file: {e}")),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText {
            path: path.to_path_buf(),
            text,
        }),
        Err(e) => fail(format!(
            "the model file is not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_names_the_file() {
        let err = read_files(&[PathBuf::from("no/such/model.json")]).unwrap_err();
        assert_eq!(err.to_string(), "no/such/model.json: model file not found");
    }

    #[test]
    fn no_files_is_an_error() {
        assert_eq!(
            read_files(&[]).unwrap_err().to_string(),
            "no model files given"
        );
    }

    #[test]
    fn directory_is_an_error() {
        let dir = std::env::temp_dir();
        let err = read_file(&dir).unwrap_err();
        assert!(err
            .to_string()
            .ends_with("is a directory, not a model file"));
    }

    #[test]
    fn invalid_utf8_names_the_file() {
        let path = std::env::temp_dir().join(format!("codegen-read-{}.json", std::process::id()));
        std::fs::write(&path, [b'{', 0xff, b'}']).unwrap();
        let err = read_file(&path).unwrap_err();
        let _ = std::fs::remove_file(&path);
        assert!(err
            .to_string()
            .contains("not valid UTF-8 (invalid byte at offset 1)"));
    }
}
