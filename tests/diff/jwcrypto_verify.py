"""jwcrypto's verdict on each case of the JWS differential test (tests/diff/jws.test.mjs).

Reads the cases file the test writes ({"sets": {name: JWKS}, "cases": [{"token", "set"}]}) and
prints one JSON array of verdicts: "valid", or the name of the exception jwcrypto raised.
Policy as in the other two libraries: PS256 and ES256 only, the key chosen from the JWKS by
jwcrypto itself (by kid, or every key when the header has none).

    .tools/py/bin/python tests/diff/jwcrypto_verify.py CASES.json
"""
import json
import sys

from jwcrypto import jwk, jws


def verdict(token: str, keyset: "jwk.JWKSet | Exception") -> str:
    if isinstance(keyset, Exception):
        return f"jwks:{type(keyset).__name__}"
    try:
        obj = jws.JWS()
        obj.allowed_algs = ["PS256", "ES256"]
        obj.deserialize(token)
        obj.verify(keyset)
        return "valid"
    except Exception as e:  # every refusal counts, whatever its class
        return type(e).__name__


def load(doc: dict) -> "jwk.JWKSet | Exception":
    try:
        return jwk.JWKSet.from_json(json.dumps(doc))
    except Exception as e:
        return e


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    sets = {name: load(doc) for name, doc in spec["sets"].items()}
    json.dump([verdict(c["token"], sets[c["set"]]) for c in spec["cases"]], sys.stdout)


if __name__ == "__main__":
    main()
