//! The sync protocol (after Replicache's push/pull): clients push numbered mutations,
//! applied exactly once and in order; they pull every change they may see after a cursor.

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::model::{ClaimView, Grid, Id, PublicCampaign, PublicWish};

/// `POST /api/sync/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// A random id the client made for itself (one per device and login).
    pub client_id: Id,
    /// In increasing `id` order, without gaps.
    pub mutations: Vec<Mutation>,
}

/// One pending write of a client. `id` increases by one per client, starting at 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    pub id: u64,
    /// The command's snake_case name, e.g. `claim_wish`.
    pub name: String,
    /// The command's fields: the REST body plus the target id.
    pub args: serde_json::Value,
}

impl Mutation {
    pub fn new(id: u64, command: &Command) -> Mutation {
        let json = serde_json::to_value(command).unwrap_or_default();
        Mutation {
            id,
            name: command.name().to_owned(),
            args: json.get("args").cloned().unwrap_or_default(),
        }
    }

    /// The command this mutation asks for, or why it names none.
    pub fn command(&self) -> Result<Command, String> {
        serde_json::from_value(serde_json::json!({"name": self.name, "args": self.args}))
            .map_err(|error| error.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MutationStatus {
    Applied,
    Rejected,
}

/// What became of one mutation; a replayed mutation gets its first result again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutationResult {
    pub id: u64,
    pub status: MutationStatus,
    /// The stable problem code of a rejection (`wish_fully_claimed`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `GET /api/sync/pull?cursor=C&client_id=K`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Pass this back as `cursor` next time. It never goes backwards.
    pub cursor: u64,
    /// The last mutation of this client the server has applied (or rejected).
    pub last_mutation_id: u64,
    /// Throw the cache away first: this is a full snapshot.
    pub reset: bool,
    /// More changes wait: pull again right away with the new cursor.
    pub more: bool,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Put,
    Del,
}

/// One entity that changed: its latest state (`put`) or its removal from view (`del`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "entity", rename_all = "snake_case")]
pub enum Change {
    Wish {
        id: Id,
        op: Op,
        data: Option<PublicWish>,
    },
    Claim {
        id: Id,
        op: Op,
        // Boxed: a claim view carries a whole wish and would make every change that big.
        data: Option<Box<ClaimView>>,
    },
    Campaign {
        id: Id,
        op: Op,
        data: Option<PublicCampaign>,
    },
    Grid {
        id: String,
        op: Op,
        data: Option<Grid>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{ClaimRef, Command};

    #[test]
    fn mutations_carry_a_command_as_name_and_args() {
        let command = Command::ReleaseClaim(ClaimRef {
            claim_id: crate::model::new_id(),
        });
        let mutation = Mutation::new(7, &command);
        assert_eq!(mutation.name, "release_claim");
        assert_eq!(mutation.command().unwrap(), command);
        let unknown = Mutation {
            id: 8,
            name: "launch_rocket".into(),
            args: serde_json::json!({}),
        };
        assert!(unknown.command().is_err());
    }

    #[test]
    fn changes_are_tagged_by_entity() {
        let change = Change::Grid {
            id: "grid-1".into(),
            op: Op::Del,
            data: None,
        };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"entity": "grid", "id": "grid-1", "op": "del", "data": null})
        );
    }
}
