//! The state machines of wishes, claims and residents' requests, and the quantity rule:
//! remaining = quantity − units held by live claims, never below zero.

use crate::error::RuleError;
use crate::model::{ClaimStatus, EventAction, PublicWish, RequestStatus, WishStatus};
use chrono::{DateTime, Utc};

/// What can happen to a claim after it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimAction {
    /// The donor handed the item to the grid station / the volunteer reports the service done.
    Deliver,
    /// A worker confirms the household received it.
    Confirm,
    /// The claimer gives the units back.
    Release,
    /// The hold ran out before delivery; the units go back to the pool.
    Expire,
    /// A worker refuses the claim (wrong item, no-show).
    Reject,
}

impl ClaimAction {
    /// What the event log calls it.
    pub fn event(self) -> EventAction {
        match self {
            ClaimAction::Deliver => EventAction::Deliver,
            ClaimAction::Confirm => EventAction::Confirm,
            ClaimAction::Release => EventAction::Release,
            ClaimAction::Expire => EventAction::Expire,
            ClaimAction::Reject => EventAction::Reject,
        }
    }
}

/// Whether a house call's visit may be reported done (or confirmed done): once its slot
/// has begun, never before. A claim without a slot (an item) has no such wait.
pub fn visit_begun(slot_start: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    slot_start.is_none_or(|start| now >= start)
}

/// The claim state machine: the state `action` leads to from `from`, or why it cannot.
pub fn next_claim_status(from: ClaimStatus, action: ClaimAction) -> Result<ClaimStatus, RuleError> {
    use ClaimAction::*;
    use ClaimStatus::*;
    match (from, action) {
        (Active, Deliver) => Ok(Delivered),
        // A worker may confirm an item dropped at the station before the donor marked it.
        (Active | Delivered, Confirm) => Ok(Confirmed),
        (Active, Release) => Ok(Released),
        (Active, Expire) => Ok(Expired),
        (Active | Delivered, Reject) => Ok(Rejected),
        _ => Err(RuleError::InvalidState {
            from: from.into(),
            action: action.event(),
        }),
    }
}

/// What can move a request (who may is [`crate::decide`]'s; notes and photos move nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestAction {
    Accept,
    Dispatch,
    /// Call the grid's party-member volunteers.
    Call,
    /// A volunteer takes the call.
    Take,
    Start,
    Resolve,
    /// The requester confirms the fix.
    Confirm,
    /// The requester says it is not fixed.
    Reopen,
    Decline,
    Merge,
    /// Handled through a wish for a household.
    Convert,
    /// The requester's answer time ran out.
    Close,
}

impl RequestAction {
    pub const ALL: [RequestAction; 12] = [
        RequestAction::Accept,
        RequestAction::Dispatch,
        RequestAction::Call,
        RequestAction::Take,
        RequestAction::Start,
        RequestAction::Resolve,
        RequestAction::Confirm,
        RequestAction::Reopen,
        RequestAction::Decline,
        RequestAction::Merge,
        RequestAction::Convert,
        RequestAction::Close,
    ];

    /// What the event log calls it.
    pub fn event(self) -> EventAction {
        match self {
            RequestAction::Accept => EventAction::Accept,
            RequestAction::Dispatch => EventAction::Dispatch,
            RequestAction::Call => EventAction::Call,
            RequestAction::Take => EventAction::Take,
            RequestAction::Start => EventAction::Start,
            RequestAction::Resolve => EventAction::Resolve,
            RequestAction::Confirm => EventAction::Confirm,
            RequestAction::Reopen => EventAction::Reopen,
            RequestAction::Decline => EventAction::Decline,
            RequestAction::Merge => EventAction::Merge,
            RequestAction::Convert => EventAction::Convert,
            RequestAction::Close => EventAction::Close,
        }
    }
}

/// The request state machine (DESIGN.md, "Residents' requests"): the state `action` leads to
/// from `from`, or why it cannot. A worker may hand a request on (dispatch it again) and
/// resolve it at any open step after accepting it; a request not accepted yet can only be
/// accepted, declined or merged.
pub fn next_request_status(
    from: RequestStatus,
    action: RequestAction,
) -> Result<RequestStatus, RuleError> {
    use RequestAction::*;
    use RequestStatus::*;
    let after_accepting = matches!(from, Accepted | Calling | Dispatched | InProgress);
    match (from, action) {
        (Submitted, Accept) => Ok(Accepted),
        (_, Dispatch) if after_accepting => Ok(Dispatched),
        (Accepted, Call) => Ok(Calling),
        (Calling, Take) => Ok(Dispatched),
        (Dispatched, Start) => Ok(InProgress),
        (_, Resolve) if after_accepting => Ok(Resolved),
        (_, Convert) if after_accepting => Ok(InProgress),
        (Resolved, Confirm | Close) => Ok(Closed),
        (Resolved, Reopen) => Ok(Accepted),
        (_, Decline) if from.is_open() => Ok(Declined),
        (_, Merge) if from.is_open() => Ok(Merged),
        _ => Err(RuleError::InvalidState {
            from: from.into(),
            action: action.event(),
        }),
    }
}

/// The unit counters of a wish. Invariant: `fulfilled ≤ delivered ≤ claimed ≤ quantity`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Units {
    pub quantity: u32,
    /// Units held by live claims (active, delivered, confirmed).
    pub claimed: u32,
    /// Units in delivered or confirmed claims.
    pub delivered: u32,
    /// Units in confirmed claims.
    pub fulfilled: u32,
}

impl Units {
    /// The counters a public wish shows.
    pub fn of(wish: &PublicWish) -> Units {
        Units {
            quantity: wish.quantity,
            claimed: wish.claimed,
            delivered: wish.delivered,
            fulfilled: wish.fulfilled,
        }
    }

    pub fn new(quantity: u32) -> Self {
        Units {
            quantity,
            ..Default::default()
        }
    }

    /// Units still free to claim; never below zero, even on inconsistent input.
    pub fn remaining(&self) -> u32 {
        self.quantity.saturating_sub(self.claimed)
    }

    pub fn is_consistent(&self) -> bool {
        self.fulfilled <= self.delivered
            && self.delivered <= self.claimed
            && self.claimed <= self.quantity
    }

    /// Takes `want` units for a new claim on a wish in `status`.
    pub fn claim(self, status: WishStatus, want: u32) -> Result<Units, RuleError> {
        match status {
            WishStatus::Open => {}
            WishStatus::Claimed => return Err(RuleError::WishFullyClaimed),
            other => {
                return Err(RuleError::InvalidState {
                    from: other.into(),
                    action: EventAction::Claim,
                })
            }
        }
        let remaining = self.remaining();
        if remaining == 0 {
            return Err(RuleError::WishFullyClaimed);
        }
        if want == 0 || want > remaining {
            return Err(RuleError::NotEnoughRemaining { remaining });
        }
        Ok(Units {
            claimed: self.claimed + want,
            ..self
        })
    }

    /// The counters after a claim of `units` moved from `from` to `to`.
    pub fn after_claim_change(self, from: ClaimStatus, to: ClaimStatus, units: u32) -> Units {
        let was = Counted::of(from);
        let now = Counted::of(to);
        let step = |value: u32, before: bool, after: bool| match (before, after) {
            (false, true) => value + units,
            (true, false) => value.saturating_sub(units),
            _ => value,
        };
        Units {
            quantity: self.quantity,
            claimed: step(self.claimed, was.claimed, now.claimed),
            delivered: step(self.delivered, was.delivered, now.delivered),
            fulfilled: step(self.fulfilled, was.fulfilled, now.fulfilled),
        }
    }
}

/// Which counters a claim in a given state counts towards.
struct Counted {
    claimed: bool,
    delivered: bool,
    fulfilled: bool,
}

impl Counted {
    fn of(status: ClaimStatus) -> Counted {
        Counted {
            claimed: status.holds_units(),
            delivered: matches!(status, ClaimStatus::Delivered | ClaimStatus::Confirmed),
            fulfilled: status == ClaimStatus::Confirmed,
        }
    }
}

/// The status a wish settles in once its counters changed. Drafts and final states stay as
/// they are; otherwise the counters decide between `open`, `claimed` and `fulfilled`.
pub fn settle_wish_status(current: WishStatus, units: Units) -> WishStatus {
    match current {
        WishStatus::Open | WishStatus::Claimed | WishStatus::Fulfilled => {
            if units.quantity > 0 && units.fulfilled >= units.quantity {
                WishStatus::Fulfilled
            } else if units.remaining() == 0 {
                WishStatus::Claimed
            } else {
                WishStatus::Open
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn claim_lifecycle_follows_the_design() {
        use ClaimAction::*;
        use ClaimStatus::*;
        assert_eq!(next_claim_status(Active, Deliver), Ok(Delivered));
        assert_eq!(next_claim_status(Delivered, Confirm), Ok(Confirmed));
        assert_eq!(next_claim_status(Active, Release), Ok(Released));
        assert_eq!(next_claim_status(Active, Expire), Ok(Expired));
        assert_eq!(next_claim_status(Delivered, Reject), Ok(Rejected));
        // Nothing leaves a final claim state, and a delivered claim can no longer be released.
        for from in [Confirmed, Released, Expired, Rejected] {
            for action in [Deliver, Confirm, Release, Expire, Reject] {
                let err = next_claim_status(from, action).unwrap_err();
                assert_eq!(err.code(), crate::ProblemCode::InvalidState);
            }
        }
        assert!(next_claim_status(Delivered, Release).is_err());
        assert!(next_claim_status(Delivered, Deliver).is_err());
    }

    #[test]
    fn request_lifecycle_follows_the_design() {
        use RequestAction::*;
        use RequestStatus::*;
        let path = [
            (Submitted, Accept, Accepted),
            (Accepted, Call, Calling),
            (Calling, Take, Dispatched),
            (Dispatched, Start, InProgress),
            (InProgress, Resolve, Resolved),
            (Resolved, Reopen, Accepted),
            (Accepted, Dispatch, Dispatched),
            (Dispatched, Dispatch, Dispatched),
            (Dispatched, Resolve, Resolved),
            (Resolved, Confirm, Closed),
        ];
        for (from, action, to) in path {
            assert_eq!(
                next_request_status(from, action),
                Ok(to),
                "{from} {action:?}"
            );
        }
        assert_eq!(next_request_status(Resolved, Close), Ok(Closed));
        assert_eq!(next_request_status(Accepted, Convert), Ok(InProgress));
        // Not accepted yet: accept it, decline it or merge it, nothing else.
        for action in RequestAction::ALL {
            let allowed = matches!(action, Accept | Decline | Merge);
            assert_eq!(
                next_request_status(Submitted, action).is_ok(),
                allowed,
                "{action:?}"
            );
        }
        // Nothing leaves a final state.
        for from in [Closed, Declined, Merged] {
            for action in RequestAction::ALL {
                let refusal = next_request_status(from, action).unwrap_err();
                assert_eq!(refusal.code(), crate::ProblemCode::InvalidState);
            }
        }
        assert!(
            next_request_status(Dispatched, Take).is_err(),
            "taken already"
        );
        assert!(next_request_status(Resolved, Decline).is_err());
    }

    #[test]
    fn claiming_checks_remaining_and_status() {
        let units = Units::new(5);
        let units = units.claim(WishStatus::Open, 3).unwrap();
        assert_eq!(units.remaining(), 2);
        assert_eq!(
            units.claim(WishStatus::Open, 3),
            Err(RuleError::NotEnoughRemaining { remaining: 2 })
        );
        assert_eq!(
            units.claim(WishStatus::Open, 0),
            Err(RuleError::NotEnoughRemaining { remaining: 2 })
        );
        let full = units.claim(WishStatus::Open, 2).unwrap();
        assert_eq!(full.remaining(), 0);
        assert_eq!(
            settle_wish_status(WishStatus::Open, full),
            WishStatus::Claimed
        );
        assert_eq!(
            full.claim(WishStatus::Claimed, 1),
            Err(RuleError::WishFullyClaimed)
        );
        assert_eq!(
            full.claim(WishStatus::Open, 1),
            Err(RuleError::WishFullyClaimed)
        );
        assert_eq!(
            Units::new(1)
                .claim(WishStatus::Draft, 1)
                .unwrap_err()
                .code(),
            crate::ProblemCode::InvalidState
        );
    }

    #[test]
    fn remaining_never_underflows() {
        let broken = Units {
            quantity: 2,
            claimed: 9,
            delivered: 0,
            fulfilled: 0,
        };
        assert_eq!(broken.remaining(), 0);
        assert!(!broken.is_consistent());
    }

    #[test]
    fn released_units_reopen_a_claimed_wish_and_confirmation_fulfils_it() {
        let units = Units::new(1).claim(WishStatus::Open, 1).unwrap();
        let status = settle_wish_status(WishStatus::Open, units);
        assert_eq!(status, WishStatus::Claimed);
        let back = units.after_claim_change(ClaimStatus::Active, ClaimStatus::Released, 1);
        assert_eq!(back.remaining(), 1);
        assert_eq!(settle_wish_status(status, back), WishStatus::Open);
        let done = units
            .after_claim_change(ClaimStatus::Active, ClaimStatus::Delivered, 1)
            .after_claim_change(ClaimStatus::Delivered, ClaimStatus::Confirmed, 1);
        assert_eq!((done.delivered, done.fulfilled), (1, 1));
        assert_eq!(settle_wish_status(status, done), WishStatus::Fulfilled);
        // A worker's explicit decisions are never overridden by counters.
        assert_eq!(
            settle_wish_status(WishStatus::Cancelled, back),
            WishStatus::Cancelled
        );
    }

    #[derive(Debug, Clone)]
    enum Op {
        Claim(u32),
        Act(usize, ClaimAction),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u32..6).prop_map(Op::Claim),
            (
                0usize..20,
                prop_oneof![
                    Just(ClaimAction::Deliver),
                    Just(ClaimAction::Confirm),
                    Just(ClaimAction::Release),
                    Just(ClaimAction::Expire),
                    Just(ClaimAction::Reject),
                ]
            )
                .prop_map(|(index, action)| Op::Act(index, action)),
        ]
    }

    proptest! {
        /// Whatever mix of claims and claim transitions happens, the counters equal what the
        /// claims hold, never exceed the quantity, and the status agrees with them.
        #[test]
        fn quantity_invariant_holds(quantity in 1u32..12, ops in prop::collection::vec(op(), 0..60)) {
            let mut units = Units::new(quantity);
            let mut status = WishStatus::Open;
            let mut claims: Vec<(ClaimStatus, u32)> = Vec::new();
            for op in ops {
                match op {
                    Op::Claim(want) => {
                        if let Ok(next) = units.claim(status, want) {
                            units = next;
                            claims.push((ClaimStatus::Active, want));
                        }
                    }
                    Op::Act(index, action) => {
                        if let Some(claim) = claims.get_mut(index) {
                            if let Ok(to) = next_claim_status(claim.0, action) {
                                units = units.after_claim_change(claim.0, to, claim.1);
                                claim.0 = to;
                            }
                        }
                    }
                }
                status = settle_wish_status(status, units);

                let held: u32 = claims.iter().filter(|c| c.0.holds_units()).map(|c| c.1).sum();
                prop_assert_eq!(units.claimed, held);
                prop_assert!(units.is_consistent(), "{:?}", units);
                prop_assert_eq!(units.remaining() + units.claimed, quantity);
                match status {
                    WishStatus::Open => prop_assert!(units.remaining() > 0),
                    WishStatus::Claimed => prop_assert_eq!(units.remaining(), 0),
                    WishStatus::Fulfilled => prop_assert_eq!(units.fulfilled, quantity),
                    other => prop_assert!(false, "unexpected status {}", other),
                }
            }
        }
    }
}
