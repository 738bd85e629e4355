//! The server binary: serves the app (the default) or runs one admin command. Serving stops on
//! SIGTERM (systemd, docker) or SIGINT (Ctrl-C): sync connections are closed and every document
//! received is written before the process exits.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use shouwang_server::cli::{run_admin, Cli, Command};
use shouwang_server::{app, Server};
use tokio::signal::unix::{signal, SignalKind};

/// How long a stop waits for document writes. Only a failing disk makes it this long; then
/// the changes not written are still on the phones, which send them again to the next server.
const STOP_WAIT: Duration = Duration::from_secs(30);

#[tokio::main]
async fn main() {
    log_if_asked();
    let cli = Cli::parse();
    let code = match &cli.command {
        None | Some(Command::Serve) => serve(&cli).await,
        Some(command) => admin(&cli, command).await,
    };
    std::process::exit(code);
}

/// `SHOUWANG_LOG=warn` (or any tracing filter, e.g. `samod=debug`) writes the sync engine's own
/// log to stderr: what samod notices but has no error to return for (a document it could not
/// load, a peer it dropped). Off by default.
fn log_if_asked() {
    if let Ok(filter) = std::env::var("SHOUWANG_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .init();
    }
}

async fn serve(cli: &Cli) -> i32 {
    if !cli.dist.join("index.html").is_file() {
        eprintln!(
            "no built app at {} (index.html missing): build it with `trunk build --release`",
            cli.dist.display()
        );
        return 2;
    }
    // Bound first: an instance tells the others the address it really listens on.
    let listener = match tokio::net::TcpListener::bind(cli.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", cli.listen);
            return 1;
        }
    };
    let Ok(listening) = listener.local_addr() else {
        eprintln!("cannot read the address listened on");
        return 1;
    };
    let config = match cli.config(listening) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return 2;
        }
    };
    let server = match Server::open(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return 1;
        }
    };
    let address = listening.to_string();
    println!("守望 serving {} on http://{address}", cli.dist.display());
    let flushed = Arc::new(AtomicBool::new(false));
    let (stopping, done) = (server.clone(), flushed.clone());
    // The sockets are closed by stopping the repos inside the shutdown future: axum waits for
    // open connections, and the sync sockets end only when their repo lets go of them.
    let served = axum::serve(
        listener,
        app(&server).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let name = stop_signal().await;
        println!("{name}: closing sync connections and writing every document");
        done.store(stop(&stopping).await, Ordering::SeqCst);
    })
    .await;
    match served {
        Ok(()) if flushed.load(Ordering::SeqCst) => {
            println!("守望 stopped: every document is written");
            0
        }
        Ok(()) => 1,
        Err(e) => {
            eprintln!("server stopped: {e}");
            server.stop().await;
            1
        }
    }
}

async fn stop_signal() -> &'static str {
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        eprintln!("cannot listen for SIGTERM; only Ctrl-C stops the server cleanly");
        let _ = tokio::signal::ctrl_c().await;
        return "SIGINT";
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => "SIGINT",
        _ = term.recv() => "SIGTERM",
    }
}

/// True when everything received was written within `STOP_WAIT`.
async fn stop(server: &Server) -> bool {
    if tokio::time::timeout(STOP_WAIT, server.stop()).await.is_ok() {
        return true;
    }
    let report = server.storage_health().report();
    eprintln!(
        "stopping with {} document writes still failing ({}); the phones keep those changes \
         and send them again",
        report.failing_writes,
        report.last_error.unwrap_or_default()
    );
    false
}

async fn admin(cli: &Cli, command: &Command) -> i32 {
    let ran = match (cli.document_store(), cli.state_store()) {
        (Ok(documents), Ok(state)) => run_admin(command, &cli.data_dir, &documents, &state).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match ran {
        Ok(output) if cli.json => {
            println!("{}", output.json);
            0
        }
        Ok(output) => {
            println!("{}", output.text);
            0
        }
        Err(e) if cli.json => {
            println!(
                "{}",
                serde_json::json!({"error": e.to_string(), "message": e.chinese()})
            );
            1
        }
        Err(e) => {
            eprintln!("{e}\n{}", e.chinese());
            1
        }
    }
}
