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

#[cfg(test)]
mod tests {
    use super::*;

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
