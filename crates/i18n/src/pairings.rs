//! Paired communities (结对帮扶): the workers' page that asks, answers and ends pairings, and the
//! pledge form's choice of community. Both languages are here, as in [`super::stations`].

use microwish_core::pairing::PairingStatus;
use microwish_core::{Field, FieldCode};

use super::{fill, Texts};

pub struct PairingTexts {
    /// The workers' page (and its entry on 工作台).
    pub page_title: &'static str,
    pub page_intro: &'static str,
    pub none: &'static str,
    pub invite_title: &'static str,
    pub choose: &'static str,
    pub invite: &'static str,
    pub inviting: &'static str,
    /// `{name}`: the other community.
    pub asked_us: &'static str,
    pub we_asked: &'static str,
    pub paired_with: &'static str,
    pub was_paired_with: &'static str,
    pub proposed: &'static str,
    pub active: &'static str,
    pub declined: &'static str,
    pub ended: &'static str,
    pub accept: &'static str,
    pub decline: &'static str,
    pub withdraw: &'static str,
    pub end: &'static str,
    /// `{name}`: the other community.
    pub end_check: &'static str,
    pub end_yes: &'static str,
    pub itself: &'static str,
    pub duplicate: &'static str,
    pub unknown: &'static str,
    pub not_paired: &'static str,
    /// The pledge form.
    pub destination: &'static str,
    pub destination_hint: &'static str,
    /// `{name}`.
    pub own: &'static str,
    pub partner: &'static str,
    pub own_unnamed: &'static str,
    pub partner_unnamed: &'static str,
}

pub const ZH: PairingTexts = PairingTexts {
    page_title: "结对社区",
    page_intro: "结对帮扶:两个社区的工作人员都同意后,双方的爱心商户可以把物资捐给对方社区,由对方社区的工作人员分配给心愿。对方只看得到社区名称和公开的心愿,看不到住户信息。此页需要联网。",
    none: "还没有结对社区。",
    invite_title: "邀请结对",
    choose: "选择社区",
    invite: "发出邀请",
    inviting: "正在发送…",
    asked_us: "{name} 邀请与本社区结对",
    we_asked: "已邀请 {name} 结对",
    paired_with: "与 {name} 结对",
    was_paired_with: "曾与 {name} 结对",
    proposed: "等待同意",
    active: "已结对",
    declined: "已婉拒",
    ended: "已结束",
    accept: "同意结对",
    decline: "婉拒",
    withdraw: "撤回邀请",
    end: "结束结对",
    end_check: "确定结束与{name}的结对吗?已经捐出的物资不受影响。",
    end_yes: "确定结束",
    itself: "不能与本社区结对。",
    duplicate: "已与这个社区结对,或已有一份邀请在等答复。",
    unknown: "没有这个社区。",
    not_paired: "只能捐给本社区或结对社区。",
    destination: "捐给哪个社区",
    destination_hint: "结对社区的工作人员会把物资分配给那里的心愿。",
    own: "{name}(本社区)",
    partner: "{name}(结对社区)",
    own_unnamed: "本社区",
    partner_unnamed: "结对社区",
};

pub const EN: PairingTexts = PairingTexts {
    page_title: "Paired communities",
    page_intro: "Pairing (结对帮扶): once both communities' workers agree, shops of either may give goods to the other, whose workers give them to its wishes. Each side sees only the other's name and public wishes, never a household. This page needs a connection.",
    none: "No paired community yet.",
    invite_title: "Ask a community to pair",
    choose: "Choose a community",
    invite: "Send the invitation",
    inviting: "Sending…",
    asked_us: "{name} asks to pair with us",
    we_asked: "We asked {name} to pair",
    paired_with: "Paired with {name}",
    was_paired_with: "Was paired with {name}",
    proposed: "Waiting for an answer",
    active: "Paired",
    declined: "Declined",
    ended: "Ended",
    accept: "Agree to pair",
    decline: "Decline",
    withdraw: "Take back",
    end: "End the pairing",
    end_check: "End the pairing with {name}? Goods already given stay given.",
    end_yes: "Yes, end it",
    itself: "A community cannot pair with itself.",
    duplicate: "Already paired with this community, or an invitation waits for an answer.",
    unknown: "There is no such community.",
    not_paired: "Goods go to your own community or a paired one.",
    destination: "Which community receives them",
    destination_hint: "A paired community's workers give the goods to its wishes.",
    own: "{name} (ours)",
    partner: "{name} (paired)",
    own_unnamed: "Our community",
    partner_unnamed: "A paired community",
};

impl Texts {
    /// A pairing's state in a word.
    pub fn pairing_status(&self, status: PairingStatus) -> &'static str {
        let words = &self.pairings;
        match status {
            PairingStatus::Proposed => words.proposed,
            PairingStatus::Active => words.active,
            PairingStatus::Declined => words.declined,
            PairingStatus::Ended => words.ended,
        }
    }

    /// A template's `{name}` filled in.
    pub fn pairing_line(&self, template: &str, name: &str) -> String {
        fill(template, &[("name", name.to_owned())])
    }

    /// The invitation form's field error (the community chosen).
    pub fn pairing_field_error(&self, field: Field, code: FieldCode) -> String {
        let words = &self.pairings;
        match (field, code) {
            (Field::CommunityId, FieldCode::Invalid) => words.itself.to_owned(),
            (Field::CommunityId, FieldCode::Duplicate) => words.duplicate.to_owned(),
            (Field::CommunityId, FieldCode::Unknown) => words.unknown.to_owned(),
            _ => self.field_error(field, code),
        }
    }
}
