//! The 催办 sender: a background task of the server that applies the reminder rule to open
//! rounds and delivers queued reminders by e-mail (SMTP, `lettre`), by the group robot's webhook
//! (a JSON POST in the text-message form enterprise WeChat and DingTalk robots accept) and to
//! the in-app inbox. The queue is the database's ([`duban_store::reminders`]): a restart loses
//! nothing, and each reminder is claimed by one sender at a time.

use std::time::Duration;

use duban_core::round::{Channel, Trigger};
use duban_store::reminders::{RULE_DAYS_SETTING, ReminderRow};
use lettre::AsyncTransport;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::state::AppState;

/// Where reminders go out and how often the sender looks.
#[derive(Debug, Clone)]
pub struct ReminderSettings {
    /// The SMTP relay (`host`, `port`), plain SMTP as an office's internal relay speaks it;
    /// `None`: e-mail reminders fail (and are retried) with a message saying so.
    pub smtp: Option<(String, u16)>,
    /// The sender address of e-mail reminders.
    pub mail_from: String,
    /// Pause between two looks at the queue, in milliseconds.
    pub tick_ms: u64,
    /// Whether the server runs the sender at all.
    pub enabled: bool,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            smtp: None,
            mail_from: "duban@localhost".into(),
            tick_ms: 5_000,
            enabled: true,
        }
    }
}

/// Starts the sender on the runtime; it runs until the handle is aborted.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match state.store.requeue_interrupted().await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(n, "reminders interrupted by a stop are queued again"),
            Err(e) => tracing::error!(error = %e, "cannot requeue reminders"),
        }
        let tick = Duration::from_millis(state.settings.reminders.tick_ms.max(10));
        loop {
            if let Err(e) = apply_rule(&state).await {
                tracing::error!(error = %e, "reminder rule failed");
            }
            if let Err(e) = deliver_due(&state).await {
                tracing::error!(error = %e, "reminder delivery failed");
            }
            tokio::time::sleep(tick).await;
        }
    })
}

/// Queues the rule's reminders (N days before and after each round's due date) for today.
async fn apply_rule(state: &AppState) -> Result<(), duban_store::StoreError> {
    let days = state
        .store
        .setting(RULE_DAYS_SETTING)
        .await?
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    if days <= 0 {
        return Ok(());
    }
    let today = state.today();
    for round in state.store.rounds(None).await? {
        if let Some(trigger) = Trigger::rule_on(round.round.due, today, days) {
            state
                .store
                .remind_round(None, round.id, trigger, today)
                .await?;
        }
    }
    Ok(())
}

/// Delivers every reminder due now, one claim of a few at a time.
///
/// # Errors
/// The store's, when it cannot claim or record.
pub async fn deliver_due(state: &AppState) -> Result<usize, duban_store::StoreError> {
    let mut delivered = 0;
    loop {
        let now = duban_store::clock::now();
        let batch = state.store.claim_reminders(&now, 10).await?;
        if batch.is_empty() {
            return Ok(delivered);
        }
        for reminder in batch {
            let outcome = deliver(state, &reminder).await;
            if let Err(why) = &outcome {
                tracing::warn!(id = reminder.id, %why, "reminder not delivered");
            }
            state.store.finish_reminder(reminder.id, outcome).await?;
            delivered += 1;
        }
    }
}

async fn deliver(state: &AppState, r: &ReminderRow) -> Result<String, String> {
    match r.channel {
        Channel::Inbox => Ok("已送达站内信".into()),
        Channel::Email => send_mail(&state.settings.reminders, r).await,
        Channel::Webhook => post_webhook(&r.recipient, r).await,
    }
}

async fn send_mail(settings: &ReminderSettings, r: &ReminderRow) -> Result<String, String> {
    let Some((host, port)) = &settings.smtp else {
        return Err("未配置邮件服务器（--smtp）".into());
    };
    let from = settings
        .mail_from
        .parse()
        .map_err(|e| format!("发件地址「{}」无效：{e}", settings.mail_from))?;
    let to = r
        .recipient
        .parse()
        .map_err(|e| format!("收件地址「{}」无效：{e}", r.recipient))?;
    let message = lettre::Message::builder()
        .from(from)
        .to(to)
        .subject(&r.subject)
        .message_id(Some(format!("<{}@duban>", r.key.replace('/', "."))))
        .header(lettre::message::header::ContentType::TEXT_PLAIN)
        .body(r.body.clone())
        .map_err(|e| format!("邮件无法生成：{e}"))?;
    let transport =
        lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous(host.as_str())
            .port(*port)
            .timeout(Some(Duration::from_secs(20)))
            .build();
    transport
        .send(message)
        .await
        .map(|answer| format!("邮件服务器已接收：{}", answer.code()))
        .map_err(|e| format!("邮件发送失败：{e}"))
}

/// The JSON a group robot takes: `{"msgtype":"text","text":{"content":…}}` (the same shape for
/// enterprise WeChat and DingTalk).
pub fn robot_message(r: &ReminderRow) -> serde_json::Value {
    serde_json::json!({
        "msgtype": "text",
        "text": { "content": format!("{}\n{}", r.subject, r.body) },
    })
}

/// POSTs the robot message to an `http://host[:port]/path` URL (HTTPS robots sit behind the
/// office's outbound proxy, which such networks have) and reads the status line.
async fn post_webhook(url: &str, r: &ReminderRow) -> Result<String, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("群机器人地址「{url}」应以 http:// 开头"))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let address = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let body = robot_message(r).to_string();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\nX-Duban-Reminder: {}\r\nConnection: close\r\n\r\n{body}",
        body.len(),
        r.key
    );
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(&address).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut answer = Vec::new();
        (&mut stream).take(4096).read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(Duration::from_secs(20), exchange)
        .await
        .map_err(|_| format!("群机器人{address}无应答"))?
        .map_err(|e| format!("群机器人{address}连接失败：{e}"))?;
    let text = String::from_utf8_lossy(&answer);
    let status = text.lines().next().unwrap_or_default().to_string();
    let code = status.split(' ').nth(1).unwrap_or_default();
    if code.starts_with('2') {
        Ok(format!("群机器人已接收：{status}"))
    } else {
        Err(format!("群机器人拒收：{status}"))
    }
}
