//! The worker's camera at the station: reads a giver's QR code with the browser's
//! `BarcodeDetector` (Chromium on Android, ChromeOS and macOS have it) and hands the code
//! on. Where the browser has no detector the button is not shown and the code is typed.

use leptos::html;
use leptos::prelude::*;
use microwish_core::HandoverCode;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MediaStream, MediaStreamTrack};

use crate::i18n::t;
use crate::sync::sleep;

#[wasm_bindgen]
extern "C" {
    /// The Shape Detection API's barcode reader.
    type BarcodeDetector;
    #[wasm_bindgen(constructor, catch)]
    fn new(options: &JsValue) -> Result<BarcodeDetector, JsValue>;
    #[wasm_bindgen(method)]
    fn detect(this: &BarcodeDetector, source: &web_sys::HtmlVideoElement) -> js_sys::Promise;
}

/// How often a frame is read: often enough to feel instant, seldom enough for an old phone.
const LOOK_EVERY_MS: u32 = 250;

/// Why the camera could not read a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ScanProblem {
    /// No camera, or the worker (or the browser) refused it.
    NoCamera,
    /// A QR code that is not a hand-over code (scanning goes on).
    NotACode,
}

/// Whether this browser can read QR codes from a camera.
pub fn can_scan() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    js_sys::Reflect::has(&window, &JsValue::from_str("BarcodeDetector")).unwrap_or(false)
        && window.navigator().media_devices().is_ok()
}

#[component]
pub fn HandoverScanner(on_code: Callback<HandoverCode>) -> impl IntoView {
    let t = t();
    let video = NodeRef::<html::Video>::new();
    let scanning = RwSignal::new(false);
    let problem = RwSignal::new(None::<ScanProblem>);
    // Scanning ends (and the camera goes off) when a code is read, the worker stops, or the
    // form goes away.
    let stop = move || {
        scanning.try_set(false);
    };
    on_cleanup(stop);
    let start = move |_| {
        problem.set(None);
        scanning.set(true);
        leptos::task::spawn_local(async move {
            let read = scan(video, scanning, problem).await;
            stop();
            match read {
                Ok(Some(code)) => on_code.run(code),
                Ok(None) => {}
                Err(failure) => {
                    problem.try_set(Some(failure));
                }
            }
        });
    };
    let words = move || {
        problem.get().map(|problem| match problem {
            ScanProblem::NoCamera => t.handover.no_camera,
            ScanProblem::NotACode => t.handover.not_a_code,
        })
    };
    view! {
        <div class="handover-scanner" data-scanning=move || scanning.get().to_string()>
            <video class="handover-scanner__video" node_ref=video playsinline=true muted=true
                aria-label=t.handover.scan hidden=move || !scanning.get()></video>
            {move || words().map(|words| view! { <p class="form-error" role="alert">{words}</p> })}
            <Show
                when=move || scanning.get()
                fallback=move || view! {
                    <button class="button button--wide handover-scanner__start" type="button" on:click=start>
                        {t.handover.scan}
                    </button>
                }
            >
                <button class="button button--quiet handover-scanner__stop" type="button" on:click=move |_| stop()>
                    {t.handover.stop_scan}
                </button>
            </Show>
        </div>
    }
}

/// Reads frames from the back camera until one holds a hand-over code (`Some`) or scanning
/// is stopped (`None`); the camera is off again when it returns.
async fn scan(
    video: NodeRef<html::Video>,
    scanning: RwSignal<bool>,
    problem: RwSignal<Option<ScanProblem>>,
) -> Result<Option<HandoverCode>, ScanProblem> {
    let devices = web_sys::window()
        .and_then(|window| window.navigator().media_devices().ok())
        .ok_or(ScanProblem::NoCamera)?;
    let back_camera = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&back_camera, &"facingMode".into(), &"environment".into());
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&back_camera);
    let asked = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| ScanProblem::NoCamera)?;
    let camera: MediaStream = JsFuture::from(asked)
        .await
        .map_err(|_| ScanProblem::NoCamera)?
        .unchecked_into();
    let read = read_frames(&camera, video, scanning, problem).await;
    for track in camera.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
    read
}

async fn read_frames(
    camera: &MediaStream,
    video: NodeRef<html::Video>,
    scanning: RwSignal<bool>,
    problem: RwSignal<Option<ScanProblem>>,
) -> Result<Option<HandoverCode>, ScanProblem> {
    let element = video
        .try_get_untracked()
        .flatten()
        .ok_or(ScanProblem::NoCamera)?;
    element.set_src_object(Some(camera));
    // The picture, the words under it and the stop button in sight together (again once
    // words appear under the picture).
    let bring_into_sight = || {
        if let Some(scanner) = element.parent_element() {
            scanner.scroll_into_view_with_bool(false);
        }
    };
    bring_into_sight();
    let mut words_in_sight = false;
    if let Ok(playing) = element.play() {
        let _ = JsFuture::from(playing).await;
    }
    let options = js_sys::Object::new();
    let qr_only = js_sys::Array::of1(&"qr_code".into());
    let _ = js_sys::Reflect::set(&options, &"formats".into(), &qr_only);
    let detector = BarcodeDetector::new(&options).map_err(|_| ScanProblem::NoCamera)?;
    while scanning.try_get_untracked().unwrap_or(false) {
        if let Ok(found) = JsFuture::from(detector.detect(&element)).await {
            for barcode in js_sys::Array::from(&found).iter() {
                let text = js_sys::Reflect::get(&barcode, &"rawValue".into())
                    .ok()
                    .and_then(|value| value.as_string())
                    .unwrap_or_default();
                match HandoverCode::from_scan(&text) {
                    Some(code) => return Ok(Some(code)),
                    None => {
                        problem.try_set(Some(ScanProblem::NotACode));
                    }
                }
            }
        }
        sleep(LOOK_EVERY_MS).await;
        // Once, when words first show under the picture (drawn by now), so they and the
        // stop button are not under the tab bar.
        if !words_in_sight && problem.try_get_untracked().flatten().is_some() {
            words_in_sight = true;
            bring_into_sight();
        }
    }
    Ok(None)
}
