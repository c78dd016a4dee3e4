//! Field-level validation problems, collected so a client can fix them all at once.

use serde::Serialize;
use utoipa::ToSchema;

/// An input form that validates into a record, given the catalogue's vocabularies.
pub trait Validate {
    type Output;
    fn validate(&self, vocab: &super::vocab::Vocabularies) -> Result<Self::Output, ValidationErrors>;
}

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field's path in the request, e.g. `title` or `dimensions.items[0].value`.
    pub field: String,
    /// What is wrong and how to fix it.
    pub problem: String,
}

/// "field: problem", the one way a problem is written in a message.
impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Every problem found in one input.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", self.summary())]
pub struct ValidationErrors(pub Vec<FieldProblem>);

impl ValidationErrors {
    pub fn single(field: impl Into<String>, problem: impl Into<String>) -> Self {
        ValidationErrors(vec![FieldProblem { field: field.into(), problem: problem.into() }])
    }

    pub fn push(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.push(FieldProblem { field: field.into(), problem: problem.into() });
    }

    /// Records the error of `result` under `field` and returns its value, if any.
    pub fn check<T>(&mut self, field: impl Into<String>, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(problem) => {
                self.push(field, problem);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no problem was recorded.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() { Ok(value()) } else { Err(self) }
    }

    /// Each problem as "field: problem", in the order found.
    pub fn lines(&self) -> Vec<String> {
        self.0.iter().map(FieldProblem::to_string).collect()
    }

    fn summary(&self) -> String {
        self.lines().join("; ")
    }
}

/// A required, trimmed, non-empty text of bounded length.
pub fn required_text(value: Option<&str>, max_chars: usize) -> Result<String, String> {
    match value.map(str::trim) {
        None | Some("") => Err("is required and must not be empty".into()),
        Some(v) => bounded(v, max_chars).map(str::to_string),
    }
}

/// An optional text: blank becomes `None`.
pub fn optional_text(value: Option<&str>, max_chars: usize) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => bounded(v, max_chars).map(|v| Some(v.to_string())),
    }
}

fn bounded(v: &str, max_chars: usize) -> Result<&str, String> {
    if v.chars().count() > max_chars {
        Err(format!("is longer than {max_chars} characters"))
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        Err("contains control characters".into())
    } else {
        Ok(v)
    }
}
