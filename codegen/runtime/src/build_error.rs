//! The error a builder returns when a member it cannot default is unset.

use std::fmt;

/// A builder could not build its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    type_name: &'static str,
    field: &'static str,
}

impl BuildError {
    /// `field` of `type_name` is required and was not set.
    pub fn missing_field(type_name: &'static str, field: &'static str) -> BuildError {
        BuildError { type_name, field }
    }

    /// The member that was missing.
    pub fn field(&self) -> &str {
        self.field
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{} is required but was not set",
            self.type_name, self.field
        )
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_member() {
        let e = BuildError::missing_field("GetStageOutput", "stage_name");
        assert_eq!(
            e.to_string(),
            "GetStageOutput.stage_name is required but was not set"
        );
        assert_eq!(e.field(), "stage_name");
    }
}
