//! A worker's spreadsheet as rows of strings for core's `import` (which recognises the
//! columns and makes the commands): an `.xlsx` (or `.xls`, `.ods`) read with calamine, its
//! first sheet, formula cells as the value Excel cached (never evaluated); or a `.csv` in
//! UTF-8 (with or without a byte-order mark) or GB18030, as Excel on Chinese Windows saves it.

use std::io::Cursor;

use calamine::{Data, Reader};
use chrono::{Duration, NaiveDate};

/// The rows of a file and how it was read (`xlsx`, `csv_utf8`, `csv_utf8_bom`,
/// `csv_gb18030`), or why it cannot be read.
pub fn decode(bytes: &[u8]) -> Result<(Vec<Vec<String>>, &'static str), String> {
    // Every zip (xlsx, ods) starts so; an old .xls is an OLE file.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return spreadsheet(bytes).map(|rows| (rows, "xlsx"));
    }
    let (text, format) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest)
            .map_err(|_| "the file is not UTF-8 after its byte-order mark")?;
        (text.to_owned(), "csv_utf8_bom")
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (text.to_owned(), "csv_utf8")
    } else {
        let (text, _) = encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|text| (text, ()))
            .ok_or("the file is neither UTF-8 nor GB18030 text, nor a spreadsheet")?;
        (text.into_owned(), "csv_gb18030")
    };
    if text.contains('\0') {
        return Err("the file is not text, nor a spreadsheet (.xlsx or .csv)".into());
    }
    Ok((csv(&text), format))
}

/// The first sheet's cells as text.
fn spreadsheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|error| format!("the spreadsheet cannot be read: {error}"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or("the spreadsheet has no sheet")?
        .map_err(|error| format!("the first sheet cannot be read: {error}"))?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell).collect())
        .collect())
}

/// A cell as a worker reads it: a whole number without ".0" (a phone typed as a number), a
/// date as 2026-07-01.
fn cell(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Data::DateTime(at) => {
            let serial = at.as_f64();
            if at.is_datetime() {
                // Excel's day 0 is 1899-12-30 (its 1900 leap-year bug folded in).
                NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|zero| zero.checked_add_signed(Duration::days(serial.floor() as i64)))
                    .map_or_else(|| serial.to_string(), |day| day.to_string())
            } else {
                serial.to_string()
            }
        }
        Data::Error(_) => String::new(),
        other => other.to_string(),
    }
}

/// A CSV's rows (RFC 4180: quoted cells with `""` for a quote, line breaks inside quotes,
/// CRLF or LF line ends).
pub fn csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                other => cell.push(other),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            other => cell.push(other),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reads_quotes_commas_and_line_breaks() {
        let rows = csv("a,b\r\n\"一,二\",\"说\"\"好\"\"\"\r\n\"多行\n文字\",'@me\n");
        assert_eq!(
            rows,
            vec![
                vec!["a".to_owned(), "b".into()],
                vec!["一,二".into(), "说\"好\"".into()],
                vec!["多行\n文字".into(), "'@me".into()],
            ]
        );
    }

    #[test]
    fn the_encoding_is_told_apart() {
        let (rows, format) = decode("\u{feff}姓名\n王成".as_bytes()).unwrap();
        assert_eq!((rows[1][0].as_str(), format), ("王成", "csv_utf8_bom"));
        let (gbk, _, _) = encoding_rs::GB18030.encode("姓名\n王成");
        let (rows, format) = decode(&gbk).unwrap();
        assert_eq!((rows[1][0].as_str(), format), ("王成", "csv_gb18030"));
        assert!(decode(b"PK\x03\x04garbage").is_err());
    }
}
