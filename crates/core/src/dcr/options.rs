//! One way to build a [`Config`] from data, shared by every host: the npm options object
//! (camelCase), the CLI, the Worker's variables and the test corpus (snake_case aliases).
//! Unknown keys are refused so a typo never silently weakens validation.
//!
//! Deployment options ([`Options`]) and per-request options ([`RequestOptions`]: the operation
//! and the client certificate) are read separately: a validator is built once per deployment,
//! and a per-request value given where a deployment one is expected is refused, never ignored.
//!
//! Read by hand from a JSON value rather than through serde's derive: the messages name the
//! option, and the WebAssembly builds stay smaller.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};

use super::config::{ClientCert, Config, ConfigError, Operation, Profile};
use super::discovery::Discovery;
use super::policy::{Decision, Policy, Preset};
use super::validation::Request;
use crate::Limits;
use crate::jose::{Algorithm, AlgorithmPolicy};

/// Validation options as data. Field names are camelCase; snake_case aliases are accepted.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `uk-obie-v3.1` … `uk-obie-v3.4`, `au-cdr`.
    pub profile: String,
    /// The bank's issuer URL.
    pub issuer: String,
    /// Further accepted `aud` values (UK: the bank's OB organisation ID).
    pub audiences: Vec<String>,
    /// The policy: a preset and per-rule overrides (`mode` of 0.1 is read as its preset).
    pub policy: Option<PolicyOption>,
    /// Trusted SSA issuers (default: the profile's directory).
    pub trusted_ssa_issuers: Vec<String>,
    /// Clock skew in seconds (default 60).
    pub clock_skew: Option<u64>,
    /// Maximum request lifetime in seconds: `None` = profile default, `Some(None)` = no cap.
    pub max_request_lifetime: Option<Option<u64>>,
    /// Maximum SSA age in seconds (default: none).
    pub max_ssa_age: Option<u64>,
    /// Accepted request algorithms, as a list or a comma-separated string (default PS256, ES256).
    pub algorithms: Option<Value>,
    /// The bank's discovery document, as an object or a JSON string.
    pub discovery: Option<Value>,
    /// Expected SSA `software_environment`.
    pub software_environment: Option<String>,
    /// Hosts software key sets may be fetched from (`["*"]` for any public host name; default:
    /// the profile's, the OB keystore for the UK, any public host for AU).
    pub jwks_hosts: Option<Vec<String>>,
}

/// The operation as data: `{"kind": "register"}` or `{"kind": "update", "clientId": "..."}`.
#[derive(Debug, Clone, Default)]
pub struct OperationOption {
    /// `register` or `update`.
    pub kind: String,
    /// The client ID of an update.
    pub client_id: Option<String>,
}

/// Every deployment option: (camelCase name, snake_case alias). The npm package's option list is
/// generated from it (js/src/tables.js).
pub const OPTION_NAMES: &[(&str, &str)] = &[
    ("profile", "profile"),
    ("issuer", "issuer"),
    ("audiences", "audiences"),
    ("policy", "policy"),
    ("mode", "mode"),
    ("trustedSsaIssuers", "trusted_ssa_issuers"),
    ("clockSkew", "clock_skew"),
    ("maxRequestLifetime", "max_request_lifetime"),
    ("maxLifetime", "max_lifetime"),
    ("maxSsaAge", "max_ssa_age"),
    ("algorithms", "algorithms"),
    ("discovery", "discovery"),
    ("softwareEnvironment", "software_environment"),
    ("jwksHosts", "jwks_hosts"),
];

/// Every per-request option: (camelCase name, snake_case alias).
pub const REQUEST_OPTION_NAMES: &[(&str, &str)] =
    &[("operation", "operation"), ("clientCertSubjectDn", "client_cert_subject_dn")];

fn invalid(msg: String) -> ConfigError {
    ConfigError::Option(msg)
}

/// Reads options from one object, by camelCase name or snake_case alias.
struct Reader<'a>(&'a Map<String, Value>);

impl Reader<'_> {
    fn get(&self, camel: &str) -> Option<&Value> {
        let snake =
            OPTION_NAMES.iter().chain(REQUEST_OPTION_NAMES).find(|(c, _)| *c == camel).map_or(camel, |(_, s)| *s);
        self.0.get(camel).or_else(|| self.0.get(snake))
    }

    fn string(&self, name: &str) -> Result<Option<String>, ConfigError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(format!("{name} must be a string"))),
        }
    }

    fn strings(&self, name: &str) -> Result<Vec<String>, ConfigError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid(format!("{name} must be an array of strings"))),
            Some(_) => Err(invalid(format!("{name} must be an array of strings"))),
        }
    }

    fn seconds(&self, name: &str) -> Result<Option<u64>, ConfigError> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| invalid(format!("{name} must be a whole number of seconds"))),
        }
    }
}

impl Options {
    /// Reads options from a JSON object. Unknown keys are refused.
    pub fn from_value(value: Value) -> Result<Options, ConfigError> {
        let Value::Object(obj) = value else { return Err(invalid("options must be an object".into())) };
        if let Some(unknown) = obj.keys().find(|k| !OPTION_NAMES.iter().any(|(c, s)| c == k || s == k)) {
            if REQUEST_OPTION_NAMES.iter().any(|(c, s)| c == unknown || s == unknown) {
                return Err(invalid(format!(
                    "\"{}\" belongs to each request, not to the validator's configuration",
                    crate::jose::json::short(unknown)
                )));
            }
            return Err(invalid(format!("unknown option \"{}\"", crate::jose::json::short(unknown))));
        }
        let r = Reader(&obj);
        let required = |name: &str| r.string(name)?.ok_or_else(|| invalid(format!("{name} is required")));
        let lifetime = match r.get("maxRequestLifetime").or_else(|| r.get("maxLifetime")) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(v) => {
                Some(Some(v.as_u64().ok_or_else(|| invalid("maxRequestLifetime must be seconds or null".into()))?))
            }
        };
        Ok(Options {
            profile: required("profile")?,
            issuer: required("issuer")?,
            audiences: r.strings("audiences")?,
            policy: policy_option(r.get("policy"), r.string("mode")?)?,
            trusted_ssa_issuers: r.strings("trustedSsaIssuers")?,
            clock_skew: r.seconds("clockSkew")?,
            max_request_lifetime: lifetime,
            max_ssa_age: r.seconds("maxSsaAge")?,
            algorithms: r.get("algorithms").filter(|v| !v.is_null()).cloned(),
            discovery: r.get("discovery").filter(|v| !v.is_null()).cloned(),
            software_environment: r.string("softwareEnvironment")?,
            jwks_hosts: match r.get("jwksHosts") {
                None | Some(Value::Null) => None,
                Some(_) => Some(r.strings("jwksHosts")?),
            },
        })
    }

    /// Builds the configuration, checking every value.
    pub fn into_config(self, limits: &Limits) -> Result<Config, ConfigError> {
        let profile = Profile::from_name(&self.profile).ok_or_else(|| ConfigError::Profile(self.profile.clone()))?;
        if self.issuer.is_empty() {
            return Err(invalid("issuer must not be empty".into()));
        }
        let mut cfg = Config::new(profile, self.issuer);
        cfg.limits = *limits;
        if let Some(p) = self.policy {
            cfg.policy = p.into_policy()?;
        }
        cfg.audiences = self.audiences;
        cfg.trusted_ssa_issuers = self.trusted_ssa_issuers;
        if let Some(skew) = self.clock_skew {
            cfg.clock_skew = skew;
        }
        if let Some(life) = self.max_request_lifetime {
            cfg.max_request_lifetime = life;
        }
        cfg.max_ssa_age = self.max_ssa_age;
        if let Some(algs) = self.algorithms {
            cfg.algorithms = algorithms(&algs)?;
        }
        cfg.discovery = match self.discovery {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(Discovery::parse(s.as_bytes(), limits)?),
            Some(v) => Some(Discovery::from_value(v)?),
        };
        cfg.software_environment = self.software_environment;
        if let Some(hosts) = self.jwks_hosts {
            if hosts.is_empty() || hosts.iter().any(|h| h.trim().is_empty()) {
                return Err(invalid("jwksHosts must name hosts (or \"*\" for any public host)".into()));
            }
            cfg.key_set_hosts = Some(super::uri::HostAllowList::from_list(&hosts));
        }
        Ok(cfg)
    }
}

/// The policy as data: `"spec"`, or `{"preset": "interop", "rules": {"request.jti_not_uuid":
/// "error"}}` (rule ids or finding codes as keys; see [`Policy::with_rule`]).
#[derive(Debug, Clone, Default)]
pub struct PolicyOption {
    /// `interop` (default), `spec`, `mock`; `strict`/`lenient` as aliases.
    pub preset: Option<String>,
    /// (rule id or finding code, `error` | `warning` | `accept`), in order.
    pub rules: Vec<(String, String)>,
    /// Read from the 0.1 `mode` option (a bad value is then `config.mode_unknown`).
    pub from_mode: bool,
}

impl PolicyOption {
    /// Builds the policy, checking every name.
    pub fn into_policy(self) -> Result<Policy, ConfigError> {
        let preset = match self.preset {
            None => Preset::default(),
            Some(name) => match Preset::from_name(&name) {
                Some(p) if !self.from_mode || matches!(name.as_str(), "strict" | "lenient") => p,
                _ if self.from_mode => return Err(ConfigError::Mode(name)),
                _ => return Err(ConfigError::Preset(name)),
            },
        };
        let mut policy = Policy::preset(preset);
        for (key, decision) in self.rules {
            let d = Decision::from_name(&decision).ok_or_else(|| {
                ConfigError::Rule(format!(
                    "\"{}\" for \"{}\" is not a decision (error, warning, accept)",
                    crate::jose::json::short(&decision),
                    crate::jose::json::short(&key)
                ))
            })?;
            policy = policy.with_rule(&key, d)?;
        }
        Ok(policy)
    }

    /// Parses `CODE=DECISION` (the CLI's `--rule`, the Worker's `DCR_RULES` items).
    pub fn parse_rule(item: &str) -> Result<(String, String), ConfigError> {
        match item.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().into(), v.trim().into())),
            _ => Err(ConfigError::Rule(format!(
                "\"{}\" is not RULE=error|warning|accept",
                crate::jose::json::short(item)
            ))),
        }
    }
}

/// `policy` (a preset name or `{preset, rules}`) and the 0.1 `mode` alias, never both.
fn policy_option(policy: Option<&Value>, mode: Option<String>) -> Result<Option<PolicyOption>, ConfigError> {
    let option = match policy {
        None | Some(Value::Null) => None,
        Some(Value::String(preset)) => Some(PolicyOption { preset: Some(preset.clone()), ..Default::default() }),
        Some(Value::Object(o)) => {
            if let Some(k) = o.keys().find(|k| !["preset", "rules"].contains(&k.as_str())) {
                return Err(invalid(format!(
                    "unknown policy member \"{}\" (preset, rules)",
                    crate::jose::json::short(k)
                )));
            }
            let preset = match o.get("preset") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err(invalid("policy.preset must be a string".into())),
            };
            let rules = match o.get("rules") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Object(rules)) => rules
                    .iter()
                    .map(|(k, v)| match v {
                        Value::String(d) => Ok((k.clone(), d.clone())),
                        _ => Err(ConfigError::Rule(format!(
                            "the decision for \"{}\" must be a string (error, warning, accept)",
                            crate::jose::json::short(k)
                        ))),
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(invalid("policy.rules must be an object of RULE: decision".into())),
            };
            Some(PolicyOption { preset, rules, from_mode: false })
        }
        Some(_) => return Err(invalid("policy must be a preset name or {preset, rules}".into())),
    };
    match (option, mode) {
        (Some(_), Some(_)) => Err(invalid("give policy or its 0.1 alias mode, not both".into())),
        (None, Some(m)) => Ok(Some(PolicyOption { preset: Some(m), rules: Vec::new(), from_mode: true })),
        (option, None) => Ok(option),
    }
}

/// Per-request options as data: `{"operation": {"kind": "update", "clientId": "…"},
/// "clientCertSubjectDn": "CN=…"}` (snake_case aliases accepted). Unknown keys are refused.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// The operation (default: register).
    pub operation: Option<OperationOption>,
    /// Subject DN of the presented TLS client certificate.
    pub client_cert_subject_dn: Option<String>,
}

impl RequestOptions {
    /// Reads per-request options from a JSON object (`null` is no options).
    pub fn from_value(value: &Value) -> Result<RequestOptions, ConfigError> {
        let obj = match value {
            Value::Null => return Ok(RequestOptions::default()),
            Value::Object(obj) => obj,
            _ => return Err(invalid("request options must be an object".into())),
        };
        if let Some(unknown) = obj.keys().find(|k| !REQUEST_OPTION_NAMES.iter().any(|(c, s)| c == k || s == k)) {
            return Err(invalid(format!("unknown request option \"{}\"", crate::jose::json::short(unknown))));
        }
        let r = Reader(obj);
        let operation = match r.get("operation") {
            None | Some(Value::Null) => None,
            Some(Value::Object(op)) => {
                if let Some(k) = op.keys().find(|k| !["kind", "clientId", "client_id"].contains(&k.as_str())) {
                    return Err(invalid(format!("unknown operation member \"{}\"", crate::jose::json::short(k))));
                }
                let op = Reader(op);
                let kind =
                    op.0.get("kind")
                        .and_then(Value::as_str)
                        .ok_or_else(|| invalid("operation.kind is required".into()))?;
                let client_id = op.0.get("clientId").or_else(|| op.0.get("client_id"));
                let client_id = match client_id {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => return Err(invalid("operation.clientId must be a string".into())),
                };
                Some(OperationOption { kind: kind.into(), client_id })
            }
            Some(_) => return Err(invalid("operation must be an object".into())),
        };
        Ok(RequestOptions { operation, client_cert_subject_dn: r.string("clientCertSubjectDn")? })
    }

    /// Takes the per-request options out of a combined options object (the npm API and the test
    /// corpus take one object), leaving the deployment's options.
    pub fn take_from(options: &mut Map<String, Value>) -> Result<RequestOptions, ConfigError> {
        let mut own = Map::new();
        for (camel, snake) in REQUEST_OPTION_NAMES {
            for name in [camel, snake] {
                if let Some(v) = options.remove(*name) {
                    own.insert((*name).into(), v);
                }
            }
        }
        RequestOptions::from_value(&Value::Object(own))
    }

    /// The operation these options name.
    pub fn operation(&self) -> Result<Operation, ConfigError> {
        Ok(match &self.operation {
            None => Operation::Register,
            Some(op) => match (op.kind.as_str(), op.client_id.clone()) {
                ("register", _) => Operation::Register,
                ("update", Some(client_id)) if !client_id.is_empty() => Operation::Update { client_id },
                ("update", _) => return Err(invalid("an update needs operation.clientId".into())),
                (other, _) => {
                    return Err(invalid(format!("unknown operation kind \"{}\"", crate::jose::json::short(other))));
                }
            },
        })
    }

    /// A request for `token` at `now` with these options.
    pub fn request<'a>(&self, token: &'a str, now: i64) -> Result<Request<'a>, ConfigError> {
        Ok(Request::register(token, now)
            .with_operation(self.operation()?)
            .with_client_cert(self.client_cert_subject_dn.clone().map(ClientCert::new)))
    }
}

fn algorithms(v: &Value) -> Result<AlgorithmPolicy, ConfigError> {
    let names: Vec<&str> = match v {
        Value::String(s) => s.split(',').map(str::trim).collect(),
        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap_or("")).collect(),
        _ => return Err(invalid("algorithms must be a list of names".into())),
    };
    let mut algs = Vec::new();
    for n in names {
        algs.push(Algorithm::from_name(n).ok_or_else(|| ConfigError::Algorithm(n.into()))?);
    }
    if algs.is_empty() {
        return Err(ConfigError::Algorithm(String::new()));
    }
    Ok(AlgorithmPolicy::new(&algs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn build(v: Value) -> Result<Config, ConfigError> {
        Options::from_value(v)?.into_config(&Limits::DEFAULT)
    }

    #[test]
    fn camel_and_snake_case() {
        let c = build(json!({"profile": "au-cdr", "issuer": "https://dh", "clockSkew": 5, "max_ssa_age": 9})).unwrap();
        assert_eq!((c.clock_skew, c.max_ssa_age), (5, Some(9)));
        let c = build(json!({"profile": "uk-obie-v3.3", "issuer": "https://b", "maxRequestLifetime": null})).unwrap();
        assert_eq!(c.max_request_lifetime, None);
        let c = build(json!({"profile": "uk-obie-v3.3", "issuer": "https://b"})).unwrap();
        assert_eq!(c.max_request_lifetime, Some(3600));
        let c = build(json!({"profile": "uk-obie-v3.3", "issuer": "https://b", "max_lifetime": 60})).unwrap();
        assert_eq!(c.max_request_lifetime, Some(60));
        let r = RequestOptions::from_value(&json!({"operation": {"kind": "update", "clientId": "c1"}})).unwrap();
        assert_eq!(r.operation().unwrap(), Operation::Update { client_id: "c1".into() });
        let r = RequestOptions::from_value(&json!({"client_cert_subject_dn": "CN=a"})).unwrap();
        let req = r.request("t", 5).unwrap();
        assert_eq!((req.operation, req.client_cert.map(|c| c.subject_dn)), (Operation::Register, Some("CN=a".into())));
        let c = build(json!({"profile": "uk-obie-v3.3", "issuer": "https://b", "algorithms": "PS256"})).unwrap();
        assert_eq!(c.algorithms, AlgorithmPolicy::new(&[Algorithm::Ps256]));
    }

    #[test]
    fn refusals_have_codes() {
        let cases = [
            (json!({"profile": "uk-obie-v9", "issuer": "x"}), "config.profile_unknown"),
            (json!({"profile": "au-cdr", "issuer": "x", "mode": "loose"}), "config.mode_unknown"),
            (json!({"profile": "au-cdr", "issuer": "x", "algorithms": ["RS256"]}), "config.algorithm_unknown"),
            (json!({"profile": "au-cdr", "issuer": "x", "clockskew": 1}), "config.invalid_option"),
            (json!({"profile": "au-cdr", "issuer": "x", "clockSkew": 1.5}), "config.invalid_option"),
            (json!({"profile": "au-cdr", "issuer": "x", "clockSkew": -1}), "config.invalid_option"),
            (json!({"profile": "au-cdr", "issuer": "x", "audiences": "one"}), "config.invalid_option"),
            (json!({"profile": "au-cdr", "issuer": "x", "discovery": "{"}), "config.discovery_invalid"),
            (json!({"profile": "au-cdr", "issuer": "x", "discovery": []}), "config.discovery_invalid"),
            (json!({"profile": "au-cdr"}), "config.invalid_option"),
            (json!(["au-cdr"]), "config.invalid_option"),
            // Per-request options are refused in a deployment's configuration, not ignored.
            (
                json!({"profile": "au-cdr", "issuer": "x", "operation": {"kind": "update", "clientId": "c"}}),
                "config.invalid_option",
            ),
            (json!({"profile": "au-cdr", "issuer": "x", "clientCertSubjectDn": "CN=a"}), "config.invalid_option"),
        ];
        for (v, code) in cases {
            assert_eq!(build(v.clone()).unwrap_err().code(), code, "{v}");
        }
        let request = |v: Value| RequestOptions::from_value(&v).and_then(|r| r.operation());
        for v in [
            json!({"operation": {"kind": "update"}}),
            json!({"operation": {"kind": "update", "id": "c"}}),
            json!({"operation": {"kind": "delete"}}),
            json!({"operation": "update"}),
            json!({"profile": "au-cdr"}),
            json!([]),
        ] {
            assert_eq!(request(v.clone()).unwrap_err().code(), "config.invalid_option", "{v}");
        }
    }
}
