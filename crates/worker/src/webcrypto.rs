//! The WebCrypto signature backend: workerd's `crypto.subtle` (BoringSSL, run on the calling
//! thread) answers the core's signature checks. Each key is imported once per isolate, keyed by
//! its RFC 7638 thumbprint, and the `CryptoKey` reused: an import costs about as much as a verify.
//!
//! The core has already checked everything but the arithmetic — the algorithm is allowed and
//! fits the key, the key is valid (RSA 2048–8192 bits with a sane exponent, a P-256 point on the
//! curve), the signature has the exact length — so any failure here, an import error included,
//! is a signature that does not verify.

use std::cell::RefCell;

use dcr_guard_core::jose::{Algorithm, KeyMaterial, SignatureCheck, base64url};
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `SubtleCrypto`, through the two methods used.
    type Subtle;

    #[wasm_bindgen(thread_local_v2, js_namespace = crypto, js_name = subtle)]
    static SUBTLE: Subtle;

    #[wasm_bindgen(method, catch, js_name = importKey)]
    fn import_key(
        this: &Subtle,
        format: &str,
        key: &Object,
        algorithm: &Object,
        extractable: bool,
        usages: &Array,
    ) -> Result<Promise, JsValue>;

    /// `signature` and `data` are views of wasm memory; WebCrypto copies them before returning.
    #[wasm_bindgen(method, catch)]
    fn verify(
        this: &Subtle,
        algorithm: &Object,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue>;
}

/// Imported keys: (algorithm, thumbprint) → `CryptoKey`. Bounded; the oldest entry goes first.
const MAX_KEYS: usize = 64;

thread_local! {
    static KEYS: RefCell<Vec<(Algorithm, String, JsValue)>> = const { RefCell::new(Vec::new()) };
    /// The algorithm objects of [`algorithms`], per algorithm.
    static ALGORITHMS: RefCell<Vec<(Algorithm, Object, Object)>> = const { RefCell::new(Vec::new()) };
}

/// A plain object from string members.
fn object(members: &[(&str, &str)]) -> Result<Object, JsValue> {
    let o = Object::new();
    for (k, v) in members {
        Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v))?;
    }
    Ok(o)
}

/// The import algorithm (`importKey`'s) and the verify algorithm (`verify`'s). PS256's salt is
/// exactly 32 bytes (RFC 7518 §3.5); ES256 signatures are the 64-byte r || s WebCrypto expects.
/// Built once per isolate and algorithm: each object costs several calls out of wasm, which
/// added up to about a fifth of a verify. WebCrypto only reads them.
fn algorithms(alg: Algorithm) -> Result<(Object, Object), JsValue> {
    let cached =
        ALGORITHMS.with(|a| a.borrow().iter().find(|(x, ..)| *x == alg).map(|(_, i, v)| (i.clone(), v.clone())));
    if let Some(pair) = cached {
        return Ok(pair);
    }
    let (import, verify) = new_algorithms(alg)?;
    ALGORITHMS.with(|a| a.borrow_mut().push((alg, import.clone(), verify.clone())));
    Ok((import, verify))
}

fn new_algorithms(alg: Algorithm) -> Result<(Object, Object), JsValue> {
    match alg {
        Algorithm::Ps256 => {
            let verify = object(&[("name", "RSA-PSS")])?;
            Reflect::set(&verify, &JsValue::from_str("saltLength"), &JsValue::from_f64(32.0))?;
            Ok((object(&[("name", "RSA-PSS"), ("hash", "SHA-256")])?, verify))
        }
        Algorithm::Es256 => Ok((
            object(&[("name", "ECDSA"), ("namedCurve", "P-256")])?,
            object(&[("name", "ECDSA"), ("hash", "SHA-256")])?,
        )),
    }
}

fn jwk(material: &KeyMaterial) -> Result<Object, JsValue> {
    match material {
        KeyMaterial::Rsa { n, e } => {
            object(&[("kty", "RSA"), ("n", &base64url::encode(n)), ("e", &base64url::encode(e))])
        }
        KeyMaterial::P256 { x, y } => {
            object(&[("kty", "EC"), ("crv", "P-256"), ("x", &base64url::encode(x)), ("y", &base64url::encode(y))])
        }
    }
}

async fn crypto_key(check: &SignatureCheck<'_>, import: &Object) -> Result<JsValue, JsValue> {
    let thumbprint = check.key.thumbprint();
    let hit =
        KEYS.with(|k| k.borrow().iter().find(|(a, t, _)| *a == check.alg && t == thumbprint).map(|e| e.2.clone()));
    if let Some(key) = hit {
        return Ok(key);
    }
    let usages = Array::of1(&JsValue::from_str("verify"));
    let promise = SUBTLE.with(|s| s.import_key("jwk", &jwk(check.key.material())?, import, false, &usages))?;
    let key = JsFuture::from(promise).await?;
    KEYS.with(|k| {
        let mut k = k.borrow_mut();
        if k.len() >= MAX_KEYS {
            k.remove(0);
        }
        k.push((check.alg, thumbprint.to_owned(), key.clone()));
    });
    Ok(key)
}

async fn try_verify(check: &SignatureCheck<'_>) -> Result<bool, JsValue> {
    let (import, verify) = algorithms(check.alg)?;
    let key = crypto_key(check, &import).await?;
    let promise = SUBTLE.with(|s| s.verify(&verify, &key, check.signature, check.signing_input))?;
    Ok(JsFuture::from(promise).await?.as_bool() == Some(true))
}

/// Whether the signature verifies; every failure is `false`.
pub async fn verify(check: &SignatureCheck<'_>) -> bool {
    try_verify(check).await.unwrap_or(false)
}
