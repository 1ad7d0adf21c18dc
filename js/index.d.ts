/**
 * dcr-guard: validate Open Banking Dynamic Client Registration requests (UK OBIE v3.1–v3.4,
 * AU CDR) — strict PS256/ES256 JWS, the software statement and every registration claim, with
 * the RFC 7591 error a bank would return and every finding.
 *
 * The package is ESM-only; it works in Node ^20.19 || ≥ 22.12 (where `require()` of it works
 * too), browsers, bundlers and workerd. In browsers and workerd the signature checks use
 * WebCrypto, which is asynchronous: {@link checkRegistration} and {@link verifyJwsAsync} verify
 * there; the synchronous verifying functions need `dcr-guard/sync`.
 *
 * @packageDocumentation
 */

/** A JSON Web Key Set as an object, or its JSON text. */
export type JwksInput = { keys: object[] } | object | string;

/** An algorithm allow-list: an array, one name, or comma-separated names (`'PS256,ES256'`). */
export type AlgorithmList = readonly Algorithm[] | Algorithm | `${Algorithm},${Algorithm}`;

// ---------------------------------------------------------------------------------------------
// Generated from the core's tables by crates/core/tests/docs_generated.rs (a test keeps it equal):
// edit the Rust tables, then run DCR_GUARD_BLESS=1 cargo test -p dcr-guard-core --test docs_generated.
// <generated:ts-unions>
/** A signing algorithm dcr-guard can verify. Nothing else can be allowed. */
export type Algorithm =
  | 'PS256'
  | 'ES256';

/** A DCR rule set. */
export type Profile =
  | 'uk-obie-v3.1'
  | 'uk-obie-v3.2'
  | 'uk-obie-v3.3'
  | 'uk-obie-v3.4'
  | 'au-cdr';

/** A policy preset (`strict` and `lenient` are accepted as the 0.1 aliases of `spec` and `mock`). */
export type PolicyPreset =
  | 'interop'
  | 'spec'
  | 'mock';

/** What a policy rule makes of a deviation. */
export type PolicyDecision =
  | 'error'
  | 'warning'
  | 'accept';

/** The four RFC 7591 §3.2.2 error codes. */
export type RegistrationErrorCode =
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_software_statement'
  | 'unapproved_software_statement';

/** The id of a policy rule (docs/rules.md#policy-rules). */
export type PolicyRuleId =
  | 'request.typ'
  | 'ssa.typ'
  | 'ssa.kid_missing'
  | 'software_jwks.x5t_padded'
  | 'software_jwks.leading_zero'
  | 'request.empty_optional'
  | 'ssa.empty_optional'
  | 'request.string_for_array'
  | 'ssa.string_for_array'
  | 'request.value_case'
  | 'ssa.value_case'
  | 'ssa.descriptive_shape'
  | 'ssa.oca_array'
  | 'ssa.software_version_number'
  | 'request.aud_array'
  | 'request.aud_not_org_id'
  | 'request.aud_near_issuer'
  | 'request.jti_uuid_case'
  | 'request.jti_not_uuid'
  | 'request.dn_without_tls_client_auth'
  | 'request.redirect_uri_case'
  | 'request.id_token_encryption_with_code'
  | 'ssa.required_claim_missing'
  | 'ssa.sector_identifier_bare_host'
  | 'cert.legacy_dn_outside_sandbox';

/** The validation stage of a finding; it decides the ranking and the RFC 7591 error. */
export type FindingStage =
  | 'request_envelope'
  | 'ssa_signature'
  | 'ssa_approval'
  | 'ssa_claims'
  | 'request_signature'
  | 'redirect_uris'
  | 'request_claims'
  | 'key_set_fetch';

/** A finding code (docs/error-codes.md). */
export type FindingCode =
  | 'alg.not_fapi'
  | 'aud.format'
  | 'aud.mismatch'
  | 'auth_method.not_fapi'
  | 'check.unavailable'
  | 'claim.conditional'
  | 'claim.empty'
  | 'claim.format'
  | 'claim.ignored'
  | 'claim.mismatch'
  | 'claim.missing'
  | 'claim.not_allowed'
  | 'claim.obsolete'
  | 'claim.recommended'
  | 'claim.renamed'
  | 'claim.type'
  | 'claim.uri'
  | 'claim.value'
  | 'discovery.issuer_mismatch'
  | 'discovery.unsupported'
  | 'jti.format'
  | 'jwk.ambiguous_key'
  | 'jwk.duplicate_kid'
  | 'jwk.empty_member'
  | 'jwk.invalid'
  | 'jwk.key_too_large'
  | 'jwk.key_too_small'
  | 'jwk.kid_not_found'
  | 'jwk.leading_zero'
  | 'jwk.member_invalid'
  | 'jwk.no_suitable_key'
  | 'jwk.private_member'
  | 'jwk.unsupported_curve'
  | 'jwk.unsupported_kty'
  | 'jwk.x5t_padded'
  | 'jwks.invalid'
  | 'jwks.too_large'
  | 'jwks.too_many_keys'
  | 'jwks.url_refused'
  | 'jws.alg_not_allowed'
  | 'jws.b64_unsupported'
  | 'jws.base64'
  | 'jws.crit_unsupported'
  | 'jws.header_invalid'
  | 'jws.key_header_ignored'
  | 'jws.kid_missing'
  | 'jws.malformed'
  | 'jws.signature_invalid'
  | 'jws.signature_malformed'
  | 'jws.too_large'
  | 'jws.typ'
  | 'mtls.cert_not_in_jwks'
  | 'mtls.cert_unchecked'
  | 'mtls.client_not_in_ssa'
  | 'mtls.legacy_certificate'
  | 'mtls.subject_dn_invalid'
  | 'mtls.subject_dn_mismatch'
  | 'payload.invalid'
  | 'redirect_uri.fragment'
  | 'redirect_uri.invalid'
  | 'redirect_uri.localhost'
  | 'redirect_uri.not_https'
  | 'redirect_uri.not_in_ssa'
  | 'register.recipient_inactive'
  | 'register.recipient_unchecked'
  | 'register.software_inactive'
  | 'register.status_stale'
  | 'register.status_unknown'
  | 'revocation.cert_revoked'
  | 'revocation.endpoint_missing'
  | 'revocation.key_revoked'
  | 'scope.openid_missing'
  | 'scope.role_missing'
  | 'scope.unknown'
  | 'sector_identifier.invalid'
  | 'sector_identifier.mismatch'
  | 'signature.unverified'
  | 'ssa.environment'
  | 'ssa.issuer_untrusted'
  | 'ssa.missing'
  | 'ssa.org_inactive'
  | 'time.expired'
  | 'time.issued_in_future'
  | 'time.lifetime'
  | 'time.not_yet_valid'
  | 'time.too_old';
// </generated:ts-unions>
// ---------------------------------------------------------------------------------------------

/** Fields every finding has. */
interface FindingBase {
  /** Stable code (docs/error-codes.md). */
  code: FindingCode;
  /** The policy rule that decided the severity of a documented deviation: override it with this id. */
  rule?: PolicyRuleId;
  /** JSON pointer rooted at the JWS or document concerned, e.g. `/request/claims/aud`. */
  pointer: string;
  /** What is wrong, for a developer. */
  message: string;
  /** Where the rule comes from. */
  spec: string;
  /** What to change to fix it. */
  fix?: string;
  /** The validation stage; it decides the ranking and the RFC 7591 error. */
  stage: FindingStage;
}

/** A finding that rejects the registration. */
export interface ErrorFinding extends FindingBase {
  severity: 'error';
}

/** A finding that does not reject: a documented deviation the policy makes a warning, or advice. */
export interface WarningFinding extends FindingBase {
  severity: 'warning';
}

/** A documented deviation the policy accepts (decision `accept`), for the record. */
export interface InfoFinding extends FindingBase {
  severity: 'info';
  rule: PolicyRuleId;
}

/** One observation about a registration, discriminated by `severity`. */
export type Finding = ErrorFinding | WarningFinding | InfoFinding;

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
  /** The DCR rule set. Required; no default. */
  profile: Profile;
  /** The bank's issuer URL (its discovery `issuer`); AU requires `aud` to equal it. Required. */
  issuer: string;
  /** Further accepted `aud` values, e.g. the bank's 18-character OB organisation ID. Default: none. */
  audiences?: readonly string[];
  /** The directory's JWKS (OB Directory, CDR Register), as an object or JSON text. Required. */
  ssaJwks: JwksInput;
  /** The bank's OpenID discovery document (object or JSON text), for cross-checks. Default: none (no cross-checks). */
  discovery?: object | string;
  /** The validation time in Unix seconds (an integer). Default: the current time. */
  now?: number;
  /** Tolerated clock difference in seconds. Default: `60`. */
  clockSkew?: number;
  /** Maximum `exp − iat` of the request in seconds, `null` for none. Default: `3600` for UK profiles, none for `au-cdr`. */
  maxRequestLifetime?: number | null;
  /** Maximum age of the SSA (`now − iat`) in seconds. Default: none. */
  maxSsaAge?: number;
  /**
   * What each documented real-world deviation is. Default: `'interop'`: a preset, or a preset
   * plus per-rule overrides keyed by rule id (a finding's `rule`) or finding code.
   * `interop` accepts what conformant participants and the trust anchors send; `spec` is the
   * letter of the specifications; `mock` is what the ACCC mock and the WSO2/ForgeRock samples
   * accept. Decisions that protect the bank are errors in every preset.
   */
  policy?: PolicyPreset | { preset?: PolicyPreset; rules?: Partial<Record<PolicyRuleId | FindingCode, PolicyDecision>> };
  /** @deprecated The 0.1 alias of `policy`: `strict` = `spec`, `lenient` = `mock`. */
  mode?: 'strict' | 'lenient';
  /** Trusted SSA issuers. Default: `['OpenBanking Ltd']` for UK profiles, `['cdr-register']` for `au-cdr`. */
  trustedSsaIssuers?: readonly string[];
  /** Accepted request algorithms. Default: both (`PS256`, `ES256`). */
  algorithms?: AlgorithmList;
  /** Register (POST /register) or update (PUT /register/{clientId}). Default: `{ kind: 'register' }`. */
  operation?: { kind: 'register' } | { kind: 'update'; clientId: string };
  /** Subject DN (RFC 4514) of the presented TLS client certificate, for the mTLS checks. Default: none (not checked). */
  clientCertSubjectDn?: string;
  /** Expected SSA `software_environment` (UK). Default: any. */
  softwareEnvironment?: string;
  /**
   * Hosts {@link checkRegistration} may fetch the software key set from (`['*']`: any public
   * host name). The fetch guard is always on: https on the default port, no IP literal or
   * internal name; a statement naming any other URL gets the finding `jwks.url_refused` and
   * `fetchJwks` is never called. Default: the OB keystore hosts for UK profiles, any public host
   * name for `au-cdr`.
   */
  jwksHosts?: readonly string[];
  /** Signature backend. Default: `'host'`. `'wasm'` only in `dcr-guard/sync` (elsewhere it throws `ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE`). */
  crypto?: CryptoBackend;
}

/**
 * Who does the signature arithmetic. `'host'` (the default) is the runtime's own crypto:
 * `node:crypto` in Node for every function, WebCrypto in browsers and workerd for the
 * asynchronous ones ({@link checkRegistration}, {@link verifyJwsAsync}; the synchronous
 * functions there need `dcr-guard/sync`, whose module verifies in wasm). `'wasm'` is the
 * pure-Rust backend of `dcr-guard/sync`. Parsing, policy, key validation and findings are the
 * same either way, and so are the results (the package's differential tests check it).
 */
export type CryptoBackend = 'host' | 'wasm';

/** Options of {@link verifyJws} and {@link verifyJwsAsync}. */
export interface VerifyOptions {
  /** Accepted algorithms. Default: both (`PS256`, `ES256`). */
  algorithms?: AlgorithmList;
  /** Signature backend. Default: `'host'`. */
  crypto?: CryptoBackend;
}

/** Options of {@link init}. */
export interface InitOptions {
  /**
   * Where the module is, for a bundler that does not copy it (esbuild, Rollup) or a page that
   * serves it elsewhere: a URL (string, resolved against the page, or `URL`), a `Response` (or a
   * promise of one), the bytes, or a compiled `WebAssembly.Module`. Default: the package's own
   * `dist/…_bg.wasm`, located with `new URL(…, import.meta.url)`.
   */
  wasm?: string | GlobalInstance<'URL'> | GlobalInstance<'Response'> | PromiseLike<GlobalInstance<'Response'>> | ArrayBuffer | ArrayBufferView | WasmModule;
}

/**
 * The instance type of the global class `K` where the program declares it (lib "dom", lib
 * "webworker" or @types/node), else `never`: these declarations need no DOM types themselves.
 */
type GlobalInstance<K extends PropertyKey> = typeof globalThis extends { [P in K]: abstract new (...args: any) => infer I } ? I : never;
/** `WebAssembly.Module` where the program declares it, else `never`. */
type WasmModule = typeof globalThis extends { WebAssembly: { Module: abstract new (...args: any) => infer M } } ? M : never;

/**
 * Loads, compiles and instantiates the module once; later calls resolve at once (their options
 * are then ignored). Every asynchronous function calls it first, so it is needed only for a
 * synchronous call in a browser (`decodeJws`, and `dcr-guard/sync`'s functions), to load early,
 * or to say where the module is. Rejects with `ERR_DCR_GUARD_WASM_LOAD` (the cause attached) if
 * the module cannot be loaded; a later call tries again. In Node and workerd the synchronous
 * functions load it themselves.
 *
 * @example
 * ```js
 * import { init, decodeJws } from 'dcr-guard';
 * await init(); // or init({ wasm: '/assets/dcr_guard_wasm_web_bg.wasm' })
 * decodeJws(token);
 * ```
 */
export declare function init(options?: InitOptions): Promise<void>;

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

/**
 * Thrown (or the rejection) for caller mistakes (bad options, a bad directory JWKS) and for the
 * package's own faults (a module that cannot be loaded); never for a bad token.
 */
export declare class DcrGuardError extends Error {
  /**
   * e.g. `ERR_DCR_GUARD_CONFIG_PROFILE_UNKNOWN`, `ERR_DCR_GUARD_INVALID_ARGUMENT`,
   * `ERR_DCR_GUARD_WASM_LOAD`, `ERR_DCR_GUARD_NOT_INITIALISED`,
   * `ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE` (docs/error-codes.md).
   */
  readonly code: string;
}

/**
 * Verifies a compact JWS against a JWKS. The algorithm comes from `algorithms`, never from the
 * token; `none`, `HS*` and `RS*` are always refused. Synchronous: in browsers and workerd it
 * needs `dcr-guard/sync` (from `dcr-guard` it throws `ERR_DCR_GUARD_WASM_CRYPTO_UNAVAILABLE`;
 * use {@link verifyJwsAsync} there).
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
 * verifies with WebCrypto (each key imported once and reused); in Node with node:crypto. Loads
 * the module first if needed.
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
 * `ERR_DCR_GUARD_JWS_MALFORMED`) when it is not a compact JWS. In browsers, after {@link init}.
 *
 * @example
 * ```js
 * import { decodeJws } from 'dcr-guard';
 * const { header, payload } = decodeJws(token); // verified: false
 * ```
 */
export declare function decodeJws(token: string): DecodeResult;

/**
 * Validates a registration request completely, with both key sets given. Synchronous: in
 * browsers and workerd it needs `dcr-guard/sync` (use {@link checkRegistration} with `dcr-guard`).
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
export declare function validateRegistration(
  token: string,
  options: RegistrationOptions & {
    /** The software's JWKS (the one the SSA's `software_jwks_endpoint` serves). Required. */
    softwareJwks: JwksInput;
  },
): Report;

/**
 * Phase 1 of a check for hosts that fetch: verifies the software statement and says which
 * software JWKS to fetch (only when the statement verified). Synchronous: in browsers and
 * workerd it needs `dcr-guard/sync`.
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
  options: RegistrationOptions & {
    /**
     * Fetches the software JWKS at `url` (the verified SSA's `software_jwks_endpoint`); `kid` is
     * the request's key ID, for a cache. Required.
     */
    fetchJwks: (url: string, hint: { kid: string | null }) => Promise<JwksInput> | JwksInput;
  },
): Promise<Report>;
