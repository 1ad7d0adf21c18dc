//! The Worker's configuration, read once per isolate from `[vars]`, secrets and bindings.
//! Every value is checked; a bad configuration makes every request fail closed (500), it never
//! weakens validation. The variables are documented in docs/worker.md.

use std::collections::BTreeMap;

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{Options, PolicyOption, Preset, Profile, Validator};
use serde_json::Value;
use worker::Env;

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
        let issuer = var(env, "DCR_ISSUER").ok_or("DCR_ISSUER is required")?;
        let mut opts = serde_json::Map::new();
        opts.insert("profile".into(), profile.clone().into());
        opts.insert("issuer".into(), issuer.into());
        opts.insert("audiences".into(), list(var(env, "DCR_AUDIENCES")).into());
        opts.insert("trustedSsaIssuers".into(), list(var(env, "DCR_TRUSTED_SSA_ISSUERS")).into());
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
        let hosts = list(var(env, "DCR_JWKS_ALLOWED_HOSTS"));
        if !hosts.is_empty() {
            opts.insert("jwksHosts".into(), hosts.into());
        }
        let config = Options::from_value(Value::Object(opts))
            .and_then(|o| o.into_config(&Limits::DEFAULT))
            .map_err(|e| format!("{e} [{}]", e.code()))?;
        let profile = config.profile;
        let config_policy = config.policy.base();
        let directory = match (var(env, "DCR_DIRECTORY_JWKS_URL"), var(env, "DCR_DIRECTORY_JWKS")) {
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
        // The key-set host allow-list is the core's (jwksHosts; default the profile's: the OB
        // keystore for UK profiles). For AU the Worker wants it named: any public host is the
        // core's default there, a choice a bank should make knowingly.
        if config.key_set_hosts.is_none() && profile.spec().key_set_hosts.is_none() {
            return Err(
                "DCR_JWKS_ALLOWED_HOSTS is required for au-cdr (the ADR hosts, or * for any public https host)".into(),
            );
        }

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
        Ok(Settings {
            validator: Validator::new(config),
            profile,
            // application/json bodies (a conversion artefact of the OB OpenAPI files that WSO2's
            // docs copied) are accepted outside the spec preset; the body is a JWS either way.
            json_bodies: config_policy != Preset::Spec,
            path_prefix: var(env, "DCR_PATH_PREFIX").unwrap_or_default().trim_end_matches('/').to_owned(),
            directory,
            origin,
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
        })
    }
}
