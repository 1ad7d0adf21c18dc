//! `iat`, `exp` and `nbf` against an injected `now`, with clock skew, a maximum lifetime and
//! an optional maximum age. The core never reads a clock.

use alloc::format;

use super::claims::{ClaimSet, Presence};
use super::codes;
use super::findings::Findings;

/// What a profile requires of a token's time claims.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimeRules {
    pub iat: Presence,
    pub exp: Presence,
    /// Maximum `exp - iat` in seconds.
    pub max_lifetime: Option<u64>,
    /// Maximum `now - iat` in seconds.
    pub max_age: Option<u64>,
    pub spec: &'static str,
}

/// Checks `iat`, `exp` and `nbf`. `now` and the claims are Unix seconds.
pub(crate) fn check(f: &mut Findings, claims: &ClaimSet<'_>, now: i64, skew: u64, rules: &TimeRules) {
    let skew = i64::try_from(skew).unwrap_or(i64::MAX);
    let spec = rules.spec;
    let iat = claims.integer(f, "iat", rules.iat, spec);
    let exp = claims.integer(f, "exp", rules.exp, spec);
    let nbf = claims.integer(f, "nbf", Presence::Optional, spec);
    if let Some(iat) = iat
        && iat > now.saturating_add(skew)
    {
        f.error(
            codes::TIME_ISSUED_IN_FUTURE,
            claims.pointer("iat"),
            format!("issued {}s in the future (clock skew allowed: {skew}s)", iat - now),
            spec,
        );
    }
    if let Some(exp) = exp
        && now.saturating_sub(skew) >= exp
    {
        f.error(
            codes::TIME_EXPIRED,
            claims.pointer("exp"),
            format!("expired {}s ago (clock skew allowed: {skew}s)", now.saturating_sub(exp)),
            spec,
        );
    }
    if let Some(nbf) = nbf
        && nbf > now.saturating_add(skew)
    {
        f.error(
            codes::TIME_NOT_YET_VALID,
            claims.pointer("nbf"),
            format!("not valid for another {}s (clock skew allowed: {skew}s)", nbf - now),
            spec,
        );
    }
    if let (Some(iat), Some(exp)) = (iat, exp) {
        if exp < iat {
            f.error(codes::TIME_LIFETIME, claims.pointer("exp"), "\"exp\" is before \"iat\"".into(), spec);
        } else if let Some(max) = rules.max_lifetime
            && u64::try_from(exp - iat).is_ok_and(|life| life > max)
        {
            f.error(
                codes::TIME_LIFETIME,
                claims.pointer("exp"),
                format!("lifetime exp - iat is {}s; at most {max}s is accepted", exp - iat),
                spec,
            );
        }
    }
    if let (Some(iat), Some(max)) = (iat, rules.max_age) {
        let age = now.saturating_sub(iat);
        if u64::try_from(age).is_ok_and(|a| a > max.saturating_add(skew.unsigned_abs())) {
            f.error(
                codes::TIME_TOO_OLD,
                claims.pointer("iat"),
                format!("issued {age}s ago; at most {max}s is accepted"),
                spec,
            );
        }
    }
}
