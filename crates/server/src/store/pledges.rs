//! Shopkeepers' bulk pledges (the demo's shoe shop; pledging in the app comes in a later change).

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::error::ApiResult;

/// A pledge as the demo seed describes it.
pub struct DemoPledge {
    pub shop_name: &'static str,
    pub item: &'static str,
    pub unit: &'static str,
    pub note: &'static str,
    pub variants: &'static [(&'static str, i64)],
}

pub async fn insert_demo_pledge(
    tx: &mut SqliteConnection,
    pledge: DemoPledge,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let id = uuid::Uuid::now_v7().to_string();
    let total: i64 = pledge.variants.iter().map(|(_, quantity)| quantity).sum();
    sqlx::query(
        "INSERT INTO pledges (id, shop_name, item, quantity, unit, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(pledge.shop_name)
    .bind(pledge.item)
    .bind(total)
    .bind(pledge.unit)
    .bind(pledge.note)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (position, (label, quantity)) in pledge.variants.iter().enumerate() {
        sqlx::query(
            "INSERT INTO pledge_variants (pledge_id, position, label, quantity) VALUES (?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(i64::try_from(position).unwrap_or(0))
        .bind(label)
        .bind(quantity)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
