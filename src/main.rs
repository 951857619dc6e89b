//! Entry point of the SPA: mount the app on the page.

fn main() {
    console_error_panic_hook::set_once();
    microwish::prefs::apply_saved();
    microwish::service_worker::register();
    // The shell index.html drew while this loaded makes way for the app itself (at once, or
    // when the list is ready if the server drew its first screen there).
    microwish::shell::mount();
    leptos::mount::mount_to_body(microwish::app::App);
}
