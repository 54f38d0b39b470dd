//! The server's typed settings. The binary fills them (defaults, then `DUBAN_` environment
//! variables, then flags); the server only reads them.

use duban_core::date::Date;

/// How the server behaves. `Debug` holds no secrets (the session key lives in the store).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The as-of date for status and work lists; `None` is today (China Standard Time).
    pub as_of: Option<Date>,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// How long a session lasts, in seconds.
    pub session_ttl_secs: i64,
    /// The largest request body accepted, in bytes (evidence uploads included).
    pub max_body_bytes: usize,
    /// Failed logins allowed per login name within the window.
    pub login_failures_per_name: u32,
    /// Failed logins allowed per client address within the window.
    pub login_failures_per_ip: u32,
    /// The rate-limit window, in seconds.
    pub login_window_secs: u64,
    /// Where evidence files are kept, named by their SHA-256; `None` keeps only their references.
    pub evidence_dir: Option<std::path::PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            as_of: None,
            secure_cookies: false,
            session_ttl_secs: 12 * 3600,
            max_body_bytes: 10 * 1024 * 1024,
            login_failures_per_name: 5,
            login_failures_per_ip: 20,
            login_window_secs: 15 * 60,
            evidence_dir: None,
        }
    }
}
