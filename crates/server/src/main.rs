//! The server binary: parses flags and serves the app on loopback by default.

use clap::Parser;
use shouwang_server::{app, Config};

#[derive(Parser)]
#[command(
    name = "shouwang-server",
    about = "守望 school server: serves the app to the school's devices"
)]
struct Args {
    /// Address to listen on. Loopback by default; put a TLS reverse proxy in front for phones.
    #[arg(long, env = "SHOUWANG_LISTEN", default_value = "127.0.0.1:8080")]
    listen: std::net::SocketAddr,
    /// The built app (Trunk's output).
    #[arg(long, env = "SHOUWANG_DIST", default_value = "dist")]
    dist: std::path::PathBuf,
    /// Where the server keeps its data.
    #[arg(long, env = "SHOUWANG_DATA_DIR", default_value = "data")]
    data_dir: std::path::PathBuf,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    if !args.dist.join("index.html").is_file() {
        eprintln!(
            "no built app at {} (index.html missing): build it with `trunk build --release`",
            args.dist.display()
        );
        std::process::exit(2);
    }
    std::fs::create_dir_all(&args.data_dir)?;
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    println!(
        "守望 serving {} on http://{}",
        args.dist.display(),
        listener.local_addr()?
    );
    axum::serve(listener, app(Config { dist: args.dist }))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
