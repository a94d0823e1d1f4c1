//! The page's Content-Security-Policy: `default-src 'none'`, with the SHA-256 hashes of the page's own style
//! sheet and script ([`super::assets`]) as the only sources the browser may use.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// A CSP source expression for an inline element's content: `'sha256-…'` with the digest in standard base64.
pub fn hash_source(content: &str) -> String {
    format!("'sha256-{}'", STANDARD.encode(Sha256::digest(content.as_bytes())))
}

/// The policy of a page whose only inline style is `style` and only inline script is `script`.
pub fn policy(style: &str, script: &str) -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        hash_source(style),
        hash_source(script)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_csp_expects_them() {
        // sha256("") in base64.
        assert_eq!(hash_source(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
        assert_eq!(STANDARD.encode("fooba"), "Zm9vYmE=");
    }
}
