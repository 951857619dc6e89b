//! Residents' requests (居民点单 → 派单 → 办理 → 回访): filed by anyone signed in (a worker logs
//! one on someone's behalf); accepted, dispatched, called out to the party-member volunteers,
//! declined, merged or turned into a wish by the workers of its community; started, noted and
//! resolved by its handler (or those workers); confirmed with a rating, or reopened within the
//! answer time, by its requester; closed by the system once that time passed. Whoever may not
//! see a request (see [`crate::visibility::request`]) finds none; whoever sees it but has no
//! part in a step is forbidden it. The state machine is [`next_request_status`]'s.

use super::*;
use crate::command::{
    NewPhoto, NewRequest, RequestConversion, RequestDispatch, RequestMerge, RequestNote,
    RequestRating, RequestReason, RequestRef, RequestResolution,
};
use crate::error::{Field, FieldCode};
use crate::model::{HandlerKind, PhotoStage, PHOTOS_PER_STAGE};
use crate::rules::{next_request_status, RequestAction};
use crate::visibility::{self, RequestSight, SeenRequest, Viewer};

/// How the actor stands to a request.
#[derive(Debug, Clone, Copy)]
struct Standing {
    requester: bool,
    worker: bool,
    handler: bool,
}

/// The request `id`, if the actor may see it in full, and how they stand to it.
fn seen(
    id: RequestId,
    facts: &Facts,
    ctx: &Context,
) -> Result<(RequestState, Standing), RuleError> {
    let request = facts.request(id)?;
    let sight = viewer(facts, ctx).and_then(|viewer| {
        visibility::request(
            Some(&viewer),
            SeenRequest {
                community: request.community,
                requester: request.requester,
                handler: request.handler.map(|handler| handler.user_id),
                status: request.status,
                contact_ok: request.contact_ok,
            },
        )
    });
    if !matches!(sight, Some(RequestSight::Full { .. })) {
        return Err(RuleError::NotFound(Entity::Request));
    }
    let user = ctx.actor.user_id();
    let standing = Standing {
        requester: user.is_some() && request.requester == user,
        worker: facts.works_in(ctx, request.community),
        handler: user.is_some() && request.handler.map(|handler| handler.user_id) == user,
    };
    Ok((request.clone(), standing))
}

/// The acting user as the rules of sight know them.
fn viewer(facts: &Facts, ctx: &Context) -> Option<Viewer> {
    let Actor::User { id, role } = ctx.actor else {
        return None;
    };
    let me = facts.actor(ctx);
    Some(Viewer {
        id,
        role,
        community: me.and_then(|me| me.community),
        volunteer: me.and_then(|me| me.volunteer),
        party_member: me.is_some_and(|me| me.party_member),
    })
}

fn only_if(allowed: bool, reason: &'static str) -> Result<(), RuleError> {
    if allowed {
        Ok(())
    } else {
        Err(RuleError::Forbidden { reason })
    }
}

/// `request` moves by `action` with `changes`; its timeline says so, with `note`.
fn moved(
    id: RequestId,
    request: &RequestState,
    action: RequestAction,
    changes: RequestChanges,
    note: String,
) -> Result<Decision, RuleError> {
    let to = next_request_status(request.status, action)?;
    Ok(Decision {
        subject: Subject::Request(id),
        replayed: false,
        writes: vec![Write::RequestMoved {
            request: id,
            from: request.status,
            handler: request.handler,
            to,
            changes,
        }],
        events: vec![event(
            id,
            action.event(),
            Some(request.status),
            Some(to),
            note,
        )],
    })
}

fn event(
    id: RequestId,
    action: EventAction,
    from: Option<RequestStatus>,
    to: Option<RequestStatus>,
    note: String,
) -> Event {
    Event {
        action,
        subject: Subject::Request(id),
        // Never on a wish's (public) timeline: a request is private.
        wish: None,
        from: from.map(Status::from),
        to: to.map(Status::from),
        note,
    }
}

pub(super) fn file(new: &NewRequest, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    let Actor::User { id: user, role } = ctx.actor else {
        return Err(RuleError::Forbidden {
            reason: "people file requests",
        });
    };
    if let Some(existing) = facts.requests.get(&new.id) {
        // The same request sent again is a retry; anything else under its id a conflict.
        return if existing.requester == Some(user) {
            Ok(Decision::replay(Subject::Request(new.id)))
        } else {
            Err(RuleError::IdConflict)
        };
    }
    let by_worker = role == Role::Worker;
    // A worker logs requests for their own community only; others file in theirs, if chosen.
    let mine = if by_worker {
        Some(facts.worker_community(ctx)?)
    } else {
        facts.actor(ctx).and_then(|me| me.community)
    };
    let valid = new.validate(by_worker)?;
    let unknown = || {
        RuleError::field(
            Field::BuildingId,
            FieldCode::Unknown,
            "no such building in your community",
        )
    };
    let building = facts.buildings.get(&new.building_id).ok_or_else(unknown)?;
    let community = *facts.grids.get(&building.grid).ok_or_else(unknown)?;
    if mine.is_some_and(|mine| mine != community) {
        return Err(unknown());
    }
    let (accept_by, resolve_by) = ctx
        .policy
        .requests
        .deadlines(new.category, new.urgency, ctx.now);
    Ok(Decision {
        subject: Subject::Request(new.id),
        replayed: false,
        writes: vec![Write::NewRequest(RequestRecord {
            id: new.id,
            community,
            grid: building.grid.clone(),
            building_id: new.building_id,
            unit: valid.unit,
            place: valid.place,
            category: new.category,
            description: valid.description,
            urgency: new.urgency,
            contact_ok: new.contact_ok,
            channel: valid.channel,
            requester: user,
            on_behalf: valid.on_behalf,
            accept_by,
            resolve_by,
        })],
        events: vec![event(
            new.id,
            EventAction::File,
            None,
            Some(RequestStatus::Submitted),
            String::new(),
        )],
    })
}

pub(super) fn accept(
    target: &RequestRef,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(target.request_id, facts, ctx)?;
    only_if(standing.worker, "workers of its community accept requests")?;
    let changes = RequestChanges {
        accepted_at: Some(ctx.now),
        ..RequestChanges::default()
    };
    moved(
        target.request_id,
        &request,
        RequestAction::Accept,
        changes,
        String::new(),
    )
}

pub(super) fn dispatch(
    dispatch: &RequestDispatch,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(dispatch.request_id, facts, ctx)?;
    only_if(
        standing.worker,
        "workers of its community dispatch requests",
    )?;
    let handler = dispatch.handler;
    if request.status == RequestStatus::Dispatched && request.handler == Some(handler) {
        return Ok(Decision::replay(Subject::Request(dispatch.request_id)));
    }
    check_handler(handler, request.community, facts)?;
    let changes = RequestChanges {
        handler: Some(Some(handler)),
        ..RequestChanges::default()
    };
    // The timeline says to whom: the handler's kind, for the requester's plain words.
    moved(
        dispatch.request_id,
        &request,
        RequestAction::Dispatch,
        changes,
        handler.kind.as_str().to_owned(),
    )
}

/// A request of `community` may go to a worker or the property staff of that community, or to
/// an approved volunteer (of it, or of none yet).
fn check_handler(handler: Handler, community: CommunityId, facts: &Facts) -> Result<(), RuleError> {
    let suits = facts.users.get(&handler.user_id).is_some_and(|user| {
        let ours = user.community == Some(community);
        match handler.kind {
            HandlerKind::Worker => user.role == Role::Worker && ours,
            HandlerKind::Property => user.role == Role::Property && ours,
            HandlerKind::Volunteer => {
                user.role == Role::Volunteer
                    && user.volunteer == Some(VolunteerStatus::Approved)
                    && (ours || user.community.is_none())
            }
        }
    });
    if suits {
        Ok(())
    } else {
        Err(RuleError::field(
            Field::Handler,
            FieldCode::Unknown,
            "no such handler for this community",
        ))
    }
}

pub(super) fn call(
    target: &RequestRef,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(target.request_id, facts, ctx)?;
    only_if(standing.worker, "workers of its community call volunteers")?;
    moved(
        target.request_id,
        &request,
        RequestAction::Call,
        RequestChanges::default(),
        String::new(),
    )
}

/// A party-member volunteer of the request's community takes its call; the first holds it,
/// and anyone after finds it taken.
pub(super) fn take(
    target: &RequestRef,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let id = target.request_id;
    let request = facts.request(id)?;
    let Some(volunteer) =
        viewer(facts, ctx).filter(|viewer| viewer.answers_calls_of(request.community))
    else {
        // Someone who sees the request (its requester, a worker) is told they may not;
        // anyone else finds nothing.
        seen(id, facts, ctx)?;
        return Err(RuleError::Forbidden {
            reason: "approved party-member volunteers of its community take calls",
        });
    };
    let me = Handler {
        kind: HandlerKind::Volunteer,
        user_id: volunteer.id,
    };
    match request.status {
        RequestStatus::Calling => moved(
            id,
            request,
            RequestAction::Take,
            RequestChanges {
                handler: Some(Some(me)),
                ..RequestChanges::default()
            },
            String::new(),
        ),
        _ if request.handler == Some(me) => Ok(Decision::replay(Subject::Request(id))),
        _ if request.handler.is_some() => Err(RuleError::CallTaken),
        // Not calling, nobody holding it: nothing a volunteer may see.
        _ => Err(RuleError::NotFound(Entity::Request)),
    }
}

pub(super) fn start(
    target: &RequestRef,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(target.request_id, facts, ctx)?;
    only_if(standing.handler, "its handler starts on a request")?;
    moved(
        target.request_id,
        &request,
        RequestAction::Start,
        RequestChanges::default(),
        String::new(),
    )
}

/// Its requester, its community's workers and its handler add notes while it has not ended.
pub(super) fn note(
    note: &RequestNote,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, _) = seen(note.request_id, facts, ctx)?;
    let text = note.validate()?;
    if request.status.is_final() {
        return Err(RuleError::InvalidState {
            from: request.status.into(),
            action: EventAction::Note,
        });
    }
    Ok(Decision {
        subject: Subject::Request(note.request_id),
        replayed: false,
        writes: vec![Write::RequestNote {
            request: note.request_id,
            text: text.clone(),
        }],
        events: vec![event(note.request_id, EventAction::Note, None, None, text)],
    })
}

pub(super) fn resolve(
    resolution: &RequestResolution,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(resolution.request_id, facts, ctx)?;
    only_if(
        standing.worker || standing.handler,
        "its handler or a worker of its community resolves a request",
    )?;
    let (note, summary) =
        resolution.validate(request.unit.as_deref(), request.on_behalf_name.as_deref())?;
    let changes = RequestChanges {
        resolved_at: Some(Some(ctx.now)),
        public_summary: Some(summary),
        ..RequestChanges::default()
    };
    moved(
        resolution.request_id,
        &request,
        RequestAction::Resolve,
        changes,
        note,
    )
}

pub(super) fn confirm(
    rating: &RequestRating,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(rating.request_id, facts, ctx)?;
    only_if(standing.requester, "its requester confirms a request")?;
    let (stars, note) = rating.validate()?;
    let changes = RequestChanges {
        closed_at: Some(ctx.now),
        rating: Some((stars, note.clone())),
        ..RequestChanges::default()
    };
    moved(
        rating.request_id,
        &request,
        RequestAction::Confirm,
        changes,
        note.unwrap_or_default(),
    )
}

/// The requester says it is not fixed, within the answer time: it goes back to the workers,
/// off the board, waiting for a handler again. Its limits stay as first set: a reopened
/// request is late against the promise made when it was filed.
pub(super) fn reopen(
    reason: &RequestReason,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(reason.request_id, facts, ctx)?;
    only_if(standing.requester, "its requester reopens a request")?;
    let text = reason.validate()?;
    let too_late = request
        .resolved_at
        .is_some_and(|at| ctx.now > ctx.policy.requests.answer_until(at));
    if request.status == RequestStatus::Resolved && too_late {
        return Err(RuleError::InvalidState {
            from: request.status.into(),
            action: EventAction::Reopen,
        });
    }
    let changes = RequestChanges {
        handler: Some(None),
        resolved_at: Some(None),
        public_summary: Some(None),
        reopen_count: Some(request.reopen_count + 1),
        ..RequestChanges::default()
    };
    moved(
        reason.request_id,
        &request,
        RequestAction::Reopen,
        changes,
        text,
    )
}

pub(super) fn decline(
    reason: &RequestReason,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(reason.request_id, facts, ctx)?;
    only_if(standing.worker, "workers of its community decline requests")?;
    let text = reason.validate()?;
    let changes = RequestChanges {
        closed_at: Some(ctx.now),
        ..RequestChanges::default()
    };
    moved(
        reason.request_id,
        &request,
        RequestAction::Decline,
        changes,
        text,
    )
}

/// A duplicate goes into another request of the community (one that has not ended
/// otherwise); both timelines name the other.
pub(super) fn merge(
    merge: &RequestMerge,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(merge.request_id, facts, ctx)?;
    only_if(standing.worker, "workers of its community merge requests")?;
    merge.validate()?;
    let into = facts
        .requests
        .get(&merge.into)
        .filter(|into| into.community == request.community)
        .ok_or_else(|| RuleError::field(Field::Into, FieldCode::Unknown, "no such request here"))?;
    if matches!(into.status, RequestStatus::Declined | RequestStatus::Merged) {
        return Err(RuleError::field(
            Field::Into,
            FieldCode::Invalid,
            "merge into a request that is still followed",
        ));
    }
    let changes = RequestChanges {
        closed_at: Some(ctx.now),
        merged_into: Some(merge.into),
        ..RequestChanges::default()
    };
    let mut decision = moved(
        merge.request_id,
        &request,
        RequestAction::Merge,
        changes,
        merge.into.to_string(),
    )?;
    decision.events.push(event(
        merge.into,
        EventAction::Merge,
        None,
        None,
        merge.request_id.to_string(),
    ));
    Ok(decision)
}

/// A request for help is handled through a wish a worker posted for a household (not
/// fulfilled yet): the worker handles it, and the wish's fulfilment resolves it.
pub(super) fn convert(
    conversion: &RequestConversion,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    let (request, standing) = seen(conversion.request_id, facts, ctx)?;
    let worker = ctx.actor.user_id().filter(|_| standing.worker);
    let Some(worker) = worker else {
        return Err(RuleError::Forbidden {
            reason: "workers of its community turn requests into wishes",
        });
    };
    let wish = facts.wish_in(conversion.wish_id, request.community)?;
    if !matches!(
        wish.status,
        WishStatus::Draft | WishStatus::Open | WishStatus::Claimed
    ) {
        return Err(RuleError::InvalidState {
            from: wish.status.into(),
            action: EventAction::Convert,
        });
    }
    let changes = RequestChanges {
        handler: Some(Some(Handler {
            kind: HandlerKind::Worker,
            user_id: worker,
        })),
        wish_id: Some(conversion.wish_id),
        ..RequestChanges::default()
    };
    moved(
        conversion.request_id,
        &request,
        RequestAction::Convert,
        changes,
        String::new(),
    )
}

/// The requester's answer time ran out: the system closes the request, unrated.
pub(super) fn close(
    target: &RequestRef,
    facts: &Facts,
    ctx: &Context,
) -> Result<Decision, RuleError> {
    only_if(
        ctx.actor == Actor::System,
        "resolved requests close by themselves",
    )?;
    let request = facts.request(target.request_id)?;
    let due = request
        .resolved_at
        .is_some_and(|at| ctx.now >= ctx.policy.requests.answer_until(at));
    if request.status == RequestStatus::Resolved && !due {
        return Err(RuleError::InvalidState {
            from: request.status.into(),
            action: EventAction::Close,
        });
    }
    let changes = RequestChanges {
        closed_at: Some(ctx.now),
        ..RequestChanges::default()
    };
    moved(
        target.request_id,
        request,
        RequestAction::Close,
        changes,
        String::new(),
    )
}

/// What adding a photo to a request does: the requester shows the problem (`before`, while it
/// is open), the handler the fix (`after`, once it is theirs); at most
/// [`PHOTOS_PER_STAGE`] of each; the same photo sent again is a replay.
pub fn decide_photo(photo: &NewPhoto, facts: &Facts, ctx: &Context) -> Result<Decision, RuleError> {
    let id = photo.request_id;
    let (request, standing) = seen(id, facts, ctx)?;
    if request
        .photos
        .iter()
        .any(|known| known.id == photo.photo_id)
    {
        return Ok(Decision::replay(Subject::Request(id)));
    }
    let handling = matches!(
        request.status,
        RequestStatus::Dispatched | RequestStatus::InProgress | RequestStatus::Resolved
    );
    let stage = photo.stage.unwrap_or(if standing.handler && handling {
        PhotoStage::After
    } else {
        PhotoStage::Before
    });
    let (part, in_time) = match stage {
        PhotoStage::Before => (standing.requester, request.status.is_open()),
        PhotoStage::After => (standing.handler, handling),
    };
    only_if(
        part,
        "the requester adds photos of the problem, the handler of the fix",
    )?;
    if !in_time {
        return Err(RuleError::InvalidState {
            from: request.status.into(),
            action: EventAction::Photo,
        });
    }
    if request.photos.iter().filter(|p| p.stage == stage).count() >= PHOTOS_PER_STAGE {
        return Err(RuleError::TooManyPhotos {
            limit: PHOTOS_PER_STAGE,
        });
    }
    let added = RequestPhoto {
        id: photo.photo_id,
        stage,
    };
    Ok(Decision {
        subject: Subject::Request(id),
        replayed: false,
        writes: vec![Write::RequestPhoto {
            request: id,
            photo: added,
        }],
        events: vec![event(
            id,
            EventAction::Photo,
            None,
            None,
            stage.as_str().to_owned(),
        )],
    })
}

/// A wish this decision fulfils resolves the open requests turned into it (read with the
/// wish: [`crate::facts::gather`] brings them whenever a worker acts, and only workers fulfil
/// wishes).
pub(super) fn resolve_fulfilled(decision: &mut Decision, facts: &Facts, ctx: &Context) {
    if decision.replayed {
        return;
    }
    let fulfilled: Vec<WishId> = decision
        .writes
        .iter()
        .filter_map(|write| match write {
            Write::WishCounts {
                wish,
                before,
                after,
            } if after.status == WishStatus::Fulfilled
                && before.status != WishStatus::Fulfilled =>
            {
                Some(*wish)
            }
            _ => None,
        })
        .collect();
    if fulfilled.is_empty() {
        return;
    }
    let mut linked: Vec<(&RequestId, &RequestState)> = facts
        .requests
        .iter()
        .filter(|(_, request)| request.wish.is_some_and(|wish| fulfilled.contains(&wish)))
        .collect();
    linked.sort_by_key(|(id, _)| **id);
    for (id, request) in linked {
        let changes = RequestChanges {
            resolved_at: Some(Some(ctx.now)),
            ..RequestChanges::default()
        };
        if let Ok(resolved) = moved(*id, request, RequestAction::Resolve, changes, String::new()) {
            decision.writes.extend(resolved.writes);
            decision.events.extend(resolved.events);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::command::{ClaimRef, ConfirmClaim};
    use crate::ids::PhotoId;
    use crate::model::{OnBehalf, Urgency};
    use crate::ProblemCode;
    use chrono::Duration;

    fn filing(building: BuildingId) -> NewRequest {
        NewRequest {
            id: RequestId::generate(),
            category: RequestCategory::Cleaning,
            description: "楼道里洒了一地油".into(),
            building_id: building,
            unit: Some("1202室".into()),
            place: Some("2单元楼道".into()),
            urgency: Urgency::Normal,
            contact_ok: true,
            channel: None,
            on_behalf: None,
        }
    }

    fn at(id: RequestId) -> RequestRef {
        RequestRef { request_id: id }
    }

    /// A resident of the community files a request in 32幢.
    fn filed(world: &mut World) -> (RequestId, Actor) {
        let resident = world.of_community(Role::Resident);
        let new = filing(world.building);
        world
            .apply(resident, &Command::FileRequest(new.clone()))
            .unwrap();
        (new.id, resident)
    }

    /// … and a worker of the community accepts it.
    fn accepted(world: &mut World) -> (RequestId, Actor, Actor) {
        let (id, resident) = filed(world);
        let worker = world.worker();
        world
            .apply(worker, &Command::AcceptRequest(at(id)))
            .unwrap();
        (id, resident, worker)
    }

    fn dispatch_to(id: RequestId, kind: HandlerKind, to: Actor) -> Command {
        Command::DispatchRequest(RequestDispatch {
            request_id: id,
            handler: Handler {
                kind,
                user_id: to.user_id().unwrap(),
            },
        })
    }

    fn resolve(id: RequestId, summary: &str) -> Command {
        Command::ResolveRequest(RequestResolution {
            request_id: id,
            note: "换了灯泡".into(),
            public_summary: summary.into(),
        })
    }

    fn reason(id: RequestId, text: &str) -> RequestReason {
        RequestReason {
            request_id: id,
            reason: text.into(),
        }
    }

    fn status(world: &World, id: RequestId) -> RequestStatus {
        world.facts.requests[&id].status
    }

    fn moved_to(decision: &Decision) -> Vec<(RequestStatus, RequestStatus)> {
        decision
            .writes
            .iter()
            .filter_map(|write| match write {
                Write::RequestMoved { from, to, .. } => Some((*from, *to)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_resident_files_in_their_buildings_community_with_its_limits() {
        let mut world = World::new();
        let resident = world.of_community(Role::Resident);
        let new = filing(world.building);
        let decision = world
            .decide(resident, &Command::FileRequest(new.clone()))
            .unwrap();
        let [Write::NewRequest(record)] = decision.writes.as_slice() else {
            panic!("one new request: {:?}", decision.writes)
        };
        assert_eq!(record.community, world.community);
        assert_eq!(record.grid, world.grid, "the grid is the building's");
        assert_eq!(record.requester, resident.user_id().unwrap());
        assert_eq!(record.channel, Channel::App);
        assert_eq!(record.accept_by, now() + Duration::hours(4));
        assert_eq!(record.resolve_by, now() + Duration::hours(72));
        assert_eq!(decision.events[0].action, EventAction::File);
        assert_eq!(decision.events[0].to, Some(RequestStatus::Submitted.into()));
        assert_eq!(decision.written().requests, [new.id]);
        let urgent = NewRequest {
            urgency: Urgency::Urgent,
            ..filing(world.building)
        };
        let Write::NewRequest(record) = &world
            .decide(resident, &Command::FileRequest(urgent))
            .unwrap()
            .writes[0]
        else {
            panic!()
        };
        assert_eq!(record.accept_by, now() + Duration::minutes(30));

        // Sent again: a replay; under someone else's name: a conflict.
        world
            .apply(resident, &Command::FileRequest(new.clone()))
            .unwrap();
        assert!(
            world
                .decide(resident, &Command::FileRequest(new.clone()))
                .unwrap()
                .replayed
        );
        let donor = world.user(Role::Donor);
        assert_eq!(
            world.decide(donor, &Command::FileRequest(new)).unwrap_err(),
            RuleError::IdConflict
        );
        // A donor of no community yet files too; nobody files into another community's
        // building, nor into one that does not exist.
        world
            .decide(donor, &Command::FileRequest(filing(world.building)))
            .unwrap();
        for building in [world.building_elsewhere, BuildingId::generate()] {
            let Err(RuleError::Validation(errors)) =
                world.decide(resident, &Command::FileRequest(filing(building)))
            else {
                panic!("{building}")
            };
            assert_eq!(errors.0[0].field, Field::BuildingId);
            assert_eq!(errors.0[0].code, FieldCode::Unknown);
        }
        assert_eq!(
            world
                .decide(Actor::System, &Command::FileRequest(filing(world.building)))
                .unwrap_err()
                .code(),
            ProblemCode::Forbidden
        );
    }

    #[test]
    fn a_worker_logs_a_request_on_someones_behalf_in_their_own_community() {
        let mut world = World::new();
        let worker = world.worker();
        let phoned = NewRequest {
            channel: Some(Channel::Phone),
            on_behalf: Some(OnBehalf {
                name: Some("王奶奶".into()),
                phone: Some("0513-8888 8888".into()),
            }),
            ..filing(world.building)
        };
        let decision = world
            .decide(worker, &Command::FileRequest(phoned.clone()))
            .unwrap();
        let Write::NewRequest(record) = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(record.requester, worker.user_id().unwrap());
        assert_eq!(record.channel, Channel::Phone);
        assert_eq!(
            record.on_behalf.as_ref().unwrap().name.as_deref(),
            Some("王奶奶")
        );
        let outsider = world.worker_elsewhere();
        assert!(matches!(
            world.decide(outsider, &Command::FileRequest(phoned)),
            Err(RuleError::Validation(errors)) if errors.has(Field::BuildingId)
        ));
        let resident = world.of_community(Role::Resident);
        let on_behalf = NewRequest {
            on_behalf: Some(OnBehalf::default()),
            ..filing(world.building)
        };
        assert!(matches!(
            world.decide(resident, &Command::FileRequest(on_behalf)),
            Err(RuleError::Validation(errors)) if errors.has(Field::OnBehalf)
        ));
    }

    #[test]
    fn only_workers_of_its_community_accept_call_decline_merge_and_convert() {
        let mut world = World::new();
        let (id, resident) = filed(&mut world);
        let (other, _) = filed(&mut world);
        let wish = world.wish(1, WishKind::Service);
        let steps = [
            Command::AcceptRequest(at(id)),
            Command::CallVolunteers(at(id)),
            Command::DeclineRequest(reason(id, "不属于社区事务,请拨打12345")),
            Command::MergeRequest(RequestMerge {
                request_id: id,
                into: other,
            }),
            Command::ConvertRequest(RequestConversion {
                request_id: id,
                wish_id: wish,
            }),
        ];
        let outsider = world.worker_elsewhere();
        let stranger = world.of_community(Role::Resident);
        let party = world.party_member();
        for step in &steps {
            assert_eq!(
                world.decide(resident, step).unwrap_err().code(),
                ProblemCode::Forbidden,
                "the requester sees it, and may not: {step:?}"
            );
            for nobody in [outsider, stranger, party] {
                assert_eq!(
                    world.decide(nobody, step).unwrap_err(),
                    RuleError::NotFound(Entity::Request),
                    "{step:?}"
                );
            }
        }
        let worker = world.worker();
        world
            .decide(
                worker,
                &Command::DeclineRequest(reason(id, "不属于社区事务")),
            )
            .unwrap();
        let accept = world
            .apply(worker, &Command::AcceptRequest(at(id)))
            .unwrap();
        assert_eq!(
            moved_to(&accept),
            [(RequestStatus::Submitted, RequestStatus::Accepted)]
        );
        let Write::RequestMoved { changes, .. } = &accept.writes[0] else {
            panic!()
        };
        assert_eq!(
            changes.accepted_at,
            Some(now()),
            "the response is on the record"
        );
        assert_eq!(
            world
                .decide(worker, &Command::AcceptRequest(at(id)))
                .unwrap_err()
                .code(),
            ProblemCode::InvalidState
        );
        for step in &steps[1..] {
            world.decide(worker, step).unwrap();
        }
    }

    #[test]
    fn a_request_goes_to_a_worker_property_staff_or_an_approved_volunteer_of_its_community() {
        let mut world = World::new();
        let (id, _, worker) = accepted(&mut world);
        let property = world.of_community(Role::Property);
        let elsewhere = World::someone(Role::Property, Some(world.other));
        let property_elsewhere = world.person(elsewhere);
        let donor = world.user(Role::Donor);
        let pending = world.volunteer(VolunteerStatus::Pending);
        for (kind, wrong) in [
            (HandlerKind::Property, property_elsewhere),
            (HandlerKind::Property, donor),
            (HandlerKind::Worker, property),
            (HandlerKind::Volunteer, pending),
        ] {
            let Err(RuleError::Validation(errors)) =
                world.decide(worker, &dispatch_to(id, kind, wrong))
            else {
                panic!("{kind} {wrong:?}")
            };
            assert!(errors.has(Field::Handler));
        }
        let to_property = dispatch_to(id, HandlerKind::Property, property);
        let decision = world.apply(worker, &to_property).unwrap();
        assert_eq!(
            decision.events[0].note, "property",
            "the timeline says to whom"
        );
        assert!(world.decide(worker, &to_property).unwrap().replayed);
        // Handed on: to the worker themself, or an approved volunteer.
        let volunteer = world.volunteer(VolunteerStatus::Approved);
        world
            .decide(worker, &dispatch_to(id, HandlerKind::Volunteer, volunteer))
            .unwrap();
        world
            .apply(worker, &dispatch_to(id, HandlerKind::Worker, worker))
            .unwrap();
        assert_eq!(
            world.facts.requests[&id].handler.unwrap().user_id,
            worker.user_id().unwrap()
        );
        // Property staff see the request no more once it is someone else's.
        assert_eq!(
            world
                .decide(property, &Command::StartRequest(at(id)))
                .unwrap_err(),
            RuleError::NotFound(Entity::Request)
        );
    }

    #[test]
    fn the_handler_starts_notes_and_resolves_and_the_requester_confirms_with_a_rating() {
        let mut world = World::new();
        let (id, resident, worker) = accepted(&mut world);
        let property = world.of_community(Role::Property);
        let stranger = world.of_community(Role::Property);
        world
            .apply(worker, &dispatch_to(id, HandlerKind::Property, property))
            .unwrap();
        for not_handler in [worker, resident] {
            assert_eq!(
                world
                    .decide(not_handler, &Command::StartRequest(at(id)))
                    .unwrap_err()
                    .code(),
                ProblemCode::Forbidden
            );
        }
        world
            .apply(property, &Command::StartRequest(at(id)))
            .unwrap();
        assert_eq!(status(&world, id), RequestStatus::InProgress);
        let note = |text: &str| {
            Command::NoteRequest(RequestNote {
                request_id: id,
                text: text.into(),
            })
        };
        for author in [property, resident, worker] {
            let decision = world.decide(author, &note(" 明早九点上门 ")).unwrap();
            assert_eq!(decision.events[0].note, "明早九点上门");
            assert_eq!(decision.written().requests, [id]);
        }
        assert_eq!(
            world.decide(stranger, &note("看看")).unwrap_err(),
            RuleError::NotFound(Entity::Request)
        );
        assert!(world.decide(property, &note(" ")).is_err());
        let Err(RuleError::Validation(errors)) =
            world.decide(property, &resolve(id, "已清理1202室门口"))
        else {
            panic!("the unit is not for the board")
        };
        assert_eq!(errors.0[0].code, FieldCode::RevealsAddress);
        let decision = world
            .apply(property, &resolve(id, "已清理32幢2单元楼道油污"))
            .unwrap();
        let Write::RequestMoved { changes, to, .. } = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(*to, RequestStatus::Resolved);
        assert_eq!(changes.resolved_at, Some(Some(now())));
        assert_eq!(
            changes.public_summary,
            Some(Some("已清理32幢2单元楼道油污".into()))
        );
        assert_eq!(decision.events[0].note, "换了灯泡");

        let rate = |rating| {
            Command::ConfirmRequest(RequestRating {
                request_id: id,
                rating,
                note: Some("很及时".into()),
            })
        };
        for not_requester in [worker, property] {
            assert_eq!(
                world.decide(not_requester, &rate(5)).unwrap_err().code(),
                ProblemCode::Forbidden
            );
        }
        assert!(world.decide(resident, &rate(6)).is_err());
        let decision = world.apply(resident, &rate(5)).unwrap();
        let Write::RequestMoved { changes, to, .. } = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(*to, RequestStatus::Closed);
        assert_eq!(changes.rating, Some((5, Some("很及时".into()))));
        assert_eq!(changes.closed_at, Some(now()));
        assert_eq!(
            world.decide(resident, &note("谢谢")).unwrap_err().code(),
            ProblemCode::InvalidState,
            "a closed request takes no more notes"
        );
    }

    #[test]
    fn of_two_volunteers_taking_one_call_the_first_holds_it_and_the_second_is_told() {
        let mut world = World::new();
        let (id, resident, worker) = accepted(&mut world);
        let take = Command::TakeCall(at(id));
        let first = world.party_member();
        assert_eq!(
            world.decide(first, &take).unwrap_err(),
            RuleError::NotFound(Entity::Request),
            "not calling yet: nothing to see"
        );
        world
            .apply(worker, &Command::CallVolunteers(at(id)))
            .unwrap();
        assert_eq!(status(&world, id), RequestStatus::Calling);
        let second = world.party_member();
        // Both read it calling; the first's writes land first.
        world.decide(second, &take).unwrap();
        let decision = world.apply(first, &take).unwrap();
        let Write::RequestMoved {
            from,
            handler,
            changes,
            ..
        } = &decision.writes[0]
        else {
            panic!()
        };
        assert_eq!((*from, *handler), (RequestStatus::Calling, None));
        assert_eq!(
            changes.handler,
            Some(Some(Handler {
                kind: HandlerKind::Volunteer,
                user_id: first.user_id().unwrap()
            }))
        );
        let refusal = world.decide(second, &take).unwrap_err();
        assert_eq!(refusal, RuleError::CallTaken);
        assert_eq!(refusal.code(), ProblemCode::CallTaken);
        assert_eq!(refusal.code().status(), 409);
        assert!(world.decide(first, &take).unwrap().replayed);
        // Who else may not take it.
        let not_a_party_member = world.volunteer(VolunteerStatus::Approved);
        let elsewhere = World::someone(Role::Volunteer, Some(world.other));
        let party_elsewhere = world.person(UserState {
            volunteer: Some(VolunteerStatus::Approved),
            party_member: true,
            ..elsewhere
        });
        for nobody in [not_a_party_member, party_elsewhere] {
            assert_eq!(
                world.decide(nobody, &take).unwrap_err(),
                RuleError::NotFound(Entity::Request)
            );
        }
        assert_eq!(
            world.decide(resident, &take).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        // The one who holds it handles it.
        world.apply(first, &Command::StartRequest(at(id))).unwrap();
        world.apply(first, &resolve(id, "")).unwrap();
        assert_eq!(status(&world, id), RequestStatus::Resolved);
    }

    #[test]
    fn the_requester_reopens_within_the_answer_time_else_it_closes_by_itself() {
        let mut world = World::new();
        let (id, resident, worker) = accepted(&mut world);
        world
            .apply(worker, &dispatch_to(id, HandlerKind::Worker, worker))
            .unwrap();
        world.apply(worker, &resolve(id, "已清理")).unwrap();
        let reopen = Command::ReopenRequest(reason(id, "还是很滑"));
        assert_eq!(
            world.decide(worker, &reopen).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        world.now = now() + Duration::days(6);
        let decision = world.apply(resident, &reopen).unwrap();
        let Write::RequestMoved { to, changes, .. } = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(*to, RequestStatus::Accepted);
        assert_eq!(
            (
                changes.handler,
                changes.resolved_at,
                changes.public_summary.clone(),
                changes.reopen_count
            ),
            (Some(None), Some(None), Some(None), Some(1)),
            "back to the workers, off the board, counted"
        );
        assert_eq!(decision.events[0].note, "还是很滑");

        world
            .apply(worker, &dispatch_to(id, HandlerKind::Worker, worker))
            .unwrap();
        world.apply(worker, &resolve(id, "已再次清理")).unwrap();
        let close = Command::CloseRequest(at(id));
        world.now += Duration::days(7) - Duration::minutes(1);
        assert_eq!(
            world.decide(Actor::System, &close).unwrap_err().code(),
            ProblemCode::InvalidState,
            "the requester still has a minute"
        );
        world.now += Duration::minutes(2);
        assert_eq!(
            world.decide(resident, &reopen).unwrap_err().code(),
            ProblemCode::InvalidState,
            "too late to reopen"
        );
        assert_eq!(
            world.decide(worker, &close).unwrap_err().code(),
            ProblemCode::Forbidden
        );
        let decision = world.apply(Actor::System, &close).unwrap();
        assert_eq!(
            moved_to(&decision),
            [(RequestStatus::Resolved, RequestStatus::Closed)]
        );
        assert_eq!(decision.events[0].action, EventAction::Close);
    }

    #[test]
    fn declined_and_merged_requests_are_final() {
        let mut world = World::new();
        let worker = world.worker();
        let (declined, _) = filed(&mut world);
        let (duplicate, _) = filed(&mut world);
        let (original, _) = filed(&mut world);
        let decision = world
            .apply(
                worker,
                &Command::DeclineRequest(reason(declined, "不属于社区事务,请拨打12345")),
            )
            .unwrap();
        let Write::RequestMoved { changes, .. } = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(changes.closed_at, Some(now()));
        assert_eq!(
            world
                .decide(worker, &Command::AcceptRequest(at(declined)))
                .unwrap_err()
                .code(),
            ProblemCode::InvalidState
        );
        let merge = |into| {
            Command::MergeRequest(RequestMerge {
                request_id: duplicate,
                into,
            })
        };
        for wrong in [duplicate, declined, RequestId::generate()] {
            let Err(RuleError::Validation(errors)) = world.decide(worker, &merge(wrong)) else {
                panic!("{wrong}")
            };
            assert!(errors.has(Field::Into));
        }
        let decision = world.apply(worker, &merge(original)).unwrap();
        let Write::RequestMoved { changes, to, .. } = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(
            (*to, changes.merged_into),
            (RequestStatus::Merged, Some(original))
        );
        let timelines: Vec<_> = decision.events.iter().map(|e| e.subject).collect();
        assert_eq!(
            timelines,
            [Subject::Request(duplicate), Subject::Request(original)],
            "both timelines name the other"
        );
        assert_eq!(
            world
                .decide(worker, &Command::AcceptRequest(at(duplicate)))
                .unwrap_err()
                .code(),
            ProblemCode::InvalidState
        );
    }

    #[test]
    fn a_wishs_fulfilment_resolves_the_request_turned_into_it() {
        let mut world = World::new();
        let (id, _, worker) = accepted(&mut world);
        let wish = world.wish(1, WishKind::Item);
        let convert = |wish_id| {
            Command::ConvertRequest(RequestConversion {
                request_id: id,
                wish_id,
            })
        };
        let elsewhere = WishId::generate();
        assert_eq!(
            world.decide(worker, &convert(elsewhere)).unwrap_err(),
            RuleError::NotFound(Entity::Wish)
        );
        let decision = world.apply(worker, &convert(wish)).unwrap();
        let Write::RequestMoved { changes, to, .. } = &decision.writes[0] else {
            panic!()
        };
        assert_eq!(*to, RequestStatus::InProgress);
        assert_eq!(changes.wish_id, Some(wish));
        assert_eq!(
            changes.handler,
            Some(Some(Handler {
                kind: HandlerKind::Worker,
                user_id: worker.user_id().unwrap()
            }))
        );
        assert_eq!(
            decision.events[0].wish, None,
            "never on the wish's public timeline"
        );

        let donor = world.user(Role::Donor);
        let claim = claim_of(wish, 1);
        world
            .apply(donor, &Command::ClaimWish(claim.clone()))
            .unwrap();
        let delivered = world
            .apply(
                donor,
                &Command::MarkDelivered(ClaimRef { claim_id: claim.id }),
            )
            .unwrap();
        assert!(
            moved_to(&delivered).is_empty(),
            "delivered is not fulfilled"
        );
        let confirm = Command::ConfirmClaim(ConfirmClaim {
            claim_id: claim.id,
            minutes: None,
        });
        let decision = world.apply(worker, &confirm).unwrap();
        assert_eq!(
            moved_to(&decision),
            [(RequestStatus::InProgress, RequestStatus::Resolved)]
        );
        assert!(decision
            .events
            .iter()
            .any(|event| event.action == EventAction::Resolve
                && event.subject == Subject::Request(id)));
        assert!(decision.written().requests.contains(&id));
        assert_eq!(status(&world, id), RequestStatus::Resolved);
        // A fulfilled wish takes no more requests.
        let (later, _, _) = accepted(&mut world);
        let refusal = world
            .decide(
                worker,
                &Command::ConvertRequest(RequestConversion {
                    request_id: later,
                    wish_id: wish,
                }),
            )
            .unwrap_err();
        assert_eq!(
            refusal,
            RuleError::InvalidState {
                from: WishStatus::Fulfilled.into(),
                action: EventAction::Convert
            }
        );
    }

    #[test]
    fn a_shops_goods_handed_over_resolve_the_request_turned_into_their_wish_too() {
        use crate::command::{AllocationRef, NewAllocation, NewPledge};
        let mut world = World::new();
        let (id, _, worker) = accepted(&mut world);
        let wish = world.wish(2, WishKind::Item);
        world
            .apply(
                worker,
                &Command::ConvertRequest(RequestConversion {
                    request_id: id,
                    wish_id: wish,
                }),
            )
            .unwrap();
        let shop = world.user(Role::Shopkeeper);
        let pledge = NewPledge {
            id: PledgeId::generate(),
            title: "电暖器".into(),
            category: Category::Daily,
            quantity: Some(2),
            unit: "台".into(),
            variants: Vec::new(),
            available_from: None,
            yearly: false,
            note: String::new(),
            community_id: None,
        };
        world
            .apply(shop, &Command::CreatePledge(pledge.clone()))
            .unwrap();
        let allocation = NewAllocation {
            id: AllocationId::generate(),
            pledge_id: pledge.id,
            wish_id: wish,
            quantity: 2,
            variant: None,
        };
        let allocated = world
            .apply(worker, &Command::AllocatePledge(allocation.clone()))
            .unwrap();
        assert!(moved_to(&allocated).is_empty(), "claimed is not fulfilled");
        let confirm = Command::ConfirmAllocation(AllocationRef {
            allocation_id: allocation.id,
        });
        let decision = world.apply(worker, &confirm).unwrap();
        assert_eq!(
            moved_to(&decision),
            [(RequestStatus::InProgress, RequestStatus::Resolved)]
        );
    }

    #[test]
    fn photos_show_the_problem_from_the_requester_and_the_fix_from_the_handler() {
        let mut world = World::new();
        let (id, resident, worker) = accepted(&mut world);
        let photo = |stage| NewPhoto {
            request_id: id,
            photo_id: PhotoId::generate(),
            stage,
        };
        let add = |world: &mut World, actor, photo: NewPhoto| {
            let decision = decide_photo(&photo, &world.facts, &world.ctx(actor))?;
            for write in &decision.writes {
                if let Write::RequestPhoto { photo, .. } = write {
                    world
                        .facts
                        .requests
                        .get_mut(&id)
                        .unwrap()
                        .photos
                        .push(*photo);
                }
            }
            Ok::<_, RuleError>(decision)
        };
        let first = photo(None);
        let decision = add(&mut world, resident, first).unwrap();
        assert_eq!(
            decision.writes,
            [Write::RequestPhoto {
                request: id,
                photo: RequestPhoto {
                    id: first.photo_id,
                    stage: PhotoStage::Before
                }
            }]
        );
        assert!(
            add(&mut world, resident, first).unwrap().replayed,
            "sent again"
        );
        add(&mut world, resident, photo(None)).unwrap();
        add(&mut world, resident, photo(Some(PhotoStage::Before))).unwrap();
        assert_eq!(
            add(&mut world, resident, photo(None)).unwrap_err(),
            RuleError::TooManyPhotos { limit: 3 }
        );
        assert_eq!(RuleError::TooManyPhotos { limit: 3 }.code().status(), 409);
        assert_eq!(
            add(&mut world, resident, photo(Some(PhotoStage::After)))
                .unwrap_err()
                .code(),
            ProblemCode::Forbidden,
            "the fix is the handler's to show"
        );
        let stranger = world.of_community(Role::Resident);
        assert_eq!(
            add(&mut world, stranger, photo(None)).unwrap_err(),
            RuleError::NotFound(Entity::Request)
        );
        world
            .apply(worker, &dispatch_to(id, HandlerKind::Worker, worker))
            .unwrap();
        let after = add(&mut world, worker, photo(None)).unwrap();
        assert!(matches!(
            after.writes[0],
            Write::RequestPhoto {
                photo: RequestPhoto {
                    stage: PhotoStage::After,
                    ..
                },
                ..
            }
        ));
        world.apply(worker, &resolve(id, "")).unwrap();
        assert_eq!(
            add(&mut world, resident, photo(Some(PhotoStage::Before)))
                .unwrap_err()
                .code(),
            ProblemCode::InvalidState,
            "resolved: the problem's photos are in"
        );
        add(&mut world, worker, photo(None)).unwrap();
    }

    mod lifecycle {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone, Copy)]
        enum Who {
            Requester,
            Worker,
            Property,
            Party,
            System,
        }

        #[derive(Debug, Clone, Copy)]
        enum Step {
            Accept,
            DispatchProperty,
            Call,
            Take,
            Start,
            Resolve,
            Confirm(i64),
            Reopen,
            Decline,
            Close,
            Later(i64),
        }

        fn step() -> impl Strategy<Value = (Step, Who)> {
            let who = prop_oneof![
                Just(Who::Requester),
                Just(Who::Worker),
                Just(Who::Property),
                Just(Who::Party),
                Just(Who::System),
            ];
            let step = prop_oneof![
                Just(Step::Accept),
                Just(Step::DispatchProperty),
                Just(Step::Call),
                Just(Step::Take),
                Just(Step::Start),
                Just(Step::Resolve),
                (0i64..7).prop_map(Step::Confirm),
                Just(Step::Reopen),
                Just(Step::Decline),
                Just(Step::Close),
                (1i64..5).prop_map(Step::Later),
            ];
            (step, who)
        }

        proptest! {
            /// Whoever does whatever in any order, a request's fields agree with its status:
            /// a handler exactly while dispatched or in progress (and kept once resolved), a
            /// resolution time exactly while resolved, a rating only once confirmed, an
            /// acceptance once past `submitted`, reopenings counted; final states stay final.
            #[test]
            fn a_requests_fields_agree_with_its_status(steps in prop::collection::vec(step(), 0..40)) {
                let mut world = World::new();
                let (id, requester) = filed(&mut world);
                let worker = world.worker();
                let property = world.of_community(Role::Property);
                let party = world.party_member();
                let mut reopened = 0;
                let mut rated = false;
                for (step, who) in steps {
                    let actor = match who {
                        Who::Requester => requester,
                        Who::Worker => worker,
                        Who::Property => property,
                        Who::Party => party,
                        Who::System => Actor::System,
                    };
                    let command = match step {
                        Step::Accept => Command::AcceptRequest(at(id)),
                        Step::DispatchProperty => dispatch_to(id, HandlerKind::Property, property),
                        Step::Call => Command::CallVolunteers(at(id)),
                        Step::Take => Command::TakeCall(at(id)),
                        Step::Start => Command::StartRequest(at(id)),
                        Step::Resolve => resolve(id, "已处理"),
                        Step::Confirm(rating) => Command::ConfirmRequest(RequestRating {
                            request_id: id,
                            rating,
                            note: None,
                        }),
                        Step::Reopen => Command::ReopenRequest(reason(id, "没有修好")),
                        Step::Decline => Command::DeclineRequest(reason(id, "不属于社区")),
                        Step::Close => Command::CloseRequest(at(id)),
                        Step::Later(days) => {
                            world.now += Duration::days(days);
                            continue;
                        }
                    };
                    let before = world.facts.requests[&id].clone();
                    let Ok(decision) = world.apply(actor, &command) else {
                        prop_assert_eq!(&world.facts.requests[&id], &before, "a refusal changes nothing");
                        continue;
                    };
                    prop_assert!(!before.status.is_final() || decision.replayed, "{:?} left {}", step, before.status);
                    if matches!(step, Step::Reopen) {
                        reopened += 1;
                    }
                    if matches!(step, Step::Confirm(_)) {
                        rated = true;
                        prop_assert!(matches!(who, Who::Requester));
                    }
                    let request = &world.facts.requests[&id];
                    use RequestStatus::*;
                    match request.status {
                        Submitted => prop_assert!(request.accepted_at.is_none()),
                        _ => prop_assert!(request.accepted_at.is_some() || request.status == Declined),
                    }
                    match request.status {
                        Submitted | Accepted | Calling => prop_assert!(request.handler.is_none()),
                        Dispatched | InProgress => prop_assert!(request.handler.is_some()),
                        _ => {}
                    }
                    prop_assert_eq!(
                        request.resolved_at.is_some(),
                        request.status.is_resolved(),
                        "{}", request.status
                    );
                    prop_assert_eq!(request.reopen_count, reopened);
                    prop_assert!(!rated || request.status == Closed);
                }
            }
        }
    }
}
