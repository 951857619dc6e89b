//! Notices as commands: their user marks them read (someone else's are as good as absent);
//! the hold timer reminds a claimer that their hold ends within a day, and a community's
//! workers that a request missed a limit. Whom each decision tells is [`crate::notices`]'s.

use super::*;
use crate::command::{MarkNoticesRead, RequestReminder};
use crate::model::Overdue;

pub(super) fn mark_read(
    mark: &MarkNoticesRead,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let Actor::User { id: user, .. } = ctx.actor else {
        return Err(RuleError::Forbidden {
            reason: "people read their own notices",
        });
    };
    mark.validate()?;
    let mut unread = Vec::new();
    for id in &mark.ids {
        let notice = facts
            .notices
            .get(id)
            .filter(|notice| notice.user == user)
            .ok_or(RuleError::NotFound(Entity::Notice))?;
        if !notice.read && !unread.contains(id) {
            unread.push(*id);
        }
    }
    if !mark.all && unread.is_empty() {
        // Read already: nothing changes.
        return Ok(Decision::replay(Subject::Notices(user)));
    }
    unread.sort();
    Ok(Decision {
        subject: Subject::Notices(user),
        replayed: false,
        writes: vec![Write::NoticesRead {
            user,
            ids: unread,
            all: mark.all,
        }],
        events: Vec::new(),
    })
}

fn only_the_system(ctx: &Context) -> Result<(), RuleError> {
    if ctx.actor == Actor::System {
        Ok(())
    } else {
        Err(RuleError::Forbidden {
            reason: "reminders come from the hold timer",
        })
    }
}

/// An active claim's hold ends within a day (the timer finds those; it reminds each once).
pub(super) fn remind_claim(
    claim_id: ClaimId,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    only_the_system(ctx)?;
    let claim = facts
        .claims
        .get(&claim_id)
        .ok_or(RuleError::NotFound(Entity::Claim))?;
    if claim.status != ClaimStatus::Active {
        return Err(RuleError::InvalidState {
            from: claim.status.into(),
            action: EventAction::Expire,
        });
    }
    Ok(reminded(Subject::Claim(claim_id), Reminder::ClaimHold))
}

/// A request missed `limit`: still not accepted, or still not resolved.
pub(super) fn remind_request(
    reminder: &RequestReminder,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    only_the_system(ctx)?;
    let request = facts.request(reminder.request_id)?;
    let (late, action, kind) = match reminder.limit {
        Overdue::Accept => (
            request.status == RequestStatus::Submitted,
            EventAction::Accept,
            Reminder::RequestAccept,
        ),
        Overdue::Resolve => (
            request.status.is_open(),
            EventAction::Resolve,
            Reminder::RequestResolve,
        ),
    };
    if !late {
        return Err(RuleError::InvalidState {
            from: request.status.into(),
            action,
        });
    }
    Ok(reminded(Subject::Request(reminder.request_id), kind))
}

/// A reminder leaves no event: its record is the store's, its news the notices'.
fn reminded(subject: Subject, reminder: Reminder) -> Decision {
    Decision {
        subject,
        replayed: false,
        writes: vec![Write::Reminded { subject, reminder }],
        events: Vec::new(),
    }
}
