//! The store's commands: `import report`, `user add`, `department add`, `audit verify`,
//! `backup`, `restore`. Each opens the database named by `--database` or `DATABASE_URL`
//! (default: the SQLite file `./duban.db`), does one thing, and reports it in one line.

use std::io::{BufRead, BufReader, BufWriter};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use duban_core::auth::Role;
use duban_core::plan::Level;
use duban_store::{AuditPaths, ImportRequest, Store, redact_url};

/// The database to use, and where its audit anchor is kept.
#[derive(Debug, Args)]
pub struct DatabaseArg {
    /// Database URL: `postgres://…`, or a SQLite file (`sqlite:PATH` or a path).
    #[arg(long, env = "DATABASE_URL", default_value = duban_store::DEFAULT_DATABASE, global = true)]
    pub database: String,
    /// The audit key file (default: beside the SQLite file, `FILE.audit-key`; for PostgreSQL
    /// `duban-NAME.audit-key` in the working directory). Keep it off the database's disk.
    #[arg(long, env = "DUBAN_AUDIT_KEY", global = true)]
    pub audit_key: Option<PathBuf>,
    /// The append-only checkpoint file (default: beside the key's default place,
    /// `….audit-checkpoints`).
    #[arg(long, env = "DUBAN_AUDIT_CHECKPOINTS", global = true)]
    pub audit_checkpoints: Option<PathBuf>,
}

impl DatabaseArg {
    /// The audit paths: the defaults for the URL, with what was given in their place.
    pub fn audit_paths(&self) -> Option<AuditPaths> {
        audit_paths(
            &self.database,
            self.audit_key.clone(),
            self.audit_checkpoints.clone(),
        )
    }
}

/// The audit paths of `database`, with a key or checkpoint file given in place of the default.
pub fn audit_paths(
    database: &str,
    key: Option<PathBuf>,
    checkpoints: Option<PathBuf>,
) -> Option<AuditPaths> {
    let default = AuditPaths::for_url(database);
    match (default, key, checkpoints) {
        (default, None, None) => default,
        (default, key, checkpoints) => {
            let key = key
                .or_else(|| default.as_ref().map(|d| d.key.clone()))
                .unwrap_or_else(|| PathBuf::from("duban.audit-key"));
            let checkpoints = checkpoints
                .or_else(|| default.map(|d| d.checkpoints))
                .unwrap_or_else(|| {
                    let mut name = key.as_os_str().to_owned();
                    name.push(".checkpoints");
                    PathBuf::from(name)
                });
            Some(AuditPaths { key, checkpoints })
        }
    }
}

/// Arguments of `duban import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    command: ImportCommand,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Import a report (its pages, in order) as a draft that only the supervision office sees
    /// until it is published (`--publish` publishes at once, for scripted loads).
    Report {
        /// The report's files, pages in order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The government that delivered it (苏州市); default: as the report's title says.
        #[arg(long)]
        government: Option<String>,
        /// Its tier: national, province, city, district, county.
        #[arg(long, default_value = "city")]
        level: String,
        /// The plan year; default: as the report's title says.
        #[arg(long)]
        year: Option<i32>,
        /// Publish at once (public, open for assignment) instead of keeping a draft.
        #[arg(long)]
        publish: bool,
    },
}

/// Arguments of `duban user`.
#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user; prints a generated password once unless one is given on stdin.
    Add {
        /// The login name.
        name: String,
        /// supervisor, department, viewer or admin.
        #[arg(long)]
        role: String,
        /// The department of a `department` user.
        #[arg(long)]
        department: Option<String>,
        /// The government the department belongs to (needed when there are several).
        #[arg(long)]
        government: Option<String>,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
        /// The e-mail address 催办 reminders go to.
        #[arg(long)]
        email: Option<String>,
    },
}

/// Arguments of `duban department`.
#[derive(Debug, Args)]
pub struct DepartmentArgs {
    #[command(subcommand)]
    command: DepartmentCommand,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Debug, Subcommand)]
enum DepartmentCommand {
    /// Add a department (单位) to a government.
    Add {
        /// Its name (市农业农村局).
        name: String,
        /// The government (苏州市).
        #[arg(long)]
        government: String,
    },
}

/// Arguments of `duban audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Walk the audit log's keyed hash chain, check it against the signed checkpoints kept
    /// outside the database, and name the first broken link; then write a checkpoint.
    Verify,
    /// Sign the chain's head (count and hash) and append it to the checkpoint file.
    Checkpoint,
}

/// Arguments of `duban backup` and `duban restore`.
#[derive(Debug, Args)]
pub struct FileArgs {
    /// The backup file (JSON Lines).
    pub file: PathBuf,
    /// The evidence directory: its files the history cites go into the backup, and come back
    /// there on restore.
    #[arg(long, default_value = "duban-evidence")]
    pub evidence_dir: PathBuf,
    #[command(flatten)]
    db: DatabaseArg,
}

/// Who the audit log names for changes made from this command line.
pub(crate) fn actor() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

/// Opens the store and runs `f` on a runtime of its own.
pub(crate) fn with_store<T>(
    db: &DatabaseArg,
    f: impl AsyncFnOnce(Store) -> Result<T>,
) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let store = Store::open_with(&db.database, db.audit_paths().as_ref())
            .await
            .with_context(|| format!("opening database {}", redact_url(&db.database)))?;
        let result = f(store.clone()).await;
        store.close().await;
        result
    })
}

/// Runs `duban import`.
pub fn import(args: &ImportArgs) -> Result<()> {
    let ImportCommand::Report {
        files,
        government,
        level,
        year,
        publish,
    } = &args.command;
    let level = Level::from_code(level).with_context(|| {
        format!("--level: {level:?} is not one of national, province, city, district, county")
    })?;
    let contents = files
        .iter()
        .map(|path| std::fs::read(path).with_context(|| format!("reading {}", path.display())))
        .collect::<Result<Vec<_>>>()?;
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let sources: Vec<duban_report::Source<'_>> = names
        .iter()
        .zip(&contents)
        .map(|(name, bytes)| duban_report::Source { name, bytes })
        .collect();
    let ingested = duban_report::ingest::ingest(&sources)
        .with_context(|| format!("reading {}", names.join(", ")))?;
    let (extraction, diagnostics) = duban_report::extract_sources(&sources)
        .with_context(|| format!("reading {}", names.join(", ")))?;
    let source = names.join(", ");
    let government = match government.clone().or_else(|| extraction.government.clone()) {
        Some(g) => g,
        None => bail!("--government: {source} does not name its government; give it"),
    };
    let Some(year) = year.or(extraction.year) else {
        bail!("--year: {source} does not name its year; give it");
    };
    let government = &government;
    let year = &year;
    with_store(&args.db, async |store| {
        let request = ImportRequest {
            government,
            level,
            year: *year,
            text: &ingested.text,
            source: &source,
            extraction: &extraction,
        };
        let summary = store
            .import_draft(&actor(), request, &diagnostics, *publish)
            .await
            .with_context(|| format!("importing {source}"))?;
        println!(
            "imported report {} ({}): {government} {year}, {} headings, {} commitments, {} targets, {} outcomes (checksum {})",
            summary.report_id,
            if *publish {
                "published"
            } else {
                "draft: publish it on /drafts/ID or with --publish"
            },
            summary.sections,
            summary.commitments,
            summary.targets,
            summary.outcomes,
            &summary.checksum[..12]
        );
        Ok(())
    })
}

/// Runs `duban user`.
pub fn user(args: &UserArgs) -> Result<()> {
    let UserCommand::Add {
        name,
        role,
        department,
        government,
        password_stdin,
        email,
    } = &args.command;
    let (password, generated) = if *password_stdin {
        let mut line = String::new();
        BufReader::new(std::io::stdin())
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        let line = line.trim_end_matches(['\n', '\r']).to_string();
        if line.is_empty() {
            bail!("--password-stdin: the first line of stdin is empty");
        }
        (line, false)
    } else {
        (duban_store::password::generate_password()?, true)
    };
    if let Some(email) = email {
        duban_store::reminders::checked_email(Some(email))
            .with_context(|| format!("--email {email}"))?;
    }
    let hash = duban_store::password::hash_password(&password).context("hashing the password")?;
    with_store(&args.db, async |store| {
        let department = match department {
            Some(department) => {
                let government = match government {
                    Some(g) => g.clone(),
                    None => {
                        let all = store.governments().await?;
                        match all.as_slice() {
                            [only] => only.name.clone(),
                            _ => bail!(
                                "--government: needed to find department {department} ({} governments stored)",
                                all.len()
                            ),
                        }
                    }
                };
                Some(
                    store
                        .department_by_name(&government, department)
                        .await
                        .with_context(|| format!("--department {department}"))?
                        .id,
                )
            }
            None => None,
        };
        let role = Role::from_parts(role, department).with_context(|| {
            format!("--role {role:?}: one of supervisor, department (with --department), viewer, admin (the others without)")
        })?;
        let user = store
            .add_user(&actor(), name, name, role, &hash)
            .await
            .with_context(|| format!("adding user {name}"))?;
        if let Some(email) = email {
            store
                .set_user_email(&actor(), user.id, Some(email))
                .await
                .with_context(|| format!("--email {email}"))?;
        }
        println!(
            "added user {} ({}), id {}",
            user.login,
            role.as_str(),
            user.id
        );
        if generated {
            println!("password (shown once): {password}");
        }
        Ok(())
    })
}

/// Runs `duban department`.
pub fn department(args: &DepartmentArgs) -> Result<()> {
    let DepartmentCommand::Add { name, government } = &args.command;
    with_store(&args.db, async |store| {
        let department = store
            .add_department(&actor(), government, name)
            .await
            .with_context(|| format!("adding department {name} to {government}"))?;
        println!(
            "added department {} of {government}, id {}",
            department.name, department.id
        );
        Ok(())
    })
}

/// Runs `duban audit`.
pub fn audit(args: &AuditArgs) -> Result<()> {
    with_store(&args.db, async |store| {
        if let AuditCommand::Checkpoint = &args.command {
            let checkpoint = store
                .checkpoint()
                .await
                .context("writing the audit checkpoint")?;
            println!("{}", checkpoint.line());
            return Ok(());
        }
        let verdict = store
            .verify_audit()
            .await
            .context("reading the audit log")?;
        match verdict.broken {
            None => {
                let checked = verdict.checkpoint.as_ref().map_or_else(
                    || "no checkpoint yet".to_string(),
                    |c| {
                        format!(
                            "checked against the checkpoint of {} ({} events)",
                            c.at, c.events
                        )
                    },
                );
                println!(
                    "audit log intact: {} events, head {}, {checked}",
                    verdict.events,
                    verdict.head.as_deref().unwrap_or("(empty)")
                );
                let checkpoint = store
                    .checkpoint()
                    .await
                    .context("writing the audit checkpoint")?;
                println!("{}", checkpoint.line());
                Ok(())
            }
            Some(link) => bail!("audit log broken at event {}: {}", link.seq, link.reason),
        }
    })
}

/// Runs `duban backup`: the file is created 0600 (it must not exist).
pub fn backup(args: &FileArgs) -> Result<()> {
    let path = &args.file;
    with_store(&args.db, async |store| {
        let file = duban_store::backup::create_private(path)
            .with_context(|| format!("creating {} (it must not exist)", path.display()))?;
        let mut out = BufWriter::new(file);
        let summary = store
            .backup_with(&mut out, Some(&args.evidence_dir))
            .await
            .with_context(|| format!("writing {}", path.display()))?;
        out.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .with_context(|| format!("writing {}", path.display()))?;
        println!(
            "backed up {} rows of {} tables and {} evidence files to {}",
            summary.rows(),
            summary.tables.len(),
            summary.evidence_files,
            path.display()
        );
        if !summary.evidence_missing.is_empty() {
            eprintln!(
                "warning: {} evidence files the history cites are not in {}: {}",
                summary.evidence_missing.len(),
                args.evidence_dir.display(),
                summary.evidence_missing.join(", ")
            );
        }
        Ok(())
    })
}

/// Runs `duban restore`: refused unless the backup's signature and audit chain verify.
pub fn restore(args: &FileArgs) -> Result<()> {
    let path = &args.file;
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    with_store(&args.db, async |store| {
        let summary = store
            .restore_with(BufReader::new(file), Some(&args.evidence_dir))
            .await
            .with_context(|| format!("restoring {}", path.display()))?;
        println!(
            "restored {} rows of {} tables and {} evidence files from {}; the audit chain verifies",
            summary.rows(),
            summary.tables.len(),
            summary.evidence_files,
            path.display()
        );
        Ok(())
    })
}
