//! A volunteer's service certificate (志愿服务时长证明): the period a volunteer asks for, what
//! it counts of their confirmed house calls (the report's own facts and minutes, see
//! [`crate::stats::HouseCallFact`] and [`crate::command::volunteer_minutes`]), who may issue
//! and revoke one, and what its public verification page shows (totals, never a household).
//!
//! The totals are a snapshot taken when it is issued: the paper and the verification page
//! read the same stored numbers, whatever is confirmed later.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::ids::{CertificateId, CommunityId, UserId};
use crate::model::{Entity, Role, VolunteerStatus};
use crate::stats::{HouseCallFact, Period};
use crate::visibility::Viewer;

/// The longest period one certificate covers (five years).
pub const MAX_DAYS: i64 = 5 * 366;

/// `POST /api/certificates`: the community days to count, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IssueCertificate {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// `POST /api/certificates/{id}/revoke`: why (required; the volunteer reads it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeCertificate {
    pub reason: String,
}

impl RevokeCertificate {
    /// The reason, trimmed, if it is long enough to mean something (as every reason).
    pub fn validate(&self) -> Result<String, RuleError> {
        crate::validate::only_text(Field::Reason, &self.reason, crate::command::REASON_CHARS)
    }
}

/// A certificate as it is shown: on the volunteer's list, a worker's, and (with no reason for
/// a revocation, see [`Certificate::public`]) to anyone holding its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Certificate {
    pub id: CertificateId,
    /// The volunteer's display name when it was issued.
    pub volunteer_name: String,
    pub community_name: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// Confirmed house calls in the period.
    pub visits: u32,
    /// Their volunteer minutes.
    pub minutes: u32,
    /// The workers who confirmed them (display names, each once).
    pub confirmed_by: Vec<String>,
    pub issued_at: DateTime<Utc>,
    #[serde(default)]
    pub revoked_at: Option<DateTime<Utc>>,
    /// For the volunteer and the community's workers only.
    #[serde(default)]
    pub revoke_reason: Option<String>,
    /// Not revoked.
    pub valid: bool,
}

impl Certificate {
    /// What anyone with the link sees: the same totals and whether it is still valid, without
    /// the worker's words on why it was revoked (they may speak of people).
    pub fn public(self) -> Certificate {
        Certificate {
            revoke_reason: None,
            ..self
        }
    }

    /// Whether `revoked_at` leaves it valid (one definition for every view of it).
    pub fn is_valid(revoked_at: Option<DateTime<Utc>>) -> bool {
        revoked_at.is_none()
    }
}

/// What a certificate counts: the volunteer's confirmed house calls in its period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub visits: u32,
    pub minutes: u32,
    /// The workers who confirmed them, in the order of their first confirmation.
    pub confirmed_by: Vec<UserId>,
}

/// The period a volunteer asks for, checked against `today` (a community day): it ends no
/// earlier than it starts, not after today, and spans at most [`MAX_DAYS`].
pub fn period(request: &IssueCertificate, today: NaiveDate) -> Result<Period, RuleError> {
    let mut errors = ValidationErrors::default();
    if request.to < request.from {
        errors.add(Field::To, FieldCode::BeforeStart, "must not be before from");
    } else if (request.to - request.from).num_days() > MAX_DAYS {
        errors.add(
            Field::From,
            FieldCode::TooLong,
            "at most five years at a time",
        );
    }
    if request.to > today {
        errors.add(Field::To, FieldCode::InTheFuture, "must not be after today");
    }
    errors.into_result(Period {
        from: request.from,
        to: request.to,
    })
}

/// The totals of `volunteer`'s house calls confirmed in `period` (by community day, as the
/// report counts them), or a refusal when there is none: a certificate proves some service.
pub fn totals(
    volunteer: UserId,
    period: Period,
    calls: &[HouseCallFact],
) -> Result<Totals, RuleError> {
    let mut totals = Totals {
        visits: 0,
        minutes: 0,
        confirmed_by: Vec::new(),
    };
    for call in calls
        .iter()
        .filter(|call| call.volunteer == volunteer && period.contains(call.confirmed_at))
    {
        totals.visits += 1;
        totals.minutes += call.minutes;
        if let Some(worker) = call.confirmed_by {
            if !totals.confirmed_by.contains(&worker) {
                totals.confirmed_by.push(worker);
            }
        }
    }
    if totals.visits == 0 {
        return Err(RuleError::NoConfirmedVisits);
    }
    Ok(totals)
}

/// Who may issue a certificate: a volunteer a worker has approved (now or before: a suspended
/// volunteer's past service still counts), of a community. Their community is the one whose
/// house calls are counted.
pub fn may_issue(viewer: &Viewer) -> Result<CommunityId, RuleError> {
    if viewer.role != Role::Volunteer {
        return Err(RuleError::Forbidden {
            reason: "certificates are for volunteers",
        });
    }
    match (viewer.volunteer, viewer.community) {
        (Some(VolunteerStatus::Approved | VolunteerStatus::Suspended), Some(community)) => {
            Ok(community)
        }
        _ => Err(RuleError::VolunteerNotApproved),
    }
}

/// Who may revoke a certificate, or list a volunteer's: a worker of its community. Another
/// community's worker is told it does not exist (communities are sealed); anyone else may not.
pub fn may_manage(viewer: &Viewer, community: CommunityId) -> Result<(), RuleError> {
    if viewer.role != Role::Worker || viewer.community.is_none() {
        return Err(RuleError::Forbidden {
            reason: "for community workers only",
        });
    }
    if viewer.works_in(Some(community)) {
        Ok(())
    } else {
        Err(RuleError::NotFound(Entity::Certificate))
    }
}

/// Whether `viewer` may read the revocation's reason of a certificate `owner` holds in
/// `community`: the volunteer and the community's workers.
pub fn sees_reason(viewer: Option<&Viewer>, owner: UserId, community: CommunityId) -> bool {
    viewer.is_some_and(|viewer| viewer.id == owner || viewer.works_in(Some(community)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::GridId;
    use crate::ProblemCode;
    use chrono::TimeZone;

    fn date(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, month, day, hour, 0, 0).unwrap()
    }

    fn call(volunteer: UserId, at: DateTime<Utc>, minutes: u32, by: UserId) -> HouseCallFact {
        HouseCallFact {
            grid: GridId::from("grid-1"),
            volunteer,
            confirmed_at: at,
            minutes,
            confirmed_by: Some(by),
        }
    }

    fn viewer(
        role: Role,
        volunteer: Option<VolunteerStatus>,
        community: Option<CommunityId>,
    ) -> Viewer {
        Viewer {
            id: UserId::generate(),
            role,
            community,
            volunteer,
            party_member: false,
        }
    }

    #[test]
    fn totals_count_only_the_volunteers_calls_confirmed_in_the_period() {
        let (me, other) = (UserId::generate(), UserId::generate());
        let (wang, li) = (UserId::generate(), UserId::generate());
        let calls = [
            call(me, at(3, 2, 2), 60, wang),
            call(me, at(3, 9, 2), 90, li),
            call(me, at(4, 1, 2), 30, wang),
            // Someone else's call in the period.
            call(other, at(3, 5, 2), 120, wang),
            // Before the period, and after it (1 April 01:00 in China is still March 31 UTC).
            call(me, at(2, 28, 2), 45, wang),
            call(me, at(3, 31, 17), 15, li),
        ];
        let march = Period {
            from: date(3, 1),
            to: date(3, 31),
        };
        let totals = totals(me, march, &calls).unwrap();
        assert_eq!(totals.visits, 2);
        assert_eq!(totals.minutes, 150);
        assert_eq!(totals.confirmed_by, vec![wang, li]);
    }

    #[test]
    fn a_period_without_a_confirmed_visit_is_refused() {
        let me = UserId::generate();
        let calls = [call(me, at(5, 1, 2), 60, UserId::generate())];
        let march = Period {
            from: date(3, 1),
            to: date(3, 31),
        };
        let refused = totals(me, march, &calls).unwrap_err();
        assert_eq!(refused, RuleError::NoConfirmedVisits);
        assert_eq!(refused.code(), ProblemCode::NoConfirmedVisits);
        assert_eq!(refused.code().status(), 422);
    }

    #[test]
    fn a_period_ends_after_it_starts_not_after_today_and_within_five_years() {
        let today = date(7, 1);
        let asked = |from, to| period(&IssueCertificate { from, to }, today);
        assert!(asked(date(1, 1), today).is_ok());
        assert!(asked(today, today).is_ok());
        let codes = |result: Result<Period, RuleError>| match result {
            Err(RuleError::Validation(errors)) => errors
                .0
                .iter()
                .map(|e| (e.field, e.code))
                .collect::<Vec<_>>(),
            other => panic!("not a validation error: {other:?}"),
        };
        assert_eq!(
            codes(asked(date(3, 2), date(3, 1))),
            [(Field::To, FieldCode::BeforeStart)]
        );
        assert_eq!(
            codes(asked(date(6, 1), date(7, 2))),
            [(Field::To, FieldCode::InTheFuture)]
        );
        let long_ago = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        assert_eq!(
            codes(asked(long_ago, today)),
            [(Field::From, FieldCode::TooLong)]
        );
        assert!(asked(NaiveDate::from_ymd_opt(2021, 7, 2).unwrap(), today).is_ok());
    }

    #[test]
    fn approved_and_formerly_approved_volunteers_issue_nobody_else() {
        let ours = CommunityId::generate();
        let community = Some(ours);
        use VolunteerStatus::*;
        for status in [Approved, Suspended] {
            let volunteer = viewer(Role::Volunteer, Some(status), community);
            assert_eq!(may_issue(&volunteer), Ok(ours));
        }
        for status in [None, Some(Pending)] {
            let volunteer = viewer(Role::Volunteer, status, community);
            assert_eq!(may_issue(&volunteer), Err(RuleError::VolunteerNotApproved));
        }
        let homeless = viewer(Role::Volunteer, Some(Approved), None);
        assert_eq!(may_issue(&homeless), Err(RuleError::VolunteerNotApproved));
        for role in [Role::Worker, Role::Donor, Role::Shopkeeper, Role::Resident] {
            let someone = viewer(role, None, community);
            assert_eq!(
                may_issue(&someone).unwrap_err().code(),
                ProblemCode::Forbidden
            );
        }
    }

    #[test]
    fn only_a_worker_of_its_community_revokes_another_communitys_is_not_found() {
        let ours = CommunityId::generate();
        let worker = viewer(Role::Worker, None, Some(ours));
        assert_eq!(may_manage(&worker, ours), Ok(()));
        let theirs = viewer(Role::Worker, None, Some(CommunityId::generate()));
        assert_eq!(
            may_manage(&theirs, ours),
            Err(RuleError::NotFound(Entity::Certificate))
        );
        let volunteer = viewer(Role::Volunteer, Some(VolunteerStatus::Approved), Some(ours));
        assert_eq!(
            may_manage(&volunteer, ours).unwrap_err().code(),
            ProblemCode::Forbidden
        );
    }

    #[test]
    fn the_public_never_reads_why_it_was_revoked() {
        let certificate = Certificate {
            id: CertificateId::from_random([7; 16]),
            volunteer_name: "张三".into(),
            community_name: "星怡社区".into(),
            period_from: date(1, 1),
            period_to: date(6, 30),
            visits: 2,
            minutes: 150,
            confirmed_by: vec!["王网格长".into()],
            issued_at: at(7, 1, 2),
            revoked_at: Some(at(7, 2, 2)),
            revoke_reason: Some("时长有误".into()),
            valid: false,
        };
        let public = certificate.clone().public();
        assert_eq!(public.revoke_reason, None);
        assert_eq!(
            (public.visits, public.minutes, public.valid),
            (2, 150, false)
        );
        assert_eq!(certificate.id.0.get_version_num(), 4);
        assert!(!Certificate::is_valid(certificate.revoked_at));
        let owner = UserId::generate();
        let community = CommunityId::generate();
        assert!(!sees_reason(None, owner, community));
        let mut volunteer = viewer(
            Role::Volunteer,
            Some(VolunteerStatus::Approved),
            Some(community),
        );
        assert!(!sees_reason(Some(&volunteer), owner, community));
        volunteer.id = owner;
        assert!(sees_reason(Some(&volunteer), owner, community));
        let worker = viewer(Role::Worker, None, Some(community));
        assert!(sees_reason(Some(&worker), owner, community));
    }
}
