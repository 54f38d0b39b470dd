//! Users and API tokens. Passwords arrive hashed ([`crate::password::hash_password`]); tokens
//! are stored as hashes and looked up by hash.

use duban_core::auth::{Role, User};
use duban_core::ids::{DepartmentId, UserId};
use duban_core::labels::Entity;

use crate::Store;
use crate::audit::{self, Change};
use crate::db::{Row, args};
use crate::error::{Result, StoreError};
use crate::model::UserRecord;
use crate::password::{generate_token, token_hash};
use crate::plan::stored;

pub(crate) const USER_SELECT: &str = "SELECT u.id, u.login, u.name, u.role, u.department_id, u.password_hash, u.disabled FROM users u";

pub(crate) fn user_row(row: &Row) -> Result<UserRecord> {
    let code = row.text(3)?;
    let department = row.opt_int(4)?.map(DepartmentId);
    Ok(UserRecord {
        user: User {
            id: UserId(row.int(0)?),
            login: row.text(1)?,
            name: row.text(2)?,
            role: Role::from_parts(&code, department).ok_or_else(|| stored("role", &code))?,
        },
        password_hash: row.text(5)?,
        disabled: row.int(6)? != 0,
    })
}

/// An API token as stored (without the token itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TokenRecord {
    /// Its id.
    pub id: i64,
    /// Its owner.
    pub user: UserId,
    /// What it is for.
    pub name: String,
    /// When it was made.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

impl Store {
    /// Adds a user. `login` is what they sign in with and must be unused; `name` is shown.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an empty login, [`StoreError::NotFound`] for an unknown
    /// department, [`StoreError::Conflict`] when the login is taken, [`StoreError::Database`].
    pub async fn add_user(
        &self,
        actor: &str,
        login: &str,
        name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<User> {
        // The login rule of every boundary (NFKC, lower case, ASCII), so that no two accounts
        // differ only in how their names are written.
        let login = duban_core::text::LOGIN
            .check(login)
            .map_err(|e| StoreError::invalid("login", e.to_string()))?;
        let login = login.as_str();
        let mut tx = self.pool.write().await?;
        if let Some(department) = role.department() {
            crate::admin::check_live(&mut tx, department, "department").await?;
        }
        let id = tx
            .fetch_optional(
                "INSERT INTO users (login, name, role, department_id, password_hash, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (login) DO NOTHING RETURNING id",
                args![
                    login,
                    name.trim(),
                    role.as_str(),
                    role.department().map(|d| d.0),
                    password_hash,
                    crate::clock::now()
                ],
            )
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("用户名「{login}」已被使用")))?
            .int(0)?;
        let user = User {
            id: UserId(id),
            login: login.to_string(),
            name: name.trim().to_string(),
            role,
        };
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "user.create",
                entity: "user",
                entity_id: id.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::to_value(&user).unwrap_or_default(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The user with that login, if any (disabled ones included: the caller decides).
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>> {
        let mut tx = self.pool.read().await?;
        let sql = format!("{USER_SELECT} WHERE u.login = $1");
        tx.fetch_optional(&sql, args![login])
            .await?
            .as_ref()
            .map(user_row)
            .transpose()
    }

    /// The user with that id.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::Database`].
    pub async fn user(&self, id: UserId) -> Result<UserRecord> {
        let mut tx = self.pool.read().await?;
        let sql = format!("{USER_SELECT} WHERE u.id = $1");
        user_row(
            &tx.fetch_one(&sql, args![id.0], &Entity::User.named(id))
                .await?,
        )
    }

    /// All users, by login.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn users(&self) -> Result<Vec<UserRecord>> {
        let mut tx = self.pool.read().await?;
        let sql = format!("{USER_SELECT} ORDER BY u.login");
        tx.fetch(&sql, &[]).await?.iter().map(user_row).collect()
    }

    /// Makes an API token for a user; returns its record and the token, which is shown once
    /// and stored only as a hash.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown user, [`StoreError::Database`].
    pub async fn create_token(
        &self,
        actor: &str,
        user: UserId,
        name: &str,
    ) -> Result<(TokenRecord, String)> {
        self.create_token_from(actor, user, name, None).await
    }

    /// Makes an API token for a user, made with the token `parent` when one is given: revoking
    /// the parent then revokes this one too, so a token cannot outlive the one that made it.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown user or a parent that is not a live token of the
    /// user, [`StoreError::Database`].
    pub async fn create_token_from(
        &self,
        actor: &str,
        user: UserId,
        name: &str,
        parent: Option<i64>,
    ) -> Result<(TokenRecord, String)> {
        let token = generate_token()?;
        let mut tx = self.pool.write().await?;
        tx.fetch_one(
            "SELECT id FROM users WHERE id = $1",
            args![user.0],
            &Entity::User.named(user),
        )
        .await?;
        if let Some(parent) = parent {
            tx.fetch_one(
                "SELECT id FROM api_tokens WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
                args![parent, user.0],
                &Entity::Token.named(parent),
            )
            .await?;
        }
        let created_at = crate::clock::now();
        let id = tx
            .insert(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at, parent_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                args![user.0, name, token_hash(&token), &created_at, parent],
            )
            .await?;
        let record = TokenRecord {
            id,
            user,
            name: name.to_string(),
            created_at,
            revoked_at: None,
        };
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "token.create",
                entity: "api_token",
                entity_id: id.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::to_value(&record).unwrap_or_default(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((record, token))
    }

    /// The id of a live token and its enabled owner, if any.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn token_owner(&self, token: &str) -> Result<Option<(i64, UserRecord)>> {
        let mut tx = self.pool.read().await?;
        let sql = format!(
            "{}, t.id FROM users u JOIN api_tokens t ON t.user_id = u.id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0",
            USER_SELECT.trim_end_matches(" FROM users u")
        );
        match tx.fetch_optional(&sql, args![token_hash(token)]).await? {
            Some(row) => Ok(Some((row.int(7)?, user_row(&row)?))),
            None => Ok(None),
        }
    }

    /// The enabled user a live (unrevoked) token belongs to, if any.
    ///
    /// # Errors
    /// [`StoreError::Database`].
    pub async fn user_by_token(&self, token: &str) -> Result<Option<UserRecord>> {
        let mut tx = self.pool.read().await?;
        let sql = format!(
            "{USER_SELECT} JOIN api_tokens t ON t.user_id = u.id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0"
        );
        tx.fetch_optional(&sql, args![token_hash(token)])
            .await?
            .as_ref()
            .map(user_row)
            .transpose()
    }

    /// Revokes a token and every token made with it (and with those, and so on).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown or already revoked token, [`StoreError::Database`].
    pub async fn revoke_token(&self, actor: &str, id: i64) -> Result<()> {
        let mut tx = self.pool.write().await?;
        let at = crate::clock::now();
        let n = tx
            .execute(
                "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                args![&at, id],
            )
            .await?;
        if n == 0 {
            return Err(StoreError::not_found(Entity::Token.named(id)));
        }
        let descendants = tx
            .execute(
                "WITH RECURSIVE tree(id) AS (\
                   SELECT id FROM api_tokens WHERE parent_id = $2 \
                   UNION SELECT t.id FROM api_tokens t JOIN tree ON t.parent_id = tree.id) \
                 UPDATE api_tokens SET revoked_at = $1 \
                 WHERE id IN (SELECT id FROM tree) AND revoked_at IS NULL",
                args![&at, id],
            )
            .await?;
        audit::record(
            &mut tx,
            Change {
                actor,
                action: "token.revoke",
                entity: "api_token",
                entity_id: id.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::json!({ "revoked_at": at, "descendants_revoked": descendants }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
