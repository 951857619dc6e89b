//! API tests over real HTTP: each test spawns the app on port 0 with a fresh database.

mod helpers;

mod campaigns;
mod errors;
mod health;
mod privacy;
mod spa;
mod wishes;
