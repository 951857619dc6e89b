//! SMS through the operator's gateway (`--sms-gateway URL --sms-secret-file F`): a JSON POST
//! `{phone, template, params, key}` whose `X-Signature` header is the HMAC-SHA256 of the exact
//! body with the shared secret, in lowercase hex. `template` is the notice's kind (the
//! gateway's template words it), `params` the ids it is about, `key` the delivery's
//! idempotency key: a gateway sees the same key again only for the same message, and should
//! send it once.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The operator's SMS gateway.
#[derive(Clone)]
pub struct SmsGateway {
    pub url: url::Url,
    secret: Vec<u8>,
}

/// What the gateway receives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmsMessage {
    pub phone: String,
    pub template: String,
    pub params: serde_json::Value,
    pub key: String,
}

impl SmsGateway {
    /// The gateway at `url`, signing with the secret in `secret_file` (its trailing newline
    /// is not part of it).
    pub fn new(url: &str, secret_file: &std::path::Path) -> anyhow::Result<SmsGateway> {
        let url = url::Url::parse(url)
            .map_err(|error| anyhow::anyhow!("--sms-gateway {url:?}: {error}"))?;
        let secret = std::fs::read_to_string(secret_file).map_err(|error| {
            anyhow::anyhow!("--sms-secret-file {}: {error}", secret_file.display())
        })?;
        let secret = secret.trim_end_matches(['\n', '\r']).as_bytes().to_vec();
        if secret.len() < 16 {
            anyhow::bail!("the SMS secret must be at least 16 bytes");
        }
        Ok(SmsGateway { url, secret })
    }

    /// The hex HMAC-SHA256 of `body` with the shared secret (`X-Signature`).
    pub fn signature(&self, body: &[u8]) -> String {
        signature(&self.secret, body)
    }
}

/// The hex HMAC-SHA256 of `body` with `secret`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_rfc_4231s_hmac_sha256_in_hex() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
