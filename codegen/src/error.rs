//! The one error type of the generator: a message that names the file, shape and member
//! it is about, so a maintainer can find the problem without a backtrace.

use std::fmt;
use std::path::PathBuf;

use crate::model::ShapeId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenError {
    pub file: Option<PathBuf>,
    pub shape: Option<String>,
    pub member: Option<String>,
    pub message: String,
}

pub type Result<T, E = CodegenError> = std::result::Result<T, E>;

/// Something generation worked around, named like an error (file, shape, member): for
/// example a `@pattern` the generated crate cannot check.
pub type Warning = CodegenError;

impl CodegenError {
    pub fn new(message: impl Into<String>) -> CodegenError {
        CodegenError {
            file: None,
            shape: None,
            member: None,
            message: message.into(),
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> CodegenError {
        self.file = Some(file.into());
        self
    }

    pub fn at_shape(mut self, shape: &ShapeId) -> CodegenError {
        self.shape = Some(shape.to_string());
        self
    }

    /// For shape names that did not parse as ids.
    pub fn at_shape_text(mut self, shape: impl Into<String>) -> CodegenError {
        self.shape = Some(shape.into());
        self
    }

    pub fn at_member(mut self, member: impl Into<String>) -> CodegenError {
        self.member = Some(member.into());
        self
    }
}

impl fmt::Display for CodegenError {
    /// `FILE: shape SHAPE, member MEMBER: MESSAGE`, leaving out the parts that are unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            wrote = true;
        }
        if let Some(shape) = &self.shape {
            write!(f, "{}shape {shape}", if wrote { ": " } else { "" })?;
            wrote = true;
            if let Some(member) = &self.member {
                write!(f, ", member {member}")?;
            }
        } else if let Some(member) = &self.member {
            write!(f, "{}member {member}", if wrote { ": " } else { "" })?;
            wrote = true;
        }
        write!(f, "{}{}", if wrote { ": " } else { "" }, self.message)
    }
}

impl std::error::Error for CodegenError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_shape_member() {
        let e = CodegenError::new("target `a#B` does not exist")
            .in_file("model/x.json")
            .at_shape(&ShapeId::new("a", "S"))
            .at_member("M");
        assert_eq!(
            e.to_string(),
            "model/x.json: shape a#S, member M: target `a#B` does not exist"
        );
        assert_eq!(CodegenError::new("boom").to_string(), "boom");
    }
}
