//! The workers' import (统计与导出 → 导入): a spreadsheet of households or wishes, previewed,
//! then applied; its problems in words by row and column.

use super::fill;

pub struct ImportTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub what: &'static str,
    pub households: &'static str,
    pub wishes: &'static str,
    pub template: &'static str,
    pub choose: &'static str,
    pub choose_hint: &'static str,
    pub preview: &'static str,
    pub apply: &'static str,
    pub working: &'static str,
    /// `{rows}`, `{created}`, `{updated}`, `{skipped}`.
    pub summary: &'static str,
    pub applied: &'static str,
    pub refused: &'static str,
    /// `{n}` problems.
    pub errors_title: &'static str,
    /// `{row}` and `{column}`.
    pub at: &'static str,
    pub whole_file: &'static str,
    /// `{columns}`.
    pub ignored: &'static str,
    /// Whether the server's own words (English) follow a problem's code words: they carry
    /// detail ("the same phone as row 3"), but Chinese readers get the cell instead.
    pub server_words: bool,
    /// A cell as it was read: `{value}`.
    pub value: &'static str,
    /// Each error code in words (others: the server's message alone).
    pub codes: &'static [(&'static str, &'static str)],
    /// Each column's name (by its key).
    pub columns: &'static [(&'static str, &'static str)],
}

impl ImportTexts {
    pub fn summary(&self, rows: usize, created: usize, updated: usize, skipped: usize) -> String {
        fill(
            self.summary,
            &[
                ("rows", rows.to_string()),
                ("created", created.to_string()),
                ("updated", updated.to_string()),
                ("skipped", skipped.to_string()),
            ],
        )
    }

    /// Where an error is: "第 3 行 · 电话", or the file as a whole.
    pub fn at(&self, row: usize, column: &str) -> String {
        if row == 0 {
            return self.whole_file.to_owned();
        }
        let column = self
            .columns
            .iter()
            .find(|(key, _)| *key == column)
            .map_or(column, |(_, name)| name);
        fill(
            self.at,
            &[("row", row.to_string()), ("column", column.to_owned())],
        )
    }

    pub fn code(&self, code: &str) -> Option<&'static str> {
        self.codes
            .iter()
            .find(|(key, _)| *key == code)
            .map(|(_, words)| *words)
    }
}

pub const ZH: ImportTexts = ImportTexts {
    title: "从 Excel 导入",
    intro: "把社区已有的台账导进来:先预览,没有问题再导入。同一电话的住户会更新,不会重复登记;有一处问题就什么都不导入。",
    what: "导入什么",
    households: "困难家庭",
    wishes: "心愿(直接发布)",
    template: "下载模板",
    choose: "选择文件",
    choose_hint: ".xlsx 或 .csv(UTF-8 或 GB18030),最多 5 MB、5000 行。可以直接用导出的表格。",
    preview: "预览",
    apply: "确认导入",
    working: "正在读取…",
    summary: "共 {rows} 行:新增 {created},更新 {updated},已存在 {skipped}",
    applied: "已导入。",
    refused: "有问题,什么都没有导入。改好后重新选择文件。",
    errors_title: "{n} 处问题",
    at: "第 {row} 行 · {column}",
    whole_file: "整个文件",
    ignored: "未识别的列(已忽略):{columns}",
    server_words: false,
    value: "“{value}”",
    codes: &[
        ("required", "不能为空"),
        ("invalid", "格式不对"),
        ("unknown", "找不到"),
        ("duplicate", "与前面的行重复"),
        ("length", "长度不对"),
        ("in_the_future", "不能晚于今天"),
        ("in_the_past", "不能早于今天"),
        ("too_far", "太远了"),
        ("reveals_name", "透露了真实姓名"),
        ("reveals_phone", "透露了电话"),
        ("reveals_address", "透露了地址"),
        ("consent_missing", "住户还没有同意公开"),
        ("too_many_rows", "超过 5000 行,请分成几个文件"),
        ("no_header", "第一行缺少这一列"),
        ("unreadable", "文件读不出来"),
    ],
    columns: &[
        ("name", "姓名"),
        ("address", "地址"),
        ("phone", "电话"),
        ("grid", "网格"),
        ("groups", "群体"),
        ("group", "群体"),
        ("notes", "备注"),
        ("consent_on", "同意公开日期"),
        ("minor", "有未成年人"),
        ("guardian_consent_on", "监护人同意日期"),
        ("title", "标题"),
        ("description", "描述"),
        ("kind", "类型"),
        ("category", "类别"),
        ("quantity", "数量"),
        ("unit", "单位"),
        ("alias", "化名"),
        ("station", "驿站"),
        ("needed_by", "截止日期"),
        ("campaign", "活动"),
        ("", "整行"),
    ],
};

pub const EN: ImportTexts = ImportTexts {
    title: "Import from Excel",
    intro: "Bring in the lists the community already keeps: preview first, then import. A household whose phone is already registered is updated, never doubled; with any problem nothing is imported.",
    what: "What to import",
    households: "Households",
    wishes: "Wishes (published at once)",
    template: "Download the template",
    choose: "Choose a file",
    choose_hint: ".xlsx or .csv (UTF-8 or GB18030), at most 5 MB and 5,000 rows. An export works as it is.",
    preview: "Preview",
    apply: "Import",
    working: "Reading…",
    summary: "{rows} rows: {created} new, {updated} updated, {skipped} already there",
    applied: "Imported.",
    refused: "There are problems: nothing was imported. Fix them and choose the file again.",
    errors_title: "{n} problems",
    at: "Row {row} · {column}",
    whole_file: "The whole file",
    ignored: "Columns not recognised (ignored): {columns}",
    server_words: true,
    value: "“{value}”",
    codes: &[
        ("required", "must not be empty"),
        ("invalid", "not in the right form"),
        ("unknown", "not found"),
        ("duplicate", "the same as an earlier row"),
        ("length", "too short or too long"),
        ("in_the_future", "must be today or earlier"),
        ("in_the_past", "must be today or later"),
        ("too_far", "too far ahead"),
        ("reveals_name", "shows the real name"),
        ("reveals_phone", "shows a phone number"),
        ("reveals_address", "shows the address"),
        ("consent_missing", "the household has not agreed to publishing"),
        ("too_many_rows", "more than 5,000 rows: split the file"),
        ("no_header", "this column is missing from the first row"),
        ("unreadable", "the file cannot be read"),
    ],
    columns: &[
        ("name", "name"),
        ("address", "address"),
        ("phone", "phone"),
        ("grid", "grid"),
        ("groups", "groups"),
        ("group", "group"),
        ("notes", "notes"),
        ("consent_on", "consent date"),
        ("minor", "child under 14"),
        ("guardian_consent_on", "guardian's consent date"),
        ("title", "title"),
        ("description", "description"),
        ("kind", "kind"),
        ("category", "category"),
        ("quantity", "quantity"),
        ("unit", "unit"),
        ("alias", "alias"),
        ("station", "station"),
        ("needed_by", "needed by"),
        ("campaign", "campaign"),
        ("", "the row"),
    ],
};
