//! A grid station's opening hours, contact person and phone, shown wherever a drop-off
//! deadline is, and where a pending volunteer is sent to be met. Both languages are here, as
//! in [`super::phone`].

pub struct StationTexts {
    pub hours: &'static str,
    pub contact: &'static str,
    pub phone: &'static str,
    /// A list of the community's stations: where to go.
    pub list_title: &'static str,
}

pub const ZH: StationTexts = StationTexts {
    hours: "开放时间",
    contact: "联系人",
    phone: "电话",
    list_title: "网格驿站",
};

pub const EN: StationTexts = StationTexts {
    hours: "Open",
    contact: "Ask for",
    phone: "Phone",
    list_title: "Grid stations",
};
