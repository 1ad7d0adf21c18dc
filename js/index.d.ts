/**
 * dcr-guard: validate Open Banking Dynamic Client Registration requests (UK OBIE v3.1–v3.4,
 * AU CDR) — strict PS256/ES256 JWS, the software statement and every registration claim, with
 * the RFC 7591 error a bank would return and every finding.
 *
 * The same import works in Node ≥ 20, browsers, bundlers and workerd.
 *
 * @packageDocumentation
 */

/** A JSON Web Key Set as an object, or its JSON text. */
export type JwksInput = { keys: object[] } | object | string;

/** A signing algorithm dcr-guard can verify. Nothing else can be allowed. */
export type Algorithm = 'PS256' | 'ES256';

/** A DCR rule set. */
export type Profile = 'uk-obie-v3.1' | 'uk-obie-v3.2' | 'uk-obie-v3.3' | 'uk-obie-v3.4' | 'au-cdr';

/** A policy preset. */
export type PolicyPreset = 'interop' | 'spec' | 'mock';

/** What a policy rule makes of a deviation. */
export type PolicyDecision = 'error' | 'warning' | 'accept';

/** The four RFC 7591 §3.2.2 error codes. */
export type RegistrationErrorCode =
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_software_statement'
  | 'unapproved_software_statement';

/** One observation about a registration. */
export interface Finding {
  /** Stable code, e.g. `aud.mismatch` (docs/error-codes.md). */
  code: string;
  /** `error` rejects the registration; `warning` does not; `info` records a deviation the policy accepts. */
  severity: 'error' | 'warning' | 'info';
  /** The policy rule that decided the severity of a documented deviation (override it by this id). */
  rule?: string;
  /** JSON pointer rooted at the JWS or document concerned, e.g. `/request/claims/aud`. */
  pointer: string;
  /** What is wrong, for a developer. */
  message: string;
  /** Where the rule comes from. */
  spec: string;
  /** What to change to fix it. */
  fix?: string;
  /** The validation stage; it decides the ranking and the RFC 7591 error. */
  stage:
    | 'request_envelope'
    | 'ssa_signature'
    | 'ssa_approval'
    | 'ssa_claims'
    | 'request_signature'
    | 'redirect_uris'
    | 'request_claims';
}

/** A decoded JWS inside a report (shown even when unverified). */
export interface DecodedJws {
  header: Record<string, unknown>;
  /** The payload claims, or `null` when the payload is not a JSON object. */
  claims: Record<string, unknown> | null;
  signature: 'valid' | 'invalid' | 'unchecked';
  /** RFC 7638 thumbprint of the key that verified. */
  key_thumbprint?: string;
}

/** The outcome of a registration check: the same shape as `dcr-guard check --json`. */
export interface Report {
  valid: boolean;
  /** The RFC 7591 error a bank should return (absent when valid). */
  error?: RegistrationErrorCode;
  /** ASCII, at most 500 characters (absent when valid). */
  error_description?: string;
  /** Every finding, errors first in rank order, then warnings, then information. */
  findings: Finding[];
  request: DecodedJws | null;
  ssa: DecodedJws | null;
}

/** Configuration of a registration check. */
export interface RegistrationOptions {
  profile: Profile;
  /** The bank's issuer URL (its discovery `issuer`); AU requires `aud` to equal it. */
  issuer: string;
  /** Further accepted `aud` values, e.g. the bank's 18-character OB organisation ID. */
  audiences?: string[];
  /** The directory's JWKS (OB Directory, CDR Register). */
  ssaJwks: JwksInput;
  /** The bank's OpenID discovery document, for cross-checks. */
  discovery?: object | string;
  /** Unix seconds; defaults to now. */
  now?: number;
  /** Tolerated clock difference in seconds (default 60). */
  clockSkew?: number;
  /** Maximum `exp − iat` of the request in seconds, `null` for none (default 3600 UK, none AU). */
  maxRequestLifetime?: number | null;
  /** Maximum SSA age in seconds (default none). */
  maxSsaAge?: number;
  /**
   * What each documented real-world deviation is (default `'interop'`): a preset, or a preset
   * plus per-rule overrides keyed by rule id (a finding's `rule`) or finding code.
   * `interop` accepts what conformant participants and the trust anchors send; `spec` is the
   * letter of the specifications; `mock` is what the ACCC mock and the WSO2/ForgeRock samples
   * accept. Decisions that protect the bank are errors in every preset.
   */
  policy?: PolicyPreset | { preset?: PolicyPreset; rules?: Record<string, PolicyDecision> };
  /** @deprecated The 0.1 alias of `policy`: `strict` = `spec`, `lenient` = `mock`. */
  mode?: 'strict' | 'lenient';
  /** Trusted SSA issuers (default `OpenBanking Ltd` / `cdr-register`). */
  trustedSsaIssuers?: string[];
  /** Accepted request algorithms (default both). */
  algorithms?: Algorithm[] | string;
  /** Register (POST, default) or update (PUT /register/{clientId}). */
  operation?: { kind: 'register' } | { kind: 'update'; clientId: string };
  /** Subject DN (RFC 4514) of the presented TLS client certificate. */
  clientCertSubjectDn?: string;
  /** Expected SSA `software_environment` (UK). */
  softwareEnvironment?: string;
  /** Signature backend (default `'host'`). */
  crypto?: CryptoBackend;
}

/**
 * Who does the signature arithmetic. `'host'` (the default) is the runtime's own crypto where
 * the call can use it: `node:crypto` in Node for every function, WebCrypto in browsers and
 * workerd for the asynchronous ones ({@link checkRegistration}, {@link verifyJwsAsync}; the
 * synchronous functions there use the module's pure-Rust backend). `'wasm'` always uses the
 * pure-Rust backend. Parsing, policy, key validation and findings are the same either way, and
 * so are the results (the package's differential tests check it).
 */
export type CryptoBackend = 'host' | 'wasm';

/** Options of {@link verifyJws} and {@link verifyJwsAsync}. */
export interface VerifyOptions {
  /** Accepted algorithms (default both). */
  algorithms?: Algorithm[] | string;
  /** Signature backend (default `'host'`). */
  crypto?: CryptoBackend;
}

/** Result of {@link verifyJws}. */
export interface VerifyResult {
  valid: boolean;
  /** Stable code when invalid, e.g. `jws.signature_invalid`. */
  code?: string;
  message?: string;
  /** Decoded header (present whenever the token decodes, even if invalid). */
  header?: Record<string, unknown>;
  /** Decoded payload: JSON when it parses, else text. */
  payload?: unknown;
}

/** Result of {@link decodeJws}: nothing here is verified. */
export interface DecodeResult {
  verified: false;
  header: Record<string, unknown>;
  payload: unknown;
  /** `BASE64URL(header) || '.' || BASE64URL(payload)`. */
  signingInput: string;
  /** The signature, base64url. */
  signature: string;
}

/** Result of {@link inspectRegistration} (phase 1). */
export interface InspectResult {
  findings: Finding[];
  /** Whether a finding already rejects the registration. */
  rejected: boolean;
  request: DecodedJws | null;
  ssa: DecodedJws | null;
  /** The software JWKS to fetch: set only when the SSA verified and nothing rejects yet. */
  softwareJwksUrl: string | null;
  /** The request header's `kid`. */
  kid: string | null;
}

/** Thrown for caller mistakes (bad options, a bad directory JWKS); never for a bad token. */
export declare class DcrGuardError extends Error {
  /** e.g. `ERR_DCR_GUARD_CONFIG_PROFILE_UNKNOWN`, `ERR_DCR_GUARD_INVALID_ARGUMENT`. */
  readonly code: string;
}

/**
 * Verifies a compact JWS against a JWKS. The algorithm comes from `algorithms`, never from the
 * token; `none`, `HS*` and `RS*` are always refused.
 *
 * @example
 * ```js
 * import { verifyJws } from 'dcr-guard';
 * const { valid, code, payload } = verifyJws(token, jwks, { algorithms: ['PS256'] });
 * ```
 */
export declare function verifyJws(token: string, jwks: JwksInput, options?: VerifyOptions): VerifyResult;

/**
 * {@link verifyJws} for runtimes whose own crypto is asynchronous: in browsers and workerd it
 * verifies with WebCrypto (each key imported once and reused); in Node it is `verifyJws`.
 *
 * @example
 * ```js
 * import { verifyJwsAsync } from 'dcr-guard';
 * const { valid } = await verifyJwsAsync(token, jwks);
 * ```
 */
export declare function verifyJwsAsync(token: string, jwks: JwksInput, options?: VerifyOptions): Promise<VerifyResult>;

/**
 * Decodes a compact JWS without verifying anything. Throws a {@link DcrGuardError} (e.g.
 * `ERR_DCR_GUARD_JWS_MALFORMED`) when it is not a compact JWS.
 *
 * @example
 * ```js
 * import { decodeJws } from 'dcr-guard';
 * const { header, payload } = decodeJws(token); // verified: false
 * ```
 */
export declare function decodeJws(token: string): DecodeResult;

/**
 * Validates a registration request completely, with both key sets given.
 *
 * @example
 * ```js
 * import { validateRegistration } from 'dcr-guard';
 * const report = validateRegistration(requestJws, {
 *   profile: 'uk-obie-v3.3', issuer: 'https://bank.example', audiences: ['0015800000jfwxXAAQ'],
 *   ssaJwks: directoryJwks, softwareJwks: tppJwks,
 * });
 * if (!report.valid) console.log(report.error, report.error_description);
 * ```
 */
export declare function validateRegistration(token: string, options: RegistrationOptions & { softwareJwks: JwksInput }): Report;

/**
 * Phase 1 of a check for hosts that fetch: verifies the software statement and says which
 * software JWKS to fetch (only when the statement verified).
 *
 * @example
 * ```js
 * import { inspectRegistration } from 'dcr-guard';
 * const { softwareJwksUrl, ssa } = inspectRegistration(requestJws, { profile: 'au-cdr', issuer, ssaJwks });
 * ```
 */
export declare function inspectRegistration(token: string, options: RegistrationOptions): InspectResult;

/**
 * Both phases, fetching the software JWKS named by the verified software statement with your
 * `fetchJwks` (called only when the statement verified and nothing rejects the request). If
 * `fetchJwks` throws or rejects, the promise rejects with `ERR_DCR_GUARD_FETCH_FAILED` (the
 * original error as `cause`).
 *
 * @example
 * ```js
 * import { checkRegistration } from 'dcr-guard';
 * const report = await checkRegistration(requestJws, {
 *   profile: 'au-cdr', issuer: 'https://dh.example.com.au', ssaJwks: registerJwks,
 *   fetchJwks: async (url) => (await fetch(url)).json(),
 * });
 * ```
 */
export declare function checkRegistration(
  token: string,
  options: RegistrationOptions & { fetchJwks: (url: string, hint: { kid: string | null }) => Promise<JwksInput> },
): Promise<Report>;
