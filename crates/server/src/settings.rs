//! The server's typed settings. The binary fills them (defaults, then `DUBAN_` environment
//! variables, then flags); the server only reads them.

use duban_core::date::Date;

/// The store setting that names the issuing office on bulletins (`苏州市人民政府督查室`); without
/// it a bulletin names `{government}人民政府督查室`. `duban serve --office` writes it.
pub const OFFICE_SETTING: &str = "office.name";

/// How the server behaves. `Debug` holds no secrets (the session key lives in the store).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The as-of date for status and work lists; `None` is today (China Standard Time).
    pub as_of: Option<Date>,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// How long a session lasts, in seconds (capped at [`crate::auth::MAX_SESSION_SECS`]).
    pub session_ttl_secs: i64,
    /// The largest request body accepted, in bytes (evidence uploads included).
    pub max_body_bytes: usize,
    /// Failed sign-ins of one (login, address) pair before it has to wait.
    pub login_free_failures: u32,
    /// The longest wait after failed sign-ins, in seconds (the wait doubles up to it).
    pub login_max_delay_secs: i64,
    /// After how many seconds without a failure a pair's count starts again.
    pub login_forget_secs: i64,
    /// Where evidence files are kept, named by their SHA-256; `None` keeps only their references.
    pub evidence_dir: Option<std::path::PathBuf>,
    /// The 催办 sender: SMTP relay, sender address, pace.
    pub reminders: crate::reminders::ReminderSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            as_of: None,
            secure_cookies: false,
            session_ttl_secs: 12 * 3600,
            max_body_bytes: 10 * 1024 * 1024,
            login_free_failures: 4,
            login_max_delay_secs: 15 * 60,
            login_forget_secs: 24 * 3600,
            evidence_dir: None,
            reminders: crate::reminders::ReminderSettings::default(),
        }
    }
}
