//! The privacy notice (隐私说明, `/privacy`) and the sign-up box that links to it. What it
//! says is what the server does: keep it in step with `DELETE /api/me`,
//! `DELETE /api/households/{id}`, `microwish-server prune` and the visibility rules.

pub struct PrivacyTexts {
    pub title: &'static str,
    pub intro: &'static str,
    /// Each part of the notice: a heading and its paragraphs.
    pub sections: &'static [(&'static str, &'static [&'static str])],
    /// The sign-up box's words, and the link beside it to the notice.
    pub agree: &'static str,
    pub agree_link: &'static str,
    /// Said when the box was left unticked.
    pub agree_required: &'static str,
}

pub const ZH: PrivacyTexts = PrivacyTexts {
    title: "隐私说明",
    intro: "微心愿由社区运营。我们只保存让心愿对接、上门服务和居民诉求办得成所需要的信息,并按《个人信息保护法》处理。",
    sections: &[
        (
            "我们保存什么",
            &[
                "你的账号:你填写的称呼、手机号、密码(只保存不可还原的加密摘要)、身份(居民、爱心人士、志愿者、爱心商户)、所在社区,以及你同意本说明的时间。",
                "你做的事:认领和送达记录、上门服务的预约时间、你提交的诉求和照片(照片在服务器上重新编码,不含拍摄位置等信息)、给你的通知。",
                "受助家庭的资料(由社区工作人员在住户同意后登记):姓名、地址、电话、网格、帮扶类别、备注和同意公开的日期;有未满 14 周岁儿童的,还有监护人同意的日期。",
            ],
        ),
        (
            "为什么保存",
            &[
                "为了把心愿和帮助的人对上、在网格驿站交接物品、让志愿者找到上门服务的住户、让社区跟进居民诉求;限制同一手机号和网络的尝试次数,是为了防止冒用和滥用。",
            ],
        ),
        (
            "谁能看到",
            &[
                "所有人只能看到心愿的公开内容:标题、描述、化名、类别和网格,从不包含住户的姓名、地址和电话;有儿童的家庭不公开任何可识别的信息。",
                "本社区的工作人员能看到本社区的住户资料和志愿者信息;其他社区看不到。",
                "志愿者只在持有上门服务的认领期间看到该住户的地址和电话(称呼用化名),认领结束即不可见。",
                "工作人员每次查看住户资料、每次向志愿者提供联系方式,都会记入操作记录(谁、哪一户、什么时间)。",
            ],
        ),
        (
            "保存多久",
            &[
                "账号保存到你注销为止。注销时需再次输入密码:称呼、手机号和密码会被清除(这个号码可以重新注册),所有登录立即失效,推送订阅被删除;你的认领记录保留用于社区统计,但不再显示任何姓名。",
                "登录状态在 14 天不使用或 30 天后失效。",
                "受助家庭的资料保存到社区工作人员删除为止。删除后姓名、地址、电话和备注被清除,未完成的心愿撤下,相关认领结束并通知认领人;已完成的心愿保留,但不再关联任何个人资料;删除本身记入操作记录。",
                "操作记录默认保存 365 天,之后删除。",
            ],
        ),
        (
            "你的权利",
            &[
                "你可以随时注销自己的账号。受助家庭可以请社区工作人员更正或删除自己的资料,或撤回公开同意(心愿会随即下架)。",
            ],
        ),
    ],
    agree: "我已阅读并同意隐私说明",
    agree_link: "阅读隐私说明",
    agree_required: "请先阅读并勾选同意隐私说明。",
};

pub const EN: PrivacyTexts = PrivacyTexts {
    title: "Privacy notice",
    intro: "Microwish is run by the community. We keep only what is needed to match wishes with helpers, arrange house calls and follow up residents' requests, as China's Personal Information Protection Law (PIPL) requires.",
    sections: &[
        (
            "What we keep",
            &[
                "Your account: the name you give, your phone number, your password (only as a one-way hash), your role (resident, donor, volunteer, shopkeeper), your community, and when you accepted this notice.",
                "What you do: your claims and deliveries, the times of house calls you book, the requests and photos you send (photos are re-encoded on the server, without location or other camera data), and your notices.",
                "Households helped (registered by community workers once they consent): name, address, phone, grid, groups, notes and the date of consent; where a child under 14 lives, also the guardian's consent date.",
            ],
        ),
        (
            "Why",
            &[
                "To match wishes with the people who help, hand goods over at the grid station, let a volunteer find the home for a house call, and let the community follow up requests. Attempts per phone and network are limited to stop misuse.",
            ],
        ),
        (
            "Who sees it",
            &[
                "Everyone sees only a wish's public fields: title, description, alias, category and grid — never a household's name, address or phone; nothing identifying is public for a child.",
                "Workers of your community see its households and volunteers; other communities see nothing of them.",
                "A volunteer sees a household's address and phone (and its alias, never the real name) only while holding a house call for it.",
                "Every worker's read of a household's details and every contact given to a volunteer is logged (who, which household, when).",
            ],
        ),
        (
            "How long",
            &[
                "Your account is kept until you delete it. Deleting asks for your password again: your name, phone and password are erased (the number may sign up again), every session ends and push subscriptions are removed; your claims stay for the community's counts, without any name.",
                "A sign-in ends after 14 days unused, or after 30 days.",
                "A household's details are kept until a worker deletes them: name, address, phone and notes are then erased, its open wishes withdrawn and their claims ended (their holders are told); fulfilled wishes stay, linked to no personal details; the deletion itself is logged.",
                "The activity log is kept 365 days by default, then deleted.",
            ],
        ),
        (
            "Your rights",
            &[
                "You may delete your account at any time. A household may ask the community workers to correct or delete its details, or withdraw its consent (its wishes come down at once).",
            ],
        ),
    ],
    agree: "I have read and agree to the privacy notice",
    agree_link: "Read the privacy notice",
    agree_required: "Please read and tick the privacy notice first.",
};
