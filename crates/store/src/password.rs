//! Secrets: argon2 password hashes, generated passwords and API tokens. The store keeps only
//! hashes; a generated password or token is shown once, to whoever created it.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::{Result, StoreError};

/// Hashes a password with argon2id and a random salt, as a PHC string.
///
/// # Errors
/// [`StoreError::Invalid`] for an empty password or when hashing fails.
pub fn hash_password(password: &str) -> Result<String> {
    if password.is_empty() {
        return Err(StoreError::invalid("password", "不能为空"));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::invalid("password", e.to_string()))
}

/// Whether `password` matches a PHC string made by [`hash_password`].
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// `n` random characters from an alphabet without look-alikes (no 0/O, 1/l/I).
pub(crate) fn random_text(n: usize) -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::invalid("random", e.to_string()))?;
    // 256 is not a multiple of the alphabet's length; the bias is small and irrelevant at
    // these lengths (over 90 bits for a password, over 190 for a token).
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// A new random password of 16 characters.
///
/// # Errors
/// [`StoreError::Invalid`] when the system has no randomness to give.
pub fn generate_password() -> Result<String> {
    random_text(16)
}

/// A new random API token (`dbn_` and 40 characters).
///
/// # Errors
/// [`StoreError::Invalid`] when the system has no randomness to give.
pub fn generate_token() -> Result<String> {
    Ok(format!("dbn_{}", random_text(40)?))
}

/// How a token is stored: SHA-256 hex (tokens are random, so no salt or stretching is needed).
pub fn token_hash(token: &str) -> String {
    crate::audit::sha256_hex(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_password("秘密 secret").unwrap();
        let b = hash_password("秘密 secret").unwrap();
        assert_ne!(a, b);
        assert!(verify_password("秘密 secret", &a));
        assert!(!verify_password("secret", &a));
        assert!(!verify_password("x", "not a hash"));
        assert_eq!(generate_password().unwrap().len(), 16);
    }
}
