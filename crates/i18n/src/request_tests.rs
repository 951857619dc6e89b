//! The requests' texts made in code, in both languages.

use chrono::{TimeZone, Utc};
use microwish_core::command::{Command, NewRequest, RequestRef};
use microwish_core::engine::Notice;
use microwish_core::{
    BuildingId, Channel, EventAction, EventView, Field, FieldCode, HandlerKind, ProblemCode,
    RequestCategory, RequestStatus, Role, Urgency,
};

use super::*;

fn event(action: EventAction, role: Option<Role>, note: Option<&str>) -> EventView {
    EventView {
        seq: 1,
        at: Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap(),
        action,
        from_status: Some("accepted".into()),
        to_status: Some("dispatched".into()),
        actor_role: role,
        actor_name: None,
        note: note.map(str::to_owned),
    }
}

#[test]
fn a_requests_timeline_reads_as_plain_words() {
    let dispatched = event(EventAction::Dispatch, Some(Role::Worker), Some("property"));
    assert_eq!(ZH_CN.request_event(&dispatched), "社区工作人员 派单给物业");
    assert_eq!(
        EN.request_event(&dispatched),
        "Community worker dispatched it to property staff"
    );
    assert_eq!(
        ZH_CN.request_event_note(&dispatched),
        None,
        "the handler's kind is not shown again as a note"
    );
    let closed = event(EventAction::Close, None, None);
    assert_eq!(
        ZH_CN.request_event(&closed),
        ZH_CN.requests.closed_by_itself
    );
    let confirmed = event(EventAction::Confirm, Some(Role::Resident), Some("修得很快"));
    assert_eq!(
        ZH_CN.request_event(&confirmed),
        "居民 确认已解决,并做了评价"
    );
    assert_eq!(
        ZH_CN.request_event_note(&confirmed).as_deref(),
        Some("修得很快")
    );
    let mut merged_here = event(EventAction::Merge, Some(Role::Worker), Some("0190…"));
    merged_here.from_status = None;
    assert_eq!(
        EN.request_event(&merged_here),
        "Community worker merged a duplicate request into this one"
    );
    assert_eq!(EN.request_event_note(&merged_here), None, "never a raw id");
    let photo = event(EventAction::Photo, Some(Role::Property), Some("after"));
    assert_eq!(ZH_CN.request_event(&photo), "物业 上传了处理后的照片");
    assert_eq!(
        ZH_CN.request_event_note(&photo),
        None,
        "the stage is in the words, not shown as its code"
    );
}

#[test]
fn a_requests_fields_have_their_own_limits_and_public_rules() {
    assert_eq!(
        ZH_CN.request_field_error(Field::Unit, FieldCode::Length),
        "门牌最多 20 个字",
        "a request's unit is a flat, not a wish's unit"
    );
    assert_eq!(
        ZH_CN.request_field_error(Field::PublicSummary, FieldCode::RevealsPhone),
        "公示内容不能有电话号码"
    );
    assert_eq!(
        EN.request_field_error(Field::PublicSummary, FieldCode::RevealsAddress),
        "No flat numbers on the public board"
    );
    assert_eq!(
        EN.rating_note_error(Field::Note, FieldCode::TooLong),
        "At most 200 characters"
    );
    assert_eq!(
        EN.request_field_error(Field::Note, FieldCode::TooLong),
        "At most 500 characters"
    );
    // Other fields read as everywhere else.
    assert_eq!(
        ZH_CN.request_field_error(Field::Description, FieldCode::Required),
        ZH_CN.field_error(Field::Description, FieldCode::Required)
    );
}

#[test]
fn rates_stars_and_durations_read_as_numbers_people_know() {
    assert_eq!(ZH_CN.rate(Some(0.875)), "88%");
    assert_eq!(ZH_CN.rate(None), "—");
    assert_eq!(ZH_CN.median_minutes(Some(35.4)), "35 分钟");
    assert_eq!(EN.median_minutes(Some(330.0)), "5.5 h");
    assert_eq!(ZH_CN.stars(4), "4 星,满意");
    assert_eq!(EN.stars(1), "1 of 5, very unhappy");
    assert_eq!(ZH_CN.overdue_count(3), "3 条超时");
    assert_eq!(EN.counter(12, 500), "12/500");
}

#[test]
fn a_refused_request_change_is_explained_without_a_wish_title() {
    let filing = Command::FileRequest(NewRequest {
        id: microwish_core::RequestId::generate(),
        category: RequestCategory::Repair,
        description: "灯坏了".into(),
        building_id: BuildingId::generate(),
        unit: None,
        place: None,
        urgency: Urgency::Normal,
        contact_ok: true,
        channel: None,
        on_behalf: None,
    });
    let taken = Command::TakeCall(RequestRef {
        request_id: microwish_core::RequestId::generate(),
    });
    let notice = |command, code| Notice {
        mutation: 1,
        command,
        code,
        title: None,
    };
    assert_eq!(
        ZH_CN.notice(&notice(taken, ProblemCode::CallTaken)),
        format!("你对诉求的操作没有成功:{}", ZH_CN.problem.call_taken)
    );
    assert!(!ZH_CN
        .notice(&notice(filing, ProblemCode::Forbidden))
        .contains("「」"));
}

#[test]
fn english_names_every_request_word_in_english() {
    let en = &EN;
    let mut said: Vec<String> = Vec::new();
    said.extend(
        RequestStatus::ALL
            .iter()
            .map(|&s| en.request_status(s).to_owned()),
    );
    said.extend(
        RequestCategory::ALL
            .iter()
            .map(|&c| en.request_category(c).to_owned()),
    );
    said.extend(Urgency::ALL.iter().map(|&u| en.urgency(u).to_owned()));
    said.extend(Channel::ALL.iter().map(|&c| en.channel(c).to_owned()));
    said.extend(
        HandlerKind::ALL
            .iter()
            .map(|&k| en.handler_kind(k).to_owned()),
    );
    for &field in Field::ALL {
        said.extend(
            FieldCode::ALL
                .iter()
                .map(|&code| en.request_field_error(field, code)),
        );
    }
    said.extend((1..=5).map(|n| en.stars(n)));
    let chinese = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let left: Vec<&String> = said.iter().filter(|text| chinese(text)).collect();
    assert_eq!(left, Vec::<&String>::new());
    // Every status and category has words of its own.
    let mut statuses: Vec<_> = RequestStatus::ALL
        .iter()
        .map(|&s| ZH_CN.request_status(s))
        .collect();
    statuses.sort();
    statuses.dedup();
    assert_eq!(statuses.len(), RequestStatus::ALL.len());
}
