//! The one driver of a registration check: a sans-IO state machine in the style of rustls's
//! unbuffered API.
//!
//! A [`Validator`] holds one deployment's configuration; each request starts a
//! [`Validation`] ([`Validator::start`]) from a [`Request`] (token, time, operation, client
//! certificate). [`Validation::next`] says what it needs, as a [`Step`]:
//!
//! | step | the host | answers with |
//! |---|---|---|
//! | [`Step::NeedDirectoryJwks`] | gets the directory's key set (configured, cached, fetched) | [`NeedDirectoryJwks::provide`] |
//! | [`Step::Verify`] | verifies one signature (any backend, sync or async) | [`Verify::answer`] or [`Verify::verify_with`] |
//! | [`Step::NeedSoftwareJwks`] | fetches the key set the **verified** statement names | [`NeedSoftwareJwks::provide`], [`NeedSoftwareJwks::provide_document`] or [`NeedSoftwareJwks::stop`] |
//! | [`Step::NeedRevokedJwks`] | fetches a revoked key set the statement names ([`Config::revocation`]) | [`NeedRevokedJwks::provide`] or [`NeedRevokedJwks::unavailable`] |
//! | [`Step::NeedSoftwareStatus`] | looks the product up in its copy of the Register status ([`Config::register_status`]) | [`NeedSoftwareStatus::provide`] or [`NeedSoftwareStatus::unavailable`] |
//! | [`Step::NeedSectorIdentifier`] | fetches the `sector_identifier_uri` document ([`Config::sector_identifier`]) | [`NeedSectorIdentifier::provide_document`] or [`NeedSectorIdentifier::unavailable`] |
//! | [`Step::Done`] | returns the [`Report`] | — |
//!
//! The last three are asked only when the configuration turns them on, both signatures verified
//! and nothing else rejects the registration; a check that was asked for and answered
//! `unavailable` leaves an error ([`super::codes::CHECK_UNAVAILABLE`]).
//!
//! Each step owns the validation and gives it back only through its answer, so a check cannot
//! be skipped, answered twice or answered out of order: such code does not compile. The report
//! is valid only when both signatures were verified and no error finding exists (see
//! [`Report::valid`]).
//!
//! ```
//! use dcr_guard_core::dcr::{Config, Profile, Request, Step, Validator};
//! use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};
//! # let directory = Jwks::parse(br#"{"keys":[]}"#, &Default::default()).unwrap();
//! # let software = directory.clone();
//! let validator = Validator::new(Config::new(Profile::UkObieV33, "https://bank.example"));
//! let verifier = RustCryptoVerifier::new();
//! let mut validation = validator.start(Request::register("not.a.token", 1_700_000_000));
//! let report = loop {
//!     validation = match validation.next() {
//!         Step::NeedDirectoryJwks(need) => need.provide(&directory),
//!         Step::Verify(check) => check.verify_with(&verifier),
//!         Step::NeedSoftwareJwks(need) => need.provide(&software), // fetch need.url() in real life
//!         Step::Done(report) => break Some(report),
//!         // A step this host does not know: no verdict, so the host fails closed (`Step` is
//!         // non-exhaustive; a new check must never pass unanswered).
//!         _ => break None,
//!     };
//! };
//! assert!(!report.is_some_and(|r| r.valid));
//! ```
//!
//! A validation cannot be completed without each step's answer:
//!
//! ```compile_fail
//! # use dcr_guard_core::dcr::{Config, Profile, Request, Step, Validator};
//! let validator = Validator::new(Config::new(Profile::AuCdr, "https://dh.example"));
//! let validation = validator.start(Request::register("a.b.c", 0));
//! let step = validation.next();
//! let _again = validation.next(); // the validation moved into `step`
//! ```
//!
//! ```compile_fail
//! # use dcr_guard_core::dcr::{Config, Profile, Request, Step, Validator};
//! # let validator = Validator::new(Config::new(Profile::AuCdr, "https://dh.example"));
//! if let Step::Verify(check) = validator.start(Request::register("a.b.c", 0)).next() {
//!     let v = check.answer(true);
//!     let _twice = check.answer(true); // `check` was consumed by the first answer
//! }
//! ```

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use serde_json::{Map, Value};

use super::claims::ClaimSet;
use super::codes;
use super::config::{ClientCert, Config, Operation};
use super::findings::Findings;
use super::findings::ptr::Ptr;
use super::policy::{self, Policy};
use super::report::{DecodedJws, Finding, Report, SignatureStatus, Stage};
use super::revocation::{self, RevokedSet};
use super::rules::{self, Ctx, RequestFacts};
use super::status::{self, RegisterStatus};
use super::transport::{self, TlsKey};
use super::{sector, uri};
use crate::jose::json::short;
use crate::jose::{Algorithm, AlgorithmPolicy, CompactJws, JoseError, Jwks, PublicKey, SignatureCheck, Verifier, note};
use alloc::vec::Vec;

/// A bank's validator: one deployment's [`Config`]. Build once and reuse it for every request;
/// cloning it shares the configuration.
#[derive(Debug, Clone)]
pub struct Validator {
    config: Arc<Config>,
}

/// One registration request to check: what varies per request. Build it with
/// [`Request::register`] or [`Request::update`], then [`Request::with_client_cert`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Request<'a> {
    /// The request body: a compact JWS.
    pub token: &'a str,
    /// The validation time in Unix seconds (the core never reads a clock).
    pub now: i64,
    /// POST (register) or PUT (update of a client).
    pub operation: Operation,
    /// The presented TLS client certificate, when the host knows it.
    pub client_cert: Option<ClientCert>,
}

impl<'a> Request<'a> {
    /// A `POST /register` body checked at `now`.
    pub fn register(token: &'a str, now: i64) -> Request<'a> {
        Request { token, now, operation: Operation::Register, client_cert: None }
    }

    /// A `PUT /register/{client_id}` body checked at `now`.
    pub fn update(token: &'a str, now: i64, client_id: impl Into<String>) -> Request<'a> {
        Request { token, now, operation: Operation::Update { client_id: client_id.into() }, client_cert: None }
    }

    /// The same request with another operation.
    pub fn with_operation(mut self, operation: Operation) -> Request<'a> {
        self.operation = operation;
        self
    }

    /// The same request with the presented TLS client certificate.
    pub fn with_client_cert(mut self, cert: Option<ClientCert>) -> Request<'a> {
        self.client_cert = cert;
        self
    }
}

impl Validator {
    /// A validator for this configuration.
    pub fn new(config: Config) -> Validator {
        Validator { config: Arc::new(config) }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Starts checking one request. Nothing is decided until [`Validation::next`] runs.
    pub fn start(&self, request: Request<'_>) -> Validation {
        Validation::open(self.clone(), request)
    }

    /// The one-call form: both key sets at hand and a synchronous verifier. The software key
    /// set is used only if the pipeline asks for it (the statement verified and nothing rejects
    /// the request), exactly as a fetching host would.
    pub fn validate(&self, request: Request<'_>, directory: &Jwks, software: &Jwks, verifier: &dyn Verifier) -> Report {
        let mut validation = self.start(request);
        loop {
            validation = match validation.next() {
                Step::NeedDirectoryJwks(need) => need.provide(directory),
                Step::Verify(check) => check.verify_with(verifier),
                Step::NeedSoftwareJwks(need) => need.provide(software),
                Step::NeedRevokedJwks(need) => need.unavailable("the one-call form fetches nothing"),
                Step::NeedSoftwareStatus(need) => need.unavailable("the one-call form has no Register status"),
                Step::NeedSectorIdentifier(need) => need.unavailable("the one-call form fetches nothing"),
                Step::Done(report) => return report,
            };
        }
    }
}

/// Which JWS a signature check belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Signed {
    /// The software statement, verified with the directory's key set.
    SoftwareStatement,
    /// The registration request, verified with the software's key set.
    Request,
}

impl Signed {
    fn pointer(self) -> &'static str {
        match self {
            Signed::SoftwareStatement => "/ssa",
            Signed::Request => "/request",
        }
    }

    fn stage(self) -> Stage {
        match self {
            Signed::SoftwareStatement => Stage::SsaSignature,
            Signed::Request => Stage::RequestSignature,
        }
    }
}

/// What a [`Validation`] needs next. Each variant but `Done` owns the validation; its answer
/// gives it back.
#[derive(Debug)]
#[must_use = "a validation only advances through its steps' answers"]
#[non_exhaustive]
// A step moves a handful of times per validation; boxing the report would cost an allocation
// for nothing.
#[allow(clippy::large_enum_variant)]
pub enum Step {
    /// The directory's key set (the statement's header `kid` decides a cache refresh).
    NeedDirectoryJwks(NeedDirectoryJwks),
    /// One signature to verify.
    Verify(Verify),
    /// The software key set named by the verified statement.
    NeedSoftwareJwks(NeedSoftwareJwks),
    /// A revoked key set named by the verified statement (UK).
    NeedRevokedJwks(NeedRevokedJwks),
    /// The software product's Register status (AU).
    NeedSoftwareStatus(NeedSoftwareStatus),
    /// The `sector_identifier_uri` document.
    NeedSectorIdentifier(NeedSectorIdentifier),
    /// Finished: the report.
    Done(Report),
}

/// [`Step::NeedDirectoryJwks`].
#[derive(Debug)]
#[must_use = "the validation is inside: provide the key set to continue"]
pub struct NeedDirectoryJwks(Validation);

/// [`Step::Verify`]: the check and the validation it belongs to.
#[derive(Debug)]
#[must_use = "the validation is inside: answer the check to continue"]
pub struct Verify {
    validation: Validation,
    signed: Signed,
    alg: Algorithm,
    key: PublicKey,
}

/// [`Step::NeedSoftwareJwks`].
#[derive(Debug)]
#[must_use = "the validation is inside: provide the key set (or stop) to continue"]
pub struct NeedSoftwareJwks(Validation);

/// [`Step::NeedRevokedJwks`].
#[derive(Debug)]
#[must_use = "the validation is inside: provide the revoked key set (or say it is unavailable) to continue"]
pub struct NeedRevokedJwks(Validation);

/// [`Step::NeedSoftwareStatus`].
#[derive(Debug)]
#[must_use = "the validation is inside: provide the status (or say it is unavailable) to continue"]
pub struct NeedSoftwareStatus(Validation);

/// [`Step::NeedSectorIdentifier`].
#[derive(Debug)]
#[must_use = "the validation is inside: provide the document (or say it is unavailable) to continue"]
pub struct NeedSectorIdentifier(Validation);

/// A check asked for after both signatures verified, answered in this order.
#[derive(Debug, Clone)]
// Without the `io-checks` feature none is ever queued (the steps stay, unreachable).
#[cfg_attr(not(feature = "io-checks"), allow(dead_code))]
enum Check {
    Revoked(RevokedSet, String),
    Status,
    Sector(String),
}

/// One registration check in progress. Create it with [`Validator::start`], drive it with
/// [`Validation::next`].
#[derive(Debug)]
pub struct Validation(Box<State>);

/// Where a validation stands: each phase is entered once, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Decoded; the directory key set is needed (if the statement's header allows a key).
    Opened,
    /// A signature check of this JWS is due (its key is in `State::pending`).
    Verifying(Signed),
    /// The statement's check is answered (or impossible); its claims are checked.
    SsaDone,
    /// The software key set is needed.
    AwaitSoftware,
    /// The request's check is answered (or impossible).
    RequestDone,
}

#[derive(Debug)]
struct State {
    validator: Validator,
    now: i64,
    facts: RequestFacts,
    findings: Findings,
    request: Option<Part>,
    ssa: Option<Part>,
    phase: Phase,
    /// The algorithm and key of the check handed out in [`Phase::Verifying`].
    pending: Option<(Algorithm, PublicKey)>,
    /// The host stopped before the request's key set ([`NeedSoftwareJwks::stop`]).
    stopped: bool,
    /// The request claims were checked (once, before the checks below are planned).
    claims_checked: bool,
    /// The checks after both signatures were planned.
    planned: bool,
    /// Asked and not yet answered, in order: the first is the current step.
    checks: Vec<Check>,
    /// The `use: tls` key the transport certificate matched.
    tls_key: Option<TlsKey>,
}

/// One decoded JWS and what is known about it.
#[derive(Debug)]
struct Part {
    jws: CompactJws,
    claims: Option<Map<String, Value>>,
    status: SignatureStatus,
    thumbprint: Option<String>,
    /// The header passed the algorithm policy and header rules (so a key may be selected).
    header_ok: bool,
}

impl Part {
    fn decoded(&self) -> DecodedJws {
        DecodedJws {
            header: Value::Object(self.jws.header().clone()),
            claims: self.claims.clone().map_or(Value::Null, Value::Object),
            signature: self.status,
            key_thumbprint: self.thumbprint.clone(),
        }
    }

    /// The report's copy, by value: the trees move into the report instead of being copied.
    fn into_decoded(self) -> DecodedJws {
        DecodedJws {
            header: Value::Object(self.jws.into_header()),
            claims: self.claims.map_or(Value::Null, Value::Object),
            signature: self.status,
            key_thumbprint: self.thumbprint,
        }
    }

    fn kid(&self) -> Option<&str> {
        self.jws.header().get("kid")?.as_str()
    }
}

impl Validation {
    /// Decodes the request and the statement and applies the header rules: no key yet.
    fn open(validator: Validator, request: Request<'_>) -> Validation {
        let facts = RequestFacts { operation: request.operation, client_cert: request.client_cert };
        let mut state = State {
            findings: Findings::new(validator.config.policy.clone()),
            validator,
            now: request.now,
            facts,
            request: None,
            ssa: None,
            phase: Phase::Opened,
            pending: None,
            stopped: false,
            claims_checked: false,
            planned: false,
            checks: Vec::new(),
            tls_key: None,
        };
        state.decode(request.token);
        Validation(Box::new(state))
    }

    /// What this validation needs next (or its report).
    pub fn next(mut self) -> Step {
        loop {
            let state = &mut *self.0;
            match state.phase {
                Phase::Opened => {
                    if state.request.is_none() {
                        // Not a JWS: nothing else can be checked.
                        return Step::Done(state.finish());
                    }
                    if state.ssa.as_ref().is_some_and(|p| p.header_ok) {
                        return Step::NeedDirectoryJwks(NeedDirectoryJwks(self));
                    }
                    state.phase = Phase::SsaDone;
                    state.check_ssa_claims();
                }
                Phase::Verifying(signed) => match state.pending.take() {
                    Some((alg, key)) => return Step::Verify(Verify { validation: self, signed, alg, key }),
                    // Unreachable (the key is set with the phase); fail closed if it ever is.
                    None => state.answer(signed, false),
                },
                Phase::SsaDone => {
                    if state.software_jwks_url().is_some() {
                        state.phase = Phase::AwaitSoftware;
                        return Step::NeedSoftwareJwks(NeedSoftwareJwks(self));
                    }
                    state.phase = Phase::RequestDone;
                }
                Phase::AwaitSoftware => return Step::NeedSoftwareJwks(NeedSoftwareJwks(self)),
                Phase::RequestDone => {
                    if !state.planned {
                        state.planned = true;
                        state.plan_checks();
                    }
                    #[cfg(feature = "io-checks")]
                    return match state.checks.first() {
                        Some(Check::Revoked(..)) => Step::NeedRevokedJwks(NeedRevokedJwks(self)),
                        Some(Check::Status) => Step::NeedSoftwareStatus(NeedSoftwareStatus(self)),
                        Some(Check::Sector(_)) => Step::NeedSectorIdentifier(NeedSectorIdentifier(self)),
                        None => Step::Done(state.finish()),
                    };
                    // Nothing is ever queued without the feature.
                    #[cfg(not(feature = "io-checks"))]
                    return Step::Done(state.finish());
                }
            }
        }
    }

    /// The findings so far.
    pub fn findings(&self) -> &[Finding] {
        self.0.findings.as_slice()
    }

    /// Whether an error finding already rejects the registration.
    pub fn is_rejected(&self) -> bool {
        self.0.findings.has_errors()
    }

    /// The decoded request so far (header and claims are shown even when unverified).
    pub fn request(&self) -> Option<DecodedJws> {
        self.0.request.as_ref().map(Part::decoded)
    }

    /// The decoded software statement so far.
    pub fn ssa(&self) -> Option<DecodedJws> {
        self.0.ssa.as_ref().map(Part::decoded)
    }

    /// The statement's claims, once its signature verified.
    pub fn verified_ssa_claims(&self) -> Option<&Map<String, Value>> {
        self.0.ssa.as_ref().filter(|s| s.status == SignatureStatus::Valid)?.claims.as_ref()
    }
}

impl NeedDirectoryJwks {
    /// The statement's header `kid`: an unknown one justifies one refresh of a cached key set.
    pub fn kid(&self) -> Option<&str> {
        self.0.0.ssa.as_ref()?.kid()
    }

    /// The validation, to look at its progress.
    pub fn validation(&self) -> &Validation {
        &self.0
    }

    /// The directory's key set: the statement's key is selected, and its check comes next.
    pub fn provide(mut self, jwks: &Jwks) -> Validation {
        self.0.0.attach_directory(jwks);
        self.0
    }
}

impl Verify {
    /// The check to answer: the algorithm (from the caller's policy, never the header alone),
    /// the selected key, the signed bytes and the signature.
    pub fn check(&self) -> SignatureCheck<'_> {
        let part = self.validation.0.part(self.signed);
        SignatureCheck {
            alg: self.alg,
            key: &self.key,
            // The part always exists for a check handed out; an empty input would fail.
            signing_input: part.map_or(&[][..], |p| p.jws.signing_input()),
            signature: part.map_or(&[][..], |p| p.jws.signature()),
        }
    }

    /// Which JWS this check belongs to.
    pub fn signed(&self) -> Signed {
        self.signed
    }

    /// The validation, to look at its progress.
    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// The backend's answer: `true` only if the signature verified. The core checks the
    /// signature's shape itself, so `true` for a check of the wrong shape still fails.
    pub fn answer(self, signature_valid: bool) -> Validation {
        let shape_ok = crate::jose::check_shape(&self.check()).is_ok();
        let Verify { mut validation, signed, key, .. } = self;
        let valid = signature_valid && shape_ok;
        if valid && let Some(part) = validation.0.part_mut(signed) {
            part.thumbprint = Some(key.thumbprint().to_string());
        }
        validation.0.answer(signed, valid);
        validation
    }

    /// Answers with a synchronous backend.
    pub fn verify_with(self, verifier: &dyn Verifier) -> Validation {
        let ok = crate::jose::verify_signature(verifier, &self.check()).is_ok();
        self.answer(ok)
    }
}

impl NeedSoftwareJwks {
    /// The `software_jwks_endpoint` (UK) or `jwks_uri` (AU) of the **verified** statement: an
    /// https URL. The host fetches it (through its SSRF guard, see [`super::uri::key_set_url`]).
    pub fn url(&self) -> &str {
        self.0.0.software_jwks_url().unwrap_or_default()
    }

    /// The request header's `kid`, if any (a cache miss on it justifies one refresh).
    pub fn kid(&self) -> Option<&str> {
        self.0.0.request.as_ref()?.kid()
    }

    /// The validation, to look at its progress.
    pub fn validation(&self) -> &Validation {
        &self.0
    }

    /// The host to fetch [`NeedSoftwareJwks::url`] from, if the deployment's fetch guard allows
    /// the URL ([`super::uri::fetch_target`] with the configured or profile's host allow-list);
    /// otherwise why not (then [`NeedSoftwareJwks::refuse`]).
    pub fn fetch_target(&self) -> Result<String, &'static str> {
        let state = &*self.0.0;
        super::uri::fetch_target(self.url(), &state.config().key_set_host_allow_list())
    }

    /// Ends because the fetch guard refuses the URL: a `jwks.url_refused` finding (the
    /// statement is not approved), and the request's signature is not verified.
    pub fn refuse(mut self, why: &str) -> Report {
        let state = &mut *self.0.0;
        let url = state.software_jwks_url().map(short).unwrap_or_default();
        state.findings.set_stage(Stage::KeySetFetch);
        let claim = state.config().profile.software_jwks_claim();
        state.findings.error(
            codes::JWKS_URL_REFUSED,
            Ptr::root("/ssa/claims").key(claim),
            format!("the software statement's key-set URL \"{url}\" is refused: {why}"),
            SPEC_FETCH_GUARD,
        );
        state.phase = Phase::RequestDone;
        state.finish()
    }

    /// The fetched key set: the request's key is selected, and its check comes next.
    pub fn provide(mut self, jwks: &Jwks) -> Validation {
        self.0.0.attach_software(jwks);
        self.0
    }

    /// The fetched document as it arrived: one that is not a key set is the software's fault,
    /// a finding at `/software_jwks` (the request's signature then stays unverified).
    pub fn provide_document(mut self, document: &[u8]) -> Validation {
        let state = &mut *self.0.0;
        match Jwks::parse(document, &state.validator.config.limits) {
            Ok(jwks) => state.attach_software(&jwks),
            Err(e) => {
                state.findings.set_stage(Stage::RequestSignature);
                state.findings.error(e.code(), Ptr::root("/software_jwks"), e.to_string(), SPEC_RFC7517);
                state.phase = Phase::RequestDone;
            }
        }
        self.0
    }

    /// Ends without the software key set (a host that only inspects, or chose not to fetch):
    /// the report says the request's signature was not verified, so it is not valid.
    pub fn stop(mut self) -> Report {
        let state = &mut *self.0.0;
        state.stopped = true;
        state.phase = Phase::RequestDone;
        state.finish()
    }
}

impl NeedRevokedJwks {
    /// The revoked key set's URL (an https URL from the verified statement; fetch it through
    /// the SSRF guard).
    pub fn url(&self) -> &str {
        match self.0.0.checks.first() {
            Some(Check::Revoked(_, url)) => url,
            _ => "",
        }
    }

    /// Which set it is.
    pub fn which(&self) -> RevokedSet {
        match self.0.0.checks.first() {
            Some(Check::Revoked(which, _)) => *which,
            _ => RevokedSet::Software,
        }
    }

    /// The validation, to look at its progress.
    pub fn validation(&self) -> &Validation {
        &self.0
    }

    /// The fetched revoked key set: the request's key and the transport certificate must not be on it.
    pub fn provide(mut self, revoked: &Jwks) -> Validation {
        let which = self.which();
        let state = &mut *self.0.0;
        let request = state.request.as_ref();
        let presented = revocation::Presented {
            kid: request.and_then(Part::kid),
            thumbprint: request.and_then(|r| r.thumbprint.as_deref()),
            cert_sha256: state.facts.client_cert.as_ref().and_then(|c| c.sha256.as_ref()),
            tls_key: state.tls_key.as_ref(),
        };
        revocation::check(&mut state.findings, which, revoked, &presented);
        state.answered();
        self.0
    }

    /// The set could not be had: the check stays undone, so the report is not valid.
    pub fn unavailable(mut self, why: &str) -> Validation {
        let claim = self.which().claim();
        self.0.0.unavailable(Ptr::root("/ssa/claims").key(claim), why);
        self.0
    }
}

impl NeedSoftwareStatus {
    /// The statement's `software_id` (the software product ID).
    pub fn software_id(&self) -> &str {
        self.0.0.ssa_str("software_id").unwrap_or_default()
    }

    /// The statement's `legal_entity_id` (the data recipient), if any.
    pub fn legal_entity_id(&self) -> Option<&str> {
        self.0.0.ssa_str("legal_entity_id")
    }

    /// The validation, to look at its progress.
    pub fn validation(&self) -> &Validation {
        &self.0
    }

    /// The statuses the host holds for [`Self::software_id`] and [`Self::legal_entity_id`].
    pub fn provide(mut self, status: RegisterStatus<'_>) -> Validation {
        let state = &mut *self.0.0;
        let entity = state.ssa_str("legal_entity_id").map(String::from);
        status::check(&mut state.findings, &status, entity.as_deref());
        state.answered();
        self.0
    }

    /// No usable status data (none yet, or older than the maximum age): the report is not valid.
    pub fn unavailable(mut self, why: &str) -> Validation {
        self.0.0.unavailable(Ptr::root("/ssa/claims/software_id"), why);
        self.0
    }
}

impl NeedSectorIdentifier {
    /// The `sector_identifier_uri` to fetch (an https URL; through the SSRF guard).
    pub fn url(&self) -> &str {
        match self.0.0.checks.first() {
            Some(Check::Sector(url)) => url,
            _ => "",
        }
    }

    /// The validation, to look at its progress.
    pub fn validation(&self) -> &Validation {
        &self.0
    }

    /// The fetched document: a JSON array holding every registered redirect URI.
    pub fn provide_document(mut self, document: &[u8]) -> Validation {
        let url = String::from(self.url());
        let state = &mut *self.0.0;
        let (pointer, redirects) = state.redirect_uris();
        let limits = state.validator.config.limits;
        sector::check(&mut state.findings, document, &limits, &redirects, pointer, &url);
        state.answered();
        self.0
    }

    /// The document could not be fetched: the report is not valid.
    pub fn unavailable(mut self, why: &str) -> Validation {
        self.0.0.unavailable(Ptr::root("/ssa/claims/sector_identifier_uri"), why);
        self.0
    }
}

impl State {
    /// The verified statement's string claim.
    fn ssa_str(&self, name: &str) -> Option<&str> {
        self.ssa.as_ref().filter(|s| s.status == SignatureStatus::Valid)?.claims.as_ref()?.get(name)?.as_str()
    }

    /// The redirect URIs being registered: the request's, or (when it has none) the statement's.
    fn redirect_uris(&self) -> (&'static str, Vec<String>) {
        let strings = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect())
                .unwrap_or_default()
        };
        let request = self.request.as_ref().and_then(|r| r.claims.as_ref()).and_then(|c| c.get("redirect_uris"));
        if request.is_some() {
            return ("/request/claims/redirect_uris", strings(request));
        }
        let claim = self.config().profile.spec().ssa_redirect_uris_claim;
        let ssa = self.ssa.as_ref().and_then(|s| s.claims.as_ref()).and_then(|c| c.get(claim));
        (
            if claim == "redirect_uris" { "/ssa/claims/redirect_uris" } else { "/ssa/claims/software_redirect_uris" },
            strings(ssa),
        )
    }

    /// The current check is done.
    fn answered(&mut self) {
        if !self.checks.is_empty() {
            self.checks.remove(0);
        }
    }

    /// The current check could not be done: an error, and the check is over.
    fn unavailable(&mut self, pointer: Ptr<'_>, why: &str) {
        self.findings.set_stage(Stage::SsaApproval);
        self.findings.error(
            codes::CHECK_UNAVAILABLE,
            pointer,
            format!("a check the configuration asks for could not be done: {}", short(why)),
            SPEC_PROOF_CHECKS,
        );
        self.answered();
    }

    /// After both signatures verified and nothing rejects the registration (request claims
    /// included): the checks the configuration asks for, in a fixed order.
    fn plan_checks(&mut self) {
        self.check_request_claims();
        let both = self.request.as_ref().is_some_and(|r| r.status == SignatureStatus::Valid)
            && self.ssa.as_ref().is_some_and(|s| s.status == SignatureStatus::Valid);
        if !both || self.findings.has_errors() {
            return;
        }
        #[cfg(not(feature = "io-checks"))]
        {
            let cfg = self.config();
            if cfg.revocation || cfg.register_status || cfg.sector_identifier {
                self.findings.set_stage(Stage::SsaApproval);
                self.findings.error(
                    codes::CHECK_UNAVAILABLE,
                    Ptr::root("/ssa"),
                    "the configuration asks for checks with I/O, but this build has none (feature io-checks)".into(),
                    SPEC_PROOF_CHECKS,
                );
            }
        }
        #[cfg(feature = "io-checks")]
        self.plan_io_checks();
    }

    /// The checks with I/O the configuration asks for, queued in a fixed order.
    #[cfg(feature = "io-checks")]
    fn plan_io_checks(&mut self) {
        let cfg = Arc::clone(&self.validator.config);
        let https = |u: &str| uri::parse(u).is_some_and(|p| p.is_https());
        if cfg.revocation && cfg.profile.spec().revoked_key_sets {
            for which in [RevokedSet::Software, RevokedSet::Organisation] {
                match self.ssa_str(which.claim()) {
                    Some(url) if https(url) => self.checks.push(Check::Revoked(which, url.into())),
                    Some(_) | None if which == RevokedSet::Software => {
                        self.findings.set_stage(Stage::SsaApproval);
                        self.findings.warning(
                            codes::REVOCATION_ENDPOINT_MISSING,
                            Ptr::root("/ssa/claims").key(which.claim()),
                            "the statement names no https revoked key set: revocation was not checked".into(),
                            SPEC_REVOKED,
                        );
                    }
                    _ => {}
                }
            }
        }
        if cfg.register_status && cfg.profile.spec().register_status {
            self.checks.push(Check::Status);
        }
        if cfg.sector_identifier {
            let from_ssa = self.ssa_str("sector_identifier_uri").map(String::from);
            let named = from_ssa.or_else(|| {
                let claims = self.request.as_ref()?.claims.as_ref()?;
                claims.get("sector_identifier_uri")?.as_str().map(String::from)
            });
            match named {
                Some(url) if https(&url) => self.checks.push(Check::Sector(url)),
                Some(url) => {
                    self.findings.set_stage(Stage::RequestClaims);
                    self.findings.error(
                        codes::SECTOR_IDENTIFIER_INVALID,
                        Ptr::root("/ssa/claims/sector_identifier_uri"),
                        format!("\"{}\" is not an https URL, so it cannot be fetched", short(&url)),
                        SPEC_SECTOR,
                    );
                }
                None => {}
            }
        }
    }

    fn part(&self, which: Signed) -> Option<&Part> {
        match which {
            Signed::SoftwareStatement => self.ssa.as_ref(),
            Signed::Request => self.request.as_ref(),
        }
    }

    fn part_mut(&mut self, which: Signed) -> Option<&mut Part> {
        match which {
            Signed::SoftwareStatement => self.ssa.as_mut(),
            Signed::Request => self.request.as_mut(),
        }
    }

    fn config(&self) -> &Config {
        &self.validator.config
    }

    /// The statement's algorithm policy: the profile's, within the deployment's.
    fn ssa_policy(&self) -> AlgorithmPolicy {
        let cfg = self.config();
        cfg.profile.ssa_algorithms().intersect(cfg.request_algorithms())
    }

    /// Decodes the request and its statement and applies the header rules.
    fn decode(&mut self, token: &str) {
        let cfg = Arc::clone(&self.validator.config);
        let request = match CompactJws::parse(token, &cfg.limits) {
            Ok(jws) => jws,
            Err(e) => {
                jose_finding(&mut self.findings, "/request", &e);
                return;
            }
        };
        let request =
            decode_part(&mut self.findings, request, "/request", cfg.request_algorithms(), Role::Request, &cfg);
        self.findings.set_stage(Stage::SsaSignature);
        let ssa = request.claims.as_ref().and_then(|claims| match claims.get("software_statement") {
            None | Some(Value::Null) => {
                self.findings.error(
                    codes::SSA_MISSING,
                    Ptr::root("/request/claims/software_statement"),
                    "the request has no software_statement".into(),
                    SPEC_RFC7591_SSA,
                );
                None
            }
            Some(Value::String(s)) => match CompactJws::parse(s, &cfg.limits) {
                Ok(jws) => Some(jws),
                Err(e) => {
                    jose_finding(&mut self.findings, "/ssa", &e);
                    None
                }
            },
            Some(_) => {
                self.findings.error(
                    codes::CLAIM_TYPE,
                    Ptr::root("/request/claims/software_statement"),
                    "software_statement must be a compact JWS string".into(),
                    SPEC_RFC7591_SSA,
                );
                None
            }
        });
        let policy = self.ssa_policy();
        self.ssa = ssa.map(|jws| decode_part(&mut self.findings, jws, "/ssa", policy, Role::Ssa, &cfg));
        self.request = Some(request);
    }

    /// The directory key set: its notes, then the statement's key.
    fn attach_directory(&mut self, jwks: &Jwks) {
        for n in jwks.notes() {
            self.findings.warning(n.code, Ptr::root("/ssa_jwks/keys").at(n.index), n.message.clone(), SPEC_RFC7517);
        }
        let policy = self.ssa_policy();
        self.select(Signed::SoftwareStatement, jwks, policy);
    }

    /// The software key set: its notes, the transport certificate, then the request's key.
    fn attach_software(&mut self, jwks: &Jwks) {
        let mode = self.config().transport_cert;
        self.tls_key = transport::check(&mut self.findings, mode, self.facts.client_cert.as_ref(), jwks);
        self.findings.set_stage(Stage::RequestSignature);
        for n in jwks.notes() {
            let pointer = Ptr::root("/software_jwks/keys").at(n.index);
            match n.code {
                note::X5T_PADDED => {
                    self.findings.deviation(
                        &policy::SOFTWARE_JWKS_X5T_PADDED,
                        pointer,
                        n.message.clone(),
                        SPEC_RFC7517,
                    );
                }
                note::LEADING_ZERO => {
                    self.findings.deviation(
                        &policy::SOFTWARE_JWKS_LEADING_ZERO,
                        pointer,
                        n.message.clone(),
                        SPEC_RFC7517,
                    );
                }
                _ => self.findings.warning(n.code, pointer, n.message.clone(), SPEC_RFC7517),
            }
        }
        let policy = self.config().request_algorithms();
        self.select(Signed::Request, jwks, policy);
    }

    /// Selects the key of `which` (its header passed): the check is then due; a selection
    /// failure is that JWS's finding and its signature is invalid.
    fn select(&mut self, which: Signed, jwks: &Jwks, policy: AlgorithmPolicy) {
        let selected = match self.part(which) {
            Some(part) if part.header_ok => part.jws.select(jwks, policy).map(|(_, alg, key)| (alg, key)),
            _ => {
                // Unreachable: a key set is only asked for a JWS whose header passed.
                self.answer(which, false);
                return;
            }
        };
        match selected {
            Ok(pending) => {
                self.pending = Some(pending);
                self.phase = Phase::Verifying(which);
            }
            Err(e) => {
                self.findings.set_stage(which.stage());
                jose_finding(&mut self.findings, which.pointer(), &e);
                if let Some(part) = self.part_mut(which) {
                    part.status = SignatureStatus::Invalid;
                }
                self.phase_after(which);
            }
        }
    }

    /// Records the answer to the check of `which` and moves on.
    fn answer(&mut self, which: Signed, valid: bool) {
        self.pending = None;
        if let Some(part) = self.part_mut(which) {
            part.status = if valid { SignatureStatus::Valid } else { SignatureStatus::Invalid };
        }
        if !valid {
            self.findings.set_stage(which.stage());
            jose_finding(&mut self.findings, which.pointer(), &JoseError::SignatureInvalid);
        }
        self.phase_after(which);
    }

    fn phase_after(&mut self, which: Signed) {
        match which {
            Signed::SoftwareStatement => {
                self.phase = Phase::SsaDone;
                self.check_ssa_claims();
            }
            Signed::Request => self.phase = Phase::RequestDone,
        }
    }

    fn check_ssa_claims(&mut self) {
        let Some(claims) = self.ssa.as_ref().and_then(|s| s.claims.as_ref()) else { return };
        let mut cx = Ctx { config: &self.validator.config, facts: &self.facts, now: self.now, f: &mut self.findings };
        rules::check_ssa(&mut cx, &ClaimSet::new(claims, "/ssa/claims"));
    }

    /// The software key set to fetch: only when the statement verified and nothing so far
    /// rejects the registration, and only an https URL. Only a verified statement causes a fetch.
    fn software_jwks_url(&self) -> Option<&str> {
        if self.findings.has_errors() || !self.request.as_ref().is_some_and(|r| r.header_ok) {
            return None;
        }
        let ssa = self.ssa.as_ref().filter(|s| s.status == SignatureStatus::Valid)?;
        let url = ssa.claims.as_ref()?.get(self.config().profile.software_jwks_claim())?.as_str()?;
        uri::parse(url).filter(uri::Uri::is_https)?;
        Some(url)
    }

    /// The request claims, the proof rule and the report.
    fn finish(&mut self) -> Report {
        let cfg = Arc::clone(&self.validator.config);
        if let Some(issuer) = cfg.discovery.as_ref().and_then(|d| d.issuer())
            && issuer != cfg.issuer
        {
            self.findings.set_stage(Stage::RequestClaims);
            self.findings.warning(
                codes::DISCOVERY_ISSUER_MISMATCH,
                Ptr::root("/discovery/issuer"),
                format!(
                    "the discovery issuer \"{}\" differs from the configured issuer \"{}\"",
                    short(issuer),
                    short(&cfg.issuer)
                ),
                SPEC_OIDC_DISCOVERY,
            );
        }
        self.check_request_claims();
        self.prove();
        let findings = core::mem::replace(&mut self.findings, Findings::new(Policy::default())).into_vec();
        Report::new(findings, self.request.take().map(Part::into_decoded), self.ssa.take().map(Part::into_decoded))
    }

    /// The request's claims, once.
    fn check_request_claims(&mut self) {
        if core::mem::replace(&mut self.claims_checked, true) {
            return;
        }
        let cfg = Arc::clone(&self.validator.config);
        if let Some(req) = self.request.as_ref().and_then(|r| r.claims.as_ref()) {
            let ssa = self.ssa.as_ref().and_then(|s| s.claims.as_ref()).map(|c| ClaimSet::new(c, "/ssa/claims"));
            let mut cx = Ctx { config: &cfg, facts: &self.facts, now: self.now, f: &mut self.findings };
            rules::check_request(&mut cx, &ClaimSet::new(req, "/request/claims"), ssa.as_ref());
        }
    }

    /// Valid only with proof: a signature that was not verified is an error finding when the
    /// host stopped before it, or when nothing else rejects the registration (a pipeline that
    /// skipped a check must never look like a pass).
    fn prove(&mut self) {
        // Unreachable through the steps (each asked check is answered or unavailable); kept so
        // that a check asked and not answered can never end in a valid report.
        #[cfg(feature = "io-checks")]
        for check in core::mem::take(&mut self.checks) {
            self.findings.set_stage(Stage::SsaApproval);
            let what = match check {
                Check::Revoked(which, _) => which.claim(),
                Check::Status => "the Register status",
                Check::Sector(_) => "sector_identifier_uri",
            };
            self.findings.error(
                codes::CHECK_UNAVAILABLE,
                Ptr::root("/ssa"),
                format!("the check of {what} was asked for and not answered"),
                SPEC_PROOF_CHECKS,
            );
        }
        for which in [Signed::SoftwareStatement, Signed::Request] {
            let status = self.part(which).map(|p| p.status);
            if status == Some(SignatureStatus::Valid) || status == Some(SignatureStatus::Invalid) {
                continue;
            }
            let stopped = self.stopped && which == Signed::Request;
            if !stopped && self.findings.has_errors() {
                continue;
            }
            let why = match (status, stopped) {
                (None, _) => "could not be decoded, so its signature was not verified",
                (_, true) => "was not verified: no key set was given for it",
                _ => "was not verified",
            };
            let what = match which {
                Signed::SoftwareStatement => "the software statement",
                Signed::Request => "the registration request",
            };
            self.findings.set_stage(which.stage());
            self.findings.error(
                codes::SIGNATURE_UNVERIFIED,
                Ptr::root(which.pointer()),
                format!("{what} {why}"),
                SPEC_PROOF,
            );
        }
    }
}

const SPEC_PROOF_CHECKS: &str =
    "dcr-guard: a registration is valid only when every check the configuration asks for was done";
#[cfg(feature = "io-checks")]
const SPEC_REVOKED: &str = "OB Directory: software_jwks_revoked_endpoint";
#[cfg(feature = "io-checks")]
const SPEC_SECTOR: &str = "OpenID Connect Registration 1.0 §5 (sector_identifier_uri)";
const SPEC_RFC7591_SSA: &str = "RFC 7591 §2.3 (software_statement)";
const SPEC_RFC7515: &str = "RFC 7515 §4.1; FAPI 1.0 Advanced §8.6";
const SPEC_RFC7517: &str = "RFC 7517 §4; RFC 7518 §6";
const SPEC_OIDC_DISCOVERY: &str = "OpenID Connect Discovery 1.0 §3";
const SPEC_FETCH_GUARD: &str =
    "OB Directory: software key sets live on its keystore; RFC 7591 §3.1.1 (the server must not fetch arbitrary URLs)";
const SPEC_PROOF: &str =
    "RFC 7591 §2.3, §3.1.1: the statement and the request are accepted only when signed by trusted keys";

/// Which JWS a header belongs to (their `kid` rules differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Request,
    Ssa,
}

/// A JOSE error as a finding; header problems point into the header.
fn jose_finding(f: &mut Findings, base: &str, e: &JoseError) {
    let pointer = match e {
        JoseError::AlgNotAllowed(_) => Ptr::root(base).key("header").key("alg"),
        JoseError::HeaderInvalid(_) | JoseError::CritUnsupported(_) | JoseError::B64Unsupported => {
            Ptr::root(base).key("header")
        }
        _ => Ptr::root(base),
    };
    f.error(e.code(), pointer, e.to_string(), SPEC_RFC7515);
}

/// Decodes the payload and applies the header rules the profile shares: the algorithm policy
/// (before any key lookup), `crit`/`b64`, `typ`, `kid` and key-carrying members.
fn decode_part(
    f: &mut Findings,
    jws: CompactJws,
    base: &'static str,
    policy: AlgorithmPolicy,
    role: Role,
    cfg: &Config,
) -> Part {
    let header_ok = match jws.params() {
        Err(e) => {
            jose_finding(f, base, &e);
            false
        }
        Ok(params) => {
            let mut ok = true;
            if policy.admit(&params.alg).is_none() {
                jose_finding(f, base, &JoseError::AlgNotAllowed(params.alg.clone()));
                ok = false;
            }
            if let Some(typ) = params.typ.as_deref().filter(|t| !t.eq_ignore_ascii_case("JWT")) {
                let rule = match role {
                    Role::Ssa => &policy::SSA_TYP,
                    Role::Request => &policy::REQUEST_TYP,
                };
                f.deviation(
                    rule,
                    Ptr::root(base).key("header").key("typ"),
                    format!("typ is \"{}\"; expected \"JWT\" or none", short(typ)),
                    SPEC_RFC7515,
                );
            }
            if params.kid.is_none() {
                let msg = "the header has no kid; the key can only be found if the JWKS has exactly one suitable key";
                match role {
                    Role::Ssa => {
                        f.deviation(
                            &policy::SSA_KID_MISSING,
                            Ptr::root(base).key("header"),
                            msg.into(),
                            SPEC_DIRECTORY_KID,
                        );
                    }
                    Role::Request => {
                        f.warning(codes::JWS_KID_MISSING, Ptr::root(base).key("header"), msg.into(), SPEC_DIRECTORY_KID)
                    }
                }
            }
            for member in ["jwk", "jku", "x5u", "x5c"] {
                if jws.header().contains_key(member) {
                    f.warning(
                        codes::JWS_KEY_HEADER_IGNORED,
                        Ptr::root(base).key("header").key(member),
                        format!("\"{member}\" is ignored: keys come only from the configured or SSA-named JWKS"),
                        SPEC_FAPI_KEYS,
                    );
                }
            }
            ok
        }
    };
    let claims = match jws.payload_json(&cfg.limits) {
        Ok(Value::Object(m)) => Some(m),
        Ok(_) => {
            f.error(
                codes::PAYLOAD_INVALID,
                Ptr::root(base).key("claims"),
                "the payload is not a JSON object".into(),
                SPEC_RFC7519,
            );
            None
        }
        Err(e) => {
            f.error(codes::PAYLOAD_INVALID, Ptr::root(base).key("claims"), format!("the payload is {e}"), SPEC_RFC7519);
            None
        }
    };
    Part { jws, claims, status: SignatureStatus::Unchecked, thumbprint: None, header_ok }
}

const SPEC_DIRECTORY_KID: &str = "OB Directory SSA profile (kid); FAPI 1.0 Advanced §8.11";
const SPEC_FAPI_KEYS: &str = "OB DCR \"Of JWS & JWKS\"; FAPI 1.0 Advanced §8.9";
const SPEC_RFC7519: &str = "RFC 7519 §7.2";
