//! Entry point of the SPA: mount the app on the page.

fn main() {
    console_error_panic_hook::set_once();
    microwish::prefs::apply_saved();
    microwish::service_worker::register();
    // The shell index.html drew while this loaded makes way for the app itself.
    if let Some(shell) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("shell"))
    {
        shell.remove();
    }
    leptos::mount::mount_to_body(microwish::app::App);
}
