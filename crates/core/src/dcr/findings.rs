//! Collecting findings while the rules run.

use alloc::string::String;
use alloc::vec::Vec;

use self::ptr::Ptr;
use super::policy::{Decision, Policy, Rule};
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

        /// Whether the pointer is inside the software statement (`/ssa`, `/ssa/…`), not the
        /// request or an input document such as `/ssa_jwks`.
        pub fn in_ssa(&self) -> bool {
            self.root == "/ssa" || self.root.starts_with("/ssa/")
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
    policy: Policy,
    stage: Stage,
    /// While set, error findings are this policy rule's deviations (see [`Findings::softened`]).
    soften: Option<&'static Rule>,
}

impl Findings {
    pub fn new(policy: Policy) -> Self {
        Findings { list: Vec::new(), policy, stage: Stage::RequestEnvelope, soften: None }
    }

    /// Runs `f` with every error it reports decided by the policy rule `rule` instead: for
    /// checks whose failure is a documented deviation as a whole (the shape of a descriptive
    /// claim in a directory-signed statement, which only the directory can change).
    pub fn softened<R>(&mut self, rule: &'static Rule, f: impl FnOnce(&mut Findings) -> R) -> R {
        let outer = self.soften.replace(rule);
        let result = f(self);
        self.soften = outer;
        result
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
        self.push_rule(severity, code, None, pointer, message, spec);
    }

    fn push_rule(
        &mut self,
        severity: Severity,
        code: &'static str,
        rule: Option<&'static str>,
        pointer: Ptr<'_>,
        message: String,
        spec: &'static str,
    ) {
        let (severity, rule) = match (severity, rule, self.soften) {
            (Severity::Error, None, Some(r)) => match self.policy.decide(r) {
                Decision::Error => (Severity::Error, Some(r.id)),
                Decision::Warning => (Severity::Warning, Some(r.id)),
                Decision::Accept => (Severity::Info, Some(r.id)),
            },
            _ => (severity, rule),
        };
        let pointer = pointer.render();
        let fix = super::codes::fix(code);
        self.list.push(Finding { code, severity, rule, pointer, message, spec, fix, stage: self.stage });
    }

    /// A rule violation.
    pub fn error(&mut self, code: &'static str, pointer: Ptr<'_>, message: String, spec: &'static str) {
        self.push(Severity::Error, code, pointer, message, spec);
    }

    /// A recommendation or a tolerated oddity.
    pub fn warning(&mut self, code: &'static str, pointer: Ptr<'_>, message: String, spec: &'static str) {
        self.push(Severity::Warning, code, pointer, message, spec);
    }

    /// A documented real-world deviation, decided by the policy rule `rule` (see
    /// [`super::policy::RULES`]): an error, a warning or accepted (information). Returns whether
    /// it was accepted, i.e. not an error.
    pub fn deviation(&mut self, r: &'static Rule, pointer: Ptr<'_>, message: String, spec: &'static str) -> bool {
        let (severity, accepted) = match self.policy.decide(r) {
            Decision::Error => (Severity::Error, false),
            Decision::Warning => (Severity::Warning, true),
            Decision::Accept if r.quiet_when_accepted => return true,
            Decision::Accept => (Severity::Info, true),
        };
        self.push_rule(severity, r.code, Some(r.id), pointer, message, spec);
        accepted
    }

    /// [`Findings::deviation`] with the rule chosen by which JWS `pointer` is in: `ssa` under
    /// `/ssa`, `request` otherwise.
    pub fn deviation_in(
        &mut self,
        (ssa, request): (&'static Rule, &'static Rule),
        pointer: Ptr<'_>,
        message: String,
        spec: &'static str,
    ) -> bool {
        let rule = if pointer.in_ssa() { ssa } else { request };
        self.deviation(rule, pointer, message, spec)
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
