//! Hand-over at the station: the code a giver shows, and the worker's confirmation of it.

pub struct HandoverTexts {
    /// Above the code on the giver's claim.
    pub code_title: &'static str,
    pub code_hint: &'static str,
    /// The worker console's form.
    pub confirm_title: &'static str,
    pub confirm_intro: &'static str,
    pub code_label: &'static str,
    pub submit: &'static str,
    /// Confirmed on this phone; the server applies it at the next sync.
    pub confirmed: &'static str,
    /// The QR code's spoken name.
    pub qr_label: &'static str,
    /// The worker's camera.
    pub scan: &'static str,
    pub stop_scan: &'static str,
    pub no_camera: &'static str,
    pub not_a_code: &'static str,
}
