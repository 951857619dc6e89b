//! The texts made in code, in both languages.

use chrono::{NaiveDate, TimeZone, Utc};
use microwish_core::command::{ClaimWish, Command};
use microwish_core::engine::{MutateError, Notice, SyncStatus};
use microwish_core::{
    AllocationStatus, BeneficiaryGroup, Category, ClaimId, ClaimStatus, EventAction, Field,
    FieldCode, FieldError, ProblemCode, Role, WishId, WishKind, WishStatus,
};

use super::*;
use microwish_core::problem::ApiError;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, d).unwrap()
}

#[test]
fn words_in_brackets_follow_others_as_each_language_writes_them() {
    let heading = |t: &Texts| format!("{}{}", t.worker.active_section, t.in_brackets(3));
    assert_eq!(heading(&ZH_CN), "进行中(3)");
    assert_eq!(heading(&EN), "In progress (3)");
    assert_eq!(
        format!("张先生{}", EN.in_brackets(EN.role(Role::Donor))),
        "张先生 (Donor)"
    );
}

#[test]
fn due_labels_count_days() {
    let t = t();
    let today = day(1);
    assert_eq!(t.due(day(4), today), "3天后截止");
    assert_eq!(t.due(today, today), t.due_today);
    assert_eq!(t.due(day(1).pred_opt().unwrap(), today), t.overdue);
    assert_eq!(t.date(day(4)), "7月4日");
}

#[test]
fn problem_codes_read_as_clear_chinese_messages() {
    let t = t();
    let cases = [
        (
            ProblemCode::WishFullyClaimed,
            "这个心愿刚刚被其他人认领完了",
        ),
        (
            ProblemCode::NotEnoughRemaining,
            t.problem.not_enough_remaining,
        ),
        (ProblemCode::InvalidState, t.problem.invalid_state),
        (ProblemCode::ClaimNotYours, t.problem.claim_not_yours),
        (ProblemCode::Forbidden, t.problem.forbidden),
        (ProblemCode::IdConflict, t.problem.id_conflict),
        (ProblemCode::ValidationFailed, t.problem.validation_failed),
        (ProblemCode::PhoneTaken, "这个手机号已经注册"),
        (ProblemCode::InvalidCredentials, "手机号或密码不正确"),
        (ProblemCode::BodyTooLarge, t.problem.body_too_large),
        (
            ProblemCode::UnsupportedMediaType,
            t.problem.unsupported_media_type,
        ),
        (ProblemCode::BadQuery, t.err_bad_request),
        (ProblemCode::Internal, t.err_server),
        (ProblemCode::Unknown, t.err_server),
    ];
    for (code, message) in cases {
        assert_eq!(t.problem(&ApiError::of(code)), message, "{code}");
    }
    // Every message is distinct: a person can tell the problems apart.
    let mut messages: Vec<_> = cases[..11].iter().map(|(_, m)| *m).collect();
    messages.sort();
    messages.dedup();
    assert_eq!(messages.len(), 11);

    let throttled = ApiError::Problem {
        code: ProblemCode::TooManyAttempts,
        errors: Vec::new(),
        retry_after: Some(30),
        expected: None,
    };
    assert_eq!(t.problem(&throttled), "尝试次数过多,请 30 秒后再试");
    assert_eq!(
        t.problem(&ApiError::of(ProblemCode::TooManyAttempts)),
        t.problem.too_many_attempts_later
    );
    assert_eq!(t.problem(&ApiError::Unreachable), t.err_unreachable);
    assert_eq!(
        t.only_left(2, "个"),
        "只剩 2 个可以认领了,请减少数量后再试。"
    );
}

#[test]
fn field_errors_read_by_field_and_code_with_the_rules_limits() {
    let t = t();
    assert_eq!(
        t.field_error(Field::Password, FieldCode::TooShort),
        "密码至少 8 位"
    );
    assert_eq!(
        t.field_error(Field::Password, FieldCode::TooCommon),
        "这个密码太常见,容易被猜到,请换一个"
    );
    assert_eq!(
        t.field_error(Field::Phone, FieldCode::Invalid),
        "请填写 11 位手机号"
    );
    assert_eq!(
        t.field_error(Field::SlotEnd, FieldCode::TooShort),
        "上门时间至少 15 分钟"
    );
    assert_eq!(
        t.field_error(Field::Reason, FieldCode::Length),
        "请填写 2–200 字的原因"
    );
    assert_eq!(
        t.field_error(Field::Title, FieldCode::Length),
        "标题需为 2–40 个字"
    );
    assert_eq!(
        t.field_error(Field::Alias, FieldCode::RevealsName),
        "不能出现住户的真实姓名,请用化名"
    );
    assert_eq!(
        t.field_error(Field::SlotStart, FieldCode::TooFar),
        t.problem.field_invalid
    );
    let invalid = ApiError::invalid(vec![FieldError {
        field: Field::DisplayName,
        code: FieldCode::Length,
        message: "1 to 20 characters".into(),
    }]);
    assert_eq!(invalid.code(), Some(ProblemCode::ValidationFailed));
    assert_eq!(t.problem_with_fields(&invalid), "称呼需为 1–20 个字");
}

#[test]
fn refused_offline_changes_are_explained_by_what_they_were() {
    let t = t();
    let claim = Command::ClaimWish(ClaimWish {
        id: ClaimId::generate(),
        wish_id: WishId::generate(),
        quantity: 1,
        note: None,
        slot_start: None,
        slot_end: None,
    });
    let notice = |code| Notice {
        mutation: 1,
        command: claim.clone(),
        code,
        title: Some("电风扇".into()),
    };
    assert_eq!(
        t.notice(&notice(ProblemCode::WishFullyClaimed)),
        "你离线时认领的「电风扇」已被其他人认领完了,这次认领没有成功。"
    );
    assert!(t
        .notice(&notice(ProblemCode::Forbidden))
        .contains(t.problem.forbidden));
    assert_eq!(t.mutate_error(&MutateError::NotSaved), t.problem.not_saved);
    assert_eq!(
        t.sync_status(SyncStatus::Offline(2)),
        "离线 · 2 项已保存,联网后自动提交"
    );
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// A house call's days read the same way a notice would, in either language.
#[test]
fn days_to_choose_name_the_weekday_and_today_or_tomorrow() {
    // 2026-07-01 is a Wednesday.
    let (zh, en) = (&ZH_CN, &EN);
    assert_eq!(zh.day_choice(day(1), day(1)), "7月1日 周三(今天)");
    assert_eq!(zh.day_choice(day(2), day(1)), "7月2日 周四(明天)");
    assert_eq!(zh.day_choice(day(5), day(1)), "7月5日 周日");
    assert_eq!(en.day_choice(day(1), day(1)), "Wed, Jul 1 (today)");
    assert_eq!(en.day_choice(day(2), day(1)), "Thu, Jul 2 (tomorrow)");
    assert_eq!(en.day_choice(day(6), day(1)), "Mon, Jul 6");
}

/// English leaves nothing in Chinese: the table (but for the alias helpers, which make
/// Chinese aliases, and the language picker's own label) and every text made in code.
#[test]
fn english_is_english_throughout() {
    let table = include_str!("en.rs");
    let chinese: Vec<&str> = table
        .lines()
        .filter(|line| has_chinese(line))
        .filter(|line| !line.contains("alias_") && !line.contains("语言 Language"))
        .collect();
    assert_eq!(chinese, Vec::<&str>::new());

    let en = &EN;
    let mut said: Vec<String> = Vec::new();
    said.extend(WishKind::ALL.iter().map(|&kind| en.kind(kind).to_owned()));
    said.extend(
        WishStatus::ALL
            .iter()
            .map(|&status| en.status(status).to_owned()),
    );
    said.extend(
        BeneficiaryGroup::ALL
            .iter()
            .map(|&group| en.group(group).to_owned()),
    );
    said.extend(
        Category::ALL
            .iter()
            .map(|&category| en.category(category).to_owned()),
    );
    said.extend(Role::ALL.iter().map(|&role| en.role(role).to_owned()));
    said.extend(Role::ALL.iter().map(|&role| en.role_hint(role).to_owned()));
    said.extend(
        ClaimStatus::ALL
            .iter()
            .map(|&status| en.claim_status(status).to_owned()),
    );
    said.extend(
        EventAction::ALL
            .iter()
            .map(|&action| en.event_action(action).to_owned()),
    );
    said.extend(
        AllocationStatus::ALL
            .iter()
            .map(|&status| en.allocation_status(status).to_owned()),
    );
    said.extend(
        ProblemCode::ALL
            .iter()
            .map(|&code| en.code(code).to_owned()),
    );
    for &field in Field::ALL {
        said.extend(
            FieldCode::ALL
                .iter()
                .map(|&code| en.field_error(field, code)),
        );
    }
    said.push(en.due(day(4), day(1)));
    said.extend((0..9).map(|n| en.day_choice(day(1 + n), day(1))));
    said.extend([
        en.year_choice(2026),
        en.month_choice(11),
        en.day_of_month_choice(29),
    ]);
    said.extend(en.calendar.date_parts.map(str::to_owned));
    said.push(en.duration(90));
    said.push(en.month("2026-07", false));
    said.push(en.wishes_and_units(2, 5));
    said.push(en.shoe_size(32));
    let left: Vec<&String> = said.iter().filter(|text| has_chinese(text)).collect();
    assert_eq!(left, Vec::<&String>::new());

    assert_eq!(en.date(day(4)), "Jul 4");
    assert_eq!(en.by_date(day(4)), "by Jul 4");
    assert_eq!(en.due(day(4), day(1)), "3 days left");
    assert_eq!(en.month("2026-07", false), "Jul 2026");
    assert_eq!(
        en.deadline(day(4), day(1), WishStatus::Open),
        "by Jul 4 · 3 days left"
    );
    assert_eq!(
        en.deadline(day(4), day(1), WishStatus::Fulfilled),
        "by Jul 4"
    );
    assert_eq!(en.duration(90), "1.5 h");
    // Time served reads one way everywhere: minutes under an hour, hours from there.
    assert_eq!(ZH_CN.duration(40), "40 分钟");
    assert_eq!(ZH_CN.duration(60), "1 小时");
    assert_eq!(en.duration(45), "45 min");
    assert_eq!(en.labelled("Note", "Saturday"), "Note: Saturday");
    assert_eq!(ZH_CN.labelled("留言", "周六"), "留言:周六");
    assert_eq!(en.list(&["Orphan", "Disabled"]), "Orphan, Disabled");
    assert_eq!(
        en.field_error(Field::Title, FieldCode::Length),
        "The title must be 2–40 characters"
    );
}

#[test]
fn times_read_in_china_time() {
    let t = t();
    let utc = |d, h, m| Utc.with_ymd_and_hms(2026, 7, d, h, m, 0).unwrap();
    assert_eq!(t.slot(utc(3, 2, 0), utc(3, 3, 30)), "7月3日 10:00–11:30");
    assert_eq!(
        t.slot(utc(3, 15, 0), utc(3, 17, 0)),
        "7月3日 23:00 – 7月4日 01:00"
    );
    assert_eq!(t.date_time(utc(10, 10, 0)), "7月10日 18:00");
}

#[test]
fn a_value_is_filled_in_as_it_is_never_read_as_a_template() {
    let values = [
        ("title", "{reason}".to_owned()),
        ("reason", "gone".to_owned()),
    ];
    assert_eq!(fill("{title}: {reason}", &values), "{reason}: gone");
    let cut = [("n", "2".to_owned()), ("unit", "个".to_owned())];
    assert_eq!(
        fill("只剩 {n}{unit},数量已改为 {n}。", &cut),
        "只剩 2个,数量已改为 2。"
    );
    assert_eq!(fill("{missing} {", &[]), "{missing} {");
}

#[test]
fn each_language_is_found_by_its_tag_and_chinese_comes_first() {
    for texts in LANGUAGES {
        assert_eq!(
            language(texts.tag).map(|found| found.name),
            Some(texts.name)
        );
    }
    assert_eq!(language("fr").map(|found| found.tag), None);
    assert_eq!(LANGUAGES[0].tag, "zh-CN");
    assert_eq!(t().app_name, "微心愿");
}

#[test]
fn a_certificate_says_its_period_with_years_and_its_totals_in_each_language() {
    use microwish_core::certificate::Certificate;
    let certificate = Certificate {
        id: microwish_core::CertificateId::from_random([1; 16]),
        volunteer_name: "陈师傅".into(),
        community_name: "星怡社区".into(),
        period_from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        period_to: day(4),
        visits: 5,
        minutes: 375,
        confirmed_by: vec!["李红".into()],
        issued_at: Utc.with_ymd_and_hms(2026, 7, 4, 2, 0, 0).unwrap(),
        revoked_at: None,
        revoke_reason: None,
        valid: true,
    };
    assert_eq!(
        ZH_CN.certificate_period(&certificate),
        "2025年1月1日 至 2026年7月4日"
    );
    assert_eq!(
        EN.certificate_period(&certificate),
        "Jan 1, 2025 to Jul 4, 2026"
    );
    assert_eq!(
        ZH_CN.certificate_statement(&certificate),
        "兹证明 陈师傅 在星怡社区参加志愿服务,经社区工作人员确认的上门服务共 5 次,累计 6.2 小时。"
    );
    assert!(EN
        .certificate_statement(&certificate)
        .contains("5 house calls confirmed by community workers, 6.2 h in all"));
    let refused = ApiError::of(ProblemCode::NoConfirmedVisits);
    assert_eq!(ZH_CN.problem(&refused), ZH_CN.certificates.no_visits);
    assert_eq!(EN.problem(&refused), EN.certificates.no_visits);
}
