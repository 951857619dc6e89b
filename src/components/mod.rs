//! Reusable pieces of the UI, one per file.

pub mod back_link;
pub mod chip_group;
pub mod claim_card;
pub mod claim_panel;
pub mod field_messages;
pub mod form_error;
pub mod live_claim;
pub mod load_error;
pub mod login_redirect;
pub mod logout_prompt;
pub mod nav_bar;
pub mod progress_bar;
pub mod quantity_stepper;
pub mod slot_picker;
pub mod sync_bar;
pub mod timeline;
pub mod wish_card;
pub mod wish_list;

pub use back_link::BackLink;
pub use chip_group::ChipGroup;
pub use claim_card::{ClaimActions, ClaimCard};
pub use claim_panel::ClaimPanel;
pub use field_messages::FieldMessages;
pub use form_error::FormError;
pub use live_claim::LiveClaim;
pub use load_error::LoadError;
pub use login_redirect::LoginRedirect;
pub use logout_prompt::LogoutPrompt;
pub use nav_bar::NavBar;
pub use progress_bar::ProgressBar;
pub use quantity_stepper::QuantityStepper;
pub use slot_picker::SlotPicker;
pub use sync_bar::SyncBar;
pub use timeline::Timeline;
pub use wish_card::WishCard;
pub use wish_list::{LiveWishList, WishList};
