//! The `microwish-server` command line.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use microwish_core::account::Registration;
use microwish_core::command::{HoldPolicy, Policy};
use microwish_core::{Role, RuleError, VolunteerStatus};
use microwish_server::auth::add_user as add_user_to;
use microwish_server::demo::{self, DEMO_LOGINS};
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

const DEFAULT_DATABASE: &str = "sqlite://data/microwish.db";

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built SPA.
    Serve {
        /// Address to listen on; port 0 picks a free port (printed at start).
        #[arg(long, env = "MICROWISH_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The database: sqlite://FILE (the default engine; the file is created) or
        /// postgres://USER@HOST:PORT/NAME (an existing database); migrated on start.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
        /// Directory holding the SPA built by Trunk.
        #[arg(long, env = "MICROWISH_DIST", default_value = "dist")]
        dist: PathBuf,
        /// Fill an empty database with the Xingyi community demo data and demo logins.
        #[arg(long)]
        demo: bool,
        /// With --demo: also seed 桔园村 (城固县桔园镇), paired with 星怡社区 (结对帮扶). A second
        /// community: residents and volunteers then choose theirs at sign-up.
        #[arg(long, requires = "demo")]
        demo_pairing: bool,
        /// Days an item claim holds its units before they return to the pool.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=90))]
        hold_days: u32,
        /// Hours a house-call claim is held after its slot ends.
        #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=720))]
        hold_after_slot_hours: u32,
        /// House calls a volunteer may hold at once.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=50))]
        max_house_calls: u32,
        /// A reverse proxy (address or network, e.g. 10.0.0.0/8) whose `X-Forwarded-For` names
        /// the client; repeat for several. Without one, the peer's address is the client's.
        #[arg(long = "trusted-proxy", value_name = "CIDR")]
        trusted_proxies: Vec<microwish_server::security::Cidr>,
        /// Accounts one client address may register per hour.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        registrations_per_hour: u32,
        /// Days a session may go unused before it ends (the user signs in again); a session
        /// ends 30 days after sign-in in any case.
        #[arg(long, default_value_t = microwish_server::auth::SESSION_IDLE_DAYS, value_parser = clap::value_parser!(u32).range(1..=30))]
        session_idle_days: u32,
        /// Item units one donor may hold claimed and not yet delivered, at once.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        max_claim_units: u32,
        /// Item units an account whose phone is not verified (no SMS code; not added by the
        /// community) may hold at once; unset, the same as anyone. With no SMS gateway, a
        /// sign-up stays unverified: this keeps fresh accounts from holding every wish.
        #[arg(long, value_parser = clap::value_parser!(u32).range(0..=10_000))]
        unverified_claim_units: Option<u32>,
        /// Seconds between checks for stalled claims.
        #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
        expiry_check_secs: u64,
        /// A host (and port) push notices may go to although it is not a public https
        /// endpoint (also over plain http): for tests with a local endpoint. Repeatable.
        #[arg(long = "allow-push-endpoint", value_name = "HOST[:PORT]")]
        allow_push_endpoints: Vec<microwish_server::notify::endpoint::AllowedHost>,
        /// The SMS gateway notices chosen by SMS are POSTed to (signed with --sms-secret-file);
        /// without one, no SMS is sent.
        #[arg(long, value_name = "URL", requires = "sms_secret_file")]
        sms_gateway: Option<String>,
        /// The file holding the secret the SMS requests are signed with (HMAC-SHA256).
        #[arg(long, value_name = "F", requires = "sms_gateway")]
        sms_secret_file: Option<PathBuf>,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Set up communities (several in one database, sealed from each other).
    Community {
        #[command(subcommand)]
        command: CommunityCommand,
    },
    /// Write a consistent copy of the (live) database to FILE.
    Backup {
        file: PathBuf,
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
    },
    /// Copy a community's SQLite database into a new, empty PostgreSQL database (ids, history,
    /// sync state; sessions unless --skip-sessions), verifying every table's count.
    Migrate {
        /// The SQLite database to read (sqlite://FILE); it is not changed.
        #[arg(long)]
        from: String,
        /// The PostgreSQL database to fill (postgres://USER@HOST:PORT/NAME); created schema
        /// first, it must hold no data.
        #[arg(long)]
        to: String,
        /// Leave sessions behind: everyone signs in again on the new database.
        #[arg(long)]
        skip_sessions: bool,
    },
    /// Retention (PIPL): delete event-log rows (the audit of reads, reveals and changes) older
    /// than --events-days, and sessions that have ended; prints what it removed.
    Prune {
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
        /// Days the event log keeps its rows.
        #[arg(long, default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=36_500))]
        events_days: u32,
    },
    /// Put the backup FILE back as the database (checked first; stop the server before).
    Restore {
        file: PathBuf,
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
        /// Restore even though a server is running on the database (restart it at once).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account of any role: worker, property (the property company's staff), resident,
    /// donor, volunteer or shopkeeper (workers and property staff are only made this way).
    Add {
        /// worker | property | resident | donor | volunteer | shopkeeper
        #[arg(long)]
        role: Role,
        #[arg(long)]
        phone: String,
        #[arg(long)]
        name: String,
        /// Read the password from standard input (so it stays out of shell history).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// The community, by name or id: the one a worker or property staff works for, a
        /// resident or volunteer lives in (the only one, when there is one and none is named).
        #[arg(long)]
        community: Option<String>,
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
    },
}

#[derive(Subcommand)]
enum CommunityCommand {
    /// Add a community with its grids (each with its station) and buildings.
    Add {
        /// The community's name (unique), e.g. 星怡社区.
        #[arg(long)]
        name: String,
        /// A grid and its drop-off station: NAME=STATION (repeat for each grid; at least one).
        #[arg(long = "grid", value_name = "NAME=STATION", required = true, value_parser = pair)]
        grids: Vec<(String, String)>,
        /// A building and the grid it is in: NAME=GRID (a grid named by --grid; repeatable).
        #[arg(long = "building", value_name = "NAME=GRID", value_parser = pair)]
        buildings: Vec<(String, String)>,
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
    },
    /// List the communities: id, name and grids.
    List {
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
    },
    /// Set a grid station's opening hours, contact person and phone (public: staff, shown
    /// wherever a drop-off deadline is). An option left out clears that detail.
    Station {
        /// The grid: its id, or its name (with --community when several communities have it).
        #[arg(long)]
        grid: String,
        /// The community (id or name), when the grid's name is not enough.
        #[arg(long)]
        community: Option<String>,
        /// When the station is open, e.g. "周一至周六 9:00–17:00".
        #[arg(long, default_value = "")]
        hours: String,
        /// Whom to ask for there, e.g. "网格长 李敏".
        #[arg(long, default_value = "")]
        contact: String,
        /// The station's phone: a mobile or a landline.
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE)]
        database: String,
    },
}

/// `NAME=VALUE`, both sides trimmed and not empty.
fn pair(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE, got {text:?}"))?;
    let (name, value) = (name.trim(), value.trim());
    if name.is_empty() || value.is_empty() {
        return Err(format!("expected NAME=VALUE, both given, got {text:?}"));
    }
    Ok((name.to_owned(), value.to_owned()))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // PostgreSQL's notices ("relation … already exists, skipping" on every start) are not news.
    let filter = tracing_subscriber::filter::Targets::new()
        .with_default(tracing::Level::INFO)
        .with_target("sqlx::postgres::notice", tracing::Level::WARN);
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(std::io::stderr)
        .finish()
        .with(filter)
        .init();
    let result = match Cli::parse().command {
        Command::Serve {
            addr,
            database,
            dist,
            demo,
            demo_pairing,
            hold_days,
            hold_after_slot_hours,
            max_house_calls,
            max_claim_units,
            unverified_claim_units,
            trusted_proxies,
            registrations_per_hour,
            session_idle_days,
            expiry_check_secs,
            allow_push_endpoints,
            sms_gateway,
            sms_secret_file,
        } => {
            let mut config = ServeConfig::new(addr, database, dist);
            config.demo = demo;
            config.demo_pairing = demo_pairing;
            config.policy = Policy {
                hold: HoldPolicy {
                    item: chrono::Duration::days(hold_days.into()),
                    after_slot: chrono::Duration::hours(hold_after_slot_hours.into()),
                },
                max_house_calls,
                max_claim_units,
                unverified_claim_units,
                // Requests' limits (DESIGN: 30 min / 4 h to accept, 24 h / 72 h / 7 days to
                // resolve, 7 days to answer); not set from the command line yet.
                requests: Default::default(),
                // Set from the gateway below, once the server starts.
                sms: false,
            };
            config.expiry_interval = Duration::from_secs(expiry_check_secs);
            config.trusted_proxies = trusted_proxies;
            config.registrations_per_hour = usize::try_from(registrations_per_hour).unwrap_or(30);
            config.session_idle = chrono::Duration::days(session_idle_days.into());
            config.notify.allowed_endpoints = allow_push_endpoints;
            match (sms_gateway, sms_secret_file) {
                (Some(url), Some(file)) => {
                    match microwish_server::notify::sms::SmsGateway::new(&url, &file) {
                        Ok(gateway) => {
                            config.notify.sms = Some(gateway);
                            serve(config).await
                        }
                        Err(error) => Err(error),
                    }
                }
                _ => serve(config).await,
            }
        }
        Command::User {
            command:
                UserCommand::Add {
                    role,
                    phone,
                    name,
                    password_stdin: _,
                    community,
                    database,
                },
        } => add_user(role, &phone, &name, community.as_deref(), &database).await,
        Command::Community {
            command:
                CommunityCommand::Add {
                    name,
                    grids,
                    buildings,
                    database,
                },
        } => add_community(&name, &grids, &buildings, &database).await,
        Command::Community {
            command: CommunityCommand::List { database },
        } => list_communities(&database).await,
        Command::Community {
            command:
                CommunityCommand::Station {
                    grid,
                    community,
                    hours,
                    contact,
                    phone,
                    database,
                },
        } => {
            set_station(
                &grid,
                community.as_deref(),
                (&hours, &contact, &phone),
                &database,
            )
            .await
        }
        Command::Backup { file, database } => backup(&file, &database).await,
        Command::Prune {
            database,
            events_days,
        } => prune(&database, events_days).await,
        Command::Restore {
            file,
            database,
            force,
        } => restore(&file, &database, force).await,
        Command::Migrate {
            from,
            to,
            skip_sessions,
        } => migrate(&from, &to, !skip_sessions).await,
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
            "demo data: 星怡社区, {} grids, {} buildings, {} households, {} wishes, {} campaigns, \
             1 shop pledge, {} residents' requests",
            seeded.grids,
            seeded.buildings,
            seeded.households,
            seeded.wishes,
            seeded.campaigns,
            seeded.requests
        );
        println!("demo logins (phone / password):");
        let paired = seeded.paired.then_some(&demo::PARTNER_LOGIN);
        for (role, phone, name, password) in DEMO_LOGINS.iter().chain(paired) {
            println!("  {role:<10} {phone} / {password}  ({name})");
        }
        if seeded.paired {
            println!("paired: {} with 星怡社区 (结对帮扶)", demo::PARTNER);
        }
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

async fn add_user(
    role: Role,
    phone: &str,
    name: &str,
    community: Option<&str>,
    database: &str,
) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']).to_owned();
    // The same rules as registration, workers allowed.
    let account = Registration {
        display_name: name.to_owned(),
        phone: phone.to_owned(),
        password,
        role,
        community_id: None,
        privacy: None,
        code: None,
    }
    .validate_any_role()
    .map_err(|error| refused("invalid user", error))?;
    let config = ServeConfig::new(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        database.to_owned(),
        PathBuf::new(),
    );
    let state = Server::build(&config).await?.0.state().clone();
    let communities = microwish_server::store::community::communities(&state.db).await?;
    let named = match community {
        Some(wanted) => Some(
            communities
                .iter()
                .find(|(id, name)| name == wanted || id.to_string() == wanted)
                .map(|(id, _)| *id)
                .ok_or_else(|| anyhow::anyhow!("no community {wanted:?}"))?,
        ),
        None => None,
    };
    // Workers and property staff work for a community; residents and volunteers live in one
    // (the only one, unless named); donors and shopkeepers belong to none unless named.
    let community = match (role, named) {
        (_, Some(named)) => Some(named),
        (Role::Worker | Role::Property, None) => match communities.as_slice() {
            [(id, _)] => Some(*id),
            [] => anyhow::bail!("no community yet: start the server with --demo, or add one"),
            _ => anyhow::bail!("several communities: choose one with --community"),
        },
        (Role::Resident | Role::Volunteer, None) => match communities.as_slice() {
            [(id, _)] => Some(*id),
            [] => None,
            // A volunteer of no community is vetted by nobody: communities are sealed.
            _ => anyhow::bail!("several communities: choose one with --community"),
        },
        (_, None) => None,
    };
    // A volunteer added by an administrator has been met already: approved.
    let vetting = (role == Role::Volunteer).then_some(VolunteerStatus::Approved);
    let user = add_user_to(&state, account, community, vetting).await?;
    // An account the community adds counts as having a verified phone (DESIGN.md).
    let (id, now) = (user.id, state.clock.now());
    state
        .writer
        .write(move |tx| microwish_server::store::phone_codes::mark_verified(tx, id, now))
        .await?;
    println!("added {} {} ({})", role, user.phone, user.display_name);
    Ok(())
}

/// The app's state on `database` (migrated), for a command that changes it.
async fn state_of(database: &str) -> anyhow::Result<microwish_server::app::AppState> {
    let config = ServeConfig::new(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        database.to_owned(),
        PathBuf::new(),
    );
    Ok(Server::build(&config).await?.0.state().clone())
}

async fn add_community(
    name: &str,
    grids: &[(String, String)],
    buildings: &[(String, String)],
    database: &str,
) -> anyhow::Result<()> {
    use microwish_core::{Building, BuildingId, CommunityId, Grid, GridId};
    use microwish_server::store::community as store;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        anyhow::bail!("--name: 1 to 60 characters");
    }
    let mut seen = std::collections::HashSet::new();
    if let Some((grid, _)) = grids.iter().find(|(grid, _)| !seen.insert(grid)) {
        anyhow::bail!("--grid {grid:?} is given twice");
    }
    let mut seen = std::collections::HashSet::new();
    if let Some((building, _)) = buildings
        .iter()
        .find(|(building, _)| !seen.insert(building))
    {
        anyhow::bail!("--building {building:?} is given twice");
    }
    let community = CommunityId::generate();
    // Grid ids are short codes, unique across communities: the community's id makes them so.
    let short = community.to_string().replace('-', "");
    let short = &short[short.len() - 8..];
    let grids: Vec<Grid> = grids
        .iter()
        .enumerate()
        .map(|(position, (grid, station))| Grid {
            id: GridId::from(format!("grid-{short}-{}", position + 1).as_str()),
            community,
            name: grid.clone(),
            station: station.clone(),
            station_location: station.clone(),
            station_hours: String::new(),
            station_contact: String::new(),
            station_phone: String::new(),
        })
        .collect();
    let buildings: Vec<Building> = buildings
        .iter()
        .map(|(building, grid)| {
            let grid = grids
                .iter()
                .find(|each| each.name == *grid)
                .ok_or_else(|| {
                    anyhow::anyhow!("--building {building}={grid}: no --grid named {grid:?}")
                })?;
            Ok(Building {
                id: BuildingId::generate(),
                name: building.clone(),
                grid: grid.id.clone(),
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let state = state_of(database).await?;
    if store::communities(&state.db)
        .await?
        .iter()
        .any(|(_, existing)| existing == name)
    {
        anyhow::bail!("a community named {name:?} exists already");
    }
    let now = state.clock.now();
    let (owned_name, set_up, placed) = (name.to_owned(), grids.clone(), buildings.clone());
    state
        .writer
        .write(move |tx| {
            store::insert_community(tx, community, &owned_name, now)?;
            for (position, grid) in set_up.iter().enumerate() {
                store::insert_grid(tx, grid, position)?;
            }
            for (position, building) in placed.iter().enumerate() {
                store::insert_building(tx, building, position)?;
            }
            Ok(())
        })
        .await
        .map_err(|error| anyhow::anyhow!("could not add the community: {error}"))?;
    println!(
        "added community {community} {name}: {}, {}",
        counted(grids.len(), "grid"),
        counted(buildings.len(), "building")
    );
    Ok(())
}

/// "1 grid", "2 grids".
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

async fn list_communities(database: &str) -> anyhow::Result<()> {
    let state = state_of(database).await?;
    let communities = microwish_server::store::community::communities(&state.db).await?;
    let grids = microwish_server::store::community::grids(&state.db).await?;
    if communities.is_empty() {
        println!("no community yet: start the server with --demo, or add one with `community add`");
    }
    for (id, name) in communities {
        let theirs: Vec<String> = grids
            .iter()
            .filter(|grid| grid.community == id)
            .map(|grid| format!("{}={}", grid.name, grid.station))
            .collect();
        println!("{id}\t{name}\t{}", theirs.join(", "));
    }
    Ok(())
}

/// Core's refusal of command-line input, said field by field: "invalid user: phone: …".
fn refused(what: &str, error: RuleError) -> anyhow::Error {
    match error {
        RuleError::Validation(errors) => {
            let problems: Vec<String> = errors
                .0
                .iter()
                .map(|error| format!("{}: {}", error.field, error.message))
                .collect();
            anyhow::anyhow!("{what}: {}", problems.join("; "))
        }
        other => anyhow::anyhow!("{what}: {other}"),
    }
}

async fn set_station(
    grid: &str,
    community: Option<&str>,
    (hours, contact, phone): (&str, &str, &str),
    database: &str,
) -> anyhow::Result<()> {
    use microwish_server::store::community as store;
    let details = microwish_core::validate::station_details(hours, contact, phone)
        .map_err(|error| refused("invalid station", error))?;
    let state = state_of(database).await?;
    let communities = store::communities(&state.db).await?;
    let community = match community {
        Some(wanted) => Some(
            communities
                .iter()
                .find(|(id, name)| id.to_string() == wanted || name == wanted)
                .map(|(id, _)| *id)
                .ok_or_else(|| anyhow::anyhow!("--community {wanted:?}: no such community"))?,
        ),
        None => None,
    };
    let grids = store::grids(&state.db).await?;
    let matching: Vec<_> = grids
        .iter()
        .filter(|each| each.id.as_str() == grid || each.name == grid)
        .filter(|each| community.is_none_or(|community| each.community == community))
        .collect();
    let found = match matching.as_slice() {
        [] => anyhow::bail!("--grid {grid:?}: no such grid (see `community list`)"),
        [one] => (*one).clone(),
        _ => anyhow::bail!("--grid {grid:?} is in several communities: add --community"),
    };
    let id = found.id.clone();
    let (hours, contact, phone) = details.clone();
    state
        .writer
        .write(move |tx| store::set_station(tx, &id, (&hours, &contact, &phone)))
        .await
        .map_err(|error| anyhow::anyhow!("could not set the station: {error}"))?;
    let (hours, contact, phone) = details;
    println!(
        "{}: hours {hours:?}, contact {contact:?}, phone {phone:?}",
        found.station
    );
    Ok(())
}

async fn prune(database: &str, events_days: u32) -> anyhow::Result<()> {
    let state = state_of(database).await?;
    let now = state.clock.now();
    let before = now - chrono::Duration::days(events_days.into());
    let events = microwish_server::store::events::delete_older_than(&state.db, before).await?;
    let idle_since = now - chrono::Duration::days(microwish_server::auth::SESSION_IDLE_DAYS.into());
    let sessions =
        microwish_server::store::users::delete_ended_sessions(&state.db, now, idle_since).await?;
    println!(
        "pruned {events} events older than {events_days} days (before {}) and {sessions} ended \
         sessions",
        before.format("%Y-%m-%d")
    );
    Ok(())
}

/// `backup` and `restore` are SQLite's: PostgreSQL has its own tools.
fn sqlite_only(database: &str, what: &str) -> anyhow::Result<()> {
    if microwish_server::migrate::is_postgres(database) {
        anyhow::bail!(
            "{what} works on SQLite databases; for PostgreSQL use pg_dump -Fc (while serving) \
             and pg_restore (servers stopped), see the README"
        );
    }
    Ok(())
}

async fn backup(file: &std::path::Path, database: &str) -> anyhow::Result<()> {
    sqlite_only(database, "backup")?;
    if file.exists() {
        anyhow::bail!("{} exists; choose a new file", file.display());
    }
    let pool = microwish_server::db::connect(database).await?;
    microwish_server::store::copy_to(&microwish_server::store::Pool::Sqlite(pool), file).await?;
    println!("backed up to {}", file.display());
    Ok(())
}

async fn restore(file: &std::path::Path, database: &str, force: bool) -> anyhow::Result<()> {
    sqlite_only(database, "restore")?;
    let restored = microwish_server::db::restore(file, database, force).await?;
    println!(
        "restored {} into {database}: {} wishes, {} claims, {} accounts; versions {}..={} \
         are gone (every phone from before the restore starts over and sends its changes again)",
        file.display(),
        restored.wishes,
        restored.claims,
        restored.users,
        restored.lost.after + 1,
        restored.lost.through
    );
    Ok(())
}

async fn migrate(from: &str, to: &str, with_sessions: bool) -> anyhow::Result<()> {
    use std::io::Write;
    let copied = microwish_server::migrate::sqlite_to_postgres(
        from,
        to,
        with_sessions,
        |table, done, total| {
            eprint!("\rcopying {table}: {done}/{total}   ");
            if done == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        },
    )
    .await?;
    println!(
        "migrated {from} to {}:",
        microwish_server::migrate::without_password(to)
    );
    for table in copied {
        println!(
            "  {:<16} {:>9} rows (source {:>9})",
            table.table, table.target, table.source
        );
    }
    println!("every count checked; donors' held units recomputed and equal");
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
