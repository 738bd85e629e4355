//! The `shouwang-server` command line: serving (the default) and the admin's account commands.
//! Admin commands only write files in the data directory (the accounts file, and a new school's
//! index document), so they work whether or not the server is running; a running server picks the
//! changes up within a second.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use shouwang_core::teachers::Role;

use crate::accounts::CODE_VALID_HOURS;
use crate::accounts_store::AccountsStore;
use crate::audit_report;
use crate::backup;
use crate::county_cli::{self, CountyCommand};
use crate::error::Error;
use crate::quota::{Limits, DEFAULT_DOCUMENTS_PER_DAY, DEFAULT_MIB_PER_DAY};
use crate::s3_config::S3Config;
use crate::school_repo::create_index;
use crate::school_storage::DocumentStore;
use crate::secret;
use crate::server::{now, private_dir, Config, Instance, DEFAULT_MAX_MESSAGE_BYTES};
use crate::shards::{DEFAULT_IDLE, DEFAULT_SHARDS};
use crate::state_import;
use crate::state_store::StateStore;
use crate::storage::StorageHealth;

#[derive(Debug, Parser)]
#[command(
    name = "shouwang-server",
    about = "守望 school server: serves the app, the phone API and document sync; admin commands manage accounts",
    long_about = "守望 school server.\n\nWith no command (or `serve`) it serves the built app, \
        POST /api/enrol, GET /api/me, the sync WebSocket /sync?token=… and the county's \
        POST /api/county/enrol and GET /api/county on --listen.\n\
        The other commands manage schools, teachers, counties and devices in \
        <data-dir>/accounts.json; \
        a running server sees their changes within a second (a revoked device is cut off).\n\
        Every admin command prints JSON with --json."
)]
pub struct Cli {
    /// Address to listen on. Loopback by default; put a TLS reverse proxy in front for phones.
    #[arg(
        long,
        env = "SHOUWANG_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,
    /// The built app (Trunk's output).
    #[arg(long, env = "SHOUWANG_DIST", default_value = "dist", global = true)]
    pub dist: PathBuf,
    /// Where the server keeps accounts.json, the audit log and (without --s3-bucket) every
    /// school's documents. Back this up.
    #[arg(long, env = "SHOUWANG_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Largest WebSocket message a device may send, in MiB; a larger one closes its connection.
    #[arg(long, env = "SHOUWANG_MAX_MESSAGE_MIB", default_value_t = DEFAULT_MAX_MESSAGE_BYTES >> 20, global = true)]
    pub max_message_mib: usize,
    /// The origin the app is served from to browsers (`https://school.example`); a WebSocket
    /// from a page with another `Origin` is refused. Unset: the origin must match the `Host`.
    #[arg(long, env = "SHOUWANG_ORIGIN", global = true)]
    pub origin: Option<String>,
    /// New documents one device may bring in a day (a new child brings 4); past it, the device's
    /// sync is refused until the next day (Beijing time).
    #[arg(long, env = "SHOUWANG_QUOTA_DOCUMENTS_PER_DAY", default_value_t = DEFAULT_DOCUMENTS_PER_DAY, global = true)]
    pub quota_documents_per_day: u64,
    /// MiB of changes one device may upload in a day; past it, as above.
    #[arg(long, env = "SHOUWANG_QUOTA_MIB_PER_DAY", default_value_t = DEFAULT_MIB_PER_DAY, global = true)]
    pub quota_mib_per_day: u64,
    /// How many samod repos each school's documents are spread over (measured best: see the
    /// README's Benchmarks).
    #[arg(long, env = "SHOUWANG_SHARDS", default_value_t = DEFAULT_SHARDS, global = true)]
    pub shards: usize,
    /// Seconds a shard stays open with no device joined; then its documents leave memory and
    /// are read again from storage when a phone next needs them.
    #[arg(long, env = "SHOUWANG_IDLE_SHARD_SECONDS", default_value_t = DEFAULT_IDLE.as_secs(), global = true)]
    pub idle_shard_seconds: u64,
    /// Do not answer phones' reconnect summaries: every phone then opens every document with its
    /// own message on each connection, as a stock automerge-repo client does.
    #[arg(long, env = "SHOUWANG_NO_RECONNECT_SUMMARIES", global = true)]
    pub no_reconnect_summaries: bool,
    /// Keep the schools' documents in this S3-compatible bucket (`schools/<school id>/…`)
    /// instead of the data directory; accounts, audit and recovery files stay there unless
    /// `--state-in-bucket` says otherwise. Admin
    /// commands need the same S3 settings as the server.
    #[arg(long, env = "SHOUWANG_S3_BUCKET", global = true)]
    pub s3_bucket: Option<String>,
    /// The store's URL (Garage: `http://127.0.0.1:3900`); unset means AWS itself.
    #[arg(
        long,
        env = "SHOUWANG_S3_ENDPOINT",
        global = true,
        requires = "s3_bucket"
    )]
    pub s3_endpoint: Option<String>,
    #[arg(
        long,
        env = "SHOUWANG_S3_REGION",
        default_value = "us-east-1",
        global = true
    )]
    pub s3_region: String,
    /// The bucket's key id; better given in the environment than on the command line.
    #[arg(
        long,
        env = "SHOUWANG_S3_ACCESS_KEY_ID",
        hide_env_values = true,
        global = true
    )]
    pub s3_access_key_id: Option<String>,
    /// The key's secret; give it in the environment, where `ps` does not show it.
    #[arg(
        long,
        env = "SHOUWANG_S3_SECRET_ACCESS_KEY",
        hide_env_values = true,
        global = true
    )]
    pub s3_secret_access_key: Option<String>,
    /// Allow a plain-HTTP endpoint: only for a store on this machine or a trusted network.
    #[arg(long, env = "SHOUWANG_S3_ALLOW_HTTP", global = true)]
    pub s3_allow_http: bool,
    /// Keep the server's own state in the bucket too (`state/…`: accounts, the server key, the
    /// audit log, quotas, recovery deposits, published figures, the instances' heartbeats), so
    /// that instances on different machines need no shared data directory. Admin commands
    /// need it as well.
    #[arg(
        long,
        env = "SHOUWANG_STATE_IN_BUCKET",
        global = true,
        requires = "s3_bucket"
    )]
    pub state_in_bucket: bool,
    /// This server is one of several sharing the bucket (and the data directory, unless
    /// `--state-in-bucket`): it serves only
    /// the schools placed on this name (`school place`) and passes other schools' requests to
    /// their instance. Unset: it serves every school.
    #[arg(long, env = "SHOUWANG_INSTANCE", global = true)]
    pub instance: Option<String>,
    /// Where the other instances reach this one (`host:port`); unset: the address it listens on.
    #[arg(long, env = "SHOUWANG_ADVERTISE", global = true, requires = "instance")]
    pub advertise: Option<String>,
    /// Print the result of an admin command as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the app, the phone API and /sync (what running with no command does).
    Serve,
    /// Schools.
    #[command(subcommand)]
    School(SchoolCommand),
    /// Teacher accounts.
    #[command(subcommand)]
    Teacher(TeacherCommand),
    /// A one-time code (8 characters, printed with a QR code) that enrols one device of a teacher.
    EnrolCode {
        /// The teacher's id (from `teacher create`).
        #[arg(long)]
        teacher: String,
        /// How long the code works.
        #[arg(long, default_value_t = CODE_VALID_HOURS)]
        hours: u32,
    },
    /// Redeem an enrolment code here instead of on the phone; prints the device token.
    Redeem {
        #[arg(long)]
        code: String,
        #[arg(long, default_value = "")]
        device_name: String,
    },
    /// Enrolled devices, teachers' and county officers'.
    #[command(subcommand)]
    Devices(DevicesCommand),
    /// Counties (县教育局): their schools, and officers who see the schools' figures.
    #[command(subcommand)]
    County(CountyCommand),
    /// The audit log: which device sent (发送: server → device) or received which document, and
    /// when it connected. Times are Beijing time.
    Audit {
        /// Only this school (id or exact name).
        #[arg(long)]
        school: Option<String>,
        /// Only this child's documents: its archive (档案), records (关爱记录), talk cards (谈心记录)
        /// and plans (帮扶方案). The child's document id.
        #[arg(long)]
        child: Option<String>,
        /// Only this device (id from `devices list`).
        #[arg(long)]
        device: Option<String>,
        /// Only entries from this day (YYYY-MM-DD, Beijing time) or unix second on.
        #[arg(long)]
        since: Option<String>,
    },
    /// Copy the data directory into one tar file, safely while the server runs. Documents in
    /// an S3 bucket (--s3-bucket) are not in it: back the bucket up with the store's own tools.
    Backup {
        /// The archive to write (replaced whole once complete).
        #[arg(long)]
        to: PathBuf,
    },
    /// Unpack a backup into --data-dir, which must be new or empty. Start the server after.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Copy the state kept in --data-dir (accounts, the server key, audit log, quotas, recovery
    /// deposits, figures) into the bucket, before the first start with --state-in-bucket.
    ImportState,
}

#[derive(Debug, Subcommand)]
pub enum SchoolCommand {
    /// Create a school and its index document.
    Create {
        #[arg(long)]
        name: String,
    },
    /// Serve a school from another instance (`serve --instance NAME`): the instance holding it
    /// closes its phones' sockets and writes everything, then the named one opens it; the phones
    /// reconnect by themselves. Also how a dead instance's schools are taken over.
    Place {
        /// The school's id or exact name.
        #[arg(long)]
        school: String,
        #[arg(long)]
        instance: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TeacherCommand {
    /// Create a teacher account; the server also lists the teacher in the school's index.
    Create {
        /// The school's id or exact name.
        #[arg(long)]
        school: String,
        #[arg(long)]
        name: String,
        /// `lead` (care lead or principal) sees every child's talk cards.
        #[arg(long, value_parser = role_arg())]
        role: Role,
    },
    /// Change a teacher's role (a new care lead, or one who hands over): the school's directory
    /// and every sync connection follow at once.
    SetRole {
        #[arg(long)]
        teacher: String,
        #[arg(long, value_parser = role_arg())]
        role: Role,
    },
}

/// `teacher` or `lead`, spelt as the accounts file and the API spell a role: the core's `Role`
/// knows nothing of clap, so its codes are the values offered.
fn role_arg() -> impl TypedValueParser<Value = Role> {
    PossibleValuesParser::new(Role::ALL.map(Role::code))
        .try_map(|code| Role::from_code(&code).ok_or("not a role"))
}

#[derive(Debug, Subcommand)]
pub enum DevicesCommand {
    /// List devices, all (teachers' then county officers') or of one school (id or exact name).
    List {
        #[arg(long)]
        school: Option<String>,
    },
    /// Revoke a device (a teacher's or an officer's): its token stops working and its live
    /// connections are closed.
    Revoke {
        #[arg(long)]
        device: String,
    },
}

impl Cli {
    /// The server's settings; `listening` is the address it is bound to, which the other
    /// instances are given unless `--advertise` says otherwise.
    pub fn config(&self, listening: SocketAddr) -> Result<Config, Error> {
        Ok(Config {
            documents: self.document_store()?,
            state: self.state_store()?,
            max_message_bytes: self.max_message_mib.saturating_mul(1 << 20),
            origin: self.origin.clone(),
            shards: self.shards.max(1),
            shard_idle: std::time::Duration::from_secs(self.idle_shard_seconds.max(1)),
            quota: Limits {
                documents_per_day: self.quota_documents_per_day,
                bytes_per_day: self.quota_mib_per_day.saturating_mul(1 << 20),
            },
            instance: self.instance.as_ref().map(|name| Instance {
                name: name.clone(),
                address: self.advertise.clone().unwrap_or(listening.to_string()),
            }),
            summaries: !self.no_reconnect_summaries,
            ..Config::new(&self.dist, &self.data_dir)
        })
    }

    /// The bucket when `--s3-bucket` is given (with both keys), else the data directory.
    pub fn document_store(&self) -> Result<DocumentStore, Error> {
        match self.s3_config()? {
            Some(config) => Ok(DocumentStore::Objects(config.connect()?)),
            None => Ok(DocumentStore::Files),
        }
    }

    /// The bucket with `--state-in-bucket`, through a client of its own; else the data
    /// directory.
    pub fn state_store(&self) -> Result<StateStore, Error> {
        match self.s3_config()? {
            Some(config) if self.state_in_bucket => Ok(StateStore::Bucket(config.connect()?)),
            _ => Ok(StateStore::Dir(self.data_dir.clone())),
        }
    }

    fn s3_config(&self) -> Result<Option<S3Config>, Error> {
        let Some(bucket) = &self.s3_bucket else {
            return Ok(None);
        };
        let (Some(access_key_id), Some(secret_access_key)) =
            (&self.s3_access_key_id, &self.s3_secret_access_key)
        else {
            return Err(Error::BadInput(
                "--s3-bucket needs SHOUWANG_S3_ACCESS_KEY_ID and SHOUWANG_S3_SECRET_ACCESS_KEY"
                    .into(),
            ));
        };
        let config = S3Config {
            endpoint: self.s3_endpoint.clone(),
            bucket: bucket.clone(),
            region: self.s3_region.clone(),
            access_key_id: access_key_id.clone(),
            secret_access_key: secret_access_key.clone(),
            allow_http: self.s3_allow_http,
        };
        Ok(Some(config))
    }
}

/// An admin command's result, as JSON and as text for a person.
pub struct Output {
    pub json: Value,
    pub text: String,
}

/// `documents` is where `school create` writes the new school's index.
pub async fn run_admin(
    command: &Command,
    data_dir: &Path,
    documents: &DocumentStore,
    state: &StateStore,
) -> Result<Output, Error> {
    private_dir(data_dir)?;
    let file = AccountsStore::new(state);
    match command {
        Command::Serve => Err(Error::BadInput("serve is not an admin command".into())),
        Command::School(SchoolCommand::Create { name }) => {
            let id = secret::new_id("s")?;
            let storage = documents.for_school(data_dir, &id, StorageHealth::default());
            let index = create_index(storage, now()).await?;
            let school = file.update(|a| a.add_school(id, name, index, now()))?;
            Ok(Output {
                text: format!(
                    "school {} created: {}\nindex automerge:{}",
                    school.id, school.name, school.index_doc
                ),
                json: json!({"id": school.id, "name": school.name, "indexUrl": format!("automerge:{}", school.index_doc)}),
            })
        }
        Command::School(SchoolCommand::Place { school, instance }) => {
            let school = file.update(|a| a.place_school(school, instance))?;
            Ok(Output {
                text: format!(
                    "school {} ({}) placed on instance {instance}",
                    school.id, school.name
                ),
                json: json!({"id": school.id, "name": school.name, "instance": instance}),
            })
        }
        Command::Teacher(TeacherCommand::Create { school, name, role }) => {
            let teacher = file.update(|a| a.add_teacher(school, name, *role, now()))?;
            Ok(Output {
                text: format!(
                    "teacher {} created: {} ({})",
                    teacher.id,
                    teacher.name,
                    teacher.role.code()
                ),
                json: json!({"id": teacher.id, "school": teacher.school, "name": teacher.name, "role": teacher.role.code()}),
            })
        }
        Command::Teacher(TeacherCommand::SetRole { teacher, role }) => {
            let teacher = file.update(|a| a.set_role(teacher, *role))?;
            Ok(Output {
                text: format!(
                    "teacher {} ({}) is now {}",
                    teacher.id,
                    teacher.name,
                    teacher.role.code()
                ),
                json: json!({"id": teacher.id, "school": teacher.school, "name": teacher.name, "role": teacher.role.code()}),
            })
        }
        Command::EnrolCode { teacher, hours } => {
            let key = secret::server_key_of(state)?;
            let (code, expires) = file.update(|a| a.add_code(teacher, *hours, now(), &key))?;
            Ok(Output {
                text: format!(
                    "enrolment code for {teacher}: {code} (valid {hours} h)\n{}",
                    qr(&code)
                ),
                json: json!({"code": code, "teacher": teacher, "expires": expires}),
            })
        }
        Command::Redeem { code, device_name } => {
            let key = secret::server_key_of(state)?;
            let (session, token) = file.update(|a| a.redeem(code, device_name, now(), &key))?;
            Ok(Output {
                text: format!(
                    "device {} enrolled for {}\ntoken: {token}",
                    session.device.id, session.teacher.name
                ),
                json: json!({
                    "token": token,
                    "device": session.device.id,
                    "teacher": session.teacher.id,
                    "school": session.school.id,
                    "peerId": session.device.peer_id(),
                }),
            })
        }
        Command::Devices(DevicesCommand::List { school }) => devices_list(&file, school),
        Command::County(command) => county_cli::run(command, state),
        Command::Audit {
            school,
            child,
            device,
            since,
        } => {
            let query = audit_report::Query {
                school: school.as_deref(),
                child: child.as_deref(),
                device: device.as_deref(),
                since: since.as_deref(),
            };
            audit_report::report(state, &file.load()?, &query)
        }
        Command::Backup { .. } | Command::Restore { .. } if state.is_bucket() => {
            Err(Error::BadInput(
                "with --state-in-bucket the accounts and everything else are in the bucket: back \
                 the bucket up with the store's own tools"
                    .into(),
            ))
        }
        Command::ImportState => {
            let keys = state_import::import(data_dir, state)?;
            Ok(Output {
                text: format!(
                    "imported {keys} keys from {} into the bucket",
                    data_dir.display()
                ),
                json: json!({"keys": keys}),
            })
        }
        Command::Backup { to } => {
            let summary = backup::backup(data_dir, to)?;
            Ok(Output {
                text: format!(
                    "backed up {} files ({} bytes) to {}",
                    summary.files,
                    summary.bytes,
                    to.display()
                ),
                json: json!({"files": summary.files, "bytes": summary.bytes, "to": to}),
            })
        }
        Command::Restore { from } => {
            let files = backup::restore(from, data_dir)?;
            Ok(Output {
                text: format!("restored {files} files into {}", data_dir.display()),
                json: json!({"files": files, "dataDir": data_dir}),
            })
        }
        Command::Devices(DevicesCommand::Revoke { device }) => {
            let (device, revoked) = file.update(|a| a.revoke(device, now()))?;
            Ok(Output {
                text: format!("device {device} revoked"),
                json: json!({"id": device, "revoked": revoked}),
            })
        }
    }
}

/// Teachers' devices (of one school, or all), then, when no school is named, officers' devices.
fn devices_list(file: &AccountsStore, school: &Option<String>) -> Result<Output, Error> {
    let accounts = file.load()?;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for (d, t) in accounts.devices_of(school.as_deref())? {
        rows.push(
            json!({"id": d.id, "name": d.name, "teacher": t.id, "teacherName": t.name,
                         "school": t.school, "created": d.created, "revoked": d.revoked}),
        );
        lines.push(device_line(&d.id, &t.school, &t.name, &d.name, d.revoked));
    }
    if school.is_none() {
        for (d, o) in accounts.officer_devices() {
            rows.push(
                json!({"id": d.id, "name": d.name, "officer": o.id, "officerName": o.name,
                             "county": o.county, "created": d.created, "revoked": d.revoked}),
            );
            lines.push(device_line(&d.id, &o.county, &o.name, &d.name, d.revoked));
        }
    }
    Ok(Output {
        json: Value::Array(rows),
        text: lines.join("\n"),
    })
}

/// `id  school-or-county  person  device  active|revoked`, tab-separated.
fn device_line(id: &str, place: &str, person: &str, device: &str, revoked: Option<i64>) -> String {
    let state = if revoked.is_some() {
        "revoked"
    } else {
        "active"
    };
    format!("{id}\t{place}\t{person}\t{device}\t{state}")
}

/// The code as a QR code in the terminal (two rows per character line), for the phone's camera.
pub(crate) fn qr(code: &str) -> String {
    match qrcode::QrCode::new(code.as_bytes()) {
        Ok(qr) => qr
            .render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .build(),
        Err(_) => String::new(),
    }
}
