//! What a bank configures: profile, mode, who it is, whom it trusts, and time policy.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::discovery::Discovery;
use super::policy::Policy;
use super::profile::ProfileSpec;
use crate::Limits;
use crate::jose::AlgorithmPolicy;

/// A DCR rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Profile {
    /// UK Open Banking DCR v3.1.
    UkObieV31,
    /// UK Open Banking DCR v3.2.
    UkObieV32,
    /// UK Open Banking DCR v3.3.
    UkObieV33,
    /// UK Open Banking DCR v3.4.
    UkObieV34,
    /// Australian Consumer Data Right (CDS v1.36).
    AuCdr,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 5] =
        [Profile::UkObieV31, Profile::UkObieV32, Profile::UkObieV33, Profile::UkObieV34, Profile::AuCdr];

    /// The profile's name as used on the command line and in the npm API.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Looks a profile up by name.
    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The profile as data: its tables, rules, trust anchors and defaults. Every variant has
    /// its own spec (a new variant without one does not compile).
    pub fn spec(self) -> &'static ProfileSpec {
        match self {
            Profile::UkObieV31 => &super::uk::V31,
            Profile::UkObieV32 => &super::uk::V32,
            Profile::UkObieV33 => &super::uk::V33,
            Profile::UkObieV34 => &super::uk::V34,
            Profile::AuCdr => &super::au::CDS,
        }
    }

    /// The SSA claim naming the software JWKS URL.
    pub fn software_jwks_claim(self) -> &'static str {
        self.spec().software_jwks_claim
    }

    /// Algorithms a directory may sign the statement with (the profile's).
    pub fn ssa_algorithms(self) -> AlgorithmPolicy {
        AlgorithmPolicy::new(self.spec().ssa_algorithms)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which DCR operation the request body belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /register`.
    #[default]
    Register,
    /// `PUT /register/{client_id}` (RFC 7592 update).
    Update {
        /// The client ID from the path.
        client_id: String,
    },
}

/// Facts about the TLS client certificate presented with the request (hosts read them from
/// their TLS terminator, e.g. `request.cf.tlsClientAuth` in a Worker).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientCert {
    /// Subject DN as an RFC 4514 / RFC 2253 string.
    pub subject_dn: String,
    /// SHA-256 of the certificate's DER, when the TLS terminator gives it (Cloudflare:
    /// `certFingerprintSHA256`, hex). With a software key set it is compared with the `x5c` /
    /// `x5t#S256` of its `use: tls` keys ([`Config::transport_cert`]).
    pub sha256: Option<[u8; 32]>,
}

impl ClientCert {
    /// A certificate known by its subject DN.
    pub fn new(subject_dn: impl Into<String>) -> ClientCert {
        ClientCert { subject_dn: subject_dn.into(), sha256: None }
    }

    /// The same certificate with its SHA-256 fingerprint (of the DER).
    pub fn with_sha256_fingerprint(mut self, sha256: [u8; 32]) -> ClientCert {
        self.sha256 = Some(sha256);
        self
    }
}

/// Whether the TLS client certificate must be one of the software key set's `use: tls` keys
/// (checked only when the host gives the certificate's SHA-256 fingerprint).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportCert {
    /// Not checked.
    Off,
    /// The certificate must match the `x5c[0]` or `x5t#S256` of a `use: tls` key (UK: the OB
    /// keystore publishes every transport certificate so).
    Required,
    /// As `Required` when the key set publishes a `use: tls` key with `x5c` or `x5t#S256`;
    /// otherwise a warning that it could not be checked (AU: not every ADR publishes them).
    IfPublished,
}

impl TransportCert {
    /// The profile's default (its [`ProfileSpec::transport_cert`]): required for the UK, if
    /// published for AU.
    pub fn default_for(profile: Profile) -> TransportCert {
        profile.spec().transport_cert
    }
}

/// A bank's DCR validation settings: one deployment, shared by every request (what varies per
/// request is in [`super::Request`]). Build with [`Config::new`] and adjust the fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The rule set.
    pub profile: Profile,
    /// What each documented real-world deviation is: error, warning or accepted (default: the
    /// `interop` preset).
    pub policy: Policy,
    /// The bank's issuer URL (its discovery `issuer`). AU requires `aud` to equal it.
    pub issuer: String,
    /// Further accepted `aud` values; for the UK, the bank's OB Directory organisation ID.
    pub audiences: Vec<String>,
    /// Trusted SSA issuers; empty means the profile's default (`OpenBanking Ltd` / `cdr-register`).
    pub trusted_ssa_issuers: Vec<String>,
    /// Tolerated clock difference in seconds for `iat`, `exp` and `nbf` (default 60).
    pub clock_skew: u64,
    /// Maximum `exp - iat` of the request in seconds; `None` for no cap.
    pub max_request_lifetime: Option<u64>,
    /// Maximum SSA age (`now - iat`) in seconds; `None` (default) for no limit.
    pub max_ssa_age: Option<u64>,
    /// Algorithms accepted for the request JWS; always intersected with PS256/ES256.
    pub algorithms: AlgorithmPolicy,
    /// The bank's OpenID discovery document, for cross-checks.
    pub discovery: Option<Discovery>,
    /// The hosts a software key set may be fetched from (`None`: the profile's default; see
    /// [`super::uri::fetch_target`], the guard every fetching host applies).
    pub key_set_hosts: Option<super::uri::HostAllowList>,
    /// Expected SSA `software_environment` (UK), compared case-insensitively; `None` to skip.
    pub software_environment: Option<String>,
    /// Size and depth limits.
    pub limits: Limits,
    /// The transport-certificate check (default: [`TransportCert::default_for`] the profile).
    pub transport_cert: TransportCert,
    /// Ask for the statement's revoked key sets (UK `software_jwks_revoked_endpoint`,
    /// `org_jwks_revoked_endpoint`): [`super::Step::NeedRevokedJwks`]. Off by default in the core
    /// (a host must be able to fetch them); the Worker turns it on for the UK.
    pub revocation: bool,
    /// Ask for the software product's Register status (AU): [`super::Step::NeedSoftwareStatus`].
    /// Off by default; the Worker turns it on when it polls the Register.
    pub register_status: bool,
    /// Ask for the `sector_identifier_uri` document (OpenID Connect Registration §5):
    /// [`super::Step::NeedSectorIdentifier`]. Off by default; the Worker turns it on.
    pub sector_identifier: bool,
}

impl Config {
    /// Defaults for a profile and issuer: the `interop` policy, 60 s skew, the profile's
    /// lifetime cap.
    pub fn new(profile: Profile, issuer: impl Into<String>) -> Config {
        Config {
            profile,
            policy: Policy::default(),
            issuer: issuer.into(),
            audiences: Vec::new(),
            trusted_ssa_issuers: Vec::new(),
            clock_skew: 60,
            max_request_lifetime: profile.spec().max_request_lifetime,
            max_ssa_age: None,
            algorithms: AlgorithmPolicy::FAPI,
            discovery: None,
            key_set_hosts: None,
            software_environment: None,
            limits: Limits::DEFAULT,
            transport_cert: TransportCert::default_for(profile),
            revocation: false,
            register_status: false,
            sector_identifier: false,
        }
    }

    /// Whether `iss` is a trusted SSA issuer.
    pub fn trusts_ssa_issuer(&self, iss: &str) -> bool {
        if self.trusted_ssa_issuers.is_empty() {
            self.profile.spec().trusted_ssa_issuers.contains(&iss)
        } else {
            self.trusted_ssa_issuers.iter().any(|t| t == iss)
        }
    }

    /// The hosts software key sets may be fetched from: the configured list, else the profile's.
    pub fn key_set_host_allow_list(&self) -> super::uri::HostAllowList {
        match (&self.key_set_hosts, self.profile.spec().key_set_hosts) {
            (Some(list), _) => list.clone(),
            (None, Some(hosts)) => super::uri::HostAllowList::Hosts(hosts.iter().map(|h| (*h).into()).collect()),
            (None, None) => super::uri::HostAllowList::AnyPublicHost,
        }
    }

    /// The request algorithm policy: the configured one within the FAPI floor.
    pub fn request_algorithms(&self) -> AlgorithmPolicy {
        self.algorithms.intersect(AlgorithmPolicy::FAPI)
    }
}

/// A configuration problem: the caller's fault, never the registration's (hosts report it as a
/// usage error, not as a finding).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The discovery document is not a JSON object (or too large, or too deep).
    Discovery(String),
    /// An option is unknown, missing or of the wrong type.
    Option(String),
    /// The profile name is unknown.
    Profile(String),
    /// The 0.1 `mode` is neither `strict` nor `lenient` (kept for one release: use `policy`).
    Mode(String),
    /// The policy preset is not one of `interop`, `spec`, `mock` (`strict`,
    /// `lenient`).
    Preset(String),
    /// A policy override names no rule, or a decision other than `error`, `warning`, `accept`.
    Rule(String),
    /// An algorithm other than PS256/ES256 was named.
    Algorithm(String),
}

impl ConfigError {
    /// Every code [`ConfigError::code`] can return.
    pub const CODES: &[&str] = &[
        "config.discovery_invalid",
        "config.invalid_option",
        "config.profile_unknown",
        "config.mode_unknown",
        "config.preset_unknown",
        "config.rule_unknown",
        "config.algorithm_unknown",
    ];

    /// The stable string code.
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::Discovery(_) => "config.discovery_invalid",
            ConfigError::Option(_) => "config.invalid_option",
            ConfigError::Profile(_) => "config.profile_unknown",
            ConfigError::Mode(_) => "config.mode_unknown",
            ConfigError::Preset(_) => "config.preset_unknown",
            ConfigError::Rule(_) => "config.rule_unknown",
            ConfigError::Algorithm(_) => "config.algorithm_unknown",
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Discovery(why) => write!(f, "discovery document is invalid: {why}"),
            ConfigError::Option(why) => write!(f, "invalid options: {why}"),
            ConfigError::Profile(p) => {
                write!(f, "unknown profile \"{p}\" (uk-obie-v3.1, uk-obie-v3.2, uk-obie-v3.3, uk-obie-v3.4, au-cdr)")
            }
            ConfigError::Mode(m) => {
                write!(f, "unknown mode \"{m}\" (strict, lenient; or use policy: interop, spec, mock)")
            }
            ConfigError::Preset(m) => {
                write!(
                    f,
                    "unknown policy preset \"{m}\" (interop, spec, mock; strict and lenient are aliases of spec and mock)"
                )
            }
            ConfigError::Rule(why) => write!(f, "invalid policy rule: {why}"),
            ConfigError::Algorithm(a) => write!(f, "algorithm \"{a}\" is not allowed (PS256, ES256)"),
        }
    }
}

impl core::error::Error for ConfigError {}
