//! A small, strict parser for absolute URIs with an authority (`scheme://host[:port]/...`),
//! enough for redirect URIs, JWKS URLs and other metadata URLs. ASCII only (IRIs must be
//! punycoded / percent-encoded), no whitespace or characters RFC 3986 excludes.

/// The parts of an absolute URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uri<'a> {
    /// Scheme, as written.
    pub scheme: &'a str,
    /// User information before `@`, if any.
    pub userinfo: Option<&'a str>,
    /// Host: a registered name, an IPv4 address or a bracketed IPv6 literal.
    pub host: &'a str,
    /// Port digits, if any.
    pub port: Option<&'a str>,
    /// Path (may be empty).
    pub path: &'a str,
    /// Query without `?`, if any.
    pub query: Option<&'a str>,
    /// Fragment without `#`, if any.
    pub fragment: Option<&'a str>,
}

fn allowed_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&c)
}

/// Parses `s` as an absolute URI with a non-empty host. `None` if it is not one.
pub fn parse(s: &str) -> Option<Uri<'_>> {
    if !s.bytes().all(allowed_char) {
        return None;
    }
    let (scheme, rest) = s.split_once(':')?;
    let rest = rest.strip_prefix("//")?;
    let mut sb = scheme.bytes();
    if !sb.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !sb.all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
    {
        return None;
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, frag)) => (r, Some(frag)),
        None => (rest, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at_checked(i)?,
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) if !u.contains('@') => (Some(u), h),
        Some(_) => return None,
        None => (None, authority),
    };
    let (host, port) = if hostport.starts_with('[') {
        let close = hostport.find(']')?;
        let (h, after) = hostport.split_at_checked(close + 1)?;
        match after.strip_prefix(':') {
            Some(p) => (h, Some(p)),
            None if after.is_empty() => (h, None),
            None => return None,
        }
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit())) {
        return None;
    }
    if !host.starts_with('[') && host.bytes().any(|c| !(c.is_ascii_alphanumeric() || c == b'-' || c == b'.')) {
        return None;
    }
    Some(Uri { scheme, userinfo, host, port, path, query, fragment })
}

impl Uri<'_> {
    /// Whether the scheme is `https` (case-insensitive, RFC 3986 §3.1).
    pub fn is_https(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("https")
    }

    /// Whether the host is an IP literal: bracketed IPv6, or a host whose last label is a
    /// number, which WHATWG URL parsers (browsers, workerd) read as IPv4 (`127.1`, `0x7f.1`,
    /// `2130706433`).
    pub fn host_is_ip(&self) -> bool {
        if self.host.starts_with('[') {
            return true;
        }
        let last = self.host.trim_end_matches('.').rsplit('.').next().unwrap_or_default();
        let numeric = !last.is_empty() && last.bytes().all(|c| c.is_ascii_digit());
        let hex = last.len() > 2
            && last.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x"))
            && last.bytes().skip(2).all(|c| c.is_ascii_hexdigit());
        numeric || hex || last.eq_ignore_ascii_case("0x")
    }

    /// Whether the host is `localhost`, a `*.localhost` name, or a loopback/unspecified address.
    pub fn host_is_local(&self) -> bool {
        let h = self.host.trim_end_matches('.');
        let lower_is = |name: &str| h.eq_ignore_ascii_case(name);
        let ends_localhost =
            h.len() > 10 && h.get(h.len() - 10..).is_some_and(|t| t.eq_ignore_ascii_case(".localhost"));
        lower_is("localhost")
            || ends_localhost
            || h.starts_with("127.")
            || h == "0.0.0.0"
            || h.eq_ignore_ascii_case("[::1]")
            || h.eq_ignore_ascii_case("[0:0:0:0:0:0:0:1]")
            || h == "[::]"
    }
}

/// Which hosts a key set named by a verified statement may be fetched from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostAllowList {
    /// Any public host name on the default port (https, no IP literal or internal name).
    AnyPublicHost,
    /// Only these, each `host` (port 443) or `host:port`, compared case-insensitively. Naming
    /// a host is an explicit choice: a listed entry may be a single-label or internal name, or
    /// use another port (the ACCC mock's `mock-data-recipient:9001`); IP literals and localhost
    /// are refused even when listed.
    Hosts(alloc::vec::Vec<alloc::string::String>),
}

impl HostAllowList {
    /// From the deployment's list: `*` alone (or among others) means any public host.
    pub fn from_list(hosts: &[alloc::string::String]) -> HostAllowList {
        if hosts.iter().any(|h| h == "*") {
            HostAllowList::AnyPublicHost
        } else {
            HostAllowList::Hosts(hosts.iter().map(|h| h.trim().to_ascii_lowercase()).collect())
        }
    }
}

/// The SSRF guard for a URL a verified statement names (a key set, a revocation list, a sector
/// identifier document): `https`, no user info, never an IP literal or localhost; and either a
/// public host *name* on the default port (no single-label or internal name: `.local`,
/// `.internal`, `.lan`, `.corp`, `.home.arpa`) on the allow-list, or a `host:port` the allow-list
/// names explicitly. Returns the lower-case host to fetch from, or why it is refused. Every
/// fetching host (the Worker, the npm package's `checkRegistration`) uses it, so they refuse the
/// same URLs.
pub fn fetch_target(url: &str, allowed: &HostAllowList) -> Result<alloc::string::String, &'static str> {
    let u = parse(url).ok_or("not an absolute URL")?;
    if !u.is_https() {
        return Err("not https");
    }
    if u.userinfo.is_some() {
        return Err("user info in the URL");
    }
    if u.host_is_ip() || u.host_is_local() {
        return Err("an IP address or a local host");
    }
    let host = u.host.trim_end_matches('.').to_ascii_lowercase();
    let port = u.port.unwrap_or("443");
    if let HostAllowList::Hosts(list) = allowed
        && list.iter().any(|entry| match entry.rsplit_once(':') {
            Some((h, p)) => h.trim_end_matches('.') == host && p == port,
            None => entry.trim_end_matches('.') == host && port == "443",
        })
    {
        return Ok(host);
    }
    if port != "443" {
        return Err("a non-default port the allow-list does not name");
    }
    let internal = [".local", ".internal", ".localhost", ".lan", ".home.arpa", ".corp"];
    if !host.contains('.') || internal.iter().any(|s| host.ends_with(s)) {
        return Err("not a public host name");
    }
    match allowed {
        HostAllowList::AnyPublicHost => Ok(host),
        HostAllowList::Hosts(_) => Err("the host is not on the key-set host allow-list"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    /// The fetch guard every fetching host applies: what it refuses, and that the allow-list
    /// decides among public https hosts.
    #[test]
    fn fetch_target_guards_urls() {
        let keystore = HostAllowList::from_list(&["keystore.openbanking.org.uk".to_string()]);
        assert_eq!(
            fetch_target("https://keystore.openbanking.org.uk/a/b.jwks", &keystore).unwrap(),
            "keystore.openbanking.org.uk"
        );
        assert_eq!(
            fetch_target("https://KEYSTORE.openbanking.org.uk./a", &keystore).unwrap(),
            "keystore.openbanking.org.uk"
        );
        for (url, why) in [
            ("http://keystore.openbanking.org.uk/a", "not https"),
            ("https://keystore.openbanking.org.uk:8443/a", "a non-default port the allow-list does not name"),
            ("https://user@keystore.openbanking.org.uk/a", "user info in the URL"),
            ("https://evil.example/a", "the host is not on the key-set host allow-list"),
            ("not a url", "not an absolute URL"),
        ] {
            assert_eq!(fetch_target(url, &keystore), Err(why), "{url}");
        }
        // Naming host:port is explicit: the ACCC mock's docker-compose key set is allowed then, and
        // only on that port; localhost never.
        let mock = HostAllowList::from_list(&["mock-data-recipient:9001".to_string(), "localhost:9001".to_string()]);
        assert_eq!(fetch_target("https://mock-data-recipient:9001/jwks", &mock).unwrap(), "mock-data-recipient");
        assert!(fetch_target("https://mock-data-recipient/jwks", &mock).is_err());
        assert!(fetch_target("https://mock-data-recipient:9002/jwks", &mock).is_err());
        assert_eq!(fetch_target("https://localhost:9001/jwks", &mock), Err("an IP address or a local host"));
        let any = HostAllowList::from_list(&["*".to_string()]);
        assert!(fetch_target("https://adr.example.com.au/jwks", &any).is_ok());
        for url in [
            "https://127.0.0.1/jwks",
            "https://2130706433/jwks",
            "https://[::1]/jwks",
            "https://localhost/jwks",
            "https://a.localhost/jwks",
            "https://intranet/jwks",
            "https://jwks.corp/jwks",
            "https://printer.local/jwks",
            "https://x.home.arpa/jwks",
        ] {
            assert!(fetch_target(url, &any).is_err(), "{url} must be refused");
        }
    }

    #[test]
    fn parses_and_classifies() {
        // (input, parses, https, ip, local, has_fragment)
        let cases: &[(&str, bool, bool, bool, bool, bool)] = &[
            ("https://tpp.example.com/cb", true, true, false, false, false),
            ("HTTPS://tpp.example.com:8443/cb?x=1", true, true, false, false, false),
            ("https://tpp.example.com/cb#frag", true, true, false, false, true),
            ("http://tpp.example.com/cb", true, false, false, false, false),
            ("https://localhost/cb", true, true, false, true, false),
            ("https://app.localhost/cb", true, true, false, true, false),
            ("https://notlocalhost.com/cb", true, true, false, false, false),
            ("https://127.0.0.1/cb", true, true, true, true, false),
            ("https://[::1]:443/cb", true, true, true, true, false),
            ("https://10.1.2.3/", true, true, true, false, false),
            ("https://2130706433/", true, true, true, false, false),
            ("https://0x7f.1/", true, true, true, false, false),
            ("https://user@tpp.example.com/", true, true, false, false, false),
            ("https://tpp.example.com", true, true, false, false, false),
            ("https:///cb", false, false, false, false, false),
            ("/relative/cb", false, false, false, false, false),
            ("https://tpp example.com/", false, false, false, false, false),
            ("https://tpp.example.com/ä", false, false, false, false, false),
            ("https://a@b@c/", false, false, false, false, false),
            ("https://host:port/", false, false, false, false, false),
            ("dr.test.cdrsandbox.gov.au", false, false, false, false, false),
        ];
        for &(input, parses, https, ip, local, frag) in cases {
            let u = parse(input);
            assert_eq!(u.is_some(), parses, "{input}");
            if let Some(u) = u {
                assert_eq!(
                    (u.is_https(), u.host_is_ip(), u.host_is_local(), u.fragment.is_some()),
                    (https, ip, local, frag),
                    "{input}"
                );
            }
        }
    }
}
