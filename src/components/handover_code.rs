//! The code a giver shows at the grid station: a QR code the worker's phone scans, and the
//! code itself, large and in two groups of three, to read out or type (offline too: it
//! comes with the claim and the QR code is drawn here).

use leptos::prelude::*;
use microwish_core::HandoverCode;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::i18n::t;

#[component]
pub fn HandoverCodeView(code: HandoverCode) -> impl IntoView {
    let t = t();
    let origin = web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default();
    let qr = qr_svg(&code.link(&origin));
    view! {
        <div class="handover-code" data-code=code.as_str().to_owned()>
            <p class="handover-code__title">{t.handover.code_title}</p>
            {qr.map(|svg| view! {
                <div class="handover-code__qr" role="img" aria-label=t.handover.qr_label inner_html=svg></div>
            })}
            <p class="handover-code__code" aria-label=code.as_str().to_owned()>{code.grouped()}</p>
            <p class="handover-code__hint">{t.handover.code_hint}</p>
        </div>
    }
}

/// `text` as a QR code in SVG, dark on white with its quiet zone (a camera needs both); `M`
/// error correction survives a cracked screen.
fn qr_svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text, EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(176, 176)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}
