//! Residents' requests as commands: filing one (a resident in the app, or a worker logging one
//! from a call, a visit or the WeChat group on someone's behalf), and every step after it. Each
//! step names its request by `request_id`; the REST bodies are the same fields without it
//! (`*Body`, turned into the command with `for_request`).

use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::ids::{BuildingId, PhotoId, RequestId, WishId};
use crate::model::{Channel, Handler, OnBehalf, PhotoStage, RequestCategory, Urgency};
use crate::validate::{self, DESCRIPTION_MAX_CHARS, NAME_CHARS};

/// The longest unit ("3单元1202室") and place ("地下车库B区") a request may name.
pub const REQUEST_UNIT_MAX_CHARS: usize = 20;
pub const REQUEST_PLACE_MAX_CHARS: usize = 80;
/// A note on a request, and what the resolver tells the requester.
pub const REQUEST_NOTE_MAX_CHARS: usize = 500;
/// What a worker writes for the public board.
pub const PUBLIC_SUMMARY_MAX_CHARS: usize = 200;
/// What a requester adds to their rating.
pub const RATING_NOTE_MAX_CHARS: usize = 200;
pub const RATINGS: std::ops::RangeInclusive<i64> = 1..=5;

/// `file_request`, and the body of `POST /api/requests`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    /// Made by the client so that a retried request (or a mutation sent twice) files one.
    #[serde(default = "RequestId::generate")]
    pub id: RequestId,
    pub category: RequestCategory,
    /// What is wrong, in the requester's words (private: never on the board).
    pub description: String,
    pub building_id: BuildingId,
    #[serde(default)]
    pub unit: Option<String>,
    /// Where in or around the building ("楼道", "地下车库").
    #[serde(default)]
    pub place: Option<String>,
    pub urgency: Urgency,
    /// The handler may call them.
    pub contact_ok: bool,
    /// How it reached the community: `app` (the default) for the requester's own; a worker
    /// logging one says `phone`, `visit` or `wechat_group`.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Whom a worker logs it for; only workers log requests on someone's behalf.
    #[serde(default)]
    pub on_behalf: Option<OnBehalf>,
}

/// A request's own fields, checked and trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    pub description: String,
    pub unit: Option<String>,
    pub place: Option<String>,
    pub channel: Channel,
    /// Always present when a worker logs it (perhaps empty: an anonymous tip).
    pub on_behalf: Option<OnBehalf>,
}

impl NewRequest {
    /// Checks every field; `by_worker`: a worker logs it on someone's behalf.
    pub fn validate(&self, by_worker: bool) -> Result<ValidRequest, RuleError> {
        let mut errors = ValidationErrors::default();
        let description = validate::text(
            &mut errors,
            Field::Description,
            &self.description,
            1..=DESCRIPTION_MAX_CHARS,
        );
        let unit = optional(&mut errors, Field::Unit, &self.unit, REQUEST_UNIT_MAX_CHARS);
        let place = optional(
            &mut errors,
            Field::Place,
            &self.place,
            REQUEST_PLACE_MAX_CHARS,
        );
        let channel = match (by_worker, self.channel) {
            (false, None | Some(Channel::App)) => Channel::App,
            (true, Some(channel)) if channel != Channel::App => channel,
            (true, None) => {
                errors.add(
                    Field::Channel,
                    FieldCode::Required,
                    "say how the request reached you",
                );
                Channel::App
            }
            (_, Some(channel)) => {
                errors.add(
                    Field::Channel,
                    FieldCode::Invalid,
                    if by_worker {
                        "a worker logs requests from a call, a visit or the WeChat group"
                    } else {
                        "only workers log requests from calls, visits or the WeChat group"
                    },
                );
                channel
            }
        };
        let on_behalf = match (by_worker, &self.on_behalf) {
            (false, None) => None,
            (false, Some(_)) => {
                errors.add(
                    Field::OnBehalf,
                    FieldCode::NotSelfService,
                    "only workers log requests on someone's behalf",
                );
                None
            }
            (true, person) => Some(on_behalf(&mut errors, person.clone().unwrap_or_default())),
        };
        errors.into_result(ValidRequest {
            description,
            unit,
            place,
            channel,
            on_behalf,
        })
    }
}

/// An optional short text: trimmed, `None` when blank.
fn optional(
    errors: &mut ValidationErrors,
    field: Field,
    value: &Option<String>,
    max: usize,
) -> Option<String> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    Some(validate::text(errors, field, value, 1..=max))
}

/// The person a worker logs a request for: a name of at most 20 characters, a phone of 7–15
/// digits (a landline too); either may be left out.
fn on_behalf(errors: &mut ValidationErrors, person: OnBehalf) -> OnBehalf {
    let name = optional(errors, Field::OnBehalf, &person.name, *NAME_CHARS.end());
    let phone = person
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|phone| !phone.is_empty())
        .map(|phone| {
            let mut found = ValidationErrors::default();
            let phone = validate::household_phone(&mut found, phone);
            if !found.is_empty() {
                errors.add(Field::OnBehalf, FieldCode::Invalid, "a phone number");
            }
            phone
        });
    OnBehalf { name, phone }
}

/// A step on a request that takes nothing else: `accept_request`, `call_volunteers`,
/// `take_call`, `start_request`, and the system's `close_request`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestRef {
    pub request_id: RequestId,
}

/// `dispatch_request`: a worker gives the request to a handler (themself, another worker of
/// the community, its property staff, or an approved volunteer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDispatch {
    pub request_id: RequestId,
    pub handler: Handler,
}

/// `note_request`: a line on the request's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestNote {
    pub request_id: RequestId,
    pub text: String,
}

impl RequestNote {
    pub fn validate(&self) -> Result<String, RuleError> {
        validate::only_text(Field::Text, &self.text, 1..=REQUEST_NOTE_MAX_CHARS)
    }
}

/// `resolve_request`: what was done, for the requester (`note`), and for the public board
/// (`public_summary`; empty keeps it off the board).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestResolution {
    pub request_id: RequestId,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub public_summary: String,
}

impl RequestResolution {
    /// The note and the public summary (`None` when blank), trimmed. The summary is public
    /// text: no phone number, not the `unit`, not the `name` of whom it was logged for.
    pub fn validate(
        &self,
        unit: Option<&str>,
        name: Option<&str>,
    ) -> Result<(String, Option<String>), RuleError> {
        let mut errors = ValidationErrors::default();
        let note =
            validate::long_text(&mut errors, Field::Note, &self.note, REQUEST_NOTE_MAX_CHARS);
        let summary = validate::long_text(
            &mut errors,
            Field::PublicSummary,
            &self.public_summary,
            PUBLIC_SUMMARY_MAX_CHARS,
        );
        let private = crate::public_text::Private {
            name,
            address: unit,
        };
        crate::public_text::check(&mut errors, Field::PublicSummary, &summary, private);
        errors.into_result((note, Some(summary).filter(|s| !s.is_empty())))
    }
}

/// `confirm_request`: the requester says it is fixed, with a rating of 1–5 and a word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestRating {
    pub request_id: RequestId,
    /// Signed so that 0 and negative numbers are reported as a field error.
    pub rating: i64,
    #[serde(default)]
    pub note: Option<String>,
}

impl RequestRating {
    pub fn validate(&self) -> Result<(u8, Option<String>), RuleError> {
        let mut errors = ValidationErrors::default();
        if !RATINGS.contains(&self.rating) {
            errors.add(Field::Rating, FieldCode::OutOfRange, "1 to 5");
        }
        let note = self
            .note
            .as_deref()
            .map(|note| validate::long_text(&mut errors, Field::Note, note, RATING_NOTE_MAX_CHARS));
        let rating = u8::try_from(self.rating).unwrap_or(0);
        errors.into_result((rating, note.filter(|note| !note.is_empty())))
    }
}

/// `reopen_request` (the requester: it is not fixed) and `decline_request` (a worker: e.g.
/// "not the community's: call 12345").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestReason {
    pub request_id: RequestId,
    pub reason: String,
}

impl RequestReason {
    pub fn validate(&self) -> Result<String, RuleError> {
        validate::only_text(Field::Reason, &self.reason, crate::command::REASON_CHARS)
    }
}

/// `merge_request`: this request is a duplicate of `into`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestMerge {
    pub request_id: RequestId,
    pub into: RequestId,
}

impl RequestMerge {
    pub fn validate(&self) -> Result<(), RuleError> {
        if self.into == self.request_id {
            return Err(RuleError::field(
                Field::Into,
                FieldCode::Invalid,
                "a request is not a duplicate of itself",
            ));
        }
        Ok(())
    }
}

/// `convert_request`: a request for help becomes a wish (or house call) a worker posted for
/// a household; the wish's fulfilment resolves the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestConversion {
    pub request_id: RequestId,
    pub wish_id: WishId,
}

/// A photo added to a request (`PUT /api/requests/{id}/photos/{photo_id}`): not a command of
/// its own (its bytes travel as the body), but decided by [`crate::decide::decide_photo`].
/// Without a `stage`, the uploader's part says it: the handler's photos show the fix, the
/// requester's the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPhoto {
    pub request_id: RequestId,
    pub photo_id: PhotoId,
    pub stage: Option<PhotoStage>,
}

/// The body of `POST /api/requests/{id}/dispatch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DispatchBody {
    pub handler: Handler,
}

impl DispatchBody {
    pub fn for_request(self, request_id: RequestId) -> RequestDispatch {
        RequestDispatch {
            request_id,
            handler: self.handler,
        }
    }
}

/// The body of `POST /api/requests/{id}/notes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub text: String,
}

impl NoteBody {
    pub fn for_request(self, request_id: RequestId) -> RequestNote {
        RequestNote {
            request_id,
            text: self.text,
        }
    }
}

/// The body of `POST /api/requests/{id}/resolve`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub public_summary: String,
}

impl ResolveBody {
    pub fn for_request(self, request_id: RequestId) -> RequestResolution {
        RequestResolution {
            request_id,
            note: self.note,
            public_summary: self.public_summary,
        }
    }
}

/// The body of `POST /api/requests/{id}/confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    pub rating: i64,
    #[serde(default)]
    pub note: Option<String>,
}

impl RatingBody {
    pub fn for_request(self, request_id: RequestId) -> RequestRating {
        RequestRating {
            request_id,
            rating: self.rating,
            note: self.note,
        }
    }
}

/// The body of `POST /api/requests/{id}/reopen|decline`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    pub reason: String,
}

impl ReasonBody {
    pub fn for_request(self, request_id: RequestId) -> RequestReason {
        RequestReason {
            request_id,
            reason: self.reason,
        }
    }
}

/// The body of `POST /api/requests/{id}/merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    pub into: RequestId,
}

impl MergeBody {
    pub fn for_request(self, request_id: RequestId) -> RequestMerge {
        RequestMerge {
            request_id,
            into: self.into,
        }
    }
}

/// The body of `POST /api/requests/{id}/convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConvertBody {
    pub wish_id: WishId,
}

impl ConvertBody {
    pub fn for_request(self, request_id: RequestId) -> RequestConversion {
        RequestConversion {
            request_id,
            wish_id: self.wish_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;

    fn stairwell() -> NewRequest {
        serde_json::from_value(serde_json::json!({
            "category": "cleaning",
            "description": "  楼道里洒了一地油,很滑 ",
            "building_id": BuildingId::generate(),
            "unit": " ",
            "place": "2单元楼道",
            "urgency": "urgent",
            "contact_ok": true,
        }))
        .unwrap()
    }

    fn fields(error: RuleError) -> Vec<(Field, FieldCode)> {
        let RuleError::Validation(errors) = error else {
            panic!("{error:?}")
        };
        errors.0.iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_residents_request_passes_trimmed_from_the_app() {
        let valid = stairwell().validate(false).unwrap();
        assert_eq!(valid.description, "楼道里洒了一地油,很滑");
        assert_eq!(valid.unit, None, "a blank unit is no unit");
        assert_eq!(valid.place.as_deref(), Some("2单元楼道"));
        assert_eq!(valid.channel, Channel::App);
        assert_eq!(valid.on_behalf, None);
    }

    #[test]
    fn every_bad_field_of_a_request_is_reported() {
        let mut request = stairwell();
        request.description = "很".repeat(501);
        request.unit = Some("1".repeat(21));
        request.channel = Some(Channel::Phone);
        request.on_behalf = Some(OnBehalf::default());
        assert_eq!(
            fields(request.validate(false).unwrap_err()),
            [
                (Field::Description, FieldCode::Length),
                (Field::Unit, FieldCode::Length),
                (Field::Channel, FieldCode::Invalid),
                (Field::OnBehalf, FieldCode::NotSelfService),
            ]
        );
        let mut empty = stairwell();
        empty.description = "  ".into();
        assert_eq!(
            fields(empty.validate(false).unwrap_err()),
            [(Field::Description, FieldCode::Required)]
        );
    }

    #[test]
    fn a_worker_logs_a_request_with_its_channel_for_someone() {
        let mut logged = stairwell();
        assert_eq!(
            fields(logged.validate(true).unwrap_err()),
            [(Field::Channel, FieldCode::Required)]
        );
        logged.channel = Some(Channel::App);
        assert!(
            logged.validate(true).is_err(),
            "the app is the requester's own"
        );
        logged.channel = Some(Channel::WechatGroup);
        let tip = logged.validate(true).unwrap();
        assert_eq!(tip.on_behalf, Some(OnBehalf::default()), "an anonymous tip");
        logged.on_behalf = Some(OnBehalf {
            name: Some(" 王奶奶 ".into()),
            phone: Some("0513-8888 8888".into()),
        });
        let valid = logged.validate(true).unwrap();
        assert_eq!(valid.channel, Channel::WechatGroup);
        assert_eq!(valid.on_behalf.unwrap().name.as_deref(), Some("王奶奶"));
        logged.on_behalf = Some(OnBehalf {
            name: None,
            phone: Some("call her".into()),
        });
        assert_eq!(
            fields(logged.validate(true).unwrap_err()),
            [(Field::OnBehalf, FieldCode::Invalid)]
        );
    }

    #[test]
    fn a_public_summary_shows_no_phone_unit_nor_name() {
        let resolve = |summary: &str| RequestResolution {
            request_id: RequestId::generate(),
            note: " 换了灯泡 ".into(),
            public_summary: summary.into(),
        };
        let (note, summary) = resolve(" 已更换32幢楼道灯 ")
            .validate(Some("1202室"), Some("王奶奶"))
            .unwrap();
        assert_eq!(
            (note.as_str(), summary.as_deref()),
            ("换了灯泡", Some("已更换32幢楼道灯"))
        );
        assert_eq!(resolve("").validate(None, None).unwrap().1, None);
        for (text, code) in [
            ("物业电话 0513 8888 8888", FieldCode::RevealsPhone),
            ("已修好1202室水管", FieldCode::RevealsAddress),
            ("已帮王奶奶修好", FieldCode::RevealsName),
        ] {
            assert_eq!(
                fields(
                    resolve(text)
                        .validate(Some("1202室"), Some("王奶奶"))
                        .unwrap_err()
                ),
                [(Field::PublicSummary, code)],
                "{text}"
            );
        }
    }

    #[test]
    fn ratings_are_one_to_five_and_a_request_is_no_duplicate_of_itself() {
        let rate = |rating| RequestRating {
            request_id: RequestId::generate(),
            rating,
            note: Some(" 很及时 ".into()),
        };
        assert_eq!(rate(5).validate().unwrap(), (5, Some("很及时".into())));
        for bad in [0, 6, -1] {
            assert_eq!(
                fields(rate(bad).validate().unwrap_err()),
                [(Field::Rating, FieldCode::OutOfRange)]
            );
        }
        let id = RequestId::generate();
        let merge = RequestMerge {
            request_id: id,
            into: id,
        };
        assert_eq!(
            fields(merge.validate().unwrap_err()),
            [(Field::Into, FieldCode::Invalid)]
        );
    }

    #[test]
    fn request_commands_travel_by_their_names() {
        let id = RequestId::generate();
        let names = [
            (Command::FileRequest(stairwell()), "file_request"),
            (
                Command::AcceptRequest(RequestRef { request_id: id }),
                "accept_request",
            ),
            (
                Command::CallVolunteers(RequestRef { request_id: id }),
                "call_volunteers",
            ),
            (
                Command::TakeCall(RequestRef { request_id: id }),
                "take_call",
            ),
            (
                Command::StartRequest(RequestRef { request_id: id }),
                "start_request",
            ),
            (
                Command::CloseRequest(RequestRef { request_id: id }),
                "close_request",
            ),
            (
                Command::ResolveRequest(ResolveBody::default().for_request(id)),
                "resolve_request",
            ),
        ];
        for (command, name) in names {
            let json = serde_json::to_value(&command).unwrap();
            assert_eq!(json["name"], name);
            assert_eq!(serde_json::from_value::<Command>(json).unwrap(), command);
        }
        let dispatch: Command = serde_json::from_value(serde_json::json!({
            "name": "dispatch_request",
            "args": {"request_id": id, "handler": {"kind": "property", "user_id": id}},
        }))
        .unwrap();
        assert!(matches!(dispatch, Command::DispatchRequest(_)));
        let body: Result<ReasonBody, _> =
            serde_json::from_value(serde_json::json!({"reason": "x", "extra": 1}));
        assert!(body.is_err(), "bodies refuse unknown fields");
    }
}
