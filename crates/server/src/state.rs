//! What every handler shares: the store, the settings and the server key.

use std::sync::Arc;

use duban_core::date::Date;
use duban_store::Store;

use crate::auth::Keys;
use crate::error::AppError;
use crate::settings::Settings;

/// The application state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The settings.
    pub settings: Arc<Settings>,
    /// The key CSRF tokens are made with.
    pub(crate) keys: Arc<Keys>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The state over a store: reads the session key from the store's settings, creating it on
    /// first start.
    ///
    /// # Errors
    /// [`AppError::Internal`] when the store cannot be read or written.
    pub async fn new(store: Store, settings: Settings) -> Result<AppState, AppError> {
        let secret = store.session_secret().await?;
        Ok(AppState::with_secret(store, settings, secret.as_bytes()))
    }

    /// The state with a given session key (tests).
    pub fn with_secret(store: Store, settings: Settings, secret: &[u8]) -> AppState {
        AppState {
            store,
            settings: Arc::new(settings),
            keys: Arc::new(Keys::new(secret)),
        }
    }

    /// The date the server judges by: the settings' as-of date, else today in China Standard
    /// Time.
    pub fn today(&self) -> Date {
        self.settings.as_of.unwrap_or_else(|| {
            let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
            time::OffsetDateTime::now_utc().to_offset(offset).date()
        })
    }
}
