//! Synthetic firms, visits and items at any scale, the same for the same seed and day.

use super::rng::Rng;
use crate::model::{
    Change, Contact, Firm, Id, Issue, IssueEvent, LocalTime, Priority, Resolution, ResolutionKind,
    Status, Visit, VisitStatus,
};
use chrono::{Duration, NaiveDate, TimeZone};
use std::collections::HashSet;

const PLACES: [&str; 12] = [
    "中山",
    "广东",
    "火炬",
    "粤港",
    "华南",
    "珠江",
    "南方",
    "岐江",
    "翠亨",
    "五桂",
    "濠头",
    "张家边",
];
const SYLLABLES: [&str; 40] = [
    "华", "宏", "泰", "新", "达", "科", "美", "星", "恒", "信", "源", "盛", "力", "鑫", "明", "创",
    "联", "德", "利", "安", "捷", "瑞", "丰", "博", "海", "通", "嘉", "益", "荣", "昊", "弘", "景",
    "朗", "威", "康", "和", "欣", "正", "远", "行",
];
const INDUSTRIES: [(&str, &str, &str); 16] = [
    ("电子", "电子信息", "Electronics"),
    ("光电", "光电", "Optoelectronics"),
    ("生物", "生物医药", "Biotech"),
    ("医药", "生物医药", "Pharma"),
    ("精密", "精密制造", "Precision"),
    ("机械", "装备制造", "Machinery"),
    ("智能", "智能制造", "Smart Systems"),
    ("包装", "印刷包装", "Packaging"),
    ("新材料", "新材料", "Materials"),
    ("家居", "家居用品", "Home"),
    ("电器", "家电", "Appliances"),
    ("汽车零部件", "汽车零部件", "Auto Parts"),
    ("健康科技", "健康", "Health Tech"),
    ("半导体", "半导体", "Semiconductor"),
    ("照明", "照明", "Lighting"),
    ("软件", "软件信息", "Software"),
];
const SUFFIXES: [&str; 3] = ["有限公司", "股份有限公司", "科技有限公司"];
const LATIN_CORES: [&str; 16] = [
    "Apex",
    "Nova",
    "Pearl River",
    "Orient",
    "Torch",
    "Summit",
    "Bright",
    "Evergreen",
    "Harbor",
    "Zenith",
    "Lotus",
    "Crystal",
    "Unity",
    "Vertex",
    "Golden Bay",
    "Sino",
];
const PARKS: [&str; 5] = [
    "火炬开发区",
    "中山健康基地",
    "国家健康科技产业基地",
    "电子信息产业园",
    "装备制造园",
];
const TAGS: [&str; 6] = [
    "重点企业",
    "规上企业",
    "高新技术企业",
    "上市公司",
    "专精特新",
    "外资企业",
];
const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "梁",
];
const GIVEN: [&str; 20] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "华", "建国", "晓燕",
];
const TITLES: [&str; 6] = [
    "总经理",
    "副总经理",
    "董事长",
    "行政部经理",
    "财务总监",
    "董事会秘书",
];
const LEADS: [&str; 6] = [
    "陈文锋",
    "企业服务中心 李晓",
    "经济工作联络员 张伟",
    "经科局 周敏",
    "投促局 黄杰",
    "发改局 刘洋",
];
const PURPOSES: [&str; 5] = [
    "走访调研：生产经营情况",
    "现场办公：协调企业诉求",
    "回访：事项办理进展",
    "座谈：明年发展规划",
    "企业家早餐会后续对接",
];
/// (category code, title templates).
const TITLES_BY_CATEGORY: [(&str, [&str; 3]); 8] = [
    (
        "land",
        ["增资扩产需新增用地", "厂房租赁续期", "用地指标调整"],
    ),
    (
        "finance",
        ["流动资金贷款贴息", "融资担保支持", "上市辅导协调"],
    ),
    (
        "talent",
        ["用工缺口招聘支持", "人才住房需求", "高层次人才引进"],
    ),
    (
        "approvals",
        ["规划许可审批加快", "环评审批提速", "施工许可办理"],
    ),
    (
        "policy",
        ["扶持资金兑现", "研发投入补助申报", "数字化改造补贴"],
    ),
    (
        "infrastructure",
        ["用电增容", "道路拥堵疏导", "供水管网改造"],
    ),
    (
        "market",
        ["参加境外展会补贴", "出口资质办理", "订单对接本地供应链"],
    ),
    (
        "other",
        ["员工子女入学", "园区食堂配套", "企业安全生产咨询"],
    ),
];

pub struct Scale {
    pub firms: usize,
    pub visits: usize,
    pub issues: usize,
}

/// What the generator needs from the data already written.
pub struct Context<'a> {
    pub now: LocalTime,
    pub user: &'a str,
    pub departments: &'a [Id],
    /// (code, id) of each category.
    pub categories: &'a [(String, Id)],
}

pub fn firm_name(rng: &mut Rng, taken: &mut HashSet<String>) -> (String, String, String) {
    for attempt in 0.. {
        let (core, sector, latin) = *rng.pick(&INDUSTRIES);
        let (name, short) = if rng.chance(0.15) {
            let brand = rng.pick(&LATIN_CORES);
            (
                format!("Zhongshan {brand} {latin} Co., Ltd."),
                format!("{brand} {latin}"),
            )
        } else {
            let brand = format!("{}{}", rng.pick(&SYLLABLES), rng.pick(&SYLLABLES));
            let industry: String = core.chars().take(2).collect();
            let name = format!("{}{brand}{core}{}", rng.pick(&PLACES), rng.pick(&SUFFIXES));
            (name, format!("{brand}{industry}"))
        };
        // Past a few collisions, a number keeps names unique at any scale.
        let name = if attempt < 5 {
            name
        } else {
            format!("{name}（{attempt}）")
        };
        if taken.insert(crate::model::name_key(&name)) {
            return (name, short, sector.to_string());
        }
    }
    unreachable!("the loop returns")
}

fn time_id(rng: &mut Rng, at: LocalTime) -> Id {
    Id::from_parts(at.timestamp_millis().max(0) as u64, rng.bytes10())
}

/// A moment `days` from `now`, at a working hour on the half hour.
fn working_time(rng: &mut Rng, now: LocalTime, days: i64) -> LocalTime {
    let day = now.date_naive() + Duration::days(days);
    let hour = rng.range(9, 16) as u32;
    let minute = if rng.chance(0.5) { 0 } else { 30 };
    now.offset()
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).expect("valid time"))
        .single()
        .expect("fixed offset")
}

pub fn firm(rng: &mut Rng, ctx: &Context, taken: &mut HashSet<String>) -> Firm {
    let (name, short_name, sector) = firm_name(rng, taken);
    let created = ctx.now - Duration::days(rng.range(400, 2000));
    let contacts = (0..rng.range(1, 3))
        .map(|_| Contact {
            name: format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN)),
            title: rng.pick(&TITLES).to_string(),
            phone: format!("0760-8{:03} {:04}", rng.below(1000), rng.below(10_000)),
            email: if rng.chance(0.4) {
                format!("contact{}@example.cn", rng.below(1_000_000))
            } else {
                String::new()
            },
        })
        .collect();
    let mut tags: Vec<String> = Vec::new();
    for _ in 0..rng.range(0, 3) {
        let tag = rng.pick(&TAGS).to_string();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Firm {
        id: time_id(rng, created),
        name,
        short_name,
        sector,
        park: rng.pick(&PARKS).to_string(),
        address: format!(
            "火炬开发区{}路{}号",
            rng.pick(&SYLLABLES),
            rng.range(1, 300)
        ),
        tags,
        contacts,
        notes: String::new(),
        archived: false,
        created,
        updated: created,
    }
}

/// A visit to one of `firms`, within the last three years or the next two months.
pub fn visit(rng: &mut Rng, ctx: &Context, firms: &[Id], department_names: &[String]) -> Visit {
    let days = rng.range(-3 * 365, 60);
    let start = working_time(rng, ctx.now, days);
    let past = start < ctx.now;
    let status = if !past {
        VisitStatus::Planned
    } else if rng.chance(0.08) {
        VisitStatus::Cancelled
    } else {
        VisitStatus::Done
    };
    let booked = start.min(ctx.now) - Duration::days(rng.range(1, 14));
    let attendees = (0..rng.range(1, 3))
        .map(|_| rng.pick(department_names).clone())
        .collect();
    let purpose = rng.pick(&PURPOSES).to_string();
    Visit {
        id: time_id(rng, booked),
        firm: *rng.pick(firms),
        start,
        duration_min: [45, 60, 90, 120][rng.below(4)],
        location: "企业会议室".into(),
        lead: rng.pick(&LEADS).to_string(),
        attendees,
        minutes: if status == VisitStatus::Done {
            format!("{purpose}。企业介绍了生产经营情况，提出诉求，相关部门现场记录并跟进。")
        } else {
            String::new()
        },
        purpose,
        status,
        created: booked,
        updated: booked,
    }
}

/// Days from raising to due, by priority.
pub fn sla_days(priority: Priority) -> i64 {
    match priority {
        Priority::Urgent => 3,
        Priority::High => 7,
        Priority::Normal => 15,
        Priority::Low => 30,
    }
}

/// An item raised in `visit` (firm and time of that visit) or directly for a firm, with a
/// history that walks it to a status fitting its age.
pub fn issue(
    rng: &mut Rng,
    ctx: &Context,
    origin: (Id, Option<Id>, LocalTime),
) -> (Issue, Vec<IssueEvent>) {
    let (firm, visit, raised) = origin;
    let (code, titles) = rng.pick(&TITLES_BY_CATEGORY);
    let category = ctx
        .categories
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, id)| *id);
    let priority = [
        Priority::Low,
        Priority::Normal,
        Priority::Normal,
        Priority::High,
        Priority::High,
        Priority::Urgent,
    ][rng.below(6)];
    let due: NaiveDate =
        raised.date_naive() + Duration::days(sla_days(priority) + rng.range(0, 20));
    let id = time_id(rng, raised);
    let mut issue = Issue {
        id,
        number: 0,
        firm,
        visit,
        title: format!("{}（{}）", rng.pick(titles), rng.range(1, 999)),
        detail: String::new(),
        category,
        department: None,
        owner: String::new(),
        priority,
        status: Status::New,
        due: Some(due),
        resolution: None,
        created: raised,
        updated: raised,
        tags: Vec::new(),
        closed: None,
    };
    let age_days = (ctx.now - raised).num_days().max(0);
    // Older items are more likely finished: about half of all items end up closed.
    let closed_chance = (age_days as f64 / 500.0).clamp(0.05, 0.9);
    let target = if rng.chance(closed_chance) {
        Status::Closed
    } else {
        Status::ALL[rng.below(4)]
    };
    let mut when = raised;
    let mut events = Vec::new();
    let mut next_millis = 0;
    let mut push = |rng: &mut Rng, when: &mut LocalTime, hours: (i64, i64), change: Change| {
        let hours = rng.range(hours.0, hours.1);
        *when = (*when + Duration::hours(hours)).min(ctx.now);
        // Events are stored in the order of their ids: each id's time is after the last
        // one's, also when the times are held at `now` (the last id's time is then ahead of
        // its event's: comparing with the event's time gave them all the same one, in
        // random order).
        let millis = (when.timestamp_millis().max(0) as u64).max(next_millis);
        next_millis = millis + 1;
        events.push(IssueEvent {
            id: Id::from_parts(millis, rng.bytes10()),
            issue: id,
            at: *when,
            author: ctx.user.to_string(),
            change,
        });
    };
    push(rng, &mut when, (0, 0), Change::Created);
    if target != Status::New {
        let department = *rng.pick(ctx.departments);
        issue.department = Some(department);
        push(
            rng,
            &mut when,
            (1, 48),
            Change::Department {
                from: None,
                to: Some(department),
            },
        );
        issue.status = Status::Assigned;
    }
    if target != Status::New && rng.chance(0.2) {
        let to = if priority == Priority::Urgent {
            Priority::High
        } else {
            Priority::Urgent
        };
        push(
            rng,
            &mut when,
            (1, 72),
            Change::Priority { from: priority, to },
        );
        issue.priority = to;
    }
    if target >= Status::InProgress {
        push(
            rng,
            &mut when,
            (2, 96),
            Change::Status {
                from: Status::Assigned,
                to: Status::InProgress,
                resolution: None,
            },
        );
        issue.status = Status::InProgress;
        if rng.chance(0.3) {
            let to = Some(due + Duration::days(rng.range(7, 30)));
            push(
                rng,
                &mut when,
                (2, 96),
                Change::Due {
                    from: issue.due,
                    to,
                },
            );
            issue.due = to;
        }
    }
    if target >= Status::Answered {
        push(
            rng,
            &mut when,
            (24, 240),
            Change::Response {
                text: "已与企业沟通，按政策办理。".into(),
                to_firm: true,
            },
        );
        push(
            rng,
            &mut when,
            (1, 1),
            Change::Status {
                from: Status::InProgress,
                to: Status::Answered,
                resolution: None,
            },
        );
        issue.status = Status::Answered;
    }
    if target == Status::Closed {
        let resolution = Resolution {
            kind: if rng.chance(0.15) {
                ResolutionKind::Withdrawn
            } else {
                ResolutionKind::Answered
            },
            text: "企业确认已解决。".into(),
        };
        push(
            rng,
            &mut when,
            (24, 240),
            Change::Status {
                from: Status::Answered,
                to: Status::Closed,
                resolution: Some(resolution.clone()),
            },
        );
        issue.status = Status::Closed;
        issue.resolution = Some(resolution);
        issue.closed = Some(when);
    }
    issue.updated = when;
    (issue, events)
}
