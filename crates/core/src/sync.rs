//! The sync protocol (after Replicache's push/pull): clients push numbered mutations,
//! applied exactly once and in order; they pull every change they may see after a cursor.

use serde::{Deserialize, Deserializer, Serialize};

use crate::command::{Command, Policy};
use crate::ids::{
    BuildingId, CampaignId, ClaimId, ClientId, GridId, HouseholdId, NoticeId, PledgeId, RequestId,
    UserId, WishId,
};
use crate::model::{
    Building, CallView, ClaimView, Grid, Household, Me, Notice, Pledge, PublicCampaign, PublicWish,
    RequestView, StaffMember, VolunteerView,
};
use crate::problem::ProblemCode;

/// `POST /api/sync/push`. Clients send [`Mutation`]s; the server reads each as a
/// [`Received`] so that one it cannot read is refused on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest<M = Mutation> {
    /// A random id the client made for itself (one per device and login).
    pub client_id: ClientId,
    /// In increasing `id` order, without gaps.
    pub mutations: Vec<M>,
}

/// One pending write of a client: `{id, name, args}`, the command itself with its number.
/// `id` increases by one per client, starting at 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutation {
    pub id: u64,
    #[serde(flatten)]
    pub command: Command,
}

impl Mutation {
    /// What identifies the command for replays: a mutation id sent again with another
    /// command is not a replay (the phone's numbering went back, e.g. restored from a backup).
    pub fn fingerprint(command: &Command) -> String {
        serde_json::to_string(command).unwrap_or_default()
    }
}

/// A pushed mutation as the server reads it: its number, and its command or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub id: u64,
    pub command: Result<Command, String>,
}

impl<'de> Deserialize<'de> for Received {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            id: u64,
            #[serde(flatten)]
            rest: serde_json::Value,
        }
        let raw = Raw::deserialize(deserializer)?;
        let command = serde_json::from_value(raw.rest).map_err(|error| error.to_string());
        Ok(Received {
            id: raw.id,
            command,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
}

string_enum! {
    /// What became of a pushed mutation.
    MutationStatus { Applied = "applied", Rejected = "rejected" }
}

/// What became of one mutation; a replayed mutation gets its first result again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    pub id: u64,
    pub status: MutationStatus,
    /// Why a rejected mutation was refused (`wish_fully_claimed`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ProblemCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `GET /api/sync/pull?cursor=C&client_id=K`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Pass this back as `cursor` next time. It never goes backwards.
    pub cursor: u64,
    /// The last mutation of this client the server has applied (or rejected).
    pub last_mutation_id: u64,
    /// Throw the cache away first: this is a full snapshot.
    pub reset: bool,
    /// More changes wait: pull again right away with the new cursor.
    pub more: bool,
    /// The settings the server runs with, so that offline changes are decided as it will.
    #[serde(default)]
    pub policy: Policy,
    /// The signed-in user as they are now (a volunteer approved since the app started, time
    /// credited for house calls); absent for visitors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub me: Option<Me>,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Put,
    Del,
}

/// One entity that changed: its latest state (`put`) or its removal from view (`del`).
/// The `entity` tag is [`crate::Entity`]'s name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "entity", rename_all = "snake_case")]
pub enum Change {
    Wish {
        id: WishId,
        op: Op,
        data: Option<PublicWish>,
    },
    Claim {
        id: ClaimId,
        op: Op,
        // Boxed: a claim view carries a whole wish and would make every change that big.
        data: Option<Box<ClaimView>>,
    },
    Campaign {
        id: CampaignId,
        op: Op,
        data: Option<PublicCampaign>,
    },
    Grid {
        id: GridId,
        op: Op,
        data: Option<Grid>,
    },
    /// Workers of its community only.
    Household {
        id: HouseholdId,
        op: Op,
        data: Option<Box<Household>>,
    },
    /// Workers only.
    Volunteer {
        id: UserId,
        op: Op,
        data: Option<VolunteerView>,
    },
    /// The shop that pledged it, and workers.
    Pledge {
        id: PledgeId,
        op: Op,
        data: Option<Box<Pledge>>,
    },
    /// Its requester, its community's workers and its handler (see
    /// [`crate::visibility::request`]); `del` when one of them no longer may see it.
    Request {
        id: RequestId,
        op: Op,
        data: Option<Box<RequestView>>,
    },
    /// An open call for help, for the party-member volunteers it calls; `del` once it is
    /// taken or no longer calls (the one who took it gets the `request` instead).
    Call {
        id: RequestId,
        op: Op,
        data: Option<CallView>,
    },
    /// Everyone (public).
    Building {
        id: BuildingId,
        op: Op,
        data: Option<Building>,
    },
    /// The community's workers and property staff, for its workers (whom to dispatch to).
    Staff {
        id: UserId,
        op: Op,
        data: Option<StaffMember>,
    },
    /// The user's own notices (see [`crate::visibility::notice`]); nobody else's, not even
    /// as a removal.
    Notice {
        id: NoticeId,
        op: Op,
        data: Option<Notice>,
    },
}

impl Change {
    /// The entity it is about, as [`crate::Entity`] names it (its `entity` tag).
    pub fn entity(&self) -> crate::model::Entity {
        use crate::model::Entity;
        match self {
            Change::Wish { .. } => Entity::Wish,
            Change::Claim { .. } => Entity::Claim,
            Change::Campaign { .. } => Entity::Campaign,
            Change::Grid { .. } => Entity::Grid,
            Change::Household { .. } => Entity::Household,
            Change::Volunteer { .. } => Entity::Volunteer,
            Change::Pledge { .. } => Entity::Pledge,
            Change::Request { .. } => Entity::Request,
            Change::Call { .. } => Entity::Call,
            Change::Building { .. } => Entity::Building,
            Change::Staff { .. } => Entity::Staff,
            Change::Notice { .. } => Entity::Notice,
        }
    }
}

/// Versions a restore took away: the restored database's top was `after`, the live one had
/// reached `through`; the restore numbers on past `through` (its own mark is `through + 1`),
/// so no version is ever handed out twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LostVersions {
    pub after: u64,
    pub through: u64,
}

impl LostVersions {
    /// The top a database has after this restore (no later change has a lower version).
    pub fn restored_top(&self) -> u64 {
        self.through + 1
    }
}

/// Must a phone pulling from `cursor` throw its cache away and start over? When it has none
/// (0); when its cursor is from the future (`top` is the server's newest version: the data
/// was replaced); and when its cursor is from before a restore (at or below a restore's
/// `through`): it may hold what the restore took away, and mutations the server answered
/// but no longer has, which it sends again when it starts over. A cursor handed out after a
/// restore is past its `through`, so each phone starts over once.
pub fn must_start_over(cursor: u64, top: u64, lost: &[LostVersions]) -> bool {
    cursor == 0 || cursor > top || lost.iter().any(|range| cursor <= range.through)
}

/// The answered mutations a phone keeps (in case the server is restored from a backup
/// taken before them) that the server no longer has, by the last id it reports for the
/// phone: they go out again, in order (the engine numbers them on from that last id, ids the
/// restored server has never seen; the claims they create keep their own ids, so none is
/// applied twice).
pub fn to_resend(kept: &[Mutation], last_mutation_id: u64) -> Vec<Mutation> {
    let mut again: Vec<Mutation> = kept
        .iter()
        .filter(|m| m.id > last_mutation_id)
        .cloned()
        .collect();
    again.sort_by_key(|m| m.id);
    again
}

/// How many answered mutations a phone keeps (the newest; older ones are dropped once a
/// pull past them confirmed them and this many newer ones were answered).
pub const KEPT_MUTATIONS: usize = 200;

/// The kept mutations to drop: the confirmed ones (ids up to `confirmed`, the last id the
/// server reports after a pull that went past them) beyond the newest [`KEPT_MUTATIONS`].
pub fn kept_to_drop(kept: &[u64], confirmed: u64) -> Vec<u64> {
    let mut ids: Vec<u64> = kept.to_vec();
    ids.sort_unstable();
    let surplus = ids.len().saturating_sub(KEPT_MUTATIONS);
    ids.into_iter()
        .take(surplus)
        .filter(|id| *id <= confirmed)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::ReleaseClaim;

    #[test]
    fn a_mutation_is_its_command_with_a_number() {
        let command = Command::ReleaseClaim(ReleaseClaim {
            claim_id: ClaimId::generate(),
            quantity: None,
        });
        let mutation = Mutation {
            id: 7,
            command: command.clone(),
        };
        let json = serde_json::to_value(&mutation).unwrap();
        assert_eq!(json["id"], 7);
        assert_eq!(json["name"], "release_claim");
        assert!(json["args"]["claim_id"].is_string());
        assert_eq!(serde_json::from_value::<Mutation>(json).unwrap(), mutation);
    }

    #[test]
    fn the_server_reads_each_mutation_on_its_own() {
        let body = serde_json::json!({
            "client_id": ClientId::generate(),
            "mutations": [
                {"id": 1, "name": "release_claim", "args": {"claim_id": ClaimId::generate()}},
                {"id": 2, "name": "launch_rocket", "args": {}},
            ]
        });
        let push: PushRequest<Received> = serde_json::from_value(body).unwrap();
        assert!(push.mutations[0].command.is_ok());
        assert_eq!(push.mutations[1].id, 2);
        assert!(push.mutations[1].command.is_err());
    }

    #[test]
    fn changes_are_tagged_by_entity() {
        let change = Change::Grid {
            id: GridId::from("grid-1"),
            op: Op::Del,
            data: None,
        };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"entity": "grid", "id": "grid-1", "op": "del", "data": null})
        );
        let id = RequestId::generate();
        for change in [
            Change::Request {
                id,
                op: Op::Del,
                data: None,
            },
            Change::Call {
                id,
                op: Op::Del,
                data: None,
            },
            Change::Building {
                id: BuildingId::generate(),
                op: Op::Del,
                data: None,
            },
            Change::Staff {
                id: UserId::generate(),
                op: Op::Del,
                data: None,
            },
            Change::Notice {
                id: NoticeId::generate(),
                op: Op::Del,
                data: None,
            },
        ] {
            let json = serde_json::to_value(&change).unwrap();
            assert_eq!(json["entity"], change.entity().as_str());
            assert_eq!(serde_json::from_value::<Change>(json).unwrap(), change);
        }
    }

    #[test]
    fn a_cursor_from_before_a_restore_starts_over() {
        // Cursor 250, a backup at 250, a claim applied at 251, the restore (the live top was
        // 251), four other claims numbered past it.
        let lost = [LostVersions {
            after: 250,
            through: 251,
        }];
        assert_eq!(lost[0].restored_top(), 252);
        let top = 252 + 4;
        assert!(must_start_over(250, top, &lost), "at the backup's top");
        assert!(must_start_over(251, top, &lost), "inside the lost range");
        assert!(must_start_over(100, top, &lost), "older still");
        assert!(
            !must_start_over(252, top, &lost),
            "handed out after the restore"
        );
        assert!(!must_start_over(255, top, &lost));
        assert!(must_start_over(257, top, &lost), "from the future");
        assert!(must_start_over(0, top, &lost), "nothing yet");
        assert!(!must_start_over(250, 260, &[]), "no restore: go on");
    }

    #[test]
    fn what_the_server_no_longer_has_goes_again_in_order() {
        let mutation = |id| Mutation {
            id,
            command: Command::ReleaseClaim(ReleaseClaim {
                claim_id: ClaimId::generate(),
                quantity: None,
            }),
        };
        let kept = [mutation(7), mutation(5), mutation(6)];
        let ids: Vec<u64> = to_resend(&kept, 5).iter().map(|m| m.id).collect();
        assert_eq!(ids, [6, 7]);
        assert!(to_resend(&kept, 7).is_empty());
    }

    #[test]
    fn only_confirmed_mutations_beyond_the_newest_are_dropped() {
        let kept: Vec<u64> = (1..=KEPT_MUTATIONS as u64 + 3).collect();
        assert_eq!(kept_to_drop(&kept, 2), [1, 2]);
        assert_eq!(kept_to_drop(&kept, 500), [1, 2, 3]);
        assert!(kept_to_drop(&kept[..10], 500).is_empty());
    }
}
