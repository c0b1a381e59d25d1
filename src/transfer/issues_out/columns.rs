//! The columns of the items' CSV export: their order, their headers in either language and
//! the names the import also accepts.

use super::*;

/// The columns of an items file, as the export writes them and the import reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::transfer) enum Column {
    Number,
    Firm,
    Title,
    Detail,
    Category,
    Department,
    Owner,
    Priority,
    Status,
    Due,
    Created,
    Updated,
    VisitDate,
    ResolutionKind,
    Resolution,
    LastResponse,
    Tags,
    /// The verdict of the last follow-up call (回访), if any.
    Callback,
}

pub(in crate::transfer) const COLUMN_COUNT: usize = 18;

impl Column {
    pub(in crate::transfer) const ALL: [Column; COLUMN_COUNT] = [
        Column::Number,
        Column::Firm,
        Column::Title,
        Column::Detail,
        Column::Category,
        Column::Department,
        Column::Owner,
        Column::Priority,
        Column::Status,
        Column::Due,
        Column::Created,
        Column::Updated,
        Column::VisitDate,
        Column::ResolutionKind,
        Column::Resolution,
        Column::LastResponse,
        Column::Tags,
        Column::Callback,
    ];

    /// The columns the export writes, in `ALL`'s order.
    pub(super) fn exported() -> impl Iterator<Item = Column> {
        Column::ALL.into_iter()
    }
}

impl CsvColumn for Column {
    const COLUMNS: &'static [Column] = &Column::ALL;

    fn index(self) -> usize {
        self as usize
    }

    fn chinese(self) -> &'static str {
        match self {
            Column::Number => "编号",
            Column::Firm => "企业名称",
            Column::Title => "诉求",
            Column::Detail => "详情",
            Column::Category => "类别",
            Column::Department => "责任部门",
            Column::Owner => "负责人",
            Column::Priority => "优先级",
            Column::Status => "状态",
            Column::Due => "期限",
            Column::Created => "创建时间",
            Column::Updated => "更新时间",
            Column::VisitDate => "走访日期",
            Column::ResolutionKind => "办结方式",
            Column::Resolution => "办结答复",
            Column::LastResponse => "最新回复",
            Column::Tags => "标签",
            Column::Callback => "回访",
        }
    }

    fn english(self) -> &'static str {
        match self {
            Column::Number => "number",
            Column::Firm => "firm",
            Column::Title => "title",
            Column::Detail => "detail",
            Column::Category => "category",
            Column::Department => "department",
            Column::Owner => "owner",
            Column::Priority => "priority",
            Column::Status => "status",
            Column::Due => "due",
            Column::Created => "created",
            Column::Updated => "updated",
            Column::VisitDate => "visit_date",
            Column::ResolutionKind => "resolution_kind",
            Column::Resolution => "resolution",
            Column::LastResponse => "last_response",
            Column::Tags => "tags",
            Column::Callback => "callback",
        }
    }

    /// As ledgers kept by hand name the columns.
    fn other_names(self) -> &'static [&'static str] {
        match self {
            Column::Number => &["序号", "#", "no"],
            Column::Firm => &["企业", "firm_name", "company"],
            Column::Title => &["事项", "标题"],
            Column::Detail => &["描述", "诉求详情"],
            Column::Category => &["分类"],
            Column::Department => &["部门", "承办部门", "dept"],
            Column::Owner => &["承办人"],
            Column::Status => &["办理状态"],
            Column::Due => &["办结时限", "截止日期", "due_date"],
            Column::Created => &["提出时间", "登记时间"],
            Column::ResolutionKind => &["resolution kind"],
            Column::Resolution => &["答复内容", "resolution_text"],
            Column::LastResponse => &["last response"],
            Column::Callback => &["回访结果", "满意度", "verdict"],
            _ => &[],
        }
    }
}
