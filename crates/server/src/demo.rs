//! `serve --demo`: fills an empty database with the Xingyi community (星怡社区) of the
//! seed story: four grids with their stations, needy households under aliases (化名),
//! wishes of both kinds, two campaigns and the children's shoe shop's pledge.
//! Every wish passes the same validation as one a worker posts.

use chrono::Days;
use microwish_core::account::Registration;
use microwish_core::clock::community_today;
use microwish_core::decide::{Event, Subject};
use microwish_core::validate::NewWish;
use microwish_core::{
    BeneficiaryGroup, CampaignId, Category, EventAction, Grid, GridId, HouseholdId, Role, WishId,
    WishKind, WishStatus,
};

use crate::app::AppState;
use crate::auth::add_user;
use crate::store;
use crate::store::community::NewHousehold;
use crate::store::pledges::DemoPledge;

use BeneficiaryGroup::*;
use Category::*;

/// What the seed put in, for the start-up message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub grids: usize,
    pub households: usize,
    pub wishes: usize,
    pub campaigns: usize,
}

/// Demo accounts, one per role: (role, phone, name, password). Printed at start.
pub const DEMO_LOGINS: &[(Role, &str, &str, &str)] = &[
    (
        Role::Worker,
        "13800000001",
        "网格长 李红",
        "xingyi-worker-2026",
    ),
    (
        Role::Donor,
        "13800000002",
        "爱心人士 张先生",
        "xingyi-donor-2026",
    ),
    (
        Role::Volunteer,
        "13800000003",
        "志愿者 陈师傅",
        "xingyi-volunteer-2026",
    ),
    (
        Role::Shopkeeper,
        "13800000004",
        "大拇哥童鞋店 王荣亮",
        "xingyi-shop-2026",
    ),
];

const GRIDS: &[(&str, &str, &str, &str)] = &[
    ("grid-1", "第一网格", "第一网格驿站", "星怡花园6幢南侧"),
    (
        "grid-2",
        "第二网格",
        "第二网格驿站",
        "星怡花园15幢物业服务点旁",
    ),
    ("grid-3", "第三网格", "第三网格驿站", "星怡花园26幢东侧"),
    ("grid-4", "第四网格", "第四网格驿站", "星怡花园32幢东侧"),
];

struct DemoHousehold {
    name: &'static str,
    address: &'static str,
    phone: &'static str,
    grid: &'static str,
    groups: &'static [BeneficiaryGroup],
    alias: &'static str,
    notes: &'static str,
}

/// Private details are invented; the aliases are what the public sees.
const HOUSEHOLDS: &[DemoHousehold] = &[
    DemoHousehold {
        name: "王成",
        address: "星怡花园32幢102室",
        phone: "13962800101",
        grid: "grid-4",
        groups: &[ElderlyAlone],
        alias: "王爷爷",
        notes: "74岁独居,行动慢,上门请先电话",
    },
    DemoHousehold {
        name: "周小娟",
        address: "星怡花园12幢301室",
        phone: "13962800102",
        grid: "grid-2",
        groups: &[ChildInDifficulty, LowIncome],
        alias: "小娟",
        notes: "今年考入高中,奶奶照料",
    },
    DemoHousehold {
        name: "陈桂英",
        address: "星怡花园5幢201室",
        phone: "13962800103",
        grid: "grid-1",
        groups: &[ElderlyAlone],
        alias: "陈奶奶",
        notes: "",
    },
    DemoHousehold {
        name: "刘建国",
        address: "星怡花园27幢103室",
        phone: "13962800104",
        grid: "grid-3",
        groups: &[Disabled],
        alias: "刘叔叔",
        notes: "肢体残疾,使用轮椅",
    },
    DemoHousehold {
        name: "张宇航",
        address: "星怡花园16幢502室",
        phone: "13962800105",
        grid: "grid-2",
        groups: &[Orphan],
        alias: "小宇",
        notes: "与祖父母同住",
    },
    DemoHousehold {
        name: "赵秀兰",
        address: "星怡花园7幢402室",
        phone: "13962800106",
        grid: "grid-1",
        groups: &[LowIncome],
        alias: "赵阿姨",
        notes: "低保户",
    },
    DemoHousehold {
        name: "孙德福",
        address: "星怡花园25幢101室",
        phone: "13962800107",
        grid: "grid-3",
        groups: &[ElderlyAlone],
        alias: "孙爷爷",
        notes: "",
    },
    DemoHousehold {
        name: "李晓雨",
        address: "星怡花园33幢602室",
        phone: "13962800108",
        grid: "grid-4",
        groups: &[ChildInDifficulty],
        alias: "雨雨",
        notes: "父亲病休",
    },
    DemoHousehold {
        name: "吴美华",
        address: "星怡花园14幢202室",
        phone: "13962800109",
        grid: "grid-2",
        groups: &[LowIncome, Disabled],
        alias: "吴阿姨",
        notes: "",
    },
    DemoHousehold {
        name: "钱海涛",
        address: "星怡花园8幢301室",
        phone: "13962800110",
        grid: "grid-1",
        groups: &[Orphan],
        alias: "小涛",
        notes: "",
    },
    DemoHousehold {
        name: "马玉珍",
        address: "星怡花园31幢104室",
        phone: "13962800111",
        grid: "grid-4",
        groups: &[ElderlyAlone],
        alias: "马奶奶",
        notes: "听力不好,请敲门大声些",
    },
    DemoHousehold {
        name: "黄志强",
        address: "星怡花园28幢503室",
        phone: "13962800112",
        grid: "grid-3",
        groups: &[LowIncome],
        alias: "黄师傅",
        notes: "",
    },
    DemoHousehold {
        name: "何秋菊",
        address: "星怡花园13幢101室",
        phone: "13962800113",
        grid: "grid-2",
        groups: &[ElderlyAlone, Disabled],
        alias: "何奶奶",
        notes: "",
    },
    DemoHousehold {
        name: "郑乐乐",
        address: "星怡花园29幢402室",
        phone: "13962800114",
        grid: "grid-3",
        groups: &[ChildInDifficulty],
        alias: "乐乐",
        notes: "",
    },
];

/// Which campaign a demo wish belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Drive {
    None,
    SchoolBags,
    CoolSummer,
}

struct DemoWish {
    household: &'static str,
    kind: WishKind,
    title: &'static str,
    description: &'static str,
    category: Category,
    quantity: u32,
    unit: &'static str,
    group: BeneficiaryGroup,
    days_left: u64,
    drive: Drive,
}

// A table-row constructor: the positional arguments read as the columns of WISHES.
#[allow(clippy::too_many_arguments)]
const fn item(
    household: &'static str,
    title: &'static str,
    description: &'static str,
    category: Category,
    quantity: u32,
    unit: &'static str,
    group: BeneficiaryGroup,
    days_left: u64,
    drive: Drive,
) -> DemoWish {
    DemoWish {
        household,
        kind: WishKind::Item,
        title,
        description,
        category,
        quantity,
        unit,
        group,
        days_left,
        drive,
    }
}

const fn service(
    household: &'static str,
    title: &'static str,
    description: &'static str,
    category: Category,
    group: BeneficiaryGroup,
    days_left: u64,
) -> DemoWish {
    DemoWish {
        household,
        kind: WishKind::Service,
        title,
        description,
        category,
        quantity: 1,
        unit: "次",
        group,
        days_left,
        drive: Drive::None,
    }
}

const WISHES: &[DemoWish] = &[
    item(
        "周小娟",
        "一个新书包",
        "考上了高中,想要一个能装下课本的双肩书包",
        School,
        1,
        "个",
        ChildInDifficulty,
        30,
        Drive::SchoolBags,
    ),
    item(
        "张宇航",
        "书包和文具",
        "三年级,书包带子断了,还想要一套文具",
        School,
        2,
        "套",
        Orphan,
        30,
        Drive::SchoolBags,
    ),
    item(
        "李晓雨",
        "双肩书包",
        "一年级新生,喜欢蓝色",
        School,
        1,
        "个",
        ChildInDifficulty,
        30,
        Drive::SchoolBags,
    ),
    item(
        "钱海涛",
        "初中书包",
        "初一,要结实耐用的",
        School,
        1,
        "个",
        Orphan,
        30,
        Drive::SchoolBags,
    ),
    item(
        "郑乐乐",
        "书包和课外书",
        "四年级,喜欢科普类的书",
        School,
        4,
        "件",
        ChildInDifficulty,
        30,
        Drive::SchoolBags,
    ),
    item(
        "王成",
        "清凉一夏礼包",
        "绿豆、凉茶、蚊香、花露水",
        Food,
        1,
        "份",
        ElderlyAlone,
        20,
        Drive::CoolSummer,
    ),
    item(
        "陈桂英",
        "一台电风扇",
        "家里的风扇坏了,夏天太热",
        Daily,
        1,
        "台",
        ElderlyAlone,
        14,
        Drive::CoolSummer,
    ),
    item(
        "孙德福",
        "竹凉席",
        "1.5米的床",
        Daily,
        1,
        "床",
        ElderlyAlone,
        20,
        Drive::CoolSummer,
    ),
    item(
        "马玉珍",
        "清凉一夏礼包",
        "绿豆、西瓜、花露水",
        Food,
        1,
        "份",
        ElderlyAlone,
        20,
        Drive::CoolSummer,
    ),
    item(
        "何秋菊",
        "清凉一夏礼包",
        "凉茶、蚊香",
        Food,
        1,
        "份",
        ElderlyAlone,
        20,
        Drive::CoolSummer,
    ),
    item(
        "赵秀兰",
        "大米和食用油",
        "10斤装大米两袋、食用油两桶",
        Food,
        4,
        "件",
        LowIncome,
        10,
        Drive::None,
    ),
    item(
        "吴美华",
        "冬季棉被",
        "1.8米的床,想要厚一点的",
        Daily,
        1,
        "床",
        LowIncome,
        60,
        Drive::None,
    ),
    item(
        "刘建国",
        "轮椅坐垫",
        "久坐防褥疮的坐垫",
        Care,
        1,
        "个",
        Disabled,
        21,
        Drive::None,
    ),
    item(
        "张宇航",
        "一双运动鞋",
        "35码,体育课穿",
        Clothing,
        1,
        "双",
        Orphan,
        25,
        Drive::None,
    ),
    item(
        "黄志强",
        "孩子的冬季校服",
        "两个孩子,身高140和150",
        Clothing,
        2,
        "套",
        LowIncome,
        45,
        Drive::None,
    ),
    item(
        "李晓雨",
        "护眼台灯",
        "晚上写作业用",
        School,
        1,
        "个",
        ChildInDifficulty,
        28,
        Drive::None,
    ),
    item(
        "郑乐乐",
        "儿童凉鞋",
        "32码",
        Clothing,
        1,
        "双",
        ChildInDifficulty,
        15,
        Drive::None,
    ),
    service(
        "王成",
        "更换厨房水池",
        "水池开裂漏水,担心污水倒灌",
        Repair,
        ElderlyAlone,
        7,
    ),
    service(
        "陈桂英",
        "修电热水壶",
        "电热水壶不加热了",
        Repair,
        ElderlyAlone,
        5,
    ),
    service(
        "孙德福",
        "修理水管",
        "卫生间水管接头滴水",
        Repair,
        ElderlyAlone,
        6,
    ),
    service(
        "马玉珍",
        "爱心义剪",
        "行动不便,想在家理发",
        Haircut,
        ElderlyAlone,
        10,
    ),
    service(
        "何秋菊",
        "爱心义剪",
        "想剪短一点,方便打理",
        Haircut,
        ElderlyAlone,
        12,
    ),
    service(
        "刘建国",
        "检修电路和更换灯泡",
        "客厅灯不亮,开关有时打火",
        Repair,
        Disabled,
        4,
    ),
    service(
        "吴美华",
        "陪同去医院复查",
        "周三上午去开发区医院复查,需要有人陪同",
        Care,
        LowIncome,
        9,
    ),
    service("赵秀兰", "疏通下水道", "厨房下水很慢", Repair, LowIncome, 8),
    service(
        "王成",
        "上门陪伴聊天",
        "老人独居,希望每周有人来坐坐",
        Care,
        ElderlyAlone,
        14,
    ),
];

/// Seeds the demo community when the database has no grids yet; `None` when it already had
/// data. Everything goes through the same store functions (and change and event logs) as the
/// app's own writes, and every wish passes the same validation as one a worker posts.
pub async fn seed_if_empty(state: &AppState) -> anyhow::Result<Option<Seeded>> {
    if store::community::has_grids(&state.db).await? {
        return Ok(None);
    }
    let now = state.clock.now();
    let today = community_today(now);
    let mut tx = state.db.begin().await?;

    for (position, (id, name, station, location)) in GRIDS.iter().enumerate() {
        let grid = Grid {
            id: GridId::from(*id),
            name: (*name).to_owned(),
            station: (*station).to_owned(),
            station_location: (*location).to_owned(),
        };
        store::community::insert_grid(&mut tx, &grid, position).await?;
    }

    let mut household_ids = Vec::with_capacity(HOUSEHOLDS.len());
    for household in HOUSEHOLDS {
        let id = HouseholdId::generate();
        let record = NewHousehold {
            name: household.name,
            address: household.address,
            phone: household.phone,
            grid: household.grid,
            groups: household.groups,
            notes: household.notes,
        };
        store::community::insert_household(&mut tx, id, &record, now).await?;
        household_ids.push(id);
    }

    let mut campaigns = Vec::new();
    for (title, description, days) in [
        (
            "暖心行动送书包",
            "开学前为困难家庭的孩子送上新书包和文具,让他们安心上学。",
            35,
        ),
        (
            "清凉一夏 微心愿礼包",
            "高温天为独居老人送去消暑礼包、风扇和凉席。",
            25,
        ),
    ] {
        let id = CampaignId::generate();
        let period = (today, today + Days::new(days));
        store::campaigns::insert(&mut tx, id, title, description, period, now).await?;
        campaigns.push(id);
    }

    for wish in WISHES {
        let (household, household_id) = HOUSEHOLDS
            .iter()
            .zip(&household_ids)
            .find(|(h, _)| h.name == wish.household)
            .ok_or_else(|| {
                anyhow::anyhow!("demo wish names unknown household {}", wish.household)
            })?;
        let campaign_id = match wish.drive {
            Drive::None => None,
            Drive::SchoolBags => Some(campaigns[0]),
            Drive::CoolSummer => Some(campaigns[1]),
        };
        let id = WishId::generate();
        let new = NewWish {
            id: Some(id),
            kind: wish.kind,
            title: wish.title.into(),
            description: wish.description.into(),
            category: wish.category,
            quantity: wish.quantity,
            unit: wish.unit.into(),
            alias: household.alias.into(),
            group: wish.group,
            grid: GridId::from(household.grid),
            household_id: Some(*household_id),
            needed_by: today.checked_add_days(Days::new(wish.days_left)),
            campaign_id,
        }
        .validate(today)
        .map_err(|error| anyhow::anyhow!("demo wish {:?} is invalid: {error:?}", wish.title))?;
        store::wishes::insert(
            &mut tx,
            &new,
            id,
            Some(*household_id),
            WishStatus::Open,
            now,
        )
        .await?;
        let published = Event {
            action: EventAction::Publish,
            subject: Subject::Wish(id),
            wish: id,
            from: None,
            to: Some(WishStatus::Open.as_str()),
            note: "演示数据".to_owned(),
        };
        store::events::record(&mut tx, now, None, &published).await?;
    }

    store::pledges::insert_demo_pledge(&mut tx, SHOE_PLEDGE, now).await?;
    tx.commit().await?;
    for (role, phone, name, password) in DEMO_LOGINS {
        let account = Registration {
            display_name: (*name).to_owned(),
            phone: (*phone).to_owned(),
            password: (*password).to_owned(),
            role: *role,
        }
        .validate_any_role()
        .map_err(|error| anyhow::anyhow!("demo login {phone} is invalid: {error:?}"))?;
        add_user(state, account).await?;
    }
    Ok(Some(Seeded {
        grids: GRIDS.len(),
        households: HOUSEHOLDS.len(),
        wishes: WISHES.len(),
        campaigns: campaigns.len(),
    }))
}

/// 大拇哥童鞋店: 104 pairs of children's shoes, mostly sandals for older children.
const SHOE_PLEDGE: DemoPledge = DemoPledge {
    shop_name: "大拇哥童鞋店",
    item: "儿童鞋",
    unit: "双",
    note: "每年捐赠童鞋,已坚持十年",
    variants: &[("大中童凉鞋", 60), ("宝宝鞋", 20), ("运动鞋", 24)],
};
