//! Signatures already verified in this isolate: software statements, which every request of a
//! registrant carries unchanged, are verified once and answered from memory after that.
//!
//! What is remembered is only the answer of the signature arithmetic, and only a positive one:
//! that this algorithm and this key (its RFC 7638 thumbprint, which covers the whole public key)
//! verify this signature over these signing-input bytes. That answer is a pure function of the
//! four, which are compared byte for byte (no hash stands in for them), so a remembered `true`
//! is exactly what the backend would answer again. Everything else runs on every request as
//! before: the core selects the key from the directory key set it is given *now* (a rotated-out
//! key is never selected, so its entries are simply never hit again), checks the shape of the
//! signature, the statement's `exp`/`iat`/`nbf` against the request's time, the revoked key sets
//! and every claim rule. A statement verified under a key that the directory has since dropped
//! is therefore refused as before.
//!
//! Bounded: at most [`MAX_ENTRIES`] entries and [`MAX_BYTES`] of remembered bytes; an input
//! larger than [`MAX_INPUT`] is not remembered, and the oldest entry goes first.

use std::cell::RefCell;

use dcr_guard_core::jose::{Algorithm, SignatureCheck};

/// Most entries remembered.
const MAX_ENTRIES: usize = 64;
/// Most bytes (signing inputs and signatures) remembered in all.
const MAX_BYTES: usize = 512 * 1024;
/// The largest signing input remembered (a software statement is a few KB).
const MAX_INPUT: usize = 16 * 1024;

struct Entry {
    alg: Algorithm,
    thumbprint: String,
    signature: Vec<u8>,
    signing_input: Vec<u8>,
}

impl Entry {
    fn matches(&self, check: &SignatureCheck<'_>) -> bool {
        // The signature first: two different statements differ there in the first bytes.
        self.signature == check.signature
            && self.alg == check.alg
            && self.signing_input == check.signing_input
            && self.thumbprint == check.key.thumbprint()
    }

    fn bytes(&self) -> usize {
        self.signature.len() + self.signing_input.len() + self.thumbprint.len()
    }
}

thread_local! {
    static VERIFIED: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// Whether exactly this check verified before in this isolate.
pub fn seen(check: &SignatureCheck<'_>) -> bool {
    VERIFIED.with(|v| v.borrow().iter().any(|e| e.matches(check)))
}

/// Remembers a check the backend answered `true`.
pub fn remember(check: &SignatureCheck<'_>) {
    if check.signing_input.len() > MAX_INPUT {
        return;
    }
    let entry = Entry {
        alg: check.alg,
        thumbprint: check.key.thumbprint().to_owned(),
        signature: check.signature.to_vec(),
        signing_input: check.signing_input.to_vec(),
    };
    VERIFIED.with(|v| {
        let mut v = v.borrow_mut();
        if v.iter().any(|e| e.matches(check)) {
            return;
        }
        let mut total: usize = v.iter().map(Entry::bytes).sum::<usize>() + entry.bytes();
        while !v.is_empty() && (v.len() >= MAX_ENTRIES || total > MAX_BYTES) {
            total -= v.remove(0).bytes();
        }
        v.push(entry);
    });
}

/// Forgets everything (the benchmark route, to time validations of statements never seen).
#[cfg(feature = "bench")]
pub fn clear() {
    VERIFIED.with(|v| v.borrow_mut().clear());
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use dcr_guard_core::Limits;
    use dcr_guard_core::jose::Jwks;

    fn keys() -> Jwks {
        let n = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";
        let text = format!(r#"{{"keys":[{{"kty":"RSA","kid":"a","use":"sig","n":"{n}","e":"AQAB"}}]}}"#);
        Jwks::parse(text.as_bytes(), &Limits::DEFAULT).unwrap()
    }

    #[test]
    fn only_the_exact_check_is_seen() {
        let jwks = keys();
        let key = jwks.select(Some("a"), Algorithm::Ps256).unwrap();
        let sig = [7u8; 256];
        let check = SignatureCheck { alg: Algorithm::Ps256, key, signing_input: b"a.b", signature: &sig };
        assert!(!seen(&check));
        remember(&check);
        assert!(seen(&check));
        let other_sig = [8u8; 256];
        assert!(!seen(&SignatureCheck { signature: &other_sig, ..check }));
        assert!(!seen(&SignatureCheck { signing_input: b"a.c", ..check }));
        assert!(!seen(&SignatureCheck { alg: Algorithm::Es256, ..check }));
    }

    #[test]
    fn bounded() {
        let jwks = keys();
        let key = jwks.select(Some("a"), Algorithm::Ps256).unwrap();
        let big = vec![1u8; MAX_INPUT + 1];
        let sig = [9u8; 256];
        let check = SignatureCheck { alg: Algorithm::Ps256, key, signing_input: &big, signature: &sig };
        remember(&check);
        assert!(!seen(&check));
        for i in 0..(MAX_ENTRIES as u32 + 10) {
            let input = i.to_be_bytes();
            remember(&SignatureCheck { signing_input: &input, ..check });
        }
        VERIFIED.with(|v| assert!(v.borrow().len() <= MAX_ENTRIES));
        let last = (MAX_ENTRIES as u32 + 9).to_be_bytes();
        assert!(seen(&SignatureCheck { signing_input: &last, ..check }));
        let first = 0u32.to_be_bytes();
        assert!(!seen(&SignatureCheck { signing_input: &first, ..check }));
    }
}
