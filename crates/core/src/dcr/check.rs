//! The two-phase, sans-IO validation pipeline.
//!
//! Phase 1 ([`Validator::begin`] / [`Validator::inspect`]) decodes the request, checks its
//! header, decodes the software statement, verifies it against the directory JWKS and checks
//! its claims. It tells the host which software JWKS to fetch — only when the SSA verified.
//! A host that fetches the directory JWKS too can split `begin` in two: [`Validator::open`]
//! decodes (and gives the statement's `kid`, [`Opened::ssa_kid`]), then
//! [`Validator::attach_directory_jwks`] selects the key.
//! Phase 2 ([`Validator::attach_software_jwks`], then [`Validator::report`]) verifies the
//! request signature with a key from that JWKS and checks the request claims.
//!
//! Signature checks are handed out as [`SignatureCheck`]s ([`Inspection::pending`]) so hosts
//! with asynchronous crypto (WebCrypto) can answer them with [`Validator::resolve`]; the
//! `inspect`/`finish`/`validate` forms do it synchronously with a [`Verifier`].

use alloc::format;
use alloc::string::{String, ToString};
use serde_json::{Map, Value};

use super::claims::ClaimSet;
use super::codes;
use super::config::Config;
use super::findings::Findings;
use super::findings::ptr::Ptr;
use super::report::{DecodedJws, Report, SignatureStatus, Stage};
use super::rules::{self, Ctx};
use super::uri;
use crate::jose::json::short;
use crate::jose::{Algorithm, AlgorithmPolicy, CompactJws, JoseError, Jwks, PublicKey, SignatureCheck, Verifier, note};

/// Which JWS a pending signature check belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Ssa,
    Request,
}

/// One decoded JWS and what is known about it.
#[derive(Debug, Clone)]
struct Part {
    jws: CompactJws,
    claims: Option<Map<String, Value>>,
    status: SignatureStatus,
    thumbprint: Option<String>,
    /// The header passed the algorithm policy and header rules (so a key may be selected).
    header_ok: bool,
}

impl Part {
    /// A copy for a look between the phases ([`Inspection::request`]).
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
}

/// A signature check waiting for its answer: the chosen algorithm and key. The bytes it covers
/// stay in the [`Part`] they belong to.
#[derive(Debug, Clone)]
struct Pending {
    which: Which,
    alg: Algorithm,
    key: PublicKey,
}

/// The state of one registration check between phases. Create it with [`Validator::begin`].
#[derive(Debug, Clone)]
pub struct Inspection {
    now: i64,
    findings: Findings,
    request: Option<Part>,
    ssa: Option<Part>,
    pending: Option<Pending>,
    ssa_claims_checked: bool,
}

/// What the host must fetch to finish: the software JWKS named by the verified SSA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwksFetch<'a> {
    /// The `software_jwks_endpoint` (UK) or `jwks_uri` (AU) of the verified SSA: https.
    pub url: &'a str,
    /// The request header's `kid`, if any (a cache miss on it justifies one refresh).
    pub kid: Option<&'a str>,
}

/// A registration check decoded but not yet given the directory JWKS ([`Validator::open`]).
/// Only [`Validator::attach_directory_jwks`] turns it into an [`Inspection`], so no later step
/// can run without the directory's keys.
#[derive(Debug, Clone)]
pub struct Opened {
    insp: Inspection,
}

impl Opened {
    /// The software statement's header `kid`, if the request decoded to one: what a host that
    /// fetches the directory JWKS needs to decide on a refresh of its cache.
    pub fn ssa_kid(&self) -> Option<&str> {
        self.insp.ssa.as_ref()?.jws.header().get("kid")?.as_str()
    }
}

impl Inspection {
    /// The signature check the host must answer before the next step, if any.
    pub fn pending(&self) -> Option<SignatureCheck<'_>> {
        let pending = self.pending.as_ref()?;
        let part = match pending.which {
            Which::Ssa => self.ssa.as_ref(),
            Which::Request => self.request.as_ref(),
        }?;
        Some(SignatureCheck {
            alg: pending.alg,
            key: &pending.key,
            signing_input: part.jws.signing_input(),
            signature: part.jws.signature(),
        })
    }

    /// The software JWKS to fetch: `Some` only when the SSA verified and nothing so far
    /// rejects the registration. Only a verified SSA may cause a fetch.
    pub fn software_jwks(&self, config: &Config) -> Option<JwksFetch<'_>> {
        if self.pending.is_some() || self.findings.has_errors() {
            return None;
        }
        let ssa = self.ssa.as_ref().filter(|s| s.status == SignatureStatus::Valid)?;
        let url = ssa.claims.as_ref()?.get(config.profile.software_jwks_claim())?.as_str()?;
        uri::parse(url).filter(uri::Uri::is_https)?;
        let kid = self.request.as_ref().and_then(|r| r.jws.header().get("kid")).and_then(Value::as_str);
        Some(JwksFetch { url, kid })
    }

    /// The SSA claims, once the SSA signature verified.
    pub fn verified_ssa_claims(&self) -> Option<&Map<String, Value>> {
        self.ssa.as_ref().filter(|s| s.status == SignatureStatus::Valid)?.claims.as_ref()
    }

    /// Whether an error finding already rejects the registration.
    pub fn is_rejected(&self) -> bool {
        self.findings.has_errors()
    }

    /// The findings so far.
    pub fn findings(&self) -> &[super::Finding] {
        self.findings.as_slice()
    }

    /// The decoded request (header and claims; signature status so far).
    pub fn request(&self) -> Option<DecodedJws> {
        self.request.as_ref().map(Part::decoded)
    }

    /// The decoded software statement.
    pub fn ssa(&self) -> Option<DecodedJws> {
        self.ssa.as_ref().map(Part::decoded)
    }
}

/// A bank's validator: a [`Config`] plus the pipeline. Build once, reuse for every request.
#[derive(Debug, Clone)]
pub struct Validator {
    config: Config,
}

impl Validator {
    /// A validator for this configuration.
    pub fn new(config: Config) -> Validator {
        Validator { config }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// One call: both JWS verified with a synchronous backend and the report built.
    pub fn validate(
        &self,
        token: &str,
        ssa_jwks: &Jwks,
        software_jwks: &Jwks,
        now: i64,
        verifier: &dyn Verifier,
    ) -> Report {
        let mut insp = self.inspect(token, ssa_jwks, now, verifier);
        self.attach_software_jwks(&mut insp, software_jwks);
        self.settle(&mut insp, verifier);
        self.report(insp)
    }

    /// Phase 1 with a synchronous backend.
    pub fn inspect(&self, token: &str, ssa_jwks: &Jwks, now: i64, verifier: &dyn Verifier) -> Inspection {
        let mut insp = self.begin(token, ssa_jwks, now);
        self.settle(&mut insp, verifier);
        insp
    }

    /// Phase 2 with a synchronous backend: attach the fetched JWKS, verify, report.
    pub fn finish(&self, mut insp: Inspection, software_jwks: &Jwks, verifier: &dyn Verifier) -> Report {
        self.attach_software_jwks(&mut insp, software_jwks);
        self.settle(&mut insp, verifier);
        self.report(insp)
    }

    fn settle(&self, insp: &mut Inspection, verifier: &dyn Verifier) {
        while let Some(check) = insp.pending() {
            let ok = crate::jose::verify_signature(verifier, &check).is_ok();
            self.resolve(insp, ok);
        }
    }

    /// Phase 1: decode the request and the SSA, check their headers, and select the directory
    /// key. The SSA's signature check is then [`Inspection::pending`]. Equal to
    /// [`Validator::open`] followed by [`Validator::attach_directory_jwks`].
    pub fn begin(&self, token: &str, ssa_jwks: &Jwks, now: i64) -> Inspection {
        self.attach_directory_jwks(self.open(token, now), ssa_jwks)
    }

    /// Phase 1 before any key: decode the request and the SSA and check their headers. For
    /// hosts that fetch the directory JWKS and want the statement's `kid` first
    /// ([`Opened::ssa_kid`]) without decoding the request twice.
    pub fn open(&self, token: &str, now: i64) -> Opened {
        let cfg = &self.config;
        let mut f = Findings::new(cfg.mode);
        let mut insp = Inspection {
            now,
            findings: Findings::new(cfg.mode),
            request: None,
            ssa: None,
            pending: None,
            ssa_claims_checked: false,
        };
        let request = match CompactJws::parse(token, &cfg.limits) {
            Ok(jws) => jws,
            Err(e) => {
                jose_finding(&mut f, "/request", &e);
                insp.findings = f;
                return Opened { insp };
            }
        };
        let request = decode_part(&mut f, request, "/request", cfg.request_algorithms(), Role::Request, cfg);
        f.set_stage(Stage::SsaSignature);
        let ssa = request.claims.as_ref().and_then(|claims| match claims.get("software_statement") {
            None | Some(Value::Null) => {
                f.error(
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
                    jose_finding(&mut f, "/ssa", &e);
                    None
                }
            },
            Some(_) => {
                f.error(
                    codes::CLAIM_TYPE,
                    Ptr::root("/request/claims/software_statement"),
                    "software_statement must be a compact JWS string".into(),
                    SPEC_RFC7591_SSA,
                );
                None
            }
        });
        let ssa_policy = cfg.profile.ssa_algorithms().intersect(cfg.request_algorithms());
        insp.ssa = ssa.map(|jws| decode_part(&mut f, jws, "/ssa", ssa_policy, Role::Ssa, cfg));
        insp.findings = f;
        insp.request = Some(request);
        Opened { insp }
    }

    /// The rest of phase 1: the directory JWKS's notes and the selection of the SSA's key. The
    /// SSA's signature check is then [`Inspection::pending`].
    pub fn attach_directory_jwks(&self, opened: Opened, ssa_jwks: &Jwks) -> Inspection {
        let mut insp = opened.insp;
        // A request that is not a JWS stops before any key (as the findings always did).
        if insp.request.is_none() {
            return insp;
        }
        let ssa_policy = self.config.profile.ssa_algorithms().intersect(self.config.request_algorithms());
        for n in ssa_jwks.notes() {
            insp.findings.warning(n.code, Ptr::root("/ssa_jwks/keys").at(n.index), n.message.clone(), SPEC_RFC7517);
        }
        if let Some(part) = insp.ssa.as_mut().filter(|p| p.header_ok) {
            match part.jws.select(ssa_jwks, ssa_policy) {
                Ok((_, alg, key)) => insp.pending = Some(Pending { which: Which::Ssa, alg, key }),
                Err(e) => {
                    part.status = SignatureStatus::Invalid;
                    jose_finding(&mut insp.findings, "/ssa", &e);
                }
            }
        }
        if insp.pending.is_none() {
            self.check_ssa_claims(&mut insp);
        }
        insp
    }

    /// Answers the pending signature check (`true` if it verified).
    pub fn resolve(&self, insp: &mut Inspection, signature_valid: bool) {
        let Some(Pending { which, key, .. }) = insp.pending.take() else { return };
        let (part, pointer, stage) = match which {
            Which::Ssa => (insp.ssa.as_mut(), "/ssa", Stage::SsaSignature),
            Which::Request => (insp.request.as_mut(), "/request", Stage::RequestSignature),
        };
        if let Some(part) = part {
            if signature_valid {
                part.status = SignatureStatus::Valid;
                part.thumbprint = Some(key.thumbprint().to_string());
            } else {
                part.status = SignatureStatus::Invalid;
                insp.findings.set_stage(stage);
                jose_finding(&mut insp.findings, pointer, &JoseError::SignatureInvalid);
            }
        }
        if which == Which::Ssa {
            self.check_ssa_claims(insp);
        }
    }

    fn check_ssa_claims(&self, insp: &mut Inspection) {
        if insp.ssa_claims_checked {
            return;
        }
        insp.ssa_claims_checked = true;
        let Some(claims) = insp.ssa.as_ref().and_then(|s| s.claims.as_ref()) else { return };
        let mut cx = Ctx { config: &self.config, now: insp.now, f: &mut insp.findings };
        rules::check_ssa(&mut cx, &ClaimSet::new(claims, "/ssa/claims"));
    }

    /// Phase 2: the software JWKS the host fetched. Selects the request's key; the request's
    /// signature check is then [`Inspection::pending`].
    pub fn attach_software_jwks(&self, insp: &mut Inspection, software_jwks: &Jwks) {
        if insp.pending.is_some() {
            return;
        }
        insp.findings.set_stage(Stage::RequestSignature);
        for n in software_jwks.notes() {
            let pointer = Ptr::root("/software_jwks/keys").at(n.index);
            match n.code {
                note::X5T_PADDED | note::LEADING_ZERO => {
                    insp.findings.deviation(n.code, pointer, n.message.clone(), SPEC_RFC7517);
                }
                _ => insp.findings.warning(n.code, pointer, n.message.clone(), SPEC_RFC7517),
            }
        }
        let Some(part) = insp.request.as_mut().filter(|p| p.header_ok) else { return };
        match part.jws.select(software_jwks, self.config.request_algorithms()) {
            Ok((_, alg, key)) => insp.pending = Some(Pending { which: Which::Request, alg, key }),
            Err(e) => {
                part.status = SignatureStatus::Invalid;
                jose_finding(&mut insp.findings, "/request", &e);
            }
        }
    }

    /// Phase 2 from the fetched JWKS document itself: a document that does not parse is the
    /// software's fault, so it becomes a finding at `/software_jwks` (the request signature then
    /// stays unverified) instead of an error for the host to handle.
    pub fn attach_software_jwks_document(&self, insp: &mut Inspection, document: &[u8]) {
        match Jwks::parse(document, &self.config.limits) {
            Ok(jwks) => self.attach_software_jwks(insp, &jwks),
            Err(e) => {
                insp.findings.set_stage(Stage::RequestSignature);
                insp.findings.error(e.code(), Ptr::root("/software_jwks"), e.to_string(), SPEC_RFC7517);
            }
        }
    }

    /// Finishes: checks the request claims and builds the report. A signature still pending
    /// counts as not verified.
    pub fn report(&self, mut insp: Inspection) -> Report {
        if let Some(Pending { which, .. }) = insp.pending.take() {
            self.resolve_unanswered(&mut insp, which);
        }
        self.check_ssa_claims(&mut insp);
        if let Some(issuer) = self.config.discovery.as_ref().and_then(|d| d.issuer())
            && issuer != self.config.issuer
        {
            insp.findings.set_stage(Stage::RequestClaims);
            insp.findings.warning(
                codes::DISCOVERY_ISSUER_MISMATCH,
                Ptr::root("/discovery/issuer"),
                format!(
                    "the discovery issuer \"{}\" differs from the configured issuer \"{}\"",
                    short(issuer),
                    short(&self.config.issuer)
                ),
                SPEC_OIDC_DISCOVERY,
            );
        }
        if let Some(req) = insp.request.as_ref().and_then(|r| r.claims.as_ref()) {
            let ssa = insp.ssa.as_ref().and_then(|s| s.claims.as_ref()).map(|c| ClaimSet::new(c, "/ssa/claims"));
            let mut cx = Ctx { config: &self.config, now: insp.now, f: &mut insp.findings };
            rules::check_request(&mut cx, &ClaimSet::new(req, "/request/claims"), ssa.as_ref());
        }
        Report::new(insp.findings.into_vec(), insp.request.map(Part::into_decoded), insp.ssa.map(Part::into_decoded))
    }

    fn resolve_unanswered(&self, insp: &mut Inspection, which: Which) {
        let part = match which {
            Which::Ssa => insp.ssa.as_mut(),
            Which::Request => insp.request.as_mut(),
        };
        if let Some(p) = part {
            p.status = SignatureStatus::Unchecked;
        }
    }
}

const SPEC_RFC7591_SSA: &str = "RFC 7591 §2.3 (software_statement)";
const SPEC_RFC7515: &str = "RFC 7515 §4.1; FAPI 1.0 Advanced §8.6";
const SPEC_RFC7517: &str = "RFC 7517 §4; RFC 7518 §6";
const SPEC_OIDC_DISCOVERY: &str = "OpenID Connect Discovery 1.0 §3";

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
                f.deviation(
                    codes::JWS_TYP,
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
                            codes::JWS_KID_MISSING,
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
