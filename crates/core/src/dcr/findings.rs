//! Collecting findings while the rules run.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use self::ptr::Ptr;
use super::config::Mode;
use super::report::{Finding, Severity, Stage};

/// JSON pointers (RFC 6901), built cheaply and rendered only when a finding needs one.
pub(crate) mod ptr {
    use alloc::string::String;
    use core::fmt::Write as _;

    /// Most segments a pointer below its root carries (the deepest is
    /// `/ssa/claims/organisation_competent_authority_claims/0/status`: three).
    const MAX_SEGMENTS: usize = 4;

    #[derive(Debug, Clone, Copy)]
    enum Segment<'a> {
        Key(&'a str),
        Index(usize),
    }

    /// A JSON pointer as a root (already a pointer, e.g. `/request/claims`) plus member names and
    /// array indexes. Most rules pass, so building the text for every claim checked would be
    /// wasted work: it is `Copy` and becomes text only in [`Ptr::render`], when a finding is
    /// recorded.
    #[derive(Debug, Clone, Copy)]
    pub struct Ptr<'a> {
        root: &'a str,
        segments: [Option<Segment<'a>>; MAX_SEGMENTS],
    }

    impl<'a> Ptr<'a> {
        /// A pointer given as text (no escaping applied).
        pub fn root(root: &'a str) -> Ptr<'a> {
            Ptr { root, segments: [None; MAX_SEGMENTS] }
        }

        fn push(mut self, segment: Segment<'a>) -> Ptr<'a> {
            match self.segments.iter_mut().find(|s| s.is_none()) {
                Some(slot) => *slot = Some(segment),
                // The rules never nest this deep (see MAX_SEGMENTS); a test covers the deepest.
                None => debug_assert!(false, "JSON pointer nested deeper than {MAX_SEGMENTS} segments"),
            }
            self
        }

        /// `self/name`, with `~` and `/` in the name escaped.
        pub fn key(self, name: &'a str) -> Ptr<'a> {
            self.push(Segment::Key(name))
        }

        /// `self/index`.
        pub fn at(self, index: usize) -> Ptr<'a> {
            self.push(Segment::Index(index))
        }

        /// The pointer as text.
        pub fn render(&self) -> String {
            let mut out = String::with_capacity(self.root.len() + 32);
            out.push_str(self.root);
            for segment in self.segments.iter().flatten() {
                out.push('/');
                match segment {
                    Segment::Key(name) => {
                        for c in name.chars() {
                            match c {
                                '~' => out.push_str("~0"),
                                '/' => out.push_str("~1"),
                                c => out.push(c),
                            }
                        }
                    }
                    Segment::Index(i) => {
                        let _ = write!(out, "{i}");
                    }
                }
            }
            out
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn renders_escaped_and_nested() {
            assert_eq!(Ptr::root("/request/claims").key("a/b~c").render(), "/request/claims/a~1b~0c");
            let deepest = Ptr::root("/ssa/claims").key("organisation_competent_authority_claims").at(0).key("status");
            assert_eq!(deepest.render(), "/ssa/claims/organisation_competent_authority_claims/0/status");
            assert_eq!(Ptr::root("/ssa_jwks/keys").at(12).render(), "/ssa_jwks/keys/12");
        }
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
        pointer: Ptr<'_>,
        message: String,
        spec: &'static str,
    ) {
        let pointer = pointer.render();
        self.list.push(Finding { code, severity, pointer, message, spec, stage: self.stage });
    }

    /// A rule violation.
    pub fn error(&mut self, code: &'static str, pointer: Ptr<'_>, message: String, spec: &'static str) {
        self.push(Severity::Error, code, pointer, message, spec);
    }

    /// A recommendation or a tolerated oddity.
    pub fn warning(&mut self, code: &'static str, pointer: Ptr<'_>, message: String, spec: &'static str) {
        self.push(Severity::Warning, code, pointer, message, spec);
    }

    /// A documented real-world deviation: an error in strict mode, a warning in lenient mode.
    /// Returns whether it was accepted (lenient).
    pub fn deviation(&mut self, code: &'static str, pointer: Ptr<'_>, message: String, spec: &'static str) -> bool {
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
