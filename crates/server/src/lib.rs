//! `microwish-server`: the JSON API over SQLite, and the host of the built SPA.

pub mod app;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod routes;
pub mod stored;

pub use app::{router, AppState};

use std::net::SocketAddr;
use std::path::PathBuf;

use tokio::net::TcpListener;

/// What `serve` needs to run.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    pub database_url: String,
    pub dist: PathBuf,
    pub demo: bool,
}

/// A server bound to its port (port 0 picks a free one), ready to run.
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

impl Server {
    /// Opens the database (creating and migrating it), seeds the demo when asked, binds.
    pub async fn build(config: &ServeConfig) -> anyhow::Result<(Server, Option<demo::Seeded>)> {
        let db = db::connect(&config.database_url).await?;
        let seeded = if config.demo {
            demo::seed_if_empty(&db).await?
        } else {
            None
        };
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|error| anyhow::anyhow!("cannot listen on {}: {error}", config.addr))?;
        let state = AppState {
            db,
            dist: config.dist.clone(),
        };
        Ok((Server { listener, state }, seeded))
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, router(self.state))
            .with_graceful_shutdown(shutdown)
            .await
    }
}
