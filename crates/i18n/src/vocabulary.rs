//! The words for core's vocabulary: a wish's kind and status, groups, categories, roles, claim
//! and allocation statuses, and what a timeline entry did. One field per value, so a value
//! added in core does not compile until every language names it.

use microwish_core::{
    AllocationStatus, BeneficiaryGroup, Category, ClaimStatus, EventAction, Role, WishKind,
    WishStatus,
};

use super::Texts;

pub struct WishKindTexts {
    pub item: &'static str,
    pub service: &'static str,
}

pub struct WishStatusTexts {
    pub draft: &'static str,
    pub open: &'static str,
    pub claimed: &'static str,
    pub fulfilled: &'static str,
    pub closed: &'static str,
    pub cancelled: &'static str,
}

pub struct GroupTexts {
    pub elderly_alone: &'static str,
    pub low_income: &'static str,
    pub orphan: &'static str,
    pub disabled: &'static str,
    pub child_in_difficulty: &'static str,
    pub other: &'static str,
}

pub struct CategoryTexts {
    pub school: &'static str,
    pub clothing: &'static str,
    pub daily: &'static str,
    pub food: &'static str,
    pub repair: &'static str,
    pub haircut: &'static str,
    pub care: &'static str,
    pub other: &'static str,
}

/// Each role's name, and one line on what it does (for the registration form).
pub struct RoleTexts {
    pub donor: &'static str,
    pub volunteer: &'static str,
    pub shopkeeper: &'static str,
    pub worker: &'static str,
    pub resident: &'static str,
    pub property: &'static str,
    pub donor_hint: &'static str,
    pub volunteer_hint: &'static str,
    pub shopkeeper_hint: &'static str,
    pub worker_hint: &'static str,
    pub resident_hint: &'static str,
    pub property_hint: &'static str,
}

pub struct ClaimStatusTexts {
    pub active: &'static str,
    pub delivered: &'static str,
    pub confirmed: &'static str,
    pub released: &'static str,
    pub expired: &'static str,
    pub rejected: &'static str,
}

pub struct AllocationStatusTexts {
    pub allocated: &'static str,
    pub delivered: &'static str,
    pub confirmed: &'static str,
    pub cancelled: &'static str,
}

/// A timeline entry's action, after who did it.
pub struct EventActionTexts {
    pub publish: &'static str,
    pub status: &'static str,
    pub claim: &'static str,
    pub deliver: &'static str,
    pub undeliver: &'static str,
    pub confirm: &'static str,
    pub release: &'static str,
    pub expire: &'static str,
    pub reject: &'static str,
    pub cancel: &'static str,
    pub close: &'static str,
    pub draft: &'static str,
    pub update: &'static str,
    pub register: &'static str,
    pub thanks: &'static str,
    pub reveal_contact: &'static str,
    pub read_household: &'static str,
    pub unpublish: &'static str,
    pub erase: &'static str,
    pub approve: &'static str,
    pub suspend: &'static str,
    pub pledge: &'static str,
    pub allocate: &'static str,
    pub withdraw: &'static str,
    pub export_household: &'static str,
    pub file: &'static str,
    pub accept: &'static str,
    pub dispatch: &'static str,
    pub call: &'static str,
    pub take: &'static str,
    pub start: &'static str,
    pub note: &'static str,
    pub resolve: &'static str,
    pub reopen: &'static str,
    pub decline: &'static str,
    pub merge: &'static str,
    pub convert: &'static str,
    pub photo: &'static str,
}

impl Texts {
    pub fn kind(&self, kind: WishKind) -> &'static str {
        let words = &self.kinds;
        match kind {
            WishKind::Item => words.item,
            WishKind::Service => words.service,
        }
    }

    pub fn status(&self, status: WishStatus) -> &'static str {
        let words = &self.statuses;
        match status {
            WishStatus::Draft => words.draft,
            WishStatus::Open => words.open,
            WishStatus::Claimed => words.claimed,
            WishStatus::Fulfilled => words.fulfilled,
            WishStatus::Closed => words.closed,
            WishStatus::Cancelled => words.cancelled,
        }
    }

    pub fn group(&self, group: BeneficiaryGroup) -> &'static str {
        let words = &self.groups;
        match group {
            BeneficiaryGroup::ElderlyAlone => words.elderly_alone,
            BeneficiaryGroup::LowIncome => words.low_income,
            BeneficiaryGroup::Orphan => words.orphan,
            BeneficiaryGroup::Disabled => words.disabled,
            BeneficiaryGroup::ChildInDifficulty => words.child_in_difficulty,
            BeneficiaryGroup::Other => words.other,
        }
    }

    pub fn category(&self, category: Category) -> &'static str {
        let words = &self.categories;
        match category {
            Category::School => words.school,
            Category::Clothing => words.clothing,
            Category::Daily => words.daily,
            Category::Food => words.food,
            Category::Repair => words.repair,
            Category::Haircut => words.haircut,
            Category::Care => words.care,
            Category::Other => words.other,
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        let words = &self.roles;
        match role {
            Role::Donor => words.donor,
            Role::Volunteer => words.volunteer,
            Role::Shopkeeper => words.shopkeeper,
            Role::Worker => words.worker,
            Role::Resident => words.resident,
            Role::Property => words.property,
        }
    }

    /// One line on what each role does, for the registration form.
    pub fn role_hint(&self, role: Role) -> &'static str {
        let words = &self.roles;
        match role {
            Role::Donor => words.donor_hint,
            Role::Volunteer => words.volunteer_hint,
            Role::Shopkeeper => words.shopkeeper_hint,
            Role::Worker => words.worker_hint,
            Role::Resident => words.resident_hint,
            Role::Property => words.property_hint,
        }
    }

    pub fn claim_status(&self, status: ClaimStatus) -> &'static str {
        let words = &self.claim_statuses;
        match status {
            ClaimStatus::Active => words.active,
            ClaimStatus::Delivered => words.delivered,
            ClaimStatus::Confirmed => words.confirmed,
            ClaimStatus::Released => words.released,
            ClaimStatus::Expired => words.expired,
            ClaimStatus::Rejected => words.rejected,
        }
    }

    /// A claim's status as its kind reads: a house call is visited and served, not
    /// delivered and received.
    pub fn claim_status_for(&self, kind: WishKind, status: ClaimStatus) -> &'static str {
        match (kind, status) {
            (WishKind::Service, ClaimStatus::Delivered) => self.claim.status_visited,
            (WishKind::Service, ClaimStatus::Confirmed) => self.claim.status_served,
            _ => self.claim_status(status),
        }
    }

    pub fn allocation_status(&self, status: AllocationStatus) -> &'static str {
        let words = &self.allocation_statuses;
        match status {
            AllocationStatus::Allocated => words.allocated,
            AllocationStatus::Delivered => words.delivered,
            AllocationStatus::Confirmed => words.confirmed,
            AllocationStatus::Cancelled => words.cancelled,
        }
    }

    /// A timeline entry's action.
    pub fn event_action(&self, action: EventAction) -> &'static str {
        let words = &self.event_actions;
        match action {
            EventAction::Publish => words.publish,
            EventAction::Status => words.status,
            EventAction::Claim => words.claim,
            EventAction::Deliver => words.deliver,
            EventAction::Undeliver => words.undeliver,
            EventAction::Confirm => words.confirm,
            EventAction::Release => words.release,
            EventAction::Expire => words.expire,
            EventAction::Reject => words.reject,
            EventAction::Cancel => words.cancel,
            EventAction::Close => words.close,
            EventAction::Draft => words.draft,
            EventAction::Update => words.update,
            EventAction::Register => words.register,
            EventAction::Thanks => words.thanks,
            EventAction::RevealContact => words.reveal_contact,
            EventAction::ReadHousehold => words.read_household,
            EventAction::Unpublish => words.unpublish,
            EventAction::Erase => words.erase,
            EventAction::Approve => words.approve,
            EventAction::Suspend => words.suspend,
            EventAction::Pledge => words.pledge,
            EventAction::Allocate => words.allocate,
            EventAction::Withdraw => words.withdraw,
            EventAction::ExportHousehold => words.export_household,
            EventAction::File => words.file,
            EventAction::Accept => words.accept,
            EventAction::Dispatch => words.dispatch,
            EventAction::Call => words.call,
            EventAction::Take => words.take,
            EventAction::Start => words.start,
            EventAction::Note => words.note,
            EventAction::Resolve => words.resolve,
            EventAction::Reopen => words.reopen,
            EventAction::Decline => words.decline,
            EventAction::Merge => words.merge,
            EventAction::Convert => words.convert,
            EventAction::Photo => words.photo,
        }
    }
}
