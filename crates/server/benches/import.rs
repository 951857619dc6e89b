//! `make bench`: a worker's file of 5,000 households (the most one import takes), previewed
//! (`dry_run=true`) and applied (`dry_run=false`, one transaction) over real HTTP on loopback,
//! then imported again (every row already there: skipped). Prints the times; asserts the
//! counts and a budget.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use microwish_server::{ServeConfig, Server};
use serde_json::Value;

const ROWS: usize = microwish_core::import::MAX_ROWS;
/// A file of 5,000 rows applied within 30 s on the 2-core machine (a debug build takes longer).
const BUDGET: Duration = Duration::from_secs(30);

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = ServeConfig::new(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        format!("sqlite://{}", dir.path().join("bench.db").display()),
        dir.path().to_path_buf(),
    );
    config.demo = true;
    let (server, _) = Server::build(&config).await.expect("server starts");
    let address = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run(std::future::pending()));

    let client = reqwest::Client::new();
    let login = client
        .post(format!("{address}/api/auth/login"))
        .json(&serde_json::json!({"phone": "13800000001", "password": "xingyi-worker-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| {
            value
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("; ");

    let grids = ["第一网格", "第二网格", "第三网格", "第四网格"];
    let groups = ["独居老人", "低保低收入", "残疾人", "孤儿"];
    let mut file = String::from(
        "\u{feff}姓名 name,地址 address,电话 phone,网格 grid,群体 groups,备注 notes,同意公开日期 consent_on,有未成年人 minor\r\n",
    );
    for n in 0..ROWS {
        file.push_str(&format!(
            "住户{n},星怡花园{}幢{}室,137-{:04}-{:04},{},{},导入测试,2026-01-05,否\r\n",
            n % 40 + 1,
            n % 600 + 101,
            n / 10_000,
            n % 10_000,
            grids[n % 4],
            groups[n % 4],
        ));
    }
    println!(
        "import of {ROWS} households ({} KB of CSV):",
        file.len() / 1024
    );
    let post = |dry_run: bool| {
        let request = client
            .post(format!("{address}/api/import/households?dry_run={dry_run}"))
            .header("cookie", &cookie)
            .header("content-type", "text/csv")
            .body(file.clone());
        async move {
            let started = Instant::now();
            let response = request.send().await.unwrap();
            let status = response.status();
            let report: Value = response.json().await.unwrap();
            (started.elapsed(), status, report)
        }
    };
    let (preview, status, report) = post(true).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"], ROWS, "{report}");
    println!("  preview (dry run): {:.2} s", preview.as_secs_f64());
    let (applied, status, report) = post(false).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["created"], ROWS);
    println!(
        "  applied (one transaction): {:.2} s",
        applied.as_secs_f64()
    );
    let (again, status, report) = post(false).await;
    assert_eq!(status, 200);
    assert_eq!(report["skipped"], ROWS);
    println!("  again (all skipped): {:.2} s", again.as_secs_f64());
    if applied > BUDGET {
        println!("import budget broken: {applied:?} > {BUDGET:?}");
        std::process::exit(1);
    }
}
