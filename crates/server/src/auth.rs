//! Who is asking: sessions for people (a cookie naming a server-side session), tokens for
//! programs (`Authorization: Bearer`), the throttled login, and the [`CurrentUser`] /
//! [`MaybeUser`] extractors.
//!
//! A session is a row in the store ([`duban_store::sessions`]) found by the SHA-256 of the
//! random secret the cookie `duban_session` carries. Its end is fixed by the server at sign-in
//! (at most [`MAX_SESSION_SECS`]); logout, a password change and disabling the account end it
//! at once. The cookie is `HttpOnly` and `SameSite=Lax`; every state-changing request it
//! authenticates needs the session's CSRF token and a same-origin `Origin`/`Referer`
//! ([`crate::csrf`]). Failed sign-ins are throttled per (login, address) with growing delays,
//! counted in the database.

use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use duban_core::auth::User;
use duban_core::ids::UserId;
use duban_core::text;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "duban_session";

/// HMAC-SHA256 (RFC 2104) over `parts`, joined by `|`.
fn hmac(key: &[u8; 64], parts: &[&str]) -> [u8; 32] {
    let mut inner = Sha256::new();
    inner.update(key.map(|b| b ^ 0x36));
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            inner.update(b"|");
        }
        inner.update(part.as_bytes());
    }
    let mut outer = Sha256::new();
    outer.update(key.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two byte strings in time independent of where they differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session signing key, padded to SHA-256's block (keys longer than a block are hashed).
pub(crate) struct Keys {
    key: [u8; 64],
}

impl Keys {
    pub(crate) fn new(secret: &[u8]) -> Keys {
        let mut key = [0u8; 64];
        if secret.len() > 64 {
            key[..32].copy_from_slice(&Sha256::digest(secret));
        } else {
            key[..secret.len()].copy_from_slice(secret);
        }
        Keys { key }
    }

    pub(crate) fn mac(&self, parts: &[&str]) -> String {
        hex(&hmac(&self.key, parts))
    }
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The longest a session may last, whatever the settings say: the server fixes a session's end
/// when it starts, and nothing a client sends can move it.
pub const MAX_SESSION_SECS: i64 = 24 * 3600;

/// A signed-in session: a row in the store, found by the secret its cookie carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The session's row id.
    pub id: i64,
    /// Whose session it is.
    pub user_id: UserId,
    /// When it ends (seconds since the Unix epoch), fixed at sign-in.
    pub expires_at: i64,
    /// The CSRF token forms and API writes of this session carry: an HMAC of the secret.
    pub csrf: String,
    secret: String,
}

/// A new session cookie, returned by [`login`]: set it with [`SessionCookie::header`].
#[derive(Debug, Clone)]
pub struct SessionCookie {
    /// The session.
    pub session: Session,
    /// The signed-in user.
    pub user: User,
    /// The CSRF token of the session.
    pub csrf: String,
    max_age: i64,
    secure: bool,
}

impl SessionCookie {
    /// The `Set-Cookie` value that starts the session.
    pub fn header(&self) -> HeaderValue {
        cookie_header(&self.session.secret, self.max_age, self.secure)
    }
}

fn cookie_header(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("duban_session=; Path=/; Max-Age=0"))
}

/// The `Set-Cookie` value that clears the session cookie (logout).
pub fn logout_cookie(state: &AppState) -> HeaderValue {
    cookie_header("", 0, state.settings.secure_cookies)
}

/// Ends the session the request's cookie names, if any (logout): the cookie stops working at
/// once, also where a copy of it was kept.
///
/// # Errors
/// [`AppError::Internal`] when the store fails.
pub async fn end_session(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(secret) = cookie_value(headers, SESSION_COOKIE).filter(|v| !v.is_empty()) {
        state.store.end_session(secret).await?;
    }
    Ok(())
}

/// The throttle's delay after `failures` failed sign-ins of one (login, address) pair: none
/// for the first `free`, then 30 seconds, doubling with each further failure up to `max`.
pub fn login_delay(failures: i64, free: i64, max: i64) -> i64 {
    if failures <= free {
        return 0;
    }
    let doublings = u32::try_from((failures - free - 1).min(20)).unwrap_or(20);
    30i64.saturating_mul(1i64 << doublings).min(max)
}

/// A hash to verify against when the login is unknown, so that unknown and known logins take
/// the same time.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| duban_store::password::hash_password("duban-dummy").unwrap_or_default())
}

/// Signs in by login name and password, from an unknown address (prefer [`login_from`] where
/// the client address is known).
///
/// # Errors
/// See [`login_from`].
pub async fn login(
    state: &AppState,
    login: &str,
    password: &str,
) -> Result<SessionCookie, AppError> {
    login_from(state, None, login, password).await
}

/// What a sign-in to a disabled account is told (with the right password only).
pub const ACCOUNT_DISABLED: &str = "该账号已停用，不能登录，请联系系统管理员";

/// Signs in from a client address: checks the throttle of the (login, address) pair, verifies
/// the argon2 hash off the async threads, and starts a server-side session.
///
/// # Errors
/// [`AppError::BadRequest`] naming `login` or `password` when one is empty or not acceptable
/// text, [`AppError::TooManyRequests`] (with the seconds to wait) while the pair is throttled,
/// [`AppError::BadCredentials`] for a wrong login or password (one answer for both, so accounts
/// cannot be probed), [`AppError::Forbidden`] ([`ACCOUNT_DISABLED`]) for the right password of a
/// disabled account, [`AppError::Internal`] when the store fails.
pub async fn login_from(
    state: &AppState,
    client: Option<IpAddr>,
    login: &str,
    password: &str,
) -> Result<SessionCookie, AppError> {
    if login.trim().is_empty() {
        return Err(AppError::bad_request("login", "请填写用户名"));
    }
    if password.is_empty() {
        return Err(AppError::bad_request("password", "请填写密码"));
    }
    let login = text::LOGIN.check(login)?;
    let password = text::PASSWORD.check(password)?;
    let address = client.map_or_else(|| "-".to_string(), |ip| ip.to_string());
    let now = unix_now();
    if let Some(throttle) = state.store.login_throttle(&login, &address).await?
        && throttle.blocked_until > now
    {
        return Err(AppError::TooManyRequests {
            retry_after: u64::try_from(throttle.blocked_until - now).unwrap_or(1),
        });
    }
    let record = state.store.user_by_login(&login).await?;
    let hash = record
        .as_ref()
        .map_or_else(|| dummy_hash().to_string(), |r| r.password_hash.clone());
    let matches = tokio::task::spawn_blocking(move || {
        duban_store::password::verify_password(&password, &hash)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let record = match record {
        Some(record) if matches && !record.disabled => record,
        // The right password of a disabled account: say so (only someone who knows the
        // password learns it), and count it like any refused sign-in.
        Some(record) if matches => {
            let settings = &state.settings;
            let (free, max) = (
                i64::from(settings.login_free_failures),
                settings.login_max_delay_secs,
            );
            state
                .store
                .login_failed(&login, &address, now, settings.login_forget_secs, |n| {
                    login_delay(n, free, max)
                })
                .await?;
            tracing::warn!(login, %address, user = record.user.id.0, "sign-in to a disabled account");
            return Err(AppError::Forbidden(ACCOUNT_DISABLED.to_string()));
        }
        _ => {
            let settings = &state.settings;
            let (free, max) = (
                i64::from(settings.login_free_failures),
                settings.login_max_delay_secs,
            );
            let throttle = state
                .store
                .login_failed(&login, &address, now, settings.login_forget_secs, |n| {
                    login_delay(n, free, max)
                })
                .await?;
            tracing::warn!(login, %address, failures = throttle.failures, "failed login");
            return Err(AppError::BadCredentials);
        }
    };
    state.store.login_succeeded(&login, &address).await?;
    let ttl = state.settings.session_ttl_secs.clamp(60, MAX_SESSION_SECS);
    let expires_at = now + ttl;
    let secret = state
        .store
        .create_session(record.user.id, now, expires_at)
        .await?;
    let session = Session {
        id: 0,
        user_id: record.user.id,
        expires_at,
        csrf: state.keys.mac(&["csrf", &secret]),
        secret,
    };
    Ok(SessionCookie {
        csrf: session.csrf.clone(),
        max_age: ttl,
        secure: state.settings.secure_cookies,
        session,
        user: record.user,
    })
}

pub(crate) fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Who a request comes from, resolved once per request and kept in its extensions.
#[derive(Debug, Clone)]
struct Resolved {
    user: Option<User>,
    session: Option<Session>,
    token: Option<i64>,
}

async fn resolve(parts: &mut Parts, state: &AppState) -> Result<Resolved, AppError> {
    if let Some(resolved) = parts.extensions.get::<Resolved>() {
        return Ok(resolved.clone());
    }
    let mut resolved = Resolved {
        user: None,
        session: None,
        token: None,
    };
    let bearer = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if let Some(token) = bearer {
        match state.store.token_owner(token.trim()).await? {
            Some((id, record)) => {
                resolved.user = Some(record.user);
                resolved.token = Some(id);
            }
            // A wrong token is an error, not anonymity: programs should learn at once.
            None => return Err(AppError::Unauthorized),
        }
    } else if let Some(secret) =
        cookie_value(&parts.headers, SESSION_COOKIE).filter(|v| !v.is_empty())
    {
        let now = unix_now();
        if let Some(row) = state.store.session(secret, now).await? {
            // A row that ends later than any session may (a restored or edited database) is
            // not honoured.
            if row.expires_at <= now + MAX_SESSION_SECS {
                resolved.session = Some(Session {
                    id: row.id,
                    user_id: row.user.user.id,
                    expires_at: row.expires_at,
                    csrf: state.keys.mac(&["csrf", secret]),
                    secret: secret.to_string(),
                });
                resolved.user = Some(row.user.user);
            }
        }
    }
    parts.extensions.insert(resolved.clone());
    Ok(resolved)
}

/// The signed-in user; answers 401 when there is none.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        resolve(parts, state)
            .await?
            .user
            .map(CurrentUser)
            .ok_or(AppError::Unauthorized)
    }
}

/// The signed-in user, if any (public pages that show more to those signed in).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<User>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(MaybeUser(resolve(parts, state).await?.user))
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    /// The cookie session of the request; 401 when there is none (token requests have none).
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        resolve(parts, state)
            .await?
            .session
            .ok_or(AppError::Unauthorized)
    }
}

/// The id of the API token a request is authenticated by, if it is (none for cookie sessions).
#[derive(Debug, Clone, Copy)]
pub struct BearerToken(pub Option<i64>);

impl FromRequestParts<AppState> for BearerToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(BearerToken(resolve(parts, state).await?.token))
    }
}

/// Whether the request carries a bearer token (whatever its worth): such requests are not
/// cookie-authenticated and need no CSRF token.
pub(crate) fn has_bearer(headers: &HeaderMap) -> bool {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "))
}

/// The session cookie's value, if the request carries a non-empty one.
pub(crate) fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    cookie_value(headers, SESSION_COOKIE).filter(|v| !v.is_empty())
}

/// The session of a request (resolved once and kept), for middleware.
pub(crate) async fn session_of(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<Session>, AppError> {
    Ok(resolve(parts, state).await?.session)
}

/// The client's address, when the server was started with connect info (the real server is;
/// `oneshot` tests are not).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip()),
        ))
    }
}
