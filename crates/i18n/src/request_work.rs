//! Working on residents' requests: the workers' inbox and its actions, the handler's steps,
//! the requester's answer (a rating, or reopening), the volunteers' calls, the public board,
//! and the requests' rates on the home page and in the report.

use super::{fill, Texts};

/// The workers' inbox and what they do with a request; the handler's steps.
pub struct RequestWorkTexts {
    pub inbox_title: &'static str,
    pub inbox_intro: &'static str,
    pub to_inbox: &'static str,
    /// `{n}` overdue requests, on the console's link.
    pub overdue_count: &'static str,
    pub filter_status: &'static str,
    pub filter_grid: &'static str,
    pub filter_category: &'static str,
    pub filter_overdue: &'static str,
    pub only_open: &'static str,
    pub only_overdue: &'static str,
    pub my_grid: &'static str,
    pub my_grid_hint: &'static str,
    pub no_match: &'static str,
    /// `{n}` requests.
    pub count: &'static str,
    pub log_for_someone: &'static str,
    pub accept: &'static str,
    pub dispatch: &'static str,
    pub dispatch_to: &'static str,
    pub to_myself: &'static str,
    pub no_staff: &'static str,
    pub dispatch_submit: &'static str,
    pub call_volunteers: &'static str,
    pub call_hint: &'static str,
    pub decline: &'static str,
    pub decline_reason: &'static str,
    pub decline_placeholder: &'static str,
    pub decline_submit: &'static str,
    pub merge: &'static str,
    pub merge_into: &'static str,
    pub merge_none: &'static str,
    pub merge_submit: &'static str,
    pub convert: &'static str,
    pub convert_household: &'static str,
    pub choose_household: &'static str,
    pub convert_hint: &'static str,
    pub convert_submit: &'static str,
    /// On the wish form: `{what}` the request's category, what the new wish will answer.
    pub converting: &'static str,
    pub note: &'static str,
    pub note_placeholder: &'static str,
    pub note_submit: &'static str,
    pub start: &'static str,
    pub resolve: &'static str,
    pub resolve_note: &'static str,
    pub resolve_note_placeholder: &'static str,
    pub public_summary: &'static str,
    pub public_summary_hint: &'static str,
    pub public_summary_placeholder: &'static str,
    pub resolve_submit: &'static str,
    pub after_photo: &'static str,
    pub cancel: &'static str,
    pub working: &'static str,
    pub assigned_title: &'static str,
    pub assigned_intro: &'static str,
    pub assigned_empty: &'static str,
    pub handled_section: &'static str,
    pub calls_title: &'static str,
    pub calls_intro: &'static str,
    pub calls_empty: &'static str,
    pub calls_party_only: &'static str,
    pub take: &'static str,
    pub held_section: &'static str,
    pub none_held: &'static str,
}

/// The requester's answer to a resolved request.
pub struct RequestAnswerTexts {
    pub question: &'static str,
    pub rating: &'static str,
    /// One word per star, 1 to 5.
    pub rating_words: [&'static str; 5],
    /// `{n}` stars, `{word}`: what a radio button is called.
    pub stars: &'static str,
    pub note: &'static str,
    pub note_placeholder: &'static str,
    pub confirm: &'static str,
    pub reopen: &'static str,
    pub reopen_reason: &'static str,
    pub reopen_placeholder: &'static str,
    pub reopen_submit: &'static str,
    /// `{date}`: until when.
    pub answer_until: &'static str,
}

/// The public board, and the requests' figures on the home page and in the report.
pub struct BoardTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub empty: &'static str,
    pub link: &'static str,
    /// `{date}`.
    pub resolved_on: &'static str,
    pub needs_network: &'static str,
    pub summary_title: &'static str,
    pub filed: &'static str,
    pub resolved: &'static str,
    pub response_rate: &'static str,
    pub resolution_rate: &'static str,
    pub solved_rate: &'static str,
    pub satisfaction_rate: &'static str,
    pub median_accept: &'static str,
    pub median_resolve: &'static str,
    pub report_title: &'static str,
    /// The report's columns (the home page's words follow a number).
    pub report_total: &'static str,
    pub report_response: &'static str,
    pub report_satisfaction: &'static str,
    pub by_month: &'static str,
    pub by_grid: &'static str,
    pub by_category: &'static str,
    pub category: &'static str,
    pub export: &'static str,
    pub export_hint: &'static str,
    /// `{n}` minutes.
    pub minutes: &'static str,
    /// `{n}` per cent.
    pub percent: &'static str,
}

impl Texts {
    /// "3 条超时".
    pub fn overdue_count(&self, n: usize) -> String {
        fill(self.request_work.overdue_count, &[("n", n.to_string())])
    }

    /// "共 12 条".
    pub fn request_count(&self, n: usize) -> String {
        fill(self.request_work.count, &[("n", n.to_string())])
    }

    /// "4 星 满意", what one of the rating's radio buttons says.
    pub fn stars(&self, n: u8) -> String {
        let word = self
            .request_answer
            .rating_words
            .get(usize::from(n).wrapping_sub(1))
            .copied()
            .unwrap_or("");
        fill(
            self.request_answer.stars,
            &[("n", n.to_string()), ("word", word.to_owned())],
        )
    }

    /// A rate as a percentage ("87%"), or a dash when there is nothing to rate.
    pub fn rate(&self, rate: Option<f64>) -> String {
        rate.map_or_else(
            || "—".to_owned(),
            |rate| {
                let percent = (rate * 100.0).round();
                fill(self.board.percent, &[("n", format!("{percent:.0}"))])
            },
        )
    }

    /// A median duration: minutes under two hours, else hours ("35 分钟", "5.5 小时").
    pub fn median_minutes(&self, minutes: Option<f64>) -> String {
        match minutes {
            None => "—".to_owned(),
            Some(minutes) if minutes < 120.0 => fill(
                self.board.minutes,
                &[("n", format!("{:.0}", minutes.max(0.0)))],
            ),
            Some(minutes) => self.duration(minutes.round() as u32),
        }
    }
}
