//! Residents' requests (诉求): their vocabulary (statuses, categories, urgency, channels,
//! handlers), the resident's form, the lists and a request's page, its timeline in plain
//! words, and what is wrong with a request's fields. One field per value of core's
//! vocabulary, so a value added in core does not compile until every language names it.

use microwish_core::command::{
    PUBLIC_SUMMARY_MAX_CHARS, RATING_NOTE_MAX_CHARS, REQUEST_NOTE_MAX_CHARS,
    REQUEST_PLACE_MAX_CHARS, REQUEST_UNIT_MAX_CHARS,
};
use microwish_core::{
    Channel, EventAction, EventView, Field, FieldCode, HandlerKind, PhotoStage, RequestCategory,
    RequestStatus, Urgency,
};

use super::{fill, Texts};

pub struct RequestStatusTexts {
    pub submitted: &'static str,
    pub accepted: &'static str,
    pub calling: &'static str,
    pub dispatched: &'static str,
    pub in_progress: &'static str,
    pub resolved: &'static str,
    pub closed: &'static str,
    pub declined: &'static str,
    pub merged: &'static str,
}

pub struct RequestCategoryTexts {
    pub repair: &'static str,
    pub cleaning: &'static str,
    pub safety: &'static str,
    pub neighbour: &'static str,
    pub help: &'static str,
    pub suggestion: &'static str,
    pub other: &'static str,
}

pub struct UrgencyTexts {
    pub normal: &'static str,
    pub urgent: &'static str,
}

pub struct ChannelTexts {
    pub app: &'static str,
    pub phone: &'static str,
    pub visit: &'static str,
    pub wechat_group: &'static str,
}

pub struct HandlerKindTexts {
    pub worker: &'static str,
    pub property: &'static str,
    pub volunteer: &'static str,
}

/// The resident's form (我要反映), and a worker's logging one on someone's behalf.
pub struct RequestFormTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub title_for_someone: &'static str,
    pub intro_for_someone: &'static str,
    pub category: &'static str,
    pub building: &'static str,
    pub choose_building: &'static str,
    pub no_buildings: &'static str,
    pub unit: &'static str,
    pub unit_hint: &'static str,
    pub place: &'static str,
    pub place_placeholder: &'static str,
    pub description: &'static str,
    pub description_placeholder: &'static str,
    /// `{n}` characters of `{max}`.
    pub counter: &'static str,
    pub urgency: &'static str,
    pub urgency_hint: &'static str,
    pub contact_ok: &'static str,
    pub contact_ok_hint: &'static str,
    pub photos: &'static str,
    pub photos_hint: &'static str,
    pub add_photo: &'static str,
    /// `{n}`: the photo's place in the form.
    pub remove_photo: &'static str,
    pub photo_alt: &'static str,
    pub shrinking: &'static str,
    pub channel: &'static str,
    pub on_behalf_name: &'static str,
    pub on_behalf_phone: &'static str,
    pub on_behalf_hint: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
}

/// The lists, a request's page and its timeline.
pub struct RequestTexts {
    pub report: &'static str,
    pub report_hint: &'static str,
    pub my_title: &'static str,
    pub my_empty: &'static str,
    pub my_link: &'static str,
    /// `{date}`.
    pub filed_on: &'static str,
    pub overdue_accept: &'static str,
    pub overdue_resolve: &'static str,
    /// `{time}`.
    pub accept_by: &'static str,
    pub resolve_by: &'static str,
    pub urgent_badge: &'static str,
    pub back_mine: &'static str,
    pub back_inbox: &'static str,
    pub back_assigned: &'static str,
    pub back_calls: &'static str,
    pub not_found: &'static str,
    pub building: &'static str,
    pub unit: &'static str,
    pub place: &'static str,
    pub urgency: &'static str,
    pub channel: &'static str,
    pub logged_for: &'static str,
    pub contact: &'static str,
    pub call: &'static str,
    pub handler: &'static str,
    pub filed_at: &'static str,
    pub limits: &'static str,
    pub public_summary: &'static str,
    pub merged_into: &'static str,
    pub open_wish: &'static str,
    pub photos: &'static str,
    /// `{n}`: the photo's place.
    pub photo_before_alt: &'static str,
    pub photo_after_alt: &'static str,
    /// `{n}` photos kept on the phone until the request is on the server.
    pub photos_waiting: &'static str,
    /// `{reason}`: why the server refused a photo.
    pub photo_refused: &'static str,
    pub timeline: &'static str,
    pub timeline_offline: &'static str,
    pub timeline_waiting: &'static str,
    /// `{handler}`: whom it was dispatched to.
    pub dispatched_to: &'static str,
    pub confirmed: &'static str,
    pub closed_by_itself: &'static str,
    pub merged_here: &'static str,
    /// A photo's timeline entry, by its stage (the stage travels as the event's note).
    pub photo_before: &'static str,
    pub photo_after: &'static str,
    /// The requester's word with their rating, as a fact of the request.
    pub rating_note: &'static str,
    pub rating_given: &'static str,
    pub saved: &'static str,
    pub saved_offline: &'static str,
}

impl Texts {
    pub fn request_status(&self, status: RequestStatus) -> &'static str {
        let words = &self.request_statuses;
        match status {
            RequestStatus::Submitted => words.submitted,
            RequestStatus::Accepted => words.accepted,
            RequestStatus::Calling => words.calling,
            RequestStatus::Dispatched => words.dispatched,
            RequestStatus::InProgress => words.in_progress,
            RequestStatus::Resolved => words.resolved,
            RequestStatus::Closed => words.closed,
            RequestStatus::Declined => words.declined,
            RequestStatus::Merged => words.merged,
        }
    }

    pub fn request_category(&self, category: RequestCategory) -> &'static str {
        let words = &self.request_categories;
        match category {
            RequestCategory::Repair => words.repair,
            RequestCategory::Cleaning => words.cleaning,
            RequestCategory::Safety => words.safety,
            RequestCategory::Neighbour => words.neighbour,
            RequestCategory::Help => words.help,
            RequestCategory::Suggestion => words.suggestion,
            RequestCategory::Other => words.other,
        }
    }

    pub fn urgency(&self, urgency: Urgency) -> &'static str {
        match urgency {
            Urgency::Normal => self.urgencies.normal,
            Urgency::Urgent => self.urgencies.urgent,
        }
    }

    pub fn channel(&self, channel: Channel) -> &'static str {
        let words = &self.channels;
        match channel {
            Channel::App => words.app,
            Channel::Phone => words.phone,
            Channel::Visit => words.visit,
            Channel::WechatGroup => words.wechat_group,
        }
    }

    pub fn handler_kind(&self, kind: HandlerKind) -> &'static str {
        let words = &self.handler_kinds;
        match kind {
            HandlerKind::Worker => words.worker,
            HandlerKind::Property => words.property,
            HandlerKind::Volunteer => words.volunteer,
        }
    }

    /// "128/500" under the description.
    pub fn counter(&self, n: usize, max: usize) -> String {
        fill(
            self.request_form.counter,
            &[("n", n.to_string()), ("max", max.to_string())],
        )
    }

    /// One entry of a request's timeline in plain words: who did what (the note, if any,
    /// is shown beside it).
    pub fn request_event(&self, event: &EventView) -> String {
        let words = &self.requests;
        let actor = event
            .actor_name
            .clone()
            .or_else(|| event.actor_role.map(|role| self.role(role).to_owned()))
            .unwrap_or_else(|| self.claim.system_actor.to_owned());
        let action = match event.action {
            EventAction::Dispatch => {
                let handler = event
                    .note
                    .as_deref()
                    .and_then(|kind| kind.parse::<HandlerKind>().ok())
                    .map(|kind| self.handler_kind(kind).to_owned())
                    .unwrap_or_default();
                fill(words.dispatched_to, &[("handler", handler)])
            }
            EventAction::Confirm => words.confirmed.to_owned(),
            EventAction::Close if event.actor_role.is_none() => {
                return words.closed_by_itself.to_owned()
            }
            // The other request's side of a merge has no status of its own.
            EventAction::Merge if event.from_status.is_none() => words.merged_here.to_owned(),
            EventAction::Photo => match event.note.as_deref().map(str::parse::<PhotoStage>) {
                Some(Ok(PhotoStage::Before)) => words.photo_before.to_owned(),
                Some(Ok(PhotoStage::After)) => words.photo_after.to_owned(),
                _ => self.event_action(EventAction::Photo).to_owned(),
            },
            other => self.event_action(other).to_owned(),
        };
        format!("{actor} {action}")
    }

    /// The note an entry shows beside its words: not the handler's kind of a dispatch, nor
    /// the other request's id of a merge (both are in the words already).
    pub fn request_event_note(&self, event: &EventView) -> Option<String> {
        match event.action {
            EventAction::Dispatch | EventAction::Merge | EventAction::Photo => None,
            _ => event.note.clone().filter(|note| !note.is_empty()),
        }
    }

    /// What is wrong with one field of a request's forms, with a request's own limits; the
    /// other fields read as everywhere else.
    pub fn request_field_error(&self, field: Field, code: FieldCode) -> String {
        let words = &self.request_fields;
        let limit = |template: &str, n: usize| fill(template, &[("n", n.to_string())]);
        match (field, code) {
            (Field::Unit, FieldCode::Length) => limit(words.unit, REQUEST_UNIT_MAX_CHARS),
            (Field::Place, FieldCode::Length) => limit(words.place, REQUEST_PLACE_MAX_CHARS),
            (Field::BuildingId, _) => words.building.to_owned(),
            (Field::Category, _) => words.category.to_owned(),
            (Field::Channel, _) => words.channel.to_owned(),
            (Field::OnBehalf, _) => words.on_behalf.to_owned(),
            (Field::Handler, _) => words.handler.to_owned(),
            (Field::Into, _) => words.into.to_owned(),
            (Field::Rating, _) => words.rating.to_owned(),
            (Field::PublicSummary, FieldCode::RevealsPhone) => words.reveals_phone.to_owned(),
            (Field::PublicSummary, FieldCode::RevealsAddress) => words.reveals_unit.to_owned(),
            (Field::PublicSummary, FieldCode::RevealsName) => words.reveals_name.to_owned(),
            (Field::PublicSummary, FieldCode::Length | FieldCode::TooLong) => {
                limit(words.at_most, PUBLIC_SUMMARY_MAX_CHARS)
            }
            (Field::Note | Field::Text, FieldCode::Length | FieldCode::TooLong) => {
                limit(words.at_most, REQUEST_NOTE_MAX_CHARS)
            }
            _ => self.field_error(field, code),
        }
    }

    /// The rating's word, for its own limits.
    pub fn rating_note_error(&self, field: Field, code: FieldCode) -> String {
        match (field, code) {
            (Field::Note, FieldCode::Length | FieldCode::TooLong) => fill(
                self.request_fields.at_most,
                &[("n", RATING_NOTE_MAX_CHARS.to_string())],
            ),
            _ => self.request_field_error(field, code),
        }
    }
}

/// What is wrong with a request's fields.
pub struct RequestFieldTexts {
    /// `{n}`: the most characters.
    pub unit: &'static str,
    pub place: &'static str,
    pub at_most: &'static str,
    pub building: &'static str,
    pub category: &'static str,
    pub channel: &'static str,
    pub on_behalf: &'static str,
    pub handler: &'static str,
    pub into: &'static str,
    pub rating: &'static str,
    pub reveals_phone: &'static str,
    pub reveals_unit: &'static str,
    pub reveals_name: &'static str,
}
