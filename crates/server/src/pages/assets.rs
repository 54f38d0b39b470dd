//! `/assets/…`: the stylesheet, the chart script and the vendored ECharts build (Apache-2.0,
//! its LICENSE and NOTICE served beside it), compiled into the binary so the server needs no
//! files and no CDN.

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// (path, content type, bytes) of every asset.
const ASSETS: [(&str, &str, &[u8]); 6] = [
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/style.css"),
    ),
    (
        "charts.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/charts.js"),
    ),
    (
        "drafts.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/drafts.js"),
    ),
    (
        "vendor/echarts/echarts.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/echarts/echarts.min.js"),
    ),
    (
        "vendor/echarts/LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/vendor/echarts/LICENSE"),
    ),
    (
        "vendor/echarts/NOTICE",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/vendor/echarts/NOTICE"),
    ),
];

/// `GET /assets/{path}`.
pub async fn serve(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, content_type, bytes)) => (
            [
                (CONTENT_TYPE, HeaderValue::from_static(content_type)),
                (
                    CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "未找到该文件").into_response(),
    }
}
