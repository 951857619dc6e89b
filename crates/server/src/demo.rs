//! `serve --demo`: fills an empty database with the Xingyi community (星怡社区) of the
//! seed story: four grids with their stations, needy households under aliases (化名),
//! wishes of both kinds, two campaigns and the children's shoe shop's pledge; a volunteer
//! waiting to be vetted, a draft wish, a confirmed claim with the household's thanks.

use chrono::Days;
use microwish_core::account::Registration;
use microwish_core::clock::community_today;
use microwish_core::command::{
    ClaimRef, ClaimWish, Command, ConfirmClaim, HouseholdFields, NewHousehold, NewWish,
    RecordThanks,
};
use microwish_core::{
    BeneficiaryGroup, CampaignId, Category, ClaimId, CommunityId, Grid, GridId, HouseholdId, Role,
    VolunteerStatus, WishId, WishKind,
};

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::add_user;
use crate::store;
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
    /// A child under 14 lives there.
    minor: bool,
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
        minor: false,
    },
    DemoHousehold {
        name: "周小娟",
        address: "星怡花园12幢301室",
        phone: "13962800102",
        grid: "grid-2",
        groups: &[ChildInDifficulty, LowIncome],
        alias: "小周",
        notes: "今年考入高中,奶奶照料",
        minor: false,
    },
    DemoHousehold {
        name: "陈桂英",
        address: "星怡花园5幢201室",
        phone: "13962800103",
        grid: "grid-1",
        groups: &[ElderlyAlone],
        alias: "陈奶奶",
        notes: "",
        minor: false,
    },
    DemoHousehold {
        name: "刘建国",
        address: "星怡花园27幢103室",
        phone: "13962800104",
        grid: "grid-3",
        groups: &[Disabled],
        alias: "刘叔叔",
        notes: "肢体残疾,使用轮椅",
        minor: false,
    },
    DemoHousehold {
        name: "张宇航",
        address: "星怡花园16幢502室",
        phone: "13962800105",
        grid: "grid-2",
        groups: &[Orphan],
        alias: "小宇",
        notes: "与祖父母同住",
        minor: true,
    },
    DemoHousehold {
        name: "赵秀兰",
        address: "星怡花园7幢402室",
        phone: "13962800106",
        grid: "grid-1",
        groups: &[LowIncome],
        alias: "赵阿姨",
        notes: "低保户",
        minor: false,
    },
    DemoHousehold {
        name: "孙德福",
        address: "星怡花园25幢101室",
        phone: "13962800107",
        grid: "grid-3",
        groups: &[ElderlyAlone],
        alias: "孙爷爷",
        notes: "",
        minor: false,
    },
    DemoHousehold {
        name: "李晓雨",
        address: "星怡花园33幢602室",
        phone: "13962800108",
        grid: "grid-4",
        groups: &[ChildInDifficulty],
        alias: "雨雨",
        notes: "父亲病休",
        minor: true,
    },
    DemoHousehold {
        name: "吴美华",
        address: "星怡花园14幢202室",
        phone: "13962800109",
        grid: "grid-2",
        groups: &[LowIncome, Disabled],
        alias: "吴阿姨",
        notes: "",
        minor: false,
    },
    DemoHousehold {
        name: "钱海涛",
        address: "星怡花园8幢301室",
        phone: "13962800110",
        grid: "grid-1",
        groups: &[Orphan],
        alias: "小涛",
        notes: "",
        minor: true,
    },
    DemoHousehold {
        name: "马玉珍",
        address: "星怡花园31幢104室",
        phone: "13962800111",
        grid: "grid-4",
        groups: &[ElderlyAlone],
        alias: "马奶奶",
        notes: "听力不好,请敲门大声些",
        minor: false,
    },
    DemoHousehold {
        name: "黄志强",
        address: "星怡花园28幢503室",
        phone: "13962800112",
        grid: "grid-3",
        groups: &[LowIncome],
        alias: "黄师傅",
        notes: "",
        minor: false,
    },
    DemoHousehold {
        name: "何秋菊",
        address: "星怡花园13幢101室",
        phone: "13962800113",
        grid: "grid-2",
        groups: &[ElderlyAlone, Disabled],
        alias: "何奶奶",
        notes: "",
        minor: false,
    },
    DemoHousehold {
        name: "郑乐乐",
        address: "星怡花园29幢402室",
        phone: "13962800114",
        grid: "grid-3",
        groups: &[ChildInDifficulty],
        alias: "小郑",
        notes: "",
        minor: true,
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
/// data. The community, its grids and campaigns are set up through the store; then the demo
/// worker registers every household and posts every wish through the app's own commands (so
/// they pass the same rules and leave the same events), and a donor's claim goes all the way
/// to the household's thanks.
pub async fn seed_if_empty(state: &AppState) -> anyhow::Result<Option<Seeded>> {
    if store::community::has_grids(&state.db).await? {
        return Ok(None);
    }
    let now = state.clock.now();
    let today = community_today(now);
    let community = CommunityId::generate();
    let mut tx = state.db.begin().await?;
    store::community::insert_community(&mut tx, community, COMMUNITY, now).await?;
    for (position, (id, name, station, location)) in GRIDS.iter().enumerate() {
        let grid = Grid {
            id: GridId::from(*id),
            community,
            name: (*name).to_owned(),
            station: (*station).to_owned(),
            station_location: (*location).to_owned(),
        };
        store::community::insert_grid(&mut tx, &grid, position).await?;
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
    store::pledges::insert_demo_pledge(&mut tx, SHOE_PLEDGE, now).await?;
    tx.commit().await?;

    let mut people = Vec::new();
    for (role, phone, name, password) in DEMO_LOGINS.iter().chain([PENDING_VOLUNTEER].iter()) {
        let account = Registration {
            display_name: (*name).to_owned(),
            phone: (*phone).to_owned(),
            password: (*password).to_owned(),
            role: *role,
        }
        .validate_any_role()
        .map_err(|error| anyhow::anyhow!("demo login {phone} is invalid: {error:?}"))?;
        let (place, vetting) = match role {
            Role::Worker => (Some(community), None),
            // The printed volunteer has been met already; the other one waits.
            Role::Volunteer if *phone == PENDING_VOLUNTEER.1 => {
                (None, Some(VolunteerStatus::Pending))
            }
            Role::Volunteer => (None, Some(VolunteerStatus::Approved)),
            _ => (None, None),
        };
        people.push(add_user(state, account, place, vetting).await?);
    }
    let worker = people[0].actor();
    let donor = people[1].actor();
    let run = |actor, command| apply(state, actor, command);

    let mut household_ids = Vec::with_capacity(HOUSEHOLDS.len());
    for household in HOUSEHOLDS {
        let id = HouseholdId::generate();
        let fields = HouseholdFields {
            name: household.name.to_owned(),
            address: household.address.to_owned(),
            phone: household.phone.to_owned(),
            grid: GridId::from(household.grid),
            groups: household.groups.to_vec(),
            notes: household.notes.to_owned(),
            consent_on: Some(today),
            minor: household.minor,
        };
        run(
            worker,
            Command::CreateHousehold(NewHousehold { id, fields }),
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo household {}: {error}", household.name))?;
        household_ids.push(id);
    }

    let mut wish_ids = Vec::with_capacity(WISHES.len());
    for wish in WISHES.iter().chain([DRAFT_WISH].iter()) {
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
        let new = NewWish {
            id: WishId::generate(),
            household_id: *household_id,
            kind: wish.kind,
            title: wish.title.into(),
            description: wish.description.into(),
            category: wish.category,
            quantity: i64::from(wish.quantity),
            unit: wish.unit.into(),
            alias: household.alias.into(),
            group: Some(wish.group),
            station: None,
            needed_by: today.checked_add_days(Days::new(wish.days_left)),
            campaign_id,
            publish: !std::ptr::eq(wish, &DRAFT_WISH),
        };
        wish_ids.push(new.id);
        run(worker, Command::CreateWish(new))
            .await
            .map_err(|error| anyhow::anyhow!("demo wish {:?}: {error}", wish.title))?;
    }

    // 张先生 brought rice and oil for 赵阿姨; the grid leader confirmed it and wrote down her thanks.
    let rice = WISHES
        .iter()
        .position(|wish| wish.title == "大米和食用油")
        .map(|at| wish_ids[at])
        .ok_or_else(|| anyhow::anyhow!("demo wish 大米和食用油 is missing"))?;
    let claim_id = ClaimId::generate();
    let claim = ClaimWish {
        id: claim_id,
        wish_id: rice,
        quantity: 2,
        note: Some("周六上午送到驿站".to_owned()),
        slot_start: None,
        slot_end: None,
    };
    run(donor, Command::ClaimWish(claim)).await?;
    run(donor, Command::MarkDelivered(ClaimRef { claim_id })).await?;
    let confirm = ConfirmClaim {
        claim_id,
        minutes: None,
    };
    run(worker, Command::ConfirmClaim(confirm)).await?;
    let thanks = RecordThanks {
        claim_id,
        text: "赵阿姨说:谢谢张先生,米和油都收到了,够吃一个月了!".to_owned(),
    };
    run(worker, Command::RecordThanks(thanks)).await?;

    Ok(Some(Seeded {
        grids: GRIDS.len(),
        households: HOUSEHOLDS.len(),
        wishes: wish_ids.len(),
        campaigns: campaigns.len(),
    }))
}

/// The demo community's name.
pub const COMMUNITY: &str = "星怡社区";

/// A volunteer who registered and waits for a worker to meet them (not printed: there is
/// nothing they can do yet that a donor cannot).
const PENDING_VOLUNTEER: (Role, &str, &str, &str) = (
    Role::Volunteer,
    "13800000005",
    "志愿者 小林",
    "xingyi-newcomer-2026",
);

/// A wish the worker has drafted and not published yet.
const DRAFT_WISH: DemoWish = item(
    "孙德福",
    "助行器一个",
    "腿脚越来越不方便,出门需要助行器,尺寸待上门量好再定",
    Care,
    1,
    "个",
    ElderlyAlone,
    30,
    Drive::None,
);

/// 大拇哥童鞋店: 104 pairs of children's shoes, mostly sandals for older children.
const SHOE_PLEDGE: DemoPledge = DemoPledge {
    shop_name: "大拇哥童鞋店",
    item: "儿童鞋",
    unit: "双",
    note: "每年捐赠童鞋,已坚持十年",
    variants: &[("大中童凉鞋", 60), ("宝宝鞋", 20), ("运动鞋", 24)],
};
