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

/// Reads every model file, in order; a directory stands for its `.json` and `.smithy`
/// files (see [`expand_paths`]). No files at all is an error too.
pub fn read_files(paths: &[PathBuf]) -> Result<Vec<SourceText>> {
    if paths.is_empty() {
        return Err(CodegenError::new("no model files given"));
    }
    expand_paths(paths)?.iter().map(|p| read_file(p)).collect()
}

/// How deep directories are searched for model files.
const MAX_DIR_DEPTH: usize = 32;

/// Replaces each directory by the `.json` and `.smithy` files under it, recursively, sorted
/// by path (so the order never depends on the file system). Files stay as given; a
/// directory without model files is an error naming it.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            collect_model_files(path, 0, &mut found)?;
            if found.is_empty() {
                return Err(CodegenError::new(
                    "the directory holds no model files (`.json` or `.smithy`)",
                )
                .in_file(path));
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn collect_model_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<()> {
    let fail = |e: std::io::Error| {
        CodegenError::new(format!("cannot read the directory: {e}")).in_file(dir)
    };
    if depth > MAX_DIR_DEPTH {
        return Err(CodegenError::new(format!(
            "directories nested deeper than {MAX_DIR_DEPTH} levels"
        ))
        .in_file(dir));
    }
    for entry in std::fs::read_dir(dir).map_err(fail)? {
        let path = entry.map_err(fail)?.path();
        if path.is_dir() {
            collect_model_files(&path, depth + 1, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "smithy")
        {
            out.push(path);
        }
    }
    Ok(())
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
    fn a_directory_expands_to_its_model_files_sorted() {
        let dir = std::env::temp_dir().join(format!("codegen-read-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for name in ["b.smithy", "a.json", "sub/c.json", "notes.txt"] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let got = expand_paths(&[dir.clone(), PathBuf::from("z.json")]).unwrap();
        let empty = dir.join("sub").join("empty");
        std::fs::create_dir_all(&empty).unwrap();
        let err = expand_paths(std::slice::from_ref(&empty)).unwrap_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            got,
            vec![
                dir.join("a.json"),
                dir.join("b.smithy"),
                dir.join("sub/c.json"),
                PathBuf::from("z.json")
            ]
        );
        assert_eq!(
            err.to_string(),
            format!(
                "{}: the directory holds no model files (`.json` or `.smithy`)",
                empty.display()
            )
        );
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
