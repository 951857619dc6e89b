//! Entry point of the SPA: mount the app on the page.

fn main() {
    console_error_panic_hook::set_once();
    microwish::prefs::apply_saved();
    microwish::service_worker::register();
    leptos::mount::mount_to_body(microwish::app::App);
}
