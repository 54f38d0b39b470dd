//! duban's web application: the public portal and internal pages ([`pages`]), the JSON API
//! under `/api/v1` with its OpenAPI document ([`api`]), sessions and tokens ([`auth`], [`csrf`]).
//!
//! Why it is built so:
//! - **One router, driven by tests as it is.** [`router`] is a plain function of an
//!   [`AppState`]; tests call it with `oneshot` on a temporary SQLite store, and the binary
//!   serves the same router.
//! - **One permission rule.** Every handler maps its request to a [`duban_core::auth::Action`]
//!   and calls [`duban_core::auth::authorize`]; the server never restates who may do what.
//! - **Its own response types.** The API answers with types of this crate, converted from the
//!   store's rows and the domain's values, so the published API does not move when internals do.
//! - **One error format.** Every failure is an [`AppError`], JSON under `/api`, naming the field
//!   at fault; nothing is changed by a failed request (the store's writes are transactions).

pub mod api;
pub mod auth;
pub mod csrf;
pub mod demo;
pub mod error;
pub mod evidence;
pub mod intake;
pub mod opendata;
pub mod pages;
pub mod reminders;
pub mod settings;
pub mod state;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use tracing::Instrument;

pub use error::{AppError, AppResult};
pub use settings::Settings;
pub use state::AppState;

/// The whole application: pages, the API, `/healthz`, with a tracing span per request and the
/// body size limit of the settings.
pub fn router(state: AppState) -> Router {
    let limit = state.settings.max_body_bytes;
    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", api::v1::routes())
        .merge(pages::routes().layer(middleware::from_fn_with_state(
            state.clone(),
            pages::error::with_chrome,
        )))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::guard))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(trace_request))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// Liveness: `ok` while the server runs.
async fn healthz() -> &'static str {
    "ok"
}

/// The Content Security Policy of every answer: scripts and everything else only from this
/// server (the inline `style` attributes of the templates are allowed), never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";

/// Security headers on every answer (pages, files and the API): CSP, no framing, no content
/// sniffing, and referrers only to this site (so our own form posts carry one).
async fn security_headers(request: Request, next: Next) -> Response {
    use axum::http::HeaderValue;
    use axum::http::header::{
        CONTENT_SECURITY_POLICY as CSP, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
    };
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CSP, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// One span per request, named by its matched route (so `/api/v1/commitments/{id}` groups all
/// commitments), with the status and duration logged when it ends.
async fn trace_request(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let span = tracing::info_span!("request", method = %request.method(), route = %route);
    let started = std::time::Instant::now();
    async move {
        let response = next.run(request).await;
        tracing::info!(
            status = response.status().as_u16(),
            micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            "done"
        );
        response
    }
    .instrument(span)
    .await
}

/// Serves the application on a bound listener until `shutdown` completes, then lets requests
/// in flight finish (graceful shutdown). The client address is made available to handlers
/// (the login rate limit counts per address). The 催办 sender ([`reminders`]) runs beside it
/// while it serves, unless the settings switch it off.
///
/// # Errors
/// The listener's IO errors.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sender = state
        .settings
        .reminders
        .enabled
        .then(|| reminders::spawn(state.clone()));
    let served = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    if let Some(sender) = sender {
        sender.abort();
    }
    served
}
