//! Evidence files kept on disk, named by their SHA-256: the database holds the reference (name
//! and hash, in the append-only progress history), this directory the bytes.
//!
//! Content addressing makes a write idempotent (the same file twice is one file) and lets a reader
//! check what they got against the hash the audit trail recorded. A file is written to a temporary
//! name, synced, then renamed into place and the directory synced, so a progress report that
//! returned success never points at a file that is not on disk.
//!
//! Who may do what: a file is recorded as uploaded by its user for one task (the form's upload,
//! or `POST /api/v1/commitments/{id}/evidence`, lead department only, with the form's size and
//! type limits); a progress report may cite only files its author uploaded for that task (the
//! store checks it in the report's transaction); `GET /evidence/{sha256}` serves a file to those
//! who may read a task it belongs to. Files for an answer to a notice are uploaded for the notice
//! (the answer form, or `POST /api/v1/notices/{id}/evidence`, the department addressed only),
//! with the same rule ([`accept`]), and served to those who may read the notice.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use duban_core::auth::Action;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use crate::api::v1::extract::{ApiPath, ApiQuery};
use crate::api::v1::{allow, commitment_id};
use crate::auth::CurrentUser;
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;

/// The largest evidence file accepted, in bytes (form and API).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// SHA-256 of the bytes, lower-case hex: the file's name in the directory.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The file types accepted as evidence, by extension and magic bytes.
pub fn type_ok(name: &str, bytes: &[u8]) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => bytes.starts_with(b"%PDF-"),
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "docx" | "xlsx" => bytes.starts_with(b"PK\x03\x04"),
        _ => false,
    }
}

/// Whether `sha256` is the lower-case hex form of a SHA-256 (64 characters), the only names this
/// directory holds, so that a request path can never leave it.
pub fn is_hash(sha256: &str) -> bool {
    sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where the file with this hash lives, if the hash is well formed.
pub fn path_of(dir: &Path, sha256: &str) -> Option<PathBuf> {
    is_hash(sha256).then(|| dir.join(sha256))
}

/// Writes `bytes` under its hash, durably; a file already there is left as it is.
///
/// # Errors
/// The IO error, when the directory cannot be made or the file written, synced or renamed.
pub fn keep(dir: &Path, sha256: &str, bytes: &[u8]) -> io::Result<()> {
    let Some(path) = path_of(dir, sha256) else {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256"));
    };
    if path.exists() {
        return Ok(());
    }
    fs::create_dir_all(dir)?;
    let part = dir.join(format!("{sha256}.part"));
    let mut file = fs::File::create(&part)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&part, &path)?;
    fs::File::open(dir)?.sync_all()
}

/// The media type of an evidence file, from its first bytes (the upload check allows only these).
pub fn media_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"%PDF") {
        "application/pdf"
    } else if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        "image/jpeg"
    } else {
        "application/octet-stream"
    }
}

/// The query of an upload.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file name, with its extension (`验收单.pdf`); at most 200 characters.
    pub name: String,
}

/// An uploaded evidence file, to cite in a progress report by its `sha256`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    /// The file name.
    pub name: String,
    /// SHA-256 of its content, 64 hex digits.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Checks an uploaded file (not empty, at most [`MAX_BYTES`], a type whose content matches its
/// extension) and keeps it durably under its hash: the one rule of every upload, form or API.
/// Returns the SHA-256.
///
/// # Errors
/// A 422 naming `body` or `name`; 500 when the file cannot be written.
pub async fn accept(state: &AppState, name: &str, body: &Bytes) -> Result<String, AppError> {
    if body.is_empty() {
        return Err(AppError::bad_request("body", "佐证材料是空文件"));
    }
    if body.len() > MAX_BYTES {
        return Err(AppError::bad_request(
            "body",
            format!(
                "佐证材料大小 {:.1} MB，超过 {} MB 上限",
                body.len() as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
        ));
    }
    if !type_ok(name, body) {
        return Err(AppError::bad_request(
            "name",
            format!(
                "佐证材料「{name}」类型不支持或内容与扩展名不符，仅接受 PDF、JPG、PNG、DOCX、XLSX"
            ),
        ));
    }
    let Some(dir) = state.settings.evidence_dir.clone() else {
        return Err(AppError::bad_request(
            "body",
            "本服务未设置佐证材料目录，不接收文件",
        ));
    };
    let hash = sha256_hex(body);
    let (kept_hash, bytes) = (hash.clone(), body.clone());
    tokio::task::spawn_blocking(move || keep(&dir, &kept_hash, &bytes))
        .await
        .map_err(|e| AppError::Internal(format!("evidence writer: {e}")))?
        .map_err(|e| AppError::Internal(format!("evidence not kept: {e}")))?;
    Ok(hash)
}

/// Uploads an evidence file (the body, as is) for a task: the lead department only; PDF, JPG,
/// PNG, DOCX or XLSX whose content matches its extension, at most 5 MB. Cite it afterwards in
/// a progress report by its `sha256`.
#[utoipa::path(post, path = "/api/v1/commitments/{id}/evidence", tag = "internal",
    params(("id" = String, Path, description = "任务 id"), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "文件内容"),
    responses(
        (status = 201, description = "已上传", body = Uploaded),
        (status = 401, description = "未登录", body = ErrorBody),
        (status = 403, description = "非牵头单位", body = ErrorBody),
        (status = 404, description = "任务不存在或尚未分解", body = ErrorBody),
        (status = 422, description = "文件有误（field 指明哪一项）", body = ErrorBody),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<Uploaded>), AppError> {
    let uid = commitment_id(&id)?;
    let assignment = state
        .store
        .assignment(&uid)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("任务 {uid} 尚未分解到责任单位")))?;
    allow(
        Some(&user),
        &Action::ReportProgress {
            lead: assignment.lead,
        },
    )?;
    let name = query.name.trim().to_string();
    let hash = accept(&state, &name, &body).await?;
    state
        .store
        .record_upload(&user, &uid, &name, &hash, body.len() as u64)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Uploaded {
            name,
            sha256: hash,
            bytes: body.len() as u64,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_files_by_hash_and_refuses_other_names() {
        let dir = std::env::temp_dir().join(format!("duban-evidence-{}", std::process::id()));
        let hash = "a".repeat(64);
        keep(&dir, &hash, b"%PDF-1.4 one").expect("kept");
        keep(&dir, &hash, b"%PDF-1.4 two").expect("kept again");
        assert_eq!(fs::read(dir.join(&hash)).expect("read"), b"%PDF-1.4 one");
        for bad in ["../etc/passwd", "A".repeat(64).as_str(), "abc", ""] {
            assert!(path_of(&dir, bad).is_none(), "{bad}");
            assert!(keep(&dir, bad, b"x").is_err(), "{bad}");
        }
        assert_eq!(media_type(b"%PDF-1.7"), "application/pdf");
        let _ = fs::remove_dir_all(&dir);
    }
}
