//! A request's photos on the phone: made smaller before they are kept (≤ 1600 px on the long
//! side, re-encoded as JPEG through a canvas, which also leaves the camera's EXIF behind),
//! then kept in the photo outbox until their request is on the server, and sent once each.
//! What to send when, and what an answer means, is decided here without a browser; the sync
//! driver (`sync/photos.rs`) does the sending and the store (`store/photos.rs`) the keeping.

use microwish_core::command::Command;
use microwish_core::overlay::LocalState;
use microwish_core::sync::Mutation;
use microwish_core::{PhotoId, ProblemCode, RequestId};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiError;

/// The longest side of a photo sent from the phone, in pixels.
pub const MAX_SIDE: u32 = 1600;
/// How well the JPEG keeps the picture (0–1): small enough for a phone's data plan, clear
/// enough to see a broken pipe.
const JPEG_QUALITY: f64 = 0.82;

/// A photo waiting in the outbox (its bytes are kept beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedPhoto {
    pub id: PhotoId,
    pub request_id: RequestId,
}

/// A photo the server refused for good: it is not kept, and the user is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoProblem {
    pub photo_id: PhotoId,
    pub request_id: RequestId,
    pub code: ProblemCode,
}

/// What an upload's answer means for the photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upload {
    /// The server has it (2xx): it leaves the phone.
    Done,
    /// No answer, the server failing or busy, or the session to renew: try again later.
    Retry,
    /// Refused for good (not an image, too large, too many): drop it and say why.
    Refused(ProblemCode),
}

impl Upload {
    pub fn of(answer: &Result<(), ApiError>) -> Upload {
        match answer {
            Ok(()) => Upload::Done,
            Err(ApiError::Unreachable) => Upload::Retry,
            Err(ApiError::Problem { code, .. }) => match code {
                ProblemCode::NotLoggedIn | ProblemCode::Busy | ProblemCode::TooManyAttempts => {
                    Upload::Retry
                }
                code if code.status() >= 500 => Upload::Retry,
                code => Upload::Refused(*code),
            },
            // A 4xx without a body this app knows.
            Err(ApiError::Unexpected(_)) => Upload::Refused(ProblemCode::Unknown),
        }
    }
}

/// Whether the server has applied the request's filing: the phone shows the request and no
/// `file_request` for it waits in the outbox (it leaves once the server's pull has it).
pub fn on_server(view: &LocalState, outbox: &[Mutation], request: RequestId) -> bool {
    view.requests.contains_key(&request)
        && !outbox.iter().any(
            |mutation| matches!(&mutation.command, Command::FileRequest(new) if new.id == request),
        )
}

/// The queued photos that may go now, in the order they were taken.
pub fn ready(queue: &[QueuedPhoto], on_server: impl Fn(RequestId) -> bool) -> Vec<QueuedPhoto> {
    queue
        .iter()
        .filter(|photo| on_server(photo.request_id))
        .cloned()
        .collect()
}

/// The size a `width` × `height` picture is drawn at: as it is when its long side fits in
/// [`MAX_SIDE`], else scaled down to it, keeping its shape.
pub fn fitted(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= MAX_SIDE || long == 0 {
        return (width, height);
    }
    let scale = f64::from(MAX_SIDE) / f64::from(long);
    let side = |n: u32| ((f64::from(n) * scale).round() as u32).max(1);
    (side(width), side(height))
}

/// Why a picked file could not be made into a photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShrinkError {
    /// The browser could not read it as a picture.
    NotAnImage,
    /// The browser could not draw or encode it (out of memory, no canvas).
    Failed,
}

/// `file` as a JPEG no larger than [`MAX_SIDE`] on its long side, drawn upright (the browser
/// applies the camera's orientation) and without the original's metadata.
pub async fn shrink(file: &web_sys::Blob) -> Result<web_sys::Blob, ShrinkError> {
    let window = web_sys::window().ok_or(ShrinkError::Failed)?;
    let decoding = window
        .create_image_bitmap_with_blob(file)
        .map_err(|_| ShrinkError::NotAnImage)?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(decoding)
        .await
        .map_err(|_| ShrinkError::NotAnImage)?
        .unchecked_into();
    let (width, height) = fitted(bitmap.width(), bitmap.height());
    let canvas: web_sys::HtmlCanvasElement = window
        .document()
        .and_then(|document| document.create_element("canvas").ok())
        .ok_or(ShrinkError::Failed)?
        .unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or(ShrinkError::Failed)?
        .unchecked_into();
    context.set_image_smoothing_enabled(true);
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(
            &bitmap,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(|_| ShrinkError::Failed)?;
    bitmap.close();
    let encoded = js_sys::Promise::new(&mut |resolve, reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        if canvas
            .to_blob_with_type_and_encoder_options(
                done.unchecked_ref(),
                "image/jpeg",
                &JPEG_QUALITY.into(),
            )
            .is_err()
        {
            let _ = reject.call0(&JsValue::NULL);
        }
    });
    let blob = JsFuture::from(encoded)
        .await
        .map_err(|_| ShrinkError::Failed)?;
    blob.dyn_into::<web_sys::Blob>()
        .map_err(|_| ShrinkError::Failed)
}

/// An address the page can show a photo kept on the phone by (revoke it when done).
pub fn object_url(blob: &web_sys::Blob) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(blob).ok()
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

#[cfg(test)]
mod tests {
    use super::*;
    use microwish_core::command::{NewRequest, RequestRef};
    use microwish_core::{BuildingId, RequestCategory, Urgency};

    #[test]
    fn a_photo_keeps_its_shape_and_its_long_side_fits() {
        assert_eq!(fitted(4032, 3024), (1600, 1200));
        assert_eq!(fitted(3024, 4032), (1200, 1600));
        assert_eq!(fitted(1600, 900), (1600, 900), "small enough already");
        assert_eq!(fitted(800, 600), (800, 600), "never made larger");
        assert_eq!(
            fitted(40_000, 10),
            (1600, 1),
            "a sliver stays at least a pixel"
        );
    }

    fn filing(id: RequestId) -> Command {
        Command::FileRequest(NewRequest {
            id,
            category: RequestCategory::Repair,
            description: "楼道灯坏了".into(),
            building_id: BuildingId::generate(),
            unit: None,
            place: None,
            urgency: Urgency::Normal,
            contact_ok: true,
            channel: None,
            on_behalf: None,
        })
    }

    fn shown(id: RequestId) -> microwish_core::RequestView {
        use chrono::{TimeZone, Utc};
        let at = Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap();
        microwish_core::RequestView {
            id,
            community: microwish_core::CommunityId::generate(),
            grid: "grid-1".into(),
            building_id: BuildingId::generate(),
            unit: None,
            place: None,
            category: RequestCategory::Repair,
            description: "楼道灯坏了".into(),
            urgency: Urgency::Normal,
            contact_ok: true,
            channel: microwish_core::Channel::App,
            status: microwish_core::RequestStatus::Submitted,
            requester: microwish_core::UserId::generate(),
            on_behalf: None,
            handler: None,
            accept_by: at,
            resolve_by: at,
            accepted_at: None,
            resolved_at: None,
            closed_at: None,
            rating: None,
            rating_note: None,
            public_summary: None,
            wish_id: None,
            merged_into: None,
            photos: Vec::new(),
            reopen_count: 0,
            created_at: at,
            updated_at: at,
            overdue: false,
            contact: None,
        }
    }

    #[test]
    fn photos_wait_until_their_request_is_on_the_server() {
        let request = RequestId::generate();
        let other = RequestId::generate();
        let queue = vec![
            QueuedPhoto {
                id: PhotoId::generate(),
                request_id: request,
            },
            QueuedPhoto {
                id: PhotoId::generate(),
                request_id: other,
            },
        ];
        let mut view = LocalState::default();
        let waiting = vec![Mutation {
            id: 1,
            command: filing(request),
        }];
        // Not on the phone at all, or filed and not answered yet: nothing goes.
        assert!(!on_server(&view, &waiting, request));
        view.requests.insert(request, shown(request));
        assert!(
            !on_server(&view, &waiting, request),
            "its filing still waits"
        );
        // Another change to it waiting is no reason to hold its photos back.
        let note = vec![Mutation {
            id: 2,
            command: Command::AcceptRequest(RequestRef {
                request_id: request,
            }),
        }];
        assert!(on_server(&view, &note, request));
        let sent = ready(&queue, |id| on_server(&view, &note, id));
        assert_eq!(sent, vec![queue[0].clone()]);
    }

    #[test]
    fn answers_decide_whether_a_photo_stays_goes_or_is_dropped() {
        assert_eq!(Upload::of(&Ok(())), Upload::Done);
        assert_eq!(Upload::of(&Err(ApiError::Unreachable)), Upload::Retry);
        for code in [
            ProblemCode::Internal,
            ProblemCode::Busy,
            ProblemCode::NotLoggedIn,
        ] {
            assert_eq!(
                Upload::of(&Err(ApiError::of(code))),
                Upload::Retry,
                "{code}"
            );
        }
        for code in [
            ProblemCode::NotAnImage,
            ProblemCode::TooLarge,
            ProblemCode::TooManyPhotos,
            ProblemCode::NotFound,
        ] {
            assert_eq!(
                Upload::of(&Err(ApiError::of(code))),
                Upload::Refused(code),
                "{code}"
            );
        }
    }
}
