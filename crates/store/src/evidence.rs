//! Evidence uploads: which user uploaded which file (by SHA-256) for which task. A progress
//! report may cite only files its author uploaded for that task, at most
//! [`MAX_EVIDENCE_PER_REPORT`] of them; a file may be read by whoever may read a task that it
//! was uploaded for or that a report cites it on.

use duban_core::auth::User;
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
            .fetch_optional(
                "SELECT 1 FROM evidence_uploads WHERE commitment_id = $1 AND user_id = $2 \
                 AND sha256 = $3 LIMIT 1",
                args![commitment_id, user_id, &e.sha256],
            )
            .await?;
        if uploaded.is_none() {
            return Err(StoreError::invalid(
                format!("evidence[{i}].sha256"),
                "不是本人为此任务上传的佐证材料（请先上传文件）",
            ));
        }
    }
    Ok(())
}

impl Store {
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
        let mut tx = self.pool.write().await?;
        let (commitment_id, _, _) = load_lead_task(&mut tx, user, uid).await?;
        let known = tx
            .fetch_optional(
                "SELECT 1 FROM evidence_uploads WHERE commitment_id = $1 AND user_id = $2 \
                 AND sha256 = $3 LIMIT 1",
                args![commitment_id, user.id.0, sha256],
            )
            .await?;
        if known.is_some() {
            return Ok(());
        }
        let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
        let id = tx
            .insert(
                "INSERT INTO evidence_uploads (commitment_id, user_id, name, sha256, bytes, \
                 uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                args![
                    commitment_id,
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
                "evidence_upload",
                id,
                &serde_json::Value::Null,
                &serde_json::json!({
                    "commitment": uid.to_string(),
                    "name": name,
                    "sha256": sha256,
                    "bytes": bytes,
                }),
            ),
        )
        .await?;
        tx.commit().await
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
