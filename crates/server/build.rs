// `sqlx::migrate!` embeds migrations/ at compile time; without this, adding a migration
// would not rebuild the server (sqlx's documented recipe).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
