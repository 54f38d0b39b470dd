//! A new report through the API, as the supervision office would try it: upload (multipart),
//! a draft nobody else sees, corrections (each audited; bad ones named and changing nothing),
//! publish (once), the portal's API showing the corrections.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Fixture, Who, send};
use serde_json::{Value, json};

const BOUNDARY: &str = "dubanTestBoundary7MA4YWxk";

fn multipart(files: &[(&str, &[u8])], fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (file, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(fixture: &Fixture, who: Who, body: Vec<u8>) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method("POST")
        .uri("/api/v1/drafts")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    if let Some(token) = fixture.token(who) {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    send(fixture.app(), request.body(Body::from(body)).unwrap()).await
}

/// Calls as the supervision office (a supervisor's token).
async fn office(
    fixture: &Fixture,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    fixture.call(Who::Supervisor, method, uri, body).await
}

/// Uploads `body` as the supervisor in 64 KB chunks (as a client sends it), declaring
/// `declared` as its length if given: the answer and how many bytes the server took.
async fn stream_upload(
    fixture: &Fixture,
    body: &[u8],
    declared: Option<usize>,
) -> (StatusCode, Value, usize) {
    let (mut sender, channel) = http_body_util::channel::Channel::<axum::body::Bytes>::new(1);
    let chunks: Vec<axum::body::Bytes> = body
        .chunks(64 * 1024)
        .map(axum::body::Bytes::copy_from_slice)
        .collect();
    let feeder = tokio::spawn(async move {
        let mut sent = 0usize;
        for chunk in chunks {
            let n = chunk.len();
            if sender.send_data(chunk).await.is_err() {
                break;
            }
            sent += n;
        }
        sent
    });
    let mut request = Request::builder()
        .method("POST")
        .uri("/api/v1/drafts")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(
            "authorization",
            format!("Bearer {}", fixture.token(Who::Supervisor).unwrap()),
        );
    if let Some(n) = declared {
        request = request.header("content-length", n.to_string());
    }
    let (status, answer) = send(fixture.app(), request.body(Body::new(channel)).unwrap()).await;
    (status, answer, feeder.await.unwrap())
}

/// Makes a correction the office's way (it must be accepted) and returns the draft after it.
async fn corrected(fixture: &Fixture, draft: i64, body: Value) -> Value {
    let url = format!("/api/v1/drafts/{draft}/corrections");
    let (status, answer) = office(fixture, "POST", &url, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    office(fixture, "GET", &format!("/api/v1/drafts/{draft}"), None)
        .await
        .1
}

fn message(answer: &Value) -> String {
    answer["error"]["message"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// A second short report: the demo draft's text under another year's title, so it is new.
fn other_report() -> Vec<u8> {
    common::retitled_draft(2022)
}

#[tokio::test(flavor = "multi_thread")]
async fn upload_reads_the_header_and_refuses_what_is_no_report() {
    let fixture = Fixture::new().await;
    let before = fixture.audit_len().await;
    // Not allowed for others.
    for who in [Who::Anonymous, Who::Viewer, Who::Own] {
        let (status, _) =
            upload(&fixture, who, multipart(&[("r.txt", &other_report())], &[])).await;
        assert!(matches!(status.as_u16(), 401 | 403), "{who:?}: {status}");
    }
    // Bad files: none, an image, text that is no report; each names the field and stores nothing.
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    for (files, needle) in [
        (vec![], "请选择报告文件"),
        (vec![("scan.png", png)], "scan.png"),
        (
            vec![("note.txt", "今天天气很好，我们去公园散步。".as_bytes())],
            "看不出是政府工作报告",
        ),
    ] {
        let (status, answer) = upload(&fixture, Who::Supervisor, multipart(&files, &[])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["field"], "files", "{answer}");
        assert!(message(&answer).contains(needle), "{answer}");
    }
    let (status, answer) = upload(
        &fixture,
        Who::Supervisor,
        multipart(&[("r.txt", &other_report())], &[("year", "明年")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["error"]["field"], "year", "{answer}");
    assert_eq!(fixture.audit_len().await, before);
    // A good upload: government and year from the title.
    let (status, answer) = upload(
        &fixture,
        Who::Supervisor,
        multipart(&[("r.txt", &other_report())], &[]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["government"], "苏州市");
    assert_eq!(answer["year"], 2022);
    assert_eq!(answer["published"], false);
    assert!(answer["commitments"].as_u64().unwrap() > 5);
    // The same again: refused by the report's title.
    let (status, answer) = upload(
        &fixture,
        Who::Supervisor,
        multipart(&[("r.txt", &other_report())], &[]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        message(&answer).contains("2022年苏州市政府工作报告"),
        "{answer}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_is_corrected_then_published() {
    let fixture = Fixture::new().await;
    let draft = fixture.draft;
    // Hidden from everyone's public reads, listed for the office.
    for who in Who::ALL {
        let (status, _) = fixture
            .call(who, "GET", &format!("/api/v1/reports/{draft}"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{who:?}");
        let (_, list) = fixture.call(who, "GET", "/api/v1/reports", None).await;
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|r| r["id"] != json!(draft)),
            "{who:?}"
        );
    }
    let (_, drafts) = office(&fixture, "GET", "/api/v1/drafts", None).await;
    assert_eq!(drafts[0]["id"], json!(draft));
    let (status, view) = office(&fixture, "GET", &format!("/api/v1/drafts/{draft}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let text = view["text"].as_str().unwrap().to_string();
    let commitments = view["commitments"].as_array().unwrap().clone();
    let (commitment, target) = commitments
        .iter()
        .find_map(|c| {
            c["targets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["indicator"].as_str().unwrap().contains("就业"))
                .map(|t| (c.clone(), t.clone()))
        })
        .expect("a jobs target");
    let uid = commitment["id"].as_str().unwrap().to_string();
    let [start, end] = [
        target["span"][0].as_i64().unwrap(),
        target["span"][1].as_i64().unwrap(),
    ];
    let url = format!("/api/v1/drafts/{draft}/corrections");
    let before = fixture.audit_len().await;
    // Bad corrections: named, nothing changed.
    let len = text.chars().count() as i64;
    for (body, field) in [
        (
            json!({"kind": "edit_target", "commitment": uid, "start": start, "end": end, "value": "很多"}),
            "value",
        ),
        (
            json!({"kind": "add_commitment", "start": len + 1, "end": len + 9}),
            "start",
        ),
        (
            json!({"kind": "add_target", "start": 5, "end": 5, "indicator": "x", "value": "1"}),
            "end",
        ),
        (json!({"kind": "add_commitment"}), "start"),
        (
            json!({"kind": "edit_target", "commitment": uid, "start": start, "end": end, "cmp": "多于"}),
            "cmp",
        ),
        (json!({"kind": "frobnicate"}), "kind"),
    ] {
        let (status, answer) = office(&fixture, "POST", &url, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} {answer}");
        assert_eq!(answer["error"]["field"], field, "{body} {answer}");
        assert!(!message(&answer).is_empty());
    }
    assert_eq!(fixture.audit_len().await, before);
    // Edit the target, delete another, add one from a span.
    let (status, answer) = office(
        &fixture,
        "POST",
        &url,
        Some(
            json!({"kind": "edit_target", "commitment": uid, "start": start, "end": end,
                        "value": "16万", "cmp": "ge", "indicator": "城镇新增就业"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let victim = commitments
        .iter()
        .find_map(|c| {
            c["targets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["indicator"].as_str().unwrap().contains("电梯"))
                .map(|t| (c["id"].clone(), t["span"].clone()))
        })
        .expect("the lift target");
    let (status, answer) = office(
        &fixture,
        "POST",
        &url,
        Some(json!({"kind": "delete_target", "commitment": victim.0,
                        "start": victim.1[0], "end": victim.1[1]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let income = "居民人均可支配收入增长与经济增长基本同步";
    let at = text.find(income).unwrap();
    let s = text[..at].chars().count() as i64;
    let covered = commitments
        .iter()
        .any(|c| c["span"][0].as_i64().unwrap() <= s && s < c["span"][1].as_i64().unwrap());
    if !covered {
        let (status, answer) = office(&fixture, "POST", &url, Some(json!({"kind": "add_commitment", "start": s, "end": s + income.chars().count() as i64}))).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let (status, answer) = office(&fixture, "POST", &url, Some(json!({"kind": "add_target", "start": s, "end": s + income.chars().count() as i64,
                        "indicator": "居民人均可支配收入增长", "value": "6", "unit": "%", "cmp": "approx"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let events = fixture.store.audit_events(0, 1_000_000).await.unwrap();
    let corrections = events
        .iter()
        .filter(|e| e.action == "report.correct")
        .count();
    assert_eq!(corrections, if covered { 3 } else { 4 });
    // Ids stayed.
    let (_, view) = office(&fixture, "GET", &format!("/api/v1/drafts/{draft}"), None).await;
    let ids: Vec<&str> = view["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&uid.as_str()));
    assert!(
        view["corrections"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["stale"].is_null())
    );
    // Suggestions: the jobs commitment goes to 人力资源社会保障.
    let (_, suggestions) = office(
        &fixture,
        "GET",
        &format!("/api/v1/drafts/{draft}/suggestions"),
        None,
    )
    .await;
    let jobs_uid = view["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["text"].as_str().unwrap().contains("重点群体就业"))
        .map(|c| c["id"].clone())
        .unwrap();
    let jobs = suggestions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["commitment"] == jobs_uid)
        .unwrap();
    assert!(
        jobs["department"]
            .as_str()
            .unwrap()
            .contains("人力资源社会保障"),
        "{jobs}"
    );
    // Assignment before publication is refused.
    let (status, _) = office(
        &fixture,
        "PUT",
        &format!("/api/v1/commitments/{uid}/assignment"),
        Some(json!({"lead": fixture.dept_a, "support": [], "deadline": "2021-12-31"})),
    )
    .await;
    assert_ne!(status, StatusCode::OK);
    // Publish once; the public API shows the corrections and links the year before.
    let (status, published) = office(
        &fixture,
        "POST",
        &format!("/api/v1/drafts/{draft}/publish"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(published["previous_report_id"], json!(fixture.report));
    let before = fixture.audit_len().await;
    let (status, answer) = office(
        &fixture,
        "POST",
        &format!("/api/v1/drafts/{draft}/publish"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message(&answer).contains("无需再次发布"), "{answer}");
    assert_eq!(fixture.audit_len().await, before);
    let (status, public) = fixture
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/reports/{draft}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let c = public["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == json!(uid))
        .unwrap();
    let t = c["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["span"][0] == json!(start))
        .unwrap();
    assert_eq!(t["indicator"], "城镇新增就业");
    assert_eq!(t["value"], "160000");
    assert!(!public["commitments"].as_array().unwrap().iter().any(|c| {
        c["targets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["indicator"].as_str().unwrap().contains("电梯"))
    }));
    // Corrections on the published report are refused.
    let (status, _) = office(
        &fixture,
        "POST",
        &url,
        Some(json!({"kind": "set_role", "path": "三", "role": "other"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_field_is_bounded_and_the_upload_refused_while_read() {
    let fixture = Fixture::new().await;
    let draft = fixture.draft;
    let url = format!("/api/v1/drafts/{draft}/corrections");
    let before = fixture.audit_len().await;
    // Correction fields pass the same text rule as every other input.
    for (body, field, needle) in [
        (
            json!({"kind": "add_target", "start": 0, "end": 4, "indicator": "指".repeat(101), "value": "1"}),
            "indicator",
            "不超过 100 个字",
        ),
        (
            json!({"kind": "add_target", "start": 0, "end": 4, "indicator": "就业", "value": "1", "unit": "万\u{202e}人"}),
            "unit",
            "文字方向控制字符",
        ),
        (
            json!({"kind": "set_role", "path": "三".repeat(101), "role": "plan"}),
            "path",
            "不超过 100 个字",
        ),
        (json!({"kind": "x".repeat(21)}), "kind", "更正类型"),
    ] {
        let (status, answer) = office(&fixture, "POST", &url, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} {answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
        assert!(message(&answer).contains(needle), "{answer}");
    }
    // The header fields too.
    let (status, answer) = upload(
        &fixture,
        Who::Supervisor,
        multipart(
            &[("r.txt", &other_report())],
            &[("government", &"苏".repeat(65))],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["field"], "government", "{answer}");
    assert!(message(&answer).contains("不超过 64 个字"), "{answer}");
    // More than 30 files: 413 naming the limit.
    let page = other_report();
    let many: Vec<(String, &[u8])> = (0..31)
        .map(|i| (format!("p{i}.txt"), page.as_slice()))
        .collect();
    let many: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let (status, answer) = upload(&fixture, Who::Supervisor, multipart(&many, &[])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
    assert_eq!(answer["error"]["field"], "files");
    assert!(message(&answer).contains("最多 30 个文件"), "{answer}");
    // 12 MB sent as a client would, in 64 KB chunks: refused at 8 MB (the upload's own
    // limit, not the server's 10 MB), so the answer names the report's limit and the rest of
    // the body is never read.
    let body = multipart(
        &[
            ("a.txt", &vec![b'a'; 6 * 1024 * 1024][..]),
            ("b.txt", &vec![b'b'; 6 * 1024 * 1024][..]),
        ],
        &[],
    );
    let total = body.len();
    // Without a declared length the server reads up to its limit and stops; with one beyond
    // it, it reads nothing.
    for declared in [None, Some(total)] {
        let (status, answer, sent) = stream_upload(&fixture, &body, declared).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{answer}");
        assert_eq!(answer["error"]["code"], "too_large");
        assert!(message(&answer).contains("超过上限 8 MB"), "{answer}");
        let most = if declared.is_some() {
            256 * 1024
        } else {
            9 * 1024 * 1024
        };
        assert!(sent <= most, "read {sent} of {total} bytes ({declared:?})");
    }
    assert_eq!(fixture.audit_len().await, before);
    let (_, drafts) = office(&fixture, "GET", "/api/v1/drafts", None).await;
    assert_eq!(drafts.as_array().unwrap().len(), 1, "{drafts}");
    // The OpenAPI document states the limits and the multipart form.
    let (_, doc) = fixture
        .call(Who::Anonymous, "GET", "/api/v1/openapi.json", None)
        .await;
    let input = &doc["components"]["schemas"]["CorrectionInput"]["properties"];
    assert_eq!(input["indicator"]["maxLength"], 100, "{input}");
    assert_eq!(input["unit"]["maxLength"], 20, "{input}");
    assert_eq!(input["path"]["maxLength"], 100, "{input}");
    assert_eq!(input["kind"]["maxLength"], 20, "{input}");
    let body =
        &doc["paths"]["/api/v1/drafts"]["post"]["requestBody"]["content"]["multipart/form-data"];
    assert_eq!(
        body["schema"]["$ref"], "#/components/schemas/UploadForm",
        "{body}"
    );
    let form = &doc["components"]["schemas"]["UploadForm"];
    assert_eq!(form["properties"]["files"]["maxItems"], 30, "{form}");
    assert_eq!(form["properties"]["files"]["items"]["format"], "binary");
    assert_eq!(form["properties"]["government"]["maxLength"], 64);
    assert!(
        doc["paths"]["/api/v1/drafts"]["post"]["responses"]
            .get("413")
            .is_some()
    );
}

/// A form post from a signed-in browser (same origin, the page's `_csrf`): status and body.
async fn form_post(
    fixture: &Fixture,
    cookie: &str,
    uri: &str,
    pairs: &[(&str, &str)],
) -> (StatusCode, String) {
    let body: String = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let request = Request::builder()
        .method("POST")
        .uri(uri)
        .header("host", "localhost")
        .header("origin", "http://localhost")
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let (status, answer) = send(fixture.app(), request).await;
    (status, answer.as_str().unwrap_or_default().to_string())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The value of `name="…" value="…"` after `from` in a page.
fn attr_after<'a>(html: &'a str, from: &str, name: &str) -> &'a str {
    let at = html
        .find(from)
        .unwrap_or_else(|| panic!("{from} not in page"));
    let rest = &html[at..];
    let key = format!("name=\"{name}\" value=\"");
    let v = rest
        .find(&key)
        .unwrap_or_else(|| panic!("{name} after {from}"))
        + key.len();
    &rest[v..v + rest[v..].find('"').unwrap()]
}

async fn page(fixture: &Fixture, cookie: &str, uri: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .uri(uri)
        .header("host", "localhost")
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    let (status, answer) = send(fixture.app(), request).await;
    (status, answer.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn merge_split_reextract_and_unpublish_until_the_first_progress() {
    let fixture = Fixture::new().await;
    let draft = fixture.draft;
    let url = format!("/api/v1/drafts/{draft}/corrections");
    let view = |f: &'static str| format!("/api/v1/drafts/{draft}{f}");
    let (_, before) = office(&fixture, "GET", &view(""), None).await;
    let ids = |v: &Value| -> Vec<String> {
        v["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let original = ids(&before);
    assert!(original.len() > 3);
    // A span outside the text: 422 in zh-CN, nothing written.
    let len = before["text"].as_str().unwrap().chars().count() as i64;
    let n = fixture.audit_len().await;
    let (status, answer) = office(
        &fixture,
        "POST",
        &url,
        Some(json!({"kind": "ignore", "start": len - 2, "end": len + 40})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["field"], "start", "{answer}");
    assert!(message(&answer).contains("超出报告全文"), "{answer}");
    assert_eq!(fixture.audit_len().await, n);
    let (_, same) = office(&fixture, "GET", &view(""), None).await;
    assert_eq!(same["corrections"].as_array().unwrap().len(), 0);
    // Merge the first two: the first keeps its id, the second is gone, the rest stay.
    let (first, second) = (original[0].clone(), original[1].clone());
    let merged = corrected(
        &fixture,
        draft,
        json!({"kind": "merge", "commitment": first, "other": second}),
    )
    .await;
    let after_merge = ids(&merged);
    assert_eq!(after_merge.len(), original.len() - 1);
    assert_eq!(after_merge[0], first);
    assert!(!after_merge.contains(&second));
    assert_eq!(after_merge[1..], original[2..]);
    let whole = &merged["commitments"][0];
    let [s, e] = [
        whole["span"][0].as_i64().unwrap(),
        whole["span"][1].as_i64().unwrap(),
    ];
    assert_eq!(e, before["commitments"][1]["span"][1].as_i64().unwrap());
    // Split it back where the second began: the first half keeps the id.
    let at = before["commitments"][1]["span"][0].as_i64().unwrap();
    assert!(s < at && at < e);
    let split = corrected(
        &fixture,
        draft,
        json!({"kind": "split", "commitment": first, "at": at}),
    )
    .await;
    let after_split = ids(&split);
    assert_eq!(after_split.len(), original.len());
    assert_eq!(after_split[0], first);
    assert_eq!(after_split[2..], original[2..]);
    let new_half = after_split[1].clone();
    // A split outside the commitment is named and changes nothing.
    let n = fixture.audit_len().await;
    let (status, answer) = office(
        &fixture,
        "POST",
        &url,
        Some(json!({"kind": "split", "commitment": first, "at": len + 5})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(fixture.audit_len().await, n);
    // Re-reading with this engine keeps both corrections (none stale) and every id.
    let (status, stale) = office(&fixture, "POST", &view("/reextract"), None).await;
    assert_eq!(status, StatusCode::OK, "{stale}");
    assert_eq!(stale, json!([]));
    let (_, reread) = office(&fixture, "GET", &view(""), None).await;
    assert_eq!(ids(&reread), after_split);
    assert!(ids(&reread).contains(&new_half));
    let log = reread["corrections"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|c| c["stale"].is_null()), "{log:?}");
    // Unpublish: refused for a draft, possible after publishing, until the first progress.
    let (status, answer) = office(&fixture, "POST", &view("/unpublish"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(message(&answer).contains("尚未发布"), "{answer}");
    let (status, _) = office(&fixture, "POST", &view("/publish"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = office(&fixture, "POST", &view("/unpublish"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = fixture
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/reports/{draft}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "hidden again");
    let (status, _) = office(&fixture, "POST", &view("/publish"), None).await;
    assert_eq!(status, StatusCode::OK);
    let jobs = reread["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| !c["targets"].as_array().unwrap().is_empty())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, answer) = office(
        &fixture,
        "PUT",
        &format!("/api/v1/commitments/{jobs}/assignment"),
        Some(json!({"lead": fixture.dept_a, "support": [], "deadline": "2021-12-31"})),
    )
    .await;
    assert!(status.is_success(), "{answer}");
    // The department reports in the plan's own year (the server's date set to mid-2021).
    let mut state = fixture.state.clone();
    let mut settings = (*state.settings).clone();
    settings.as_of = Some(duban_core::date::parse_date("t", "2021-06-30").unwrap());
    state.settings = std::sync::Arc::new(settings);
    let request = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/commitments/{jobs}/progress"))
        .header("content-type", "application/json")
        .header(
            "authorization",
            format!("Bearer {}", fixture.token(Who::Own).unwrap()),
        )
        .body(Body::from(
            json!({"values": [{"target": 0, "value": "1"}], "narrative": "已启动",
                   "lag_reason": {"code": "funding", "text": "资金未到位"}})
            .to_string(),
        ))
        .unwrap();
    let (status, answer) = send(duban_server::router(state), request).await;
    assert_eq!(status.as_u16(), 201, "{answer}");
    let n = fixture.audit_len().await;
    let (status, answer) = office(&fixture, "POST", &view("/unpublish"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(message(&answer).contains("不能撤回发布"), "{answer}");
    assert_eq!(fixture.audit_len().await, n);
    let (status, _) = fixture
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/reports/{draft}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "still public");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_proposed_lead_is_confirmed_in_one_click() {
    let fixture = Fixture::new().await;
    let draft = fixture.draft;
    fixture
        .store
        .add_department("test", "苏州市", "市人力资源社会保障局")
        .await
        .unwrap();
    let (status, _) = office(
        &fixture,
        "POST",
        &format!("/api/v1/drafts/{draft}/publish"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (cookie, _) = fixture.session(Who::Supervisor).await;
    let (status, html) = page(&fixture, &cookie, &format!("/drafts/{draft}")).await;
    assert_eq!(status, StatusCode::OK);
    let form = format!("action=\"/drafts/{draft}/assign\"");
    assert!(html.contains(&form), "a confirm button");
    let csrf = attr_after(&html, &form, "_csrf").to_string();
    let uid = attr_after(&html, &form, "commitment").to_string();
    let lead = attr_after(&html, &form, "lead").to_string();
    let uri = format!("/drafts/{draft}/assign");
    // A missing lead is named and assigns nothing.
    let n = fixture.audit_len().await;
    let (status, body) = form_post(
        &fixture,
        &cookie,
        &uri,
        &[("_csrf", &csrf), ("commitment", &uid)],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("请指明「牵头单位」"), "{body}");
    assert_eq!(fixture.audit_len().await, n);
    // One click: the proposed department leads the commitment.
    let (status, _) = form_post(
        &fixture,
        &cookie,
        &uri,
        &[("_csrf", &csrf), ("commitment", &uid), ("lead", &lead)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, detail) = fixture
        .call(
            Who::Anonymous,
            "GET",
            &format!("/api/v1/commitments/{uid}"),
            None,
        )
        .await;
    let name = detail["assignment"]["lead"]["name"].as_str().unwrap_or("");
    let (_, suggestions) = office(
        &fixture,
        "GET",
        &format!("/api/v1/drafts/{draft}/suggestions"),
        None,
    )
    .await;
    let proposed = suggestions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["commitment"] == json!(uid))
        .unwrap();
    assert_eq!(name, proposed["department"].as_str().unwrap(), "{detail}");
    let (_, html) = page(&fixture, &cookie, &format!("/drafts/{draft}?done=assign")).await;
    assert!(
        html.contains(&format!("已由 {name} 牵头")),
        "the page shows the lead"
    );
}

/// A DOCX holding the given paragraphs (a minimal WordprocessingML package).
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}</w:body></w:document>"#,
                paragraphs
                    .iter()
                    .map(|p| {
                        let p = p.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                        format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>")
                    })
                    .collect::<String>()
            ),
        ),
    ];
    for (name, xml) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[tokio::test(flavor = "multi_thread")]
async fn pdf_and_docx_reports_are_uploaded() {
    let fixture = Fixture::new().await;
    // A DOCX made here from the reference report's own paragraphs (page 2 of Suzhou's 2020
    // report), under another year so that it is a new report.
    let seed = std::str::from_utf8(duban_server::demo::SEED).unwrap();
    let lines: Vec<&str> = seed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut paragraphs = vec!["2022年苏州市政府工作报告"];
    let body: Vec<&str> = lines
        .iter()
        .copied()
        .skip_while(|l| !l.starts_with("5."))
        .take(8)
        .collect();
    paragraphs.extend(&body);
    let (status, answer) = upload(
        &fixture,
        Who::Supervisor,
        multipart(&[("报告.docx", &docx(&paragraphs))], &[]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["government"], "苏州市");
    assert_eq!(answer["year"], 2022);
    assert!(answer["commitments"].as_u64().unwrap() >= 3, "{answer}");
    let id = answer["report_id"].as_i64().unwrap();
    let (_, view) = office(&fixture, "GET", &format!("/api/v1/drafts/{id}"), None).await;
    let text = view["text"].as_str().unwrap();
    assert!(text.starts_with("2022年苏州市政府工作报告\n"), "{text}");
    assert!(text.contains(body[2]), "paragraphs kept whole");
    // The PDF fixture (a text-layer PDF of the same report), as 2023 by the form's year.
    let pdf = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/ingest/report.pdf"
    ))
    .unwrap();
    let (status, answer) = upload(
        &fixture,
        Who::Supervisor,
        multipart(&[("report.pdf", &pdf)], &[("year", "2023")]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["year"], 2023);
    assert_eq!(answer["government"], "苏州市");
    let id = answer["report_id"].as_i64().unwrap();
    let (_, view) = office(&fixture, "GET", &format!("/api/v1/drafts/{id}"), None).await;
    assert!(
        view["text"]
            .as_str()
            .unwrap()
            .contains("三、切实加强政府自身建设"),
        "{view}"
    );
    // A scanned PDF (no text layer) is refused by name.
    let scanned = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/ingest/scanned.pdf"
    ))
    .unwrap();
    let n = fixture.audit_len().await;
    let (status, answer) = upload(
        &fixture,
        Who::Supervisor,
        multipart(&[("扫描件.pdf", &scanned)], &[("year", "2024")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(message(&answer).contains("扫描件.pdf"), "{answer}");
    assert_eq!(fixture.audit_len().await, n);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_report_of_one_year_is_refused_by_name() {
    let fixture = Fixture::new().await;
    let n = fixture.audit_len().await;
    // The 2021 draft's text told to be 苏州市 2020, which the seed report already is.
    let (status, answer) = upload(
        &fixture,
        Who::Supervisor,
        multipart(
            &[("r.txt", &other_report())],
            &[("year", "2020"), ("level", "city")],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(
        message(&answer).contains("苏州市2020年的报告已导入"),
        "{answer}"
    );
    assert_eq!(fixture.audit_len().await, n);
    let (_, drafts) = office(&fixture, "GET", "/api/v1/drafts", None).await;
    assert_eq!(drafts.as_array().unwrap().len(), 1);
}
