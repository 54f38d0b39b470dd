//! Findings of the security probe on data (issue 12, items 1 and 8) replayed against the real
//! server on a loopback port: hostile spreadsheets answered with a clear zh-CN refusal while the
//! process lives on, and evidence files served and cited only where the task allows it.

mod common;

use std::io::Write;
use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Fixture, Who};
use serde_json::{Value, json};

use duban_core::auth::Role;
use duban_server::{AppState, Settings};
use duban_store::Store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PASSWORD: &str = "correct horse battery";

/// The server on `127.0.0.1:0` over a fresh SQLite store holding the seed report.
struct Server {
    addr: SocketAddr,
    store: Store,
    report: i64,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    async fn start() -> Server {
        let (dir, store, summary) = common::seeded_store("s.db").await;
        let hash = duban_store::password::hash_password(PASSWORD).unwrap();
        store
            .add_user("test", "dc", "督查室", Role::Supervisor, &hash)
            .await
            .unwrap();
        let settings = Settings {
            as_of: Some(duban_core::date::parse_date("t", "2020-09-30").unwrap()),
            evidence_dir: Some(dir.path().join("evidence")),
            ..Settings::default()
        };
        let state = AppState::with_secret(store.clone(), settings, b"security test secret");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(duban_server::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            store,
            report: summary.report_id,
            _dir: dir,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// One HTTP/1.1 exchange; the status, the raw head and the body.
    async fn exchange(&self, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.unwrap();
        let request = format!(
            "{head}Host: localhost\r\nOrigin: http://localhost\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        stream.write_all(body).await.unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.unwrap();
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let head = String::from_utf8_lossy(&response[..split]).into_owned();
        let status = head[9..12].parse().unwrap();
        (status, head, response[split + 4..].to_vec())
    }

    async fn get(&self, path: &str, cookie: &str) -> (u16, String, Vec<u8>) {
        self.exchange(&format!("GET {path} HTTP/1.1\r\nCookie: {cookie}\r\n"), b"")
            .await
    }

    /// Signs in through the login form; the cookie header and the CSRF token of the forms.
    async fn login(&self, login: &str) -> (String, String) {
        let (_, head, page) = self.get("/login", "").await;
        let mut cookies = set_cookies(&head);
        let mut form = format!("login={login}&password={}", PASSWORD.replace(' ', "+"));
        if let Some(csrf) = csrf_of(&String::from_utf8_lossy(&page)) {
            form.push_str(&format!("&_csrf={csrf}"));
        }
        let (status, head, body) = self
            .exchange(
                &format!(
                    "POST /login HTTP/1.1\r\nCookie: {cookies}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                ),
                form.as_bytes(),
            )
            .await;
        assert_eq!(status, 303, "{}", String::from_utf8_lossy(&body));
        let fresh = set_cookies(&head);
        if !fresh.is_empty() {
            cookies = fresh;
        }
        let (_, _, page) = self.get("/", &cookies).await;
        let csrf = csrf_of(&String::from_utf8_lossy(&page)).expect("a CSRF field");
        (cookies, csrf)
    }

    async fn multipart(
        &self,
        path: &str,
        (cookie, csrf): &(String, String),
        pairs: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> (u16, String) {
        let boundary = "----dubanSecurityBoundary";
        let mut body = Vec::new();
        for (k, v) in pairs.iter().chain([&("_csrf", csrf.as_str())]) {
            write!(
                body,
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
            )
            .unwrap();
        }
        let (field, name, bytes) = file;
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        write!(body, "\r\n--{boundary}--\r\n").unwrap();
        let (status, _, reply) = self
            .exchange(
                &format!(
                    "POST {path} HTTP/1.1\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
                ),
                &body,
            )
            .await;
        (status, String::from_utf8_lossy(&reply).into_owned())
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }
}

fn set_cookies(head: &str) -> String {
    head.lines()
        .filter_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().split(';').next().unwrap_or("").to_string())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn csrf_of(page: &str) -> Option<String> {
    let marker = "name=\"_csrf\" value=\"";
    let at = page.find(marker)? + marker.len();
    Some(page[at..].split('"').next()?.to_string())
}

/// A workbook built by hand (the parts Excel needs), with this worksheet XML.
fn workbook(sheet: &str) -> Vec<u8> {
    const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{sheet}</worksheet>"#
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn cell(reference: &str, text: &str) -> String {
    format!(r#"<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A table with the usual header and `rows` task rows (none of them in the report).
fn long_table(rows: usize) -> Vec<u8> {
    let mut xml = String::from("<sheetData><row r=\"1\">");
    for (col, name) in ["A", "B", "C", "D", "E"].iter().zip([
        "序号",
        "工作任务",
        "牵头单位",
        "配合单位",
        "完成时限",
    ]) {
        xml.push_str(&cell(&format!("{col}1"), name));
    }
    xml.push_str("</row>");
    for i in 0..rows {
        let r = i + 2;
        write_row(&mut xml, r, i);
    }
    xml.push_str("</sheetData>");
    workbook(&xml)
}

fn write_row(xml: &mut String, r: usize, i: usize) {
    use std::fmt::Write as _;
    let _ = write!(
        xml,
        "<row r=\"{r}\"><c r=\"A{r}\"><v>{i}</v></c>{}{}<c r=\"E{r}\" t=\"inlineStr\"><is><t>年底</t></is></c></row>",
        cell(&format!("B{r}"), &format!("报告里没有的第{i}项任务")),
        cell(&format!("C{r}"), "市不存在局"),
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_spreadsheets_are_refused_and_the_server_lives_on() {
    let server = Server::start().await;
    let agent = server.login("dc").await;
    let report = server.report.to_string();
    let import = async |name: &str, bytes: &[u8]| {
        server
            .multipart(
                "/supervisor/import",
                &agent,
                &[("report", &report)],
                ("file", name, bytes),
            )
            .await
    };

    // The probe's file: cells A1 and XFD1048576, the sheet declaring that whole extent.
    let declared = workbook(&format!(
        r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{}</row><row r="1048576">{}</row></sheetData>"#,
        cell("A1", "序号"),
        cell("XFD1048576", "x")
    ));
    assert!(declared.len() < 2048, "{} bytes", declared.len());
    let (status, html) = import("坏表.xlsx", &declared).await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("工作表声明的范围到 XFD1048576") && html.contains("超过上限"),
        "{html}"
    );

    // A reference of more letters than any column has (found by the `table` fuzz target,
    // 2026-12-04): the reader's column arithmetic overflows; a clear refusal, no panic.
    let overflowing = workbook(&format!(
        r#"<dimension ref="A1:SHEETMLMAINXMLNS1"/><sheetData><row r="1">{}</row></sheetData>"#,
        cell("A1", "序号")
    ));
    let (status, html) = import("坏表.xlsx", &overflowing).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("单元格引用无效"), "{html}");

    // The same cells with no declaration: the far cell itself is refused.
    let undeclared = workbook(&format!(
        r#"<sheetData><row r="1">{}</row><row r="1048576">{}</row></sheetData>"#,
        cell("A1", "序号"),
        cell("XFD1048576", "x")
    ));
    let (status, html) = import("坏表.xlsx", &undeclared).await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("单元格 XFD1048576 有内容，超出上限"),
        "{html}"
    );

    // A compression bomb: 40 MB of one letter in a few kilobytes.
    let bomb = workbook(&format!(
        "<sheetData><row r=\"1\">{}</row></sheetData>",
        cell("A1", &"a".repeat(40 * 1024 * 1024))
    ));
    assert!(bomb.len() < 200 * 1024, "{} bytes", bomb.len());
    let (status, html) = import("炸弹.xlsx", &bomb).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("超过解压上限 32 MB"), "{html}");

    // 100,000 rows: refused at the row cap, with no row listed.
    let long = long_table(100_000);
    let (status, html) = import("十万行.xlsx", &long).await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("A5011 有内容，超出上限") && html.contains("最多 5000 行任务"),
        "{html}"
    );
    assert!(html.len() < 64 * 1024, "{} bytes of refusal", html.len());

    // 300 bad rows: the first 50 listed, and the refusal says so.
    let (status, html) = import("三百行.xlsx", &long_table(300)).await;
    assert_eq!(status, 422);
    assert_eq!(html.matches("<tr class=\"bad\">").count(), 50, "{html}");
    assert!(
        html.contains("只列出前 50 行，第 52 行起未再检查"),
        "{html}"
    );

    // Nothing was assigned, and the process still answers.
    let assigned = server.store.audit_events(0, 1_000_000).await.unwrap();
    assert!(assigned.iter().all(|e| e.action != "assignment.create"));
    let (status, _, _) = server.get("/healthz", "").await;
    assert_eq!(status, 200);
    server.stop().await;
}

/// The API as `who`, on a state that keeps evidence files in `dir`.
async fn call(
    f: &Fixture,
    state: &AppState,
    who: Who,
    method: &str,
    uri: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", content_type);
    if let Some(token) = f.token(who) {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    common::send(
        duban_server::router(state.clone()),
        request.body(Body::from(body)).unwrap(),
    )
    .await
}

#[tokio::test]
async fn evidence_is_served_and_cited_only_where_the_task_allows() {
    let f = Fixture::new().await;
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        as_of: Some(common::today()),
        evidence_dir: Some(dir.path().to_path_buf()),
        ..Settings::default()
    };
    let state = AppState::with_secret(f.store.clone(), settings, b"evidence secret");
    let pdf = b"%PDF-1.4 acceptance record".to_vec();
    let upload = |who: Who, task: String, name: &str, bytes: Vec<u8>| {
        let (f, state) = (&f, &state);
        let uri = format!("/api/v1/commitments/{task}/evidence?name={name}");
        async move {
            call(
                f,
                state,
                who,
                "POST",
                &uri,
                "application/octet-stream",
                bytes,
            )
            .await
        }
    };
    let x = f.x.to_string();
    let y = f.y.to_string();

    // The lead uploads for its task; another department may not.
    let (status, body) = upload(Who::Own, x.clone(), "a.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let sha = body["sha256"].as_str().unwrap().to_string();
    let (status, _) = upload(Who::Other, x.clone(), "a.pdf", pdf.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The form's limits hold for the API: size and type.
    let mut big = b"%PDF-1.4 ".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b'x');
    let (status, body) = upload(Who::Own, x.clone(), "big.pdf", big).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("超过 5 MB"), "{body}");
    let (status, body) = upload(Who::Own, x.clone(), "a.exe", b"MZ\x90".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "name", "{body}");
    // B uploads a file for its own task y.
    let other_pdf = b"%PDF-1.4 department B".to_vec();
    let (status, body) = upload(Who::Other, y.clone(), "b.pdf", other_pdf.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let b_sha = body["sha256"].as_str().unwrap().to_string();

    let report = |refs: Vec<Value>| {
        let (f, state, x) = (&f, &state, x.clone());
        let body = json!({"values": [{"target": 0, "value": "1"}], "evidence": refs,
                            "lag_reason": {"code": "funding", "text": "资金未到位"}})
        .to_string()
        .into_bytes();
        async move {
            call(
                f,
                state,
                Who::Own,
                "POST",
                &format!("/api/v1/commitments/{x}/progress"),
                "application/json",
                body,
            )
            .await
        }
    };
    let before = f.audit_len().await;
    // A file never uploaded, another department's file, 100,000 references: all refused.
    let never = "c".repeat(64);
    let (status, body) = report(vec![json!({"name": "n.pdf", "sha256": never})]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "evidence[0].sha256", "{body}");
    let (status, body) = report(vec![json!({"name": "b.pdf", "sha256": b_sha})]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let many: Vec<Value> = (0..100_000)
        .map(|_| json!({"name": "a.pdf", "sha256": sha}))
        .collect();
    let (status, body) = report(many).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("最多 5 个"), "{body}");
    assert_eq!(f.audit_len().await, before, "refusals write nothing");
    // Its own upload: accepted.
    let (status, body) = report(vec![json!({"name": "a.pdf", "sha256": sha})]).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // The file is served to those who may read task x, and to no other department.
    let get = |who: Who, hash: String| {
        let (f, state) = (&f, &state);
        async move {
            call(
                f,
                state,
                who,
                "GET",
                &format!("/evidence/{hash}"),
                "text/plain",
                Vec::new(),
            )
            .await
        }
    };
    let (status, body) = get(Who::Own, sha.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_str().unwrap().as_bytes(), pdf.as_slice());
    let (status, _) = get(Who::Supervisor, sha.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = get(Who::Other, sha.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = get(Who::Own, b_sha.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = get(Who::Anonymous, sha.clone()).await;
    assert!(
        status.is_redirection() || status == StatusCode::UNAUTHORIZED,
        "{status}"
    );
    let (status, _) = get(Who::Own, "d".repeat(64)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Evidence files go into the backup and come back with restore.
    let mut backup = Vec::new();
    let summary = f
        .store
        .backup_with(&mut backup, Some(dir.path()))
        .await
        .unwrap();
    assert_eq!(summary.evidence_files, 2, "{summary:?}");
    let target_dir = tempfile::tempdir().unwrap();
    let target_url = format!("sqlite:{}", target_dir.path().join("r.db").display());
    let key = f._dir.path().join("t.db.audit-key");
    let paths = duban_store::AuditPaths {
        key,
        checkpoints: target_dir.path().join("checkpoints"),
    };
    let target = Store::open_with(&target_url, Some(&paths)).await.unwrap();
    let files = target_dir.path().join("evidence");
    let restored = target
        .restore_with(backup.as_slice(), Some(&files))
        .await
        .unwrap();
    assert_eq!(restored.evidence_files, 2);
    assert_eq!(std::fs::read(files.join(&sha)).unwrap(), pdf);
    assert_eq!(std::fs::read(files.join(&b_sha)).unwrap(), other_pdf);
}
