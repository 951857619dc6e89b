//! A grid station's opening hours, contact person and phone, shown wherever a drop-off
//! deadline is, and where a pending volunteer is sent to be met; and the workers' page that
//! sets them. Both languages are here, as in [`super::phone`].

use microwish_core::validate::{STATION_CONTACT_MAX_CHARS, STATION_HOURS_MAX_CHARS};
use microwish_core::{Field, FieldCode};

use super::{fill, Texts};

pub struct StationTexts {
    pub hours: &'static str,
    pub contact: &'static str,
    pub phone: &'static str,
    /// A list of the community's stations: where to go.
    pub list_title: &'static str,
    /// The workers' page (and its entry on 工作台).
    pub page_title: &'static str,
    pub page_intro: &'static str,
    pub hours_hint: &'static str,
    pub contact_hint: &'static str,
    pub phone_hint: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    /// `{n}`: the most characters.
    pub too_long: &'static str,
}

pub const ZH: StationTexts = StationTexts {
    hours: "开放时间",
    contact: "联系人",
    phone: "电话",
    list_title: "网格驿站",
    page_title: "驿站信息",
    page_intro: "写清每个网格驿站什么时候开门、找谁、打哪个电话。捐赠人送东西、志愿者来审核时都会看到。保存需要联网。",
    hours_hint: "例如:周一至周六 9:00–17:00",
    contact_hint: "例如:网格长 李敏",
    phone_hint: "手机或座机,例如 0571-8650 1201",
    save: "保存",
    saving: "正在保存…",
    saved: "已保存,大家的手机会自动更新。",
    too_long: "最多 {n} 个字",
};

pub const EN: StationTexts = StationTexts {
    hours: "Open",
    contact: "Ask for",
    phone: "Phone",
    list_title: "Grid stations",
    page_title: "Stations",
    page_intro: "Say when each grid station is open, whom to ask for and which number to call. Donors bringing goods and volunteers coming to be approved see it. Saving needs a connection.",
    hours_hint: "e.g. Mon–Sat 9:00–17:00",
    contact_hint: "e.g. Grid leader Li Min",
    phone_hint: "A mobile or a landline, e.g. 0571-8650 1201",
    save: "Save",
    saving: "Saving…",
    saved: "Saved; everyone's phones update by themselves.",
    too_long: "At most {n} characters",
};

impl Texts {
    /// A station form's field error: a length for its texts, a mobile or a landline for its
    /// phone.
    pub fn station_field_error(&self, field: Field, code: FieldCode) -> String {
        let at_most = |n: usize| fill(self.stations.too_long, &[("n", n.to_string())]);
        match field {
            Field::Hours => at_most(STATION_HOURS_MAX_CHARS),
            Field::Contact => at_most(STATION_CONTACT_MAX_CHARS),
            _ => self.household_field_error(field, code),
        }
    }
}
