//! `dcr-guard check`: validate a DCR registration request completely.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use dcr_guard_core::Limits;
use dcr_guard_core::dcr::{
    ClientCert, DecodedJws, Finding, Operation, Options, PolicyOption, Report, Request, Severity, SignatureStatus,
    Validator,
};
use dcr_guard_core::jose::{Jwks, RustCryptoVerifier};
use serde_json::Value;

use crate::input::{UsageError, read_document, read_token};
use crate::{EXIT_INVALID, EXIT_VALID};

/// Validate a registration request (compact JWS with an embedded software statement) against a
/// DCR profile: both signatures, every SSA and request claim, discovery cross-checks.
#[derive(clap::Args)]
pub struct Args {
    /// Rule set: uk-obie-v3.1, uk-obie-v3.2, uk-obie-v3.3, uk-obie-v3.4 or au-cdr.
    #[arg(long, value_name = "P")]
    profile: String,
    /// The bank's issuer URL (its discovery `issuer`); AU requires `aud` to equal it.
    #[arg(long, value_name = "URL")]
    issuer: String,
    /// A further accepted `aud` value, e.g. the bank's 18-character OB organisation ID (repeatable).
    #[arg(long = "audience", value_name = "A")]
    audiences: Vec<String>,
    /// JWKS of the directory that signs software statements (OB Directory, CDR Register).
    #[arg(long, value_name = "FILE")]
    ssa_jwks: PathBuf,
    /// JWKS named by the software statement (`software_jwks_endpoint` / `jwks_uri`), fetched beforehand.
    #[arg(long, value_name = "FILE")]
    software_jwks: PathBuf,
    /// The bank's OpenID discovery document, for cross-checks.
    #[arg(long, value_name = "FILE")]
    discovery: Option<PathBuf>,
    /// Validation time in Unix seconds (default: now).
    #[arg(long, value_name = "SECS")]
    now: Option<i64>,
    /// Tolerated clock difference in seconds (default 60).
    #[arg(long, value_name = "SECS")]
    clock_skew: Option<u64>,
    /// Maximum request lifetime exp - iat in seconds, or `none` (default: 3600 UK, none AU).
    #[arg(long, value_name = "SECS|none", value_parser = parse_lifetime)]
    max_lifetime: Option<Lifetime>,
    /// Maximum software statement age now - iat in seconds (default: no limit).
    #[arg(long, value_name = "SECS")]
    max_ssa_age: Option<u64>,
    /// Policy preset for documented real-world deviations: interop (default: what conformant
    /// participants and the trust anchors send is accepted), spec (the letter of the
    /// specifications) or mock (what the ACCC mock and the WSO2/ForgeRock samples accept). The
    /// rules and their decisions per preset: docs/rules.md.
    #[arg(long, value_name = "interop|spec|mock", conflicts_with = "mode")]
    policy: Option<String>,
    /// Overrides one policy rule (a rule id from a finding's `rule`, or a finding code for every
    /// rule reporting it): RULE=error|warning|accept (repeatable).
    #[arg(long = "rule", value_name = "RULE=DECISION")]
    rules: Vec<String>,
    /// Deprecated alias of --policy: strict = spec, lenient = mock (kept for one release).
    #[arg(long, value_name = "strict|lenient", hide_short_help = true)]
    mode: Option<String>,
    /// A trusted software statement issuer (repeatable; default `OpenBanking Ltd` / `cdr-register`).
    #[arg(long = "trusted-ssa-issuer", value_name = "S")]
    trusted_ssa_issuers: Vec<String>,
    /// Check as an update (PUT /register/CLIENT_ID) instead of a registration.
    #[arg(long, value_name = "CLIENT_ID")]
    update: Option<String>,
    /// Subject DN of the presented TLS client certificate (RFC 4514), for tls_client_auth.
    #[arg(long, value_name = "DN")]
    client_cert_dn: Option<String>,
    /// Expected software statement `software_environment` (UK), e.g. production.
    #[arg(long, value_name = "ENV")]
    software_environment: Option<String>,
    /// Print one JSON object: {"valid", "error", "error_description", "findings", "request", "ssa"}.
    #[arg(long)]
    json: bool,
    /// The request: a file, `-` (default) for stdin, or the token itself.
    #[arg(value_name = "FILE|-")]
    request: Option<String>,
}

/// `--policy`/`--mode` and the `--rule` overrides.
fn policy(args: &Args) -> Result<Option<PolicyOption>, UsageError> {
    let rules = args
        .rules
        .iter()
        .map(|r| PolicyOption::parse_rule(r).map_err(|e| format!("--rule {e} [{}]", e.code())))
        .collect::<Result<Vec<_>, _>>()?;
    let (preset, from_mode) = match (&args.policy, &args.mode) {
        (Some(p), _) => (Some(p.clone()), false),
        (None, Some(m)) => (Some(m.clone()), true),
        (None, None) => (None, false),
    };
    if preset.is_none() && rules.is_empty() {
        return Ok(None);
    }
    Ok(Some(PolicyOption { preset, rules, from_mode }))
}

/// `--max-lifetime`: seconds, or `none` for no cap.
#[derive(Clone, Copy)]
struct Lifetime(Option<u64>);

fn parse_lifetime(s: &str) -> Result<Lifetime, String> {
    if s == "none" {
        return Ok(Lifetime(None));
    }
    s.parse().map(|n| Lifetime(Some(n))).map_err(|_| format!("expected seconds or \"none\", got {s:?}"))
}

fn load_jwks(path: &Path, limits: &Limits, what: &str) -> Result<Jwks, UsageError> {
    let bytes = read_document(path, limits.max_document_bytes)?;
    Jwks::parse(&bytes, limits).map_err(|e| format!("{what} {}: {e} [{}]", path.display(), e.code()))
}

pub fn run(args: &Args) -> Result<u8, UsageError> {
    let limits = Limits::DEFAULT;
    let discovery = match &args.discovery {
        Some(p) => {
            let bytes = read_document(p, limits.max_document_bytes)?;
            let text = String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8", p.display()))?;
            Some(Value::String(text))
        }
        None => None,
    };
    let options = Options {
        profile: args.profile.clone(),
        issuer: args.issuer.clone(),
        audiences: args.audiences.clone(),
        policy: policy(args)?,
        trusted_ssa_issuers: args.trusted_ssa_issuers.clone(),
        clock_skew: args.clock_skew,
        max_request_lifetime: args.max_lifetime.map(|l| l.0),
        max_ssa_age: args.max_ssa_age,
        algorithms: None,
        discovery,
        software_environment: args.software_environment.clone(),
        // The CLI reads key sets from files: no fetch, so no fetch guard.
        jwks_hosts: None,
    };
    let config = options.into_config(&limits).map_err(|e| format!("{e} [{}]", e.code()))?;
    let ssa_jwks = load_jwks(&args.ssa_jwks, &limits, "--ssa-jwks")?;
    let software_jwks = load_jwks(&args.software_jwks, &limits, "--software-jwks")?;
    let token = read_request(args.request.as_deref(), limits.max_token_bytes)?;
    let now = match args.now {
        Some(n) => n,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| format!("system clock: {e}"))?
            .as_secs()
            .try_into()
            .map_err(|_| "system clock out of range".to_owned())?,
    };
    let operation = match &args.update {
        Some(id) if id.is_empty() => return Err("--update needs a client ID".into()),
        Some(id) => Operation::Update { client_id: id.clone() },
        None => Operation::Register,
    };
    let request = Request::register(&token, now)
        .with_operation(operation)
        .with_client_cert(args.client_cert_dn.clone().map(ClientCert::new));
    let report = Validator::new(config).validate(request, &ssa_jwks, &software_jwks, &RustCryptoVerifier::new());
    if args.json {
        let doc = serde_json::to_value(&report).map_err(|e| format!("cannot serialise the report: {e}"))?;
        say!("{doc:#}");
    } else {
        print_report(&report, Colour::detect());
    }
    Ok(if report.valid { EXIT_VALID } else { EXIT_INVALID })
}

/// The request from a file path, stdin, or (if it looks like a JWS) the argument itself.
fn read_request(arg: Option<&str>, limit: usize) -> Result<String, UsageError> {
    match arg {
        Some(a) if a != "-" && !Path::new(a).exists() && a.matches('.').count() == 2 => read_token(Some(a), limit),
        Some(a) if a != "-" => read_token(Some(&format!("@{a}")), limit),
        _ => read_token(None, limit),
    }
}

/// ANSI colours, only when stdout is a terminal and NO_COLOR is unset.
#[derive(Clone, Copy)]
struct Colour(bool);

impl Colour {
    fn detect() -> Colour {
        Colour(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
    }
    fn paint(self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }
}

/// Where a finding belongs in the readable report.
const GROUPS: [(&str, &str); 5] = [
    ("/request", "Registration request"),
    ("/ssa_jwks", "Directory JWKS"),
    ("/ssa", "Software statement"),
    ("/software_jwks", "Software JWKS"),
    ("/discovery", "Discovery document"),
];

fn group_of(f: &Finding) -> &'static str {
    // "/ssa_jwks" must win over its prefix "/ssa".
    let mut best = ("", "Other");
    for (prefix, name) in GROUPS {
        let hit = f.pointer == prefix || f.pointer.starts_with(&format!("{prefix}/"));
        if hit && prefix.len() > best.0.len() {
            best = (prefix, name);
        }
    }
    best.1
}

fn print_report(r: &Report, c: Colour) {
    match (&r.error, &r.error_description) {
        (Some(e), Some(d)) => {
            say!("{} {}", c.paint("1;31", "REJECTED"), c.paint("1", e.as_str()));
            say!("  {d}");
        }
        _ => say!("{}", c.paint("1;32", "ACCEPTED")),
    }
    let sections = [
        ("Registration request", r.request.as_ref()),
        ("Software statement", r.ssa.as_ref()),
        ("Software JWKS", None),
        ("Directory JWKS", None),
        ("Discovery document", None),
        ("Other", None),
    ];
    for (name, jws) in sections {
        let findings: Vec<&Finding> = r.findings.iter().filter(|f| group_of(f) == name).collect();
        if findings.is_empty() && jws.is_none() {
            continue;
        }
        say!("\n{}{}", c.paint("1", name), jws.map(|j| signature_line(j, c)).unwrap_or_default());
        for f in findings {
            let mark = match f.severity {
                Severity::Error => c.paint("31", "✗ error  "),
                Severity::Warning => c.paint("33", "! warning"),
                _ => c.paint("36", "i info   "),
            };
            say!("  {mark} {} {}", c.paint("1", f.code), c.paint("2", &f.pointer));
            say!("      {}", f.message);
            if !f.fix.is_empty() {
                say!("      {}", c.paint("32", &format!("fix: {}", f.fix)));
            }
            if let Some(rule) = f.rule {
                say!(
                    "      {}",
                    c.paint("2", &format!("policy rule {rule} (override: --rule {rule}=error|warning|accept)"))
                );
            }
            say!("      {}", c.paint("2", &format!("spec: {}", f.spec)));
        }
    }
}

fn signature_line(j: &DecodedJws, c: Colour) -> String {
    let alg = j.header.get("alg").and_then(Value::as_str).unwrap_or("?");
    let kid = j.header.get("kid").and_then(Value::as_str).map(|k| format!(" kid \"{k}\"")).unwrap_or_default();
    let status = match j.signature {
        SignatureStatus::Valid => c.paint("32", "signature valid"),
        SignatureStatus::Invalid => c.paint("31", "signature invalid"),
        SignatureStatus::Unchecked => c.paint("33", "signature not checked"),
    };
    format!("  ({status}, {alg}{kid})")
}
