//! `/api/v1/settings/fulfilment`: the thresholds of the 兑现 verdict rules. Anyone reads them
//! (the 兑现 page states them); an admin changes the office's two (`partly_rate_points`,
//! `partly_amount_percent`), and saving computes the verdicts of every plan with a published
//! next report again ([`duban_store::Store::set_fulfilment_settings`]). [`apply_thresholds`]
//! is the one rule of this API and of the settings page's form.

use axum::Json;
use axum::extract::State;
use duban_core::auth::Action;
use duban_core::fulfilment::Settings;
use duban_store::SettingsChange;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::allow;
use super::extract::ApiBody;
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// The thresholds of the verdict rules in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThresholdsInfo {
    /// Points a 左右 rate may miss and still be 部分兑现 (decimal text; the office's setting).
    pub partly_rate_points: String,
    /// The share of an amount target, in percent, that counts as 部分兑现 (the office's setting).
    pub partly_amount_percent: i64,
    /// Points a 左右 rate may miss and still be 兑现 (fixed, decimal text).
    pub approx_rate_band: String,
    /// Percent a 左右 amount may miss and still be 兑现 (fixed).
    pub approx_amount_percent: i64,
    /// The least match confidence for a verdict other than 未见报告 (fixed).
    pub min_confidence: u8,
    /// The thresholds of 部分兑现 in one sentence, as the 兑现 page states them.
    pub partly_zh: String,
    /// Every threshold in words.
    pub rules_zh: String,
}

impl From<&Settings> for ThresholdsInfo {
    fn from(s: &Settings) -> Self {
        ThresholdsInfo {
            partly_rate_points: s.partly_rate_points.to_string(),
            partly_amount_percent: s.partly_amount_percent,
            approx_rate_band: s.approx_rate_band.to_string(),
            approx_amount_percent: s.approx_amount_percent,
            min_confidence: s.min_confidence,
            partly_zh: s.partly_zh(),
            rules_zh: s.describe_zh(),
        }
    }
}

/// Text or a JSON number, read as text (`"0.5"` or `0.5`), so that one rule checks both.
fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Number(serde_json::Number),
    }
    Ok(match Raw::deserialize(d)? {
        Raw::Text(t) => t,
        Raw::Number(n) => n.to_string(),
    })
}

/// The office's thresholds of 部分兑现.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsRequest {
    /// Points a 左右 rate may miss and be 部分兑现: 0.1 to 5, at most two decimals.
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = String, example = "0.5", max_length = 16)]
    pub partly_rate_points: String,
    /// Percent of an amount target that counts as 部分兑现: a whole number from 50 to 99.
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = String, example = "90", max_length = 16)]
    pub partly_amount_percent: String,
}

/// What saving did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThresholdsSaved {
    /// The thresholds before.
    pub before: ThresholdsInfo,
    /// The thresholds now in force.
    pub thresholds: ThresholdsInfo,
    /// The plan reports whose verdicts were computed again.
    pub recomputed: Vec<i64>,
}

/// The office's thresholds as typed, checked by the domain's rule and saved; every plan with
/// a published next report is computed again. The one rule of the API and of the form.
///
/// # Errors
/// 422 naming `partly_rate_points` or `partly_amount_percent` (nothing written); 500.
pub async fn apply_thresholds(
    state: &AppState,
    actor: &str,
    rate_points: &str,
    amount_percent: &str,
) -> Result<SettingsChange, AppError> {
    let settings = state
        .store
        .fulfilment_settings()
        .await?
        .with_partly(rate_points, amount_percent)
        .map_err(|e| AppError::bad_request(e.field(), e.to_string()))?;
    Ok(state.store.set_fulfilment_settings(actor, settings).await?)
}

/// The thresholds of the 兑现 verdict rules in force (public).
#[utoipa::path(get, path = "/api/v1/settings/fulfilment", tag = "public",
    responses((status = 200, description = "兑现评定的判定标准", body = ThresholdsInfo)))]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> Result<Json<ThresholdsInfo>, AppError> {
    allow(user.as_ref(), &Action::ReadPublic)?;
    let settings = state.store.fulfilment_settings().await?;
    Ok(Json(ThresholdsInfo::from(&settings)))
}

/// Changes the thresholds of 部分兑现 (admin); every plan with a published next report is
/// computed again, overrides kept; audited.
#[utoipa::path(put, path = "/api/v1/settings/fulfilment", tag = "admin",
    request_body = ThresholdsRequest,
    responses(
        (status = 200, description = "已保存并重新评定", body = ThresholdsSaved),
        (status = 403, description = "无权操作", body = ErrorBody),
        (status = 422, description = "数值无效", body = ErrorBody),
    ))]
pub async fn put(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    body: ApiBody<ThresholdsRequest>,
) -> Result<Json<ThresholdsSaved>, AppError> {
    allow(Some(&user), &Action::ManageSettings)?;
    let body = body.parse()?;
    let change = apply_thresholds(
        &state,
        &user.login,
        &body.partly_rate_points,
        &body.partly_amount_percent,
    )
    .await?;
    Ok(Json(ThresholdsSaved {
        before: ThresholdsInfo::from(&change.before),
        thresholds: ThresholdsInfo::from(&change.after),
        recomputed: change.recomputed.iter().map(|c| c.report_id).collect(),
    }))
}
