//! Sections of the documentation generated from the core's tables, so they cannot drift: each
//! sits between `<!-- generated:NAME -->` and `<!-- end:NAME -->` and must equal what the code
//! renders. `DCR_GUARD_BLESS=1 cargo test -p dcr-guard-core --test docs_generated` rewrites
//! them after a deliberate change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::dcr::policy::RULES;
use dcr_guard_core::dcr::{Decision, Policy, Preset, Profile, RegistrationError, Stage, codes};
use dcr_guard_core::jose::{Algorithm, CODES, note};

fn docs(file: &str) -> String {
    format!("{}/../../{file}", env!("CARGO_MANIFEST_DIR"))
}

/// Replaces (or, blessing, rewrites) the generated section `name` of `file` with `body`.
fn check_section(file: &str, name: &str, body: &str) {
    let path = docs(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (open, close) = if file.ends_with(".ts") || file.ends_with(".js") {
        (format!("// <generated:{name}>\n"), format!("// </generated:{name}>"))
    } else {
        (format!("<!-- generated:{name} -->\n"), format!("<!-- end:{name} -->"))
    };
    let start = text.find(&open).unwrap_or_else(|| panic!("{file}: no {open:?}")) + open.len();
    let end = start + text[start..].find(&close).unwrap_or_else(|| panic!("{file}: no {close:?}"));
    if text[start..end] == *body {
        return;
    }
    if std::env::var_os("DCR_GUARD_BLESS").is_some() {
        std::fs::write(&path, format!("{}{body}{}", &text[..start], &text[end..])).unwrap();
        return;
    }
    panic!(
        "{file} section {name} differs from the code; run DCR_GUARD_BLESS=1 cargo test -p dcr-guard-core --test docs_generated\n--- want ---\n{body}--- have ---\n{}",
        &text[start..end]
    );
}

#[test]
fn policy_rules_table() {
    let mut out = String::from("| rule | finding code | interop | spec | mock | what |\n|---|---|---|---|---|---|\n");
    for r in RULES {
        let cell = |p: Preset| {
            let d = Policy::preset(p).decide(r);
            if r.quiet_when_accepted && d == dcr_guard_core::dcr::Decision::Accept {
                "accept (no finding)".to_owned()
            } else {
                d.name().to_owned()
            }
        };
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} | {} | {} |\n",
            r.id,
            r.code,
            cell(Preset::Interop),
            cell(Preset::Spec),
            cell(Preset::Mock),
            r.summary
        ));
    }
    check_section("docs/rules.md", "policy-rules", &out);
}

/// A TypeScript string-literal union, one member per line.
fn union(doc: &str, name: &str, members: impl IntoIterator<Item = String>) -> String {
    let mut out = format!("/** {doc} */\nexport type {name} =\n");
    for m in members {
        out.push_str(&format!("  | '{m}'\n"));
    }
    out.pop();
    out.push_str(";\n\n");
    out
}

/// The npm package's unions (js/index.d.ts) from the core's lists: a misspelt code, profile,
/// preset or algorithm does not compile in a consumer (js/test/types.test.mjs proves it).
#[test]
fn typescript_unions() {
    let mut finding_codes: Vec<String> =
        codes::ALL.iter().chain(CODES).chain(note::ALL).map(|c| (*c).to_owned()).collect();
    finding_codes.sort();
    let mut out = String::new();
    out.push_str(&union(
        "A signing algorithm dcr-guard can verify. Nothing else can be allowed.",
        "Algorithm",
        Algorithm::ALL.map(|a| a.name().to_owned()),
    ));
    out.push_str(&union("A DCR rule set.", "Profile", Profile::ALL.map(|p| p.name().to_owned())));
    out.push_str(&union(
        "A policy preset (`strict` and `lenient` are accepted as the 0.1 aliases of `spec` and `mock`).",
        "PolicyPreset",
        Preset::ALL.map(|p| p.name().to_owned()),
    ));
    out.push_str(&union(
        "What a policy rule makes of a deviation.",
        "PolicyDecision",
        Decision::ALL.map(|d| d.name().to_owned()),
    ));
    out.push_str(&union(
        "The four RFC 7591 §3.2.2 error codes.",
        "RegistrationErrorCode",
        RegistrationError::ALL.map(|e| e.as_str().to_owned()),
    ));
    out.push_str(&union(
        "The id of a policy rule (docs/rules.md#policy-rules).",
        "PolicyRuleId",
        RULES.iter().map(|r| r.id.to_owned()),
    ));
    out.push_str(&union(
        "The validation stage of a finding; it decides the ranking and the RFC 7591 error.",
        "FindingStage",
        Stage::ALL.map(|s| s.as_str().to_owned()),
    ));
    out.push_str(&union("A finding code (docs/error-codes.md).", "FindingCode", finding_codes));
    check_section("js/index.d.ts", "ts-unions", &format!("{}\n", out.trim_end()));
}

/// A profile family's statement and request tables and their rules, as docs/rules.md shows
/// them (the UK versions share tables; their rows carry version ranges).
fn family_tables(spec: &dcr_guard_core::dcr::profile::ProfileSpec) -> String {
    use dcr_guard_core::dcr::profile::{ClaimSpec, CrossRule};
    let rows = |title: &str, table: &[ClaimSpec]| {
        let mut out = format!(
            "**{title}**\n\n| claim | versions | presence | value | advertised in | spec |\n|---|---|---|---|---|---|\n"
        );
        for c in table {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} |\n",
                c.name,
                c.versions.describe(spec.family),
                c.presence.describe(),
                if c.descriptive {
                    format!("{} (descriptive: a broken shape is rule `ssa.descriptive_shape`)", c.shape.describe())
                } else {
                    c.shape.describe()
                },
                c.discovery.map(|d| format!("`{d}`")).unwrap_or_else(|| "—".into()),
                c.spec
            ));
        }
        out.push('\n');
        out
    };
    let rules = |title: &str, list: &[CrossRule]| {
        let mut out = format!("**{title}**\n\n| rule | versions | checks |\n|---|---|---|\n");
        for r in list {
            out.push_str(&format!("| `{}` | {} | {} |\n", r.name, r.versions.describe(spec.family), r.summary));
        }
        out.push('\n');
        out
    };
    let mut out = String::new();
    out.push_str(&rows("Software statement claims", spec.ssa_claims));
    out.push_str(&rules("Software statement rules", spec.ssa_rules));
    out.push_str(&rows("Request claims", spec.request_claims));
    out.push_str(&rules("Request rules", spec.request_rules));
    out
}

#[test]
fn profile_tables() {
    use dcr_guard_core::dcr::profile::Family;
    let trust = |spec: &dcr_guard_core::dcr::profile::ProfileSpec| {
        format!(
            "Trusted statement issuers: {}; statement algorithms: {}; software key set: `{}`; maximum request lifetime: {}.\n\n",
            spec.trusted_ssa_issuers.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", "),
            spec.ssa_algorithms.iter().map(|a| a.name()).collect::<Vec<_>>().join(", "),
            spec.software_jwks_claim,
            spec.max_request_lifetime.map_or("none".to_owned(), |s| format!("{s} s")),
        )
    };
    for (family, section) in [(Family::UkObie, "uk-tables"), (Family::AuCdr, "au-tables")] {
        let specs: Vec<_> = dcr_guard_core::dcr::profile::all().filter(|s| s.family == family).collect();
        let names: Vec<String> = specs.iter().map(|s| format!("`{}`", s.name)).collect();
        let first = specs[0];
        let mut body = format!("Profiles: {}. {}", names.join(", "), trust(first));
        body.push_str(&family_tables(first));
        check_section("docs/rules.md", section, &body);
    }
}

/// js/src/tables.js: the option names and limits the npm package checks before anything reaches
/// the core, from the core's own lists (so a new option or limit cannot be missed there).
#[test]
fn js_tables() {
    use dcr_guard_core::Limits;
    use dcr_guard_core::dcr::{OPTION_NAMES, REQUEST_OPTION_NAMES};
    let names = |list: &[(&str, &str)]| list.iter().map(|(c, _)| format!("'{c}'")).collect::<Vec<_>>().join(", ");
    let l = Limits::DEFAULT;
    let body = format!(
        "/** The validator's options (camelCase), as the core reads them. */\nexport const CONFIG_OPTIONS = [{}];\n/** The options that describe each request, passed apart from the configuration. */\nexport const REQUEST_OPTIONS = [{}];\n/** The core's limits (docs/limits.md). */\nexport const LIMITS = {{ maxTokenBytes: {}, maxJsonDepth: {}, maxDocumentBytes: {}, maxJwksKeys: {} }};\n",
        names(OPTION_NAMES),
        names(REQUEST_OPTION_NAMES),
        l.max_token_bytes,
        l.max_json_depth,
        l.max_document_bytes,
        l.max_jwks_keys
    );
    check_section("js/src/tables.js", "js-tables", &body);
}
