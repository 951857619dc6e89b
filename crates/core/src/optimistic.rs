//! Optimistic UI: a client applies its pending (not yet acknowledged) commands over the
//! state it last pulled, with the same rules the server uses, so the screen shows what
//! the server will most likely decide. The server stays authoritative: a pull replaces
//! the base state, and a rejected command simply drops out of the overlay.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::command::{
    may_act_on_claim, may_claim, Actor, ClaimWish, Command, HoldPolicy, WishFacts,
};
use crate::error::RuleError;
use crate::model::{ClaimStatus, ClaimView, Id, Me, PublicWish};
use crate::rules::{next_claim_status, settle_wish_status, ClaimAction, Units};

/// The wishes and claims a client shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalState {
    pub wishes: HashMap<Id, PublicWish>,
    pub claims: HashMap<Id, ClaimView>,
}

impl LocalState {
    /// Applies one of `me`'s commands at `now`; on a rule error nothing changes.
    pub fn apply(
        &mut self,
        me: &Me,
        command: &Command,
        now: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        let actor = Actor::User {
            id: me.id,
            role: me.role,
        };
        match command {
            Command::ClaimWish(claim) => self.claim(me, actor, claim, now),
            Command::ReleaseClaim(target) => {
                self.act(actor, target.claim_id, ClaimAction::Release, None, now)
            }
            Command::MarkDelivered(target) => {
                self.act(actor, target.claim_id, ClaimAction::Deliver, None, now)
            }
            Command::ConfirmClaim(target) => {
                self.act(actor, target.claim_id, ClaimAction::Confirm, None, now)
            }
            Command::RejectClaim(reject) => {
                let reason = reject.validate()?;
                self.act(
                    actor,
                    reject.claim_id,
                    ClaimAction::Reject,
                    Some(reason),
                    now,
                )
            }
        }
    }

    /// Applies every pending command in order, skipping those the rules refuse now (the
    /// server will reject them too); returns the ids of the skipped ones.
    pub fn apply_all<'a>(
        &mut self,
        me: &Me,
        pending: impl IntoIterator<Item = (u64, &'a Command)>,
        now: DateTime<Utc>,
    ) -> Vec<u64> {
        pending
            .into_iter()
            .filter_map(|(id, command)| self.apply(me, command, now).err().map(|_| id))
            .collect()
    }

    fn claim(
        &mut self,
        me: &Me,
        actor: Actor,
        claim: &ClaimWish,
        now: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        let Actor::User { role, .. } = actor else {
            unreachable!("claims are made by users")
        };
        let wish = self
            .wishes
            .get(&claim.wish_id)
            .ok_or(RuleError::InvalidState {
                from: "unknown",
                action: "claim",
            })?;
        may_claim(role, wish.kind)?;
        let valid = claim.validate(
            WishFacts {
                kind: wish.kind,
                needed_by: wish.needed_by,
            },
            now,
        )?;
        let units = units_of(wish).claim(wish.status, valid.quantity)?;
        let wish = self.update_wish(claim.wish_id, units, now);
        let id = claim.id.unwrap_or_else(crate::model::new_id);
        let slot_end = valid.slot.map(|(_, end)| end);
        self.claims.insert(
            id,
            ClaimView {
                id,
                wish_id: claim.wish_id,
                quantity: valid.quantity,
                status: ClaimStatus::Active,
                note: valid.note,
                created_at: now,
                updated_at: now,
                hold_until: HoldPolicy::default().hold_until(now, slot_end),
                slot_start: valid.slot.map(|(start, _)| start),
                slot_end,
                reject_reason: None,
                claimer_id: me.id,
                claimer_name: me.display_name.clone(),
                claimer_role: me.role,
                wish,
                contact: None,
            },
        );
        Ok(())
    }

    fn act(
        &mut self,
        actor: Actor,
        claim_id: Id,
        action: ClaimAction,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        let claim = self.claims.get(&claim_id).ok_or(RuleError::InvalidState {
            from: "unknown",
            action: action.as_str(),
        })?;
        may_act_on_claim(actor, claim.claimer_id, action)?;
        let from = claim.status;
        let to = next_claim_status(from, action)?;
        let (wish_id, quantity) = (claim.wish_id, claim.quantity);
        let wish = match self.wishes.get(&wish_id) {
            Some(wish) => {
                let units = units_of(wish).after_claim_change(from, to, quantity);
                Some(self.update_wish(wish_id, units, now))
            }
            None => None,
        };
        if let Some(claim) = self.claims.get_mut(&claim_id) {
            claim.status = to;
            claim.updated_at = now;
            if reason.is_some() {
                claim.reject_reason = reason;
            }
            // A house call's address is shown only while the claim is active.
            if to != ClaimStatus::Active {
                claim.contact = None;
            }
            if let Some(wish) = wish {
                claim.wish = wish;
            }
        }
        Ok(())
    }

    /// Stores new counters on a wish, settles its status, and returns the new wish.
    fn update_wish(&mut self, id: Id, units: Units, now: DateTime<Utc>) -> PublicWish {
        let wish = self.wishes.get_mut(&id).expect("checked by the caller");
        wish.status = settle_wish_status(wish.status, units);
        wish.claimed = units.claimed;
        wish.delivered = units.delivered;
        wish.fulfilled = units.fulfilled;
        wish.remaining = units.remaining();
        wish.updated_at = now;
        wish.clone()
    }
}

fn units_of(wish: &PublicWish) -> Units {
    Units {
        quantity: wish.quantity,
        claimed: wish.claimed,
        delivered: wish.delivered,
        fulfilled: wish.fulfilled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::ClaimRef;
    use crate::model::{BeneficiaryGroup, Category, Role, WishKind, WishStatus};

    fn now() -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 7, 1, 2, 0, 0).unwrap()
    }

    fn me(role: Role) -> Me {
        Me {
            id: crate::model::new_id(),
            display_name: "张先生".into(),
            phone: "13912345678".into(),
            role,
            volunteer_minutes: 0,
        }
    }

    fn state_with_wish(quantity: u32) -> (LocalState, Id) {
        let id = crate::model::new_id();
        let wish = PublicWish {
            id,
            kind: WishKind::Item,
            title: "书包".into(),
            description: String::new(),
            category: Category::School,
            status: WishStatus::Open,
            quantity,
            remaining: quantity,
            claimed: 0,
            delivered: 0,
            fulfilled: 0,
            unit: "个".into(),
            alias: "小娟".into(),
            group: BeneficiaryGroup::ChildInDifficulty,
            grid: "grid-1".into(),
            grid_name: "第一网格".into(),
            station: "第一网格驿站".into(),
            station_location: "6幢".into(),
            needed_by: None,
            campaign_id: None,
            campaign_title: None,
            created_at: now(),
            updated_at: now(),
        };
        let mut state = LocalState::default();
        state.wishes.insert(id, wish);
        (state, id)
    }

    fn claim(wish: Id, quantity: i64) -> (Id, Command) {
        let id = crate::model::new_id();
        let command = Command::ClaimWish(ClaimWish {
            id: Some(id),
            wish_id: wish,
            quantity,
            note: None,
            slot_start: None,
            slot_end: None,
        });
        (id, command)
    }

    #[test]
    fn a_pending_claim_shows_at_once_and_fills_the_wish() {
        let (mut state, wish) = state_with_wish(2);
        let donor = me(Role::Donor);
        let (claim_id, command) = claim(wish, 2);
        state.apply(&donor, &command, now()).unwrap();
        let shown = &state.wishes[&wish];
        assert_eq!((shown.remaining, shown.status), (0, WishStatus::Claimed));
        let pending = &state.claims[&claim_id];
        assert_eq!(pending.status, ClaimStatus::Active);
        assert_eq!(pending.wish.remaining, 0);
        assert_eq!(pending.claimer_id, donor.id);
    }

    #[test]
    fn pending_commands_the_rules_refuse_are_skipped_and_reported() {
        let (mut state, wish) = state_with_wish(1);
        let donor = me(Role::Donor);
        let (first, claim_all) = claim(wish, 1);
        let (_, claim_again) = claim(wish, 1);
        let release = Command::ReleaseClaim(ClaimRef { claim_id: first });
        let skipped = state.apply_all(
            &donor,
            [(1, &claim_all), (2, &claim_again), (3, &release)],
            now(),
        );
        assert_eq!(skipped, vec![2]);
        assert_eq!(state.wishes[&wish].remaining, 1, "released again");
        assert_eq!(state.claims[&first].status, ClaimStatus::Released);
    }

    #[test]
    fn only_the_owner_delivers_and_only_workers_confirm() {
        let (mut state, wish) = state_with_wish(1);
        let donor = me(Role::Donor);
        let (claim_id, command) = claim(wish, 1);
        state.apply(&donor, &command, now()).unwrap();
        let stranger = me(Role::Donor);
        let deliver = Command::MarkDelivered(ClaimRef { claim_id });
        assert_eq!(
            state.apply(&stranger, &deliver, now()).unwrap_err().code(),
            "claim_not_yours"
        );
        let confirm = Command::ConfirmClaim(ClaimRef { claim_id });
        assert_eq!(
            state.apply(&donor, &confirm, now()).unwrap_err().code(),
            "forbidden"
        );
        state.apply(&donor, &deliver, now()).unwrap();
        state.apply(&me(Role::Worker), &confirm, now()).unwrap();
        assert_eq!(state.wishes[&wish].status, WishStatus::Fulfilled);
        assert_eq!(state.claims[&claim_id].wish.fulfilled, 1);
    }

    #[test]
    fn a_claim_on_an_unknown_wish_is_refused() {
        let mut state = LocalState::default();
        let (_, command) = claim(crate::model::new_id(), 1);
        assert!(state.apply(&me(Role::Donor), &command, now()).is_err());
        assert!(state.claims.is_empty());
    }
}
