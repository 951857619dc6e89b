//! The demo's buildings and its season of residents' requests, each step through the app's own
//! commands as of its day: the stairwell oil (dispatched to the property staff, resolved, rated
//! 5), the garage fleas (logged from the WeChat group, rated 4 on the callback), a broken
//! corridor light (in progress, overdue), a neighbour's help request turned into a house call,
//! an urgent one accepted late (then closed by the system, unanswered), a suggestion declined
//! ("call 12345"), two not yet accepted (one overdue), a call for party-member volunteers
//! answered by 陈师傅, one reopened once.

use chrono::{DateTime, Duration, Utc};
use microwish_core::command::{
    Actor, Command, NewRequest, NewWish, RatingBody, ReasonBody, RequestRef, ResolveBody,
    VolunteerDecision,
};
use microwish_core::{
    BeneficiaryGroup, Building, BuildingId, Category, Channel, GridId, Handler, HandlerKind,
    HouseholdId, OnBehalf, RequestCategory, RequestId, Urgency, WishId, WishKind,
};

use super::Demo;

/// 星怡花园1幢 … 40幢, ten to a grid.
pub fn buildings() -> Vec<Building> {
    (1..=40)
        .map(|number: u32| Building {
            id: BuildingId::generate(),
            name: format!("星怡花园{number}幢"),
            grid: GridId::from(format!("grid-{}", (number - 1) / 10 + 1).as_str()),
        })
        .collect()
}

/// The household whose neighbour asks for help (her house call is posted for it).
pub const NEIGHBOUR: &str = "马玉珍";

/// How a demo request is filed.
struct Filed {
    days_ago: i64,
    /// Hours after 08:00 that day, the community's time.
    hour: i64,
    building: u32,
    category: RequestCategory,
    urgency: Urgency,
    place: Option<&'static str>,
    description: &'static str,
    /// Logged by the worker from a call or the WeChat group, for this person; else filed by
    /// the resident in the app.
    logged: Option<(Channel, OnBehalf)>,
}

impl Demo<'_> {
    /// Files and moves the season's requests; how many were filed.
    pub(super) async fn requests(
        &self,
        buildings: &[Building],
        (alias, household): (&str, HouseholdId),
    ) -> anyhow::Result<usize> {
        let property = Handler {
            kind: HandlerKind::Property,
            user_id: self.property,
        };
        let hours = Duration::hours;
        let minutes = Duration::minutes;
        let mut filed = 0;

        // 陈师傅 is a party member (党员): he answers the grid's calls for help.
        if let Actor::User { id, .. } = self.volunteer {
            let marking = VolunteerDecision {
                user_id: id,
                note: "党员,已到社区报到".into(),
                party_member: Some(true),
            };
            self.at(
                self.now - Duration::days(90),
                self.worker,
                Command::ApproveVolunteer(marking),
            )
            .await?;
        }

        // The stairwell oil: dispatched to the property staff, cleaned within hours, rated 5.
        let (oil, at) = self
            .file(
                buildings,
                Filed {
                    days_ago: 62,
                    hour: 0,
                    building: 12,
                    category: RequestCategory::Cleaning,
                    urgency: Urgency::Urgent,
                    place: Some("2单元楼道"),
                    description: "2单元楼道里洒了一大片油,老人上下楼很容易滑倒",
                    logged: None,
                },
            )
            .await?;
        filed += 1;
        self.accept(oil, at + minutes(12)).await?;
        self.dispatch(oil, property, at + minutes(20)).await?;
        self.start(oil, at + minutes(45)).await?;
        self.resolve(
            oil,
            at + hours(3),
            "已用除油剂清洗两遍,铺了防滑垫",
            "12幢楼道油污已清理,地面做了防滑处理",
        )
        .await?;
        self.confirm(
            oil,
            self.resident,
            at + hours(5),
            5,
            "物业来得很快,地面干干净净",
        )
        .await?;

        // The garage fleas, from the grid's WeChat group: the worker rates it on the callback.
        let fleas_from = OnBehalf {
            name: Some("27幢李先生".into()),
            phone: Some("13962800177".into()),
        };
        let (fleas, at) = self
            .file(
                buildings,
                Filed {
                    days_ago: 45,
                    hour: 2,
                    building: 27,
                    category: RequestCategory::Cleaning,
                    urgency: Urgency::Normal,
                    place: Some("地下车库"),
                    description: "地下车库有很多跳蚤,停车时腿上被咬了好几个包",
                    logged: Some((Channel::WechatGroup, fleas_from)),
                },
            )
            .await?;
        filed += 1;
        self.accept(fleas, at + hours(1)).await?;
        self.dispatch(fleas, property, at + hours(2)).await?;
        self.start(fleas, at + hours(26)).await?;
        self.resolve(
            fleas,
            at + hours(50),
            "车库全面消杀,一周后复查",
            "27幢地下车库已完成消杀",
        )
        .await?;
        self.confirm(
            fleas,
            self.worker,
            at + hours(60),
            4,
            "回访:跳蚤少多了,希望定期消杀",
        )
        .await?;

        // Reopened once: the drain blocked again the next day.
        let (drain, at) = self
            .file(
                buildings,
                Filed {
                    days_ago: 30,
                    hour: 1,
                    building: 14,
                    category: RequestCategory::Repair,
                    urgency: Urgency::Normal,
                    place: Some("1单元一楼"),
                    description: "一楼的下水道堵了,污水往上冒",
                    logged: None,
                },
            )
            .await?;
        filed += 1;
        self.accept(drain, at + minutes(20)).await?;
        self.dispatch(drain, property, at + minutes(30)).await?;
        self.start(drain, at + hours(2)).await?;
        self.resolve(drain, at + hours(5), "疏通了一楼的支管", "14幢下水道已疏通")
            .await?;
        let reopen = ReasonBody {
            reason: "第二天又堵了,还是往上冒水".into(),
        };
        self.at(
            at + hours(24),
            self.resident,
            Command::ReopenRequest(reopen.for_request(drain)),
        )
        .await?;
        self.dispatch(drain, property, at + hours(25)).await?;
        self.start(drain, at + hours(26)).await?;
        self.resolve(
            drain,
            at + hours(30),
            "主管道有杂物,已彻底疏通",
            "14幢下水主管已疏通并清理",
        )
        .await?;
        self.confirm(drain, self.resident, at + hours(33), 3, "第二次才修好")
            .await?;

        // A suggestion that is not the community's to handle.
        let (bikes, at) = self
            .file(
                buildings,
                Filed {
                    days_ago: 20,
                    hour: 3,
                    building: 1,
                    category: RequestCategory::Suggestion,
                    urgency: Urgency::Normal,
                    place: Some("小区南门"),
                    description: "建议在小区南门外增加共享单车停放点,现在车都堆在路边",
                    logged: None,
                },
            )
            .await?;
        filed += 1;
        let decline = ReasonBody {
            reason: "不属于社区办理范围,请拨打12345市民热线反映".into(),
        };
        self.at(
            at + hours(20),
            self.worker,
            Command::DeclineRequest(decline.for_request(bikes)),
        )
        .await?;

        // A call for party-member volunteers (支部吹哨), answered by 陈师傅 (党员报到).
        let (pots, at) = self
            .file(
                buildings,
                Filed {
                    days_ago: 15,
                    hour: 1,
                    building: 25,
                    category: RequestCategory::Help,
                    urgency: Urgency::Normal,
                    place: None,
                    description: "楼下独居的孙爷爷想把阳台上的几盆大花搬下楼,他自己搬不动",
                    logged: None,
                },
            )
            .await?;
        filed += 1;
        self.accept(pots, at + minutes(30)).await?;
        self.step(pots, at + minutes(40), self.worker, Command::CallVolunteers)
            .await?;
        self.step(pots, at + hours(1), self.volunteer, Command::TakeCall)
            .await?;
        self.step(pots, at + hours(24), self.volunteer, Command::StartRequest)
            .await?;
        let done = ResolveBody {
            note: "花盆已搬到楼下花坛边".into(),
            public_summary: "党员志愿者帮25幢老人搬运阳台花盆".into(),
        };
        self.at(
            at + hours(26),
            self.volunteer,
            Command::ResolveRequest(done.for_request(pots)),
        )
        .await?;
        self.confirm(pots, self.resident, at + hours(30), 5, "陈师傅太热心了")
            .await?;

        // Urgent, accepted two hours late; resolved, never answered: it closed by itself.
        let (boxes, at) = self
            .file(
                buildings,
                Filed {
                    days_ago: 12,
                    hour: 13,
                    building: 5,
                    category: RequestCategory::Safety,
                    urgency: Urgency::Urgent,
                    place: Some("一楼楼道"),
                    description: "一楼楼道堆满了纸箱,把消防通道堵住了",
                    logged: None,
                },
            )
            .await?;
        filed += 1;
        self.accept(boxes, at + hours(2)).await?;
        self.dispatch(boxes, property, at + hours(2) + minutes(10))
            .await?;
        self.start(boxes, at + hours(12)).await?;
        self.resolve(
            boxes,
            at + hours(14),
            "纸箱已清走,已提醒住户",
            "5幢楼道杂物已清理,消防通道已畅通",
        )
        .await?;
        self.step(
            boxes,
            at + hours(14) + Duration::days(7),
            Actor::System,
            Command::CloseRequest,
        )
        .await?;

        // A neighbour asks for help for an elderly woman living alone: her house call.
        let (bulb, at) = self
            .file(
                buildings,
                Filed {
                    days_ago: 8,
                    hour: 2,
                    building: 31,
                    category: RequestCategory::Help,
                    urgency: Urgency::Normal,
                    place: None,
                    description: "隔壁独居的马奶奶卫生间灯坏了好几天,她够不着也不会换",
                    logged: None,
                },
            )
            .await?;
        filed += 1;
        self.accept(bulb, at + hours(1)).await?;
        let house_call = NewWish {
            id: WishId::generate(),
            household_id: household,
            kind: WishKind::Service,
            title: "更换卫生间灯泡".into(),
            description: "卫生间顶灯不亮,需要上门更换灯泡".into(),
            category: Category::Repair,
            quantity: 1,
            unit: "次".into(),
            alias: alias.into(),
            group: Some(BeneficiaryGroup::ElderlyAlone),
            station: None,
            needed_by: Some(
                microwish_core::clock::community_today(self.now) + chrono::Days::new(7),
            ),
            campaign_id: None,
            publish: true,
        };
        let wish_id = house_call.id;
        self.at(at + hours(2), self.worker, Command::CreateWish(house_call))
            .await?;
        let convert = microwish_core::command::ConvertBody { wish_id };
        self.at(
            at + hours(2),
            self.worker,
            Command::ConvertRequest(convert.for_request(bulb)),
        )
        .await?;

        // A broken corridor light, phoned in: the property staff started, and it is overdue.
        let caller = OnBehalf {
            name: Some("32幢赵大爷".into()),
            phone: Some("13962800188".into()),
        };
        let (light, at) = self
            .file(
                buildings,
                Filed {
                    days_ago: 5,
                    hour: 1,
                    building: 32,
                    category: RequestCategory::Repair,
                    urgency: Urgency::Normal,
                    place: Some("3单元6楼楼道"),
                    description: "6楼楼道的灯坏了一个星期,晚上上楼看不见台阶",
                    logged: Some((Channel::Phone, caller)),
                },
            )
            .await?;
        filed += 1;
        self.accept(light, at + minutes(30)).await?;
        self.dispatch(light, property, at + hours(1)).await?;
        self.start(light, at + hours(24)).await?;

        // Dispatched yesterday, in time.
        let (lift, at) = self
            .file(
                buildings,
                Filed {
                    days_ago: 1,
                    hour: 2,
                    building: 38,
                    category: RequestCategory::Repair,
                    urgency: Urgency::Normal,
                    place: Some("2单元电梯"),
                    description: "电梯里6楼的按钮按了没反应",
                    logged: None,
                },
            )
            .await?;
        filed += 1;
        self.accept(lift, at + minutes(40)).await?;
        self.dispatch(lift, property, at + hours(1)).await?;

        // Not accepted yet: one past its four hours, one just in.
        for (ago, building, category, place, description) in [
            (
                hours(6),
                3,
                RequestCategory::Repair,
                "3幢门口",
                "门口的路灯不亮了,晚上很黑",
            ),
            (
                minutes(30),
                16,
                RequestCategory::Cleaning,
                "16幢垃圾房",
                "垃圾桶满了没人清,气味很大",
            ),
        ] {
            let new = self.new_request(
                buildings,
                building,
                category,
                Urgency::Normal,
                place,
                description,
                None,
            )?;
            self.at(self.now - ago, self.resident, Command::FileRequest(new))
                .await?;
            filed += 1;
        }
        Ok(filed)
    }

    /// Files a request as of its day; its id and when it was filed.
    async fn file(
        &self,
        buildings: &[Building],
        filed: Filed,
    ) -> anyhow::Result<(RequestId, DateTime<Utc>)> {
        let day = microwish_core::clock::community_today(self.now - Duration::days(filed.days_ago));
        let at = microwish_core::clock::from_china(
            day,
            chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
        ) + Duration::hours(filed.hour);
        let by = if filed.logged.is_some() {
            self.worker
        } else {
            self.resident
        };
        let new = self.new_request(
            buildings,
            filed.building,
            filed.category,
            filed.urgency,
            filed.place.unwrap_or_default(),
            filed.description,
            filed.logged,
        )?;
        let id = new.id;
        self.at(at, by, Command::FileRequest(new)).await?;
        Ok((id, at))
    }

    #[allow(clippy::too_many_arguments)]
    fn new_request(
        &self,
        buildings: &[Building],
        building: u32,
        category: RequestCategory,
        urgency: Urgency,
        place: &str,
        description: &str,
        logged: Option<(Channel, OnBehalf)>,
    ) -> anyhow::Result<NewRequest> {
        let name = format!("星怡花园{building}幢");
        let building = buildings
            .iter()
            .find(|each| each.name == name)
            .ok_or_else(|| anyhow::anyhow!("no demo building {name}"))?;
        let (channel, on_behalf) = match logged {
            Some((channel, person)) => (Some(channel), Some(person)),
            None => (None, None),
        };
        Ok(NewRequest {
            id: RequestId::generate(),
            category,
            description: description.into(),
            building_id: building.id,
            unit: None,
            place: Some(place.to_owned()).filter(|place| !place.is_empty()),
            urgency,
            contact_ok: true,
            channel,
            on_behalf,
        })
    }

    async fn step(
        &self,
        request_id: RequestId,
        when: DateTime<Utc>,
        actor: Actor,
        command: fn(RequestRef) -> Command,
    ) -> anyhow::Result<()> {
        self.at(when, actor, command(RequestRef { request_id }))
            .await
    }

    async fn accept(&self, request: RequestId, when: DateTime<Utc>) -> anyhow::Result<()> {
        self.step(request, when, self.worker, Command::AcceptRequest)
            .await
    }

    async fn dispatch(
        &self,
        request: RequestId,
        handler: Handler,
        when: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let dispatch = microwish_core::command::DispatchBody { handler };
        self.at(
            when,
            self.worker,
            Command::DispatchRequest(dispatch.for_request(request)),
        )
        .await
    }

    /// The property staff starts on it.
    async fn start(&self, request: RequestId, when: DateTime<Utc>) -> anyhow::Result<()> {
        self.step(request, when, self.property_actor(), Command::StartRequest)
            .await
    }

    /// The property staff resolves it.
    async fn resolve(
        &self,
        request: RequestId,
        when: DateTime<Utc>,
        note: &str,
        public_summary: &str,
    ) -> anyhow::Result<()> {
        let done = ResolveBody {
            note: note.into(),
            public_summary: public_summary.into(),
        };
        self.at(
            when,
            self.property_actor(),
            Command::ResolveRequest(done.for_request(request)),
        )
        .await
    }

    async fn confirm(
        &self,
        request: RequestId,
        requester: Actor,
        when: DateTime<Utc>,
        rating: i64,
        note: &str,
    ) -> anyhow::Result<()> {
        let rated = RatingBody {
            rating,
            note: Some(note.into()),
        };
        self.at(
            when,
            requester,
            Command::ConfirmRequest(rated.for_request(request)),
        )
        .await
    }

    fn property_actor(&self) -> Actor {
        Actor::User {
            id: self.property,
            role: microwish_core::Role::Property,
        }
    }
}
