//! API tests over real HTTP: each test spawns the app on port 0 with a fresh database.

mod helpers;

mod access;
mod account;
mod auth;
mod campaigns;
mod certificates;
mod claims;
mod communities;
mod consent;
mod costs;
mod crash;
mod errors;
mod handover;
mod hardening;
mod health;
mod hold;
mod import;
mod notices;
mod pairings;
mod pipl;
mod postgres;
mod privacy;
mod requests;
mod schema;
mod shop_record;
mod shops;
mod spa;
mod sync;
mod wishes;
mod workers;
mod writer;
