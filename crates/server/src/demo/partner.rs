//! `serve --demo --demo-pairing`: the seed's paired village (结对帮扶: 中兴街道 with 城固县桔园镇).
//! 桔园村 has one grid, its worker, two children who need shoes, and a pairing with 星怡社区
//! that its worker accepted; the shoe shop of 星怡 may then pledge to it. Off by default: with
//! two communities, residents and volunteers choose theirs at sign-up.

use chrono::{DateTime, Days, Utc};
use microwish_core::account::Registration;
use microwish_core::clock::community_today;
use microwish_core::command::{Command, HouseholdFields, NewHousehold, NewWish};
use microwish_core::pairing::{Pairing, PairingStatus};
use microwish_core::{
    BeneficiaryGroup, Category, Community, CommunityId, Grid, GridId, HouseholdId, PairingId, Role,
    UserId, WishId, WishKind,
};

use super::COMMUNITY;
use crate::app::AppState;
use crate::apply::apply_at;
use crate::auth::add_user;
use crate::store;

/// The paired village's name.
pub const PARTNER: &str = "桔园村";

/// The village's worker: (role, phone, name, password).
pub const PARTNER_LOGIN: (Role, &str, &str, &str) = (
    Role::Worker,
    "13800000031",
    "桔园村 网格员 刘芳",
    "juyuan-worker-2026",
);

/// (household, alias, wish title, description).
const CHILDREN: [(&str, &str, &str, &str); 2] = [
    (
        "杨小军",
        "杨同学",
        "一双冬季运动鞋(33码)",
        "杨同学读四年级,每天走山路上学,鞋底已经磨穿,想要一双结实的运动鞋。",
    ),
    (
        "何小梅",
        "何同学",
        "一双保暖棉鞋(30码)",
        "何同学读二年级,冬天教室冷,想要一双保暖的棉鞋。",
    ),
];

/// Seeds 桔园村 and pairs it with 星怡社区 (`xingyi`, whose worker `asked`).
pub async fn seed(
    state: &AppState,
    xingyi: CommunityId,
    asked: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let village = CommunityId::generate();
    let grid = Grid {
        id: GridId::from("juyuan-1"),
        community: village,
        name: "桔园村网格".to_owned(),
        station: "桔园村村委会".to_owned(),
        station_location: "城固县桔园镇桔园村村委会一楼".to_owned(),
        station_hours: "周一至周五 8:30–17:30".to_owned(),
        station_contact: "刘芳".to_owned(),
        station_phone: String::new(),
    };
    let grid_id = grid.id.clone();
    state
        .writer
        .write(move |tx| {
            store::community::insert_community(tx, village, PARTNER, now)?;
            store::community::insert_grid(tx, &grid, 0)
        })
        .await?;

    let (role, phone, name, password) = PARTNER_LOGIN;
    let account = Registration {
        display_name: name.to_owned(),
        phone: phone.to_owned(),
        password: password.to_owned(),
        role,
        community_id: None,
        privacy: None,
        code: None,
    }
    .validate_any_role()
    .map_err(|error| anyhow::anyhow!("demo login {phone} is invalid: {error:?}"))?;
    let worker = add_user(state, account, Some(village), None).await?;

    let start = now - Days::new(30);
    for (index, (name, alias, title, description)) in CHILDREN.iter().enumerate() {
        let household = HouseholdId::generate();
        let fields = HouseholdFields {
            name: (*name).to_owned(),
            address: format!("桔园村{}组", index + 3),
            phone: format!("1396280090{index}"),
            grid: grid_id.clone(),
            groups: vec![BeneficiaryGroup::ChildInDifficulty],
            notes: "留守儿童,与祖父母同住。".to_owned(),
            consent_on: Some(community_today(start)),
            guardian_consent_on: Some(community_today(start)),
            minor: true,
        };
        let register = Command::CreateHousehold(NewHousehold {
            id: household,
            fields,
        });
        apply_at(state, worker.actor(), register, start).await?;
        let wish = Command::CreateWish(NewWish {
            id: WishId::generate(),
            household_id: household,
            kind: WishKind::Item,
            title: (*title).to_owned(),
            description: (*description).to_owned(),
            category: Category::Clothing,
            quantity: 1,
            unit: "双".to_owned(),
            alias: (*alias).to_owned(),
            group: Some(BeneficiaryGroup::ChildInDifficulty),
            station: None,
            needed_by: community_today(now).checked_add_days(Days::new(45)),
            campaign_id: None,
            publish: true,
        });
        apply_at(state, worker.actor(), wish, now).await?;
    }

    let pairing = Pairing {
        id: PairingId::generate(),
        proposer: Community {
            id: xingyi,
            name: COMMUNITY.to_owned(),
        },
        partner: Community {
            id: village,
            name: PARTNER.to_owned(),
        },
        status: PairingStatus::Proposed,
        created_at: start,
        updated_at: start,
    };
    let accepted_by = worker.id;
    state
        .writer
        .write(move |tx| {
            store::pairings::insert(tx, &pairing, asked)?;
            store::pairings::set_status(
                tx,
                pairing.id,
                PairingStatus::Proposed,
                PairingStatus::Active,
                accepted_by,
                start,
            )?;
            crate::store::phone_codes::mark_verified(tx, accepted_by, now)
        })
        .await?;
    Ok(())
}
