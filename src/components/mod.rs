//! Reusable pieces of the UI, one per file.

pub mod back_link;
pub mod chip_group;
pub mod load_error;
pub mod progress_bar;
pub mod wish_card;
pub mod wish_list;

pub use back_link::BackLink;
pub use chip_group::ChipGroup;
pub use load_error::LoadError;
pub use progress_bar::ProgressBar;
pub use wish_card::WishCard;
pub use wish_list::WishList;
