// The core's option names and limits, generated from crates/core by
// crates/core/tests/docs_generated.rs (a test keeps this file equal to the Rust tables; after a
// deliberate change run DCR_GUARD_BLESS=1 cargo test -p dcr-guard-core --test docs_generated).
// <generated:js-tables>
/** The validator's options (camelCase), as the core reads them. */
export const CONFIG_OPTIONS = ['profile', 'issuer', 'audiences', 'policy', 'mode', 'trustedSsaIssuers', 'clockSkew', 'maxRequestLifetime', 'maxLifetime', 'maxSsaAge', 'algorithms', 'discovery', 'softwareEnvironment', 'jwksHosts'];
/** The options that describe each request, passed apart from the configuration. */
export const REQUEST_OPTIONS = ['operation', 'clientCertSubjectDn'];
/** The core's limits (docs/limits.md). */
export const LIMITS = { maxTokenBytes: 65536, maxJsonDepth: 16, maxDocumentBytes: 262144, maxJwksKeys: 64 };
// </generated:js-tables>
