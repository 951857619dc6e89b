//! The phone's copy of what its user may see, and the optimistic overlay: pending commands
//! are decided by [`crate::decide`] over this copy, exactly as the server will decide them,
//! and their writes carried out here, so the screen shows at once what the server will most
//! likely do. The server stays authoritative: a pull replaces what it brings, and a command
//! the server refuses drops out of the overlay.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::command::{Actor, Command, HoldPolicy};
use crate::decide::{decide, ClaimState, Context, Decision, Facts, Needs, WishState, Write};
use crate::error::RuleError;
use crate::ids::{CampaignId, ClaimId, GridId, WishId};
use crate::model::{ClaimStatus, ClaimView, Grid, Me, PublicCampaign, PublicWish};
use crate::sync::{Change, Op};

/// Everything a phone shows, by kind and id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalState {
    pub wishes: HashMap<WishId, PublicWish>,
    pub claims: HashMap<ClaimId, ClaimView>,
    pub campaigns: HashMap<CampaignId, PublicCampaign>,
    pub grids: HashMap<GridId, Grid>,
}

impl LocalState {
    /// What the cache knows of what a command needs (a claim's wish comes with it).
    pub fn facts(&self, needs: &Needs) -> Facts {
        let mut facts = Facts::default();
        let mut wish_ids = needs.wishes.clone();
        for id in &needs.claims {
            if let Some(claim) = self.claims.get(id) {
                facts.claims.insert(
                    *id,
                    ClaimState {
                        wish_id: claim.wish_id,
                        owner: claim.claimer_id,
                        quantity: claim.quantity,
                        status: claim.status,
                        slot: claim.slot_start.zip(claim.slot_end),
                    },
                );
                wish_ids.push(claim.wish_id);
            }
        }
        for id in wish_ids {
            // A claim keeps a copy of its wish, for when the wish itself is not listed.
            let wish = self.wishes.get(&id).or_else(|| {
                self.claims
                    .values()
                    .find(|claim| claim.wish_id == id)
                    .map(|claim| &claim.wish)
            });
            if let Some(wish) = wish {
                facts.wishes.insert(id, WishState::of(wish));
            }
        }
        facts
    }

    /// Applies one of `me`'s commands at `now`, decided by core's rules; on a refusal
    /// nothing changes.
    pub fn apply(
        &mut self,
        me: &Me,
        command: &Command,
        now: DateTime<Utc>,
        hold: HoldPolicy,
    ) -> Result<Decision, RuleError> {
        let ctx = Context {
            actor: Actor::of(me),
            now,
            hold,
        };
        let decision = decide(command, &self.facts(&command.needs()), &ctx)?;
        self.carry_out(&decision, me, now);
        Ok(decision)
    }

    fn carry_out(&mut self, decision: &Decision, me: &Me, now: DateTime<Utc>) {
        for write in &decision.writes {
            match write {
                Write::WishCounts { wish, after, .. } => {
                    if let Some(wish) = self.wishes.get_mut(wish) {
                        wish.status = after.status;
                        wish.claimed = after.units.claimed;
                        wish.delivered = after.units.delivered;
                        wish.fulfilled = after.units.fulfilled;
                        wish.remaining = after.units.remaining();
                        wish.updated_at = now;
                    }
                }
                Write::NewClaim(new) => {
                    let Some(wish) = self.wishes.get(&new.wish_id).cloned() else {
                        continue;
                    };
                    self.claims.insert(
                        new.id,
                        ClaimView {
                            id: new.id,
                            wish_id: new.wish_id,
                            quantity: new.quantity,
                            status: ClaimStatus::Active,
                            note: new.note.clone(),
                            created_at: now,
                            updated_at: now,
                            hold_until: new.hold_until,
                            slot_start: new.slot.map(|(start, _)| start),
                            slot_end: new.slot.map(|(_, end)| end),
                            reject_reason: None,
                            claimer_id: me.id,
                            claimer_name: me.display_name.to_string(),
                            claimer_role: me.role,
                            wish,
                            // The household's contact comes from the server, never from here.
                            contact: None,
                        },
                    );
                }
                Write::ClaimStatus {
                    claim, to, reason, ..
                } => {
                    if let Some(claim) = self.claims.get_mut(claim) {
                        claim.status = *to;
                        claim.updated_at = now;
                        if reason.is_some() {
                            claim.reject_reason.clone_from(reason);
                        }
                        // A house call's address is shown only while the claim is active.
                        if *to != ClaimStatus::Active {
                            claim.contact = None;
                        }
                    }
                }
            }
        }
    }

    /// Takes in one change the server sent.
    pub fn apply_change(&mut self, change: &Change) {
        match change {
            Change::Wish { id, op, data } => put(&mut self.wishes, *id, *op, data),
            Change::Claim { id, op, data } => {
                let data = data.as_deref().cloned();
                put(&mut self.claims, *id, *op, &data)
            }
            Change::Campaign { id, op, data } => put(&mut self.campaigns, *id, *op, data),
            Change::Grid { id, op, data } => put(&mut self.grids, id.clone(), *op, data),
        }
    }

    /// Makes the entry of `source` for each id in `ids` this state's entry too (or removes
    /// it when `source` has none): how an overlay is taken back to what was pulled.
    pub fn restore_from(&mut self, source: &LocalState, wishes: &[WishId], claims: &[ClaimId]) {
        for id in wishes {
            copy_entry(&mut self.wishes, &source.wishes, id);
        }
        for id in claims {
            copy_entry(&mut self.claims, &source.claims, id);
        }
    }
}

fn copy_entry<K: std::hash::Hash + Eq + Clone, V: Clone>(
    to: &mut HashMap<K, V>,
    from: &HashMap<K, V>,
    key: &K,
) {
    match from.get(key) {
        Some(value) => {
            to.insert(key.clone(), value.clone());
        }
        None => {
            to.remove(key);
        }
    }
}

fn put<K: std::hash::Hash + Eq, V: Clone>(
    map: &mut HashMap<K, V>,
    key: K,
    op: Op,
    data: &Option<V>,
) {
    match (op, data) {
        (Op::Put, Some(value)) => {
            map.insert(key, value.clone());
        }
        _ => {
            map.remove(&key);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::command::{ClaimRef, ClaimWish};
    use crate::ids::{DisplayName, GridId, Phone, UserId};
    use crate::model::{BeneficiaryGroup, Category, Role, WishKind, WishStatus};
    use crate::ProblemCode;
    use chrono::TimeZone;

    pub fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap()
    }

    pub fn me(role: Role) -> Me {
        Me {
            id: UserId::generate(),
            display_name: DisplayName::parse("张先生").unwrap(),
            phone: Phone::parse("13912345678").unwrap(),
            role,
            volunteer_minutes: 0,
        }
    }

    pub fn public_wish(quantity: u32) -> PublicWish {
        PublicWish {
            id: WishId::generate(),
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
            grid: GridId::from("grid-1"),
            grid_name: "第一网格".into(),
            station: "第一网格驿站".into(),
            station_location: "6幢".into(),
            needed_by: None,
            campaign_id: None,
            campaign_title: None,
            created_at: now(),
            updated_at: now(),
        }
    }

    pub fn claim(wish: WishId, quantity: i64) -> (ClaimId, Command) {
        let id = ClaimId::generate();
        let command = Command::ClaimWish(ClaimWish {
            id,
            wish_id: wish,
            quantity,
            note: None,
            slot_start: None,
            slot_end: None,
        });
        (id, command)
    }

    fn state_with(wish: &PublicWish) -> LocalState {
        let mut state = LocalState::default();
        state.wishes.insert(wish.id, wish.clone());
        state
    }

    const HOLD: HoldPolicy = HoldPolicy {
        item: chrono::Duration::days(3),
        after_slot: chrono::Duration::days(1),
    };

    #[test]
    fn a_pending_claim_shows_at_once_with_the_servers_hold() {
        let wish = public_wish(2);
        let mut state = state_with(&wish);
        let donor = me(Role::Donor);
        let (claim_id, command) = claim(wish.id, 2);
        state.apply(&donor, &command, now(), HOLD).unwrap();
        let shown = &state.wishes[&wish.id];
        assert_eq!((shown.remaining, shown.status), (0, WishStatus::Claimed));
        let pending = &state.claims[&claim_id];
        assert_eq!(pending.status, ClaimStatus::Active);
        assert_eq!(pending.claimer_id, donor.id);
        assert_eq!(pending.hold_until, now() + chrono::Duration::days(3));
    }

    #[test]
    fn only_the_owner_delivers_and_only_workers_confirm() {
        let wish = public_wish(1);
        let mut state = state_with(&wish);
        let donor = me(Role::Donor);
        let (claim_id, command) = claim(wish.id, 1);
        state.apply(&donor, &command, now(), HOLD).unwrap();
        let deliver = Command::MarkDelivered(ClaimRef { claim_id });
        let refusal = state
            .apply(&me(Role::Donor), &deliver, now(), HOLD)
            .unwrap_err();
        assert_eq!(refusal.code(), ProblemCode::ClaimNotYours);
        let confirm = Command::ConfirmClaim(ClaimRef { claim_id });
        let refusal = state.apply(&donor, &confirm, now(), HOLD).unwrap_err();
        assert_eq!(refusal.code(), ProblemCode::Forbidden);
        state.apply(&donor, &deliver, now(), HOLD).unwrap();
        state
            .apply(&me(Role::Worker), &confirm, now(), HOLD)
            .unwrap();
        assert_eq!(state.wishes[&wish.id].status, WishStatus::Fulfilled);
    }

    #[test]
    fn restoring_takes_an_overlay_back_to_what_was_pulled() {
        let wish = public_wish(1);
        let base = state_with(&wish);
        let mut view = base.clone();
        let (claim_id, command) = claim(wish.id, 1);
        let decision = view.apply(&me(Role::Donor), &command, now(), HOLD).unwrap();
        let (wishes, claims) = decision.written();
        view.restore_from(&base, &wishes, &claims);
        assert_eq!(view, base);
        assert!(!view.claims.contains_key(&claim_id));
    }
}
