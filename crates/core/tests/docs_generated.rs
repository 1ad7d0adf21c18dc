//! Sections of the documentation generated from the core's tables, so they cannot drift: each
//! sits between `<!-- generated:NAME -->` and `<!-- end:NAME -->` and must equal what the code
//! renders. `DCR_GUARD_BLESS=1 cargo test -p dcr-guard-core --test docs_generated` rewrites
//! them after a deliberate change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_guard_core::dcr::policy::RULES;
use dcr_guard_core::dcr::{Policy, Preset};

fn docs(file: &str) -> String {
    format!("{}/../../docs/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// Replaces (or, blessing, rewrites) the generated section `name` of `file` with `body`.
fn check_section(file: &str, name: &str, body: &str) {
    let path = docs(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (open, close) = (format!("<!-- generated:{name} -->\n"), format!("<!-- end:{name} -->"));
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
    check_section("rules.md", "policy-rules", &out);
}
