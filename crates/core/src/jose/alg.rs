//! Signature algorithms and the caller's allow-list. Only PS256 and ES256 exist here: FAPI 1.0
//! Advanced §8.6 allows nothing else, so `none`, `HS*` and `RS256` are unrepresentable.

use core::fmt;

/// A JWS signature algorithm this crate can verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 7518 §3.5).
    Ps256,
    /// ECDSA on P-256 with SHA-256, signature as 64-byte `r || s` (RFC 7518 §3.4).
    Es256,
}

impl Algorithm {
    /// Every algorithm, in preference order.
    pub const ALL: [Algorithm; 2] = [Algorithm::Ps256, Algorithm::Es256];

    /// The JOSE name (`PS256`, `ES256`).
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Ps256 => "PS256",
            Algorithm::Es256 => "ES256",
        }
    }

    /// Looks up a JOSE name; exact and case-sensitive, as RFC 7515 requires.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    const fn bit(self) -> u8 {
        match self {
            Algorithm::Ps256 => 1,
            Algorithm::Es256 => 2,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The set of algorithms a caller accepts. The token's header can only be compared with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlgorithmPolicy(u8);

/// A name given to [`AlgorithmPolicy::parse`] that is not an allowed algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAlgorithm(pub alloc::string::String);

impl fmt::Display for UnknownAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown or disallowed algorithm \"{}\" (choose from PS256, ES256)", self.0)
    }
}

impl AlgorithmPolicy {
    /// PS256 and ES256: the FAPI floor.
    pub const FAPI: AlgorithmPolicy = AlgorithmPolicy(3);

    /// A policy allowing exactly the given algorithms.
    pub fn new(algs: &[Algorithm]) -> Self {
        AlgorithmPolicy(algs.iter().fold(0, |acc, a| acc | a.bit()))
    }

    /// Parses a comma-separated list such as `PS256,ES256`. Empty lists are refused.
    pub fn parse(list: &str) -> Result<Self, UnknownAlgorithm> {
        let mut bits = 0;
        for name in list.split(',').map(str::trim) {
            let alg = Algorithm::from_name(name).ok_or_else(|| UnknownAlgorithm(name.into()))?;
            bits |= alg.bit();
        }
        Ok(AlgorithmPolicy(bits))
    }

    /// Whether `alg` is allowed.
    pub fn allows(self, alg: Algorithm) -> bool {
        self.0 & alg.bit() != 0
    }

    /// The allowed algorithm with this exact JOSE name, if any.
    pub fn admit(self, name: &str) -> Option<Algorithm> {
        Algorithm::from_name(name).filter(|a| self.allows(*a))
    }

    /// The allowed algorithms in preference order.
    pub fn iter(self) -> impl Iterator<Item = Algorithm> {
        Algorithm::ALL.into_iter().filter(move |a| self.allows(*a))
    }

    /// The intersection with another policy.
    pub fn intersect(self, other: AlgorithmPolicy) -> Self {
        AlgorithmPolicy(self.0 & other.0)
    }

    /// Whether nothing is allowed.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl Default for AlgorithmPolicy {
    fn default() -> Self {
        AlgorithmPolicy::FAPI
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_admit() {
        let p = AlgorithmPolicy::parse("PS256").unwrap();
        assert_eq!(p.admit("PS256"), Some(Algorithm::Ps256));
        assert_eq!(p.admit("ES256"), None);
        for bad in ["none", "HS256", "RS256", "ps256", "PS256 ", "PS384", ""] {
            assert_eq!(AlgorithmPolicy::FAPI.admit(bad), None, "{bad:?}");
        }
        assert!(AlgorithmPolicy::parse("PS256,RS256").is_err());
        assert!(AlgorithmPolicy::parse("").is_err());
        assert_eq!(AlgorithmPolicy::parse(" ES256 , PS256").unwrap(), AlgorithmPolicy::FAPI);
    }
}
