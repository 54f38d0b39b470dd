//! Extractors whose rejections speak the API's error format: a JSON body ([`ApiJson`]) and a
//! query string ([`ApiQuery`]) that name the field at fault in zh-CN.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON request body; bad JSON, a missing field or a value of the wrong type is an
/// [`AppError::BadRequest`] naming the field (`values[0].target`); another media type is
/// [`AppError::UnsupportedMediaType`], a body over the limit [`AppError::TooLarge`].
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

/// Turns a serde error at `path` into the API's error.
fn field_error(path: String, error: &serde_json::Error) -> AppError {
    // serde_path_to_error writes `.` for the root and `?` where it lost track.
    let path = if path == "." || path == "?" {
        String::new()
    } else {
        path
    };
    let detail = error.to_string();
    let detail = detail
        .split(" at line ")
        .next()
        .unwrap_or(&detail)
        .to_string();
    if let Some(rest) = detail.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        let field = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        return AppError::bad_request(field, "缺少必填字段");
    }
    let field = if path.is_empty() {
        "body".to_string()
    } else {
        path
    };
    let message = if error.is_syntax() || error.is_eof() {
        format!(
            "不是有效的 JSON（第 {} 行第 {} 列）",
            error.line(),
            error.column()
        )
    } else if let Some(rest) = detail.strip_prefix("invalid type: ") {
        let (got, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
        format!("应为{}，填写的是{}", json_kind(expected), json_value(got))
    } else if let Some(rest) = detail
        .strip_prefix("unknown variant ")
        .or_else(|| detail.strip_prefix("invalid value: "))
    {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let choices = backticked(expected);
        if choices.is_empty() {
            format!("取值无效：{}", json_value(got))
        } else {
            format!("{}不是可选的值（可选：{choices}）", json_value(got))
        }
    } else if let Some(rest) = detail.strip_prefix("unknown field ") {
        let name = rest.split(", expected").next().unwrap_or(rest);
        format!("不认识的字段{}", json_value(name))
    } else {
        "内容无法读取".to_string()
    };
    AppError::bad_request(field, message)
}

/// The zh-CN name of the kind serde expected (`i64` → 整数, `a string` → 文本).
fn json_kind(expected: &str) -> &'static str {
    let e = expected.trim_start_matches("a ").trim_start_matches("an ");
    if [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize", "integer",
    ]
    .iter()
    .any(|k| e.starts_with(k))
    {
        "整数"
    } else if e.starts_with("f32") || e.starts_with("f64") || e.starts_with("float") {
        "数字"
    } else if e.starts_with("string") || e.starts_with("borrowed") || e.starts_with("char") {
        "文本"
    } else if e.starts_with("bool") {
        "true 或 false"
    } else if e.starts_with("sequence") || e.starts_with("tuple") {
        "列表"
    } else if e.starts_with("struct") || e.starts_with("map") {
        "对象"
    } else {
        "其他类型的值"
    }
}

/// A JSON value as serde names it (`string "甲局"`, `integer `5``), in zh-CN words with what
/// was typed quoted (文本「甲局」, 整数「5」).
fn json_value(got: &str) -> String {
    let quoted = |s: &str| s.trim_matches(|c| c == '"' || c == '`').to_string();
    let (kind, rest) = got.split_once(' ').unwrap_or((got, ""));
    let word = match kind {
        "string" => "文本",
        "integer" => "整数",
        "floating" => return format!("数字「{}」", quoted(rest.trim_start_matches("point "))),
        "boolean" => "布尔值",
        "map" => return "对象".into(),
        "sequence" => return "列表".into(),
        "null" | "unit" => return "空值".into(),
        _ => return format!("「{}」", quoted(got)),
    };
    format!("{word}「{}」", quoted(rest))
}

/// The `a`, `b` of serde's “expected one of `a`, `b`”, quoted as choices (「a」、「b」).
fn backticked(expected: &str) -> String {
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|c| format!("「{c}」"))
        .collect::<Vec<_>>()
        .join("、")
}

/// Whether a `Content-Type` value is exactly the media type `expected` (case-insensitive),
/// parameters such as `charset` aside: `application/jsonx` is not `application/json`.
pub fn media_type_is(content_type: &str, expected: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(expected))
}

/// Reads JSON text into `T`, naming the field at fault.
///
/// # Errors
/// [`AppError::BadRequest`].
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        field_error(path, e.inner())
    })?;
    de.end()
        .map_err(|e| AppError::bad_request("body", format!("JSON 之后有多余内容（{e}）")))?;
    // Every string of every body passes the boundary check, whichever field it lands in.
    if let Ok(tree) = serde_json::from_slice::<serde_json::Value>(bytes) {
        forbidden_in(&tree, String::new())?;
    }
    Ok(value)
}

/// The first string (or key) in a JSON tree holding a character no text may hold, as the
/// error naming its path (`values[0].value`).
fn forbidden_in(value: &serde_json::Value, path: String) -> Result<(), AppError> {
    let refuse = |path: &str, c: char| {
        let field = if path.is_empty() { "body" } else { path };
        AppError::bad_request(
            field,
            format!(
                "「{}」{}",
                duban_core::labels::field(field),
                duban_core::text::describe_forbidden(c)
            ),
        )
    };
    match value {
        serde_json::Value::String(s) => match duban_core::text::find_forbidden(s) {
            Some(c) => Err(refuse(&path, c)),
            None => Ok(()),
        },
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| forbidden_in(v, format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            let at = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            match duban_core::text::find_forbidden(k) {
                Some(c) => Err(refuse(&at, c)),
                None => forbidden_in(v, at),
            }
        }),
        _ => Ok(()),
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| media_type_is(v, "application/json"));
        if !json {
            return Err(AppError::UnsupportedMediaType(
                "应为 JSON（Content-Type: application/json）".into(),
            ));
        }
        let bytes = read_body(request, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// The whole request body, within the server's limit (`--max-body`).
///
/// # Errors
/// [`AppError::TooLarge`] beyond the limit, [`AppError::BadRequest`] when the body
/// cannot be read.
pub async fn read_body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(request, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge {
                field: "body".into(),
                message: "请求体超过服务器的上限，未作任何修改".into(),
            }
        } else {
            AppError::bad_request("body", format!("请求体无法读取（{e}）"))
        }
    })
}

/// A JSON body whose errors wait: it is read with the request but parsed by
/// [`ApiBody::parse`] after the handler's permission check, so a caller who may not write is
/// told 403 whatever the body holds, before any 422 about it.
#[derive(Debug)]
pub struct ApiBody<T>(Result<T, AppError>);

impl<T> ApiBody<T> {
    /// The parsed body, or the error reading it.
    ///
    /// # Errors
    /// As [`ApiJson`]: [`AppError::BadRequest`] naming the field.
    pub fn parse(self) -> Result<T, AppError> {
        self.0
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiBody<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        Ok(ApiBody(
            ApiJson::<T>::from_request(request, state)
                .await
                .map(|ApiJson(v)| v),
        ))
    }
}

/// A query string into a struct of `Option<String>` fields (numbers are read by the handler
/// with [`int_param`], which names the parameter when it is not one).
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded_deserializer(query);
        de.map(ApiQuery)
    }
}

/// Query strings are decoded into a JSON object of text values first, which keeps the field
/// name in any error.
fn serde_urlencoded_deserializer<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let pairs: Vec<(String, String)> = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(
        &format!("/?{query}")
            .parse()
            .map_err(|_| AppError::bad_request("query", "查询串无效"))?,
    )
    .map_err(|e| AppError::bad_request("query", format!("查询串无效（{e}）")))?
    .0;
    let mut object = serde_json::Map::new();
    for (key, value) in pairs {
        object.insert(key, serde_json::Value::String(value));
    }
    let text = serde_json::Value::Object(object).to_string();
    parse_json(text.as_bytes())
}

/// An integer query parameter, if given. Given means given as an integer: `?government=` (empty)
/// and ` 5` are refused, as the document types the parameter as an integer.
///
/// # Errors
/// [`AppError::BadRequest`] naming `name` when the value is not an integer.
pub fn int_param(name: &str, value: Option<&str>) -> Result<Option<i64>, AppError> {
    match value {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| AppError::bad_request(name, format!("「{v}」不是整数"))),
    }
}

/// A path parameter; one that does not parse (`/reports/abc`) is an [`AppError::BadRequest`]
/// naming `id`.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| ApiPath(v))
            .map_err(|e| AppError::bad_request("id", format!("路径参数无效（{e}）")))
    }
}
