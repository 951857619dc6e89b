//! Who is told of what: each command walked through a small world, with everyone who was told
//! and of what (and so nobody else).

use super::*;
use crate::command::{
    AllocationRef, CancelWish, ClaimRef, Command, ConfirmClaim, MarkNoticesRead, NewAllocation,
    NewPledge, NewRequest, RecordThanks, RejectClaim, ReleaseClaim, RequestDispatch, RequestRating,
    RequestReason, RequestRef, RequestReminder, RequestResolution, ThankShop, VolunteerDecision,
};
use crate::decide::testing::{claim_of, World};
use crate::decide::{decide, Team};
use crate::ids::PledgeId;
use crate::model::{Category, Handler, RequestCategory, Role, WishKind};

/// The world with everyone the tests tell (or must not).
struct Town {
    world: World,
    donor: Actor,
    other_donor: Actor,
    worker: Actor,
    second_worker: Actor,
    worker_elsewhere: Actor,
    volunteer: Actor,
    party_member: Actor,
    resident: Actor,
    property: Actor,
    shop: Actor,
}

use crate::command::Actor;

fn id(actor: Actor) -> UserId {
    actor.user_id().expect("a person")
}

impl Town {
    fn new() -> Town {
        let mut world = World::new();
        let donor = world.user(Role::Donor);
        let other_donor = world.user(Role::Donor);
        let worker = world.worker();
        let second_worker = world.worker();
        let worker_elsewhere = world.worker_elsewhere();
        let volunteer = world.volunteer(crate::model::VolunteerStatus::Pending);
        let party_member = world.party_member();
        let resident = world.of_community(Role::Resident);
        let property = world.of_community(Role::Property);
        let shop = world.user(Role::Shopkeeper);
        // The team the server's store reads for the community (its workers, party members).
        let member = |actor: Actor| crate::decide::Member {
            id: id(actor),
            grid: None,
        };
        world.facts.teams.insert(
            world.community,
            Team {
                workers: vec![member(worker), member(second_worker)],
                party_members: vec![member(party_member)],
            },
        );
        world.facts.teams.insert(
            world.other,
            Team {
                workers: vec![member(worker_elsewhere)],
                party_members: Vec::new(),
            },
        );
        Town {
            world,
            donor,
            other_donor,
            worker,
            second_worker,
            worker_elsewhere,
            volunteer,
            party_member,
            resident,
            property,
            shop,
        }
    }

    /// Carries `command` out as `actor`: whom it told, of what, sorted.
    fn told(&mut self, actor: Actor, command: &Command) -> Vec<(UserId, NoticeKind)> {
        let drafts = self.drafts(actor, command);
        let mut told: Vec<(UserId, NoticeKind)> = drafts
            .iter()
            .map(|draft| (draft.user, draft.kind))
            .collect();
        told.sort();
        told
    }

    fn drafts(&mut self, actor: Actor, command: &Command) -> Vec<NoticeDraft> {
        let ctx = self.world.ctx(actor);
        let decision = decide(command, &self.world.facts, &ctx).expect("the command is allowed");
        let drafts = super::drafts(&decision, &self.world.facts, &ctx);
        assert!(
            drafts.is_empty() || may_tell(&decision),
            "the sender would sleep through {command:?}"
        );
        self.world.apply(actor, command).unwrap();
        drafts
    }

    /// The givers the server's store reads for `wish` (claimers holding its units).
    fn read_givers(&mut self, wish: WishId) {
        let givers = self
            .world
            .facts
            .claims
            .values()
            .filter(|claim| claim.wish_id == wish && claim.status.holds_units())
            .map(|claim| claim.owner)
            .collect();
        self.world.facts.givers.insert(wish, givers);
    }

    fn claim(&mut self, donor: Actor, wish: WishId) -> ClaimId {
        let claim = claim_of(wish, 1);
        self.world
            .apply(donor, &Command::ClaimWish(claim.clone()))
            .unwrap();
        claim.id
    }

    fn deliver(&mut self, donor: Actor, claim: ClaimId) {
        self.world
            .apply(donor, &Command::MarkDelivered(ClaimRef { claim_id: claim }))
            .unwrap();
    }

    fn file(&mut self, by: Actor, urgency: Urgency) -> RequestId {
        let new = NewRequest {
            id: RequestId::generate(),
            category: RequestCategory::Repair,
            description: "楼道灯坏了".into(),
            building_id: self.world.building,
            unit: None,
            place: None,
            urgency,
            contact_ok: true,
            channel: None,
            on_behalf: None,
        };
        self.world
            .apply(by, &Command::FileRequest(new.clone()))
            .unwrap();
        new.id
    }
}

fn confirm(claim: ClaimId) -> Command {
    Command::ConfirmClaim(ConfirmClaim {
        claim_id: claim,
        minutes: None,
    })
}

fn reject(claim: ClaimId) -> Command {
    Command::RejectClaim(RejectClaim {
        claim_id: claim,
        reason: "物品不符".into(),
    })
}

#[test]
fn a_confirmation_tells_its_claimer_and_a_fulfilment_every_giver() {
    let mut town = Town::new();
    let wish = town.world.wish(2, WishKind::Item);
    let (donor, other) = (town.donor, town.other_donor);
    let first = town.claim(donor, wish);
    let second = town.claim(other, wish);
    town.deliver(donor, first);
    town.deliver(other, second);
    let worker = town.worker;
    assert_eq!(
        town.told(worker, &confirm(first)),
        vec![(id(donor), NoticeKind::ClaimConfirmed)],
        "the wish is not fulfilled yet: nobody else"
    );
    town.read_givers(wish);
    let mut expected = vec![
        (id(other), NoticeKind::ClaimConfirmed),
        (id(other), NoticeKind::WishFulfilled),
        (id(donor), NoticeKind::WishFulfilled),
    ];
    expected.sort();
    assert_eq!(town.told(worker, &confirm(second)), expected);
}

#[test]
fn a_rejection_tells_the_donor_of_that_claim_only() {
    let mut town = Town::new();
    let wish = town.world.wish(3, WishKind::Item);
    let (donor, other) = (town.donor, town.other_donor);
    let claim = town.claim(donor, wish);
    town.claim(other, wish);
    town.deliver(donor, claim);
    let worker = town.worker;
    assert_eq!(
        town.told(worker, &reject(claim)),
        vec![(id(donor), NoticeKind::ClaimRejected)]
    );
}

#[test]
fn what_a_claimer_does_themself_tells_nobody() {
    let mut town = Town::new();
    let wish = town.world.wish(3, WishKind::Item);
    let donor = town.donor;
    let claim = claim_of(wish, 2);
    let ctx = town.world.ctx(donor);
    let claimed = decide(&Command::ClaimWish(claim.clone()), &town.world.facts, &ctx).unwrap();
    assert!(!may_tell(&claimed), "a claim wakes no sender");
    assert!(town
        .told(donor, &Command::ClaimWish(claim.clone()))
        .is_empty());
    let release = Command::ReleaseClaim(ReleaseClaim {
        claim_id: claim.id,
        quantity: Some(1),
    });
    assert!(town.told(donor, &release).is_empty());
    let deliver = Command::MarkDelivered(ClaimRef { claim_id: claim.id });
    assert!(town.told(donor, &deliver).is_empty());
}

#[test]
fn the_hold_timer_reminds_then_expires_and_tells_the_claimer() {
    let mut town = Town::new();
    let wish = town.world.wish(3, WishKind::Item);
    let donor = town.donor;
    let claim = town.claim(donor, wish);
    town.claim(town.other_donor, wish);
    let remind = Command::RemindClaim(ClaimRef { claim_id: claim });
    let drafts = town.drafts(Actor::System, &remind);
    assert_eq!(drafts.len(), 1);
    assert_eq!(
        (drafts[0].user, drafts[0].kind),
        (id(donor), NoticeKind::ClaimExpiring)
    );
    assert_eq!(drafts[0].refs.claim_id, Some(claim));
    assert_eq!(drafts[0].refs.wish_id, Some(wish));
    let expire = Command::ExpireClaim(ClaimRef { claim_id: claim });
    assert_eq!(
        town.told(Actor::System, &expire),
        vec![(id(donor), NoticeKind::ClaimExpired)]
    );
}

#[test]
fn thanks_reach_the_claimer_and_the_shop() {
    let mut town = Town::new();
    let wish = town.world.wish(1, WishKind::Item);
    let donor = town.donor;
    let claim = town.claim(donor, wish);
    town.deliver(donor, claim);
    let worker = town.worker;
    town.world.apply(worker, &confirm(claim)).unwrap();
    let thanks = Command::RecordThanks(RecordThanks {
        claim_id: claim,
        text: "谢谢您的书包".into(),
    });
    assert_eq!(
        town.told(worker, &thanks),
        vec![(id(donor), NoticeKind::ThanksReceived)]
    );
}

#[test]
fn a_cancelled_wish_tells_everyone_whose_claim_it_ended() {
    let mut town = Town::new();
    let wish = town.world.wish(3, WishKind::Item);
    let (donor, other) = (town.donor, town.other_donor);
    let claim = town.claim(donor, wish);
    town.claim(other, wish);
    town.deliver(donor, claim);
    let cancel = Command::CancelWish(CancelWish {
        wish_id: wish,
        reason: "受助人已搬离".into(),
    });
    let mut expected = vec![
        (id(donor), NoticeKind::WishWithdrawn),
        (id(other), NoticeKind::WishWithdrawn),
    ];
    expected.sort();
    assert_eq!(town.told(town.worker, &cancel), expected);
}

#[test]
fn a_volunteer_hears_of_their_approval_and_suspension_only() {
    let mut town = Town::new();
    let volunteer = town.volunteer;
    let decision = VolunteerDecision {
        user_id: id(volunteer),
        note: "已面谈".into(),
        party_member: None,
    };
    let worker = town.worker;
    assert_eq!(
        town.told(worker, &Command::ApproveVolunteer(decision.clone())),
        vec![(id(volunteer), NoticeKind::VolunteerApproved)]
    );
    let visit = town.world.wish(1, WishKind::Service);
    let slot_start = town.world.now + chrono::Duration::days(1);
    let booking = crate::command::ClaimWish {
        slot_start: Some(slot_start),
        slot_end: Some(slot_start + chrono::Duration::hours(1)),
        ..claim_of(visit, 1)
    };
    town.world
        .apply(volunteer, &Command::ClaimWish(booking))
        .unwrap();
    let suspension = VolunteerDecision {
        note: "多次爽约".into(),
        ..decision
    };
    assert_eq!(
        town.told(worker, &Command::SuspendVolunteer(suspension)),
        vec![(id(volunteer), NoticeKind::VolunteerSuspended)],
        "the house call it ended is part of the suspension"
    );
}

#[test]
fn a_volunteer_turned_away_before_approval_hears_it_was_declined() {
    let mut town = Town::new();
    let volunteer = town.volunteer;
    let decline = VolunteerDecision {
        user_id: id(volunteer),
        note: "需先到驿站当面登记".into(),
        party_member: None,
    };
    let worker = town.worker;
    assert_eq!(
        town.told(worker, &Command::SuspendVolunteer(decline)),
        vec![(id(volunteer), NoticeKind::VolunteerDeclined)]
    );
}

#[test]
fn a_shop_hears_where_its_goods_went() {
    let mut town = Town::new();
    let shop = town.shop;
    let pledge = NewPledge {
        id: PledgeId::generate(),
        title: "儿童鞋".into(),
        category: Category::Clothing,
        quantity: Some(10),
        unit: "双".into(),
        variants: Vec::new(),
        available_from: None,
        yearly: false,
        note: String::new(),
        community_id: None,
    };
    assert!(town
        .told(shop, &Command::CreatePledge(pledge.clone()))
        .is_empty());
    let wish = town.world.wish(2, WishKind::Item);
    let allocation = NewAllocation {
        id: crate::ids::AllocationId::generate(),
        pledge_id: pledge.id,
        wish_id: wish,
        quantity: 2,
        variant: None,
    };
    let worker = town.worker;
    let drafts = town.drafts(worker, &Command::AllocatePledge(allocation.clone()));
    assert_eq!(drafts.len(), 1);
    assert_eq!(
        (drafts[0].user, drafts[0].kind),
        (id(shop), NoticeKind::AllocationMade)
    );
    assert_eq!(drafts[0].refs.allocation_id, Some(allocation.id));
    assert_eq!(drafts[0].refs.pledge_id, Some(pledge.id));
    let target = AllocationRef {
        allocation_id: allocation.id,
    };
    assert!(town
        .told(shop, &Command::DeliverAllocation(target.clone()))
        .is_empty());
    town.world.facts.givers.insert(wish, vec![id(shop)]);
    assert_eq!(
        town.told(worker, &Command::ConfirmAllocation(target)),
        vec![
            (id(shop), NoticeKind::WishFulfilled),
            (id(shop), NoticeKind::AllocationConfirmed),
        ]
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    let thanks = Command::ThankShop(ThankShop {
        allocation_id: allocation.id,
        text: "孩子们很喜欢".into(),
    });
    assert_eq!(
        town.told(worker, &thanks),
        vec![(id(shop), NoticeKind::ThanksReceived)]
    );
}

fn sorted(mut told: Vec<(UserId, NoticeKind)>) -> Vec<(UserId, NoticeKind)> {
    told.sort();
    told
}

#[test]
fn a_request_tells_its_grid_its_requester_and_whom_it_goes_to() {
    let mut town = Town::new();
    let (resident, worker, second) = (town.resident, town.worker, town.second_worker);
    let new = NewRequest {
        id: RequestId::generate(),
        category: RequestCategory::Repair,
        description: "楼道灯坏了".into(),
        building_id: town.world.building,
        unit: None,
        place: None,
        urgency: Urgency::Normal,
        contact_ok: true,
        channel: None,
        on_behalf: None,
    };
    let request = new.id;
    assert_eq!(
        town.told(resident, &Command::FileRequest(new)),
        sorted(vec![
            (id(worker), NoticeKind::RequestNew),
            (id(second), NoticeKind::RequestNew),
        ]),
        "the workers of its community, not another's"
    );
    let target = RequestRef {
        request_id: request,
    };
    assert_eq!(
        town.told(worker, &Command::AcceptRequest(target)),
        vec![(id(resident), NoticeKind::RequestAccepted)]
    );
    let property = town.property;
    let dispatch = Command::DispatchRequest(RequestDispatch {
        request_id: request,
        handler: Handler {
            kind: crate::model::HandlerKind::Property,
            user_id: id(property),
        },
    });
    assert_eq!(
        town.told(worker, &dispatch),
        sorted(vec![
            (id(resident), NoticeKind::RequestDispatched),
            (id(property), NoticeKind::RequestAssigned),
        ])
    );
    assert!(town
        .told(property, &Command::StartRequest(target))
        .is_empty());
    let resolve = Command::ResolveRequest(RequestResolution {
        request_id: request,
        note: "已换灯泡".into(),
        public_summary: "楼道灯已修好".into(),
    });
    assert_eq!(
        town.told(property, &resolve),
        vec![(id(resident), NoticeKind::RequestResolved)]
    );
    let rating = Command::ConfirmRequest(RequestRating {
        request_id: request,
        rating: 5,
        note: None,
    });
    assert!(
        town.told(resident, &rating).is_empty(),
        "the requester closed it themself"
    );
}

#[test]
fn a_call_goes_to_the_party_members_and_its_taking_to_the_requester() {
    let mut town = Town::new();
    let (resident, worker, party) = (town.resident, town.worker, town.party_member);
    let request = town.file(resident, Urgency::Urgent);
    let target = RequestRef {
        request_id: request,
    };
    town.world
        .apply(worker, &Command::AcceptRequest(target))
        .unwrap();
    let drafts = town.drafts(worker, &Command::CallVolunteers(target));
    assert_eq!(
        drafts
            .iter()
            .map(|d| (d.user, d.kind, d.urgent))
            .collect::<Vec<_>>(),
        vec![(id(party), NoticeKind::CallForVolunteers, true)],
        "an approved party member of the community; not a volunteer who is not one"
    );
    assert_eq!(
        town.told(party, &Command::TakeCall(target)),
        vec![(id(resident), NoticeKind::RequestDispatched)]
    );
}

#[test]
fn a_request_that_ends_tells_its_requester() {
    let mut town = Town::new();
    let (resident, worker) = (town.resident, town.worker);
    for end in ["decline", "close"] {
        let request = town.file(resident, Urgency::Normal);
        let target = RequestRef {
            request_id: request,
        };
        let (actor, command) = if end == "decline" {
            let reason = RequestReason {
                request_id: request,
                reason: "不属于社区事务, 请拨打12345".into(),
            };
            (worker, Command::DeclineRequest(reason))
        } else {
            town.world
                .apply(worker, &Command::AcceptRequest(target))
                .unwrap();
            let resolve = Command::ResolveRequest(RequestResolution {
                request_id: request,
                note: "已处理".into(),
                public_summary: "已处理".into(),
            });
            town.world.apply(worker, &resolve).unwrap();
            town.world.now += chrono::Duration::days(8);
            (Actor::System, Command::CloseRequest(target))
        };
        assert_eq!(
            town.told(actor, &command),
            vec![(id(resident), NoticeKind::RequestClosed)],
            "{end}"
        );
    }
}

#[test]
fn an_overdue_request_tells_every_worker_of_its_community_once_per_limit() {
    let mut town = Town::new();
    let resident = town.resident;
    let request = town.file(resident, Urgency::Normal);
    let remind = |limit| {
        Command::RemindRequest(RequestReminder {
            request_id: request,
            limit,
        })
    };
    let accept = town.drafts(Actor::System, &remind(Overdue::Accept));
    let mut told: Vec<_> = accept.iter().map(|d| (d.user, d.kind)).collect();
    told.sort();
    assert_eq!(
        told,
        sorted(vec![
            (id(town.worker), NoticeKind::RequestOverdue),
            (id(town.second_worker), NoticeKind::RequestOverdue),
        ])
    );
    let resolve = town.drafts(Actor::System, &remind(Overdue::Resolve));
    assert_eq!(resolve.len(), 2);
    assert!(
        resolve
            .iter()
            .all(|late| accept.iter().all(|a| a.id != late.id)),
        "each limit is its own notice"
    );
    // Not accepted in time is a refusal once it is accepted.
    let worker = town.worker;
    town.world
        .apply(
            worker,
            &Command::AcceptRequest(RequestRef {
                request_id: request,
            }),
        )
        .unwrap();
    let ctx = town.world.ctx(Actor::System);
    assert!(decide(&remind(Overdue::Accept), &town.world.facts, &ctx).is_err());
    assert!(
        decide(
            &remind(Overdue::Resolve),
            &town.world.facts,
            &town.world.ctx(worker)
        )
        .is_err(),
        "only the system reminds"
    );
}

#[test]
fn a_new_request_goes_to_the_workers_of_its_grid_when_it_has_some() {
    let mut town = Town::new();
    let grid_one = town.worker;
    let grid = town.world.grid.clone();
    let team = town
        .world
        .facts
        .teams
        .get_mut(&town.world.community)
        .unwrap();
    team.workers[0].grid = Some(grid);
    team.workers[1].grid = Some(GridId::from("grid-2"));
    let resident = town.resident;
    let new = NewRequest {
        id: RequestId::generate(),
        category: RequestCategory::Safety,
        description: "楼道有油".into(),
        building_id: town.world.building,
        unit: None,
        place: None,
        urgency: Urgency::Normal,
        contact_ok: false,
        channel: None,
        on_behalf: None,
    };
    assert_eq!(
        town.told(resident, &Command::FileRequest(new)),
        vec![(id(grid_one), NoticeKind::RequestNew)]
    );
}

#[test]
fn a_worker_logging_a_request_is_not_told_of_it() {
    let mut town = Town::new();
    let (worker, second) = (town.worker, town.second_worker);
    let new = NewRequest {
        id: RequestId::generate(),
        category: RequestCategory::Help,
        description: "王奶奶需要有人陪同去医院".into(),
        building_id: town.world.building,
        unit: None,
        place: None,
        urgency: Urgency::Normal,
        contact_ok: false,
        channel: Some(crate::model::Channel::Phone),
        on_behalf: None,
    };
    assert_eq!(
        town.told(worker, &Command::FileRequest(new)),
        vec![(id(second), NoticeKind::RequestNew)]
    );
    let _ = town.worker_elsewhere;
}

#[test]
fn a_replay_tells_nobody_and_one_event_makes_one_id() {
    let mut town = Town::new();
    let wish = town.world.wish(2, WishKind::Item);
    let donor = town.donor;
    let claim = town.claim(donor, wish);
    town.deliver(donor, claim);
    let worker = town.worker;
    let ctx = town.world.ctx(worker);
    let decision = decide(&confirm(claim), &town.world.facts, &ctx).unwrap();
    let first = drafts(&decision, &town.world.facts, &ctx);
    let later = Context {
        now: ctx.now + chrono::Duration::minutes(5),
        ..ctx
    };
    let again = drafts(&decision, &town.world.facts, &later);
    assert_eq!(
        first, again,
        "a claim is confirmed once: its notice has one id"
    );
    let replayed = Decision {
        replayed: true,
        ..decision
    };
    assert!(drafts(&replayed, &town.world.facts, &ctx).is_empty());
}

#[test]
fn a_step_that_happens_again_is_told_again() {
    let user = UserId::generate();
    let about = user.0;
    assert_ne!(
        NoticeDraft::id_for(NoticeKind::VolunteerApproved, about, "1", user),
        NoticeDraft::id_for(NoticeKind::VolunteerApproved, about, "2", user)
    );
    assert_eq!(
        NoticeDraft::id_for(NoticeKind::VolunteerApproved, about, "1", user),
        NoticeDraft::id_for(NoticeKind::VolunteerApproved, about, "1", user)
    );
    assert_ne!(
        NoticeDraft::id_for(NoticeKind::VolunteerApproved, about, "1", user),
        NoticeDraft::id_for(
            NoticeKind::VolunteerApproved,
            about,
            "1",
            UserId::generate()
        )
    );
}

#[test]
fn marking_notices_read_is_the_owners_alone() {
    let mut town = Town::new();
    let donor = town.donor;
    let (mine, theirs) = (NoticeId::generate(), NoticeId::generate());
    town.world.facts.notices.insert(
        mine,
        crate::decide::NoticeState {
            user: id(donor),
            read: false,
        },
    );
    town.world.facts.notices.insert(
        theirs,
        crate::decide::NoticeState {
            user: id(town.other_donor),
            read: false,
        },
    );
    let mark = |ids: Vec<NoticeId>| Command::MarkNoticesRead(MarkNoticesRead { ids, all: false });
    let refused = town
        .world
        .decide(donor, &mark(vec![mine, theirs]))
        .unwrap_err();
    assert_eq!(refused, crate::RuleError::NotFound(crate::Entity::Notice));
    assert!(town.told(donor, &mark(vec![mine])).is_empty());
    assert!(town.world.facts.notices[&mine].read);
    assert!(!town.world.facts.notices[&theirs].read);
    assert!(
        town.world
            .decide(donor, &mark(vec![mine]))
            .unwrap()
            .replayed,
        "read again: nothing changes"
    );
    let all = Command::MarkNoticesRead(MarkNoticesRead {
        ids: Vec::new(),
        all: true,
    });
    let decision = town.world.decide(donor, &all).unwrap();
    assert_eq!(
        decision.writes,
        vec![Write::NoticesRead {
            user: id(donor),
            ids: Vec::new(),
            all: true
        }]
    );
    assert!(town.world.decide(Actor::System, &all).is_err());
}

#[test]
fn an_sms_waits_for_the_morning_unless_urgent() {
    use chrono::TimeZone;
    // 22:30 China time (14:30 UTC) on 1 July: held until 08:00 on 2 July.
    let night = Utc.with_ymd_and_hms(2026, 7, 1, 14, 30, 0).unwrap();
    let morning = Utc.with_ymd_and_hms(2026, 7, 2, 0, 0, 0).unwrap();
    assert_eq!(sms_due(night, false), morning);
    assert_eq!(sms_due(night, true), night);
    // 06:00 China time: held until 08:00 the same day.
    let dawn = Utc.with_ymd_and_hms(2026, 7, 1, 22, 0, 0).unwrap();
    assert_eq!(sms_due(dawn, false), morning);
    // 10:00 and 20:59 China time: at once.
    let day = Utc.with_ymd_and_hms(2026, 7, 2, 2, 0, 0).unwrap();
    assert_eq!(sms_due(day, false), day);
    let evening = Utc.with_ymd_and_hms(2026, 7, 2, 12, 59, 0).unwrap();
    assert_eq!(sms_due(evening, false), evening);
}

#[test]
fn retries_back_off_to_an_hour() {
    assert_eq!(retry_after(1), Duration::seconds(10));
    assert_eq!(retry_after(2), Duration::seconds(20));
    assert_eq!(retry_after(5), Duration::seconds(160));
    assert_eq!(retry_after(40), Duration::hours(1));
}

#[test]
fn what_leaves_the_app_is_kind_and_ids() {
    let notice = Notice {
        id: NoticeId::generate(),
        user: UserId::generate(),
        kind: NoticeKind::ClaimExpiring,
        refs: NoticeRefs {
            claim_id: Some(ClaimId::generate()),
            wish_id: Some(WishId::generate()),
            ..NoticeRefs::default()
        },
        created_at: crate::decide::testing::now(),
        read_at: None,
    };
    let payload = serde_json::to_value(PushPayload::of(&notice)).unwrap();
    let keys: Vec<&str> = payload
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, vec!["id", "kind", "refs"]);
    assert!(payload.get("user").is_none());
    let params = sms_params(&notice);
    assert_eq!(params.as_object().unwrap().len(), 2, "the ids only");
}

#[test]
fn every_kind_reaches_some_role_and_each_role_only_its_own() {
    for kind in NoticeKind::ALL {
        assert!(
            Role::ALL.iter().any(|role| kinds_for(*role).contains(kind)),
            "{kind} reaches nobody"
        );
    }
    let donor = kinds_for(Role::Donor);
    assert!(donor.contains(&NoticeKind::ClaimConfirmed));
    assert!(
        donor.contains(&NoticeKind::RequestResolved),
        "donors file requests too"
    );
    assert!(!donor.contains(&NoticeKind::RequestNew));
    assert!(!donor.contains(&NoticeKind::AllocationMade));
    let worker = kinds_for(Role::Worker);
    assert_eq!(
        worker,
        [
            NoticeKind::RequestNew,
            NoticeKind::RequestOverdue,
            NoticeKind::RequestAssigned
        ]
    );
    let shop = kinds_for(Role::Shopkeeper);
    assert!(shop.contains(&NoticeKind::AllocationConfirmed));
    assert!(shop.contains(&NoticeKind::ThanksReceived));
    assert!(!shop.contains(&NoticeKind::ClaimConfirmed));
    assert!(kinds_for(Role::Volunteer).contains(&NoticeKind::CallForVolunteers));
    assert!(kinds_for(Role::Property).contains(&NoticeKind::RequestAssigned));
    assert!(!kinds_for(Role::Resident).contains(&NoticeKind::RequestAssigned));
}
