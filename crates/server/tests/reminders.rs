//! Rounds and 催办 end to end: a round opened over the API, one department reports, the other
//! is reminded, and the reminders arrive at a real SMTP server and a real HTTP receiver on
//! loopback (minimal ones written here), exactly once; a failed delivery is recorded and retried.

mod common;

use std::sync::{Arc, Mutex};

use common::{Fixture, Who};
use duban_server::{AppState, Settings};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

type Inbox = Arc<Mutex<Vec<String>>>;

/// A minimal SMTP server: greets, says 250 to everything, takes DATA up to the lone dot.
async fn smtp_server() -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got: Inbox = Arc::default();
    let mails = got.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let mails = mails.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read);
                write.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let verb = line.trim_end().to_ascii_uppercase();
                    if verb.starts_with("DATA") {
                        write.write_all(b"354 go ahead\r\n").await.unwrap();
                        let mut mail = String::new();
                        loop {
                            line.clear();
                            lines.read_line(&mut line).await.unwrap();
                            if line == ".\r\n" {
                                break;
                            }
                            mail.push_str(&line);
                        }
                        mails.lock().unwrap().push(mail);
                        write.write_all(b"250 queued\r\n").await.unwrap();
                    } else if verb.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        write.write_all(b"250 ok\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (port, got)
}

/// A minimal HTTP receiver: reads one request (headers and a Content-Length body), answers 200.
async fn http_receiver() -> (u16, Inbox) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got: Inbox = Arc::default();
    let bodies = got.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).await.unwrap();
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                head.push_str(&line);
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).await.unwrap();
            bodies
                .lock()
                .unwrap()
                .push(format!("{head}{}", String::from_utf8(body).unwrap()));
            let mut stream = reader.into_inner();
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                .await
                .unwrap();
        }
    });
    (port, got)
}

fn state_with_smtp(f: &Fixture, smtp_port: u16) -> AppState {
    let mut settings = Settings {
        as_of: Some(common::today()),
        ..Settings::default()
    };
    settings.reminders.smtp = Some(("127.0.0.1".into(), smtp_port));
    settings.reminders.mail_from = "duban@office.test".into();
    AppState::with_secret(f.store.clone(), settings, b"test secret")
}

async fn open_round(f: &Fixture) -> i64 {
    let (status, round) = f
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/reports/{}/rounds", f.report),
            Some(json!({"period": "quarterly", "as_of": "2020-09-30", "due": "2020-10-10"})),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{round}");
    assert_eq!(round["label"], "2020年第三季度");
    round["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_round_reminds_who_is_missing_by_mail_webhook_and_inbox_once() {
    let f = Fixture::new().await;
    let (smtp_port, mails) = smtp_server().await;
    let (http_port, posts) = http_receiver().await;
    let own = f.user(Who::Own).id;
    f.store
        .set_user_email("test", own, Some("liaison-a@dept.test"))
        .await
        .unwrap();
    f.store
        .set_setting(
            "test",
            duban_store::reminders::WEBHOOK_SETTING,
            &format!("http://127.0.0.1:{http_port}/robot/send?key=abc"),
        )
        .await
        .unwrap();
    let round = open_round(&f).await;
    // The same as-of date twice is a conflict; a due date before the as-of date names `due`.
    let (status, _) = f
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/reports/{}/rounds", f.report),
            Some(json!({"period": "quarterly", "as_of": "2020-09-30", "due": "2020-10-10"})),
        )
        .await;
    assert_eq!(status.as_u16(), 409);
    let (status, answer) = f
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/reports/{}/rounds", f.report),
            Some(json!({"period": "monthly", "as_of": "2020-08-31", "due": "2020-08-01"})),
        )
        .await;
    assert_eq!(status.as_u16(), 422);
    assert_eq!(answer["error"]["field"], "due");

    // Department B reports on its task; A does not.
    let (status, entry) = f
        .call(
            Who::Other,
            "POST",
            &format!("/api/v1/commitments/{}/progress", f.y),
            Some(json!({"narrative": "已完成前期工作", "percent": 80,
                        "lag_reason": {"code": "funding", "text": "资金"}})),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{entry}");
    let (_, detail) = f
        .call(Who::Viewer, "GET", &format!("/api/v1/rounds/{round}"), None)
        .await;
    let state_of = |uid: &str| {
        detail["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["commitment"] == uid)
            .map(|t| t["report"].as_str().unwrap().to_string())
    };
    assert_eq!(state_of(&f.x.to_string()).as_deref(), Some("missing"));
    assert_eq!(state_of(&f.y.to_string()).as_deref(), Some("reported"));
    let a = detail["by_department"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "甲局")
        .unwrap();
    assert_eq!(
        (a["missing"].as_i64(), a["unsigned"].as_i64()),
        (Some(1), Some(1))
    );

    // One click: inbox and e-mail for A's user, one robot message for A. Twice: nothing new.
    let (status, queued) = f
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/rounds/{round}/remind"),
            None,
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{queued}");
    assert_eq!(queued["queued"], 3);
    let (_, again) = f
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/rounds/{round}/remind"),
            None,
        )
        .await;
    assert_eq!(again["queued"], 0);
    let (status, _) = f
        .call(
            Who::Own,
            "POST",
            &format!("/api/v1/rounds/{round}/remind"),
            None,
        )
        .await;
    assert_eq!(status.as_u16(), 403);

    let state = state_with_smtp(&f, smtp_port);
    assert_eq!(
        duban_server::reminders::deliver_due(&state).await.unwrap(),
        3
    );
    assert_eq!(
        duban_server::reminders::deliver_due(&state).await.unwrap(),
        0
    );

    let mails = mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("To: liaison-a@dept.test"), "{}", mails[0]);
    assert!(mails[0].contains("Message-ID: <round-"), "{}", mails[0]);
    let posts = posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert!(posts[0].starts_with("POST /robot/send?key=abc HTTP/1.1"));
    let body: Value = serde_json::from_str(posts[0].split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body["msgtype"], "text");
    let content = body["text"]["content"].as_str().unwrap();
    assert!(
        content.contains("【催办】2020年第三季度进度尚未报送"),
        "{content}"
    );
    assert!(content.contains("甲局"), "{content}");

    // Shown on the task, every attempt recorded; the inbox holds it.
    let (_, log) = f
        .call(
            Who::Own,
            "GET",
            &format!("/api/v1/commitments/{}/reminders", f.x),
            None,
        )
        .await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 3);
    assert!(
        log.iter()
            .all(|r| r["state"] == "sent" && r["log"].as_array().unwrap().len() == 1)
    );
    let (_, inbox) = f.call(Who::Own, "GET", "/api/v1/me/inbox", None).await;
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    let (_, inbox) = f.call(Who::Other, "GET", "/api/v1/me/inbox", None).await;
    assert_eq!(inbox.as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_delivery_is_recorded_and_retried() {
    let f = Fixture::new().await;
    let own = f.user(Who::Own).id;
    f.store
        .set_user_email("test", own, Some("liaison-a@dept.test"))
        .await
        .unwrap();
    let round = open_round(&f).await;
    let (_, queued) = f
        .call(
            Who::Supervisor,
            "POST",
            &format!("/api/v1/rounds/{round}/remind"),
            None,
        )
        .await;
    assert_eq!(queued["queued"], 3, "inbox and e-mail for A, inbox for B");
    // No SMTP server listens on this port yet.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_port = closed.local_addr().unwrap().port();
    drop(closed);
    let broken = state_with_smtp(&f, dead_port);
    assert_eq!(
        duban_server::reminders::deliver_due(&broken).await.unwrap(),
        3
    );
    let (_, log) = f
        .call(
            Who::Supervisor,
            "GET",
            &format!("/api/v1/commitments/{}/reminders", f.x),
            None,
        )
        .await;
    let mail = log
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["channel"] == "email")
        .unwrap()
        .clone();
    assert_eq!(mail["state"], "queued");
    assert_eq!(mail["log"][0][1], "failed");
    // Backed off: not due again at once.
    assert_eq!(
        duban_server::reminders::deliver_due(&broken).await.unwrap(),
        0
    );
    let (smtp_port, mails) = smtp_server().await;
    f.store.retry_reminders_now().await.unwrap();
    let working = state_with_smtp(&f, smtp_port);
    assert_eq!(
        duban_server::reminders::deliver_due(&working)
            .await
            .unwrap(),
        1
    );
    assert_eq!(mails.lock().unwrap().len(), 1);
    let (_, log) = f
        .call(
            Who::Supervisor,
            "GET",
            &format!("/api/v1/commitments/{}/reminders", f.x),
            None,
        )
        .await;
    let mail = log
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["channel"] == "email")
        .unwrap()
        .clone();
    assert_eq!(mail["state"], "sent");
    assert_eq!(mail["attempts"], 2);
    assert_eq!(
        (mail["log"][0][1].as_str(), mail["log"][1][1].as_str()),
        (Some("failed"), Some("sent"))
    );
}
