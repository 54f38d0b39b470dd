//! Who is asking: sessions for people (a signed cookie), tokens for programs (`Authorization:
//! Bearer`), the login with its rate limit, and the [`CurrentUser`] / [`MaybeUser`] extractors.
//!
//! A session is a cookie `duban_session=v1.<user>.<expires>.<nonce>.<mac>`, where `mac` is
//! HMAC-SHA256 under a key kept in the store's settings (made on first start). Nothing about a
//! session is stored server-side; the user is read from the store on every request, so a
//! disabled account loses its sessions at once. The cookie is `HttpOnly` and `SameSite=Lax`;
//! forms carry a CSRF token derived from the session's nonce ([`crate::csrf`]). JSON endpoints
//! accept only `application/json` bodies, which a cross-site form cannot send.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use duban_core::auth::User;
use duban_core::ids::UserId;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::settings::Settings;
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

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A signed-in session as its cookie carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose session it is.
    pub user_id: UserId,
    /// When it ends (seconds since the Unix epoch).
    pub expires_at: i64,
    /// A random value per session.
    pub nonce: String,
    /// The CSRF token forms of this session carry: an HMAC of the nonce under the server key.
    pub csrf: String,
}

impl Session {
    fn signed_parts(&self) -> [String; 3] {
        [
            self.user_id.0.to_string(),
            self.expires_at.to_string(),
            self.nonce.clone(),
        ]
    }

    fn encode(&self, keys: &Keys) -> String {
        let [user, expires, nonce] = self.signed_parts();
        let mac = keys.mac(&["v1", &user, &expires, &nonce]);
        format!("v1.{user}.{expires}.{nonce}.{mac}")
    }

    fn decode(value: &str, keys: &Keys) -> Option<Session> {
        let mut fields = value.split('.');
        let (version, user, expires, nonce, mac) = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        if version != "v1" || fields.next().is_some() {
            return None;
        }
        let expected = keys.mac(&["v1", user, expires, nonce]);
        if !constant_time_eq(expected.as_bytes(), mac.as_bytes()) {
            return None;
        }
        let session = Session {
            user_id: UserId(user.parse().ok()?),
            expires_at: expires.parse().ok()?,
            nonce: nonce.to_string(),
            csrf: keys.mac(&["csrf", nonce]),
        };
        (session.expires_at > unix_now()).then_some(session)
    }
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
    value: String,
    max_age: i64,
    secure: bool,
}

impl SessionCookie {
    /// The `Set-Cookie` value that starts the session.
    pub fn header(&self) -> HeaderValue {
        cookie_header(&self.value, self.max_age, self.secure)
    }
}

fn cookie_header(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("duban_session=; Path=/; Max-Age=0"))
}

/// The `Set-Cookie` value that ends the session (logout).
pub fn logout_cookie(state: &AppState) -> HeaderValue {
    cookie_header("", 0, state.settings.secure_cookies)
}

/// Counts failed logins per login name and per client address within a window.
pub(crate) struct LoginLimiter {
    per_name: u32,
    per_ip: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (Instant, u32)>>,
}

impl LoginLimiter {
    pub(crate) fn new(settings: &Settings) -> LoginLimiter {
        LoginLimiter {
            per_name: settings.login_failures_per_name,
            per_ip: settings.login_failures_per_ip,
            window: Duration::from_secs(settings.login_window_secs),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(login: &str, ip: Option<IpAddr>) -> Vec<(String, bool)> {
        let mut keys = vec![(format!("name:{login}"), false)];
        if let Some(ip) = ip {
            keys.push((format!("ip:{ip}"), true));
        }
        keys
    }

    fn blocked(&self, login: &str, ip: Option<IpAddr>) -> bool {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, (since, _)| now.duration_since(*since) < self.window);
        Self::keys(login, ip).iter().any(|(key, is_ip)| {
            let limit = if *is_ip { self.per_ip } else { self.per_name };
            map.get(key).is_some_and(|(_, n)| *n >= limit)
        })
    }

    fn failed(&self, login: &str, ip: Option<IpAddr>) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in Self::keys(login, ip) {
            map.entry(key).or_insert((now, 0)).1 += 1;
        }
    }

    fn succeeded(&self, login: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("name:{login}"));
    }
}

/// A hash to verify against when the login is unknown, so that unknown and known logins take
/// the same time.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| duban_store::password::hash_password("duban-dummy").unwrap_or_default())
}

/// Signs in by login name and password (per-name rate limit only; prefer [`login_from`] where
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

/// Signs in from a client address: checks the rate limit (failures per login name and per
/// address), verifies the argon2 hash off the async threads, and makes a session cookie.
///
/// # Errors
/// [`AppError::BadRequest`] naming `login` or `password` when one is empty,
/// [`AppError::TooManyRequests`] over the limit, [`AppError::Unauthorized`] for a wrong login or
/// password or a disabled account (one answer for all, so accounts cannot be probed),
/// [`AppError::Internal`] when the store fails.
pub async fn login_from(
    state: &AppState,
    client: Option<IpAddr>,
    login: &str,
    password: &str,
) -> Result<SessionCookie, AppError> {
    let login = login.trim();
    if login.is_empty() {
        return Err(AppError::bad_request("login", "请填写用户名"));
    }
    if password.is_empty() {
        return Err(AppError::bad_request("password", "请填写密码"));
    }
    if state.limiter.blocked(login, client) {
        return Err(AppError::TooManyRequests);
    }
    let record = state.store.user_by_login(login).await?;
    let hash = record
        .as_ref()
        .map_or_else(|| dummy_hash().to_string(), |r| r.password_hash.clone());
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || {
        duban_store::password::verify_password(&password, &hash)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let record = match record {
        Some(record) if matches && !record.disabled => record,
        _ => {
            state.limiter.failed(login, client);
            tracing::warn!(login, ?client, "failed login");
            return Err(AppError::Unauthorized);
        }
    };
    state.limiter.succeeded(login);
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).map_err(|e| AppError::Internal(e.to_string()))?;
    let nonce = hex(&nonce);
    let session = Session {
        user_id: record.user.id,
        expires_at: unix_now() + state.settings.session_ttl_secs,
        csrf: state.keys.mac(&["csrf", &nonce]),
        nonce,
    };
    Ok(SessionCookie {
        value: session.encode(&state.keys),
        csrf: session.csrf.clone(),
        max_age: state.settings.session_ttl_secs,
        secure: state.settings.secure_cookies,
        session,
        user: record.user,
    })
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
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
}

async fn resolve(parts: &mut Parts, state: &AppState) -> Result<Resolved, AppError> {
    if let Some(resolved) = parts.extensions.get::<Resolved>() {
        return Ok(resolved.clone());
    }
    let mut resolved = Resolved {
        user: None,
        session: None,
    };
    let bearer = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if let Some(token) = bearer {
        match state.store.user_by_token(token.trim()).await? {
            Some(record) => resolved.user = Some(record.user),
            // A wrong token is an error, not anonymity: programs should learn at once.
            None => return Err(AppError::Unauthorized),
        }
    } else if let Some(session) =
        cookie_value(&parts.headers, SESSION_COOKIE).and_then(|v| Session::decode(v, &state.keys))
    {
        match state.store.user(session.user_id).await {
            Ok(record) if !record.disabled => {
                resolved.user = Some(record.user);
                resolved.session = Some(session);
            }
            Ok(_) | Err(duban_store::StoreError::NotFound { .. }) => {}
            Err(other) => return Err(other.into()),
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
