//! Imports (worker): households and open wishes from a spreadsheet (xlsx, csv in UTF-8 with
//! or without BOM, or GB18030), dry run first, all or nothing when applied.

use serde_json::Value;

use crate::helpers::*;

const HEADER: &str = "姓名 name,地址 address,电话 phone,网格 grid,群体 groups,备注 notes,同意公开日期 consent_on,有未成年人 minor";

async fn import(
    app: &TestApp,
    session: &Session,
    what: &str,
    dry_run: bool,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/import/{what}?dry_run={dry_run}")))
        .header("cookie", &session.cookie)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn households(app: &TestApp) -> i64 {
    let (count,): (i64,) = app
        .db
        .fetch_one("SELECT COUNT(*) FROM households", microwish_server::args![])
        .await
        .unwrap();
    count
}

fn csv_bom(lines: &[&str]) -> Vec<u8> {
    format!("\u{feff}{}\r\n", lines.join("\r\n")).into_bytes()
}

fn codes(report: &Value) -> Vec<(u64, String, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| {
            (
                error["row"].as_u64().unwrap(),
                error["column"].as_str().unwrap().to_owned(),
                error["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_utf8_csv_is_previewed_without_a_change_then_applied_once() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let before = households(&app).await;
    let file = csv_bom(&[
        HEADER,
        "马玉珍,星怡花园31幢104室,139-6280-0911,第一网格,独居老人,听力不好,2026-01-05,否",
        "'=赵四,\"星怡花园3幢101室,东单元\",13962800912,grid-2,低保 残疾人,\"'-夜里别敲门\",,否 no",
    ]);
    let (status, preview) =
        import(&app, &worker, "households", true, "text/csv", file.clone()).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["rows"], 2);
    assert_eq!(preview["created"], 2);
    assert_eq!(preview["format"], "csv_utf8_bom");
    assert!(preview["errors"].as_array().unwrap().is_empty());
    assert_eq!(households(&app).await, before, "a dry run changes nothing");

    let (status, applied) =
        import(&app, &worker, "households", false, "text/csv", file.clone()).await;
    assert_eq!(status, 200, "{applied}");
    assert_eq!(applied["created"], 2);
    assert_eq!(households(&app).await, before + 2);
    // As typed: the export's defusing apostrophe taken off, the phone without its dashes.
    let list = app
        .get_json_as(&worker, "/api/households?q=%E8%B5%B5%E5%9B%9B")
        .await;
    let household = &list["items"][0];
    assert_eq!(household["name"], "=赵四");
    assert_eq!(household["notes"], "-夜里别敲门");
    assert_eq!(household["address"], "星怡花园3幢101室,东单元");
    let list = app.get_json_as(&worker, "/api/households?q=0911").await;
    assert_eq!(list["items"][0]["phone"], "13962800911");
    // Registered as if typed: the event log says so.
    let id = list["items"][0]["id"].as_str().unwrap();
    let events = app
        .get_json_as(&worker, &format!("/api/households/{id}/events"))
        .await;
    assert!(events.to_string().contains("register"), "{events}");

    // Again: the same phones are there as they are, nothing doubled.
    let (status, again) = import(&app, &worker, "households", false, "text/csv", file).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        (again["created"].as_u64(), again["skipped"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(households(&app).await, before + 2);

    // A changed note on a known phone is an update, never a second household.
    let changed = csv_bom(&[
        HEADER,
        "马玉珍,星怡花园31幢104室,13962800911,第一网格,独居老人,听力不好 上门请先电话,2026-01-05,否",
    ]);
    let (_, updated) = import(&app, &worker, "households", false, "text/csv", changed).await;
    assert_eq!(updated["updated"], 1, "{updated}");
    assert_eq!(households(&app).await, before + 2);
}

#[tokio::test]
async fn a_gb18030_csv_is_read_as_excel_saves_it() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let text =
        "姓名,电话,地址,网格,群体\r\n李秀兰,13962800921,星怡花园8幢502室,第三网格,独居老人\r\n";
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    let (status, report) = import(
        &app,
        &worker,
        "households",
        false,
        "text/csv",
        bytes.into_owned(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["format"], "csv_gb18030");
    assert_eq!(report["created"], 1);
    let list = app.get_json_as(&worker, "/api/households?q=0921").await;
    assert_eq!(list["items"][0]["name"], "李秀兰");
}

#[tokio::test]
async fn an_xlsx_is_read_with_numbers_dates_and_formulas_as_their_values() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (column, title) in [
        "Phone",
        "姓名",
        "地址",
        "网格 grid",
        "群体",
        "备注",
        "同意公开日期",
        "籍贯",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, column as u16, *title).unwrap();
    }
    // The phone typed as a number, the date as a date cell, the note a formula whose value
    // Excel cached (never evaluated here).
    sheet.write_number(1, 0, 13962800931.0).unwrap();
    sheet.write_string(1, 1, "孙桂芳").unwrap();
    sheet.write_string(1, 2, "星怡花园9幢101室").unwrap();
    sheet.write_string(1, 3, "第一网格").unwrap();
    sheet.write_string(1, 4, "独居老人").unwrap();
    sheet
        .write_formula(
            1,
            5,
            Formula::new("=\"请先\"&\"电话\"").set_result("请先电话"),
        )
        .unwrap();
    let date = ExcelDateTime::from_ymd(2026, 1, 5).unwrap();
    sheet
        .write_datetime_with_format(1, 6, &date, &Format::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    sheet.write_string(1, 7, "江苏").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let (status, report) = import(
        &app,
        &worker,
        "households",
        false,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["format"], "xlsx");
    assert_eq!(report["created"], 1);
    assert_eq!(report["ignored_columns"], serde_json::json!(["籍贯"]));
    let list = app.get_json_as(&worker, "/api/households?q=0931").await;
    let household = &list["items"][0];
    assert_eq!(household["phone"], "13962800931");
    assert_eq!(household["notes"], "请先电话");
    assert_eq!(household["consent_on"], "2026-01-05");
}

#[tokio::test]
async fn every_error_is_reported_by_row_and_column_and_nothing_is_applied() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let before = households(&app).await;
    let file = csv_bom(&[
        HEADER,
        "马玉珍,星怡花园31幢104室,13962800941,第一网格,独居老人,,,否",
        ",星怡花园31幢104室,13962800942,第一网格,独居老人,,,否",
        "马玉珍,星怡花园31幢104室,打电话,第一网格,独居老人,,,否",
        "马玉珍,星怡花园31幢104室,13962800944,第九网格,独居老人,,,否",
        "马玉珍,星怡花园31幢104室,13962800945,第一网格,外星人,,,否",
        "马玉珍,星怡花园31幢104室,13962800946,第一网格,独居老人,上周,,否",
    ]);
    let (status, preview) =
        import(&app, &worker, "households", true, "text/csv", file.clone()).await;
    assert_eq!(status, 200, "a preview answers 200 with its errors");
    let expected: Vec<(u64, String, String)> = [
        (3, "name", "required"),
        (4, "phone", "invalid"),
        (5, "grid", "unknown"),
        (6, "groups", "unknown"),
    ]
    .iter()
    .map(|(row, column, code)| (*row, (*column).to_owned(), (*code).to_owned()))
    .collect();
    let found = codes(&preview);
    assert_eq!(found[..4], expected[..], "{preview}");
    // "上周" is in the notes column here: not an error; a date column says so below.
    assert_eq!(found.len(), 4, "{preview}");
    let (status, refused) = import(&app, &worker, "households", false, "text/csv", file).await;
    assert_eq!(status, 422);
    assert_eq!(codes(&refused), codes(&preview), "the same report");
    assert_eq!(
        households(&app).await,
        before,
        "the valid row is not applied either"
    );

    let dated = csv_bom(&[
        HEADER,
        "马玉珍,星怡花园31幢104室,13962800947,第一网格,独居老人,,上周,否",
    ]);
    let (status, report) = import(&app, &worker, "households", false, "text/csv", dated).await;
    assert_eq!(status, 422);
    assert_eq!(
        codes(&report),
        vec![(2, "consent_on".into(), "invalid".into())]
    );
}

#[tokio::test]
async fn the_export_imported_back_changes_nothing_and_another_community_is_refused() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let before = households(&app).await;
    let exported = app
        .get_as(&worker, "/api/export/households.csv")
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let (status, report) = import(
        &app,
        &worker,
        "households",
        false,
        "text/csv",
        exported.clone(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["rows"].as_i64(), Some(before));
    assert_eq!(report["skipped"].as_i64(), Some(before), "{report}");
    assert_eq!(
        (report["created"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(households(&app).await, before);

    let other = app.other_worker().await;
    let (status, refused) = import(&app, &other, "households", false, "text/csv", exported).await;
    assert_eq!(status, 422);
    let errors = codes(&refused);
    assert_eq!(errors.len() as i64, before, "{refused}");
    assert!(errors
        .iter()
        .all(|(_, column, code)| column == "grid" && code == "unknown"));
    assert_eq!(households(&app).await, before);
}

#[tokio::test]
async fn files_too_large_or_too_long_or_unreadable_are_refused() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let huge = vec![b'a'; microwish_core::import::MAX_BYTES + 1];
    let response = app
        .client
        .post(app.url("/api/import/households?dry_run=true"))
        .header("cookie", &worker.cookie)
        .header("content-type", "text/csv")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "too_large").await;

    let mut lines = vec!["电话".to_owned()];
    lines.extend((0..=microwish_core::import::MAX_ROWS).map(|n| format!("139{n:08}")));
    let (status, report) = import(
        &app,
        &worker,
        "households",
        false,
        "text/csv",
        lines.join("\n").into_bytes(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(codes(&report)[0].2, "too_many_rows");

    let (status, report) = import(
        &app,
        &worker,
        "households",
        false,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        b"PK\x03\x04not really a zip".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(codes(&report)[0].2, "unreadable");

    // Only workers import.
    let donor = app.register(microwish_core::Role::Donor).await;
    let response = app
        .client
        .post(app.url("/api/import/households?dry_run=true"))
        .header("cookie", &donor.cookie)
        .header("content-type", "text/csv")
        .body(csv_bom(&[HEADER]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn open_wishes_are_imported_for_known_households_with_the_public_text_checks() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let wishes = || async {
        let (count,): (i64,) = app
            .db
            .fetch_one("SELECT COUNT(*) FROM wishes", microwish_server::args![])
            .await
            .unwrap();
        count
    };
    let open = wishes().await;
    let header = "电话 phone,标题 title,类型 kind,类别 category,数量 quantity,单位 unit,化名 alias,截止日期 needed_by";
    let file = csv_bom(&[
        header,
        "139-6280-0101,冬天的棉被,item,daily,1,床,王爷爷,",
        "13962800101,一副老花镜,物品,生活用品,1,副,王成,",
        "13900000000,一副老花镜,item,daily,1,副,某某,",
        "13962800101,一双棉拖鞋,item,daily,1,双,王爷爷,明天",
    ]);
    let (status, preview) = import(&app, &worker, "wishes", true, "text/csv", file.clone()).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(
        codes(&preview),
        vec![
            (3, "alias".into(), "reveals_name".into()),
            (4, "phone".into(), "unknown".into()),
            (5, "needed_by".into(), "invalid".into()),
        ]
    );
    let (status, _) = import(&app, &worker, "wishes", false, "text/csv", file).await;
    assert_eq!(status, 422);
    assert_eq!(wishes().await, open, "nothing published");

    let good = csv_bom(&[header, "139-6280-0101,冬天的棉被,item,daily,1,床,王爷爷,"]);
    let (status, report) = import(&app, &worker, "wishes", false, "text/csv", good.clone()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"], 1);
    assert_eq!(wishes().await, open + 1);
    // The same list again (no ids: the worker's own sheet) asks nothing new.
    let (status, report) = import(&app, &worker, "wishes", false, "text/csv", good).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["created"].as_u64(), report["skipped"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(wishes().await, open + 1, "not doubled");
    let listed = app.wishes("?q=%E6%A3%89%E8%A2%AB").await;
    assert!(listed
        .items
        .iter()
        .any(|wish| wish.title == "冬天的棉被" && wish.alias == "王爷爷"));
}
