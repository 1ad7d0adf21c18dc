//! A [`Validation`] for hosts whose calls can arrive in any order: foreign-language bindings
//! (the WebAssembly package's JavaScript), where the type-state steps cannot be expressed.
//!
//! Every call names what it answers; a call the validation is not waiting for returns a
//! [`SessionError`] and poisons the session, so that no later call can produce a report: a
//! mistake fails closed and is never silently ignored.
//!
//! ```
//! use dcr_guard_core::dcr::{Awaiting, Config, Profile, Request, Session, Validator};
//! use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};
//! # let directory = Jwks::parse(br#"{"keys":[]}"#, &Default::default()).unwrap();
//! let validator = Validator::new(Config::new(Profile::AuCdr, "https://dh.example"));
//! let mut session = Session::new(&validator, Request::register("not-a-jws", 0));
//! // A key set the session does not wait for is a mistake, and poisons it:
//! assert!(session.software_jwks(&directory).is_err());
//! assert!(session.report().is_err());
//! ```

use core::fmt;

use super::report::Report;
use super::revocation::RevokedSet;
use super::status::RegisterStatus;
use super::validation::{Request, Step, Validation, Validator};
use crate::jose::{Jwks, SignatureCheck, Verifier};

/// What a [`Session`] waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Awaiting {
    /// [`Session::directory_jwks`].
    DirectoryJwks,
    /// [`Session::answer`] (or [`Session::verify_with`]) for [`Session::check`].
    Signature,
    /// [`Session::software_jwks`], [`Session::software_jwks_document`] or [`Session::stop`].
    SoftwareJwks,
    /// [`Session::revoked_jwks`] (or [`Session::unavailable`]) for [`Session::revoked_jwks_request`].
    RevokedJwks,
    /// [`Session::software_status`] (or [`Session::unavailable`]) for [`Session::software_status_request`].
    SoftwareStatus,
    /// [`Session::sector_identifier`] (or [`Session::unavailable`]) for [`Session::sector_identifier_url`].
    SectorIdentifier,
    /// Nothing: [`Session::report`].
    Report,
    /// Nothing ever again: the report was taken, or a call was out of order.
    Nothing,
}

impl Awaiting {
    /// The name in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Awaiting::DirectoryJwks => "the directory key set",
            Awaiting::Signature => "a signature answer",
            Awaiting::SoftwareJwks => "the software key set",
            Awaiting::RevokedJwks => "a revoked key set",
            Awaiting::SoftwareStatus => "the Register status",
            Awaiting::SectorIdentifier => "the sector identifier document",
            Awaiting::Report => "the report to be taken",
            Awaiting::Nothing => "nothing (finished or poisoned)",
        }
    }
}

/// A session call that was not the one it waited for. The session is poisoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionError {
    /// The call answered something the session was not waiting for.
    OutOfOrder {
        /// What the call provided.
        got: Awaiting,
        /// What the session was waiting for.
        expected: Awaiting,
    },
}

impl SessionError {
    /// Every code [`SessionError::code`] can return.
    pub const CODES: &[&str] = &["session.out_of_order"];

    /// The stable string code.
    pub fn code(&self) -> &'static str {
        "session.out_of_order"
    }
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::OutOfOrder { got, expected } => write!(
                f,
                "the validation was given {} while it waited for {}; it is abandoned (start a new one)",
                got.as_str(),
                expected.as_str()
            ),
        }
    }
}

impl core::error::Error for SessionError {}

/// Where the session stands: the step it waits on, or its report.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // as `Step`
enum Held {
    Step(Step),
    Taken,
    Poisoned,
}

/// A validation driven by checked calls (see the module documentation).
#[derive(Debug)]
pub struct Session {
    held: Held,
}

impl Session {
    /// Starts validating `request` with `validator`.
    pub fn new(validator: &Validator, request: Request<'_>) -> Session {
        Session { held: Held::Step(validator.start(request).next()) }
    }

    /// What the session waits for.
    pub fn awaiting(&self) -> Awaiting {
        match &self.held {
            Held::Step(Step::NeedDirectoryJwks(_)) => Awaiting::DirectoryJwks,
            Held::Step(Step::Verify(_)) => Awaiting::Signature,
            Held::Step(Step::NeedSoftwareJwks(_)) => Awaiting::SoftwareJwks,
            Held::Step(Step::NeedRevokedJwks(_)) => Awaiting::RevokedJwks,
            Held::Step(Step::NeedSoftwareStatus(_)) => Awaiting::SoftwareStatus,
            Held::Step(Step::NeedSectorIdentifier(_)) => Awaiting::SectorIdentifier,
            Held::Step(Step::Done(_)) => Awaiting::Report,
            Held::Taken | Held::Poisoned => Awaiting::Nothing,
        }
    }

    /// The validation in progress (for its findings and decoded tokens so far).
    pub fn validation(&self) -> Option<&Validation> {
        match &self.held {
            Held::Step(Step::NeedDirectoryJwks(s)) => Some(s.validation()),
            Held::Step(Step::Verify(s)) => Some(s.validation()),
            Held::Step(Step::NeedSoftwareJwks(s)) => Some(s.validation()),
            Held::Step(Step::NeedRevokedJwks(s)) => Some(s.validation()),
            Held::Step(Step::NeedSoftwareStatus(s)) => Some(s.validation()),
            Held::Step(Step::NeedSectorIdentifier(s)) => Some(s.validation()),
            _ => None,
        }
    }

    /// The report, while it waits to be taken (without taking it).
    pub fn finished(&self) -> Option<&Report> {
        match &self.held {
            Held::Step(Step::Done(report)) => Some(report),
            _ => None,
        }
    }

    /// The statement's `kid` while the directory key set is awaited.
    pub fn directory_kid(&self) -> Option<&str> {
        match &self.held {
            Held::Step(Step::NeedDirectoryJwks(s)) => s.kid(),
            _ => None,
        }
    }

    /// The signature check awaiting an answer, if that is what the session waits for.
    pub fn check(&self) -> Option<SignatureCheck<'_>> {
        match &self.held {
            Held::Step(Step::Verify(v)) => Some(v.check()),
            _ => None,
        }
    }

    /// The software key set to fetch (URL and request `kid`), if that is what it waits for.
    pub fn software_jwks_request(&self) -> Option<(&str, Option<&str>)> {
        match &self.held {
            Held::Step(Step::NeedSoftwareJwks(s)) => Some((s.url(), s.kid())),
            _ => None,
        }
    }

    /// Whether the fetch guard allows the software key set's URL (the host to fetch from), or
    /// why not; `None` when no software key set is awaited.
    pub fn software_jwks_target(&self) -> Option<Result<alloc::string::String, &'static str>> {
        match &self.held {
            Held::Step(Step::NeedSoftwareJwks(s)) => Some(s.fetch_target()),
            _ => None,
        }
    }

    /// Ends without the software key set because the fetch guard refuses its URL (see
    /// [`super::NeedSoftwareJwks::refuse`]).
    pub fn refuse_software_jwks(&mut self, why: &str) -> Result<(), SessionError> {
        match self.take(Awaiting::SoftwareJwks)? {
            Step::NeedSoftwareJwks(need) => self.held = Held::Step(Step::Done(need.refuse(why))),
            _ => return Err(self.poison(Awaiting::SoftwareJwks)),
        }
        Ok(())
    }

    /// The revoked key set to fetch (URL and which set), if that is what it waits for.
    pub fn revoked_jwks_request(&self) -> Option<(&str, RevokedSet)> {
        match &self.held {
            Held::Step(Step::NeedRevokedJwks(s)) => Some((s.url(), s.which())),
            _ => None,
        }
    }

    /// The software product and legal entity whose Register status is wanted, if that is what
    /// it waits for.
    pub fn software_status_request(&self) -> Option<(&str, Option<&str>)> {
        match &self.held {
            Held::Step(Step::NeedSoftwareStatus(s)) => Some((s.software_id(), s.legal_entity_id())),
            _ => None,
        }
    }

    /// The `sector_identifier_uri` to fetch, if that is what it waits for.
    pub fn sector_identifier_url(&self) -> Option<&str> {
        match &self.held {
            Held::Step(Step::NeedSectorIdentifier(s)) => Some(s.url()),
            _ => None,
        }
    }

    /// Takes the step if it is the one `got` answers; otherwise poisons the session.
    fn take(&mut self, got: Awaiting) -> Result<Step, SessionError> {
        let expected = self.awaiting();
        if expected != got {
            self.held = Held::Poisoned;
            return Err(SessionError::OutOfOrder { got, expected });
        }
        match core::mem::replace(&mut self.held, Held::Poisoned) {
            Held::Step(step) => Ok(step),
            // Unreachable: `awaiting` said a step is held.
            _ => Err(SessionError::OutOfOrder { got, expected: Awaiting::Nothing }),
        }
    }

    fn advance(&mut self, validation: Validation) {
        self.held = Held::Step(validation.next());
    }

    /// The directory's key set.
    pub fn directory_jwks(&mut self, jwks: &Jwks) -> Result<(), SessionError> {
        match self.take(Awaiting::DirectoryJwks)? {
            Step::NeedDirectoryJwks(need) => self.advance(need.provide(jwks)),
            _ => return Err(self.poison(Awaiting::DirectoryJwks)),
        }
        Ok(())
    }

    /// The answer to [`Session::check`].
    pub fn answer(&mut self, signature_valid: bool) -> Result<(), SessionError> {
        match self.take(Awaiting::Signature)? {
            Step::Verify(check) => self.advance(check.answer(signature_valid)),
            _ => return Err(self.poison(Awaiting::Signature)),
        }
        Ok(())
    }

    /// Answers every signature check due now with a synchronous backend (none is not an error:
    /// a validation that needs no check right now has nothing to answer).
    pub fn verify_with(&mut self, verifier: &dyn Verifier) {
        while self.awaiting() == Awaiting::Signature {
            if let Held::Step(Step::Verify(check)) = core::mem::replace(&mut self.held, Held::Poisoned) {
                self.advance(check.verify_with(verifier));
            }
        }
    }

    /// The software key set.
    pub fn software_jwks(&mut self, jwks: &Jwks) -> Result<(), SessionError> {
        match self.take(Awaiting::SoftwareJwks)? {
            Step::NeedSoftwareJwks(need) => self.advance(need.provide(jwks)),
            _ => return Err(self.poison(Awaiting::SoftwareJwks)),
        }
        Ok(())
    }

    /// The software key set as the fetched document (see
    /// [`super::NeedSoftwareJwks::provide_document`]).
    pub fn software_jwks_document(&mut self, document: &[u8]) -> Result<(), SessionError> {
        match self.take(Awaiting::SoftwareJwks)? {
            Step::NeedSoftwareJwks(need) => self.advance(need.provide_document(document)),
            _ => return Err(self.poison(Awaiting::SoftwareJwks)),
        }
        Ok(())
    }

    /// Stops without the software key set: the report says the request was not verified.
    pub fn stop(&mut self) -> Result<(), SessionError> {
        match self.take(Awaiting::SoftwareJwks)? {
            Step::NeedSoftwareJwks(need) => self.held = Held::Step(Step::Done(need.stop())),
            _ => return Err(self.poison(Awaiting::SoftwareJwks)),
        }
        Ok(())
    }

    /// A revoked key set (see [`super::NeedRevokedJwks::provide`]).
    pub fn revoked_jwks(&mut self, jwks: &Jwks) -> Result<(), SessionError> {
        match self.take(Awaiting::RevokedJwks)? {
            Step::NeedRevokedJwks(need) => self.advance(need.provide(jwks)),
            _ => return Err(self.poison(Awaiting::RevokedJwks)),
        }
        Ok(())
    }

    /// The Register status (see [`super::NeedSoftwareStatus::provide`]).
    pub fn software_status(&mut self, status: RegisterStatus<'_>) -> Result<(), SessionError> {
        match self.take(Awaiting::SoftwareStatus)? {
            Step::NeedSoftwareStatus(need) => self.advance(need.provide(status)),
            _ => return Err(self.poison(Awaiting::SoftwareStatus)),
        }
        Ok(())
    }

    /// The sector identifier document (see [`super::NeedSectorIdentifier::provide_document`]).
    pub fn sector_identifier(&mut self, document: &[u8]) -> Result<(), SessionError> {
        match self.take(Awaiting::SectorIdentifier)? {
            Step::NeedSectorIdentifier(need) => self.advance(need.provide_document(document)),
            _ => return Err(self.poison(Awaiting::SectorIdentifier)),
        }
        Ok(())
    }

    /// The revoked key set, Register status or sector document awaited could not be had: the
    /// report will not be valid ([`super::codes::CHECK_UNAVAILABLE`]). Out of order anywhere else.
    pub fn unavailable(&mut self, why: &str) -> Result<(), SessionError> {
        let got = match self.awaiting() {
            a @ (Awaiting::RevokedJwks | Awaiting::SoftwareStatus | Awaiting::SectorIdentifier) => a,
            _ => Awaiting::RevokedJwks,
        };
        match self.take(got)? {
            Step::NeedRevokedJwks(need) => self.advance(need.unavailable(why)),
            Step::NeedSoftwareStatus(need) => self.advance(need.unavailable(why)),
            Step::NeedSectorIdentifier(need) => self.advance(need.unavailable(why)),
            _ => return Err(self.poison(got)),
        }
        Ok(())
    }

    /// The report, once nothing else is awaited. Taking it ends the session.
    pub fn report(&mut self) -> Result<Report, SessionError> {
        match self.take(Awaiting::Report)? {
            Step::Done(report) => {
                self.held = Held::Taken;
                Ok(report)
            }
            _ => Err(self.poison(Awaiting::Report)),
        }
    }

    fn poison(&mut self, got: Awaiting) -> SessionError {
        self.held = Held::Poisoned;
        SessionError::OutOfOrder { got, expected: Awaiting::Nothing }
    }
}

#[cfg(test)]
mod tests {
    //! Every way to call a session out of order fails, and none yields a valid report.
    use super::*;
    use crate::Limits;
    use crate::dcr::{Options, RequestOptions};
    use crate::jose::RustCryptoVerifier;
    use alloc::string::String;
    use alloc::vec::Vec;
    use serde_json::Value;

    struct Case {
        validator: Validator,
        directory: Jwks,
        software: Jwks,
        now: i64,
        token: String,
    }

    /// The first valid case of the v3.3 corpus, with its deployment.
    fn valid_case() -> Case {
        let text = include_str!("../../../../tests/vectors/dcr/uk-obie-v3.3.json");
        let m: Value = serde_json::from_str(text).unwrap();
        let mut opts = m["defaults"].as_object().unwrap().clone();
        let jwks = |name: &str| Jwks::from_value(&m["jwks"][opts[name].as_str().unwrap()], &Limits::DEFAULT).unwrap();
        let (directory, software) = (jwks("ssa_jwks"), jwks("software_jwks"));
        let now = opts["now"].as_i64().unwrap();
        for k in ["now", "ssa_jwks", "software_jwks"] {
            opts.remove(k);
        }
        if let Some(Value::String(name)) = opts.get("discovery").cloned() {
            opts.insert("discovery".into(), m["discovery"][name.as_str()].clone());
        }
        RequestOptions::take_from(&mut opts).unwrap();
        let config = Options::from_value(Value::Object(opts)).unwrap().into_config(&Limits::DEFAULT).unwrap();
        let case = m["cases"].as_array().unwrap().iter().find(|c| c["expect"]["valid"] == true).unwrap();
        Case {
            validator: Validator::new(config),
            directory,
            software,
            now,
            token: case["token"].as_str().unwrap().into(),
        }
    }

    fn session(c: &Case) -> Session {
        Session::new(&c.validator, Request::register(&c.token, c.now))
    }

    /// The honest sequence gives a valid report, and checks were asked in order.
    #[test]
    fn honest_sequence_is_valid() {
        let c = valid_case();
        let v = RustCryptoVerifier::new();
        let mut s = session(&c);
        let mut seen = Vec::new();
        loop {
            seen.push(s.awaiting());
            match s.awaiting() {
                Awaiting::DirectoryJwks => s.directory_jwks(&c.directory).unwrap(),
                Awaiting::Signature => {
                    let ok = crate::jose::verify_signature(&v, &s.check().unwrap()).is_ok();
                    s.answer(ok).unwrap()
                }
                Awaiting::SoftwareJwks => s.software_jwks(&c.software).unwrap(),
                Awaiting::Report => break,
                Awaiting::Nothing => panic!("poisoned"),
                other => panic!("{other:?}: not configured"),
            }
        }
        use Awaiting::*;
        assert_eq!(seen, [DirectoryJwks, Signature, SoftwareJwks, Signature, Report]);
        assert!(s.report().unwrap().valid);
        assert!(s.report().is_err(), "a report is taken once");
    }

    /// Each out-of-order call at each point: an error, and the session can never report.
    #[test]
    fn out_of_order_calls_poison() {
        let c = valid_case();
        let v = RustCryptoVerifier::new();
        // Honest calls in order, as closures by name.
        type Call = fn(&mut Session, &Case) -> Result<(), SessionError>;
        let calls: [(&str, Call); 6] = [
            ("directory", |s, c| s.directory_jwks(&c.directory)),
            ("answer true", |s, _| s.answer(true)),
            ("software", |s, c| s.software_jwks(&c.software)),
            ("document", |s, _| s.software_jwks_document(b"{}")),
            ("stop", |s, _| s.stop()),
            ("report", |s, _| s.report().map(|_| ())),
        ];
        for stop_after in 0..5 {
            for (name, wrong) in &calls {
                let mut s = session(&c);
                // Advance honestly `stop_after` steps.
                for _ in 0..stop_after {
                    match s.awaiting() {
                        Awaiting::DirectoryJwks => s.directory_jwks(&c.directory).unwrap(),
                        Awaiting::Signature => s.verify_with(&v),
                        Awaiting::SoftwareJwks => s.software_jwks(&c.software).unwrap(),
                        _ => {}
                    }
                }
                let expected = s.awaiting();
                let fits = matches!(
                    (expected, *name),
                    (Awaiting::DirectoryJwks, "directory")
                        | (Awaiting::Signature, "answer true")
                        | (Awaiting::SoftwareJwks, "software" | "document" | "stop")
                        | (Awaiting::Report, "report")
                );
                let result = wrong(&mut s, &c);
                if fits {
                    assert!(result.is_ok(), "{name} after {stop_after} steps");
                    continue;
                }
                assert!(result.is_err(), "{name} after {stop_after} steps was accepted while awaiting {expected:?}");
                assert_eq!(s.awaiting(), Awaiting::Nothing);
                assert!(s.report().is_err(), "{name} after {stop_after}: a poisoned session reported");
            }
        }
    }

    /// The fetch guard: a URL off the allow-list is never handed out as fetchable, and refusing
    /// it ends with `jwks.url_refused` (unapproved) and an unverified request.
    #[test]
    fn refused_key_set_url_is_a_finding() {
        let mut c = valid_case();
        let mut config = c.validator.config().clone();
        config.key_set_hosts = Some(crate::dcr::uri::HostAllowList::Hosts(alloc::vec!["keys.other.example".into()]));
        c.validator = Validator::new(config);
        let v = RustCryptoVerifier::new();
        let mut s = session(&c);
        s.directory_jwks(&c.directory).unwrap();
        s.verify_with(&v);
        let why = s.software_jwks_target().unwrap().unwrap_err();
        assert_eq!(why, "the host is not on the key-set host allow-list");
        s.refuse_software_jwks(why).unwrap();
        let r = s.report().unwrap();
        assert!(!r.valid);
        assert_eq!(r.error.map(|e| e.as_str()), Some("unapproved_software_statement"));
        assert_eq!(r.error_codes().collect::<Vec<_>>(), ["jwks.url_refused"]);
        assert_eq!(r.findings[0].pointer, "/ssa/claims/software_jwks_endpoint");
        // The profile's default (the OB keystore) lets the corpus URL through.
        let c = valid_case();
        let mut s = session(&c);
        s.directory_jwks(&c.directory).unwrap();
        s.verify_with(&v);
        assert!(s.software_jwks_target().unwrap().is_ok());
    }

    /// Stopping before the software key set, answering false, or giving the wrong key sets
    /// never gives a valid report.
    #[test]
    fn incomplete_proof_is_never_valid() {
        let c = valid_case();
        let v = RustCryptoVerifier::new();
        let run = |directory: &Jwks, software: Option<&Jwks>, answers: &[bool]| -> Report {
            let mut s = session(&c);
            let mut answers = answers.iter();
            loop {
                match s.awaiting() {
                    Awaiting::DirectoryJwks => s.directory_jwks(directory).unwrap(),
                    Awaiting::Signature => match answers.next() {
                        Some(a) => s.answer(*a).unwrap(),
                        None => s.verify_with(&v),
                    },
                    Awaiting::SoftwareJwks => match software {
                        Some(j) => s.software_jwks(j).unwrap(),
                        None => s.stop().unwrap(),
                    },
                    Awaiting::Report => return s.report().unwrap(),
                    Awaiting::Nothing => panic!("poisoned"),
                    other => panic!("{other:?}: not configured"),
                }
            }
        };
        let stopped = run(&c.directory, None, &[]);
        assert!(!stopped.valid);
        assert!(stopped.error_codes().any(|code| code == crate::dcr::codes::SIGNATURE_UNVERIFIED));
        assert!(!run(&c.directory, Some(&c.software), &[false]).valid, "SSA answered false");
        assert!(!run(&c.directory, Some(&c.software), &[true, false]).valid, "request answered false");
        assert!(!run(&c.software, Some(&c.software), &[]).valid, "the software set as the directory's");
        assert!(!run(&c.directory, Some(&c.directory), &[]).valid, "the directory set as the software's");
        assert!(run(&c.directory, Some(&c.software), &[]).valid, "the honest run");
    }
}
