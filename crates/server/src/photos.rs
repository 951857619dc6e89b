//! Photos of residents' requests. Whatever a phone sends is decoded and only its pixels are
//! kept: re-encoded as a JPEG (quality 82) of at most [`PHOTO_LONG_SIDE`] pixels on its long
//! side, so nothing else of the file — EXIF (GPS, camera, time), text chunks, colour profiles,
//! trailing bytes — is ever stored or served. (The EXIF orientation is applied to the pixels
//! first, so an upright photo stays upright.)
//!
//! Refused before anything is stored:
//! - a body over [`PHOTO_BODY_MAX`]: 413 `too_large`;
//! - a declared type other than `image/jpeg`, `image/png` or `image/webp`, a body that is not
//!   an image of the declared type, or one that does not decode (truncated, corrupt): 422
//!   `not_an_image`;
//! - an image whose header declares more than [`MAX_SIDE`] pixels a side or [`MAX_PIXELS`] in
//!   all (a pixel bomb: a few kilobytes that would decode to gigabytes): 413 `too_large`,
//!   found from the header before any pixel is decoded.
//!
//! Decoding runs on tokio's blocking threads, at most [`AT_ONCE`] at a time.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use microwish_core::{ProblemCode, PHOTO_LONG_SIDE};

use crate::error::ApiError;

/// The largest photo body taken (the route's own limit; the API's is 64 KB).
pub const PHOTO_BODY_MAX: usize = 5 * 1024 * 1024;
/// The most pixels on either side of an image that is decoded at all.
pub const MAX_SIDE: u32 = 10_000;
/// The most pixels in all of an image that is decoded at all (a 48 MP phone photo is sent
/// shrunk; anything larger is refused from its header).
pub const MAX_PIXELS: u64 = 40_000_000;
/// JPEG quality of what is stored.
const QUALITY: u8 = 82;
/// Photos decoded at once: each may hold up to [`MAX_PIXELS`] × 4 bytes while it is.
pub const AT_ONCE: usize = 2;

/// A photo as it is stored and served: JPEG bytes and their size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The content type a stored photo is served with.
pub const CONTENT_TYPE: &str = "image/jpeg";

/// The image type a request's `Content-Type` declares; only JPEG, PNG and WebP are taken.
pub fn declared(content_type: Option<&str>) -> Result<ImageFormat, ApiError> {
    let mime = content_type
        .and_then(|value| value.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase());
    match mime.as_deref() {
        Some("image/jpeg") => Ok(ImageFormat::Jpeg),
        Some("image/png") => Ok(ImageFormat::Png),
        Some("image/webp") => Ok(ImageFormat::WebP),
        other => Err(not_an_image(format!(
            "send a JPEG, PNG or WebP photo (Content-Type image/jpeg, image/png or \
             image/webp), not {}",
            other.unwrap_or("no type")
        ))),
    }
}

/// `body`, an image of the `declared` type, decoded and re-encoded (see the module), on a
/// blocking thread.
pub async fn reencode(body: axum::body::Bytes, declared: ImageFormat) -> Result<Encoded, ApiError> {
    static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);
    let _turn = DECODING
        .acquire()
        .await
        .map_err(|_| ApiError::Internal("the photo decoders are closed".into()))?;
    tokio::task::spawn_blocking(move || reencode_now(&body, declared))
        .await
        .map_err(|error| ApiError::Internal(format!("decoding a photo failed: {error}")))?
}

/// [`reencode`] on the calling thread.
pub fn reencode_now(body: &[u8], declared: ImageFormat) -> Result<Encoded, ApiError> {
    let found = image::guess_format(body)
        .map_err(|_| not_an_image("the body is not a JPEG, PNG or WebP image"))?;
    if found != declared {
        return Err(not_an_image(format!(
            "the body is {}, not the {} its Content-Type says",
            name(found),
            name(declared)
        )));
    }
    if declared == ImageFormat::Jpeg && !jpeg_is_whole(body) {
        return Err(not_an_image(
            "the JPEG is cut short (no end after its image data)",
        ));
    }
    // The header first: a pixel bomb is refused before a pixel of it is decoded.
    let mut header = ImageReader::with_format(Cursor::new(body), declared);
    // Only the header is read here: the sizes are this function's to judge.
    header.no_limits();
    let (width, height) = header
        .into_dimensions()
        .map_err(|error| not_an_image(format!("the image cannot be read: {error}")))?;
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ApiError::bad_request(
            ProblemCode::TooLarge,
            format!(
                "the image is {width}×{height} pixels; at most {MAX_SIDE} a side and \
                 {} megapixels are taken",
                MAX_PIXELS / 1_000_000
            ),
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(body), declared);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|error| not_an_image(format!("the image cannot be read: {error}")))?;
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder)
        .map_err(|error| not_an_image(format!("the image does not decode: {error}")))?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    if image.width().max(image.height()) > PHOTO_LONG_SIDE {
        image = image.resize(PHOTO_LONG_SIDE, PHOTO_LONG_SIDE, FilterType::Triangle);
    }
    let pixels = on_white(image);
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, QUALITY)
        .encode_image(&pixels)
        .map_err(|error| ApiError::Internal(format!("encoding a photo failed: {error}")))?;
    Ok(Encoded {
        width: pixels.width(),
        height: pixels.height(),
        bytes,
    })
}

/// Whether a JPEG's image data ends (an EOI marker follows its first scan). The decoder fills
/// a cut-short JPEG with grey rather than refusing it; a phone never sends one on purpose. The
/// segments before the scan are stepped over by their lengths (an EXIF thumbnail carries
/// markers of its own); data after the end (a motion photo's video) is left to the decoder.
fn jpeg_is_whole(body: &[u8]) -> bool {
    let mut at = 2;
    loop {
        while body.get(at) == Some(&0xff) && body.get(at + 1) == Some(&0xff) {
            at += 1;
        }
        match (body.get(at), body.get(at + 1)) {
            (Some(0xff), Some(0xda)) => {
                return body[at..].windows(2).any(|pair| pair == [0xff, 0xd9]);
            }
            (Some(0xff), Some(0xd9)) | (None, _) | (_, None) => return false,
            // Markers without a length.
            (Some(0xff), Some(0x01 | 0xd0..=0xd7)) => at += 2,
            (Some(0xff), Some(_)) => match (body.get(at + 2), body.get(at + 3)) {
                (Some(high), Some(low)) => at += 2 + usize::from(u16::from_be_bytes([*high, *low])),
                _ => return false,
            },
            _ => return false,
        }
    }
}

/// The image's colours, what is transparent in it laid on white (a JPEG has no alpha).
fn on_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (to, from) in rgb.pixels_mut().zip(rgba.pixels()) {
        let alpha = u16::from(from.0[3]);
        for channel in 0..3 {
            let value = u16::from(from.0[channel]) * alpha + 255 * (255 - alpha);
            to.0[channel] = (value / 255) as u8;
        }
    }
    rgb
}

fn name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "a JPEG",
        ImageFormat::Png => "a PNG",
        ImageFormat::WebP => "a WebP image",
        _ => "another kind of image",
    }
}

fn not_an_image(detail: impl Into<String>) -> ApiError {
    ApiError::bad_request(ProblemCode::NotAnImage, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg() -> Vec<u8> {
        let image = RgbImage::from_fn(32, 24, |x, y| image::Rgb([x as u8 * 8, y as u8 * 8, 90]));
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 90)
            .encode_image(&image)
            .unwrap();
        bytes
    }

    /// `jpeg` with an APP1 segment holding a thumbnail's own end marker before its scan.
    fn with_thumbnail_end(jpeg: &[u8]) -> Vec<u8> {
        let payload = b"Exif\0\0thumbnail \xff\xd8 ... \xff\xd9";
        let mut out = jpeg[..2].to_vec();
        out.extend([0xff, 0xe1]);
        out.extend(((payload.len() + 2) as u16).to_be_bytes());
        out.extend(payload);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_jpeg_is_whole_only_when_its_scan_ends() {
        let whole = jpeg();
        assert!(jpeg_is_whole(&whole));
        let mut motion_photo = whole.clone();
        motion_photo.extend(b"....ftypmp42 a video after the image");
        assert!(
            jpeg_is_whole(&motion_photo),
            "data after the end is the decoder's"
        );
        let cut = &whole[..whole.len() - 40];
        assert!(!jpeg_is_whole(cut));
        let thumbnail = with_thumbnail_end(&whole);
        assert!(jpeg_is_whole(&thumbnail));
        assert!(
            !jpeg_is_whole(&thumbnail[..thumbnail.len() - 40]),
            "a thumbnail's end marker is not the image's"
        );
        assert!(!jpeg_is_whole(&whole[..2]));
    }

    #[test]
    fn what_is_kept_is_a_jpeg_of_the_pixels_at_most_1600_on_the_long_side() {
        let big = RgbImage::from_pixel(3200, 1000, image::Rgb([10, 200, 30]));
        let mut png = Vec::new();
        DynamicImage::ImageRgb8(big)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let kept = reencode_now(&png, ImageFormat::Png).unwrap();
        assert_eq!((kept.width, kept.height), (1600, 500));
        assert_eq!(image::guess_format(&kept.bytes).unwrap(), ImageFormat::Jpeg);
        let error = reencode_now(&png, ImageFormat::WebP).unwrap_err();
        assert_eq!(error.code(), ProblemCode::NotAnImage);
    }
}
