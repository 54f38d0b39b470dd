//! Evidence uploads: which user uploaded which file (by SHA-256) for which task. A progress
//! report may cite only files its author uploaded for that task, at most
//! [`MAX_EVIDENCE_PER_REPORT`] of them; a file may be read by whoever may read a task that it
//! was uploaded for or that a report cites it on. Files attached to an answer to a notice are
//! uploaded for the notice, by a user of the department addressed; an answer cites only such
//! files of its author, and those who may read the notice may read them.

use duban_core::auth::{Action, User, authorize};
use duban_core::ids::{DepartmentId, NoticeId};
use duban_core::plan::CommitmentId;
use duban_core::progress::EvidenceRef;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Tx, args};
use crate::error::{Result, StoreError};
use crate::model::AssignmentRow;
use crate::plan::{load_assignment, load_lead_task};

/// The most evidence files one progress report may cite (the form's limit, held for the API).
pub const MAX_EVIDENCE_PER_REPORT: usize = 5;
/// The longest evidence file name, in characters.
pub const MAX_EVIDENCE_NAME: usize = 200;

fn is_hash(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Checks, inside the report's transaction, that every cited file was uploaded by `user_id`
/// for this commitment, and that there are not too many.
pub(crate) async fn check_cited(
    tx: &mut Tx,
    commitment_id: i64,
    user_id: i64,
    cited: &[EvidenceRef],
) -> Result<()> {
    check_uploaded(
        tx,
        "SELECT 1 FROM evidence_uploads WHERE commitment_id = $1 AND user_id = $2 \
         AND sha256 = $3 LIMIT 1",
        commitment_id,
        user_id,
        cited,
        "不是本人为此任务上传的佐证材料（请先上传文件）",
    )
    .await
}

/// Checks, inside the answer's transaction, that every cited file was uploaded by `user_id`
/// for this notice, and that there are not too many.
pub(crate) async fn check_notice_cited(
    tx: &mut Tx,
    notice_id: i64,
    user_id: i64,
    cited: &[EvidenceRef],
) -> Result<()> {
    check_uploaded(
        tx,
        "SELECT 1 FROM notice_uploads WHERE notice_id = $1 AND user_id = $2 \
         AND sha256 = $3 LIMIT 1",
        notice_id,
        user_id,
        cited,
        "不是本人为此督办单上传的佐证材料（请先上传文件）",
    )
    .await
}

/// The one rule of both: at most [`MAX_EVIDENCE_PER_REPORT`] files, each found by `query`
/// (`$1` the owner, `$2` the user, `$3` the hash).
async fn check_uploaded(
    tx: &mut Tx,
    query: &str,
    owner: i64,
    user_id: i64,
    cited: &[EvidenceRef],
    refusal: &str,
) -> Result<()> {
    if cited.len() > MAX_EVIDENCE_PER_REPORT {
        return Err(StoreError::invalid(
            "evidence",
            format!(
                "佐证材料最多 {MAX_EVIDENCE_PER_REPORT} 个，引用了 {} 个",
                cited.len()
            ),
        ));
    }
    for (i, e) in cited.iter().enumerate() {
        let uploaded = tx
            .fetch_optional(query, args![owner, user_id, &e.sha256])
            .await?;
        if uploaded.is_none() {
            return Err(StoreError::invalid(
                format!("evidence[{i}].sha256"),
                refusal,
            ));
        }
    }
    Ok(())
}

/// Where an upload is recorded: the table, the column of what it is for, and that row's id, with
/// the key the audit event names it by (`commitment`, `notice`) and its value.
struct UploadFor<'a> {
    table: &'static str,
    column: &'static str,
    owner: i64,
    key: &'static str,
    value: serde_json::Value,
    entity: &'a str,
}

/// Records one upload in its table with its audit event, and commits; the same file again by
/// the same user for the same owner records nothing new.
async fn insert_upload(
    mut tx: Tx,
    user: &User,
    at: UploadFor<'_>,
    name: &str,
    sha256: &str,
    bytes: u64,
) -> Result<()> {
    let known = tx
        .fetch_optional(
            &format!(
                "SELECT 1 FROM {} WHERE {} = $1 AND user_id = $2 AND sha256 = $3 LIMIT 1",
                at.table, at.column
            ),
            args![at.owner, user.id.0, sha256],
        )
        .await?;
    if known.is_some() {
        return Ok(());
    }
    let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
    let id = tx
        .insert(
            &format!(
                "INSERT INTO {} ({}, user_id, name, sha256, bytes, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                at.table, at.column
            ),
            args![
                at.owner,
                user.id.0,
                name,
                sha256,
                bytes,
                crate::clock::now()
            ],
        )
        .await?;
    audit::record(
        &mut tx,
        Change::of(
            &user.login,
            "evidence.upload",
            at.entity,
            id,
            &serde_json::Value::Null,
            &serde_json::json!({
                at.key: at.value,
                "name": name,
                "sha256": sha256,
                "bytes": bytes,
            }),
        ),
    )
    .await?;
    tx.commit().await
}

fn check_file(name: &str, sha256: &str) -> Result<String> {
    if !is_hash(sha256) {
        return Err(StoreError::invalid(
            "sha256",
            "应为 64 位小写十六进制 SHA-256",
        ));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_EVIDENCE_NAME {
        return Err(StoreError::invalid(
            "name",
            format!("文件名应为 1 至 {MAX_EVIDENCE_NAME} 个字符"),
        ));
    }
    Ok(name.to_string())
}

impl Store {
    /// Records that `user` uploaded a file for the notice `id`, to attach to an answer: only the
    /// department addressed may, and only while the notice waits for its answer. The same file
    /// again by the same user for the same notice records nothing new.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown notice, [`StoreError::Forbidden`] for another
    /// department, [`StoreError::Conflict`] when the notice does not wait for an answer,
    /// [`StoreError::Invalid`] for a malformed hash or name.
    pub async fn record_notice_upload(
        &self,
        user: &User,
        id: NoticeId,
        name: &str,
        sha256: &str,
        bytes: u64,
    ) -> Result<()> {
        let name = check_file(name, sha256)?;
        let mut tx = self.pool.write().await?;
        let row = tx
            .fetch_one(
                "SELECT department_id, state FROM notices WHERE id = $1",
                args![id.0],
                &duban_core::labels::Entity::Notice.named(id),
            )
            .await?;
        authorize(
            Some(user),
            &Action::AnswerNotice {
                addressee: DepartmentId(row.int(0)?),
            },
        )
        .map_err(|e| StoreError::Forbidden(e.to_string()))?;
        let state = row.text(1)?;
        if !matches!(state.as_str(), "open" | "returned") {
            return Err(StoreError::Conflict(format!(
                "督办单{}已答复或已办结，不能再上传答复材料",
                id.0
            )));
        }
        let at = UploadFor {
            table: "notice_uploads",
            column: "notice_id",
            owner: id.0,
            key: "notice",
            value: id.0.into(),
            entity: "notice_upload",
        };
        insert_upload(tx, user, at, &name, sha256, bytes).await
    }

    /// The departments addressed by the notices a file was uploaded for: the file may be read by
    /// those who may read one of these notices (the department, and the office's roles).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn evidence_notices(&self, sha256: &str) -> Result<Vec<DepartmentId>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .fetch(
                "SELECT DISTINCT n.department_id FROM notice_uploads u \
                 JOIN notices n ON n.id = u.notice_id WHERE u.sha256 = $1 ORDER BY 1",
                args![sha256],
            )
            .await?;
        rows.iter().map(|r| Ok(DepartmentId(r.int(0)?))).collect()
    }

    /// Records that `user` uploaded a file (its name, SHA-256 and size) for the task `uid`:
    /// only the lead department's users may. The same file again by the same user for the same
    /// task records nothing new.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown or unassigned task, [`StoreError::Forbidden`]
    /// when the user may not report on it, [`StoreError::Invalid`] for a malformed hash or name.
    pub async fn record_upload(
        &self,
        user: &User,
        uid: &CommitmentId,
        name: &str,
        sha256: &str,
        bytes: u64,
    ) -> Result<()> {
        let name = check_file(name, sha256)?;
        let name = name.as_str();
        let mut tx = self.pool.write().await?;
        let (commitment_id, _, _) = load_lead_task(&mut tx, user, uid).await?;
        let at = UploadFor {
            table: "evidence_uploads",
            column: "commitment_id",
            owner: commitment_id,
            key: "commitment",
            value: uid.to_string().into(),
            entity: "evidence_upload",
        };
        insert_upload(tx, user, at, name, sha256, bytes).await
    }

    /// The assignments of the tasks a file belongs to: those it was uploaded for and those whose
    /// progress reports cite it. Whoever may read one of these tasks may read the file.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn evidence_tasks(&self, sha256: &str) -> Result<Vec<AssignmentRow>> {
        let mut tx = self.pool.read().await?;
        let rows = tx
            .fetch(
                "SELECT c.id, c.uid FROM commitments c WHERE c.id IN ( \
                 SELECT commitment_id FROM evidence_uploads WHERE sha256 = $1 \
                 UNION SELECT p.commitment_id FROM evidence e \
                 JOIN progress_reports p ON p.id = e.progress_id WHERE e.sha256 = $1) \
                 ORDER BY c.id",
                args![sha256],
            )
            .await?;
        let mut out = Vec::new();
        for row in rows {
            let uid = CommitmentId::parse(&row.text(1)?)
                .map_err(|e| StoreError::invalid("commitments.uid", e.to_string()))?;
            if let Some((_, assignment)) = load_assignment(&mut tx, row.int(0)?, &uid).await? {
                out.push(assignment);
            }
        }
        Ok(out)
    }
}
