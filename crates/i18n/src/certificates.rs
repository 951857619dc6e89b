//! A volunteer's service certificate (志愿服务时长证明): issuing one on 我的, the printable page
//! that is also its public verification, and a worker's revocation on the volunteers page.
//! Both languages are here, as in [`super::stations`].

use chrono::{Datelike, NaiveDate};
use microwish_core::certificate::Certificate;

use super::{fill, Texts};

pub struct CertificateTexts {
    /// The link on a volunteer's 我的, and the title of their list.
    pub link: &'static str,
    pub mine_intro: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub issue: &'static str,
    pub issued: &'static str,
    pub none_issued: &'static str,
    /// The certificate's own title.
    pub title: &'static str,
    /// `{name}`, `{community}`, `{n}` visits, `{hours}`.
    pub statement: &'static str,
    pub volunteer: &'static str,
    pub community: &'static str,
    pub period: &'static str,
    /// `{from}`, `{to}`.
    pub period_range: &'static str,
    /// A date with its year (a certificate outlasts the year): `{year}`, `{date}` ("8月31日").
    pub full_date: &'static str,
    pub visits: &'static str,
    /// `{n}` house calls.
    pub visits_count: &'static str,
    pub hours: &'static str,
    pub confirmed_by: &'static str,
    pub issued_on: &'static str,
    pub number: &'static str,
    pub valid: &'static str,
    pub revoked: &'static str,
    pub valid_note: &'static str,
    /// `{date}`.
    pub revoked_on: &'static str,
    pub revoke_reason: &'static str,
    pub print: &'static str,
    pub open: &'static str,
    pub qr_alt: &'static str,
    pub scan: &'static str,
    pub not_found: &'static str,
    /// `no_confirmed_visits`.
    pub no_visits: &'static str,
    pub for_volunteers: &'static str,
    /// A worker's list on a volunteer's card: `{n}` certificates.
    pub of_volunteer: &'static str,
    pub revoke: &'static str,
    pub revoke_placeholder: &'static str,
    pub revoke_submit: &'static str,
    pub cancel: &'static str,
}

pub const ZH: CertificateTexts = CertificateTexts {
    link: "服务时长证明",
    mine_intro: "选择时间段,开具志愿服务时长证明:只计社区工作人员确认过的上门服务。证明上的数字开具时确定,可打印,二维码可供学校或单位查验。",
    from: "从",
    to: "到",
    issue: "开具证明",
    issued: "已开具的证明",
    none_issued: "还没有开具过证明。",
    title: "志愿服务时长证明",
    statement: "兹证明 {name} 在{community}参加志愿服务,经社区工作人员确认的上门服务共 {n} 次,累计 {hours}。",
    volunteer: "志愿者",
    community: "服务社区",
    period: "服务期间",
    period_range: "{from} 至 {to}",
    full_date: "{year}年{date}",
    visits: "上门服务",
    visits_count: "{n} 次",
    hours: "服务时长",
    confirmed_by: "确认人",
    issued_on: "开具日期",
    number: "证明编号",
    valid: "有效",
    revoked: "已撤销",
    valid_note: "本证明有效,以上数字为开具时的记录。",
    revoked_on: "已于 {date} 撤销,本证明不再有效。",
    revoke_reason: "撤销原因",
    print: "打印",
    open: "查看",
    qr_alt: "查验本证明的二维码",
    scan: "扫码查验",
    not_found: "找不到这份证明,请核对链接。",
    no_visits: "这段时间里没有经工作人员确认的上门服务,换个时间段试试。",
    for_volunteers: "服务时长证明只为志愿者开具。",
    of_volunteer: "服务时长证明({n})",
    revoke: "撤销",
    revoke_placeholder: "如:服务时长登记有误",
    revoke_submit: "确认撤销",
    cancel: "取消",
};

pub const EN: CertificateTexts = CertificateTexts {
    link: "Service certificates",
    mine_intro: "Choose a period for a certificate of your volunteer service: only house calls a community worker confirmed count. Its numbers are fixed when it is issued; print it, and schools or employers check it by its QR code.",
    from: "From",
    to: "To",
    issue: "Issue certificate",
    issued: "Issued certificates",
    none_issued: "No certificates issued yet.",
    title: "Volunteer service certificate",
    statement: "This certifies that {name} served as a volunteer in {community}: {n} house calls confirmed by community workers, {hours} in all.",
    volunteer: "Volunteer",
    community: "Community",
    period: "Period",
    period_range: "{from} to {to}",
    full_date: "{date}, {year}",
    visits: "House calls",
    visits_count: "{n}",
    hours: "Time served",
    confirmed_by: "Confirmed by",
    issued_on: "Issued on",
    number: "Certificate no.",
    valid: "Valid",
    revoked: "Revoked",
    valid_note: "This certificate is valid; its numbers are as recorded when it was issued.",
    revoked_on: "Revoked on {date}: this certificate is no longer valid.",
    revoke_reason: "Why revoked",
    print: "Print",
    open: "Open",
    qr_alt: "QR code to verify this certificate",
    scan: "Scan to verify",
    not_found: "No such certificate: check the link.",
    no_visits: "No house call of yours was confirmed in this period; try another.",
    for_volunteers: "Service certificates are issued to volunteers.",
    of_volunteer: "Service certificates ({n})",
    revoke: "Revoke",
    revoke_placeholder: "e.g. hours recorded wrongly",
    revoke_submit: "Revoke it",
    cancel: "Cancel",
};

impl Texts {
    /// "2026年8月31日" / "Aug 31, 2026".
    pub fn full_date(&self, date: NaiveDate) -> String {
        fill(
            self.certificates.full_date,
            &[("year", date.year().to_string()), ("date", self.date(date))],
        )
    }

    /// "2026年1月1日 至 2026年7月1日".
    pub fn certificate_period(&self, certificate: &Certificate) -> String {
        fill(
            self.certificates.period_range,
            &[
                ("from", self.full_date(certificate.period_from)),
                ("to", self.full_date(certificate.period_to)),
            ],
        )
    }

    /// "兹证明 张三 在星怡社区参加志愿服务……".
    pub fn certificate_statement(&self, certificate: &Certificate) -> String {
        fill(
            self.certificates.statement,
            &[
                ("name", certificate.volunteer_name.clone()),
                ("community", certificate.community_name.clone()),
                ("n", certificate.visits.to_string()),
                ("hours", self.duration(certificate.minutes)),
            ],
        )
    }
}
