//! Users, roles and the one permission rule every endpoint calls.
//!
//! Who may do what is decided here and nowhere else: the server maps each request to an
//! [`Action`] and calls [`authorize`]. Departments act only for themselves (reporting, signing
//! off and answering are the department's own voice, so not even an admin does them on its
//! behalf); the supervision office runs the plan; admins run the system; viewers read.

use crate::ids::{DepartmentId, UserId};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "department", rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: users, departments, settings; reads everything.
    Admin,
    /// 督查室: assigns tasks, issues notices, imports reports; reads everything.
    Supervisor,
    /// A department's liaison, bound to one department: reports on its own tasks.
    Department(DepartmentId),
    /// Read-only internal access (leaders' dashboards).
    Viewer,
}

impl Role {
    /// The code name (`admin`, `supervisor`, `department`, `viewer`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Department(_) => "department",
            Role::Viewer => "viewer",
        }
    }

    /// The zh-CN label.
    pub fn label_zh(&self) -> &'static str {
        crate::labels::role(self.as_str())
    }

    /// The role from its code name and, for `department`, the department; `None` when they do
    /// not fit together.
    pub fn from_parts(code: &str, department: Option<DepartmentId>) -> Option<Role> {
        match (code, department) {
            ("admin", None) => Some(Role::Admin),
            ("supervisor", None) => Some(Role::Supervisor),
            ("department", Some(d)) => Some(Role::Department(d)),
            ("viewer", None) => Some(Role::Viewer),
            _ => None,
        }
    }

    /// The bound department, for a department user.
    pub fn department(&self) -> Option<DepartmentId> {
        match self {
            Role::Department(d) => Some(*d),
            _ => None,
        }
    }
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Its row id.
    pub id: UserId,
    /// The login name.
    pub login: String,
    /// The name shown.
    pub name: String,
    /// What it may do.
    pub role: Role,
}

/// Everything a request can ask to do. Actions about one task carry the departments that take
/// part in it, so the rule can check a department user against them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Public pages and the public API.
    ReadPublic,
    /// Internal views across all tasks (dashboards, lagging lists, bulletins).
    ReadInternal,
    /// The internal view of one task.
    ReadTask {
        /// The task's lead.
        lead: DepartmentId,
        /// The task's supporters.
        support: Vec<DepartmentId>,
    },
    /// File a progress report (or a correction) on a task.
    ReportProgress {
        /// The task's lead.
        lead: DepartmentId,
    },
    /// Sign off a newly assigned task.
    SignOff {
        /// The task's lead.
        lead: DepartmentId,
    },
    /// Assign or reassign tasks to departments, set plan curves and stage dates.
    Assign,
    /// Issue, return or close a supervision notice.
    IssueNotice,
    /// Report a supporting department's own part of a task (配合情况).
    ReportSupport {
        /// The task's supporters.
        support: Vec<DepartmentId>,
    },
    /// Answer a supervision notice.
    AnswerNotice {
        /// The department addressed.
        addressee: DepartmentId,
    },
    /// Import a report (the plan) or a spreadsheet of tasks.
    ImportReport,
    /// Create, change and disable users.
    ManageUsers,
    /// Create departments.
    ManageDepartments,
    /// Rename departments and merge one into another (the system administrator's).
    AdministerDepartments,
    /// Change settings (thresholds).
    ManageSettings,
    /// Export internal data (Excel, bulletins).
    Export,
    /// Read and verify the audit log.
    ReadAudit,
    /// Override a computed fulfilment verdict (兑现) with a reason, or recompute the verdicts.
    OverrideVerdict,
}

impl Action {
    /// A short code name for logs and messages.
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::ReadPublic => "read_public",
            Action::ReadInternal => "read_internal",
            Action::ReadTask { .. } => "read_task",
            Action::ReportProgress { .. } => "report_progress",
            Action::SignOff { .. } => "sign_off",
            Action::Assign => "assign",
            Action::IssueNotice => "issue_notice",
            Action::AnswerNotice { .. } => "answer_notice",
            Action::ReportSupport { .. } => "report_support",
            Action::ImportReport => "import_report",
            Action::ManageUsers => "manage_users",
            Action::ManageDepartments => "manage_departments",
            Action::AdministerDepartments => "administer_departments",
            Action::ManageSettings => "manage_settings",
            Action::Export => "export",
            Action::ReadAudit => "read_audit",
            Action::OverrideVerdict => "override_verdict",
        }
    }

    /// What the action does, in zh-CN words (分配任务), as a refusal names it.
    pub fn label_zh(&self) -> &'static str {
        crate::labels::action(self.as_str())
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Denied {
    /// No one is signed in, and the action is not public.
    #[error("请先登录")]
    LoginRequired,
    /// The signed-in user's role does not allow it.
    #[error("{}无权{}", crate::labels::role(.role), crate::labels::action(.action))]
    Forbidden {
        /// The role's code name.
        role: &'static str,
        /// The action's code name.
        action: &'static str,
    },
}

/// The permission rule. `None` is an anonymous visitor.
///
/// | action | anonymous | admin | supervisor | department | viewer |
/// |---|---|---|---|---|---|
/// | read_public | ✓ | ✓ | ✓ | ✓ | ✓ |
/// | read_internal, export | | ✓ | ✓ | | ✓ |
/// | read_task | | ✓ | ✓ | lead or support | ✓ |
/// | report_progress, sign_off | | | | lead | |
/// | answer_notice | | | | addressee | |
/// | report_support | | | | support | |
/// | assign, issue_notice, import_report, manage_departments | | ✓ | ✓ | | |
/// | read_audit, override_verdict | | ✓ | ✓ | | |
/// | manage_users, manage_settings, administer_departments | | ✓ | | | |
///
/// # Errors
/// [`Denied::LoginRequired`] for an anonymous visitor asking for more than public pages,
/// [`Denied::Forbidden`] otherwise.
pub fn authorize(user: Option<&User>, action: &Action) -> Result<(), Denied> {
    use Role::{Admin, Department, Supervisor};
    let Some(user) = user else {
        return match action {
            Action::ReadPublic => Ok(()),
            _ => Err(Denied::LoginRequired),
        };
    };
    let allowed = match (action, &user.role) {
        (Action::ReadPublic, _) => true,
        (Action::ReadInternal | Action::Export, role) => !matches!(role, Department(_)),
        (Action::ReadTask { lead, support }, role) => match role {
            Department(d) => d == lead || support.contains(d),
            _ => true,
        },
        (
            Action::ReportProgress { lead: owner }
            | Action::SignOff { lead: owner }
            | Action::AnswerNotice { addressee: owner },
            role,
        ) => role.department() == Some(*owner),
        (Action::ReportSupport { support }, role) => {
            role.department().is_some_and(|d| support.contains(&d))
        }
        (
            Action::Assign
            | Action::IssueNotice
            | Action::ImportReport
            | Action::ManageDepartments
            | Action::ReadAudit
            | Action::OverrideVerdict,
            role,
        ) => matches!(role, Admin | Supervisor),
        (Action::ManageUsers | Action::ManageSettings | Action::AdministerDepartments, role) => {
            matches!(role, Admin)
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(Denied::Forbidden {
            role: user.role.as_str(),
            action: action.as_str(),
        })
    }
}
