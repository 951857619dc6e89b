//! Paired communities (结对帮扶): a worker asks another community to pair with theirs; that
//! community's workers accept or decline; either side may end it (the asking side may also
//! take back a question not yet answered). While two communities are paired, a shop of either
//! may pledge to the other, whose workers then allocate the goods to their wishes.
//!
//! Each side sees only the other's public fields: its name, and the public wishes anyone sees.
//! Households, volunteers, requests and campaigns stay sealed; a pairing itself is read by the
//! two communities' workers alone.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldCode, RuleError};
use crate::ids::{CommunityId, PairingId};
use crate::model::{Community, Entity, EventAction, Status};

string_enum! {
    /// `proposed` → `active` (the other side agreed) or `declined`; `proposed` or `active` →
    /// `ended` (either side).
    PairingStatus {
        Proposed = "proposed",
        Active = "active",
        Declined = "declined",
        Ended = "ended",
    }
}

impl PairingStatus {
    /// Proposed or active: two communities have at most one such pairing at a time.
    pub fn is_live(self) -> bool {
        matches!(self, PairingStatus::Proposed | PairingStatus::Active)
    }
}

/// `POST /api/pairings`: a worker asks `community_id` to pair with their own community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProposePairing {
    /// Made by the client so that a retried request cannot ask twice.
    #[serde(default = "PairingId::generate")]
    pub id: PairingId,
    pub community_id: CommunityId,
}

/// A pairing as the two communities' workers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pairing {
    pub id: PairingId,
    /// The community whose worker asked.
    pub proposer: Community,
    /// The community asked: its workers answer.
    pub partner: Community,
    pub status: PairingStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a worker does to a pairing (`POST /api/pairings/{id}/accept|decline|end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairingStep {
    Accept,
    Decline,
    End,
}

impl PairingStep {
    /// Its path segment: `POST /api/pairings/{id}/{path}`.
    pub fn path(self) -> &'static str {
        match self {
            PairingStep::Accept => "accept",
            PairingStep::Decline => "decline",
            PairingStep::End => "end",
        }
    }
}

impl Pairing {
    /// Whether a worker of `community` may read it: one of its two sides.
    pub fn concerns(&self, community: CommunityId) -> bool {
        self.proposer.id == community || self.partner.id == community
    }

    /// Whether a worker of `community` has this question to answer (the console counts them).
    pub fn awaits_answer_from(&self, community: CommunityId) -> bool {
        self.status == PairingStatus::Proposed && self.partner.id == community
    }

    /// The other side, seen from `community`.
    pub fn other_side(&self, community: CommunityId) -> &Community {
        if self.proposer.id == community {
            &self.partner
        } else {
            &self.proposer
        }
    }

    /// The status after a worker of `community` takes `step`: the asked side answers a
    /// question; either side ends a live pairing. Another community's pairing is as good as
    /// absent.
    pub fn after(
        &self,
        step: PairingStep,
        community: CommunityId,
    ) -> Result<PairingStatus, RuleError> {
        if !self.concerns(community) {
            return Err(RuleError::NotFound(Entity::Pairing));
        }
        let (action, to) = match step {
            PairingStep::Accept => (EventAction::Accept, PairingStatus::Active),
            PairingStep::Decline => (EventAction::Decline, PairingStatus::Declined),
            PairingStep::End => (EventAction::Close, PairingStatus::Ended),
        };
        let answering = matches!(step, PairingStep::Accept | PairingStep::Decline);
        if answering && self.partner.id != community {
            return Err(RuleError::Forbidden {
                reason: "the community that was asked answers",
            });
        }
        let allowed = if answering {
            self.status == PairingStatus::Proposed
        } else {
            self.status.is_live()
        };
        if allowed {
            Ok(to)
        } else {
            Err(RuleError::InvalidState {
                from: Status::Pairing(self.status),
                action,
            })
        }
    }
}

/// Whether a worker of `community` may ask `partner` (one of `known` communities) to pair,
/// given the pairings `community` already has: not itself, not one it is paired with or has
/// a question open with (either way).
pub fn may_propose(
    community: CommunityId,
    partner: CommunityId,
    known: &[CommunityId],
    existing: &[Pairing],
) -> Result<(), RuleError> {
    if partner == community {
        return Err(RuleError::field(
            Field::CommunityId,
            FieldCode::Invalid,
            "a community cannot pair with itself",
        ));
    }
    if !known.contains(&partner) {
        return Err(RuleError::field(
            Field::CommunityId,
            FieldCode::Unknown,
            "no such community",
        ));
    }
    let live = existing.iter().any(|pairing| {
        pairing.status.is_live() && pairing.concerns(community) && pairing.concerns(partner)
    });
    if live {
        return Err(RuleError::field(
            Field::CommunityId,
            FieldCode::Duplicate,
            "already paired with this community, or asked",
        ));
    }
    Ok(())
}

/// The communities paired with `community` now (active pairings only).
pub fn partners(pairings: &[Pairing], community: CommunityId) -> Vec<CommunityId> {
    pairings
        .iter()
        .filter(|pairing| pairing.status == PairingStatus::Active && pairing.concerns(community))
        .map(|pairing| pairing.other_side(community).id)
        .collect()
}

/// Whom a shop may pledge to: a shop of a community, to its own or one paired with it
/// (`partners`); a shop of none, to any community (as before pairings).
pub fn may_pledge_to(
    shop_community: Option<CommunityId>,
    wanted: CommunityId,
    partners: &[CommunityId],
) -> Result<(), RuleError> {
    match shop_community {
        Some(own) if own != wanted && !partners.contains(&wanted) => Err(RuleError::field(
            Field::CommunityId,
            FieldCode::NotPaired,
            "a shop pledges to its own community or one paired with it",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::ProblemCode;

    fn community(name: &str) -> Community {
        Community {
            id: CommunityId::generate(),
            name: name.to_owned(),
        }
    }

    fn asked(proposer: &Community, partner: &Community, status: PairingStatus) -> Pairing {
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 1, 2, 0, 0).unwrap();
        Pairing {
            id: PairingId::generate(),
            proposer: proposer.clone(),
            partner: partner.clone(),
            status,
            created_at: now,
            updated_at: now,
        }
    }

    fn field_code(error: RuleError) -> FieldCode {
        match error {
            RuleError::Validation(errors) => errors.0[0].code,
            other => panic!("not a field error: {other:?}"),
        }
    }

    #[test]
    fn the_asked_side_answers_and_either_side_ends() {
        let (xingyi, juyuan, other) = (community("星怡"), community("桔园村"), community("别处"));
        let question = asked(&xingyi, &juyuan, PairingStatus::Proposed);
        assert!(question.awaits_answer_from(juyuan.id));
        assert!(!question.awaits_answer_from(xingyi.id));
        assert!(!asked(&xingyi, &juyuan, PairingStatus::Active).awaits_answer_from(juyuan.id));

        assert_eq!(
            question.after(PairingStep::Accept, juyuan.id),
            Ok(PairingStatus::Active)
        );
        assert_eq!(
            question.after(PairingStep::Decline, juyuan.id),
            Ok(PairingStatus::Declined)
        );
        // The asking side may not answer its own question, but may take it back.
        assert_eq!(
            question
                .after(PairingStep::Accept, xingyi.id)
                .unwrap_err()
                .code(),
            ProblemCode::Forbidden
        );
        assert_eq!(
            question.after(PairingStep::End, xingyi.id),
            Ok(PairingStatus::Ended)
        );
        // A third community knows nothing of it.
        assert_eq!(
            question.after(PairingStep::End, other.id),
            Err(RuleError::NotFound(Entity::Pairing))
        );

        let paired = asked(&xingyi, &juyuan, PairingStatus::Active);
        assert_eq!(
            paired
                .after(PairingStep::Accept, juyuan.id)
                .unwrap_err()
                .code(),
            ProblemCode::InvalidState
        );
        for side in [xingyi.id, juyuan.id] {
            assert_eq!(
                paired.after(PairingStep::End, side),
                Ok(PairingStatus::Ended)
            );
        }
        for over in [PairingStatus::Ended, PairingStatus::Declined] {
            let done = asked(&xingyi, &juyuan, over);
            for step in [PairingStep::Accept, PairingStep::Decline, PairingStep::End] {
                assert_eq!(
                    done.after(step, juyuan.id).unwrap_err().code(),
                    ProblemCode::InvalidState,
                    "{step:?} after {over:?}"
                );
            }
        }
    }

    #[test]
    fn two_communities_have_one_live_pairing_and_never_one_with_themselves() {
        let (xingyi, juyuan) = (community("星怡"), community("桔园村"));
        let known = [xingyi.id, juyuan.id];
        assert_eq!(
            field_code(may_propose(xingyi.id, xingyi.id, &known, &[]).unwrap_err()),
            FieldCode::Invalid
        );
        assert_eq!(
            field_code(may_propose(xingyi.id, CommunityId::generate(), &known, &[]).unwrap_err()),
            FieldCode::Unknown
        );
        assert_eq!(may_propose(xingyi.id, juyuan.id, &known, &[]), Ok(()));
        // Asked either way, or paired: no second question.
        for status in [PairingStatus::Proposed, PairingStatus::Active] {
            let theirs = asked(&juyuan, &xingyi, status);
            assert_eq!(
                field_code(may_propose(xingyi.id, juyuan.id, &known, &[theirs]).unwrap_err()),
                FieldCode::Duplicate
            );
        }
        // Once declined or ended they may ask again.
        for status in [PairingStatus::Declined, PairingStatus::Ended] {
            let before = asked(&juyuan, &xingyi, status);
            assert_eq!(may_propose(xingyi.id, juyuan.id, &known, &[before]), Ok(()));
        }
    }

    #[test]
    fn a_shop_pledges_to_its_own_community_or_an_active_partner() {
        let (xingyi, juyuan, far) = (community("星怡"), community("桔园村"), community("远方"));
        let pairings = [
            asked(&xingyi, &juyuan, PairingStatus::Active),
            asked(&xingyi, &far, PairingStatus::Proposed),
        ];
        let ours = partners(&pairings, xingyi.id);
        assert_eq!(ours, vec![juyuan.id]);
        assert_eq!(partners(&pairings, juyuan.id), vec![xingyi.id]);

        assert_eq!(may_pledge_to(Some(xingyi.id), xingyi.id, &ours), Ok(()));
        assert_eq!(may_pledge_to(Some(xingyi.id), juyuan.id, &ours), Ok(()));
        assert_eq!(
            field_code(may_pledge_to(Some(xingyi.id), far.id, &ours).unwrap_err()),
            FieldCode::NotPaired
        );
        // A shop of no community offers where it likes, as before.
        assert_eq!(may_pledge_to(None, far.id, &[]), Ok(()));
    }
}
