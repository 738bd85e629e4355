//! The school benchmarks of issue 12 against the real release binary (not in the test command):
//!
//! - `school`: 200 phones of a 600-child school (≈ 2,400 documents), sockets kept open, each
//!   holding its need-to-know documents; everyone writes a day's work at once. Reports the time
//!   until every phone is in sync, errors, the server's peak memory and CPU time.
//! - `storm`: 500 phones of one school, all in sync, then the server is stopped (SIGTERM) and
//!   started again; the phones come back with the app's backoff and jitter. Reports the time until
//!   every phone is served again, and errors once the server was back.
//! - `county` (issue 19's simulation): `--schools N` schools of 600 children with `--phones N`
//!   phones each, over `--instances N` server instances sharing one data directory and one S3
//!   bucket (s3s-fs in this process, counting the requests it serves). Schools are placed round
//!   the instances and each phone talks to its school's instance. Reports the first sync, a day's
//!   work at once (object-store requests per phone's sync), a restart of every instance (the
//!   morning's reconnect storm), and memory once the phones have gone and the shards have closed
//!   (`--idle SECONDS`). `--store files` keeps the documents in the shared data directory
//!   instead, `--store env` in the bucket the `SHOUWANG_S3_*` variables name (a Garage cluster;
//!   `--metrics host:port` reads its request counters from Garage's admin `/metrics`);
//!   `--state-in-bucket` puts the instances' accounts, heartbeats, audit and quotas there too.
//!
//! Run: `cargo build --release -p shouwang-server && cargo run --release -p shouwang-server
//! --example load -- school` (or `storm`); options
//! `--server PATH` (another build, e.g. an older one to compare), `--shards N`, `--phones N`,
//! `--limit SECONDS` (a phase not done by then is reported as such).

#[path = "../crates/server/src/s3_test_server.rs"]
#[allow(dead_code)] // the tests use the rest
mod s3_test_server;
#[path = "../crates/server/tests/server/school_day.rs"]
mod school_day;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use s3_test_server::S3Server;
use school_day::{cli, enrol, register_and_pair, Phones, Plan, School};
// The S3 fixture takes its config type from the crate root.
use shouwang_server::S3Config;

struct Options {
    scenario: String,
    server: PathBuf,
    shards: Option<String>,
    phones: usize,
    class_size: usize,
    limit: Duration,
    schools: usize,
    instances: usize,
    idle: u64,
    /// `s3s` (an s3s-fs bucket in this process), `files` (the shared data directory), or `env`
    /// (the bucket the SHOUWANG_S3_* variables name, e.g. a Garage cluster).
    store: String,
    /// Garage's admin `/metrics` (`host:port`), to count the S3 requests it served.
    metrics: Option<String>,
    /// Leads per school (they hold every child's documents).
    leads: usize,
    /// County: schools taking their first sync together (0: all at once).
    wave: usize,
    /// County: phones go offline once in sync and come back with the next day's work, as
    /// phones do, instead of keeping their sockets all day.
    offline: bool,
    /// County: the instances keep their own state in the bucket too (`--state-in-bucket`).
    state_in_bucket: bool,
}

fn options() -> Options {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        scenario: "school".into(),
        server: beside_this_program("shouwang-server"),
        shards: None,
        phones: 0,
        class_size: 30,
        limit: Duration::from_secs(180),
        schools: 6,
        instances: 3,
        idle: 10,
        store: "s3s".into(),
        metrics: None,
        leads: 4,
        wave: 0,
        offline: false,
        state_in_bucket: false,
    };
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match arg.as_str() {
            "--server" => options.server = PathBuf::from(value()),
            "--shards" => options.shards = Some(value()),
            "--phones" => options.phones = value().parse().unwrap_or(0),
            "--class-size" => options.class_size = value().parse().unwrap_or(30),
            "--limit" => options.limit = Duration::from_secs(value().parse().unwrap_or(180)),
            "--schools" => options.schools = value().parse().unwrap_or(6),
            "--instances" => options.instances = value().parse().unwrap_or(3).max(1),
            "--idle" => options.idle = value().parse().unwrap_or(10),
            "--store" => options.store = value(),
            "--metrics" => options.metrics = Some(value()),
            "--leads" => options.leads = value().parse().unwrap_or(4).max(1),
            "--wave" => options.wave = value().parse().unwrap_or(0),
            "--offline" => options.offline = true,
            "--state-in-bucket" => options.state_in_bucket = true,
            scenario => options.scenario = scenario.to_string(),
        }
    }
    options
}

/// `target/release/examples/load` → `target/release/<name>`.
fn beside_this_program(name: &str) -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join(name)))
        .unwrap_or_else(|| PathBuf::from(name))
}

/// 600 children in 20 classes of 30; `leads` leads; everyone else paired with 3 children.
fn plan(phones: usize, class_size: usize, leads: usize) -> Plan {
    Plan {
        class_teachers: 20,
        children_per_class: class_size,
        paired_teachers: phones.saturating_sub(20 + leads),
        children_per_pair: 3,
        leads,
        records_per_day: 10,
    }
}

/// The server process, killed when the benchmark ends however it ends.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Serving {
    fn start(options: &Options, data: &Path, dist: &Path, listen: &str) -> Serving {
        Serving::start_with(options, data, dist, listen, &[])
    }

    fn start_with(
        options: &Options,
        data: &Path,
        dist: &Path,
        listen: &str,
        more: &[String],
    ) -> Serving {
        let mut command = Command::new(&options.server);
        command
            .args(["--listen", listen, "--data-dir"])
            .arg(data)
            .arg("--dist")
            .arg(dist)
            .args(more)
            .stdout(Stdio::piped());
        if let Some(shards) = &options.shards {
            command.env("SHOUWANG_SHARDS", shards);
        }
        let mut child = command.spawn().expect("start the server");
        let stdout = child.stdout.take().expect("stdout");
        // The first line says it listens; keep draining the rest so its prints never block.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            let mut lines = std::io::BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            lines.map_while(Result::ok).for_each(drop);
        });
        rx.recv_timeout(Duration::from_secs(60))
            .expect("the server says where it listens");
        Serving(child)
    }

    /// A line of `/proc/<pid>/status` in MiB (`VmHWM`: peak resident, `VmRSS`: resident now).
    fn memory(&self, line: &str) -> f64 {
        let pid = self.0.id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with(line))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    }

    /// (peak resident MiB, CPU seconds) of the server process so far.
    fn usage(&self) -> (f64, f64) {
        let pid = self.0.id();
        let peak = self.memory("VmHWM:");
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|n| n.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (peak, (ticks(11) + ticks(12)) / 100.0)
    }

    /// SIGTERM, and wait for the process to flush and end.
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn report(what: &str, started: Instant, done: bool, errors: &[String], server: &Serving) {
    let (peak, cpu) = server.usage();
    let secs = started.elapsed().as_secs_f64();
    let state = if done { "all done" } else { "NOT all done" };
    println!(
        "BENCH {what}: {state} in {secs:.1} s, {} errors, server peak RSS {peak:.0} MiB, server CPU {cpu:.1} s so far",
        errors.len()
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let options = options();
    if options.scenario == "county" {
        return county(&options).await;
    }
    let phones = match (options.phones, options.scenario.as_str()) {
        (0, "storm") => 500,
        (0, _) => 200,
        (n, _) => n,
    };
    let plan = plan(phones, options.class_size, options.leads);
    let data = tempfile::tempdir().expect("data");
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").expect("index");
    println!(
        "BENCH {} phones ({} leads, {} class teachers, {} paired), {} children, {} documents; server {}, shards {}",
        plan.phones(),
        plan.leads,
        plan.class_teachers,
        plan.paired_teachers,
        plan.children(),
        plan.children() * 4 + 2,
        options.server.display(),
        options.shards.as_deref().unwrap_or("default")
    );
    let started = Instant::now();
    let school = enrol(&options.server, data.path(), "中心小学", &plan);
    println!("BENCH enrolled in {:.1} s", started.elapsed().as_secs_f64());
    let listen = format!("127.0.0.1:{}", free_port());
    let server = Serving::start(&options, data.path(), dist.path(), &listen);
    register_and_pair(&listen, &school, &plan)
        .await
        .expect("registered and paired");

    let started = Instant::now();
    let (mut live, done, errors) = Phones::start(&listen, &school, &plan, options.limit).await;
    let everyone: Vec<usize> = (0..plan.phones()).collect();
    report(
        "first sync (every phone connects and uploads or fetches its documents)",
        started,
        done,
        &errors,
        &server,
    );
    if !done {
        return;
    }
    match options.scenario.as_str() {
        "storm" => {
            server.stop();
            let started = Instant::now();
            let server = Serving::start(&options, data.path(), dist.path(), &listen);
            println!(
                "BENCH server back after {:.1} s",
                started.elapsed().as_secs_f64()
            );
            let (done, errors) = live
                .wait(&everyone, options.limit, |_, connection| connection >= 2)
                .await;
            // Closed sockets and refused connections while it was down are expected.
            let errors: Vec<String> = errors
                .into_iter()
                .filter(|e| {
                    !e.contains("closed") && !e.contains("connect:") && !e.contains("hung up")
                })
                .collect();
            report(
                "reconnect storm (from restart until every phone is in sync again)",
                started,
                done,
                &errors,
                &server,
            );
        }
        _ => {
            let started = Instant::now();
            live.write_a_day(1);
            let (done, errors) = live
                .wait(&everyone, options.limit, |round, _| round == 1)
                .await;
            report(
                "a day's work pushed at once",
                started,
                done,
                &errors,
                &server,
            );
        }
    }
    live.stop().await;
}

/// Where the county's documents are kept, and how its requests are counted.
enum Store {
    S3s(S3Server),
    Files,
    Env { metrics: Option<String> },
}

impl Store {
    fn new(options: &Options) -> Store {
        match options.store.as_str() {
            "files" => Store::Files,
            "env" => Store::Env {
                metrics: options.metrics.clone(),
            },
            _ => {
                let s3 = S3Server::start();
                let store = s3.config();
                // The admin commands and the instances find the bucket in the environment.
                for (key, value) in [
                    ("SHOUWANG_S3_BUCKET", store.bucket.clone()),
                    ("SHOUWANG_S3_ENDPOINT", store.endpoint.unwrap_or_default()),
                    ("SHOUWANG_S3_ACCESS_KEY_ID", store.access_key_id.clone()),
                    (
                        "SHOUWANG_S3_SECRET_ACCESS_KEY",
                        store.secret_access_key.clone(),
                    ),
                    ("SHOUWANG_S3_ALLOW_HTTP", "true".into()),
                ] {
                    std::env::set_var(key, value);
                }
                Store::S3s(s3)
            }
        }
    }

    /// Requests the store has served, by kind; empty when they cannot be counted.
    async fn requests(&self) -> BTreeMap<String, u64> {
        match self {
            Store::S3s(s3) => s3.requests(),
            Store::Files | Store::Env { metrics: None } => BTreeMap::new(),
            Store::Env {
                metrics: Some(addr),
            } => garage_requests(addr).await,
        }
    }
}

/// Garage's Prometheus counters (`api_s3_request_counter{api_endpoint="PutObject"} 12`), summed
/// by endpoint.
async fn garage_requests(addr: &str) -> BTreeMap<String, u64> {
    let text = school_day::http("GET", addr, "/metrics", "", "")
        .await
        .unwrap_or_default();
    let mut counts = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| l.starts_with("api_s3_request_counter{"))
    {
        let endpoint = line
            .split("api_endpoint=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("?");
        let value = line
            .rsplit(' ')
            .next()
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0);
        *counts.entry(endpoint.to_string()).or_default() += value as u64;
    }
    counts
}

/// The county simulation (see the top of this file).
async fn county(options: &Options) {
    let phones = if options.phones == 0 {
        40
    } else {
        options.phones
    };
    let plan = plan(phones, options.class_size, options.leads);
    let s3 = Store::new(options);
    if options.state_in_bucket {
        // The admin commands and the instances read it from the environment, as the bucket.
        std::env::set_var("SHOUWANG_STATE_IN_BUCKET", "true");
    }
    let data = tempfile::tempdir().expect("data");
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").expect("index");
    println!(
        "BENCH county: {} schools × {} children, {} phones each ({} in all), {} instances, store {}",
        options.schools,
        plan.children(),
        plan.phones(),
        plan.phones() * options.schools,
        options.instances,
        options.store
    );
    let started = Instant::now();
    let schools: Vec<School> = (0..options.schools)
        .map(|n| {
            let school = enrol(&options.server, data.path(), &format!("第{n}小学"), &plan);
            let instance = format!("i{}", n % options.instances);
            cli(
                &options.server,
                data.path(),
                &[
                    "school",
                    "place",
                    "--school",
                    &school.id,
                    "--instance",
                    &instance,
                ],
            );
            school
        })
        .collect();
    println!("BENCH enrolled in {:.1} s", started.elapsed().as_secs_f64());
    let listens: Vec<String> = (0..options.instances)
        .map(|_| format!("127.0.0.1:{}", free_port()))
        .collect();
    let start_all = || -> Vec<Serving> {
        listens
            .iter()
            .enumerate()
            .map(|(n, listen)| {
                let more = [
                    "--instance".to_string(),
                    format!("i{n}"),
                    "--idle-shard-seconds".to_string(),
                    options.idle.to_string(),
                ];
                Serving::start_with(options, data.path(), dist.path(), listen, &more)
            })
            .collect()
    };
    let mut instances = start_all();
    for (n, instance) in instances.iter().enumerate() {
        println!(
            "BENCH instance i{n} started: {:.0} MiB resident",
            instance.memory("VmRSS:")
        );
    }
    let addr_of = |n: usize| listens[n % options.instances].as_str();
    for (n, school) in schools.iter().enumerate() {
        register_and_pair(addr_of(n), school, &plan)
            .await
            .expect("registered and paired");
    }

    let started = Instant::now();
    let mut live = Vec::new();
    let mut errors = Vec::new();
    let mut done = true;
    let wave = if options.wave == 0 {
        schools.len()
    } else {
        options.wave
    };
    for (w, together) in schools.chunks(wave).enumerate() {
        let starts = together.iter().enumerate().map(|(n, school)| {
            let addr = addr_of(w * wave + n);
            Phones::start_with(addr, school, &plan, options.limit, options.offline)
        });
        for (phones, all, seen) in futures::future::join_all(starts).await {
            live.push(phones);
            errors.extend(seen);
            done &= all;
        }
        if wave < schools.len() {
            println!(
                "BENCH   schools {}–{} in sync after {:.1} s",
                w * wave,
                w * wave + together.len() - 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    county_report("first sync", started, done, &errors, &instances, &s3).await;
    if options.offline {
        report_memory("every phone offline", &instances, &listens, options.idle).await;
    }
    if !done {
        return;
    }

    let before = total(&s3.requests().await);
    let started = Instant::now();
    let everyone: Vec<usize> = (0..plan.phones()).collect();
    for phones in &live {
        phones.write_a_day(1);
    }
    let (done, errors) = wait_all(&mut live, &everyone, options.limit, |round, _| round == 1).await;
    county_report(
        "a day's work at once",
        started,
        done,
        &errors,
        &instances,
        &s3,
    )
    .await;
    let syncs = plan.phones() * options.schools;
    let during = total(&s3.requests().await) - before;
    println!(
        "BENCH object-store requests for the day: {during} for {syncs} phones' syncs, {:.1} per phone",
        during as f64 / syncs as f64
    );

    if options.offline {
        report_memory(
            "every phone offline again",
            &instances,
            &listens,
            options.idle,
        )
        .await;
    }
    for instance in instances.drain(..) {
        instance.stop();
    }
    let started = Instant::now();
    instances = start_all();
    println!(
        "BENCH instances back after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Phones kept connected come back by themselves with the app's backoff; phones that went
    // offline all come back at once, each with the next day's work.
    let (done, errors) = if options.offline {
        for phones in &live {
            phones.write_a_day(2);
        }
        wait_all(&mut live, &everyone, options.limit, |round, _| round == 2).await
    } else {
        wait_all(&mut live, &everyone, options.limit, |_, c| c >= 2).await
    };
    let errors: Vec<String> = errors
        .into_iter()
        .filter(|e| !e.contains("closed") && !e.contains("connect:") && !e.contains("hung up"))
        .collect();
    county_report(
        "reconnect storm (every instance restarted)",
        started,
        done,
        &errors,
        &instances,
        &s3,
    )
    .await;

    for phones in live {
        phones.stop().await;
    }
    report_memory("the phones left", &instances, &listens, options.idle).await;
}

/// Each instance's memory and the documents it still holds, once its shards have had time to
/// close (twice the idle time, and 2 s).
async fn report_memory(when: &str, instances: &[Serving], listens: &[String], idle: u64) {
    tokio::time::sleep(Duration::from_secs(idle * 2 + 2)).await;
    for (n, instance) in instances.iter().enumerate() {
        let health = school_day::http("GET", &listens[n], "/health", "", "")
            .await
            .unwrap_or_default();
        let health: serde_json::Value = serde_json::from_str(&health).unwrap_or_default();
        println!(
            "BENCH instance i{n} after {when} and {} s idle: {:.0} MiB resident (peak {:.0}), {} documents in memory",
            idle * 2 + 2,
            instance.memory("VmRSS:"),
            instance.memory("VmHWM:"),
            health["documentsInMemory"]
        );
    }
}

async fn wait_all(
    live: &mut [Phones],
    phones: &[usize],
    limit: Duration,
    done: impl Fn(u32, u32) -> bool + Copy,
) -> (bool, Vec<String>) {
    let (mut all, mut errors) = (true, Vec::new());
    for school in live {
        let (finished, seen) = school.wait(phones, limit, done).await;
        all &= finished;
        errors.extend(seen);
    }
    (all, errors)
}

fn total(requests: &BTreeMap<String, u64>) -> u64 {
    requests.values().sum()
}

async fn county_report(
    what: &str,
    started: Instant,
    done: bool,
    errors: &[String],
    instances: &[Serving],
    s3: &Store,
) {
    let state = if done { "all done" } else { "NOT all done" };
    println!(
        "BENCH {what}: {state} in {:.1} s, {} errors; object store so far {:?}",
        started.elapsed().as_secs_f64(),
        errors.len(),
        s3.requests().await
    );
    for (n, instance) in instances.iter().enumerate() {
        let (peak, cpu) = instance.usage();
        println!(
            "BENCH   instance i{n}: {:.0} MiB resident, peak {peak:.0} MiB, CPU {cpu:.1} s",
            instance.memory("VmRSS:")
        );
    }
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }
}
