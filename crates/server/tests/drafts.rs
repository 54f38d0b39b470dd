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

fn message(answer: &Value) -> String {
    answer["error"]["message"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// A second short report: the demo draft's text under another year's title, so it is new.
fn other_report() -> Vec<u8> {
    String::from_utf8(duban_server::demo::DRAFT.to_vec())
        .unwrap()
        .replace("2021年苏州市政府工作报告", "2022年苏州市政府工作报告")
        .replace("2021年1月", "2022年1月")
        .replace("2021年工作安排", "2022年工作安排")
        .into_bytes()
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
    let (_, drafts) = fixture
        .call(Who::Supervisor, "GET", "/api/v1/drafts", None)
        .await;
    assert_eq!(drafts[0]["id"], json!(draft));
    let (status, view) = fixture
        .call(
            Who::Supervisor,
            "GET",
            &format!("/api/v1/drafts/{draft}"),
            None,
        )
        .await;
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
            "所选文字",
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
        let (status, answer) = fixture
            .call(Who::Supervisor, "POST", &url, Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} {answer}");
        assert_eq!(answer["error"]["field"], field, "{body} {answer}");
        assert!(!message(&answer).is_empty());
    }
    assert_eq!(fixture.audit_len().await, before);
    // Edit the target, delete another, add one from a span.
    let (status, answer) = fixture
        .call(
            Who::Supervisor,
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
    let (status, answer) = fixture
        .call(
            Who::Supervisor,
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
        let (status, answer) = fixture
            .call(Who::Supervisor, "POST", &url,
                Some(json!({"kind": "add_commitment", "start": s, "end": s + income.chars().count() as i64})))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let (status, answer) = fixture
        .call(Who::Supervisor, "POST", &url,
            Some(json!({"kind": "add_target", "start": s, "end": s + income.chars().count() as i64,
                        "indicator": "居民人均可支配收入增长", "value": "6", "unit": "%", "cmp": "approx"})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let events = fixture.store.audit_events(0, 1_000_000).await.unwrap();
    let corrections = events
        .iter()
        .filter(|e| e.action == "report.correct")
        .count();
    assert_eq!(corrections, if covered { 3 } else { 4 });
    // Ids stayed.
    let (_, view) = fixture
        .call(
            Who::Supervisor,
            "GET",
            &format!("/api/v1/drafts/{draft}"),
            None,
        )
        .await;
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
    let (_, suggestions) = fixture
        .call(
            Who::Supervisor,
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
    let (status, _) = fixture
        .call(
            Who::Supervisor,
            "PUT",
            &format!("/api/v1/commitments/{uid}/assignment"),
            Some(json!({"lead": fixture.dept_a, "support": [], "deadline": "2021-12-31"})),
        )
        .await;
    assert_ne!(status, StatusCode::OK);
    // Publish once; the public API shows the corrections and links the year before.
    let (status, published) = fixture
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/drafts/{draft}/publish"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(published["previous_report_id"], json!(fixture.report));
    let before = fixture.audit_len().await;
    let (status, answer) = fixture
        .call(
            Who::Supervisor,
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
    let (status, _) = fixture
        .call(
            Who::Supervisor,
            "POST",
            &url,
            Some(json!({"kind": "set_role", "path": "三", "role": "other"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}
