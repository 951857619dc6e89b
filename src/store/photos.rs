//! The photo outbox: each photo of a request waiting to be sent, keyed by the photo's id, as
//! `{meta, blob}` (what it belongs to as JSON, and the JPEG itself, which IndexedDB keeps as
//! it is). A photo leaves once the server has it, or refused it for good.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use microwish_core::PhotoId;
use wasm_bindgen::{JsCast, JsValue};

use super::{json, Store, StoreError, PHOTOS};
use crate::photos::QueuedPhoto;

const META_FIELD: &str = "meta";
const BLOB_FIELD: &str = "blob";

impl Store {
    /// Keeps `blob` as the photo `photo` until it is sent.
    pub async fn put_photo(
        &self,
        photo: &QueuedPhoto,
        blob: &web_sys::Blob,
    ) -> Result<(), StoreError> {
        let record = js_sys::Object::new();
        js_sys::Reflect::set(&record, &META_FIELD.into(), &json(photo)?.into())
            .map_err(js_error)?;
        js_sys::Reflect::set(&record, &BLOB_FIELD.into(), blob).map_err(js_error)?;
        let tx = self
            .db
            .transaction(PHOTOS)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(PHOTOS)?
            .put(JsValue::from(record))
            .with_key(photo.id.to_string())
            .primitive()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every photo waiting, with its bytes, in the order they were kept (photo ids are
    /// UUIDv7: they sort by time).
    pub async fn photos(&self) -> Result<Vec<(QueuedPhoto, web_sys::Blob)>, StoreError> {
        let tx = self.db.transaction(PHOTOS).build()?;
        let records = tx
            .object_store(PHOTOS)?
            .get_all::<JsValue>()
            .primitive()?
            .await?;
        let mut photos = Vec::new();
        for record in records {
            let record = record?;
            let meta = js_sys::Reflect::get(&record, &META_FIELD.into())
                .ok()
                .and_then(|meta| meta.as_string())
                .ok_or_else(|| StoreError("a photo without its record".to_owned()))?;
            let blob = js_sys::Reflect::get(&record, &BLOB_FIELD.into())
                .ok()
                .and_then(|blob| blob.dyn_into::<web_sys::Blob>().ok())
                .ok_or_else(|| StoreError("a photo without its bytes".to_owned()))?;
            let photo: QueuedPhoto = serde_json::from_str(&meta)?;
            photos.push((photo, blob));
        }
        photos.sort_by_key(|(photo, _)| photo.id);
        Ok(photos)
    }

    /// The photo leaves the outbox.
    pub async fn delete_photo(&self, id: PhotoId) -> Result<(), StoreError> {
        let tx = self
            .db
            .transaction(PHOTOS)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(PHOTOS)?
            .delete(id.to_string())
            .primitive()?
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn js_error(error: JsValue) -> StoreError {
    StoreError(format!("{error:?}"))
}
