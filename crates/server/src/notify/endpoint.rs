//! Where the push sender may POST: https URLs on public addresses, so that a subscription
//! cannot make the server reach its own network. `localhost` and literal loopback, private,
//! link-local, unspecified (and other non-public) addresses are refused when a phone
//! subscribes; a public name is taken without resolving it (the server may have no DNS at that
//! moment), and checked again when sent to: the addresses it resolves to are filtered by the
//! same rule before a connection is made ([`PublicOnly`]). An operator may allow a host (and
//! port) with `--allow-push-endpoint HOST[:PORT]` (tests: a local endpoint), which is then also
//! allowed over plain http.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;

use url::{Host, Url};

/// A host an operator allows, with its port if they named one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHost {
    host: String,
    port: Option<u16>,
}

impl FromStr for AllowedHost {
    type Err = String;

    /// `HOST` or `HOST:PORT` (an IPv6 address in brackets: `[::1]:9000`).
    fn from_str(text: &str) -> Result<AllowedHost, String> {
        let parsed = Url::parse(&format!("http://{text}/"))
            .map_err(|error| format!("{text:?} is not HOST[:PORT]: {error}"))?;
        let host = parsed
            .host_str()
            .filter(|host| !host.is_empty())
            .ok_or_else(|| format!("{text:?} names no host"))?;
        if parsed.path() != "/" || !parsed.username().is_empty() {
            return Err(format!("{text:?} is not HOST[:PORT]"));
        }
        Ok(AllowedHost {
            host: host.to_ascii_lowercase(),
            port: parsed.port(),
        })
    }
}

/// The endpoints this server may push to.
#[derive(Debug, Clone, Default)]
pub struct EndpointPolicy {
    allowed: Vec<AllowedHost>,
}

/// The most characters of an endpoint (push services' are a few hundred).
const ENDPOINT_MAX: usize = 2048;

impl EndpointPolicy {
    pub fn new(allowed: Vec<AllowedHost>) -> EndpointPolicy {
        EndpointPolicy { allowed }
    }

    /// The endpoint as a URL, if the server may push to it; else why not.
    pub fn check(&self, endpoint: &str) -> Result<Url, &'static str> {
        if endpoint.len() > ENDPOINT_MAX {
            return Err("the endpoint is too long");
        }
        let url = Url::parse(endpoint).map_err(|_| "the endpoint is not a URL")?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err("the endpoint may not carry credentials");
        }
        let allowed = self.allows(&url);
        match url.scheme() {
            "https" => {}
            "http" if allowed => {}
            _ => return Err("the endpoint must be an https URL"),
        }
        if allowed {
            return Ok(url);
        }
        match url.host() {
            Some(Host::Domain(name)) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                if name == "localhost" || name.ends_with(".localhost") || !name.contains('.') {
                    return Err("the endpoint must be on a public host");
                }
            }
            Some(Host::Ipv4(ip)) if !is_public(IpAddr::V4(ip)) => {
                return Err("the endpoint must be on a public address")
            }
            Some(Host::Ipv6(ip)) if !is_public(IpAddr::V6(ip)) => {
                return Err("the endpoint must be on a public address")
            }
            Some(_) => {}
            None => return Err("the endpoint names no host"),
        }
        Ok(url)
    }

    /// Whether the operator allowed this URL's host (and port).
    fn allows(&self, url: &Url) -> bool {
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
            return false;
        };
        self.allowed.iter().any(|allowed| {
            allowed.host == host && allowed.port.is_none_or(|port| url.port() == Some(port))
        })
    }

    /// Whether the operator allowed `host` (a name as resolved at send time).
    fn allows_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        self.allowed.iter().any(|allowed| allowed.host == host)
    }
}

/// Whether `ip` is an address on the public internet: not loopback, private, link-local,
/// unspecified, shared (CGNAT), multicast, broadcast, documentation or reserved; an IPv4
/// address written as IPv6 (mapped, compatible, NAT64) as its IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => {
            if let Some(v4) = ip.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let segments = ip.segments();
            // ::a.b.c.d (deprecated compatible form) and 64:ff9b::a.b.c.d (NAT64).
            let embedded = Ipv4Addr::from((u32::from(segments[6]) << 16) | u32::from(segments[7]));
            if segments[..6] == [0; 6] || segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return !ip.is_unspecified() && !ip.is_loopback() && is_public_v4(embedded);
            }
            !(ip.is_unspecified()
                || ip.is_loopback()
                || ip.is_multicast()
                // fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local.
                || (segments[0] & 0xfe00) == 0xfc00
                || (segments[0] & 0xffc0) == 0xfe80
                || (segments[0] & 0xffc0) == 0xfec0
                // 2001:db8::/32 documentation.
                || (segments[0] == 0x2001 && segments[1] == 0x0db8))
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // 100.64.0.0/10 shared address space (CGNAT).
        || (a == 100 && (64..128).contains(&b))
        // 192.0.0.0/24 protocol assignments, 198.18.0.0/15 benchmarking, 240.0.0.0/4 reserved.
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

/// A resolver that hands the HTTP client only addresses the server may contact: a name that
/// resolves to private addresses (at send time, whatever it was at subscription) is never
/// connected to, unless its host is allowed.
pub struct PublicOnly {
    pub policy: EndpointPolicy,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let allowed = self.policy.allows_host(&host);
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let usable: Vec<SocketAddr> = found
                .filter(|address| allowed || is_public(address.ip()))
                .collect();
            if usable.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            Ok(Box::new(usable.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// What `is_public` refuses, for the tests here and the API's.
#[cfg(test)]
pub const NOT_PUBLIC: &[&str] = &[
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",
    "100.64.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::127.0.0.1",
    "64:ff9b::a00:1",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(policy: &EndpointPolicy, endpoint: &str) -> bool {
        policy.check(endpoint).is_err()
    }

    #[test]
    fn only_public_addresses_are_public() {
        for text in NOT_PUBLIC {
            assert!(!is_public(text.parse().unwrap()), "{text}");
        }
        for text in [
            "8.8.8.8",
            "203.208.40.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(text.parse().unwrap()), "{text}");
        }
    }

    #[test]
    fn subscriptions_are_to_https_on_public_hosts() {
        let policy = EndpointPolicy::default();
        assert!(policy
            .check("https://fcm.googleapis.com/fcm/send/abc:def")
            .is_ok());
        assert!(policy.check("https://203.208.40.1/push/1").is_ok());
        for endpoint in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "http://127.0.0.1:8080/push",
            "https://127.0.0.1/push",
            "https://10.0.0.1/push",
            "https://[::1]/push",
            "https://[::ffff:10.0.0.1]/push",
            "https://[fe80::1]/push",
            "https://0.0.0.0/push",
            "https://localhost/push",
            "https://push.localhost/",
            "https://intranet/push",
            "https://2130706433/push",
            "https://0x7f.1/push",
            "https://user:pw@push.example.com/",
            "ftp://push.example.com/",
            "not a url",
            "",
        ] {
            assert!(refused(&policy, endpoint), "{endpoint}");
        }
    }

    #[test]
    fn an_allowed_host_may_be_private_and_plain_http() {
        let policy = EndpointPolicy::new(vec!["127.0.0.1:9000".parse().unwrap()]);
        assert!(policy.check("http://127.0.0.1:9000/push/1").is_ok());
        assert!(policy.check("https://127.0.0.1:9000/push/1").is_ok());
        assert!(
            refused(&policy, "http://127.0.0.1:9001/push/1"),
            "another port"
        );
        assert!(refused(&policy, "http://10.0.0.1:9000/push/1"));
        let any_port = EndpointPolicy::new(vec!["localhost".parse().unwrap()]);
        assert!(any_port.check("http://localhost:1234/").is_ok());
        let v6 = EndpointPolicy::new(vec!["[::1]:9000".parse().unwrap()]);
        assert!(v6.check("http://[::1]:9000/p").is_ok());
        assert!("http://x".parse::<AllowedHost>().is_err());
        assert!("host/path".parse::<AllowedHost>().is_err());
    }
}
