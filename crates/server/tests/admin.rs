//! Defect 8 of issue 10, through the router: the system administrator edits a user, disables
//! one (the old cookie stops working, sign-in is refused in Chinese), resets a password (the
//! generated one shown once, sessions end), renames and merges departments (the kept
//! department's task list then holds the merged one's tasks); a department sees its finished
//! tasks. Every refused change adds no audit event.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Fixture, PASSWORD, Who, assert_no_codes, me, person};
use duban_core::auth::Role;
use duban_core::ids::{DepartmentId, UserId};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// An answer: status, `Location`, `Cache-Control` and the body as text.
struct Answer {
    status: StatusCode,
    location: String,
    cache: String,
    body: String,
}

async fn answer(f: &Fixture, request: Request<Body>) -> Answer {
    let response = f.app().oneshot(request).await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (status, location, cache) = (
        response.status(),
        header("location"),
        header("cache-control"),
    );
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        location,
        cache,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// A page read with a cookie.
async fn page(f: &Fixture, cookie: &str, uri: &str) -> Answer {
    answer(
        f,
        Request::get(uri)
            .header("host", "localhost")
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A form posted as a browser on this site posts it (cookie, same origin, `_csrf`).
async fn form(f: &Fixture, who: Who, uri: &str, pairs: &[(&str, &str)]) -> Answer {
    let (cookie, csrf) = f.session(who).await;
    let mut fields: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    fields.push(format!("_csrf={csrf}"));
    answer(
        f,
        Request::post(uri)
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(fields.join("&")))
            .unwrap(),
    )
    .await
}

/// Signs in over the API: (status, `Cookie` value, the answer).
async fn sign_in(f: &Fixture, login: &str, password: &str) -> (u16, String, Value) {
    let response = f
        .app()
        .oneshot(
            Request::post("/api/v1/session")
                .header("content-type", "application/json")
                .body(Body::from(
                    json!({"login": login, "password": password}).to_string(),
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, cookie, value)
}

/// Signs in through the login form, as a browser does (its cookie and token first).
async fn form_sign_in(f: &Fixture, login: &str, password: &str) -> Answer {
    let (cookie, token) = common::login_form(f.app()).await;
    answer(
        f,
        Request::post("/login")
            .header("host", "localhost")
            .header("origin", "http://localhost")
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "login={}&password={}&_csrf={token}",
                encode(login),
                encode(password)
            )))
            .unwrap(),
    )
    .await
}

async fn last_action(f: &Fixture) -> String {
    f.store
        .audit_events(0, 1_000_000)
        .await
        .unwrap()
        .last()
        .unwrap()
        .action
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_edits_a_user() {
    let f = Fixture::new().await;
    let viewer = f.user(Who::Viewer).id;
    let uri = format!("/admin/users/{}", viewer.0);
    // A department user must have a department: refused, in Chinese, nothing written.
    let before = f.audit_len().await;
    let refused = form(
        &f,
        Who::Admin,
        &uri,
        &[("name", "王五"), ("role", "department")],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("须选择「所属单位」"),
        "{}",
        refused.body
    );
    assert_eq!(f.audit_len().await, before);

    let b = f.dept_b.to_string();
    let done = form(
        &f,
        Who::Admin,
        &uri,
        &[
            ("name", "王五"),
            ("role", "department"),
            ("department", &b),
            ("email", "wangwu@office.example"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        f.store.user_email(viewer).await.unwrap().as_deref(),
        Some("wangwu@office.example")
    );
    assert_eq!(done.location, format!("{uri}?done=edited"));
    let user = f.store.user(viewer).await.unwrap().user;
    assert_eq!(
        (user.name.as_str(), user.role),
        ("王五", Role::Department(DepartmentId(f.dept_b)))
    );
    assert_eq!(last_action(&f).await, "user.edit");
    // A bad address is refused before anything is written.
    let before = f.audit_len().await;
    let refused = form(
        &f,
        Who::Admin,
        &uri,
        &[
            ("name", "王五二"),
            ("role", "viewer"),
            ("email", "不是地址"),
        ],
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("电子邮箱"), "{}", refused.body);
    assert_eq!(f.audit_len().await, before);
    assert_eq!(f.store.user(viewer).await.unwrap().user.name, "王五");
    let (cookie, _) = f.session(Who::Admin).await;
    let shown = page(&f, &cookie, &format!("{uri}?done=edited")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("value=\"王五\"") && shown.body.contains("已保存"));

    // The API edits the same way; a bad role is named by its label.
    let (status, body) = f
        .call(
            Who::Admin,
            "PATCH",
            &format!("/api/v1/users/{}", viewer.0),
            Some(json!({"role": "viewer", "name": "赵六"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["role"].as_str(), body["name"].as_str()),
        (Some("viewer"), Some("赵六"))
    );
    let before = f.audit_len().await;
    let (status, body) = f
        .call(
            Who::Admin,
            "PATCH",
            &format!("/api/v1/users/{}", viewer.0),
            Some(json!({"role": "root"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("角色："), "{message}");
    assert_eq!(f.audit_len().await, before);
    // A change with one bad part writes none of it.
    let (status, _) = f
        .call(
            Who::Admin,
            "PATCH",
            &format!("/api/v1/users/{}", viewer.0),
            Some(json!({"name": "不该写入", "password": "短"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(f.audit_len().await, before);
    assert_eq!(f.store.user(viewer).await.unwrap().user.name, "赵六");
    // An admin cannot take the admin role from themselves.
    let admin = f.user(Who::Admin).id;
    let (status, body) = f
        .call(
            Who::Admin,
            "PATCH",
            &format!("/api/v1/users/{}", admin.0),
            Some(json!({"role": "viewer"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_no_codes(body["error"]["message"].as_str().unwrap(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disabled_user_is_signed_out_and_refused() {
    let f = Fixture::new().await;
    let id = UserId(person(&f, "liaison").await);
    let (status, cookie, _) = sign_in(&f, "liaison", PASSWORD).await;
    assert_eq!(status, 200);
    assert_eq!(page(&f, &cookie, "/tasks").await.status, StatusCode::OK);
    let (_, token) = f.store.create_token("test", id, "脚本").await.unwrap();

    let uri = format!("/admin/users/{}", id.0);
    let done = form(&f, Who::Admin, &format!("{uri}/disable"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(last_action(&f).await, "user.disable");
    // The old cookie no longer works, on the pages and the API; the token is revoked.
    let tasks = page(&f, &cookie, "/tasks").await;
    assert_eq!(tasks.status, StatusCode::SEE_OTHER);
    assert!(tasks.location.starts_with("/login"), "{}", tasks.location);
    assert_eq!(me(&f, &cookie).await, 401);
    let with_token = answer(
        &f,
        Request::get("/api/v1/me")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(with_token.status, StatusCode::UNAUTHORIZED);
    // Signing in with the right password is refused, saying why, in Chinese; a wrong password
    // gets the one answer every wrong password gets.
    let (status, _, body) = sign_in(&f, "liaison", PASSWORD).await;
    assert_eq!(status, 403, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("账号已停用"), "{message}");
    assert_no_codes(message, None);
    let on_the_form = form_sign_in(&f, "liaison", PASSWORD).await;
    assert_eq!(on_the_form.status, StatusCode::FORBIDDEN);
    assert!(
        on_the_form.body.contains("该账号已停用"),
        "{}",
        on_the_form.body
    );
    assert!(
        on_the_form.body.contains("value=\"liaison\""),
        "the login stays typed"
    );
    let (status, _, body) = sign_in(&f, "liaison", "错误的密码999").await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (401, Some("用户名或密码错误"))
    );
    // The admin page shows it disabled, with the way back.
    let (admin_cookie, _) = f.session(Who::Admin).await;
    let shown = page(&f, &admin_cookie, &format!("{uri}?done=disabled")).await;
    assert!(shown.body.contains("已停用") && shown.body.contains("启用账号"));
    // Admins cannot disable themselves.
    let before = f.audit_len().await;
    let own = format!("/admin/users/{}/disable", f.user(Who::Admin).id.0);
    let refused = form(&f, Who::Admin, &own, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("不能停用自己的账号"));
    assert_eq!(f.audit_len().await, before);

    let done = form(&f, Who::Admin, &format!("{uri}/enable"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let (status, cookie, _) = sign_in(&f, "liaison", PASSWORD).await;
    assert_eq!(status, 200);
    assert_eq!(me(&f, &cookie).await, 200);
    let on_the_form = form_sign_in(&f, "liaison", PASSWORD).await;
    assert_eq!(
        (on_the_form.status, on_the_form.location.as_str()),
        (StatusCode::SEE_OTHER, "/tasks")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reset_password_is_shown_once_and_ends_sessions() {
    let f = Fixture::new().await;
    let id = UserId(person(&f, "liaison").await);
    let (_, cookie, _) = sign_in(&f, "liaison", PASSWORD).await;
    assert_eq!(me(&f, &cookie).await, 200);
    let uri = format!("/admin/users/{}/password", id.0);
    // Too short: refused, nothing written, the old session stays.
    let before = f.audit_len().await;
    let refused = form(&f, Who::Admin, &uri, &[("password", "短密码")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("至少 8 个字符"));
    assert_eq!((f.audit_len().await, me(&f, &cookie).await), (before, 200));
    // Left blank: one is generated and shown on this answer only.
    let done = form(&f, Who::Admin, &uri, &[("password", "")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.cache, "no-store");
    let shown = done
        .body
        .split("新密码：<code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .expect("the new password on the page")
        .to_string();
    assert!(shown.chars().count() >= 8, "{shown}");
    assert_eq!(last_action(&f).await, "user.password");
    assert_eq!(me(&f, &cookie).await, 401, "the old session ended");
    assert_eq!(sign_in(&f, "liaison", PASSWORD).await.0, 401);
    assert_eq!(sign_in(&f, "liaison", &shown).await.0, 200);
    let (admin_cookie, _) = f.session(Who::Admin).await;
    let again = page(&f, &admin_cookie, &format!("/admin/users/{}", id.0)).await;
    assert!(!again.body.contains(&shown), "shown once only");

    // The API: a password typed, or one generated and returned once.
    let api = format!("/api/v1/users/{}/password", id.0);
    let (status, body) = f.call(Who::Admin, "POST", &api, Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let generated = body["password"].as_str().unwrap().to_string();
    assert_eq!(sign_in(&f, "liaison", &generated).await.0, 200);
    let (status, body) = f
        .call(
            Who::Admin,
            "POST",
            &api,
            Some(json!({"password": "另一个密码456"})),
        )
        .await;
    assert_eq!(
        (status, body["password"].clone()),
        (StatusCode::OK, Value::Null)
    );
    assert_eq!(sign_in(&f, "liaison", "另一个密码456").await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_merge_moves_the_tasks_to_the_kept_department() {
    let f = Fixture::new().await;
    let y_text = f.store.commitment(&f.y).await.unwrap().text;
    let (own, _) = f.session(Who::Own).await;
    let before = page(&f, &own, "/tasks").await;
    assert!(before.body.contains(f.x.as_str()));
    assert!(
        !before.body.contains(f.y.as_str()),
        "B's task is not A's yet"
    );

    // Renaming, with a short name; another department's name is refused.
    let a = format!("/admin/departments/{}", f.dept_a);
    let done = form(
        &f,
        Who::Admin,
        &a,
        &[("name", "甲局（新）"), ("short_name", "甲")],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(last_action(&f).await, "department.edit");
    let record = f
        .store
        .department_record(DepartmentId(f.dept_a))
        .await
        .unwrap();
    assert_eq!(
        (record.department.name.as_str(), record.short_name.as_str()),
        ("甲局(新)", "甲")
    );
    let audit = f.audit_len().await;
    let (status, body) = f
        .call(
            Who::Admin,
            "PATCH",
            &format!("/api/v1/departments/{}", f.dept_a),
            Some(json!({"name": "乙局"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_no_codes(body["error"]["message"].as_str().unwrap(), None);
    assert_eq!(f.audit_len().await, audit);

    // B merges into A (the page's form).
    let (admin, _) = f.session(Who::Admin).await;
    let b_page = page(&f, &admin, &format!("/admin/departments/{}", f.dept_b)).await;
    assert!(b_page.body.contains("merge-department"));
    let merge = format!("/admin/departments/{}/merge", f.dept_b);
    let into = f.dept_a.to_string();
    let audit = f.audit_len().await;
    let unconfirmed = form(&f, Who::Admin, &merge, &[("into", &into)]).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed.body.contains("请勾选「确认合并」"),
        "{}",
        unconfirmed.body
    );
    assert_eq!(f.audit_len().await, audit);
    let done = form(&f, Who::Admin, &merge, &[("into", &into), ("confirm", "1")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location, "/admin?done=merged");
    assert_eq!(last_action(&f).await, "department.merge");
    // A's list now holds B's task; B's liaison is A's and sees it too.
    let after = page(&f, &own, "/tasks").await;
    assert!(after.body.contains(f.y.as_str()), "{}", after.body);
    assert!(after.body.contains(&y_text));
    let (other, _) = f.session(Who::Other).await;
    let theirs = page(&f, &other, "/tasks").await;
    assert!(
        theirs.body.contains("甲局(新) · 我的任务"),
        "{}",
        theirs.body
    );
    assert!(theirs.body.contains(f.y.as_str()));
    let (status, body) = f
        .call(
            Who::Own,
            "GET",
            &format!("/api/v1/me/tasks?department={}&within_days=365", f.dept_a),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.to_string().contains(f.y.as_str()), "{body}");
    // B is gone from the live lists and shown as merged on the admin page.
    let (_, departments) = f
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/governments/{}/departments", f.government),
            None,
        )
        .await;
    assert!(!departments.to_string().contains("乙局"), "{departments}");
    let admin_page = page(&f, &admin, "/admin?done=merged").await;
    assert!(
        admin_page.body.contains("已并入：乙局 → 甲局(新)"),
        "{}",
        admin_page.body
    );
    // Merging it again, or into itself, is refused in Chinese and writes nothing.
    let audit = f.audit_len().await;
    for (merged, into) in [(f.dept_b, f.dept_a), (f.dept_a, f.dept_a)] {
        let (status, body) = f
            .call(
                Who::Admin,
                "POST",
                &format!("/api/v1/departments/{merged}/merge"),
                Some(json!({"into": into})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], "into");
        assert_no_codes(body["error"]["message"].as_str().unwrap(), Some("into"));
    }
    assert_eq!(f.audit_len().await, audit);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_department_sees_its_finished_tasks() {
    let f = Fixture::new().await;
    let (cookie, _) = f.session(Who::Own).await;
    let before = page(&f, &cookie, "/tasks").await;
    assert!(before.body.contains("id=\"done-tasks\""));
    assert!(before.body.contains("还没有已完成的任务"));
    // x's lead reports every target met: x is done.
    let (_, detail) = f
        .call(
            Who::Own,
            "GET",
            &format!("/api/v1/commitments/{}", f.x),
            None,
        )
        .await;
    let values: Vec<Value> = detail["commitment"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| json!({"target": t["index"], "value": t["value_max"].as_str().or(t["value"].as_str())}))
        .collect();
    let (status, body) = f
        .call(
            Who::Own,
            "POST",
            &format!("/api/v1/commitments/{}/sign-off", f.x),
            None,
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = f
        .call(
            Who::Own,
            "POST",
            &format!("/api/v1/commitments/{}/progress", f.x),
            Some(json!({"values": values, "narrative": "全部完成"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let status_now = f.store.commitment(&f.x).await.unwrap().status;
    assert_eq!(status_now, duban_core::status::Status::Done);
    let after = page(&f, &cookie, "/tasks").await;
    let done = after.body.split("id=\"done-tasks\"").nth(1).unwrap();
    assert!(done.contains(f.x.as_str()), "{done}");
    assert!(done.contains("已完成"));
    let open = after.body.split("id=\"done-tasks\"").next().unwrap();
    assert!(
        !open.contains(&format!("data-uid=\"{}\"", f.x)),
        "not among the open tasks"
    );
    // Another department does not see it.
    let (other, _) = f.session(Who::Other).await;
    let theirs = page(&f, &other, "/tasks").await;
    assert!(!theirs.body.contains(f.x.as_str()));
}
