//! The school's server as a testable `Router`: the whole app is built by `app(config)`, so tests
//! drive it with requests and no socket.

mod static_files;

use axum::Router;

pub struct Config {
    /// The directory Trunk built the app into.
    pub dist: std::path::PathBuf,
}

pub fn app(config: Config) -> Router {
    static_files::router(&config.dist)
}
