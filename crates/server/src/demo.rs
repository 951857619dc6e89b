//! `serve --demo`: fills an empty database with the Xingyi community (星怡社区) of the
//! seed story: four grids with their stations and forty buildings, needy households under
//! aliases (化名), wishes of both kinds, two campaigns and the children's shoe shop's pledge;
//! a volunteer waiting to be vetted, a draft wish, a confirmed claim with the household's
//! thanks; and a season of residents' requests (see `requests`).

use chrono::{DateTime, Days, Utc};
use microwish_core::account::Registration;
use microwish_core::clock::community_today;
use microwish_core::command::{
    Actor, AllocationRef, ClaimRef, ClaimWish, Command, ConfirmClaim, HouseholdFields,
    NewAllocation, NewCampaign, NewHousehold, NewPledge, NewWish, RecordThanks, ThankShop,
    VariantInput,
};
use microwish_core::shop_record::{self, PastYear};
use microwish_core::{
    AllocationId, BeneficiaryGroup, CampaignId, Category, ClaimId, CommunityId, Grid, GridId,
    HouseholdId, PledgeId, Role, UserId, VolunteerStatus, WishId, WishKind,
};

mod partner;
mod requests;

pub use partner::{PARTNER, PARTNER_LOGIN};

use crate::app::AppState;
use crate::apply::apply_at;
use crate::auth::add_user;
use crate::store;

use BeneficiaryGroup::*;
use Category::*;

/// What the seed put in, for the start-up message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub grids: usize,
    pub households: usize,
    pub wishes: usize,
    pub campaigns: usize,
    pub buildings: usize,
    pub requests: usize,
    /// Whether 桔园村 was seeded and paired with 星怡社区 (`--demo-pairing`).
    pub paired: bool,
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
    (
        Role::Resident,
        "13800000005",
        "居民 王阿姨",
        "xingyi-resident-2026",
    ),
    (
        Role::Property,
        "13800000006",
        "红色物业 刘师傅",
        "xingyi-property-2026",
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

/// Each demo station's opening hours, contact person and phone (staff: public), in
/// [`GRIDS`]' order.
const STATIONS: [(&str, &str, &str); 4] = [
    ("周一至周六 9:00–17:00", "网格长 李红", "0571-8650 1201"),
    ("每天 8:30–18:00", "网格长 王建", "0571-8650 1202"),
    ("周一至周五 9:00–17:00", "网格长 陈芳", "13900000302"),
    ("每天 9:00–19:00", "网格长 赵刚", "0571-8650 1204"),
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
    /// The season's drive: a summer gift pack in the warm months, winter warmth in the cold
    /// ones (see [`in_winter`]), so that a first look at the demo is believable any day.
    Seasonal,
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
        Drive::Seasonal,
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
        Drive::Seasonal,
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
        Drive::Seasonal,
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
        Drive::Seasonal,
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
        Drive::Seasonal,
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

/// The demo community's name.
pub const COMMUNITY: &str = "星怡社区";

/// A volunteer who registered and waits for a worker to meet them (not printed: there is
/// nothing they can do yet that a donor cannot).
const PENDING_VOLUNTEER: (Role, &str, &str, &str) = (
    Role::Volunteer,
    "13800000009",
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

/// 大拇哥童鞋店: 104 pairs of children's shoes every year, in sizes 28–36.
const SHOE_SIZES: &[(&str, i64)] = &[
    ("28码", 8),
    ("29码", 10),
    ("30码", 12),
    ("31码", 12),
    ("32码", 14),
    ("33码", 14),
    ("34码", 12),
    ("35码", 12),
    ("36码", 10),
];

/// The drives: (title, description, goal, unit, starts this many days from today, lasts days).
/// 六一童心愿 ended months ago; the other two run now.
const CAMPAIGNS: &[CampaignRow] = &[
    (
        "暖心行动送书包",
        "开学前为困难家庭的孩子送上新书包和文具,让他们安心上学。",
        10,
        "件",
        0,
        35,
    ),
    (
        "六一童心愿",
        "儿童节前为困境儿童圆一个小心愿:一本绘本、一双新鞋。",
        6,
        "件",
        -150,
        20,
    ),
];

/// The seasonal drive (second of the current campaigns), summer or winter.
type CampaignRow = (&'static str, &'static str, i64, &'static str, i64, u64);
const SUMMER_CAMPAIGN: CampaignRow = (
    "清凉一夏 微心愿礼包",
    "高温天为独居老人送去消暑礼包、风扇和凉席。",
    6,
    "份",
    0,
    25,
);
const WINTER_CAMPAIGN: CampaignRow = (
    "冬日暖心 棉被礼包",
    "寒冬里为独居老人送去棉被、电暖器和暖心礼包。",
    6,
    "份",
    0,
    30,
);

/// In winter, the seasonal wishes of each household become these (title, description, unit,
/// category); in summer they stay as [`WISHES`] has them.
const WINTER_WISHES: &[(&str, &str, &str, &str, Category)] = &[
    (
        "王成",
        "冬日暖心礼包",
        "保暖内衣、棉拖鞋、热水袋",
        "份",
        Daily,
    ),
    (
        "陈桂英",
        "一台电暖器",
        "家里没有暖气,冬天屋里太冷",
        "台",
        Daily,
    ),
    (
        "孙德福",
        "冬季棉被一床",
        "1.5米的床,旧棉被已经不保暖",
        "床",
        Daily,
    ),
    (
        "马玉珍",
        "冬日暖心礼包",
        "棉手套、围巾、热水袋",
        "份",
        Daily,
    ),
    ("何秋菊", "冬日暖心礼包", "保暖内衣、暖宝宝", "份", Daily),
];

/// October to March: the cold months in the community's city.
fn in_winter(today: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    !(4..=9).contains(&today.month())
}

/// How a wish of the past was met.
#[derive(Clone, Copy)]
enum MetBy {
    /// The demo donor brought it.
    Donor,
    /// The demo volunteer came for this many minutes.
    Volunteer(i64),
    /// The shoe shop's pledge, in this size.
    Shoes(&'static str),
}

/// A wish fulfilled in the past, so the stats have months to show.
struct PastWish {
    days_ago: u64,
    household: &'static str,
    title: &'static str,
    category: Category,
    quantity: u32,
    unit: &'static str,
    /// Days from posting to the worker's confirmation.
    days_to_fulfil: u64,
    met_by: MetBy,
    /// In the finished 六一 drive.
    children_day: bool,
}

const fn past(
    days_ago: u64,
    household: &'static str,
    title: &'static str,
    (category, quantity, unit): (Category, u32, &'static str),
    days_to_fulfil: u64,
    met_by: MetBy,
    children_day: bool,
) -> PastWish {
    PastWish {
        days_ago,
        household,
        title,
        category,
        quantity,
        unit,
        days_to_fulfil,
        met_by,
        children_day,
    }
}

const HISTORY: &[PastWish] = &[
    past(
        150,
        "张宇航",
        "六一礼物:两本绘本",
        (School, 2, "本"),
        6,
        MetBy::Donor,
        true,
    ),
    past(
        148,
        "郑乐乐",
        "一双凉鞋",
        (Clothing, 1, "双"),
        5,
        MetBy::Shoes("32码"),
        true,
    ),
    past(
        147,
        "李晓雨",
        "一双运动鞋",
        (Clothing, 1, "双"),
        6,
        MetBy::Shoes("30码"),
        true,
    ),
    past(
        145,
        "钱海涛",
        "一双运动鞋",
        (Clothing, 1, "双"),
        4,
        MetBy::Shoes("36码"),
        true,
    ),
    past(
        140,
        "王成",
        "修理电视机信号",
        (Repair, 1, "次"),
        3,
        MetBy::Volunteer(90),
        false,
    ),
    past(
        120,
        "陈桂英",
        "防滑拖鞋",
        (Daily, 2, "双"),
        4,
        MetBy::Donor,
        false,
    ),
    past(
        110,
        "马玉珍",
        "爱心义剪",
        (Haircut, 1, "次"),
        2,
        MetBy::Volunteer(60),
        false,
    ),
    past(
        95,
        "刘建国",
        "轮椅刹车维修",
        (Repair, 1, "次"),
        3,
        MetBy::Volunteer(120),
        false,
    ),
    past(
        90,
        "赵秀兰",
        "中秋月饼",
        (Food, 2, "盒"),
        3,
        MetBy::Donor,
        false,
    ),
    past(
        75,
        "何秋菊",
        "一副老花镜",
        (Care, 1, "副"),
        8,
        MetBy::Donor,
        false,
    ),
    past(
        60,
        "黄志强",
        "孩子的秋季外套",
        (Clothing, 2, "件"),
        10,
        MetBy::Donor,
        false,
    ),
    past(
        45,
        "孙德福",
        "更换门锁",
        (Repair, 1, "次"),
        4,
        MetBy::Volunteer(60),
        false,
    ),
    past(
        30,
        "吴美华",
        "一个电饭煲",
        (Daily, 1, "个"),
        5,
        MetBy::Donor,
        false,
    ),
    past(
        20,
        "王成",
        "爱心义剪",
        (Haircut, 1, "次"),
        2,
        MetBy::Volunteer(45),
        false,
    ),
    past(
        12,
        "周小娟",
        "冬季保暖内衣",
        (Clothing, 1, "套"),
        4,
        MetBy::Donor,
        false,
    ),
];

/// Seeds the demo community when the database has no grids yet; `None` when it already had
/// data. The community and its grids are set up through the store; then everyone acts through
/// the app's own commands (so the data passes the same rules and leaves the same events): the
/// shoe shop pledges, the worker starts the drives, registers every household, posts every
/// wish; five months of wishes are met (by the donor, the volunteer and the shop's shoes, each
/// command applied as of its day); today a donor's claim goes all the way to the thanks.
pub async fn seed_if_empty(state: &AppState, paired: bool) -> anyhow::Result<Option<Seeded>> {
    if store::community::has_grids(&state.db).await? {
        return Ok(None);
    }
    let now = state.clock.now();
    let today = community_today(now);
    let community = CommunityId::generate();
    let buildings = requests::buildings();
    let set_up = buildings.clone();
    // Checked again in the write: two servers started with --demo at once on a new database
    // seed it once (the second finds the first's grids and leaves the data to it).
    let first = state
        .writer
        .write(move |tx| {
            if store::community::has_grids_now(tx)? {
                return Ok(false);
            }
            store::community::insert_community(tx, community, COMMUNITY, now)?;
            for (position, ((id, name, station, location), (hours, contact, phone))) in
                GRIDS.iter().zip(STATIONS).enumerate()
            {
                let grid = Grid {
                    id: GridId::from(*id),
                    community,
                    name: (*name).to_owned(),
                    station: (*station).to_owned(),
                    station_location: (*location).to_owned(),
                    station_hours: hours.to_owned(),
                    station_contact: contact.to_owned(),
                    station_phone: phone.to_owned(),
                };
                store::community::insert_grid(tx, &grid, position)?;
            }
            for (position, building) in set_up.iter().enumerate() {
                store::community::insert_building(tx, building, position)?;
            }
            Ok(true)
        })
        .await?;
    if !first {
        return Ok(None);
    }

    let mut people = Vec::new();
    for (role, phone, name, password) in DEMO_LOGINS.iter().chain([PENDING_VOLUNTEER].iter()) {
        let account = Registration {
            display_name: (*name).to_owned(),
            phone: (*phone).to_owned(),
            password: (*password).to_owned(),
            role: *role,
            community_id: None,
            privacy: None,
            code: None,
        }
        .validate_any_role()
        .map_err(|error| anyhow::anyhow!("demo login {phone} is invalid: {error:?}"))?;
        let (place, vetting) = match role {
            // The shoe shop is on 星怡's streets: it pledges to 星怡, or to a paired community.
            Role::Worker | Role::Property | Role::Resident | Role::Shopkeeper => {
                (Some(community), None)
            }
            // The printed volunteer has been met already (and lives here: he answers the
            // grid's calls); the other one waits.
            Role::Volunteer if *phone == PENDING_VOLUNTEER.1 => {
                (None, Some(VolunteerStatus::Pending))
            }
            Role::Volunteer => (Some(community), Some(VolunteerStatus::Approved)),
            _ => (None, None),
        };
        people.push(add_user(state, account, place, vetting).await?);
    }
    // The community made these accounts: it knows their numbers.
    let ids: Vec<_> = people.iter().map(|person| person.id).collect();
    state
        .writer
        .write(move |tx| {
            for id in &ids {
                crate::store::phone_codes::mark_verified(tx, *id, now)?;
            }
            Ok(())
        })
        .await?;
    let demo = Demo {
        state,
        now,
        worker: people[0].actor(),
        donor: people[1].actor(),
        volunteer: people[2].actor(),
        shop: people[3].actor(),
        resident: people[4].actor(),
        property: people[5].id,
    };
    let start = now - Days::new(160);

    let shoes = PledgeId::generate();
    let pledge = NewPledge {
        id: shoes,
        title: "儿童鞋(凉鞋、运动鞋)".to_owned(),
        category: Clothing,
        quantity: None,
        unit: "双".to_owned(),
        variants: SHOE_SIZES
            .iter()
            .map(|(label, quantity)| VariantInput {
                label: (*label).to_owned(),
                quantity: *quantity,
            })
            .collect(),
        available_from: Some(community_today(start)),
        yearly: true,
        note: "每年捐赠104双童鞋,已坚持十年;送到各网格驿站。".to_owned(),
        community_id: None,
    };
    demo.at(start, demo.shop, Command::CreatePledge(pledge))
        .await?;

    let winter = in_winter(today);
    let seasonal = if winter {
        WINTER_CAMPAIGN
    } else {
        SUMMER_CAMPAIGN
    };
    let current_campaigns = [CAMPAIGNS[0], seasonal, CAMPAIGNS[1]];
    let mut campaigns = Vec::new();
    for (title, description, goal, unit, starts_in, lasts) in &current_campaigns {
        let starts_on = today + chrono::Duration::days(*starts_in);
        let campaign = NewCampaign {
            id: CampaignId::generate(),
            title: (*title).to_owned(),
            description: (*description).to_owned(),
            goal: *goal,
            unit: (*unit).to_owned(),
            starts_on,
            ends_on: starts_on + Days::new(*lasts),
        };
        campaigns.push(campaign.id);
        demo.at(start, demo.worker, Command::CreateCampaign(campaign))
            .await?;
    }

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
            consent_on: Some(community_today(start)),
            // A child's guardian signed the same day.
            guardian_consent_on: household.minor.then(|| community_today(start)),
            minor: household.minor,
        };
        demo.at(
            start,
            demo.worker,
            Command::CreateHousehold(NewHousehold { id, fields }),
        )
        .await
        .map_err(|error| anyhow::anyhow!("demo household {}: {error}", household.name))?;
        household_ids.push(id);
    }
    let household_of = |name: &str| {
        HOUSEHOLDS
            .iter()
            .zip(&household_ids)
            .find(|(household, _)| household.name == name)
            .map(|(household, id)| (household, *id))
            .ok_or_else(|| anyhow::anyhow!("demo wish names unknown household {name}"))
    };

    for wish in HISTORY {
        let (household, household_id) = household_of(wish.household)?;
        demo.met_in_the_past(wish, household, household_id, shoes, campaigns[2])
            .await
            .map_err(|error| anyhow::anyhow!("demo history {:?}: {error}", wish.title))?;
    }

    let mut wish_ids = Vec::with_capacity(WISHES.len());
    for wish in WISHES.iter().chain([DRAFT_WISH].iter()) {
        let (household, household_id) = household_of(wish.household)?;
        let campaign_id = match wish.drive {
            Drive::None => None,
            Drive::SchoolBags => Some(campaigns[0]),
            Drive::Seasonal => Some(campaigns[1]),
        };
        let (title, description, unit, category) = WINTER_WISHES
            .iter()
            .find(|(name, ..)| winter && wish.drive == Drive::Seasonal && *name == wish.household)
            .map(|(_, title, description, unit, category)| (*title, *description, *unit, *category))
            .unwrap_or((wish.title, wish.description, wish.unit, wish.category));
        let new = NewWish {
            id: WishId::generate(),
            household_id,
            kind: wish.kind,
            title: title.into(),
            description: description.into(),
            category,
            quantity: i64::from(wish.quantity),
            unit: unit.into(),
            alias: household.alias.into(),
            group: Some(wish.group),
            station: None,
            needed_by: today.checked_add_days(Days::new(wish.days_left)),
            campaign_id,
            publish: !std::ptr::eq(wish, &DRAFT_WISH),
        };
        wish_ids.push(new.id);
        demo.at(now, demo.worker, Command::CreateWish(new))
            .await
            .map_err(|error| anyhow::anyhow!("demo wish {:?}: {error}", wish.title))?;
    }
    let current = |title: &str| {
        WISHES
            .iter()
            .position(|wish| wish.title == title)
            .map(|at| wish_ids[at])
            .ok_or_else(|| anyhow::anyhow!("demo wish {title} is missing"))
    };

    // 张先生 brought rice and oil for 赵阿姨; the grid leader confirmed it and wrote down her thanks.
    let claim_id = ClaimId::generate();
    let claim = ClaimWish {
        id: claim_id,
        wish_id: current("大米和食用油")?,
        quantity: 2,
        note: Some("周六上午送到驿站".to_owned()),
        slot_start: None,
        slot_end: None,
    };
    demo.at(now, demo.donor, Command::ClaimWish(claim)).await?;
    demo.at(
        now,
        demo.donor,
        Command::MarkDelivered(ClaimRef { claim_id }),
    )
    .await?;
    let confirm = ConfirmClaim {
        claim_id,
        minutes: None,
    };
    demo.at(now, demo.worker, Command::ConfirmClaim(confirm))
        .await?;
    let thanks = RecordThanks {
        claim_id,
        text: "赵阿姨说:谢谢张先生,米和油都收到了,够吃一个月了!".to_owned(),
    };
    demo.at(now, demo.worker, Command::RecordThanks(thanks))
        .await?;

    // This year's shoes: 小宇's pair is handed over and thanked; 小郑's waits at the station.
    let handed_over = demo
        .allocate(now, shoes, current("一双运动鞋")?, "35码")
        .await?;
    demo.at(
        now,
        demo.shop,
        Command::DeliverAllocation(handed_over.clone()),
    )
    .await?;
    demo.at(
        now,
        demo.worker,
        Command::ConfirmAllocation(handed_over.clone()),
    )
    .await?;
    let thanks = ThankShop {
        allocation_id: handed_over.allocation_id,
        text: "小宇说:谢谢大拇哥童鞋店,新鞋跑步特别舒服!".to_owned(),
    };
    demo.at(now, demo.worker, Command::ThankShop(thanks))
        .await?;
    let at_station = demo
        .allocate(now, shoes, current("儿童凉鞋")?, "32码")
        .await?;
    demo.at(now, demo.shop, Command::DeliverAllocation(at_station))
        .await?;

    // The shop's years before the app (104 pairs a year, as the community's ledger says):
    // ten years of giving with the app's own, its thank-you page public.
    shop_years(state, people[3].id, people[0].id, now).await?;

    // A season of residents' requests in the four grids.
    let (household, household_id) = household_of(requests::NEIGHBOUR)?;
    let requests = demo
        .requests(&buildings, (household.alias, household_id))
        .await
        .map_err(|error| anyhow::anyhow!("demo requests: {error}"))?;

    if paired {
        partner::seed(state, community, people[0].id, now)
            .await
            .map_err(|error| anyhow::anyhow!("demo pairing: {error}"))?;
    }

    Ok(Some(Seeded {
        grids: GRIDS.len(),
        households: HOUSEHOLDS.len(),
        // The neighbour's house call, turned from her request.
        wishes: wish_ids.len() + HISTORY.len() + 1,
        campaigns: campaigns.len(),
        buildings: buildings.len(),
        requests,
        paired,
    }))
}

/// Records the shoe shop's past years so that, with the years the app counts, it has given ten
/// years running up to this one, and makes its thank-you page public.
async fn shop_years(
    state: &AppState,
    shop: UserId,
    worker: UserId,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let allocations = store::shop_record::allocations(&state.db, shop).await?;
    let this_year = shop_record::year_of(now);
    let first_in_app = allocations
        .iter()
        .map(|allocation| shop_record::year_of(allocation.allocated_at))
        .min()
        .unwrap_or(this_year);
    for year in (this_year - 9)..first_in_app {
        let past = PastYear {
            year,
            units: 104,
            wishes: 104,
            note: "开通微心愿之前,据社区台账".to_owned(),
        };
        store::shop_record::put_year(&state.writer, shop, past, worker, now).await?;
    }
    store::shop_record::set_public(&state.writer, shop, true).await?;
    Ok(())
}

/// The demo's people, acting through the one apply path as of a given time.
struct Demo<'a> {
    state: &'a AppState,
    now: DateTime<Utc>,
    worker: Actor,
    donor: Actor,
    volunteer: Actor,
    shop: Actor,
    /// 居民 王阿姨, who files most of the season's requests.
    resident: Actor,
    /// 红色物业 刘师傅, to whom the workers dispatch.
    property: UserId,
}

impl Demo<'_> {
    async fn at(&self, when: DateTime<Utc>, actor: Actor, command: Command) -> anyhow::Result<()> {
        apply_at(self.state, actor, command, when).await?;
        Ok(())
    }

    /// The worker gives one pair of `size` to `wish`.
    async fn allocate(
        &self,
        when: DateTime<Utc>,
        pledge: PledgeId,
        wish: WishId,
        size: &str,
    ) -> anyhow::Result<AllocationRef> {
        let allocation = NewAllocation {
            id: AllocationId::generate(),
            pledge_id: pledge,
            wish_id: wish,
            quantity: 1,
            variant: Some(size.to_owned()),
        };
        let target = AllocationRef {
            allocation_id: allocation.id,
        };
        self.at(when, self.worker, Command::AllocatePledge(allocation))
            .await?;
        Ok(target)
    }

    /// Posts `wish` as of its day and meets it, each step as of the day it happened.
    async fn met_in_the_past(
        &self,
        wish: &PastWish,
        household: &DemoHousehold,
        household_id: HouseholdId,
        shoes: PledgeId,
        children_day: CampaignId,
    ) -> anyhow::Result<()> {
        let posted = self.now - Days::new(wish.days_ago);
        let fulfilled = posted + Days::new(wish.days_to_fulfil);
        let next_day = posted + Days::new(1);
        let kind = match wish.met_by {
            MetBy::Volunteer(_) => WishKind::Service,
            _ => WishKind::Item,
        };
        let new = NewWish {
            id: WishId::generate(),
            household_id,
            kind,
            title: wish.title.into(),
            description: String::new(),
            category: wish.category,
            quantity: i64::from(wish.quantity),
            unit: wish.unit.into(),
            alias: household.alias.into(),
            group: household.groups.first().copied(),
            station: None,
            needed_by: Some(community_today(posted) + Days::new(30)),
            campaign_id: wish.children_day.then_some(children_day),
            publish: true,
        };
        let wish_id = new.id;
        self.at(posted, self.worker, Command::CreateWish(new))
            .await?;
        match wish.met_by {
            MetBy::Shoes(size) => {
                let target = self.allocate(next_day, shoes, wish_id, size).await?;
                let dropped = next_day + Days::new(1);
                self.at(
                    dropped,
                    self.shop,
                    Command::DeliverAllocation(target.clone()),
                )
                .await?;
                self.at(
                    fulfilled,
                    self.worker,
                    Command::ConfirmAllocation(target.clone()),
                )
                .await?;
                let thanks = ThankShop {
                    allocation_id: target.allocation_id,
                    text: format!("{}收到新鞋,特别开心,谢谢大拇哥童鞋店!", household.alias),
                };
                self.at(fulfilled, self.worker, Command::ThankShop(thanks))
                    .await?;
            }
            MetBy::Donor | MetBy::Volunteer(_) => {
                let claim_id = ClaimId::generate();
                let (claimer, slot) = match wish.met_by {
                    MetBy::Volunteer(minutes) => {
                        let start = fulfilled - chrono::Duration::days(1);
                        (
                            self.volunteer,
                            Some((start, start + chrono::Duration::minutes(minutes))),
                        )
                    }
                    _ => (self.donor, None),
                };
                let claim = ClaimWish {
                    id: claim_id,
                    wish_id,
                    quantity: i64::from(wish.quantity),
                    note: None,
                    slot_start: slot.map(|(start, _)| start),
                    slot_end: slot.map(|(_, end)| end),
                };
                self.at(posted, claimer, Command::ClaimWish(claim)).await?;
                let delivered = match slot {
                    Some((_, end)) => end,
                    None => next_day,
                };
                self.at(
                    delivered,
                    claimer,
                    Command::MarkDelivered(ClaimRef { claim_id }),
                )
                .await?;
                let confirm = ConfirmClaim {
                    claim_id,
                    minutes: None,
                };
                self.at(fulfilled, self.worker, Command::ConfirmClaim(confirm))
                    .await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seasonal_drive_fits_the_month() {
        let day = |month| chrono::NaiveDate::from_ymd_opt(2026, month, 15).unwrap();
        assert!(in_winter(day(11)) && in_winter(day(1)) && in_winter(day(3)));
        assert!(!in_winter(day(4)) && !in_winter(day(7)) && !in_winter(day(9)));
        // Every winter wish replaces a seasonal wish of that household, and each of those
        // has its winter form (no summer fan left in December).
        let seasonal: Vec<&str> = WISHES
            .iter()
            .filter(|wish| wish.drive == Drive::Seasonal)
            .map(|wish| wish.household)
            .collect();
        let winter: Vec<&str> = WINTER_WISHES.iter().map(|(name, ..)| *name).collect();
        assert_eq!(seasonal, winter);
    }
}
