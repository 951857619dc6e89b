//! Public text checked against the household it speaks of: the one rule for every text the
//! public reads (a wish's title, description and alias; a campaign's title and description; a
//! request's public summary). None of them may show
//! - the household's real name (the full name, or the given name without a one-character
//!   surname),
//! - its address (the whole of it, or its building and room together: "32幢102室", "32-102",
//!   "102室"; a building alone is public), nor anyone's building and room written out,
//! - any phone number: a mainland mobile (1[3-9] and 9 more digits), a landline with its area
//!   code ("0513-12345678"), a hotline (400/800) or a local number of 7–8 digits, with the
//!   spaces, dashes and brackets people type between the digits, in ASCII or full-width digits.
//!
//! Dates ("2026-07-03", "20260703"), prices ("1299元", "¥2000000") and counts ("104双", shoe
//! sizes "28 29 30 31") are not phone numbers. The server and the phone both call [`check`]
//! from [`crate::decide`], so a form is told at once and the server holds the line.

use crate::error::{Field, FieldCode, ValidationErrors};
use crate::model::Household;

/// Whom a public text must not expose: a real name and an address (or unit), when known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Private<'a> {
    pub name: Option<&'a str>,
    pub address: Option<&'a str>,
}

impl<'a> Private<'a> {
    /// Nobody in particular (a campaign): only phones and written-out units are refused.
    pub const NOBODY: Private<'static> = Private {
        name: None,
        address: None,
    };

    /// A household's name and address.
    pub fn of(household: &'a Household) -> Private<'a> {
        Private {
            name: Some(&household.name),
            address: Some(&household.address),
        }
    }
}

/// What a public text shows that it must not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exposure {
    Name,
    Address,
    Phone,
}

impl Exposure {
    /// The field code a form shows for it.
    pub fn code(self) -> FieldCode {
        match self {
            Exposure::Name => FieldCode::RevealsName,
            Exposure::Address => FieldCode::RevealsAddress,
            Exposure::Phone => FieldCode::RevealsPhone,
        }
    }

    fn message(self) -> &'static str {
        match self {
            Exposure::Name => "must not show the household's real name",
            Exposure::Address => "must not show where someone lives",
            Exposure::Phone => "must not show a phone number",
        }
    }
}

/// Adds a field error to `errors` for everything `text` exposes of `private`.
pub fn check(errors: &mut ValidationErrors, field: Field, text: &str, private: Private<'_>) {
    for exposure in exposures(text, private) {
        errors.add(field, exposure.code(), exposure.message());
    }
}

/// Everything `text` exposes (each kind once, in the order name, address, phone).
pub fn exposures(text: &str, private: Private<'_>) -> Vec<Exposure> {
    let plain = normalise(text);
    let mut found = Vec::new();
    if private.name.is_some_and(|name| shows_name(&plain, name)) {
        found.push(Exposure::Name);
    }
    if private
        .address
        .is_some_and(|address| shows_address(&plain, address))
        || shows_any_unit(&plain)
    {
        found.push(Exposure::Address);
    }
    if shows_phone(&plain) {
        found.push(Exposure::Phone);
    }
    found
}

/// The text without whitespace, with full-width digits, letters and dashes made ASCII, so
/// "王 成" and "１３９" are read as "王成" and "139". Spaces between digits are kept as one
/// `' '` (a phone is read through them, a list of sizes is not).
fn normalise(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        };
        if c.is_whitespace() {
            if out.last().is_some_and(|last: &char| last.is_ascii_digit()) {
                out.push(' ');
            }
        } else {
            if c.is_ascii_digit() || out.last() != Some(&' ') {
                out.push(c);
                continue;
            }
            // A space not between two digits is dropped ("王 成" reads as "王成").
            out.pop();
            out.push(c);
        }
    }
    if out.last() == Some(&' ') {
        out.pop();
    }
    out
}

/// `needle` (whitespace removed) occurs in the text read without spaces.
fn contains(plain: &[char], needle: &str) -> bool {
    let needle: Vec<char> = normalise(needle)
        .into_iter()
        .filter(|c| *c != ' ')
        .collect();
    if needle.is_empty() {
        return false;
    }
    let hay: Vec<char> = plain.iter().copied().filter(|c| *c != ' ').collect();
    hay.windows(needle.len()).any(|window| window == needle)
}

fn shows_name(plain: &[char], name: &str) -> bool {
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let given: String = name.chars().skip(1).collect();
    contains(plain, &name) || (given.chars().count() >= 2 && contains(plain, &given))
}

/// A number written in the text: its digits and where it ends.
#[derive(Debug)]
struct Number {
    value: String,
    end: usize,
}

/// The whole numbers of the text (a run of digits, no separators).
fn numbers(plain: &[char]) -> Vec<Number> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < plain.len() {
        if plain[i].is_ascii_digit() {
            let start = i;
            while i < plain.len() && plain[i].is_ascii_digit() {
                i += 1;
            }
            found.push(Number {
                value: plain[start..i].iter().collect(),
                end: i,
            });
        } else {
            i += 1;
        }
    }
    found
}

const BUILDING_MARKS: [&str; 5] = ["幢", "栋", "号楼", "座", "#"];

/// The marker right after `at` in the text, if it is a building's ("32幢", "32号楼", "32#").
fn building_mark_at(plain: &[char], at: usize) -> Option<usize> {
    BUILDING_MARKS.iter().find_map(|mark| {
        let mark: Vec<char> = mark.chars().collect();
        plain
            .get(at..at + mark.len())
            .filter(|found| *found == mark.as_slice())
            .map(|_| mark.len())
    })
}

/// The building and room of an address: the number before a building mark, and the number
/// followed by 室 (or, failing that, the last number after the building). "星怡花园32幢2单元
/// 102室" → (32, 102); "32-102" → (32, 102); "1202室" → (none, 1202).
fn building_and_room(address: &str) -> (Option<String>, Option<String>) {
    let plain = normalise(address);
    let numbers = numbers(&plain);
    let building = numbers
        .iter()
        .position(|n| building_mark_at(&plain, n.end).is_some() || plain.get(n.end) == Some(&'-'));
    let room = numbers
        .iter()
        .rev()
        .find(|n| plain.get(n.end) == Some(&'室'))
        .or_else(|| {
            building
                .and_then(|b| numbers.get(b + 1..))
                .and_then(|rest| rest.last())
        })
        .or_else(|| (numbers.len() == 1).then(|| &numbers[0]));
    (
        building.map(|b| numbers[b].value.clone()),
        room.map(|n| n.value.clone()),
    )
}

fn shows_address(plain: &[char], address: &str) -> bool {
    if contains(plain, address) {
        return true;
    }
    let (building, room) = building_and_room(address);
    let Some(room) = room else {
        return false;
    };
    let numbers = numbers(plain);
    // "102室" alone names the flat of a household whose building is known to its neighbours.
    if room.len() >= 3
        && numbers
            .iter()
            .any(|n| n.value == room && plain.get(n.end) == Some(&'室'))
    {
        return true;
    }
    let Some(building) = building else {
        return false;
    };
    // The building, then the room ("32幢102", "32-102", "32栋2单元102").
    numbers.iter().any(|n| {
        let after = match building_mark_at(plain, n.end) {
            Some(mark) => n.end + mark,
            None if matches!(plain.get(n.end), Some('-' | '号')) => n.end + 1,
            None => return false,
        };
        n.value == building && room_after(plain, after).is_some_and(|found| found == room)
    })
}

/// The room written right after a building ("102" in "32幢102室", "32幢2单元102", "32-102").
fn room_after(plain: &[char], mut at: usize) -> Option<String> {
    let digits_from = |at: usize| {
        let mut end = at;
        while plain.get(end).is_some_and(char::is_ascii_digit) {
            end += 1;
        }
        end
    };
    if plain.get(at) == Some(&'-') {
        at += 1;
    }
    let unit_end = digits_from(at);
    if unit_end > at && plain.get(unit_end..unit_end + 2) == Some(&['单', '元'][..]) {
        at = unit_end + 2;
        if plain.get(at) == Some(&'-') {
            at += 1;
        }
    }
    let end = digits_from(at);
    (end > at).then(|| plain[at..end].iter().collect())
}

/// Anyone's building and room written out: "5幢1202室", "5栋2单元302", "1202室". A building
/// alone ("32幢") or a flat's layout ("2室1厅") is fine.
fn shows_any_unit(plain: &[char]) -> bool {
    numbers(plain).iter().any(|n| {
        let room = (3..=4).contains(&n.value.len()) && plain.get(n.end) == Some(&'室');
        let building_then_room = building_mark_at(plain, n.end).is_some_and(|mark| {
            room_after(plain, n.end + mark).is_some_and(|room| (3..=4).contains(&room.len()))
        });
        room || building_then_room
    })
}

/// Characters that may stand between a phone's digits.
fn joins_digits(c: char) -> bool {
    matches!(c, ' ' | '-' | '(' | ')')
}

fn shows_phone(plain: &[char]) -> bool {
    // Runs of digit groups: digits with separators between them.
    let mut i = 0;
    while i < plain.len() {
        if !plain[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < plain.len() && plain[j].is_ascii_digit() {
                j += 1;
            }
            groups.push((start, j));
            let mut k = j;
            while k < plain.len() && joins_digits(plain[k]) && k - j < 3 {
                k += 1;
            }
            if k > j && k < plain.len() && plain[k].is_ascii_digit() {
                j = k;
            } else {
                break;
            }
        }
        if run_shows_phone(plain, &groups) {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}

/// Whether some consecutive groups of a run, read as one number, are a phone. Groups of one
/// or two digits are never part of a longer number (they are sizes, days, counts), except a
/// leading country code 86.
fn run_shows_phone(plain: &[char], groups: &[(usize, usize)]) -> bool {
    let digits = |(start, end): (usize, usize)| -> String { plain[start..end].iter().collect() };
    for first in 0..groups.len() {
        let mut number = String::new();
        for last in first..groups.len() {
            let group = digits(groups[last]);
            if group.len() < 3 && !(last == first && group == "86") {
                break;
            }
            number.push_str(&group);
            let (start, end) = (groups[first].0, groups[last].1);
            if is_phone(&number, plain, start, end) {
                return true;
            }
        }
    }
    false
}

fn is_phone(number: &str, plain: &[char], start: usize, end: usize) -> bool {
    let number = number
        .strip_prefix("0086")
        .or_else(|| number.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(number);
    let bytes = number.as_bytes();
    let mobile = bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]);
    let landline = bytes.first() == Some(&b'0') && (10..=12).contains(&bytes.len());
    let hotline = bytes.len() == 10 && (number.starts_with("400") || number.starts_with("800"));
    let local = (7..=8).contains(&bytes.len())
        && (b'2'..=b'9').contains(&bytes[0])
        && !is_date(number)
        && !is_amount(plain, start, end);
    mobile || landline || hotline || local
}

/// "20260703": a year from 1900 to 2099, a month and a day.
fn is_date(number: &str) -> bool {
    if number.len() != 8 {
        return false;
    }
    let part = |range: std::ops::Range<usize>| number[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (part(0..4), part(4..6), part(6..8));
    (1900..2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// A number with a currency before it or a unit after it is an amount, not a phone.
fn is_amount(plain: &[char], start: usize, end: usize) -> bool {
    const CURRENCY: [char; 3] = ['¥', '￥', '$'];
    const UNITS: &str =
        "元块角分万亿个件双份套人户次年月日号米克斤吨升岁册本张支只台箱袋包盒瓶条位名%";
    let before = start.checked_sub(1).and_then(|i| plain.get(i));
    before.is_some_and(|c| CURRENCY.contains(c))
        || plain
            .get(end)
            .is_some_and(|c| UNITS.contains(*c) || *c == '.')
}

/// Common surnames a pseudonym (化名) may borrow.
const PSEUDONYM_SURNAMES: [char; 12] = [
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙',
];

/// A surname for a household's pseudonym that is never its real one (a real surname with
/// the grid is half a name): chosen from common surnames by `seed` (the household's id), so
/// the same household is offered the same one each time.
pub fn pseudonym_surname(real_name: &str, seed: &str) -> char {
    let real = real_name.trim().chars().next();
    let start = seed.bytes().fold(0usize, |sum, byte| {
        sum.wrapping_mul(31).wrapping_add(usize::from(byte))
    });
    (0..PSEUDONYM_SURNAMES.len())
        .map(|step| PSEUDONYM_SURNAMES[(start + step) % PSEUDONYM_SURNAMES.len()])
        .find(|surname| Some(*surname) != real)
        .unwrap_or('王')
}

#[cfg(test)]
mod tests {
    use super::*;

    const WANG: Private<'static> = Private {
        name: Some("王成"),
        address: Some("星怡花园32幢102室"),
    };

    fn shows(text: &str) -> Vec<Exposure> {
        exposures(text, WANG)
    }

    #[test]
    fn a_pseudonym_never_borrows_the_real_surname() {
        for seed in ["a", "b", "0193f0c2-7a1b-7c3d-9e4f-5a6b7c8d9e0f", ""] {
            for name in ["周桂兰", "王成", "李娜", "赵小宇"] {
                let surname = pseudonym_surname(name, seed);
                assert_ne!(Some(surname), name.chars().next(), "{name} {seed}");
                assert_eq!(surname, pseudonym_surname(name, seed), "the same each time");
            }
        }
    }

    #[test]
    fn the_audits_description_is_refused_on_every_count() {
        assert_eq!(
            shows("王成老人住星怡花园32幢102室, 电话139 6280 0101"),
            [Exposure::Name, Exposure::Address, Exposure::Phone]
        );
    }

    #[test]
    fn names_full_given_and_spaced() {
        assert_eq!(shows("王成的电水壶坏了"), [Exposure::Name]);
        assert_eq!(shows("王 成"), [Exposure::Name]);
        assert!(shows("王爷爷的电水壶坏了").is_empty());
        let zhou = Private {
            name: Some("周小娟"),
            address: None,
        };
        assert_eq!(exposures("小娟的书包", zhou), [Exposure::Name]);
        assert!(exposures("小周的书包", zhou).is_empty());
    }

    #[test]
    fn addresses_whole_or_building_and_room() {
        for text in [
            "住星怡花园32幢102室",
            "32幢102",
            "32-102",
            "32 - 102的老人",
            "32栋2单元102",
            "门牌102室",
            "３２幢１０２室",
        ] {
            assert_eq!(shows(text), [Exposure::Address], "{text}");
        }
        // Anyone's unit, even without knowing whose.
        for text in ["5幢1202室", "住5栋302", "1202室"] {
            assert_eq!(
                exposures(text, Private::NOBODY),
                [Exposure::Address],
                "{text}"
            );
        }
        for text in [
            "32幢的老人",
            "32幢的104盏灯",
            "星怡花园",
            "两室一厅",
            "2室1厅",
            "需要102个口罩",
            "第32期",
        ] {
            assert!(shows(text).is_empty(), "{text}");
        }
        let unit = Private {
            name: None,
            address: Some("1202室"),
        };
        assert_eq!(exposures("已修好1202 室的水管", unit), [Exposure::Address]);
        assert!(exposures("已修好32幢的水管", unit).is_empty());
    }

    #[test]
    fn phones_with_separators_and_full_width_digits() {
        for text in [
            "有事打13962800101",
            "电话 139-6280-0101",
            "电话139 6280 0101",
            "tel: +86 139 6280 0101",
            "+8613962800101",
            "１３９６２８００１０１",
            "座机0513-12345678",
            "(0513)8888 8888",
            "（0513）88888888",
            "010-12345678",
            "物业 8888 888",
            "客服400-123-4567",
            "打 5123 4567",
        ] {
            assert_eq!(
                exposures(text, Private::NOBODY),
                [Exposure::Phone],
                "{text}"
            );
        }
    }

    #[test]
    fn prices_dates_and_quantities_are_not_phones() {
        for text in [
            "2026年7月3日更换了32幢的104盏灯",
            "2026-07-03送到",
            "20260703前",
            "已清理,共3处",
            "书包一个,约129元",
            "价值¥2000000",
            "2000000元的捐款",
            "1000000",
            "需要10000个口罩",
            "童鞋尺码 28 29 30 31 32 33 34 35 36",
            "3-5岁",
            "104双鞋,十年",
            "12.5公斤",
            "100 200 300 400",
            "2026.07.03",
        ] {
            assert!(exposures(text, Private::NOBODY).is_empty(), "{text}");
        }
    }

    #[test]
    fn check_adds_one_field_error_per_exposure() {
        let mut errors = ValidationErrors::default();
        check(&mut errors, Field::Description, "王成 13962800101", WANG);
        let codes: Vec<_> = errors.0.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                (Field::Description, FieldCode::RevealsName),
                (Field::Description, FieldCode::RevealsPhone)
            ]
        );
    }
}
