//! One routed page per file.

pub mod campaign;
pub mod not_found;
pub mod wish_detail;
pub mod wish_list;

pub use campaign::CampaignPage;
pub use not_found::NotFound;
pub use wish_detail::WishDetailPage;
pub use wish_list::WishListPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use microwish_core::Id;

/// The `:id` of the current route, if it is a well-formed id.
fn id_param() -> impl Fn() -> Option<Id> + Copy {
    let params = use_params_map();
    move || params.read().get("id").and_then(|id| id.parse().ok())
}
