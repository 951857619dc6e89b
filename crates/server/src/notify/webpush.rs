//! Web Push (RFC 8030) messages: the payload encrypted to the subscription's keys (RFC 8291,
//! aes128gcm) and the request signed with the server's VAPID key (RFC 8292, an ES256 JWT), by
//! web-push-native over RustCrypto. The key pair is made once and kept in the database
//! (`server_keys`): a browser's subscription is bound to the public key it was made with.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use web_push_native::p256::PublicKey;
use web_push_native::{Auth, WebPushBuilder};

/// Who runs this server, for push services (VAPID's `sub`).
const CONTACT: &str = "mailto:admin@microwish.invalid";

/// How long a VAPID signature is valid (push services refuse more than 24 hours).
const SIGNATURE_VALID: Duration = Duration::from_secs(12 * 60 * 60);

/// The server's VAPID key pair.
pub struct Vapid {
    pair: ES256KeyPair,
    public: String,
}

/// base64url, padded or not (browsers send it unpadded).
fn decode(text: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| "not base64url".to_owned())
}

impl Vapid {
    /// A new private key, as it is kept (base64url of the scalar).
    pub fn new_secret() -> String {
        URL_SAFE_NO_PAD.encode(ES256KeyPair::generate().to_bytes())
    }

    pub fn from_secret(secret: &str) -> Result<Vapid, String> {
        let pair = ES256KeyPair::from_bytes(&decode(secret)?).map_err(|error| error.to_string())?;
        let public = URL_SAFE_NO_PAD.encode(pair.public_key().public_key().to_bytes_uncompressed());
        Ok(Vapid { pair, public })
    }

    /// The public key as phones pass it to `pushManager.subscribe` (the uncompressed point,
    /// base64url).
    pub fn public_key(&self) -> &str {
        &self.public
    }

    /// The push request carrying `payload` to `endpoint`, encrypted to `p256dh`/`auth`: kept a
    /// day by the push service (`TTL`), collapsing with a resend of itself (`Topic`).
    pub fn request(
        &self,
        endpoint: &url::Url,
        keys: &SubscriptionKeys,
        payload: &[u8],
        topic: &str,
        urgent: bool,
    ) -> Result<http::Request<Vec<u8>>, String> {
        let uri: http::Uri = endpoint.as_str().parse().map_err(|_| "bad endpoint")?;
        let builder = WebPushBuilder::new(uri, keys.p256dh, keys.auth)
            .with_valid_duration(SIGNATURE_VALID)
            .with_vapid(&self.pair, CONTACT);
        let mut request = builder
            .build(payload.to_vec())
            .map_err(|error| error.to_string())?;
        let headers = request.headers_mut();
        let ttl = microwish_core::notices::PUSH_TTL.num_seconds();
        headers.insert("ttl", ttl.into());
        headers.insert(
            "topic",
            http::HeaderValue::from_str(topic).map_err(|_| "bad topic")?,
        );
        headers.insert(
            "urgency",
            http::HeaderValue::from_static(if urgent { "high" } else { "normal" }),
        );
        Ok(request)
    }
}

/// A subscription's keys, checked: a P-256 point and a 16-byte secret.
pub struct SubscriptionKeys {
    pub p256dh: PublicKey,
    pub auth: Auth,
}

impl SubscriptionKeys {
    pub fn parse(p256dh: &str, auth: &str) -> Result<SubscriptionKeys, String> {
        let point = PublicKey::from_sec1_bytes(&decode(p256dh)?)
            .map_err(|_| "p256dh is not a P-256 public key".to_owned())?;
        let secret = decode(auth)?;
        if secret.len() != 16 {
            return Err("auth must be 16 bytes".into());
        }
        Ok(SubscriptionKeys {
            p256dh: point,
            auth: Auth::clone_from_slice(&secret),
        })
    }
}

/// A delivery's idempotency key as a push `Topic` (at most 32 base64url characters).
pub fn topic(delivery: &str) -> String {
    match delivery.parse::<uuid::Uuid>() {
        Ok(id) => URL_SAFE_NO_PAD.encode(id.as_bytes()),
        Err(_) => URL_SAFE_NO_PAD.encode(&delivery.as_bytes()[..delivery.len().min(24)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_key_gives_the_same_public_key() {
        let secret = Vapid::new_secret();
        let vapid = Vapid::from_secret(&secret).unwrap();
        let again = Vapid::from_secret(&secret).unwrap();
        assert_eq!(vapid.public_key(), again.public_key());
        assert_eq!(decode(vapid.public_key()).unwrap().len(), 65);
        assert!(Vapid::from_secret("not-a-key").is_err());
    }

    #[test]
    fn keys_must_be_a_point_and_sixteen_bytes() {
        let point = URL_SAFE_NO_PAD.encode(
            web_push_native::p256::SecretKey::random(&mut rand_core())
                .public_key()
                .to_sec1_bytes(),
        );
        let auth = URL_SAFE_NO_PAD.encode([7u8; 16]);
        assert!(SubscriptionKeys::parse(&point, &auth).is_ok());
        assert!(SubscriptionKeys::parse(&point, "c2hvcnQ").is_err());
        assert!(SubscriptionKeys::parse("BAAA", &auth).is_err());
        assert!(SubscriptionKeys::parse("not base64!", &auth).is_err());
        assert_eq!(topic(&uuid::Uuid::nil().to_string()).len(), 22);
    }

    fn rand_core() -> impl web_push_native::p256::elliptic_curve::rand_core::CryptoRngCore {
        web_push_native::p256::elliptic_curve::rand_core::OsRng
    }
}
