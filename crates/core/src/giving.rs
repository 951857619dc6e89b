//! What a giver is told after the fact: why a claim of theirs ended (the wish was withdrawn,
//! or the claim itself was sent back), and, once a wish is done, which open wishes they could
//! help next. The phone words it; the rules are here, once.

use crate::ids::WishId;
use crate::model::{ClaimStatus, ClaimView, PublicWish, WishQuery, WishStatus};

/// Why a claim is no longer live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimEnding {
    /// The wish itself was withdrawn (a worker cancelled it, or took it off the public when
    /// the household withdrew its consent): nothing was wrong with the gift.
    WishWithdrawn,
    /// A worker sent this claim back (e.g. the item did not match the wish).
    Refused,
    /// Given back: by its owner, or for them (a suspended volunteer's house calls).
    Released,
    /// Its hold ran out before it was delivered.
    Expired,
}

/// Why a claim in `claim` status on a wish now in `wish` status ended; `None` while it is
/// live (active, delivered, confirmed). Withdrawing a wish rejects the claims on it (see
/// `decide::wishes::cancel` and `unpublish_all`): a rejected claim whose wish is cancelled or
/// back in draft was ended by the wish, not by a verdict on the gift.
pub fn claim_ending(claim: ClaimStatus, wish: WishStatus) -> Option<ClaimEnding> {
    match claim {
        ClaimStatus::Active | ClaimStatus::Delivered | ClaimStatus::Confirmed => None,
        ClaimStatus::Rejected if matches!(wish, WishStatus::Cancelled | WishStatus::Draft) => {
            Some(ClaimEnding::WishWithdrawn)
        }
        ClaimStatus::Rejected => Some(ClaimEnding::Refused),
        ClaimStatus::Released => Some(ClaimEnding::Released),
        ClaimStatus::Expired => Some(ClaimEnding::Expired),
    }
}

impl ClaimView {
    /// Why this claim ended (see [`claim_ending`]).
    pub fn ending(&self) -> Option<ClaimEnding> {
        claim_ending(self.status, self.wish.status)
    }
}

/// Whether a wish has been given all it asked for (fulfilled, or closed after that): its
/// page thanks and points to other wishes instead of offering a claim.
pub fn is_finished(status: WishStatus) -> bool {
    matches!(status, WishStatus::Fulfilled | WishStatus::Closed)
}

/// Up to `limit` open wishes to help after `done`: those still needing something, the most
/// alike first (same kind, then same category, then same grid), then in the lists' order
/// (most urgent first).
pub fn more_to_help<'a>(
    done: &PublicWish,
    wishes: impl IntoIterator<Item = &'a PublicWish>,
    limit: usize,
) -> Vec<WishId> {
    let mut open: Vec<&PublicWish> = wishes
        .into_iter()
        .filter(|wish| wish.id != done.id && wish.status == WishStatus::Open && wish.remaining > 0)
        .collect();
    open.sort_by_key(|wish| {
        (
            wish.kind != done.kind,
            wish.category != done.category,
            wish.grid != done.grid,
            WishQuery::sort_key(wish),
        )
    });
    open.into_iter().take(limit).map(|wish| wish.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::GridId;
    use crate::model::{Category, WishKind};
    use crate::overlay::tests::public_wish;
    use chrono::NaiveDate;

    #[test]
    fn a_claim_on_a_withdrawn_wish_ended_with_the_wish_not_by_a_refusal() {
        for wish in [WishStatus::Cancelled, WishStatus::Draft] {
            assert_eq!(
                claim_ending(ClaimStatus::Rejected, wish),
                Some(ClaimEnding::WishWithdrawn),
                "{wish:?}"
            );
        }
        for wish in [WishStatus::Open, WishStatus::Claimed, WishStatus::Fulfilled] {
            assert_eq!(
                claim_ending(ClaimStatus::Rejected, wish),
                Some(ClaimEnding::Refused),
                "{wish:?}"
            );
        }
    }

    #[test]
    fn a_live_claim_has_not_ended_and_the_others_say_how_they_did() {
        for claim in [
            ClaimStatus::Active,
            ClaimStatus::Delivered,
            ClaimStatus::Confirmed,
        ] {
            assert_eq!(claim_ending(claim, WishStatus::Cancelled), None);
        }
        assert_eq!(
            claim_ending(ClaimStatus::Released, WishStatus::Cancelled),
            Some(ClaimEnding::Released),
            "given back before the wish was withdrawn"
        );
        assert_eq!(
            claim_ending(ClaimStatus::Expired, WishStatus::Open),
            Some(ClaimEnding::Expired)
        );
    }

    #[test]
    fn only_a_fulfilled_or_closed_wish_is_finished() {
        let finished: Vec<WishStatus> = WishStatus::ALL
            .iter()
            .copied()
            .filter(|status| is_finished(*status))
            .collect();
        assert_eq!(finished, [WishStatus::Fulfilled, WishStatus::Closed]);
    }

    #[test]
    fn after_a_finished_wish_the_open_ones_most_alike_come_first() {
        let mut done = public_wish(2);
        done.status = WishStatus::Fulfilled;
        done.remaining = 0;
        let like = |category, grid: &str, needed_by: Option<u32>| {
            let mut wish = public_wish(3);
            wish.kind = done.kind;
            wish.category = category;
            wish.grid = GridId::from(grid);
            wish.needed_by = needed_by.and_then(|day| NaiveDate::from_ymd_opt(2026, 9, day));
            wish
        };
        let same_everything = like(done.category, done.grid.as_str(), None);
        let same_category_urgent = like(done.category, "elsewhere", Some(1));
        let other_category = like(Category::Repair, done.grid.as_str(), Some(1));
        let mut service = like(done.category, done.grid.as_str(), Some(1));
        service.kind = match done.kind {
            WishKind::Item => WishKind::Service,
            WishKind::Service => WishKind::Item,
        };
        let mut full = like(done.category, done.grid.as_str(), Some(1));
        full.status = WishStatus::Claimed;
        full.remaining = 0;
        let mut other_done = like(done.category, done.grid.as_str(), Some(1));
        other_done.status = WishStatus::Fulfilled;

        let all = [
            &service,
            &full,
            &other_category,
            &other_done,
            &same_category_urgent,
            &same_everything,
            &done,
        ];
        assert_eq!(
            more_to_help(&done, all, 10),
            [
                same_everything.id,
                same_category_urgent.id,
                other_category.id,
                service.id
            ],
            "neither itself, nor full or finished ones"
        );
        assert_eq!(more_to_help(&done, all, 2).len(), 2);
    }
}
