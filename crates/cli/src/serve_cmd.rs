//! `duban serve`: the web application on one address, over SQLite (`./duban.db`) or
//! PostgreSQL, optionally with the demo plan loaded first.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use clap::Args;
use duban_core::date::{Date, parse_date};
use duban_server::{AppState, Settings};
use duban_store::{Store, redact_url};

/// Arguments of `duban serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "DUBAN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Database URL: `postgres://…`, or a SQLite file (`sqlite:PATH` or a path).
    #[arg(long, env = "DATABASE_URL", default_value = duban_store::DEFAULT_DATABASE)]
    pub database: String,
    /// Load the demo plan (苏州市 2020 with departments, users and a year of progress) first,
    /// unless it is loaded already; prints the demo passwords once.
    #[arg(long)]
    pub demo: bool,
    /// Judge status as of this date (YYYY-MM-DD) instead of today; with --demo the default is
    /// 2020-09-30.
    #[arg(long, env = "DUBAN_AS_OF", value_parser = parse_as_of)]
    pub as_of: Option<Date>,
    /// Mark session cookies Secure (when served behind HTTPS).
    #[arg(long, env = "DUBAN_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Where evidence files are kept, named by their SHA-256.
    #[arg(long, env = "DUBAN_EVIDENCE_DIR", default_value = "duban-evidence")]
    pub evidence_dir: std::path::PathBuf,
    /// The SMTP relay 催办 e-mails go through (`HOST:PORT`, plain SMTP as an office's internal
    /// relay speaks it); without it e-mail reminders wait in the queue and are retried.
    #[arg(long, env = "DUBAN_SMTP", value_parser = parse_smtp)]
    pub smtp: Option<(String, u16)>,
    /// The sender address of 催办 e-mails.
    #[arg(long, env = "DUBAN_MAIL_FROM", default_value = "duban@localhost")]
    pub mail_from: String,
    /// The group robot (enterprise WeChat / DingTalk) 催办 is posted to, `http://…`; stored as
    /// the setting `reminders.webhook_url` (an empty value removes it).
    #[arg(long, env = "DUBAN_WEBHOOK")]
    pub webhook: Option<String>,
    /// The reminder rule: remind N days before and N days after each round's due date (0: off);
    /// stored as the setting `reminders.rule_days`.
    #[arg(long, env = "DUBAN_REMIND_DAYS")]
    pub remind_days: Option<u32>,
    /// The issuing office named on 督查通报 (the text's close and every page's footer), e.g.
    /// 苏州市人民政府督查室; stored as the setting `office.name` (an empty value removes it, and
    /// bulletins name the government's 人民政府督查室).
    #[arg(long, env = "DUBAN_OFFICE")]
    pub office: Option<String>,
    /// Milliseconds between two looks of the 催办 sender at its queue.
    #[arg(long, env = "DUBAN_REMINDER_TICK_MS", default_value_t = 5_000)]
    pub reminder_tick_ms: u64,
}

fn parse_smtp(text: &str) -> Result<(String, u16), String> {
    let (host, port) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("--smtp：「{text}」应为 主机:端口"))?;
    let port = port
        .parse::<u16>()
        .map_err(|_| format!("--smtp：端口「{port}」不是 1–65535 的数"))?;
    if host.is_empty() || port == 0 {
        return Err(format!("--smtp：「{text}」应为 主机:端口"));
    }
    Ok((host.to_string(), port))
}

fn parse_as_of(text: &str) -> Result<Date, String> {
    parse_date("--as-of", text).map_err(|e| e.to_string())
}

/// Runs `duban serve` until Ctrl-C.
///
/// # Errors
/// A database that cannot be opened, an address that cannot be bound, a failed demo load.
pub fn serve(args: &ServeArgs) -> Result<()> {
    init_tracing();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(args))
}

/// Stores the webhook, the reminder rule and the issuing office given on the command line as
/// the settings the sender and the bulletins read.
async fn configure_reminders(store: &Store, args: &ServeArgs) -> Result<()> {
    use duban_store::reminders::{RULE_DAYS_SETTING, WEBHOOK_SETTING};
    if let Some(url) = &args.webhook {
        let url = url.trim();
        if !url.is_empty() && !url.starts_with("http://") {
            anyhow::bail!("--webhook：群机器人地址「{url}」应以 http:// 开头");
        }
        store_setting(store, WEBHOOK_SETTING, url).await?;
    }
    if let Some(days) = args.remind_days {
        store_setting(store, RULE_DAYS_SETTING, &days.to_string()).await?;
    }
    if let Some(office) = &args.office {
        let office = duban_core::text::DEPARTMENT_NAME
            .check_optional(office)
            .map_err(|e| anyhow::anyhow!("--office：{e}"))?
            .unwrap_or_default();
        store_setting(store, duban_server::settings::OFFICE_SETTING, &office).await?;
    }
    Ok(())
}

/// Writes a setting (audited as `cli`) only when it changes, so restarts add no audit events.
async fn store_setting(store: &Store, key: &str, value: &str) -> Result<()> {
    let now = store
        .setting(key)
        .await
        .with_context(|| format!("reading {key}"))?;
    if now.as_deref() != Some(value) {
        store
            .set_setting("cli", key, value)
            .await
            .with_context(|| format!("storing {key}"))?;
    }
    Ok(())
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn run(args: &ServeArgs) -> Result<()> {
    let url = redact_url(&args.database);
    let audit = crate::store_cmds::audit_paths(
        &args.database,
        std::env::var_os("DUBAN_AUDIT_KEY").map(std::path::PathBuf::from),
        std::env::var_os("DUBAN_AUDIT_CHECKPOINTS").map(std::path::PathBuf::from),
    );
    let store = Store::open_with(&args.database, audit.as_ref())
        .await
        .with_context(|| format!("opening {url}"))?;
    let as_of = match (args.as_of, args.demo) {
        (Some(d), _) => Some(d),
        (None, true) => Some(duban_server::demo::default_as_of()),
        (None, false) => None,
    };
    if args.demo {
        let demo_as_of = as_of.unwrap_or_else(duban_server::demo::default_as_of);
        let summary = duban_server::demo::load(&store, demo_as_of)
            .await
            .map_err(|e| anyhow::anyhow!("{e}: loading the demo"))?;
        if summary.already_loaded {
            println!(
                "demo already loaded (report {}); its passwords were printed when it was created",
                summary.report_id
            );
        } else {
            println!(
                "demo loaded: report {}, {} tasks assigned, {} progress reports, {} notices",
                summary.report_id, summary.assigned, summary.reports, summary.notices
            );
            println!("demo accounts (passwords are shown this once):");
            for account in &summary.accounts {
                println!(
                    "  {:<10} {:<16} {}",
                    account.login, account.password, account.role
                );
            }
        }
    }
    configure_reminders(&store, args).await?;
    let mut settings = Settings {
        as_of,
        secure_cookies: args.secure_cookies,
        evidence_dir: Some(args.evidence_dir.clone()),
        ..Settings::default()
    };
    settings.reminders.smtp.clone_from(&args.smtp);
    settings.reminders.mail_from.clone_from(&args.mail_from);
    settings.reminders.tick_ms = args.reminder_tick_ms;
    let state = AppState::new(store.clone(), settings)
        .await
        .map_err(|e| anyhow::anyhow!("{e}: reading the session key"))?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("binding {}", args.addr))?;
    println!("duban serving http://{} ({url})", listener.local_addr()?);
    duban_server::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
    .await
    .context("serving")?;
    store.close().await;
    Ok(())
}
