//! Claiming a wish, a claim's card, and the workers' page of claims to confirm.

/// Claiming a wish, and the claim cards of "我的认领".
pub struct ClaimTexts {
    pub panel_title: &'static str,
    pub login_to_claim: &'static str,
    pub quantity: &'static str,
    pub decrease: &'static str,
    pub increase: &'static str,
    pub note: &'static str,
    pub note_placeholder: &'static str,
    pub note_placeholder_service: &'static str,
    /// "你已认领 {n}{unit}" on a wish's page, after a reload too.
    pub already_held: &'static str,
    pub already_booked: &'static str,
    pub held_more: &'static str,
    /// Before claiming an item: by when and where it must arrive.
    pub deliver_by_if_claimed: &'static str,
    /// "只剩 {n}{unit}" when a wanted quantity was cut to what remains.
    pub quantity_cut: &'static str,
    pub slot_title: &'static str,
    pub slot_date: &'static str,
    pub slot_start: &'static str,
    pub slot_end: &'static str,
    pub submit: &'static str,
    /// A house call is booked, not claimed.
    pub submit_service: &'static str,
    pub submitting: &'static str,
    pub success_title: &'static str,
    pub success_title_service: &'static str,
    /// `{time}` the deadline, `{station}` the grid station.
    pub deliver_by: &'static str,
    /// `{slot}` the agreed time.
    pub visit_at: &'static str,
    pub contact_in_my_claims: &'static str,
    pub to_my_claims: &'static str,
    pub donor_on_service: &'static str,
    pub shopkeeper_cannot_claim: &'static str,
    pub worker_cannot_claim: &'static str,
    /// `{status}`: the wish's status.
    pub not_open: &'static str,
    /// `{n}` units, `{unit}` the wish's unit.
    pub quantity_of: &'static str,
    /// `{time}`: when the claim was made.
    pub claimed_at: &'static str,
    pub slot_label: &'static str,
    pub contact_title: &'static str,
    pub contact_alias: &'static str,
    pub contact_name: &'static str,
    pub contact_address: &'static str,
    pub contact_phone: &'static str,
    pub your_note: &'static str,
    pub reject_reason: &'static str,
    pub deliver: &'static str,
    pub deliver_service: &'static str,
    /// Why a house call cannot be marked done yet.
    pub deliver_not_yet: &'static str,
    /// A house call's Delivered and Confirmed (see `Texts::claim_status_for`).
    pub status_visited: &'static str,
    pub status_served: &'static str,
    pub release: &'static str,
    pub release_question: &'static str,
    pub give_back_how_many: &'static str,
    /// `{n}`: every unit held.
    pub give_back_all: &'static str,
    /// Asked before marking delivered, which cannot be taken back.
    pub deliver_question: &'static str,
    pub deliver_question_service: &'static str,
    pub deliver_yes: &'static str,
    pub release_yes: &'static str,
    pub keep: &'static str,
    pub working: &'static str,
    pub my_title: &'static str,
    pub empty: &'static str,
    pub browse: &'static str,
    /// `{time}`: volunteer time credited so far ("40 分钟", "1.5 小时").
    pub volunteer_time: &'static str,
    pub timeline: &'static str,
    pub system_actor: &'static str,
    /// `{status}`: the wish's new status.
    pub wish_became: &'static str,
    pub gave_back_part: &'static str,
}

/// The workers' page of claims to confirm.
pub struct WorkerTexts {
    pub title: &'static str,
    pub workers_only: &'static str,
    pub workers_only_hint: &'static str,
    pub delivered_section: &'static str,
    pub active_section: &'static str,
    pub none_delivered: &'static str,
    pub none_active: &'static str,
    pub done_section: &'static str,
    pub none_done: &'static str,
    pub claimer: &'static str,
    pub confirm: &'static str,
    pub reject: &'static str,
    pub reject_placeholder: &'static str,
    pub reject_submit: &'static str,
    pub cancel: &'static str,
    pub confirm_service: &'static str,
    /// A house call's confirm waits for its slot to begin.
    pub confirm_after_visit: &'static str,
    /// Asked before confirming an item: confirming cannot be taken back.
    pub confirm_question: &'static str,
    /// Asked before confirming a house call; `{n}`: the minutes credited.
    pub confirm_question_service: &'static str,
    pub confirm_yes: &'static str,
    pub minutes: &'static str,
    pub minutes_hint: &'static str,
    pub record_thanks: &'static str,
    pub thanks_placeholder: &'static str,
    pub save_thanks: &'static str,
    pub thanks_title: &'static str,
    pub call: &'static str,
}
