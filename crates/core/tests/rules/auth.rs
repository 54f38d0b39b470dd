use duban_core::{Action, Denied, DepartmentId, Role, User, UserId, authorize};

const LEAD: DepartmentId = DepartmentId(1);
const SUPPORT: DepartmentId = DepartmentId(2);

/// Every action, about a task led by department 1 and supported by department 2.
fn all_actions() -> Vec<Action> {
    let all = vec![
        Action::ReadPublic,
        Action::ReadInternal,
        Action::ReadTask {
            lead: LEAD,
            support: vec![SUPPORT],
        },
        Action::ReportProgress { lead: LEAD },
        Action::SignOff { lead: LEAD },
        Action::Assign,
        Action::IssueNotice,
        Action::AnswerNotice { addressee: LEAD },
        Action::ReportSupport {
            support: vec![SUPPORT],
        },
        Action::ImportReport,
        Action::ManageUsers,
        Action::ManageDepartments,
        Action::AdministerDepartments,
        Action::ManageSettings,
        Action::Export,
        Action::ReadAudit,
        Action::OverrideVerdict,
    ];
    // A new action must be added above: this match has no wildcard.
    for a in &all {
        match a {
            Action::ReadPublic
            | Action::ReadInternal
            | Action::ReadTask { .. }
            | Action::ReportProgress { .. }
            | Action::SignOff { .. }
            | Action::Assign
            | Action::IssueNotice
            | Action::AnswerNotice { .. }
            | Action::ReportSupport { .. }
            | Action::ImportReport
            | Action::ManageUsers
            | Action::ManageDepartments
            | Action::AdministerDepartments
            | Action::ManageSettings
            | Action::Export
            | Action::ReadAudit
            | Action::OverrideVerdict => {}
        }
    }
    all
}

fn user(role: Role) -> User {
    User {
        id: UserId(1),
        login: "u".into(),
        name: "用户".into(),
        role,
    }
}

/// Columns: anonymous, admin, supervisor, lead department, supporting department, other
/// department, viewer.
const TABLE: &[(&str, &str)] = &[
    ("read_public", "yyyyyyy"),
    ("read_internal", "-yy---y"),
    ("read_task", "-yyyy-y"),
    ("report_progress", "---y---"),
    ("sign_off", "---y---"),
    ("assign", "-yy----"),
    ("issue_notice", "-yy----"),
    ("answer_notice", "---y---"),
    ("report_support", "----y--"),
    ("import_report", "-yy----"),
    ("manage_users", "-y-----"),
    ("manage_departments", "-yy----"),
    ("administer_departments", "-y-----"),
    ("manage_settings", "-y-----"),
    ("export", "-yy---y"),
    ("read_audit", "-yy----"),
    ("override_verdict", "-yy----"),
];

#[test]
fn every_role_against_every_action() {
    let users = [
        None,
        Some(user(Role::Admin)),
        Some(user(Role::Supervisor)),
        Some(user(Role::Department(LEAD))),
        Some(user(Role::Department(SUPPORT))),
        Some(user(Role::Department(DepartmentId(9)))),
        Some(user(Role::Viewer)),
    ];
    let actions = all_actions();
    assert_eq!(actions.len(), TABLE.len());
    for action in &actions {
        let row = TABLE
            .iter()
            .find(|(name, _)| *name == action.as_str())
            .unwrap_or_else(|| panic!("no row for {}", action.as_str()));
        for (u, expected) in users.iter().zip(row.1.chars()) {
            let got = authorize(u.as_ref(), action);
            let who = u.as_ref().map_or("anonymous", |u| u.role.as_str());
            match (expected, got) {
                ('y', Ok(())) => {}
                ('-', Err(Denied::LoginRequired)) if u.is_none() => {}
                ('-', Err(Denied::Forbidden { role, action: a })) if u.is_some() => {
                    assert_eq!((role, a), (who, action.as_str()));
                }
                (e, got) => panic!("{who} × {}: expected {e}, got {got:?}", action.as_str()),
            }
        }
    }
}

#[test]
fn roles_round_trip_through_their_parts() {
    for role in [
        Role::Admin,
        Role::Supervisor,
        Role::Department(LEAD),
        Role::Viewer,
    ] {
        assert_eq!(
            Role::from_parts(role.as_str(), role.department()),
            Some(role)
        );
        assert!(!role.label_zh().is_empty());
    }
    assert_eq!(Role::from_parts("department", None), None);
    assert_eq!(Role::from_parts("admin", Some(LEAD)), None);
    assert_eq!(Role::from_parts("root", None), None);
}
