//! Reliability of the 催办 queue (issue 10): the real `duban serve` process is killed (SIGKILL)
//! while reminders are queued and one of them is half-sent; after a restart on the same SQLite
//! file every reminder reaches its channel exactly once.
//!
//! The relays are real sockets on loopback, started by the test: an SMTP relay that, the first
//! time, takes a message's DATA and never acknowledges it (the server is killed while waiting),
//! then acknowledges every message; and an HTTP receiver in the place of the office's group robot.
//! A message counts as delivered when the relay acknowledged it (250 after the final `.`, 200 to
//! the POST): what an office's mail system would deliver.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use duban_core::auth::Role;
use duban_core::date::Date;
use duban_core::round::{Channel, RoundPeriod, Trigger};
use duban_store::Store;

/// Messages the relays acknowledged: (channel, recipient or path, subject or body).
type Delivered = Arc<Mutex<Vec<(String, String)>>>;

/// An SMTP relay on loopback. While `stall` is set, the first message is read to its final `.`
/// and never answered; `stalled` is told when that happens.
fn smtp_relay(stall: Arc<AtomicBool>, stalled: Sender<()>) -> (u16, Delivered) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind smtp");
    let port = listener.local_addr().expect("addr").port();
    let delivered: Delivered = Arc::default();
    let out = delivered.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (out, stall, stalled) = (out.clone(), stall.clone(), stalled.clone());
            thread::spawn(move || smtp_session(stream, &out, &stall, &stalled));
        }
    });
    (port, delivered)
}

fn smtp_session(stream: TcpStream, out: &Delivered, stall: &AtomicBool, stalled: &Sender<()>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut say = |line: &str| writer.write_all(format!("{line}\r\n").as_bytes()).is_ok();
    if !say("220 relay.test ESMTP") {
        return;
    }
    let mut recipient = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("EHLO") || command.starts_with("HELO") {
            say("250 relay.test");
        } else if command.starts_with("RCPT TO:") {
            recipient = line.trim_end()[8..]
                .trim()
                .trim_matches(['<', '>'])
                .to_string();
            say("250 OK");
        } else if command == "DATA" {
            say("354 go ahead");
            let mut message = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line.trim_end() == "." {
                    break;
                }
                message.push_str(&line);
            }
            if stall.swap(false, Ordering::SeqCst) {
                // Hold the message unacknowledged until the sender goes away.
                let _ = stalled.send(());
                let mut rest = Vec::new();
                let _ = reader.read_to_end(&mut rest);
                return;
            }
            let subject = message
                .lines()
                .find_map(|l| l.strip_prefix("Subject: "))
                .unwrap_or_default()
                .to_string();
            out.lock()
                .expect("lock")
                .push((format!("email {recipient}"), subject));
            say("250 queued");
        } else if command == "QUIT" {
            say("221 bye");
            return;
        } else {
            say("250 OK");
        }
    }
}

/// An HTTP receiver on loopback answering 200 to every POST, keeping its path and body.
fn robot() -> (u16, Delivered) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind http");
    let port = listener.local_addr().expect("addr").port();
    let delivered: Delivered = Arc::default();
    let out = delivered.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let out = out.clone();
            thread::spawn(move || {
                let Ok(mut writer) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(stream);
                let mut head = String::new();
                let mut length = 0usize;
                let mut path = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if path.is_empty() {
                        path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    if line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                let mut body = vec![0; length.min(1 << 20)];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                out.lock().expect("lock").push((
                    format!("webhook {path}"),
                    String::from_utf8_lossy(&body).into(),
                ));
                let _ = writer.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 27\r\nconnection: close\r\n\r\n{\"errcode\":0,\"errmsg\":\"ok\"}",
                );
            });
        }
    });
    (port, delivered)
}

/// `duban serve` on the database, sending through the relays (`robot`: the webhook's URL),
/// looking at the queue every 50 ms.
fn serve(database: &str, dir: &std::path::Path, smtp: u16, robot: &str) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_duban"))
        .args(["serve", "--database", database, "--addr", "127.0.0.1:0"])
        .args(["--as-of", "2020-09-30", "--reminder-tick-ms", "50"])
        .arg("--smtp")
        .arg(format!("127.0.0.1:{smtp}"))
        .arg("--webhook")
        .arg(robot)
        .arg("--evidence-dir")
        .arg(dir.join("evidence"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("duban serve starts");
    // Wait for the line that says it listens.
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with("duban serving") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the server says it is serving");
    child
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

fn date(text: &str) -> Date {
    duban_core::date::parse_date("date", text).expect("a date")
}

#[test]
fn reminders_queued_at_a_kill_are_each_sent_once_after_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let database = format!("sqlite:{}", dir.path().join("duban.db").display());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let stall = Arc::new(AtomicBool::new(true));
    let (stalled_tx, stalled_rx): (Sender<()>, Receiver<()>) = channel();
    let (smtp, mails) = smtp_relay(stall.clone(), stalled_tx);
    let (robot_port, posts) = robot();
    let robot_url = format!("http://127.0.0.1:{robot_port}/cgi-bin/webhook/send?key=office");

    // The demo plan, an e-mail address for every department user, a round and one click of 催办:
    // reminders queued before any server runs.
    let queued = runtime.block_on(async {
        let store = Store::open(&database).await.expect("store");
        let summary = duban_server::demo::load(&store, date("2020-09-30"))
            .await
            .expect("demo");
        let users = store.users().await.expect("users");
        for record in &users {
            if matches!(record.user.role, Role::Department(_)) {
                let address = format!("{}@dept.test", record.user.login);
                store
                    .set_user_email("test", record.user.id, Some(&address))
                    .await
                    .expect("email");
            }
        }
        store
            .set_setting("test", duban_store::reminders::WEBHOOK_SETTING, &robot_url)
            .await
            .expect("webhook");
        let office = users
            .iter()
            .find(|r| r.user.role == Role::Supervisor)
            .expect("a supervisor");
        let round = store
            .open_round(
                &office.user,
                duban_core::ids::ReportId(summary.report_id),
                RoundPeriod::Quarterly,
                date("2020-09-30"),
                date("2020-10-10"),
            )
            .await
            .expect("round");
        let new = store
            .remind_round(
                Some(&office.user),
                round.id,
                Trigger::Manual(date("2020-10-12")),
                date("2020-10-12"),
            )
            .await
            .expect("remind");
        let all = store.all_reminders(1_000).await.expect("reminders");
        store.close().await;
        assert_eq!(all.len() as u64, new);
        all
    });
    let mail_expected: Vec<String> = queued
        .iter()
        .filter(|r| r.channel == Channel::Email)
        .map(|r| r.recipient.clone())
        .collect();
    let robot_expected = queued
        .iter()
        .filter(|r| r.channel == Channel::Webhook)
        .count();
    assert!(
        mail_expected.len() >= 2,
        "the demo round has missing reports by several departments: {queued:?}"
    );
    assert!(robot_expected >= 1, "the robot is told too");

    // First run: the relay holds the first message unacknowledged; the server is killed then.
    let mut first = serve(&database, dir.path(), smtp, &robot_url);
    stalled_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server starts sending");
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");
    let before_restart = mails.lock().expect("lock").len();
    assert!(
        before_restart < mail_expected.len(),
        "the kill left e-mail unsent ({before_restart} of {})",
        mail_expected.len()
    );

    // Second run on the same file: everything queued arrives, and nothing twice.
    let mut second = serve(&database, dir.path(), smtp, &robot_url);
    wait_for("every e-mail", || {
        mails.lock().expect("lock").len() >= mail_expected.len()
    });
    wait_for("every robot message", || {
        posts.lock().expect("lock").len() >= robot_expected
    });
    // Several more looks at the queue: a duplicate would arrive now.
    thread::sleep(Duration::from_millis(600));
    second.kill().expect("SIGKILL");
    second.wait().expect("reaped");

    let mut got: Vec<String> = mails
        .lock()
        .expect("lock")
        .iter()
        .map(|(to, _)| to.trim_start_matches("email ").to_string())
        .collect();
    got.sort();
    let mut want = mail_expected.clone();
    want.sort();
    assert_eq!(got, want, "each e-mail exactly once");
    let posts = posts.lock().expect("lock").clone();
    assert_eq!(
        posts.len(),
        robot_expected,
        "each robot message once: {posts:?}"
    );
    assert!(
        posts
            .iter()
            .all(|(path, body)| path.contains("key=office") && body.contains("\"msgtype\""))
    );

    // The queue says the same: every reminder sent, none failed.
    let after = runtime.block_on(async {
        let store = Store::open(&database).await.expect("store");
        let rows = store.all_reminders(1_000).await.expect("reminders");
        store.close().await;
        rows
    });
    assert_eq!(after.len(), queued.len());
    for row in &after {
        assert_eq!(row.state, "sent", "{row:?}");
    }
}
