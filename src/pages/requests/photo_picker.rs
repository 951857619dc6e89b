//! Picking a request's photos: the camera or the gallery, each photo made smaller on the
//! phone at once (a canvas, as a JPEG), shown with a way to remove it, at most three.

use leptos::prelude::*;
use microwish_core::PHOTOS_PER_STAGE;
use wasm_bindgen::JsCast;

use crate::i18n::{fill, t};
use crate::photos::{object_url, revoke, shrink, ShrinkError};

/// A photo picked and made smaller, with the address its preview is drawn from.
#[derive(Clone)]
pub(super) struct Picked {
    pub(super) jpeg: web_sys::Blob,
    url: String,
}

/// Picked photos, as a form holds them.
#[derive(Clone, Copy)]
pub(super) struct PickedPhotos(pub(super) RwSignal<Vec<Picked>, LocalStorage>);

impl PickedPhotos {
    pub(super) fn new() -> PickedPhotos {
        let photos = PickedPhotos(RwSignal::new_local(Vec::new()));
        // Previews are let go with the form.
        on_cleanup(move || {
            photos
                .0
                .with_untracked(|all| all.iter().for_each(|photo| revoke(&photo.url)));
        });
        photos
    }

    /// The JPEGs, in the order picked.
    pub(super) fn jpegs(&self) -> Vec<web_sys::Blob> {
        self.0
            .with_untracked(|all| all.iter().map(|photo| photo.jpeg.clone()).collect())
    }

    pub(super) fn count(&self) -> usize {
        self.0.with(Vec::len)
    }
}

/// The photo field: what was picked (with "remove"), and a way to add more while fewer
/// than `most` are there. `label`: the field's name.
#[component]
pub(super) fn PhotoPicker(
    photos: PickedPhotos,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = PHOTOS_PER_STAGE)] most: usize,
) -> impl IntoView {
    let t = t();
    let working = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        // The same photo may be picked again after removing it.
        input.set_value("");
        let room = most.saturating_sub(photos.0.with_untracked(Vec::len));
        problem.set(None);
        working.set(true);
        leptos::task::spawn_local(async move {
            for file in files.into_iter().take(room) {
                match shrink(&file).await {
                    Ok(jpeg) => {
                        if let Some(url) = object_url(&jpeg) {
                            photos.0.update(|all| all.push(Picked { jpeg, url }));
                        }
                    }
                    Err(ShrinkError::NotAnImage) => problem.set(Some(t.problem.not_an_image)),
                    Err(ShrinkError::Failed) => problem.set(Some(t.err_unexpected)),
                }
            }
            working.set(false);
        });
    };
    let remove = move |index: usize| {
        photos.0.update(|all| {
            if index < all.len() {
                let gone = all.remove(index);
                revoke(&gone.url);
            }
        });
    };
    view! {
        <fieldset class="photo-picker">
            <legend class="field__label">{label}</legend>
            {hint.map(|hint| view! { <p class="field__hint">{hint}</p> })}
            <ul class="photo-picker__list">
                {move || photos.0.with(|all| all.iter().enumerate().map(|(index, photo)| {
                    let n = (index + 1).to_string();
                    view! {
                        <li class="photo-picker__item">
                            <img
                                class="photo-picker__preview"
                                src=photo.url.clone()
                                alt=fill(t.request_form.photo_alt, &[("n", n.clone())])
                            />
                            <button
                                type="button"
                                class="button button--quiet photo-picker__remove"
                                aria-label=fill(t.request_form.remove_photo, &[("n", n)])
                                on:click=move |_| remove(index)
                            >
                                "×"
                            </button>
                        </li>
                    }
                }).collect_view())}
            </ul>
            {move || (photos.count() < most).then(|| view! {
                <label class="button button--quiet photo-picker__add">
                    <span aria-hidden="true">"+ "</span>
                    {t.request_form.add_photo}
                    <input
                        class="photo-picker__input"
                        type="file"
                        name="photo"
                        accept="image/*"
                        capture="environment"
                        on:change=on_change
                    />
                </label>
            })}
            {move || working.get().then(|| view! {
                <p class="form-status" role="status">{t.request_form.shrinking}</p>
            })}
            {move || problem.get().map(|text| view! { <p class="field__error" role="alert">{text}</p> })}
        </fieldset>
    }
}
