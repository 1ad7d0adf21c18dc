//! One way to build a [`Config`] from data, shared by every host: the npm options object
//! (camelCase), the CLI, the Worker's variables and the test corpus (snake_case aliases).
//! Unknown keys are refused so a typo never silently weakens validation.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::config::{ClientCert, Config, ConfigError, Mode, Operation, Profile};
use super::discovery::Discovery;
use crate::Limits;
use crate::jose::{Algorithm, AlgorithmPolicy};

/// Validation options as data. Field names are camelCase; snake_case aliases are accepted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// `uk-obie-v3.1` … `uk-obie-v3.4`, `au-cdr`.
    pub profile: String,
    /// The bank's issuer URL.
    pub issuer: String,
    /// Further accepted `aud` values (UK: the bank's OB organisation ID).
    #[serde(default)]
    pub audiences: Vec<String>,
    /// `strict` (default) or `lenient`.
    #[serde(default)]
    pub mode: Option<String>,
    /// Trusted SSA issuers (default: the profile's directory).
    #[serde(default, alias = "trusted_ssa_issuers")]
    pub trusted_ssa_issuers: Vec<String>,
    /// Clock skew in seconds (default 60).
    #[serde(default, alias = "clock_skew")]
    pub clock_skew: Option<u64>,
    /// Maximum request lifetime in seconds: absent = profile default, `null` = no cap.
    #[serde(default, alias = "max_lifetime", alias = "max_request_lifetime", deserialize_with = "present")]
    pub max_request_lifetime: Option<Option<u64>>,
    /// Maximum SSA age in seconds (default: none).
    #[serde(default, alias = "max_ssa_age")]
    pub max_ssa_age: Option<u64>,
    /// Accepted request algorithms, as a list or a comma-separated string (default PS256, ES256).
    #[serde(default)]
    pub algorithms: Option<Value>,
    /// The bank's discovery document, as an object or a JSON string.
    #[serde(default)]
    pub discovery: Option<Value>,
    /// `{"kind": "register"}` (default) or `{"kind": "update", "clientId": "..."}`.
    #[serde(default)]
    pub operation: Option<OperationOption>,
    /// Subject DN of the presented TLS client certificate.
    #[serde(default, alias = "client_cert_subject_dn")]
    pub client_cert_subject_dn: Option<String>,
    /// Expected SSA `software_environment`.
    #[serde(default, alias = "software_environment")]
    pub software_environment: Option<String>,
}

/// The operation as data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OperationOption {
    /// `register` or `update`.
    pub kind: String,
    /// The client ID of an update.
    #[serde(default, alias = "client_id")]
    pub client_id: Option<String>,
}

/// Distinguishes an absent field (`None`) from an explicit `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<u64>>, D::Error> {
    Option::<u64>::deserialize(d).map(Some)
}

impl Options {
    /// Reads options from a JSON value (an object).
    pub fn from_value(value: Value) -> Result<Options, ConfigError> {
        serde_json::from_value(value).map_err(|e| ConfigError::Option(format!("{e}")))
    }

    /// Builds the configuration, checking every value.
    pub fn into_config(self, limits: &Limits) -> Result<Config, ConfigError> {
        let profile = Profile::from_name(&self.profile).ok_or_else(|| ConfigError::Profile(self.profile.clone()))?;
        if self.issuer.is_empty() {
            return Err(ConfigError::Option("issuer must not be empty".into()));
        }
        let mut cfg = Config::new(profile, self.issuer);
        cfg.limits = *limits;
        if let Some(m) = self.mode {
            cfg.mode = Mode::from_name(&m).ok_or(ConfigError::Mode(m))?;
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
        cfg.operation = match self.operation {
            None => Operation::Register,
            Some(op) => match (op.kind.as_str(), op.client_id) {
                ("register", _) => Operation::Register,
                ("update", Some(client_id)) if !client_id.is_empty() => Operation::Update { client_id },
                ("update", _) => return Err(ConfigError::Option("an update needs operation.clientId".into())),
                (other, _) => return Err(ConfigError::Option(format!("unknown operation kind \"{other}\""))),
            },
        };
        cfg.client_cert = self.client_cert_subject_dn.map(|subject_dn| ClientCert { subject_dn });
        cfg.software_environment = self.software_environment;
        Ok(cfg)
    }
}

fn algorithms(v: &Value) -> Result<AlgorithmPolicy, ConfigError> {
    let names: Vec<&str> = match v {
        Value::String(s) => s.split(',').map(str::trim).collect(),
        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap_or("")).collect(),
        _ => return Err(ConfigError::Option("algorithms must be a list of names".into())),
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
        let c = build(json!({"profile": "uk-obie-v3.3", "issuer": "https://b", "operation": {"kind": "update", "clientId": "c1"}}))
            .unwrap();
        assert_eq!(c.operation, Operation::Update { client_id: "c1".into() });
    }

    #[test]
    fn refusals_have_codes() {
        let cases = [
            (json!({"profile": "uk-obie-v9", "issuer": "x"}), "config.profile_unknown"),
            (json!({"profile": "au-cdr", "issuer": "x", "mode": "loose"}), "config.mode_unknown"),
            (json!({"profile": "au-cdr", "issuer": "x", "algorithms": ["RS256"]}), "config.algorithm_unknown"),
            (json!({"profile": "au-cdr", "issuer": "x", "clockskew": 1}), "config.invalid_option"),
            (json!({"profile": "au-cdr", "issuer": "x", "discovery": "{"}), "config.discovery_invalid"),
            (json!({"profile": "au-cdr", "issuer": "x", "discovery": []}), "config.discovery_invalid"),
            (json!({"profile": "au-cdr"}), "config.invalid_option"),
            (json!({"profile": "au-cdr", "issuer": "x", "operation": {"kind": "update"}}), "config.invalid_option"),
        ];
        for (v, code) in cases {
            assert_eq!(build(v.clone()).unwrap_err().code(), code, "{v}");
        }
    }
}
