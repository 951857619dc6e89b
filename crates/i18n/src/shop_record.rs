//! A shop's record of giving: 历年捐赠 on 我的捐赠, the workers' 往年记录 page and the shop's
//! public thank-you page. Both languages are here, as in [`super::stations`].

pub struct ShopRecordTexts {
    pub title: &'static str,
    /// `{years}` years given, `{units}` units in all.
    pub headline: &'static str,
    pub none: &'static str,
    /// Each year's columns.
    pub year: &'static str,
    pub units: &'static str,
    pub wishes: &'static str,
    pub communities: &'static str,
    pub thanks: &'static str,
    /// A year a worker entered (before the app).
    pub from_records: &'static str,
    pub public_switch: &'static str,
    pub public_hint: &'static str,
    pub public_link: &'static str,
    /// 商户认捐: the link to a shop's past years.
    pub past_years_link: &'static str,
    pub worker_title: &'static str,
    pub worker_intro: &'static str,
    pub note: &'static str,
    pub save: &'static str,
    pub remove: &'static str,
    /// The public page: `{shop}`, `{years}`.
    pub thank_you: &'static str,
    pub thank_you_total: &'static str,
    pub not_public: &'static str,
    /// A past year's field errors; `{from}` is the first year that may be recorded.
    pub year_range: &'static str,
    pub year_counted: &'static str,
    pub units_range: &'static str,
    pub wishes_range: &'static str,
}

pub const ZH: ShopRecordTexts = ShopRecordTexts {
    title: "历年捐赠",
    headline: "已连续捐赠 {years} 年,共 {units} 件",
    none: "还没有捐赠记录。",
    year: "年份",
    units: "件数",
    wishes: "心愿",
    communities: "社区",
    thanks: "感谢",
    from_records: "往年记录",
    public_switch: "公开我的感谢页",
    public_hint: "公开后,任何人都能看到您的历年捐赠总数(不含受助家庭的信息)。",
    public_link: "查看感谢页",
    past_years_link: "往年记录",
    worker_title: "商户往年记录",
    worker_intro:
        "商户在用微心愿之前捐过的年份,按社区台账补录。已在应用里有捐赠的年份不能补录。需要联网。",
    note: "备注",
    save: "保存这一年",
    remove: "删除",
    thank_you: "感谢{shop}连续 {years} 年的爱心",
    thank_you_total: "共捐赠 {units} 件,帮助 {wishes} 个心愿",
    not_public: "这个感谢页没有公开。",
    year_range: "只能补录 {from} 年到去年之间的年份",
    year_counted: "这一年应用里已有捐赠,不能再补录",
    units_range: "件数填 {min} 到 {max}",
    wishes_range: "心愿数在 0 到件数之间",
};

pub const EN: ShopRecordTexts = ShopRecordTexts {
    title: "Years of giving",
    headline: "{years} years of giving, {units} items in all",
    none: "No giving recorded yet.",
    year: "Year",
    units: "Items",
    wishes: "Wishes",
    communities: "Communities",
    thanks: "Thanks",
    from_records: "From records",
    public_switch: "Make my thank-you page public",
    public_hint: "Once public, anyone can see your years of giving in total (never a household).",
    public_link: "Open the thank-you page",
    past_years_link: "Past years",
    worker_title: "A shop's past years",
    worker_intro: "Years the shop gave before it used the app, from the community's ledger. A year the app already counts cannot be added. Needs a connection.",
    note: "Note",
    save: "Save this year",
    remove: "Remove",
    thank_you: "Thank you, {shop}, for {years} years of giving",
    thank_you_total: "{units} items given, {wishes} wishes met",
    not_public: "This thank-you page is not public.",
    year_range: "Only a year from {from} to last year can be added",
    year_counted: "The app already counts giving in this year",
    units_range: "Items: {min} to {max}",
    wishes_range: "Wishes: from 0 up to the items",
};

impl super::Texts {
    /// A past year's field error, in the words of the rule it broke (core's `past_year`).
    pub fn shop_year_field_error(
        &self,
        field: microwish_core::Field,
        code: microwish_core::FieldCode,
    ) -> String {
        use microwish_core::shop_record::{FIRST_YEAR, UNITS};
        use microwish_core::{Field, FieldCode};
        let words = &self.shop_record;
        match (field, code) {
            (Field::Year, FieldCode::Duplicate) => words.year_counted.to_owned(),
            (Field::Year, _) => super::fill(words.year_range, &[("from", FIRST_YEAR.to_string())]),
            (Field::Units, _) => super::fill(
                words.units_range,
                &[
                    ("min", UNITS.start().to_string()),
                    ("max", UNITS.end().to_string()),
                ],
            ),
            (Field::Wishes, _) => words.wishes_range.to_owned(),
            _ => self.field_error(field, code),
        }
    }
}
