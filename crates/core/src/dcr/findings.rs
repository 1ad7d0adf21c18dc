//! Collecting findings while the rules run.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::config::Mode;
use super::report::{Finding, Severity, Stage};

/// JSON pointer helpers (RFC 6901).
pub(crate) mod ptr {
    use alloc::format;
    use alloc::string::String;

    /// Escapes one reference token.
    pub fn escape(token: &str) -> String {
        token.replace('~', "~0").replace('/', "~1")
    }

    /// `base/token`.
    pub fn join(base: &str, token: &str) -> String {
        format!("{base}/{}", escape(token))
    }

    /// `base/index`.
    pub fn index(base: &str, i: usize) -> String {
        format!("{base}/{i}")
    }
}

/// The findings of one validation, tagged with the stage that produced them.
#[derive(Debug, Clone)]
pub(crate) struct Findings {
    list: Vec<Finding>,
    mode: Mode,
    stage: Stage,
}

impl Findings {
    pub fn new(mode: Mode) -> Self {
        Findings { list: Vec::new(), mode, stage: Stage::RequestEnvelope }
    }

    /// Sets the stage for the findings that follow.
    pub fn set_stage(&mut self, stage: Stage) {
        self.stage = stage;
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    pub fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        pointer: String,
        message: String,
        spec: &'static str,
    ) {
        self.list.push(Finding { code, severity, pointer, message, spec, stage: self.stage });
    }

    /// A rule violation.
    pub fn error(&mut self, code: &'static str, pointer: String, message: String, spec: &'static str) {
        self.push(Severity::Error, code, pointer, message, spec);
    }

    /// A recommendation or a tolerated oddity.
    pub fn warning(&mut self, code: &'static str, pointer: String, message: String, spec: &'static str) {
        self.push(Severity::Warning, code, pointer, message, spec);
    }

    /// A documented real-world deviation: an error in strict mode, a warning in lenient mode.
    /// Returns whether it was accepted (lenient).
    pub fn deviation(&mut self, code: &'static str, pointer: String, message: String, spec: &'static str) -> bool {
        match self.mode {
            Mode::Strict => {
                self.error(code, pointer, message, spec);
                false
            }
            Mode::Lenient => {
                self.warning(code, pointer, format!("{message} (accepted in lenient mode)"), spec);
                true
            }
        }
    }

    /// Whether any error finding exists.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|f| f.severity == Severity::Error)
    }

    pub fn as_slice(&self) -> &[Finding] {
        &self.list
    }

    pub fn into_vec(self) -> Vec<Finding> {
        self.list
    }
}
