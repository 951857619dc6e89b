//! The changes still in the outbox as a person would recognise them (what, which wish, how
//! many): what the question at logout names before anything can be thrown away.

use super::Engine;
use crate::command::Command;
use crate::ids::ClaimId;
use crate::model::{ClaimView, PublicWish};

/// What an unsent change does, for the ones a person makes most (a giver's); the rest are
/// named by their wish only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsentAction {
    Claim,
    Release,
    Deliver,
    Other,
}

/// One change waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsentChange {
    pub action: UnsentAction,
    /// The wish it is about, when the device knows it.
    pub wish_title: Option<String>,
    /// How many units it claims or gives back (all of a claim's, when it says so).
    pub quantity: Option<u32>,
    /// The wish's unit ("个", "双").
    pub unit: Option<String>,
}

impl Engine {
    /// Every change not sent yet, oldest first.
    pub fn unsent(&self) -> Vec<UnsentChange> {
        self.outbox
            .iter()
            .map(|mutation| self.describe(&mutation.command))
            .collect()
    }

    fn describe(&self, command: &Command) -> UnsentChange {
        let wish = self.wish_of(command);
        let (action, quantity) = match command {
            Command::ClaimWish(claim) => (UnsentAction::Claim, u32::try_from(claim.quantity).ok()),
            Command::ReleaseClaim(release) => (
                UnsentAction::Release,
                release.quantity.or_else(|| {
                    self.known_claim(release.claim_id)
                        .map(|claim| claim.quantity)
                }),
            ),
            Command::MarkDelivered(claim) => (
                UnsentAction::Deliver,
                self.known_claim(claim.claim_id).map(|claim| claim.quantity),
            ),
            _ => (UnsentAction::Other, None),
        };
        UnsentChange {
            action,
            wish_title: wish.map(|wish| wish.title.clone()),
            quantity,
            unit: wish.map(|wish| wish.unit.clone()),
        }
    }

    /// A claim as the server last said (what a give-back of "all" gives back), else as shown.
    fn known_claim(&self, id: ClaimId) -> Option<&ClaimView> {
        self.base
            .claims
            .get(&id)
            .or_else(|| self.view.claims.get(&id))
    }

    fn wish_of(&self, command: &Command) -> Option<&PublicWish> {
        let needs = command.needs();
        let direct = needs.wishes.iter().find_map(|id| {
            self.view
                .wishes
                .get(id)
                .or_else(|| self.base.wishes.get(id))
        });
        direct.or_else(|| {
            needs.claims.iter().find_map(|id| {
                let claim = self.known_claim(*id)?;
                Some(self.view.wishes.get(&claim.wish_id).unwrap_or(&claim.wish))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{ClaimRef, ReleaseClaim};
    use crate::engine::{Input, Meta, Snapshot};
    use crate::model::Role;
    use crate::overlay::tests::{claim, me, now, public_wish};
    use crate::overlay::LocalState;
    use crate::sync::Mutation;

    fn loaded(state: LocalState, commands: Vec<Command>) -> Engine {
        let mut engine = Engine::new();
        let outbox = commands
            .into_iter()
            .zip(1..)
            .map(|(command, id)| Mutation { id, command })
            .collect();
        let mut meta = Meta::fresh(Some(me(Role::Donor)));
        meta.cursor = 1;
        engine.handle(
            Input::Loaded {
                snapshot: Box::new(Snapshot {
                    state,
                    outbox,
                    kept: Vec::new(),
                    meta: Some(meta),
                }),
                online: false,
            },
            now(),
        );
        engine
    }

    #[test]
    fn the_changes_waiting_at_logout_name_their_wish_and_how_many() {
        let mut state = LocalState::default();
        let mut bag = public_wish(5);
        bag.title = "新书包".into();
        let bag_id = bag.id;
        state.wishes.insert(bag.id, bag);
        let (claimed, first) = claim(bag_id, 2);
        let engine = loaded(
            state,
            vec![
                first,
                Command::MarkDelivered(ClaimRef { claim_id: claimed }),
                Command::ReleaseClaim(ReleaseClaim {
                    claim_id: claimed,
                    quantity: None,
                }),
            ],
        );
        let named = |action, quantity| UnsentChange {
            action,
            wish_title: Some("新书包".into()),
            quantity: Some(quantity),
            unit: Some("个".into()),
        };
        assert_eq!(
            engine.unsent(),
            [
                named(UnsentAction::Claim, 2),
                named(UnsentAction::Deliver, 2),
                named(UnsentAction::Release, 2),
            ]
        );
    }

    #[test]
    fn a_change_about_nothing_the_device_knows_is_still_counted() {
        let engine = loaded(
            LocalState::default(),
            vec![Command::ReleaseClaim(ReleaseClaim {
                claim_id: ClaimId::generate(),
                quantity: Some(1),
            })],
        );
        assert_eq!(
            engine.unsent(),
            [UnsentChange {
                action: UnsentAction::Release,
                wish_title: None,
                quantity: Some(1),
                unit: None,
            }]
        );
    }
}
