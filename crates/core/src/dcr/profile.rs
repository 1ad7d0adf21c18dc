//! Profiles as data: each DCR profile is a [`ProfileSpec`] value — who it trusts, its
//! algorithms and lifetime cap, and its statement and request **claim tables** (presence, type,
//! pattern or enum, length, version range, spec reference) plus the **cross-claim rules** its
//! tables name (redirect URIs within the statement's, scope vs roles, DN binding, discovery
//! cross-checks…), each a named function.
//!
//! The walker here checks every table row whose shape is data; a row whose shape is
//! [`Shape::Rule`] is checked by the cross-claim rule of that name. docs/rules.md renders the
//! tables (crates/core/tests/docs_generated.rs keeps it equal), so the documentation is the code.
//!
//! Adding a profile version is local: a [`super::Profile`] variant, its `ProfileSpec` (for a
//! UK version, one more entry in `uk::SPECS` with its minor number), version ranges on the rows
//! whose rule changes, and its tests.

use alloc::format;

pub use super::claims::Presence;
use super::claims::{ClaimSet, fapi_signing_alg, is_base62, max_len, one_of};
use super::codes;
use super::discovery::check_supported;
use super::report::Stage;
use super::rules::{self, Ctx};
use super::uri;
use crate::jose::Algorithm;
use crate::jose::json::short;

/// Which rule family a profile belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Family {
    /// UK Open Banking (OBIE) DCR.
    UkObie,
    /// Australian Consumer Data Right.
    AuCdr,
}

/// One DCR profile, as data.
#[derive(Debug)]
pub struct ProfileSpec {
    /// The name on the command line and in the APIs (`uk-obie-v3.3`).
    pub name: &'static str,
    /// A title for the documentation.
    pub title: &'static str,
    /// The rule family.
    pub family: Family,
    /// The version within the family (UK: the minor of v3.x; AU: the CDS minor, 36).
    pub version: u8,
    /// SSA `iss` values trusted when the deployment names none.
    pub trusted_ssa_issuers: &'static [&'static str],
    /// The statement claim naming the software key set's URL.
    pub software_jwks_claim: &'static str,
    /// The hosts software key sets live on, when the deployment names none (`None`: any public
    /// host name — AU key sets live on each ADR's own host).
    pub key_set_hosts: Option<&'static [&'static str]>,
    /// The statement claim listing the software's redirect URIs.
    pub ssa_redirect_uris_claim: &'static str,
    /// Whether the transport certificate must be a `use: tls` key of the software key set by
    /// default (UK: the OB keystore publishes every one) or only when the set publishes such keys
    /// (AU: not every ADR does).
    pub transport_cert: super::config::TransportCert,
    /// Whether statements name revoked key sets (UK: `software_jwks_revoked_endpoint`,
    /// `org_jwks_revoked_endpoint`) that the revocation check reads.
    pub revoked_key_sets: bool,
    /// Whether the trust anchor publishes software and recipient statuses (AU: the CDR Register)
    /// that the status check reads.
    pub register_status: bool,
    /// Algorithms the directory may sign statements with.
    pub ssa_algorithms: &'static [Algorithm],
    /// Default cap on the request's `exp - iat`, in seconds.
    pub max_request_lifetime: Option<u64>,
    /// The software statement's claims.
    pub ssa_claims: &'static [ClaimSpec],
    /// The registration request's claims.
    pub request_claims: &'static [ClaimSpec],
    /// The statement's cross-claim rules, in the order they run.
    pub ssa_rules: &'static [CrossRule],
    /// The request's cross-claim rules, in the order they run (the statement's claims are given
    /// when it could be decoded).
    pub request_rules: &'static [CrossRule],
}

/// A claim's row in a profile table.
#[derive(Debug)]
pub struct ClaimSpec {
    /// The claim name.
    pub name: &'static str,
    /// The versions of the family the row applies to (inclusive).
    pub versions: Versions,
    /// Whether it must be present.
    pub presence: Presence,
    /// Its type and value rule.
    pub shape: Shape,
    /// The discovery member that must advertise its value(s), if any.
    pub discovery: Option<&'static str>,
    /// Where the rule comes from.
    pub spec: &'static str,
    /// A descriptive claim of a directory-signed statement (a name, a description, a logo URL):
    /// a broken shape is the policy rule `ssa.descriptive_shape`, not an error of its own.
    pub descriptive: bool,
}

/// An inclusive range of versions of a profile family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versions {
    /// The first version the row applies to.
    pub from: u8,
    /// The last version the row applies to.
    pub to: u8,
}

impl Versions {
    /// Every version.
    pub const ALL: Versions = Versions { from: 0, to: u8::MAX };

    /// From `v` on.
    pub const fn since(v: u8) -> Versions {
        Versions { from: v, to: u8::MAX }
    }

    /// `from` to `to`, inclusive.
    pub const fn range(from: u8, to: u8) -> Versions {
        Versions { from, to }
    }

    /// Whether `v` is in the range.
    pub fn contains(self, v: u8) -> bool {
        self.from <= v && v <= self.to
    }
}

/// What a claim's value must be.
#[derive(Debug)]
#[non_exhaustive]
pub enum Shape {
    /// A non-empty string of at most `max` characters (`None`: no limit).
    Text {
        /// Longest allowed value, in characters.
        max: Option<usize>,
    },
    /// `^[0-9a-zA-Z]{1,max}$` (the OB base62 identifiers).
    Base62 {
        /// Longest allowed value.
        max: usize,
    },
    /// An absolute URI (`https` when required) of at most `max` characters.
    Url {
        /// Whether only `https` is allowed.
        https: bool,
        /// Longest allowed value, in characters.
        max: Option<usize>,
    },
    /// A non-empty array of absolute URIs (`https` when required), each at most `max` characters.
    UriList {
        /// Whether only `https` is allowed.
        https: bool,
        /// Longest allowed element, in characters.
        max: Option<usize>,
    },
    /// One of these values (a case-only difference is the policy's `value_case` rule).
    Enum(&'static [&'static str]),
    /// A non-empty array whose every value is one of these.
    EnumList(&'static [&'static str]),
    /// A signing algorithm: PS256 or ES256 (FAPI), anything weaker `alg.not_fapi`.
    SigningAlg,
    /// Present but ignored: a warning saying why.
    Ignored(&'static str),
    /// Checked by the cross-claim rule of this name (in the same profile).
    Rule(&'static str),
}

impl Shape {
    /// The shape as the documentation tables show it.
    pub fn describe(&self) -> alloc::string::String {
        let list = |v: &[&str]| v.iter().map(|x| format!("`{x}`")).collect::<alloc::vec::Vec<_>>().join(", ");
        let max = |m: &Option<usize>| m.map(|m| format!(" ≤ {m}")).unwrap_or_default();
        match self {
            Shape::Text { max: m } => format!("string{}", max(m)),
            Shape::Base62 { max } => format!("base62 ≤ {max}"),
            Shape::Url { https: true, max: m } => format!("https URL{}", max(m)),
            Shape::Url { https: false, max: m } => format!("absolute URI{}", max(m)),
            Shape::UriList { https: true, max: m } => format!("array of https URLs{}", max(m)),
            Shape::UriList { https: false, max: m } => format!("array of absolute URIs{}", max(m)),
            Shape::Enum(v) => format!("one of {}", list(v)),
            Shape::EnumList(v) => format!("array of {}", list(v)),
            Shape::SigningAlg => "`PS256` or `ES256`".into(),
            Shape::Ignored(why) => format!("ignored: {why}"),
            Shape::Rule(name) => format!("rule `{name}`"),
        }
    }
}

impl Versions {
    /// The range as the documentation shows it for a family (`all`, `v3.2+`, `v3.1–v3.3`).
    pub fn describe(self, family: Family) -> alloc::string::String {
        let v = |n: u8| match family {
            Family::UkObie => format!("v3.{n}"),
            Family::AuCdr => format!("CDS 1.{n}"),
        };
        match (self.from, self.to) {
            (0, u8::MAX) => "all".into(),
            (f, u8::MAX) => format!("{}+", v(f)),
            (f, t) if f == t => v(f),
            (f, t) => format!("{}–{}", v(f), v(t)),
        }
    }
}

/// A named cross-claim rule.
#[derive(Debug)]
pub struct CrossRule {
    /// The name the tables refer to.
    pub name: &'static str,
    /// What it checks, for the documentation (feature `docs`).
    #[cfg(feature = "docs")]
    pub summary: &'static str,
    /// The versions it applies to.
    pub versions: Versions,
    /// The check: the claims it concerns, and the statement's claims (for request rules, when
    /// the statement could be decoded; for statement rules, `None`).
    pub(crate) check: fn(&mut Ctx<'_>, &ClaimSet<'_>, Option<&ClaimSet<'_>>),
}

/// Row constructors, so tables read as tables.
pub(crate) const fn claim(
    name: &'static str,
    versions: Versions,
    presence: Presence,
    shape: Shape,
    discovery: Option<&'static str>,
    spec: &'static str,
) -> ClaimSpec {
    ClaimSpec { name, versions, presence, shape, discovery, spec, descriptive: false }
}

/// A descriptive statement claim (see [`ClaimSpec::descriptive`]).
pub(crate) const fn descriptive(name: &'static str, presence: Presence, shape: Shape, spec: &'static str) -> ClaimSpec {
    ClaimSpec { name, versions: Versions::ALL, presence, shape, discovery: None, spec, descriptive: true }
}

/// A cross-claim rule.
pub(crate) const fn rule(
    name: &'static str,
    versions: Versions,
    summary: &'static str,
    check: fn(&mut Ctx<'_>, &ClaimSet<'_>, Option<&ClaimSet<'_>>),
) -> CrossRule {
    #[cfg(not(feature = "docs"))]
    let _ = summary;
    CrossRule {
        name,
        #[cfg(feature = "docs")]
        summary,
        versions,
        check,
    }
}

impl ProfileSpec {
    /// The rows of a table that apply to this profile's version.
    pub fn rows<'t>(&self, table: &'t [ClaimSpec]) -> impl Iterator<Item = &'t ClaimSpec> + 't {
        let v = self.version;
        table.iter().filter(move |c| c.versions.contains(v))
    }

    /// The cross-claim rules that apply to this profile's version.
    pub fn applicable<'t>(&self, rules: &'t [CrossRule]) -> impl Iterator<Item = &'t CrossRule> + 't {
        let v = self.version;
        rules.iter().filter(move |r| r.versions.contains(v))
    }

    /// The statement's claims: the table's rows, then its cross-claim rules.
    pub(crate) fn check_ssa(&self, cx: &mut Ctx<'_>, ssa: &ClaimSet<'_>) {
        for r in self.applicable(self.ssa_rules) {
            (r.check)(cx, ssa, None);
        }
        cx.f.set_stage(Stage::SsaClaims);
        for c in self.rows(self.ssa_claims) {
            if c.descriptive {
                let rule = &super::policy::SSA_DESCRIPTIVE_SHAPE;
                cx.f.softened(rule, |f| {
                    let mut inner = Ctx { config: cx.config, facts: cx.facts, now: cx.now, f };
                    check_claim(&mut inner, ssa, c);
                });
            } else {
                check_claim(cx, ssa, c);
            }
        }
    }

    /// The request's claims: its cross-claim rules, then the table's rows.
    pub(crate) fn check_request(&self, cx: &mut Ctx<'_>, req: &ClaimSet<'_>, ssa: Option<&ClaimSet<'_>>) {
        for r in self.applicable(self.request_rules) {
            cx.f.set_stage(Stage::RequestClaims);
            (r.check)(cx, req, ssa);
        }
        cx.f.set_stage(Stage::RequestClaims);
        for c in self.rows(self.request_claims) {
            check_claim(cx, req, c);
        }
        rules::check_operation(cx, req);
    }
}

/// Every profile, for the documentation and the integrity tests.
pub fn all() -> impl Iterator<Item = &'static ProfileSpec> {
    super::Profile::ALL.into_iter().map(super::Profile::spec)
}

/// Checks one row whose shape is data (rows naming a rule are left to it).
fn check_claim(cx: &mut Ctx<'_>, claims: &ClaimSet<'_>, c: &ClaimSpec) {
    let p = claims.pointer(c.name);
    match &c.shape {
        Shape::Rule(_) => {}
        Shape::Text { max } => {
            if let Some(v) = claims.string(cx.f, c.name, c.presence, c.spec)
                && let Some(max) = max
            {
                max_len(cx.f, p, v, *max, c.spec);
            }
        }
        Shape::Base62 { max } => {
            if let Some(v) = claims.string(cx.f, c.name, c.presence, c.spec)
                && !is_base62(v, *max)
            {
                cx.f.error(
                    codes::CLAIM_FORMAT,
                    p,
                    format!("{} \"{}\" must match ^[0-9a-zA-Z]{{1,{max}}}$", c.name, short(v)),
                    c.spec,
                );
            }
        }
        Shape::Url { https, max } => {
            if let Some(v) = claims.string(cx.f, c.name, c.presence, c.spec)
                && max.is_none_or(|m| max_len(cx.f, p, v, m, c.spec))
            {
                uri_value(cx, p, v, *https, c.spec);
            }
        }
        Shape::UriList { https, max } => {
            if let Some(list) = claims.string_array(cx.f, c.name, c.presence, c.spec) {
                for (i, u) in list.iter().enumerate() {
                    let p = p.at(i);
                    if max.is_none_or(|m| max_len(cx.f, p, u, m, c.spec)) {
                        uri_value(cx, p, u, *https, c.spec);
                    }
                }
            }
        }
        Shape::Enum(allowed) => {
            if let Some(v) = claims.string(cx.f, c.name, c.presence, c.spec)
                && let Some(canonical) = one_of(cx.f, p, v, allowed, c.spec)
                && let Some(member) = c.discovery
            {
                check_supported(cx.f, cx.config.discovery.as_ref(), member, canonical, p, c.spec);
            }
        }
        Shape::EnumList(allowed) => {
            if let Some(values) = claims.string_array(cx.f, c.name, c.presence, c.spec) {
                rules::check_each_allowed(cx, p, &values, allowed, c.discovery, c.spec);
            }
        }
        Shape::SigningAlg => {
            if let Some(alg) = claims.string(cx.f, c.name, c.presence, c.spec)
                && fapi_signing_alg(cx.f, p, alg, c.spec)
                && let Some(member) = c.discovery
            {
                check_supported(cx.f, cx.config.discovery.as_ref(), member, alg, p, c.spec);
            }
        }
        Shape::Ignored(why) => {
            if claims.has(c.name) {
                cx.f.warning(codes::CLAIM_IGNORED, p, format!("\"{}\" is ignored: {why}", c.name), c.spec);
            }
        }
    }
}

/// An absolute-URI value (`https` when `https_only`) → `claim.uri`. Returns whether it passed.
pub(crate) fn uri_value(
    cx: &mut Ctx<'_>,
    pointer: super::findings::ptr::Ptr<'_>,
    value: &str,
    https_only: bool,
    spec: &'static str,
) -> bool {
    match uri::parse(value) {
        Some(u) if !https_only || u.is_https() => true,
        Some(_) => {
            cx.f.error(codes::CLAIM_URI, pointer, format!("\"{}\" must be an https URL", short(value)), spec);
            false
        }
        None => {
            cx.f.error(codes::CLAIM_URI, pointer, format!("\"{}\" is not an absolute URI", short(value)), spec);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row naming a rule names one of its table's rules, in the versions the row covers;
    /// names are unique per table; every profile's name is its `Profile`'s.
    #[test]
    fn tables_name_existing_rules() {
        for p in super::super::Profile::ALL {
            let spec = p.spec();
            assert_eq!(spec.name, p.name());
            for (rows, rules) in [(spec.ssa_claims, spec.ssa_rules), (spec.request_claims, spec.request_rules)] {
                for row in spec.rows(rows) {
                    if let Shape::Rule(name) = row.shape {
                        assert!(
                            spec.applicable(rules).any(|r| r.name == name),
                            "{}: {} names rule {name}, which is not in its table",
                            spec.name,
                            row.name
                        );
                    }
                    assert_eq!(
                        spec.rows(rows).filter(|r| r.name == row.name).count(),
                        1,
                        "{}: {} twice",
                        spec.name,
                        row.name
                    );
                }
                for (i, r) in rules.iter().enumerate() {
                    assert!(rules.iter().skip(i + 1).all(|o| o.name != r.name), "{}: rule {} twice", spec.name, r.name);
                }
            }
        }
    }
}
