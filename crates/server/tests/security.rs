//! The findings of the probe of the running server (issue 12: sessions, CSRF, logins, input and
//! the API contract), each replayed against the router or the real server on a loopback port.
//! Every test here failed before its fix.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use common::{Fixture, PASSWORD, Who, me, person, send, today};
use duban_server::{AppState, Settings};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A JSON sign-in from `from` (none: no client address).
fn login_request(login: &str, password: &str, from: Option<SocketAddr>) -> Request<Body> {
    let mut request = Request::post("/api/v1/session")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"login": login, "password": password}).to_string(),
        ))
        .unwrap();
    if let Some(addr) = from {
        request.extensions_mut().insert(ConnectInfo(addr));
    }
    request
}

/// Signs in over the API: (status, `Cookie` value, CSRF token, `Set-Cookie`).
async fn api_login(state: &AppState, login: &str, password: &str) -> (u16, String, String, String) {
    let response = duban_server::router(state.clone())
        .oneshot(login_request(login, password, None))
        .await
        .unwrap();
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let set_cookie = header("set-cookie");
    let cookie = set_cookie.split(';').next().unwrap_or_default().to_string();
    (status, cookie, header("x-csrf-token"), set_cookie)
}

/// The body of a response as text.
async fn body_text(response: axum::response::Response) -> String {
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The `_csrf` value of the first form on a page.
fn form_token(page: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let at = page.find(marker).expect("a form token") + marker.len();
    page[at..].split('"').next().unwrap().to_string()
}

// ---- 2. Session lifetimes are capped on the server side.

#[tokio::test(flavor = "multi_thread")]
async fn session_lifetime_is_fixed_and_capped_by_the_server() {
    let f = Fixture::new().await;
    person(&f, "liaison").await;
    let settings = Settings {
        session_ttl_secs: 10 * 365 * 24 * 3600,
        ..Settings::default()
    };
    let state = AppState::with_secret(f.store.clone(), settings, b"test secret");
    let (status, cookie, _, set_cookie) = api_login(&state, "liaison", PASSWORD).await;
    assert_eq!(status, 200);
    let max_age: i64 = set_cookie
        .split("Max-Age=")
        .nth(1)
        .and_then(|v| v.split(';').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        max_age <= duban_server::auth::MAX_SESSION_SECS,
        "{set_cookie}"
    );
    // The session's end is the server's: the row is gone past the cap, whatever the cookie says.
    let secret = cookie.split_once('=').unwrap().1;
    let later = unix_now() + duban_server::auth::MAX_SESSION_SECS + 1;
    assert!(f.store.session(secret, later).await.unwrap().is_none());
    assert!(f.store.session(secret, unix_now()).await.unwrap().is_some());
    // A cookie of the old signed format (user, expiry in the year 5138, MAC) is nobody.
    let forged = "duban_session=v1.1.99999999999.00ff.0123456789abcdef";
    assert_eq!(me(&f, forged).await, 401);
}

// ---- 3. Cookie writes need the CSRF token (header for the API) and a same-origin request.

#[tokio::test(flavor = "multi_thread")]
async fn cookie_writes_need_the_csrf_header_and_the_same_origin() {
    let f = Fixture::new().await;
    let (cookie, csrf) = f.session(Who::Own).await;
    let sign_off = format!("/api/v1/commitments/{}/sign-off", f.x);
    let here = Some("http://localhost");
    let before = f.audit_len().await;
    for (token, origin, what) in [
        (None, here, "no token"),
        (Some("forged"), here, "a wrong token"),
        (
            Some(csrf.as_str()),
            Some("http://evil.example"),
            "a foreign Origin",
        ),
        (Some(csrf.as_str()), Some("null"), "Origin null"),
        (Some(csrf.as_str()), None, "no Origin nor Referer"),
    ] {
        let (status, answer) = f
            .call_cookie(&cookie, token, origin, "POST", &sign_off, None)
            .await;
        assert_eq!(status.as_u16(), 403, "{what}: {answer}");
        assert_eq!(answer["error"]["code"], "forbidden", "{what}");
    }
    assert_eq!(f.audit_len().await, before, "a refused write wrote");
    let (status, answer) = f
        .call_cookie(&cookie, Some(&csrf), here, "POST", &sign_off, None)
        .await;
    assert_eq!(status.as_u16(), 200, "{answer}");

    // A Referer of this site stands in for a missing Origin.
    let (cookie, csrf) = f.session(Who::Supervisor).await;
    let request = Request::post(format!("/api/v1/notices/{}/close", f.notice))
        .header("host", "localhost")
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .header("referer", "http://localhost/supervisor/notices")
        .body(Body::empty())
        .unwrap();
    let (status, answer) = send(f.app(), request).await;
    assert!(
        status.is_success() || status.as_u16() == 409,
        "{status} {answer}"
    );

    // Bearer tokens are exempt: no browser adds them on its own.
    let request = Request::post("/api/v1/me/tokens")
        .header(
            "authorization",
            format!("Bearer {}", f.token(Who::Viewer).unwrap()),
        )
        .header("origin", "http://evil.example")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"name":"脚本"}"#))
        .unwrap();
    assert_eq!(send(f.app(), request).await.0.as_u16(), 201);
}

#[tokio::test(flavor = "multi_thread")]
async fn page_forms_refuse_a_foreign_origin() {
    let f = Fixture::new().await;
    let (cookie, csrf) = f.session(Who::Own).await;
    let before = f.audit_len().await;
    let request = Request::post(format!("/tasks/{}/sign-off", f.x))
        .header("host", "localhost")
        .header("origin", "http://evil.example")
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={csrf}")))
        .unwrap();
    let (status, _) = send(f.app(), request).await;
    assert_eq!(status.as_u16(), 403);
    assert_eq!(f.audit_len().await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_login_form_needs_its_token_and_the_same_origin() {
    let f = Fixture::new().await;
    person(&f, "liaison").await;
    let form = |cookie: Option<&str>, origin: &str, token: &str| {
        let mut request = Request::post("/login")
            .header("host", "localhost")
            .header("origin", origin)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request
            .body(Body::from(format!(
                "login=liaison&password={}&_csrf={token}",
                "%E6%AD%A3%E7%A1%AE%E7%9A%84%E5%AF%86%E7%A0%81123"
            )))
            .unwrap()
    };
    // The form's cookie and token, as a browser gets them.
    let (cookie, token) = common::login_form(f.app()).await;
    let here = "http://localhost";
    assert_eq!(send(f.app(), form(None, here, "")).await.0.as_u16(), 403);
    assert_eq!(
        send(f.app(), form(Some(&cookie), here, "forged"))
            .await
            .0
            .as_u16(),
        403
    );
    assert_eq!(
        send(f.app(), form(Some(&cookie), "http://evil.example", &token))
            .await
            .0
            .as_u16(),
        403
    );
    assert_eq!(
        send(f.app(), form(Some(&cookie), here, &token))
            .await
            .0
            .as_u16(),
        303
    );
    // The JSON sign-in refuses a foreign Origin too.
    let mut request = login_request("liaison", PASSWORD, None);
    request
        .headers_mut()
        .insert("origin", "http://evil.example".parse().unwrap());
    request
        .headers_mut()
        .insert("host", "localhost".parse().unwrap());
    assert_eq!(send(f.app(), request).await.0.as_u16(), 403);
}

// ---- 4. Sessions are server-side rows, ended by logout, password change and disabling.

#[tokio::test(flavor = "multi_thread")]
async fn logout_password_change_and_disabling_end_sessions() {
    let f = Fixture::new().await;
    let id = person(&f, "liaison").await;
    let here = Some("http://localhost");

    // API logout: the copied cookie no longer works.
    let (_, cookie, csrf, _) = api_login(&f.state, "liaison", PASSWORD).await;
    assert_eq!(me(&f, &cookie).await, 200);
    let (status, _) = f
        .call_cookie(
            &cookie,
            Some(&csrf),
            here,
            "DELETE",
            "/api/v1/session",
            None,
        )
        .await;
    assert_eq!(status.as_u16(), 204);
    assert_eq!(me(&f, &cookie).await, 401);

    // Page logout.
    let (_, cookie, _, _) = api_login(&f.state, "liaison", PASSWORD).await;
    let page = f
        .app()
        .oneshot(
            Request::get("/")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let form_token = form_token(&body_text(page).await);
    let request = Request::post("/logout")
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={form_token}")))
        .unwrap();
    assert_eq!(send(f.app(), request).await.0.as_u16(), 303);
    assert_eq!(me(&f, &cookie).await, 401);

    // A password change ends every session of the user (two here).
    let (_, first, csrf, _) = api_login(&f.state, "liaison", PASSWORD).await;
    let (_, second, _, _) = api_login(&f.state, "liaison", PASSWORD).await;
    let (status, answer) = f
        .call_cookie(
            &first,
            Some(&csrf),
            here,
            "PUT",
            "/api/v1/me/password",
            Some(json!({"current": PASSWORD, "new": "另一个密码456"})),
        )
        .await;
    assert_eq!(status.as_u16(), 204, "{answer}");
    assert_eq!((me(&f, &first).await, me(&f, &second).await), (401, 401));
    assert_eq!(api_login(&f.state, "liaison", PASSWORD).await.0, 401);

    // Disabling the account (admin) ends its sessions.
    let (status, cookie, _, _) = api_login(&f.state, "liaison", "另一个密码456").await;
    assert_eq!(status, 200);
    let (status, answer) = f
        .call(
            Who::Admin,
            "PATCH",
            &format!("/api/v1/users/{id}"),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{answer}");
    assert_eq!(answer["disabled"], true);
    assert_eq!(me(&f, &cookie).await, 401);
    assert_eq!(
        f.store
            .live_sessions(duban_core::ids::UserId(id), unix_now())
            .await
            .unwrap(),
        0
    );
}

// ---- 5. `next` accepts only a path on this site.

#[tokio::test(flavor = "multi_thread")]
async fn next_accepts_only_a_path_on_this_site() {
    use duban_server::pages::login::safe_next;
    for bad in [
        "/\t/evil.example/",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "evil.example",
        "/ /evil",
        "/任务",
    ] {
        assert_eq!(safe_next(Some(bad)), "", "{bad:?}");
    }
    assert_eq!(safe_next(Some("/tasks/abc?x=1")), "/tasks/abc?x=1");

    // Through the form, as the probe did it.
    let f = Fixture::new().await;
    let (status, page) = f
        .call(
            Who::Anonymous,
            "GET",
            "/login?next=/%09/evil.example/",
            None,
        )
        .await;
    assert_eq!(status.as_u16(), 200);
    let page = page.as_str().unwrap();
    assert!(page.contains("name=\"next\" value=\"\""), "{page}");
    assert!(!page.contains("evil.example"));
}

// ---- 6. The throttle: per (account, address), growing delays, Retry-After, kept in the store.

#[test]
fn login_delays_grow_and_are_capped() {
    use duban_server::auth::login_delay;
    let delays: Vec<i64> = (1..=12).map(|n| login_delay(n, 4, 900)).collect();
    assert_eq!(delays, [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
}

/// One HTTP/1.1 exchange with the real server from a chosen loopback address.
async fn http_from(local: &str, server: SocketAddr, request: &str) -> (u16, String) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{local}:0").parse().unwrap()).unwrap();
    let mut stream = socket.connect(server).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    (text[9..12].parse().unwrap(), text)
}

fn login_http(login: &str, password: &str) -> String {
    let body = json!({"login": login, "password": password}).to_string();
    format!(
        "POST /api/v1/session HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_throttle_is_per_account_and_address_and_survives_a_restart() {
    let f = Fixture::new().await;
    person(&f, "liaison").await;
    person(&f, "colleague").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(duban_server::serve(listener, f.state.clone(), async {
        let _ = stopped.await;
    }));
    for _ in 0..5 {
        let (status, _) = http_from("127.0.0.1", addr, &login_http("liaison", "wrong")).await;
        assert_eq!(status, 401);
    }
    // The right password from the same address waits, and is told how long.
    let (status, text) = http_from("127.0.0.1", addr, &login_http("liaison", PASSWORD)).await;
    assert_eq!(status, 429, "{text}");
    let retry: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("retry-after: "))
        .expect("a Retry-After header")
        .trim()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    // Another address signs in to the same account; another account from the same address too.
    let (status, _) = http_from("127.0.0.2", addr, &login_http("liaison", PASSWORD)).await;
    assert_eq!(status, 200);
    let (status, _) = http_from("127.0.0.1", addr, &login_http("colleague", PASSWORD)).await;
    assert_eq!(status, 200);
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();

    // A restart (a new state over the same database) remembers the count.
    let restarted = AppState::new(f.store.clone(), Settings::default())
        .await
        .unwrap();
    let from = Some("127.0.0.1:40000".parse().unwrap());
    let response = duban_server::router(restarted)
        .oneshot(login_request("liaison", PASSWORD, from))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
}

// ---- 9. Every text field has a length limit, stated in the OpenAPI document and the form.

#[tokio::test(flavor = "multi_thread")]
async fn text_fields_have_limits_stated_in_the_document_and_the_forms() {
    let f = Fixture::new().await;
    let before = f.audit_len().await;
    let huge = "进".repeat(3 * 1024 * 1024); // 9 MB of UTF-8
    let (status, answer) = f
        .call(
            Who::Own,
            "POST",
            &format!("/api/v1/commitments/{}/progress", f.x),
            Some(json!({"narrative": huge})),
        )
        .await;
    assert_eq!(status.as_u16(), 422);
    assert_eq!(answer["error"]["field"], "narrative");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("不超过 4000 个字"),
        "{answer}"
    );
    assert_eq!(f.audit_len().await, before);

    let doc = duban_server::api::v1::document();
    let schemas = &doc["components"]["schemas"];
    let rules = duban_core::text::NARRATIVE;
    assert_eq!(
        schemas["ProgressRequest"]["properties"]["narrative"]["maxLength"],
        rules.max_chars
    );
    assert_eq!(
        schemas["NoticeRequest"]["properties"]["message"]["maxLength"],
        duban_core::text::NOTICE_MESSAGE.max_chars
    );
    assert_eq!(
        schemas["UserRequest"]["properties"]["login"]["maxLength"],
        duban_core::text::LOGIN.max_chars
    );
    // The progress form states the same limits.
    let (_, page) = f
        .call(Who::Own, "GET", &format!("/tasks/{}/progress", f.x), None)
        .await;
    let page = page.as_str().unwrap();
    assert!(
        page.contains(&format!(
            "name=\"narrative\" maxlength=\"{}\"",
            rules.max_chars
        )),
        "{page}"
    );
    assert!(page.contains(&format!(
        "name=\"reason_text\" maxlength=\"{}\"",
        duban_core::text::REASON_TEXT.max_chars
    )));
}

// ---- 10. Text is checked once at the boundary; the writers escape what remains.

#[tokio::test(flavor = "multi_thread")]
async fn nul_and_control_characters_are_refused_naming_the_field() {
    refuses_nul_and_control_characters(Fixture::new().await).await;
}

/// PostgreSQL refuses a NUL in text outright (the probe's 500s, anonymous, through search and
/// login): the same requests on that backend are the same clear 422s, and a search without one works.
#[tokio::test(flavor = "multi_thread")]
async fn nul_and_control_characters_are_refused_on_postgresql() {
    let f = Fixture::postgres().await;
    let (status, answer) = f
        .call(
            Who::Anonymous,
            "GET",
            "/api/v1/search?q=%E5%85%BB%E8%80%81",
            None,
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{answer}");
    refuses_nul_and_control_characters(f).await;
}

async fn refuses_nul_and_control_characters(f: Fixture) {
    let before = f.audit_len().await;
    // Anonymous, through search and login: 422, not 500.
    let (status, answer) = f
        .call(Who::Anonymous, "GET", "/api/v1/search?q=%E5%85%BB%00", None)
        .await;
    assert_eq!(status.as_u16(), 422, "{answer}");
    assert_eq!(answer["error"]["field"], "q");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("U+0000")
    );
    let (status, answer) = send(f.app(), login_request("adm\0in", "x", None)).await;
    assert_eq!(status.as_u16(), 422, "{answer}");
    assert_eq!(answer["error"]["field"], "login");
    // Writes: a control character anywhere in a body is named by its path.
    let (status, answer) = f
        .call(
            Who::Own,
            "POST",
            &format!("/api/v1/commitments/{}/progress", f.x),
            Some(json!({"values": [{"target": 0, "value": "1\u{7}"}], "narrative": "好"})),
        )
        .await;
    assert_eq!(status.as_u16(), 422);
    assert_eq!(answer["error"]["field"], "values[0].value");
    let (status, answer) = f
        .call(
            Who::Supervisor,
            "POST",
            "/api/v1/notices",
            Some(json!({"commitment": f.x.as_str(), "due": "2020-10-15", "message": "请\u{202e}加快"})),
        )
        .await;
    assert_eq!(status.as_u16(), 422);
    assert_eq!(answer["error"]["field"], "message");
    // A form too.
    let (cookie, csrf) = f.session(Who::Own).await;
    let request = Request::post(format!("/tasks/{}/progress", f.x))
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "_csrf={csrf}&as_of=2020-09-30&narrative=%E5%A5%BD%00"
        )))
        .unwrap();
    let (status, page) = send(f.app(), request).await;
    assert_eq!(status.as_u16(), 422);
    assert!(page.as_str().unwrap().contains("U+0000"));
    assert_eq!(f.audit_len().await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn names_cannot_pose_as_others() {
    let f = Fixture::new().await;
    let before = f.audit_len().await;
    for login in ["\u{430}dmin", "admin\u{200b}", "ad\u{202e}min", "ad min"] {
        let (status, answer) = f
            .call(
                Who::Admin,
                "POST",
                "/api/v1/users",
                Some(json!({"login": login, "name": "冒充者", "role": "viewer"})),
            )
            .await;
        assert_eq!(status.as_u16(), 422, "{login:?}: {answer}");
        assert_eq!(answer["error"]["field"], "login", "{login:?}");
    }
    // Upper case and full width fold onto the existing `admin`.
    for login in ["ADMIN", "ａｄｍｉｎ"] {
        let (status, answer) = f
            .call(
                Who::Admin,
                "POST",
                "/api/v1/users",
                Some(json!({"login": login, "name": "冒充者", "role": "viewer"})),
            )
            .await;
        assert_eq!(status.as_u16(), 409, "{login:?}: {answer}");
    }
    let (status, answer) = f
        .call(
            Who::Admin,
            "POST",
            "/api/v1/departments",
            Some(json!({"government": "苏州市", "name": "甲\u{200d}局"})),
        )
        .await;
    assert_eq!(status.as_u16(), 422, "{answer}");
    assert_eq!(answer["error"]["field"], "name");
    assert_eq!(f.audit_len().await, before);
}

/// A department whose stored name holds what a writer must not pass on, leading a task with
/// an open notice, so that the bulletins print it.
async fn hostile_department(f: &Fixture, name: &str) {
    let department = f
        .store
        .add_department("test", "苏州市", name)
        .await
        .unwrap();
    let report = f
        .store
        .report(duban_core::ids::ReportId(f.report))
        .await
        .unwrap();
    let z = report
        .commitments
        .iter()
        .find(|c| c.uid != f.x && c.uid != f.y)
        .unwrap()
        .uid
        .clone();
    let day = duban_core::date::Date::from_calendar_date(2020, time::Month::January, 10).unwrap();
    f.store
        .assign("test", &z, department.id, vec![], None, day)
        .await
        .unwrap();
    f.store
        .issue_notice(f.user(Who::Supervisor), &z, today(), "请说明", day)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bulletins_escape_what_they_print() {
    let f = Fixture::new().await;
    hostile_department(&f, "<script>alert(1)</script>局\u{1}\u{b}").await;
    let (status, markdown) = f
        .call(Who::Supervisor, "GET", "/supervisor/bulletin.md", None)
        .await;
    assert_eq!(status.as_u16(), 200);
    let markdown = markdown.as_str().unwrap();
    assert!(!markdown.contains("<script>"), "{markdown}");
    assert!(
        markdown.contains("&#60;script&#62;alert(1)&#60;/script&#62;局"),
        "{markdown}"
    );

    let response = f
        .app()
        .oneshot(
            Request::get("/supervisor/bulletin.docx")
                .header(
                    "authorization",
                    format!("Bearer {}", f.token(Who::Supervisor).unwrap()),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(
        xml.contains("&#60;script&#62;alert(1)&#60;/script&#62;局"),
        "{xml}"
    );
    let bad = xml
        .chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'));
    assert_eq!(bad, None, "a character XML 1.0 forbids");
}

// ---- Low, and the API contract.

#[tokio::test(flavor = "multi_thread")]
async fn content_type_is_matched_exactly() {
    let f = Fixture::new().await;
    let (status, answer) = f
        .call_raw(
            Who::Viewer,
            "POST",
            "/api/v1/me/tokens",
            "application/jsonx",
            r#"{"name":"x"}"#,
        )
        .await;
    assert_eq!(status.as_u16(), 415, "{answer}");
    assert_eq!(answer["error"]["field"], "body");
    let (status, _) = f
        .call_raw(
            Who::Viewer,
            "POST",
            "/api/v1/me/tokens",
            "Application/JSON; charset=utf-8",
            r#"{"name":"x"}"#,
        )
        .await;
    assert_eq!(status.as_u16(), 201);
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_carry_security_headers() {
    let f = Fixture::new().await;
    for path in ["/", "/login", "/api/v1/reports"] {
        let response = f
            .app()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_cannot_mint_tokens_that_outlive_it() {
    let f = Fixture::new().await;
    let parent = f.token(Who::Viewer).unwrap().to_string();
    let mint = |bearer: String| {
        Request::post("/api/v1/me/tokens")
            .header("authorization", format!("Bearer {bearer}"))
            .header("content-type", "application/json")
            .body(Body::from(r#"{"name":"子令牌"}"#))
            .unwrap()
    };
    let (status, child) = send(f.app(), mint(parent.clone())).await;
    assert_eq!(status.as_u16(), 201);
    let child = child["token"].as_str().unwrap().to_string();
    let (status, grandchild) = send(f.app(), mint(child.clone())).await;
    assert_eq!(status.as_u16(), 201);
    let grandchild = grandchild["token"].as_str().unwrap().to_string();
    // Revoke the parent (its id from the list: the fixture's first token, named `test`).
    let (_, tokens) = f.call(Who::Viewer, "GET", "/api/v1/me/tokens", None).await;
    let id = tokens
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "test")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, _) = f
        .call(
            Who::Viewer,
            "DELETE",
            &format!("/api/v1/me/tokens/{id}"),
            None,
        )
        .await;
    assert_eq!(status.as_u16(), 204);
    for token in [parent, child, grandchild] {
        let request = Request::get("/api/v1/me")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(send(f.app(), request).await.0.as_u16(), 401);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn as_of_before_the_plan_year_is_refused() {
    let f = Fixture::new().await;
    let before = f.audit_len().await;
    for as_of in ["1900-01-01", "2019-12-31"] {
        let (status, answer) = f
            .call(
                Who::Own,
                "POST",
                &format!("/api/v1/commitments/{}/progress", f.x),
                Some(json!({"as_of": as_of, "values": [{"target": 0, "value": "1"}]})),
            )
            .await;
        assert_eq!(status.as_u16(), 422, "{as_of}: {answer}");
        assert_eq!(answer["error"]["field"], "as_of");
    }
    assert_eq!(f.audit_len().await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn permission_is_checked_before_the_body() {
    let f = Fixture::new().await;
    let cases = [
        (
            Who::Other,
            "POST",
            format!("/api/v1/commitments/{}/progress", f.x),
        ),
        (
            Who::Own,
            "PUT",
            format!("/api/v1/commitments/{}/assignment", f.x),
        ),
        (Who::Viewer, "POST", "/api/v1/notices".to_string()),
        (
            Who::Other,
            "POST",
            format!("/api/v1/notices/{}/answer", f.notice),
        ),
        (Who::Supervisor, "POST", "/api/v1/users".to_string()),
        (Who::Viewer, "POST", "/api/v1/departments".to_string()),
        (Who::Viewer, "PATCH", "/api/v1/users/1".to_string()),
    ];
    for (who, method, uri) in cases {
        for (content_type, body) in [("application/json", "{malformed"), ("text/plain", "x")] {
            let (status, answer) = f.call_raw(who, method, &uri, content_type, body).await;
            assert_eq!(
                status.as_u16(),
                403,
                "{method} {uri} as {who:?} ({content_type}): {answer}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_states_statuses_security_and_types() {
    let f = Fixture::new().await;
    let (_, doc) = f
        .call(Who::Anonymous, "GET", "/api/v1/openapi.json", None)
        .await;
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            let has_input = op.get("requestBody").is_some()
                || op["parameters"].as_array().is_some_and(|p| !p.is_empty());
            if has_input && !responses.contains_key("422") {
                missing.push(format!("{method} {path}: 422"));
            }
            let signs_in = path == "/api/v1/session" && method == "post";
            if !signs_in && !responses.contains_key("401") {
                missing.push(format!("{method} {path}: 401"));
            }
            if method != "get" && !responses.contains_key("403") {
                missing.push(format!("{method} {path}: 403"));
            }
            if op["security"].as_array().is_none() {
                missing.push(format!("{method} {path}: security"));
            }
            if op.get("parameters").is_some_and(|p| !p.is_array()) {
                missing.push(format!("{method} {path}: parameters is not a list"));
            }
            if op.get("requestBody").is_some()
                && !(responses.contains_key("413") && responses.contains_key("415"))
            {
                missing.push(format!("{method} {path}: 413 and 415"));
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                if [
                    "limit",
                    "offset",
                    "report",
                    "department",
                    "government",
                    "within_days",
                ]
                .contains(&p["name"].as_str().unwrap())
                    && p["schema"]["type"] != "integer"
                {
                    missing.push(format!("{method} {path}: {} as integer", p["name"]));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
    // The bounds the handlers hold are stated.
    let limit = doc["paths"]["/api/v1/commitments"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap();
    assert_eq!(limit["schema"]["minimum"], 1);
    assert_eq!(limit["schema"]["maximum"], 500);
    // And the statuses documented are the ones answered: an integer parameter that is not one,
    // empty or out of its bounds.
    for query in ["limit=abc", "limit=", "limit=%205", "limit=0", "offset=-1"] {
        let (status, answer) = f
            .call(
                Who::Anonymous,
                "GET",
                &format!("/api/v1/commitments?{query}"),
                None,
            )
            .await;
        assert_eq!(status.as_u16(), 422, "{query}: {answer}");
        assert!(answer["error"]["field"] == "limit" || answer["error"]["field"] == "offset");
    }
    // A department that does not exist, named in a query: 404, as documented.
    let (status, _) = f
        .call(Who::Admin, "GET", "/api/v1/me/tasks?department=0", None)
        .await;
    assert_eq!(status.as_u16(), 404);
    assert!(doc["paths"]["/api/v1/me/tasks"]["get"]["responses"]["404"].is_object());
    // Signing out needs someone signed in; a wrong token is 401 there too.
    let (status, _) = f
        .call(Who::Anonymous, "DELETE", "/api/v1/session", None)
        .await;
    assert_eq!(status.as_u16(), 401);
    let wrong = Request::delete("/api/v1/session")
        .header("authorization", "Bearer dbn_wrong")
        .body(Body::empty())
        .unwrap();
    let (status, _) = send(f.app(), wrong).await;
    assert_eq!(status.as_u16(), 401);
    // A body over the server's limit: 413 in the API's format.
    let settings = Settings {
        max_body_bytes: 1024,
        ..Settings::default()
    };
    let small = AppState::new(f.store.clone(), settings).await.unwrap();
    let token = f
        .users
        .iter()
        .find(|u| u.0 == Who::Viewer)
        .unwrap()
        .2
        .clone();
    let big = Request::post("/api/v1/me/tokens")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(format!(r#"{{"name":"{}"}}"#, "x".repeat(4096))))
        .unwrap();
    let (status, answer) = send(duban_server::router(small), big).await;
    assert_eq!(status.as_u16(), 413, "{answer}");
    assert_eq!(answer["error"]["code"], "too_large");
    let _: Value = doc;
}
