//! The store's commands: `import report`, `user add`, `department add`, `audit verify`,
//! `backup`, `restore`. Each opens the database named by `--database` or `DATABASE_URL`
//! (default: the SQLite file `./duban.db`), does one thing, and reports it in one line.

use std::io::{BufRead, BufReader, BufWriter};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use duban_core::auth::Role;
use duban_core::plan::Level;
use duban_store::{ImportRequest, Store, redact_url};

/// The database to use.
#[derive(Debug, Args)]
pub struct DatabaseArg {
    /// Database URL: `postgres://…`, or a SQLite file (`sqlite:PATH` or a path).
    #[arg(long, env = "DATABASE_URL", default_value = duban_store::DEFAULT_DATABASE, global = true)]
    pub database: String,
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
    /// Import a report (its pages, in order) as a plan.
    Report {
        /// The report's files, pages in order.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The government that delivered it (苏州市).
        #[arg(long)]
        government: String,
        /// Its tier: national, province, city, district, county.
        #[arg(long, default_value = "city")]
        level: String,
        /// The plan year.
        #[arg(long)]
        year: i32,
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
    /// Walk the audit log's hash chain and name the first broken link.
    Verify,
}

/// Arguments of `duban backup` and `duban restore`.
#[derive(Debug, Args)]
pub struct FileArgs {
    /// The backup file (JSON Lines).
    pub file: PathBuf,
    #[command(flatten)]
    db: DatabaseArg,
}

/// Who the audit log names for changes made from this command line.
fn actor() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

/// Opens the store and runs `f` on a runtime of its own.
fn with_store<T>(db: &DatabaseArg, f: impl AsyncFnOnce(Store) -> Result<T>) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let store = Store::open(&db.database)
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
    let (extraction, _diagnostics) = duban_report::extract_sources(&sources)
        .with_context(|| format!("reading {}", names.join(", ")))?;
    let source = names.join(", ");
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
            .import_report(&actor(), request)
            .await
            .with_context(|| format!("importing {source}"))?;
        println!(
            "imported report {}: {government} {year}, {} headings, {} commitments, {} targets, {} outcomes (checksum {})",
            summary.report_id,
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
    let AuditCommand::Verify = &args.command;
    with_store(&args.db, async |store| {
        let verdict = store
            .verify_audit()
            .await
            .context("reading the audit log")?;
        match verdict.broken {
            None => {
                println!(
                    "audit log intact: {} events, head {}",
                    verdict.events,
                    verdict.head.as_deref().unwrap_or("(empty)")
                );
                Ok(())
            }
            Some(link) => bail!("audit log broken at event {}: {}", link.seq, link.reason),
        }
    })
}

/// Runs `duban backup`.
pub fn backup(args: &FileArgs) -> Result<()> {
    let path = &args.file;
    with_store(&args.db, async |store| {
        let file = std::fs::File::create_new(path)
            .with_context(|| format!("creating {} (it must not exist)", path.display()))?;
        let mut out = BufWriter::new(file);
        let summary = store
            .backup(&mut out)
            .await
            .with_context(|| format!("writing {}", path.display()))?;
        out.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .with_context(|| format!("writing {}", path.display()))?;
        println!(
            "backed up {} rows of {} tables to {}",
            summary.rows(),
            summary.tables.len(),
            path.display()
        );
        Ok(())
    })
}

/// Runs `duban restore`.
pub fn restore(args: &FileArgs) -> Result<()> {
    let path = &args.file;
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    with_store(&args.db, async |store| {
        let summary = store
            .restore(BufReader::new(file))
            .await
            .with_context(|| format!("restoring {}", path.display()))?;
        println!(
            "restored {} rows of {} tables from {}",
            summary.rows(),
            summary.tables.len(),
            path.display()
        );
        Ok(())
    })
}
