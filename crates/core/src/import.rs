//! Importing a worker's own lists (`POST /api/import/households`, `/api/import/wishes`): the
//! rows of a spreadsheet, already decoded to strings by the server (xlsx, or csv in UTF-8 or
//! GB18030), turned into the ordinary commands (create or update a household, create a wish),
//! with every problem reported by row and column. No I/O: the server decodes the file, gives
//! the community's households, grids and campaigns, and applies the commands through `decide`
//! like any other, in one transaction.
//!
//! The columns of our own export are recognised by their Chinese or English header (`电话`,
//! `phone` or the export's `电话 phone`), in any order; other columns are listed and ignored.
//! A household is known by its phone: a row whose phone is already a household of the
//! community updates it (or is skipped when nothing differs), never makes a second one.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::command::{
    Command, HouseholdFields, HouseholdPatch, HouseholdUpdate, NewHousehold, NewWish,
};
use crate::error::{Field, FieldCode, RuleError};
use crate::ids::{CampaignId, GridId, HouseholdId, WishId};
use crate::model::{BeneficiaryGroup, Category, Grid, Household, WishKind, WishStatus};

/// The most bytes a file may have (413 `too_large` beyond).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The most data rows a file may have (an error on the file beyond).
pub const MAX_ROWS: usize = 5_000;

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// Data rows read (blank rows not counted).
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Rows already there as they are.
    pub skipped: usize,
    /// Every problem, by row (the spreadsheet's row number: the header is row 1; 0 for the
    /// file as a whole) and column (its English key, e.g. `phone`; empty for the file or row).
    pub errors: Vec<ImportError>,
    /// How the file was read: `xlsx`, `csv_utf8`, `csv_utf8_bom` or `csv_gb18030`.
    #[serde(default)]
    pub format: String,
    /// Headers that are not a column of ours, ignored.
    #[serde(default)]
    pub ignored_columns: Vec<String>,
}

/// One problem of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportError {
    pub row: usize,
    pub column: String,
    /// A field code (`required`, `invalid`, `unknown`, `reveals_name`, …), a problem code
    /// (`consent_missing`, …) or `too_many_rows`, `no_header`, `duplicate`.
    pub code: String,
    /// The problem in the server's words (English), for a reader without the code's.
    pub message: String,
    /// The cell as it was read (empty when the problem is not one cell's), so the app can
    /// say what is wrong in its own language: 第 3 行 · 网格 “七网格”:找不到.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
}

impl ImportError {
    fn new(row: usize, column: &str, code: &str, message: impl Into<String>) -> ImportError {
        ImportError {
            row,
            column: column.to_owned(),
            code: code.to_owned(),
            message: message.into(),
            value: String::new(),
        }
    }

    fn of_cell(mut self, value: &str) -> ImportError {
        self.value = value.trim().to_owned();
        self
    }
}

/// A command for one row of the file, and what it does.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRow {
    pub row: usize,
    pub command: Command,
    /// An update (rather than a creation).
    pub updates: bool,
}

/// What a file's rows come to: the commands to apply, and the report so far (rows, skipped,
/// errors; `created`/`updated` are counted as the commands are applied).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub commands: Vec<PlannedRow>,
    pub report: ImportReport,
}

impl Plan {
    /// Records that the command of `row` was refused by the rules: its errors by column.
    pub fn refused(&mut self, row: usize, error: &RuleError) {
        self.report.errors.extend(row_errors(row, error));
    }

    /// Counts an applied command.
    pub fn applied(&mut self, planned: &PlannedRow) {
        if planned.updates {
            self.report.updated += 1;
        } else {
            self.report.created += 1;
        }
    }
}

/// The errors of a refused command, each on its column.
pub fn row_errors(row: usize, error: &RuleError) -> Vec<ImportError> {
    match error {
        RuleError::Validation(errors) => errors
            .0
            .iter()
            .map(|each| {
                ImportError::new(
                    row,
                    column_of(each.field),
                    each.code.as_str(),
                    each.message.clone(),
                )
            })
            .collect(),
        other => vec![ImportError::new(
            row,
            "",
            other.code().as_str(),
            other.to_string(),
        )],
    }
}

fn column_of(field: Field) -> &'static str {
    match field {
        Field::HouseholdId => "phone",
        Field::CampaignId => "campaign",
        other => other.as_str(),
    }
}

/// The template a worker fills in for `households`: the export's columns (those an import
/// reads) and one example row.
pub const HOUSEHOLDS_TEMPLATE: &str =
    "\u{feff}姓名 name,地址 address,电话 phone,网格 grid,群体 groups,备注 notes,\
同意公开日期 consent_on,有未成年人 minor,监护人同意日期 guardian_consent_on\r\n\
王小明,星怡花园1幢101室,139-0000-0000,第一网格,独居老人,上门请先电话,2026-01-05,否 no,\r\n";

/// The template for `wishes`: the household's phone, the wish's columns, one example row.
pub const WISHES_TEMPLATE: &str =
    "\u{feff}电话 phone,标题 title,描述 description,类型 kind,类别 category,\
数量 quantity,单位 unit,化名 alias,截止日期 needed_by,活动 campaign\r\n\
139-0000-0000,冬天的棉被,,item,daily,1,床,王爷爷,,\r\n";

/// A column of our exports: its English key and its Chinese header.
struct Column {
    key: &'static str,
    zh: &'static str,
}

const fn column(key: &'static str, zh: &'static str) -> Column {
    Column { key, zh }
}

/// The columns of `households.csv` (the first three of the last four are the export's own
/// and read as nothing).
const HOUSEHOLD_COLUMNS: &[Column] = &[
    column("name", "姓名"),
    column("address", "地址"),
    column("phone", "电话"),
    column("grid", "网格"),
    column("groups", "群体"),
    column("notes", "备注"),
    column("consent_on", "同意公开日期"),
    column("minor", "有未成年人"),
    column("guardian_consent_on", "监护人同意日期"),
    column("id", "编号"),
    column("wishes", "心愿数"),
    column("created_at", "登记时间"),
];

/// The columns a wish is imported from: `wishes.csv`'s, and the household's phone (or name
/// and address) and the description.
const WISH_COLUMNS: &[Column] = &[
    column("phone", "电话"),
    column("name", "姓名"),
    column("address", "地址"),
    column("title", "标题"),
    column("description", "描述"),
    column("kind", "类型"),
    column("category", "类别"),
    column("quantity", "数量"),
    column("unit", "单位"),
    column("alias", "化名"),
    column("group", "群体"),
    column("station", "驿站"),
    column("needed_by", "截止日期"),
    column("campaign", "活动"),
    column("id", "编号"),
    column("status", "状态"),
    column("claimed", "已认领"),
    column("delivered", "已送达"),
    column("fulfilled", "已确认"),
    column("remaining", "剩余"),
    column("grid", "网格"),
    column("created_at", "发布时间"),
    column("fulfilled_at", "完成时间"),
];

/// Which column each header cell is: `电话`, `phone`, `电话 phone` (the export's) or `Phone`.
fn recognise(header: &[String], columns: &[Column]) -> (HashMap<&'static str, usize>, Vec<String>) {
    let mut found = HashMap::new();
    let mut ignored = Vec::new();
    for (index, cell) in header.iter().enumerate() {
        let cell = cell.trim().trim_start_matches('\u{feff}').trim();
        if cell.is_empty() {
            continue;
        }
        let lower = cell.to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let known = columns.iter().find(|column| {
            lower == column.key
                || lower == column.zh
                || words.contains(&column.key)
                || words.contains(&column.zh)
        });
        match known {
            Some(column) if !found.contains_key(column.key) => {
                found.insert(column.key, index);
            }
            _ => ignored.push(cell.to_owned()),
        }
    }
    (found, ignored)
}

/// One data row, read by column key.
struct Row<'a> {
    cells: &'a [String],
    columns: &'a HashMap<&'static str, usize>,
}

impl Row<'_> {
    fn has(&self, key: &str) -> bool {
        self.columns.contains_key(key)
    }

    /// The cell of `key`, trimmed, with the export's defusing apostrophe taken off.
    fn get(&self, key: &str) -> &str {
        self.columns
            .get(key)
            .and_then(|index| self.cells.get(*index))
            .map_or("", |cell| undefuse(cell.trim()))
    }
}

/// A cell as typed: the apostrophe the export puts before `=`, `+`, `-`, `@` (so that Excel
/// does not run it) is taken off. Nothing is ever evaluated.
pub fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|cell| cell.trim().is_empty())
}

/// Where each recognised column is, by its key.
type Columns = HashMap<&'static str, usize>;

/// The data rows that are not blank, each with its row number in the sheet.
type DataRows<'a> = Vec<(usize, &'a [String])>;

/// The start of a plan: the header recognised, the data rows counted and limited. `None`
/// when the file cannot be read on (no header, too many rows).
fn start<'a>(
    rows: &'a [Vec<String>],
    columns: &[Column],
    required: &[&str],
    plan: &mut Plan,
) -> Option<(Columns, DataRows<'a>)> {
    let Some(header_at) = rows.iter().position(|cells| !blank(cells)) else {
        plan.report
            .errors
            .push(ImportError::new(0, "", "no_header", "the file is empty"));
        return None;
    };
    let (found, ignored) = recognise(&rows[header_at], columns);
    plan.report.ignored_columns = ignored;
    let data: Vec<(usize, &[String])> = rows
        .iter()
        .enumerate()
        .skip(header_at + 1)
        .filter(|(_, cells)| !blank(cells))
        .map(|(index, cells)| (index + 1, cells.as_slice()))
        .collect();
    plan.report.rows = data.len();
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|key| !found.contains_key(key))
        .collect();
    if !missing.is_empty() {
        for key in missing {
            let zh = columns.iter().find(|c| c.key == key).map_or("", |c| c.zh);
            plan.report.errors.push(ImportError::new(
                header_at + 1,
                key,
                "no_header",
                format!("no column {zh} ({key}) in the first row"),
            ));
        }
        return None;
    }
    if data.len() > MAX_ROWS {
        plan.report.errors.push(ImportError::new(
            0,
            "",
            "too_many_rows",
            format!(
                "{} rows; at most {MAX_ROWS} in one file: split it",
                data.len()
            ),
        ));
        return None;
    }
    Some((found, data))
}

/// The digits of a phone, for telling whether two are the same ("139-6280-0101" is
/// "13962800101").
pub fn phone_key(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// A phone as stored: the separators of a plain number dropped ("139-6280-0101" →
/// "13962800101"); anything else as typed (for its validation to judge).
fn clean_phone(phone: &str) -> String {
    let phone = phone.trim();
    let plain = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-'));
    if plain {
        phone_key(phone)
    } else {
        phone.to_owned()
    }
}

/// A date as a worker types it: 2026-07-01, 2026/7/1, 2026.7.1, 2026年7月1日 (a date cell
/// of an xlsx arrives as 2026-07-01; a time after it is ignored).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let day = text.split([' ', 'T']).next().unwrap_or(text);
    let normal: String = day
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            '日' => ' ',
            other => other,
        })
        .collect();
    let mut parts = normal.trim().split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn parse_bool(text: &str) -> Option<bool> {
    let lower = text.trim().to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    match first {
        "" | "否" | "无" | "no" | "n" | "false" | "0" => Some(false),
        "是" | "有" | "yes" | "y" | "true" | "1" => Some(true),
        _ => None,
    }
}

fn parse_group(word: &str) -> Option<BeneficiaryGroup> {
    let lower = word.trim().to_lowercase();
    BeneficiaryGroup::ALL
        .iter()
        .copied()
        .find(|group| group.as_str() == lower || group.search_words().contains(&lower.as_str()))
}

fn parse_groups(text: &str) -> Result<Vec<BeneficiaryGroup>, String> {
    let mut groups = Vec::new();
    for word in text
        .split([' ', ',', '，', '、', ';', '；', '/'])
        .filter(|word| !word.trim().is_empty())
    {
        groups.push(parse_group(word).ok_or_else(|| word.trim().to_owned())?);
    }
    Ok(groups)
}

fn parse_category(text: &str) -> Option<Category> {
    let lower = text.trim().to_lowercase();
    Category::ALL.iter().copied().find(|category| {
        category.as_str() == lower || category.search_words().contains(&lower.as_str())
    })
}

pub(crate) fn parse_kind(text: &str) -> Option<WishKind> {
    let text = text.trim().to_lowercase();
    WishKind::ALL
        .iter()
        .copied()
        .find(|kind| text == kind.as_str() || text == crate::sheet::kind(*kind))
        .or(match text.as_str() {
            "实物" => Some(WishKind::Item),
            "上门服务" => Some(WishKind::Service),
            _ => None,
        })
}

/// A grid of the community by its name (as exported) or id.
fn find_grid(text: &str, grids: &[Grid]) -> Option<GridId> {
    grids
        .iter()
        .find(|grid| grid.name == text || grid.id.as_str() == text)
        .map(|grid| grid.id.clone())
}

/// A file of households (`rows`: the header first) as commands for the community whose
/// `grids` and `households` are given. Each row is checked as the household form checks it
/// ([`HouseholdFields::validate`]); `decide` checks it again when applied.
pub fn households(
    rows: &[Vec<String>],
    grids: &[Grid],
    existing: &[Household],
    today: NaiveDate,
) -> Plan {
    let mut plan = Plan::default();
    let Some((columns, data)) = start(rows, HOUSEHOLD_COLUMNS, &["phone"], &mut plan) else {
        return plan;
    };
    let by_phone: HashMap<String, &Household> = existing
        .iter()
        .map(|household| (phone_key(&household.phone), household))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (number, cells) in data {
        let row = Row {
            cells,
            columns: &columns,
        };
        let mut errors = Vec::new();
        let mut error = |column: &str, code: FieldCode, message: String| {
            errors.push(
                ImportError::new(number, column, code.as_str(), message).of_cell(row.get(column)),
            );
        };
        let phone = clean_phone(row.get("phone"));
        let key = phone_key(&phone);
        if !key.is_empty() {
            if let Some(first) = seen.insert(key.clone(), number) {
                error(
                    "phone",
                    FieldCode::Duplicate,
                    format!("the same phone as row {first}"),
                );
            }
        }
        let current = by_phone.get(&key).copied().filter(|_| !key.is_empty());
        let grid = if row.has("grid") {
            let text = row.get("grid");
            match find_grid(text, grids) {
                Some(grid) => Some(grid),
                None if text.is_empty() => {
                    error("grid", FieldCode::Required, "must not be empty".into());
                    None
                }
                None => {
                    error(
                        "grid",
                        FieldCode::Unknown,
                        format!("{text}: not a grid of your community"),
                    );
                    None
                }
            }
        } else {
            None
        };
        let groups = if row.has("groups") {
            match parse_groups(row.get("groups")) {
                Ok(groups) => Some(groups),
                Err(word) => {
                    error(
                        "groups",
                        FieldCode::Unknown,
                        format!("{word}: not a group (独居老人, 低保低收入, 孤儿, 残疾人, 困境儿童, 其他困难群体)"),
                    );
                    None
                }
            }
        } else {
            None
        };
        let mut date = |key: &str| -> Option<Option<NaiveDate>> {
            if !row.has(key) {
                return None;
            }
            let text = row.get(key);
            if text.is_empty() {
                return Some(None);
            }
            match parse_date(text) {
                Some(day) => Some(Some(day)),
                None => {
                    error(
                        key,
                        FieldCode::Invalid,
                        format!("{text}: not a date (e.g. 2026-07-01)"),
                    );
                    None
                }
            }
        };
        let consent_on = date("consent_on");
        let guardian_consent_on = date("guardian_consent_on");
        let minor = if row.has("minor") {
            let text = row.get("minor");
            let minor = parse_bool(text);
            if minor.is_none() {
                error(
                    "minor",
                    FieldCode::Invalid,
                    format!("{text}: 是 or 否 (yes or no)"),
                );
            }
            minor
        } else {
            None
        };
        let text = |key: &str| row.has(key).then(|| row.get(key).to_owned());
        let patch = HouseholdPatch {
            name: text("name"),
            address: text("address"),
            phone: Some(phone),
            grid,
            groups,
            notes: text("notes"),
            consent_on,
            guardian_consent_on,
            minor,
        };
        let fields = match current {
            // A blank consent cell never withdraws a consent given: that is the form's to do,
            // deliberately (it takes the household's wishes down).
            Some(household) => HouseholdPatch {
                consent_on: patch.consent_on.filter(Option::is_some),
                guardian_consent_on: patch.guardian_consent_on.filter(Option::is_some),
                ..patch.clone()
            }
            .apply_to(household),
            None => HouseholdFields {
                name: patch.name.clone().unwrap_or_default(),
                address: patch.address.clone().unwrap_or_default(),
                phone: patch.phone.clone().unwrap_or_default(),
                grid: patch.grid.clone().unwrap_or_else(|| GridId::from("")),
                groups: patch.groups.clone().unwrap_or_default(),
                notes: patch.notes.clone().unwrap_or_default(),
                consent_on: patch.consent_on.flatten(),
                guardian_consent_on: patch.guardian_consent_on.flatten(),
                minor: patch.minor.unwrap_or(false),
            },
        };
        // Every problem of the row at once: the form's checks too, on the columns read.
        let fields = fields.validate(today);
        if let Err(refused) = &fields {
            let read: Vec<String> = errors.iter().map(|error| error.column.clone()).collect();
            errors.extend(
                row_errors(number, refused)
                    .into_iter()
                    .filter(|error| !read.contains(&error.column)),
            );
        }
        let fields = match fields {
            Ok(fields) if errors.is_empty() => fields,
            _ => {
                plan.report.errors.extend(errors);
                continue;
            }
        };
        match current {
            Some(household) => {
                let mut now = HouseholdFields::of(household);
                now.groups.sort();
                now.groups.dedup();
                // The phone as it is stored, when it is the same number.
                let fields = HouseholdFields {
                    phone: now.phone.clone(),
                    ..fields
                };
                if fields == now {
                    plan.report.skipped += 1;
                    continue;
                }
                let patch = HouseholdPatch {
                    name: Some(fields.name),
                    address: Some(fields.address),
                    phone: None,
                    grid: Some(fields.grid),
                    groups: Some(fields.groups),
                    notes: Some(fields.notes),
                    consent_on: (fields.consent_on != now.consent_on).then_some(fields.consent_on),
                    guardian_consent_on: (fields.guardian_consent_on != now.guardian_consent_on)
                        .then_some(fields.guardian_consent_on),
                    minor: (fields.minor != now.minor).then_some(fields.minor),
                };
                plan.commands.push(PlannedRow {
                    row: number,
                    command: Command::UpdateHousehold(HouseholdUpdate {
                        household_id: household.id,
                        patch,
                    }),
                    updates: true,
                });
            }
            None => plan.commands.push(PlannedRow {
                row: number,
                command: Command::CreateHousehold(NewHousehold {
                    id: HouseholdId::generate(),
                    fields,
                }),
                updates: false,
            }),
        }
    }
    plan
}

/// What a wish file is imported against: the community's households, grids and campaigns,
/// the ids of its wishes (a row of `wishes.csv` with an id already there is skipped), and the
/// household and title of each wish still under way (draft, open or claimed: a row asking
/// the same of the same household is already there, so a list imported twice adds nothing).
pub struct WishContext<'a> {
    pub households: &'a [Household],
    pub grids: &'a [Grid],
    pub campaigns: &'a [(CampaignId, String)],
    pub wishes: &'a HashSet<WishId>,
    pub under_way: &'a HashSet<(HouseholdId, String)>,
}

/// A wish still under way: asking the same again would double it.
pub const UNDER_WAY: &[WishStatus] = &[WishStatus::Draft, WishStatus::Open, WishStatus::Claimed];

/// A file of wishes (`rows`: the header first) as commands: each published at once (its
/// household's consent is `decide`'s to check, with the public-text checks).
pub fn wishes(rows: &[Vec<String>], context: &WishContext<'_>) -> Plan {
    let mut plan = Plan::default();
    let Some((columns, data)) = start(
        rows,
        WISH_COLUMNS,
        &["title", "quantity", "unit", "alias"],
        &mut plan,
    ) else {
        return plan;
    };
    let whose = columns.contains_key("phone")
        || (columns.contains_key("name") && columns.contains_key("address"));
    if !whose {
        plan.report.errors.push(ImportError::new(
            1,
            "phone",
            "no_header",
            "no column 电话 (phone), nor 姓名 (name) with 地址 (address): whose wish is it?",
        ));
        return plan;
    }
    let mut seen: HashMap<(HouseholdId, String), usize> = HashMap::new();
    for (number, cells) in data {
        let row = Row {
            cells,
            columns: &columns,
        };
        if let Ok(id) = row.get("id").parse::<WishId>() {
            if context.wishes.contains(&id) {
                plan.report.skipped += 1;
                continue;
            }
        }
        let mut errors = Vec::new();
        let mut error = |column: &str, code: FieldCode, message: String| {
            errors.push(
                ImportError::new(number, column, code.as_str(), message).of_cell(row.get(column)),
            );
        };
        let phone = phone_key(row.get("phone"));
        let household = if !phone.is_empty() {
            let found = context
                .households
                .iter()
                .find(|household| phone_key(&household.phone) == phone);
            if found.is_none() {
                error(
                    "phone",
                    FieldCode::Unknown,
                    format!(
                        "{}: no household of your community has this phone",
                        row.get("phone")
                    ),
                );
            }
            found
        } else {
            let (name, address) = (row.get("name"), row.get("address"));
            let found = context
                .households
                .iter()
                .find(|household| household.name == name && household.address == address);
            if found.is_none() {
                error(
                    if name.is_empty() { "phone" } else { "name" },
                    if name.is_empty() {
                        FieldCode::Required
                    } else {
                        FieldCode::Unknown
                    },
                    "no household of your community with this phone, or this name and address"
                        .into(),
                );
            }
            found
        };
        let kind_text = row.get("kind");
        let kind = if kind_text.is_empty() {
            WishKind::Item
        } else {
            parse_kind(kind_text).unwrap_or_else(|| {
                error(
                    "kind",
                    FieldCode::Unknown,
                    format!("{kind_text}: item (物品) or service (服务)"),
                );
                WishKind::Item
            })
        };
        let category_text = row.get("category");
        let category = if category_text.is_empty() {
            error("category", FieldCode::Required, "must not be empty".into());
            Category::Other
        } else {
            parse_category(category_text).unwrap_or_else(|| {
                error(
                    "category",
                    FieldCode::Unknown,
                    format!("{category_text}: not a category"),
                );
                Category::Other
            })
        };
        let quantity_text = row.get("quantity");
        let quantity = match quantity_text.parse::<f64>() {
            Ok(number) if number.fract() == 0.0 && number.abs() < 1e9 => number as i64,
            _ => {
                error(
                    "quantity",
                    FieldCode::Invalid,
                    format!("{quantity_text}: a whole number"),
                );
                0
            }
        };
        let group_text = row.get("group");
        let group = if group_text.is_empty() {
            None
        } else {
            let group = parse_group(group_text);
            if group.is_none() {
                error(
                    "group",
                    FieldCode::Unknown,
                    format!("{group_text}: not a group"),
                );
            }
            group
        };
        let station_text = row.get("station");
        let station = if station_text.is_empty() {
            None
        } else {
            let station = find_grid(station_text, context.grids).or_else(|| {
                context
                    .grids
                    .iter()
                    .find(|grid| grid.station == station_text)
                    .map(|grid| grid.id.clone())
            });
            if station.is_none() {
                error(
                    "station",
                    FieldCode::Unknown,
                    format!("{station_text}: not a station of your community"),
                );
            }
            station
        };
        let needed_text = row.get("needed_by");
        let needed_by = if needed_text.is_empty() {
            None
        } else {
            let day = parse_date(needed_text);
            if day.is_none() {
                error(
                    "needed_by",
                    FieldCode::Invalid,
                    format!("{needed_text}: not a date (e.g. 2026-07-01)"),
                );
            }
            day
        };
        let campaign_text = row.get("campaign");
        let campaign_id = if campaign_text.is_empty() {
            None
        } else {
            let campaign = context
                .campaigns
                .iter()
                .find(|(id, title)| title == campaign_text || id.to_string() == campaign_text)
                .map(|(id, _)| *id);
            if campaign.is_none() {
                error(
                    "campaign",
                    FieldCode::Unknown,
                    format!("{campaign_text}: not a campaign of your community"),
                );
            }
            campaign
        };
        let same = household.map(|household| (household.id, row.get("title").trim().to_owned()));
        if let Some(same) = &same {
            if context.under_way.contains(same) {
                plan.report.skipped += 1;
                continue;
            }
            if let Some(first) = seen.insert(same.clone(), number) {
                error(
                    "title",
                    FieldCode::Duplicate,
                    format!("the same wish for the same household as row {first}"),
                );
            }
        }
        let (Some(household), true) = (household, errors.is_empty()) else {
            plan.report.errors.extend(errors);
            continue;
        };
        plan.commands.push(PlannedRow {
            row: number,
            command: Command::CreateWish(NewWish {
                id: WishId::generate(),
                household_id: household.id,
                kind,
                title: row.get("title").to_owned(),
                description: row.get("description").to_owned(),
                category,
                quantity,
                unit: row.get("unit").to_owned(),
                alias: row.get("alias").to_owned(),
                group,
                station,
                needed_by,
                campaign_id,
                publish: true,
            }),
            updates: false,
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::CommunityId;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
    }

    fn rows(lines: &[&[&str]]) -> Vec<Vec<String>> {
        lines
            .iter()
            .map(|line| line.iter().map(|cell| (*cell).to_owned()).collect())
            .collect()
    }

    fn grids() -> Vec<Grid> {
        vec![Grid {
            id: GridId::from("grid-1"),
            community: CommunityId(uuid::Uuid::nil()),
            name: "第一网格".into(),
            station: "一号驿站".into(),
            station_location: "东门".into(),
            station_hours: String::new(),
            station_contact: String::new(),
            station_phone: String::new(),
        }]
    }

    fn household(phone: &str) -> Household {
        Household {
            id: HouseholdId::generate(),
            name: "王成".into(),
            address: "星怡花园32幢102室".into(),
            phone: phone.into(),
            grid: GridId::from("grid-1"),
            groups: vec![BeneficiaryGroup::ElderlyAlone],
            notes: String::new(),
            consent_on: None,
            guardian_consent_on: None,
            minor: false,
            wishes: vec![],
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn headers_are_recognised_in_either_language_and_any_order() {
        let header = rows(&[&["电话 phone", "Name", "地址", "籍贯", "网格"]]);
        let (found, ignored) = recognise(&header[0], HOUSEHOLD_COLUMNS);
        assert_eq!(found["phone"], 0);
        assert_eq!(found["name"], 1);
        assert_eq!(found["address"], 2);
        assert_eq!(found["grid"], 4);
        assert_eq!(ignored, vec!["籍贯".to_owned()]);
    }

    #[test]
    fn a_row_becomes_a_household_and_a_known_phone_an_update_or_nothing() {
        let file = rows(&[
            &["姓名", "地址", "电话", "网格", "群体", "有未成年人"],
            &[
                "马玉珍",
                "星怡花园31幢104室",
                "139-6280-0111",
                "第一网格",
                "独居老人",
                "否",
            ],
            &[
                "王成",
                "星怡花园32幢102室",
                "13962800101",
                "grid-1",
                "elderly_alone",
                "否 no",
            ],
            &["", "", "", "", "", ""],
            &[
                "王成",
                "星怡花园32幢102室",
                "13962800102",
                "第一网格",
                "独居老人 低保",
                "否",
            ],
        ]);
        let known = [household("13962800101"), household("139 6280 0102")];
        let plan = households(&file, &grids(), &known, today());
        assert_eq!(plan.report.rows, 3, "the blank row is not counted");
        assert_eq!(plan.report.skipped, 1, "nothing differs");
        assert!(plan.report.errors.is_empty(), "{:?}", plan.report.errors);
        assert_eq!(plan.commands.len(), 2);
        let Command::CreateHousehold(new) = &plan.commands[0].command else {
            panic!()
        };
        assert_eq!(new.fields.phone, "13962800111");
        assert_eq!(new.fields.grid, GridId::from("grid-1"));
        assert!(plan.commands[1].updates);
        assert_eq!(plan.commands[1].row, 5);

        // A blank consent cell leaves a consent given as it is.
        let mut consented = household("13962800101");
        consented.consent_on = Some(today());
        let file = rows(&[&["电话", "同意公开日期"], &["13962800101", ""]]);
        let plan = households(&file, &grids(), &[consented], today());
        assert_eq!((plan.report.skipped, plan.commands.len()), (1, 0));
    }

    #[test]
    fn every_problem_is_reported_by_row_and_column() {
        let file = rows(&[
            &[
                "name",
                "address",
                "phone",
                "grid",
                "groups",
                "consent_on",
                "minor",
            ],
            &[
                "",
                "星怡花园31幢104室",
                "13962800111",
                "第一网格",
                "独居老人",
                "",
                "",
            ],
            &[
                "马",
                "星怡花园31幢104室",
                "call me",
                "第一网格",
                "独居老人",
                "",
                "",
            ],
            &[
                "马",
                "星怡花园31幢104室",
                "13962800113",
                "第九网格",
                "独居老人",
                "",
                "",
            ],
            &[
                "马",
                "星怡花园31幢104室",
                "123",
                "第九网格",
                "外星人",
                "",
                "",
            ],
            &[
                "马",
                "星怡花园31幢104室",
                "13962800114",
                "第一网格",
                "外星人",
                "",
                "",
            ],
            &[
                "马",
                "星怡花园31幢104室",
                "13962800115",
                "第一网格",
                "独居老人",
                "昨天",
                "",
            ],
            &[
                "马",
                "星怡花园31幢104室",
                "13962800115",
                "第一网格",
                "独居老人",
                "",
                "也许",
            ],
        ]);
        let plan = households(&file, &grids(), &[], today());
        let found: Vec<(usize, &str, &str)> = plan
            .report
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (2, "name", "required"),
                (3, "phone", "invalid"),
                (4, "grid", "unknown"),
                (5, "grid", "unknown"),
                (5, "groups", "unknown"),
                (5, "phone", "invalid"),
                (6, "groups", "unknown"),
                (7, "consent_on", "invalid"),
                (8, "phone", "duplicate"),
                (8, "minor", "invalid"),
            ]
        );
        assert!(plan.commands.is_empty());
    }

    #[test]
    fn a_file_without_a_phone_column_or_with_too_many_rows_is_refused_whole() {
        let plan = households(&rows(&[&["name"], &["王成"]]), &grids(), &[], today());
        assert_eq!(plan.report.errors[0].code, "no_header");
        let mut file = rows(&[&["phone"]]);
        file.extend((0..=MAX_ROWS).map(|n| vec![format!("139{n:08}")]));
        let plan = households(&file, &grids(), &[], today());
        assert_eq!(plan.report.errors[0].code, "too_many_rows");
        assert!(plan.commands.is_empty());
    }

    #[test]
    fn the_templates_are_read_by_their_own_import() {
        let known = [household("13900000000")];
        let rows: Vec<Vec<String>> = HOUSEHOLDS_TEMPLATE
            .trim_start_matches('\u{feff}')
            .lines()
            .map(|line| line.split(',').map(str::to_owned).collect())
            .collect();
        let plan = households(&rows, &grids(), &[], today());
        assert!(plan.report.errors.is_empty(), "{:?}", plan.report.errors);
        assert!(plan.report.ignored_columns.is_empty());
        assert_eq!(plan.commands.len(), 1);
        let rows: Vec<Vec<String>> = WISHES_TEMPLATE
            .lines()
            .map(|line| line.split(',').map(str::to_owned).collect())
            .collect();
        let plan = wishes(
            &rows,
            &WishContext {
                households: &known,
                grids: &grids(),
                campaigns: &[],
                wishes: &HashSet::new(),
                under_way: &HashSet::new(),
            },
        );
        assert!(plan.report.errors.is_empty(), "{:?}", plan.report.errors);
        assert!(plan.report.ignored_columns.is_empty());
        assert_eq!(plan.commands.len(), 1);
    }

    #[test]
    fn a_wish_asked_again_of_the_same_household_is_not_doubled() {
        let known = [household("13900000000"), household("13900000001")];
        let file = rows(&[
            &["电话", "标题", "类别", "数量", "单位", "化名"],
            &["13900000000", "冬天的棉被", "daily", "1", "床", "王爷爷"],
            &["13900000001", "冬天的棉被", "daily", "1", "床", "李奶奶"],
            &["13900000001", " 冬天的棉被 ", "daily", "1", "床", "李奶奶"],
        ]);
        let under_way = HashSet::from([(known[0].id, "冬天的棉被".to_owned())]);
        let plan = wishes(
            &file,
            &WishContext {
                households: &known,
                grids: &grids(),
                campaigns: &[],
                wishes: &HashSet::new(),
                under_way: &under_way,
            },
        );
        // Row 2 is already under way; row 4 repeats row 3 in the same file.
        assert_eq!(plan.report.skipped, 1);
        assert_eq!(plan.commands.len(), 1);
        assert_eq!(plan.commands[0].row, 3);
        assert_eq!(plan.report.errors.len(), 1, "{:?}", plan.report.errors);
        assert_eq!(
            (
                plan.report.errors[0].row,
                plan.report.errors[0].code.as_str()
            ),
            (4, "duplicate")
        );
    }

    #[test]
    fn dates_and_defused_cells_read_as_typed() {
        for text in [
            "2026-07-01",
            "2026/7/1",
            "2026.7.1",
            "2026年7月1日",
            "2026-07-01 00:00:00",
        ] {
            assert_eq!(parse_date(text), Some(today()), "{text}");
        }
        assert_eq!(parse_date("7/1"), None);
        assert_eq!(undefuse("'=1+1"), "=1+1");
        assert_eq!(undefuse("'-3"), "-3");
        assert_eq!(undefuse("'tis"), "'tis");
        assert_eq!(undefuse("=A1"), "=A1");
    }
}
