"""Cross-library JWS vectors minted with Python jwcrypto (an implementation independent of jose
and of dcr-guard). Writes tests/vectors/jose/jwcrypto.json in the same manifest format as
gen-jose.mjs. Run from the repository root:

    pip install jwcrypto && python3 tests/vectors/gen/gen_jwcrypto.py
"""
import base64
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from jwcrypto import jwk, jws
from jwcrypto.common import json_encode

PAYLOAD = json.dumps({"iss": "c6327f87-687a-4369-99a4-eaacd3bb8210", "aud": "https://dh.example.com.au", "iat": 1764000000})


def b64u(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def key(kty: str, kid: str, **kw) -> jwk.JWK:
    k = jwk.JWK.generate(kty=kty, kid=kid, **kw)
    return k


def public(k: jwk.JWK) -> dict:
    return json.loads(k.export_public())


def sign(k: jwk.JWK, alg: str, header: dict | None = None, payload: str = PAYLOAD) -> str:
    s = jws.JWS(payload.encode())
    protected = {"alg": alg, "kid": k.key_id}
    protected.update(header or {})
    s.add_signature(k, None, json_encode(protected))
    return s.serialize(compact=True)


def pss_raw(k: jwk.JWK, header: dict, salt: int) -> str:
    """RSASSA-PSS with an explicit salt length (jwcrypto always uses the digest length)."""
    signing_input = f"{b64u(json.dumps(header).encode())}.{b64u(PAYLOAD.encode())}".encode()
    priv = k.get_op_key("sign")
    sig = priv.sign(signing_input, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=salt), hashes.SHA256())
    return f"{signing_input.decode()}.{b64u(sig)}"


rsa2048 = key("RSA", "py-rsa-2048", size=2048)
rsa3072 = key("RSA", "py-rsa-3072", size=3072)
rsa4096 = key("RSA", "py-rsa-4096", size=4096)
ec = key("EC", "py-ec-p256", crv="P-256")
other = key("RSA", "py-rsa-2048", size=2048)  # same kid, different key

sets = {
    "main": {"keys": [public(rsa2048), public(rsa3072), public(rsa4096), public(ec)]},
    "rotated": {"keys": [public(rsa3072)]},
}
vectors = []


def add(vid, cls, token, expect, note, algorithms=("PS256", "ES256"), set_name="main"):
    vectors.append({"id": f"jwcrypto/{vid}", "class": cls, "token": token, "jwks": set_name,
                    "algorithms": list(algorithms), "expect": expect, "note": note})


good = sign(rsa2048, "PS256")
add("ps256-2048", "valid", good, "valid", "jwcrypto PS256, RSA-2048")
add("ps256-3072", "valid", sign(rsa3072, "PS256"), "valid", "jwcrypto PS256, RSA-3072")
add("ps256-4096", "valid", sign(rsa4096, "PS256", {"typ": "JWT"}), "valid", "jwcrypto PS256, RSA-4096")
add("es256", "valid", sign(ec, "ES256"), "valid", "jwcrypto ES256")
add("pss-salt-32-explicit", "valid", pss_raw(rsa2048, {"alg": "PS256", "kid": "py-rsa-2048"}, 32), "valid", "cryptography PSS, salt 32")
add("rotated-out", "rotation", good, "jwk.kid_not_found", "key no longer published", set_name="rotated")
add("rs256", "alg-confusion", sign(rsa2048, "RS256"), "jws.alg_not_allowed", "jwcrypto RS256")
add("ps512", "alg-confusion", sign(rsa2048, "PS512"), "jws.alg_not_allowed", "jwcrypto PS512")
add("es256-under-ps256-policy", "alg-confusion", sign(ec, "ES256"), "jws.alg_not_allowed", "policy PS256 only", algorithms=("PS256",))
NONE_HEADER = b64u(json.dumps({"alg": "none"}).encode())
add("none", "alg-confusion", f"{NONE_HEADER}.{b64u(PAYLOAD.encode())}.", "jws.alg_not_allowed", "unsecured")
add("pss-salt-20", "alg-confusion", pss_raw(rsa2048, {"alg": "PS256", "kid": "py-rsa-2048"}, 20), "jws.signature_invalid", "salt 20")
add("pss-salt-max", "alg-confusion", pss_raw(rsa2048, {"alg": "PS256", "kid": "py-rsa-2048"}, padding.PSS.MAX_LENGTH), "jws.signature_invalid", "maximum salt (Go's old jwt-go default)")
add("other-key-same-kid", "header-key-injection", sign(other, "PS256", {"jwk": public(other)}), "jws.signature_invalid", "a different key claiming the kid, with a jwk header")
h, p, s = good.split(".")
add("tampered-payload", "tampered", f"{h}.{b64u(PAYLOAD.replace('dh.example', 'evil.example').encode())}.{s}", "jws.signature_invalid", "payload changed")
add("padded", "malformed", f"{h}.{p}.{s}==", "jws.base64", "padding on the signature")
add("two-segments", "malformed", f"{h}.{p}", "jws.malformed", "two segments")
es_h, es_p, es_s = sign(ec, "ES256").split(".")
LONG_SIG = b64u(base64.urlsafe_b64decode(es_s + "==") + bytes(1))
add("es256-64-plus-1", "signature-length", f"{es_h}.{es_p}.{LONG_SIG}", "jws.signature_malformed", "65-byte ES256 signature")

os.makedirs("tests/vectors/jose", exist_ok=True)
with open("tests/vectors/jose/jwcrypto.json", "w") as f:
    json.dump({"generator": "tests/vectors/gen/gen_jwcrypto.py", "library": "jwcrypto (Python cryptography)", "jwks": sets, "vectors": vectors}, f, indent=1)
    f.write("\n")
print(f"tests/vectors/jose/jwcrypto.json: {len(vectors)} vectors")
