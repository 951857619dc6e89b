//! What a notice (通知) links to, and what it is about in words the phone already has: a
//! notice carries a kind and ids only, so the page it opens and the thing it names come from
//! the routes and the cache.

use microwish_core::{Notice, NoticeKind, NoticeRefs};

use crate::i18n::Texts;
use crate::state::Data;

/// The page a notice is about: the claim's list (where its state and next step are), the
/// wish, the request, the shop's donations, the volunteer's house calls or their account.
pub fn link(kind: NoticeKind, refs: &NoticeRefs) -> String {
    use NoticeKind::*;
    let request = || {
        refs.request_id
            .map_or_else(|| "/notices".to_owned(), |id| format!("/requests/{id}"))
    };
    match kind {
        ClaimConfirmed | ClaimRejected | ClaimExpiring | ClaimExpired | WishWithdrawn => {
            "/me/claims".to_owned()
        }
        // A shop is thanked for its goods, a claimer for their claim.
        ThanksReceived if refs.allocation_id.is_some() => "/shop".to_owned(),
        ThanksReceived => "/me/claims".to_owned(),
        WishFulfilled => refs
            .wish_id
            .map_or_else(|| "/me/claims".to_owned(), |id| format!("/wishes/{id}")),
        // Approved: the house calls they may now book.
        VolunteerApproved => "/?kind=service".to_owned(),
        VolunteerDeclined | VolunteerSuspended => "/me".to_owned(),
        AllocationMade | AllocationConfirmed => "/shop".to_owned(),
        RequestAccepted | RequestDispatched | RequestResolved | RequestClosed | RequestNew
        | RequestOverdue | CallForVolunteers | RequestAssigned => request(),
    }
}

/// What the notice is about, as the cache names it (a wish's title, a request's kind), if the
/// phone holds it (tracked).
pub fn subject(data: &Data, t: &Texts, notice: &Notice) -> Option<String> {
    let refs = notice.refs;
    if let Some(id) = refs.request_id {
        let category = data
            .requests
            .get(&id)
            .map(|request| request.category)
            .or_else(|| data.calls.get(&id).map(|call| call.category))?;
        return Some(t.request_category(category).to_owned());
    }
    let from_claim = refs
        .claim_id
        .and_then(|id| data.claims.get(&id))
        .map(|claim| claim.wish.title);
    from_claim.or_else(|| {
        refs.wish_id
            .and_then(|id| data.wishes.get(&id))
            .map(|wish| wish.title)
    })
}

#[cfg(test)]
mod tests {
    use microwish_core::{AllocationId, ClaimId, RequestId, WishId};

    use super::*;

    #[test]
    fn each_notice_links_to_what_it_is_about() {
        let request = RequestId::generate();
        let wish = WishId::generate();
        let about_request = NoticeRefs {
            request_id: Some(request),
            ..NoticeRefs::default()
        };
        let about_claim = NoticeRefs {
            claim_id: Some(ClaimId::generate()),
            wish_id: Some(wish),
            ..NoticeRefs::default()
        };
        let about_goods = NoticeRefs {
            allocation_id: Some(AllocationId::generate()),
            wish_id: Some(wish),
            ..NoticeRefs::default()
        };
        let none = NoticeRefs::default();
        let cases = [
            (
                NoticeKind::ClaimConfirmed,
                about_claim,
                "/me/claims".to_owned(),
            ),
            (
                NoticeKind::ThanksReceived,
                about_claim,
                "/me/claims".to_owned(),
            ),
            (NoticeKind::ThanksReceived, about_goods, "/shop".to_owned()),
            (NoticeKind::AllocationMade, about_goods, "/shop".to_owned()),
            (
                NoticeKind::WishFulfilled,
                about_claim,
                format!("/wishes/{wish}"),
            ),
            (
                NoticeKind::VolunteerApproved,
                none,
                "/?kind=service".to_owned(),
            ),
            (NoticeKind::VolunteerSuspended, none, "/me".to_owned()),
            (
                NoticeKind::RequestResolved,
                about_request,
                format!("/requests/{request}"),
            ),
            (
                NoticeKind::CallForVolunteers,
                about_request,
                format!("/requests/{request}"),
            ),
            (NoticeKind::RequestNew, none, "/notices".to_owned()),
        ];
        for (kind, refs, expected) in cases {
            assert_eq!(link(kind, &refs), expected, "{kind}");
        }
        // Every kind goes to a page of the app.
        for kind in NoticeKind::ALL {
            assert!(link(*kind, &about_request).starts_with('/'));
        }
    }
}
