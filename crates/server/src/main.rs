//! The `microwish-server` command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use microwish_server::{ServeConfig, Server};

#[derive(Parser)]
#[command(
    name = "microwish-server",
    version,
    about = "微心愿 microwish: API server and SPA host"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built SPA.
    Serve {
        /// Address to listen on; port 0 picks a free port (printed at start).
        #[arg(long, env = "MICROWISH_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// SQLite database URL; the file is created and migrated on start.
        #[arg(
            long,
            env = "DATABASE_URL",
            default_value = "sqlite://data/microwish.db"
        )]
        database: String,
        /// Directory holding the SPA built by Trunk.
        #[arg(long, env = "MICROWISH_DIST", default_value = "dist")]
        dist: PathBuf,
        /// Fill an empty database with the Xingyi community demo data.
        #[arg(long)]
        demo: bool,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve {
            addr,
            database,
            dist,
            demo,
        } => {
            serve(ServeConfig {
                addr,
                database_url: database,
                dist,
                demo,
            })
            .await
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("microwish-server: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let (server, seeded) = Server::build(&config).await?;
    if let Some(seeded) = seeded {
        println!(
            "demo data: 星怡社区, {} grids, {} households, {} wishes, {} campaigns, 1 shop pledge",
            seeded.grids, seeded.households, seeded.wishes, seeded.campaigns
        );
    }
    if !config.dist.join("index.html").exists() {
        eprintln!(
            "warning: {} has no index.html; the API works, the app needs `trunk build` first",
            config.dist.display()
        );
    }
    // Tests and scripts read this line to learn the port when started with port 0.
    println!("microwish listening on http://{}", server.local_addr()?);
    server.run(shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
