//! The server binary: serves the app (the default) or runs one admin command.

use clap::Parser;
use shouwang_server::cli::{run_admin, Cli, Command};
use shouwang_server::{app, Server};

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let code = match &cli.command {
        None | Some(Command::Serve) => serve(&cli).await,
        Some(command) => admin(&cli, command).await,
    };
    std::process::exit(code);
}

async fn serve(cli: &Cli) -> i32 {
    if !cli.dist.join("index.html").is_file() {
        eprintln!(
            "no built app at {} (index.html missing): build it with `trunk build --release`",
            cli.dist.display()
        );
        return 2;
    }
    let server = match Server::open(cli.config()).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return 1;
        }
    };
    let listener = match tokio::net::TcpListener::bind(cli.listen).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", cli.listen);
            return 1;
        }
    };
    let address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!("守望 serving {} on http://{address}", cli.dist.display());
    let served = axum::serve(listener, app(&server))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    // Everything received is written before the process ends.
    server.stop().await;
    match served {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("server stopped: {e}");
            1
        }
    }
}

async fn admin(cli: &Cli, command: &Command) -> i32 {
    match run_admin(command, &cli.data_dir).await {
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
