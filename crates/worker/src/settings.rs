//! The Worker's configuration, read once per isolate from `[vars]`, secrets and bindings.
//! Every value is checked; a bad configuration makes every request fail closed (500), it never
//! weakens validation. The variables are documented in docs/worker.md.

use std::collections::BTreeMap;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::profile::Family;
use dcr_guard_core::dcr::uri::HostAllowList;
use dcr_guard_core::dcr::{Options, PolicyOption, Preset as PolicyPreset, Profile, TransportCert, Validator};
use dcr_guard_core::jose::AlgorithmPolicy;
use serde_json::Value;
use worker::Env;

/// Whether a profile is one of the UK family (its rules, trust anchors and checks).
fn is_uk(profile: Profile) -> bool {
    profile.spec().family == Family::UkObie
}

/// A trust anchor preset (`DCR_DIRECTORY`): the directory key-set URL, the trusted statement
/// issuer, the key-set host allow-list and (AU) the Register base URL, so that a deployment does
/// not copy them by hand. Explicit variables override each value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    ObProduction,
    ObSandbox,
    CdrProduction,
    CdrMock,
}

impl Preset {
    fn from_name(name: &str) -> Option<Preset> {
        match name {
            "ob-production" => Some(Preset::ObProduction),
            "ob-sandbox" => Some(Preset::ObSandbox),
            "cdr-production" => Some(Preset::CdrProduction),
            "cdr-mock" => Some(Preset::CdrMock),
            _ => None,
        }
    }

    fn is_uk(self) -> bool {
        matches!(self, Preset::ObProduction | Preset::ObSandbox)
    }

    /// The directory's key set.
    fn directory_jwks_url(self) -> &'static str {
        match self {
            Preset::ObProduction => "https://keystore.openbanking.org.uk/keystore/openbanking.jwks",
            Preset::ObSandbox => "https://keystore.openbankingtest.org.uk/keystore/openbanking.jwks",
            Preset::CdrProduction => "https://api.cdr.gov.au/cdr-register/v1/jwks",
            Preset::CdrMock => "https://mock-register:7000/cdr-register/v1/jwks",
        }
    }

    fn ssa_issuer(self) -> &'static str {
        if self.is_uk() { "OpenBanking Ltd" } else { "cdr-register" }
    }

    /// Hosts of software key sets (and revoked sets): the OB keystore; for AU the ADRs' own
    /// hosts, so any public host name (`*`).
    fn jwks_hosts(self) -> &'static [&'static str] {
        match self {
            Preset::ObProduction => &["keystore.openbanking.org.uk"],
            Preset::ObSandbox => &["keystore.openbankingtest.org.uk"],
            Preset::CdrProduction | Preset::CdrMock => &["*"],
        }
    }

    /// The CDR Register's public base URL (status APIs).
    fn register_url(self) -> Option<&'static str> {
        match self {
            Preset::CdrProduction => Some("https://api.cdr.gov.au"),
            Preset::CdrMock => Some("https://mock-register:7000"),
            _ => None,
        }
    }
}

/// The CDR Register status feed (AU), polled by the Cron Trigger into KV.
#[derive(Debug, Clone)]
pub struct RegisterFeed {
    /// Base URL; the status paths are appended.
    pub base_url: String,
    /// The `{industry}` path parameter (`all`).
    pub industry: String,
    /// Status data older than this is stale.
    pub max_age_secs: u64,
    /// Stale data passes with a warning instead of a 503.
    pub stale_pass: bool,
}

/// How bearer tokens of the management routes are checked.
#[derive(Debug, Clone)]
pub struct TokenPolicy {
    /// Forward without validating (the weaker choice: the origin must validate).
    pub pass: bool,
    /// The bank's key set for JWT access tokens.
    pub jwks_url: Option<String>,
    pub issuer: Option<String>,
    pub audiences: Vec<String>,
    pub algorithms: AlgorithmPolicy,
    /// A scope the token must carry (AU: `cdr:registration`).
    pub scope: Option<String>,
    /// RFC 7662 introspection for opaque tokens (and JWTs when no key set is configured).
    pub introspection: Option<Introspection>,
    /// `cnf.x5t#S256` must be present (certificate-bound tokens; default with mTLS required).
    pub require_cnf: bool,
    /// Accept the ACCC mock's upper-case hex SHA-1 in `cnf.x5t#S256` (cdr-mock preset only), as a warning.
    pub accept_sha1_cnf: bool,
    pub clock_skew: u64,
}

/// An introspection endpoint and the Worker's client credentials for it.
#[derive(Debug, Clone)]
pub struct Introspection {
    pub url: String,
    pub client_id: String,
    pub client_secret: String,
}

/// Where the directory JWKS comes from.
#[derive(Debug, Clone)]
pub enum DirectoryJwks {
    /// Fetched from this https URL (cached, refreshed on an unknown kid).
    Url(String),
    /// Given inline (JSON text).
    Inline(String),
}

/// Where valid requests go.
#[derive(Debug, Clone)]
pub enum Origin {
    /// An https base URL; the request path and query are appended.
    Url(String),
    /// A service binding of this name.
    Binding(String),
}

/// Everything the Worker needs, checked.
pub struct Settings {
    pub validator: Validator,
    pub profile: Profile,
    /// Accept `application/json` as the content type of a JWS body (not in the spec preset).
    pub json_bodies: bool,
    pub path_prefix: String,
    pub directory: DirectoryJwks,
    pub origin: Origin,
    /// Hosts the SSA-named software JWKS may be fetched from; `*` allows any public https host.
    pub jwks_hosts: Vec<String>,
    /// Hosts served by a service binding instead of the network (demo and tests only).
    pub host_bindings: BTreeMap<String, String>,
    pub require_mtls: bool,
    pub verification_secret: Vec<u8>,
    pub max_body_bytes: usize,
    pub jwks_max_bytes: usize,
    pub fetch_timeout_ms: u64,
    pub origin_timeout_ms: u64,
    pub jwks_ttl_secs: u64,
    pub jwks_stale_secs: u64,
    pub jwks_refresh_interval_secs: u64,
    /// Hosts a `sector_identifier_uri` may be fetched from (default: the key-set hosts).
    pub sector_hosts: Vec<String>,
    /// Largest `sector_identifier_uri` document read.
    pub sector_max_bytes: usize,
    /// The Register status feed, when the status check is on.
    pub register: Option<RegisterFeed>,
    /// Management-route tokens.
    pub tokens: TokenPolicy,
}

/// The KV namespace binding holding the Register status snapshot.
pub const STATUS_KV: &str = "DCR_STATUS";

fn switch(env: &Env, name: &str, default: bool) -> Result<bool, String> {
    match var(env, name).as_deref() {
        None => Ok(default),
        Some("on" | "true") => Ok(true),
        Some("off" | "false") => Ok(false),
        Some(other) => Err(format!("{name} must be on or off, got {other:?}")),
    }
}

fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).filter(|s| !s.trim().is_empty())
}

fn secret(env: &Env, name: &str) -> Option<String> {
    env.secret(name).ok().map(|v| v.to_string()).or_else(|| var(env, name)).filter(|s| !s.is_empty())
}

fn list(v: Option<String>) -> Vec<String> {
    v.map(|s| s.split(',').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect()).unwrap_or_default()
}

fn number(env: &Env, name: &str, default: u64) -> Result<u64, String> {
    match var(env, name) {
        None => Ok(default),
        Some(s) => s.trim().parse().map_err(|_| format!("{name} must be a whole number, got {s:?}")),
    }
}

impl Settings {
    /// Reads and checks the configuration.
    pub fn from_env(env: &Env) -> Result<Settings, String> {
        let profile = var(env, "DCR_PROFILE").ok_or("DCR_PROFILE is required")?;
        let preset = match var(env, "DCR_DIRECTORY") {
            None => None,
            Some(name) => Some(Preset::from_name(name.trim()).ok_or_else(|| {
                format!("DCR_DIRECTORY must be ob-production, ob-sandbox, cdr-production or cdr-mock, got {name:?}")
            })?),
        };
        let issuer = var(env, "DCR_ISSUER").ok_or("DCR_ISSUER is required")?;
        let mut opts = serde_json::Map::new();
        opts.insert("profile".into(), profile.clone().into());
        opts.insert("issuer".into(), issuer.into());
        opts.insert("audiences".into(), list(var(env, "DCR_AUDIENCES")).into());
        let mut trusted = list(var(env, "DCR_TRUSTED_SSA_ISSUERS"));
        if let (true, Some(p)) = (trusted.is_empty(), preset) {
            trusted.push(p.ssa_issuer().to_owned());
        }
        opts.insert("trustedSsaIssuers".into(), trusted.into());
        // DCR_POLICY (a preset) and DCR_RULES (RULE=decision, comma-separated); DCR_MODE is the
        // 0.1 alias (strict = spec, lenient = mock).
        let rules: serde_json::Map<String, Value> = list(var(env, "DCR_RULES"))
            .iter()
            .map(|item| PolicyOption::parse_rule(item).map(|(k, v)| (k, Value::from(v))))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("DCR_RULES: {e} [{}]", e.code()))?;
        match (var(env, "DCR_POLICY"), var(env, "DCR_MODE")) {
            (Some(_), Some(_)) => return Err("set DCR_POLICY or its 0.1 alias DCR_MODE, not both".into()),
            (Some(preset), None) => {
                opts.insert("policy".into(), serde_json::json!({ "preset": preset, "rules": rules }));
            }
            (None, Some(m)) if rules.is_empty() => {
                opts.insert("mode".into(), m.into());
            }
            (None, Some(_)) => return Err("DCR_RULES needs DCR_POLICY (DCR_MODE is the 0.1 alias)".into()),
            (None, None) => {
                opts.insert("policy".into(), serde_json::json!({ "rules": rules }));
            }
        }
        if let Some(s) = var(env, "DCR_CLOCK_SKEW") {
            opts.insert("clockSkew".into(), s.parse::<u64>().map_err(|_| "DCR_CLOCK_SKEW must be seconds")?.into());
        }
        match var(env, "DCR_MAX_LIFETIME").as_deref() {
            None => {}
            Some("none") => {
                opts.insert("maxRequestLifetime".into(), Value::Null);
            }
            Some(s) => {
                opts.insert(
                    "maxRequestLifetime".into(),
                    s.parse::<u64>().map_err(|_| "DCR_MAX_LIFETIME must be seconds or none")?.into(),
                );
            }
        }
        if let Some(d) = var(env, "DCR_DISCOVERY") {
            opts.insert("discovery".into(), d.into());
        }
        if let Some(s) = var(env, "DCR_MAX_SSA_AGE") {
            opts.insert("maxSsaAge".into(), s.parse::<u64>().map_err(|_| "DCR_MAX_SSA_AGE must be seconds")?.into());
        }
        if let Some(e) = var(env, "DCR_SOFTWARE_ENVIRONMENT") {
            opts.insert("softwareEnvironment".into(), e.into());
        }
        let config = Options::from_value(Value::Object(opts))
            .and_then(|o| o.into_config(&Limits::DEFAULT))
            .map_err(|e| format!("{e} [{}]", e.code()))?;
        let mut config = config;
        let profile = config.profile;
        if let Some(p) = preset
            && p.is_uk() != is_uk(profile)
        {
            return Err(format!("DCR_DIRECTORY {p:?} does not fit DCR_PROFILE {}", profile.name()));
        }
        config.transport_cert = match var(env, "DCR_TRANSPORT_CERT").as_deref() {
            None => TransportCert::default_for(profile),
            Some("required") => TransportCert::Required,
            Some("if-published") => TransportCert::IfPublished,
            Some("off") => TransportCert::Off,
            Some(other) => {
                return Err(format!("DCR_TRANSPORT_CERT must be required, if-published or off, got {other:?}"));
            }
        };
        config.revocation = switch(env, "DCR_REVOCATION", profile.spec().revoked_key_sets)?;
        config.sector_identifier = switch(env, "DCR_SECTOR_IDENTIFIER", true)?;
        let register_url =
            var(env, "DCR_REGISTER_URL").or_else(|| preset.and_then(Preset::register_url).map(str::to_owned));
        config.register_status =
            switch(env, "DCR_REGISTER_STATUS", profile.spec().register_status && register_url.is_some())?;
        let register = if config.register_status {
            if !profile.spec().register_status {
                return Err(format!("DCR_REGISTER_STATUS: profile {} has no register statuses", profile.name()));
            }
            let base_url = register_url.ok_or("DCR_REGISTER_STATUS is on: set DCR_REGISTER_URL or DCR_DIRECTORY")?;
            if !base_url.starts_with("https://") {
                return Err("DCR_REGISTER_URL must be an https URL".into());
            }
            if !crate::register::bound(env) {
                return Err(format!("DCR_REGISTER_STATUS is on: the {STATUS_KV} KV binding is missing"));
            }
            let stale_pass = match var(env, "DCR_REGISTER_STATUS_STALE").as_deref() {
                None | Some("fail") => false,
                Some("warn") => true,
                Some(other) => return Err(format!("DCR_REGISTER_STATUS_STALE must be fail or warn, got {other:?}")),
            };
            Some(RegisterFeed {
                base_url: base_url.trim_end_matches('/').to_owned(),
                industry: var(env, "DCR_REGISTER_INDUSTRY").unwrap_or_else(|| "all".into()),
                max_age_secs: number(env, "DCR_REGISTER_STATUS_MAX_AGE", 900)?,
                stale_pass,
            })
        } else {
            None
        };
        let clock_skew = config.clock_skew;
        let directory_url =
            var(env, "DCR_DIRECTORY_JWKS_URL").or_else(|| preset.map(|p| p.directory_jwks_url().to_owned()));
        let directory = match (directory_url, var(env, "DCR_DIRECTORY_JWKS")) {
            (Some(url), None) => DirectoryJwks::Url(url),
            (None, Some(inline)) => DirectoryJwks::Inline(inline),
            _ => return Err("set exactly one of DCR_DIRECTORY_JWKS_URL and DCR_DIRECTORY_JWKS".into()),
        };
        let origin = match (var(env, "DCR_ORIGIN_URL"), var(env, "DCR_ORIGIN_BINDING")) {
            (Some(url), None) => Origin::Url(url.trim_end_matches('/').to_owned()),
            (None, Some(binding)) => Origin::Binding(binding),
            _ => return Err("set exactly one of DCR_ORIGIN_URL and DCR_ORIGIN_BINDING".into()),
        };
        // Replay protection is not optional: without its Durable Object binding the deployment is
        // misconfigured (500 on every request), not facing an outage of the store (503).
        if env.durable_object(crate::replay::BINDING).is_err() {
            return Err(format!(
                "the {} Durable Object binding (replay protection) is missing",
                crate::replay::BINDING
            ));
        }
        let mut jwks_hosts = list(var(env, "DCR_JWKS_ALLOWED_HOSTS"));
        if let (true, Some(p)) = (jwks_hosts.is_empty(), preset) {
            jwks_hosts = p.jwks_hosts().iter().map(|h| (*h).to_owned()).collect();
        }
        if jwks_hosts.is_empty() {
            match profile.spec().key_set_hosts {
                Some(hosts) => jwks_hosts = hosts.iter().map(|h| (*h).to_owned()).collect(),
                None => {
                    return Err(
                        "DCR_JWKS_ALLOWED_HOSTS is required for au-cdr (the ADR hosts, or * for any public https host)"
                            .into(),
                    );
                }
            }
        }
        // The core's fetch guard for the software key set uses the same list.
        config.key_set_hosts = Some(HostAllowList::from_list(&jwks_hosts));
        let mut host_bindings = BTreeMap::new();
        for pair in list(var(env, "DCR_HOST_BINDINGS")) {
            let (host, binding) = pair.split_once('=').ok_or("DCR_HOST_BINDINGS entries are host=BINDING")?;
            host_bindings.insert(host.trim().to_ascii_lowercase(), binding.trim().to_owned());
        }
        let secret = secret(env, "DCR_VERIFICATION_SECRET").ok_or("DCR_VERIFICATION_SECRET is required")?;
        if secret.len() < 32 {
            return Err("DCR_VERIFICATION_SECRET must be at least 32 characters".into());
        }
        let require_mtls = match var(env, "DCR_REQUIRE_MTLS").as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => return Err(format!("DCR_REQUIRE_MTLS must be true or false, got {other:?}")),
        };
        let limits = Limits::DEFAULT;
        let max_body_bytes =
            usize::try_from(number(env, "DCR_MAX_BODY_BYTES", limits.max_token_bytes as u64)?).unwrap_or(usize::MAX);
        if max_body_bytes > limits.max_token_bytes {
            return Err(format!(
                "DCR_MAX_BODY_BYTES cannot exceed the core's token limit ({})",
                limits.max_token_bytes
            ));
        }
        let sector_hosts = match list(var(env, "DCR_SECTOR_ALLOWED_HOSTS")) {
            hosts if hosts.is_empty() => jwks_hosts.clone(),
            hosts => hosts,
        };
        let tokens = token_policy(env, profile, preset, require_mtls, clock_skew)?;
        Ok(Settings {
            // application/json bodies (a conversion artefact of the OB OpenAPI files that WSO2's
            // docs copied) are accepted outside the spec preset; the body is a JWS either way.
            json_bodies: config.policy.base() != PolicyPreset::Spec,
            validator: Validator::new(config),
            profile,
            path_prefix: var(env, "DCR_PATH_PREFIX").unwrap_or_default().trim_end_matches('/').to_owned(),
            directory,
            origin,
            jwks_hosts,
            host_bindings,
            require_mtls,
            verification_secret: secret.into_bytes(),
            max_body_bytes,
            jwks_max_bytes: limits.max_document_bytes,
            fetch_timeout_ms: number(env, "DCR_FETCH_TIMEOUT_MS", 3000)?,
            origin_timeout_ms: number(env, "DCR_ORIGIN_TIMEOUT_MS", 10_000)?,
            jwks_ttl_secs: number(env, "DCR_JWKS_TTL", 300)?,
            jwks_stale_secs: number(env, "DCR_JWKS_STALE_MAX", 86_400)?,
            jwks_refresh_interval_secs: number(env, "DCR_JWKS_REFRESH_INTERVAL", 60)?,
            sector_hosts,
            sector_max_bytes: usize::try_from(number(env, "DCR_SECTOR_MAX_BYTES", 65_536)?).unwrap_or(usize::MAX),
            register,
            tokens,
        })
    }
}

/// The management-token settings. With `DCR_MANAGEMENT_TOKENS=validate` (the default) and neither
/// a key set nor an introspection endpoint configured, management routes answer 500 (fail closed).
fn token_policy(
    env: &Env,
    profile: Profile,
    preset: Option<Preset>,
    require_mtls: bool,
    clock_skew: u64,
) -> Result<TokenPolicy, String> {
    let pass = match var(env, "DCR_MANAGEMENT_TOKENS").as_deref() {
        None | Some("validate") => false,
        Some("pass") => true,
        Some(other) => return Err(format!("DCR_MANAGEMENT_TOKENS must be validate or pass, got {other:?}")),
    };
    let algorithms = match var(env, "DCR_TOKEN_ALGORITHMS") {
        None => AlgorithmPolicy::FAPI,
        Some(list) => AlgorithmPolicy::parse(&list)
            .map_err(|e| format!("DCR_TOKEN_ALGORITHMS: {} is not PS256 or ES256", e.0))?
            .intersect(AlgorithmPolicy::FAPI),
    };
    let jwks_url = var(env, "DCR_TOKEN_JWKS_URL");
    if jwks_url.as_deref().is_some_and(|u| !u.starts_with("https://")) {
        return Err("DCR_TOKEN_JWKS_URL must be an https URL".into());
    }
    let introspection = match var(env, "DCR_INTROSPECTION_URL") {
        None => None,
        Some(url) if url.starts_with("https://") => Some(Introspection {
            url,
            client_id: var(env, "DCR_INTROSPECTION_CLIENT_ID").ok_or("DCR_INTROSPECTION_CLIENT_ID is required")?,
            client_secret: secret(env, "DCR_INTROSPECTION_CLIENT_SECRET")
                .ok_or("DCR_INTROSPECTION_CLIENT_SECRET (a secret) is required")?,
        }),
        Some(_) => return Err("DCR_INTROSPECTION_URL must be an https URL".into()),
    };
    let scope = match var(env, "DCR_TOKEN_SCOPE").as_deref() {
        Some("none") => None,
        Some(s) => Some(s.to_owned()),
        None if !is_uk(profile) => Some("cdr:registration".to_owned()),
        None => None,
    };
    Ok(TokenPolicy {
        pass,
        jwks_url,
        issuer: var(env, "DCR_TOKEN_ISSUER"),
        audiences: list(var(env, "DCR_TOKEN_AUDIENCES")),
        algorithms,
        scope,
        introspection,
        require_cnf: switch(env, "DCR_TOKEN_REQUIRE_CNF", require_mtls)?,
        accept_sha1_cnf: preset == Some(Preset::CdrMock),
        clock_skew,
    })
}
