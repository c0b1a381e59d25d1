//! The command line's own messages and errors (clap's help stays English).

pub fn demo_takes_no_command() -> String {
    tr!(
        "--demo opens the app on a temporary demo database and takes no subcommand; use `liaison --db DIR demo` to seed a database",
        "--demo 在临时的演示数据库上打开应用，不带子命令；要向数据库填入演示数据请用 `liaison --db DIR demo`"
    )
}
pub fn no_database(path: &str) -> String {
    tr!(
        "no database at {path} (the app, `demo`, an import or `restore` creates one)",
        "{path} 没有数据库（应用、`demo`、导入或 `restore` 会创建一个）"
    )
}
pub fn db_empty() -> String {
    tr!(
        "--db: the directory must not be empty",
        "--db：目录不能为空"
    )
}
pub fn no_home() -> String {
    tr!(
        "no home directory found: pass --db DIR or set LIAISON_DB",
        "找不到主目录：请给出 --db DIR 或设置 LIAISON_DB"
    )
}
pub fn settings_user(user: &str) -> String {
    tr!("user: {user}", "用户：{user}")
}
pub fn settings_sla(days: [u16; 4]) -> String {
    let [low, normal, high, urgent] = days;
    tr!(
        "due in days by priority: low {low} · normal {normal} · high {high} · urgent {urgent}",
        "各优先级的办理期限（天）：低 {low} · 中 {normal} · 高 {high} · 急 {urgent}"
    )
}
pub fn settings_week_start(day: &str) -> String {
    let zh_day = match day {
        "monday" => "周一",
        "sunday" => "周日",
        other => other,
    };
    tr!("weeks start on {day}", "每周从{zh_day}开始")
}
pub fn settings_lang(code: &str, from_env: bool) -> String {
    if from_env {
        tr!(
            "language: {code} (LIAISON_LANG)",
            "语言：{code}（LIAISON_LANG）"
        )
    } else {
        tr!("language: {code}", "语言：{code}")
    }
}
pub fn settings_theme(name: &str) -> String {
    tr!("theme: {name}", "配色：{name}")
}
pub fn settings_backups_off() -> String {
    tr!("automatic backups: off", "自动备份：关闭")
}
pub fn settings_backups(kept: u16, dir: &str) -> String {
    tr!(
        "automatic backups: the newest {kept} kept in {dir}",
        "自动备份：在 {dir} 保留最新的 {kept} 份"
    )
}
pub fn edit_nothing_to_change() -> String {
    tr!(
        "issues edit: nothing to change; give --title, --detail, --category, --priority, --due or --owner",
        "issues edit：没有要改的；请给出 --title、--detail、--category、--priority、--due 或 --owner"
    )
}
pub fn not_a_status(text: &str) -> String {
    tr!(
        "STATUS: {text} is not a status (assigned, in-progress, answered; 已交办, 办理中, 已答复)",
        "STATUS：{text} 不是状态（已交办、办理中、已答复；assigned、in-progress、answered）"
    )
}
pub fn closing_needs_text() -> String {
    tr!(
        "STATUS: closing needs what the firm was told: `liaison issues close N TEXT`",
        "STATUS：办结需要写明告诉企业的答复：`liaison issues close N TEXT`"
    )
}
pub fn new_when_taken_back() -> String {
    tr!(
        "STATUS: an item is new again when taken back: `liaison issues assign N none`",
        "STATUS：事项收回后即为新建：`liaison issues assign N none`"
    )
}
pub fn not_a_way_of_closing(text: &str) -> String {
    tr!(
        "--how: {text} is not a way of closing (answered, on-the-spot, withdrawn)",
        "--how：{text} 不是办结方式（answered 已答复、on-the-spot 现场解决、withdrawn 撤回）"
    )
}
pub fn no_tag_given() -> String {
    tr!("TAG: no tag given", "TAG：没有给出标签")
}
pub fn assigned_needs_department(number: u32) -> String {
    tr!(
        "status assigned needs a department: `liaison issues assign {number} DEPT` first",
        "已交办需要部门：请先 `liaison issues assign {number} DEPT`"
    )
}
pub fn nothing_was_changed(number: u32, why: &str) -> String {
    tr!(
        "#{number}: {why}; nothing was changed",
        "#{number}：{why}；没有任何改动"
    )
}
pub fn not_an_item_range(part: &str) -> String {
    tr!(
        "N: {part} is not an item number or a range (7, 1,4,9-12)",
        "N：{part} 不是事项编号或范围（7、1,4,9-12）"
    )
}
pub fn no_item_code(text: &str) -> String {
    tr!("N: there is no item {text}", "N：没有事项 {text}")
}
pub fn no_item(n: u32) -> String {
    tr!("N: there is no item #{n}", "N：没有事项 #{n}")
}
pub fn no_department_named(flag: &str, name: &str, known: &str) -> String {
    tr!(
        "{flag}: no department named {name}; known: {known}",
        "{flag}：没有名为 {name} 的部门；已有：{known}"
    )
}
pub fn none_yet() -> &'static str {
    super::Msg::new("none yet", "还没有").get()
}
pub fn no_category_named(flag: &str, code: &str, known: &str) -> String {
    tr!(
        "{flag}: no category {code}; known: {known}",
        "{flag}：没有类别 {code}；已有：{known}"
    )
}
pub fn firm_empty() -> String {
    tr!("--firm: must not be empty", "--firm：不能为空")
}
pub fn no_firm_named(name: &str) -> String {
    tr!(
        "--firm: no firm named {name}",
        "--firm：没有名为 {name} 的企业"
    )
}
pub fn firm_ambiguous(name: &str, count: usize, names: &str) -> String {
    tr!(
        "--firm: {name} matches {count} firms: {names}; give more of the name",
        "--firm：{name} 匹配 {count} 家企业：{names}；请把名称写全一些"
    )
}
pub fn no_visit(id: &str) -> String {
    tr!("ID: there is no visit {id}", "ID：没有走访 {id}")
}
pub fn visit_already_done(id: &str) -> String {
    tr!("{id}: already done", "{id}：已走访")
}
pub fn visit_done(id: &str) -> String {
    tr!("{id}: done", "{id}：已标记已走访")
}
pub fn not_a_visit_id(text: &str) -> String {
    tr!(
        "ID: {text} is not a visit id (as `liaison visits list` shows it)",
        "ID：{text} 不是走访编号（见 `liaison visits list`）"
    )
}
pub fn visit_id_ambiguous(text: &str, count: usize) -> String {
    tr!(
        "ID: {text} starts {count} visit ids; give more of it",
        "ID：有 {count} 个走访编号以 {text} 开头；请写全一些"
    )
}

texts! {
    SHOW_FIRM = "firm", "企业";
    SHOW_STATUS = "status", "状态";
    SHOW_PRIORITY = "priority", "优先级";
    SHOW_DEPARTMENT = "department", "部门";
    SHOW_CATEGORY = "category", "类别";
    SHOW_OWNER = "owner", "经办人";
    SHOW_TAGS = "tags", "标签";
    SHOW_DUE = "due", "期限";
    SHOW_RAISED = "raised", "提出";
    SHOW_UPDATED = "updated", "更新";
    SHOW_CLOSED = "closed", "办结";
    SHOW_HISTORY = "history", "记录";
}

/// `firm:       value`: the label and its colon padded to one display width.
pub fn show_row(label: super::Msg, value: &str) -> String {
    let label = tr!("{label}:", "{label}：");
    let pad = 12usize.saturating_sub(crate::text::width(&label));
    format!("{label}{}{value}", " ".repeat(pad))
}

pub fn exported_firms(firms: usize, rows: usize, path: &str) -> String {
    tr!(
        "exported {firms} firms ({rows} rows) to {path}",
        "已把 {firms} 家企业（{rows} 行）导出到 {path}"
    )
}
pub fn damaged_firms_left_out(count: usize) -> String {
    tr!(
        "{count} damaged firm(s) left out of the export; run `liaison check`",
        "{count} 家损坏的企业未导出；请运行 `liaison check`"
    )
}
pub fn from_after_to(from: &str, to: &str) -> String {
    tr!(
        "--from {from} is after --to {to}; no day is in that range",
        "--from {from} 晚于 --to {to}；这个范围里没有一天"
    )
}
pub fn exported_visits(visits: usize, cancelled: usize, path: &str) -> String {
    tr!(
        "exported {visits} visits ({cancelled} cancelled) to {path}",
        "已把 {visits} 次走访（{cancelled} 次已取消）导出到 {path}"
    )
}
pub fn damaged_visits_left_out(count: usize) -> String {
    tr!(
        "{count} damaged record(s): visits left out of the export or firms shown without their name; run `liaison check`",
        "{count} 条损坏的记录：走访未导出，或企业没有名称；请运行 `liaison check`"
    )
}
pub fn exported_items(items: usize, path: &str) -> String {
    tr!(
        "exported {items} items to {path}",
        "已把 {items} 个事项导出到 {path}"
    )
}
pub fn damaged_items_left_out(count: usize) -> String {
    tr!(
        "{count} damaged record(s): items left out of the export, or written without a name or part of their history; run `liaison check`",
        "{count} 条损坏的记录：事项未导出，或导出时缺名称或部分记录；请运行 `liaison check`"
    )
}
pub fn writing_output(e: &str) -> String {
    tr!("writing output: {e}", "写输出时：{e}")
}
pub fn skipped_damaged(tree: &str, key: &str, error: &str) -> String {
    tr!(
        "liaison: skipped damaged record in {tree} (key {key}): {error}",
        "liaison：跳过了 {tree} 中损坏的记录（键 {key}）：{error}"
    )
}

pub fn bad_rows_in(count: u64, path: &str, consequence: &str) -> String {
    tr!(
        "{count} bad row(s) in {path}; {consequence}",
        "{path} 中有 {count} 行有误；{consequence}"
    )
}
pub fn dry_run_nothing_written() -> String {
    tr!("dry run, nothing was written", "试运行，没有写入任何内容")
}
pub fn strict_nothing_written() -> String {
    tr!(
        "nothing was written (--strict)",
        "没有写入任何内容（--strict）"
    )
}
pub fn firms_skipped_others_imported() -> String {
    tr!(
        "the firms they belong to were skipped, the others imported",
        "这些行所属的企业已跳过，其余已导入"
    )
}
pub fn rows_skipped_others_imported() -> String {
    tr!(
        "those rows were skipped, the others imported",
        "这些行已跳过，其余已导入"
    )
}
pub fn no_such_file() -> String {
    tr!("no such file", "文件不存在")
}
pub fn permission_denied() -> String {
    tr!("permission denied", "没有权限")
}
pub fn is_a_directory() -> String {
    tr!("is a directory", "是一个目录")
}
pub fn cannot_read_file(path: &str, reason: &str) -> String {
    tr!(
        "{path}: cannot read: {reason}",
        "{path}：无法读取：{reason}"
    )
}
pub fn more_problems(path: &str, count: u64) -> String {
    tr!(
        "{path}: … and {count} more problem(s)",
        "{path}：… 另有 {count} 个问题"
    )
}

// ---- departments, categories, firm merges, demo ---------------------------------------

pub fn list_is_retired(arg: &str, name: &str) -> String {
    tr!(
        "{arg}: {name} is retired; `retire {name} --undo` offers it again",
        "{arg}：{name} 已停用；`retire {name} --undo` 可重新启用"
    )
}
pub fn added_department(name: &str) -> String {
    tr!("added department {name}", "已添加部门 {name}")
}
pub fn renamed_department(old: &str, new: &str) -> String {
    tr!(
        "renamed department {old} to {new}",
        "已把部门 {old} 改名为 {new}"
    )
}
pub fn added_category(code: &str, name: &str) -> String {
    tr!("added category {code} {name}", "已添加类别 {code} {name}")
}
pub fn renamed_category(old: &str, new: &str) -> String {
    tr!(
        "renamed category {old} to {new}",
        "已把类别 {old} 改名为 {new}"
    )
}
pub fn department_name_taken(arg: &str, name: &str) -> String {
    tr!(
        "{arg}: there is already a department named {name}",
        "{arg}：已有名为 {name} 的部门"
    )
}
pub fn category_code_taken(code: &str) -> String {
    tr!(
        "CODE: there is already a category {code}",
        "CODE：已有类别 {code}"
    )
}
pub fn category_name_taken(name: &str) -> String {
    tr!(
        "NAME: there is already a category named {name}",
        "NAME：已有名为 {name} 的类别"
    )
}
pub fn merge_into_itself(into: &str) -> String {
    tr!(
        "INTO: {into} is FROM itself; nothing to merge",
        "INTO：{into} 就是 FROM；无需合并"
    )
}
pub fn merge_into_retired(into: &str) -> String {
    tr!(
        "INTO: {into} is retired; bring it back first with `retire --undo`",
        "INTO：{into} 已停用；请先用 `retire --undo` 重新启用"
    )
}
pub fn item_moved_to(number: u32, into: &str) -> String {
    tr!("#{number}: moved to {into}", "#{number}：已移到 {into}")
}
pub fn lists_merged(from: &str, into: &str, items: usize) -> String {
    tr!(
        "merged {from} into {into}: {items} item(s) moved; {from} retired",
        "已把 {from} 并入 {into}：移动了 {items} 个事项；{from} 已停用"
    )
}
pub fn list_offered_again(name: &str) -> String {
    tr!("{name} is offered again", "{name} 已重新启用")
}
pub fn list_retired_now(name: &str) -> String {
    tr!(
        "{name} retired: no longer offered for new items; its items keep it",
        "{name} 已停用：新事项不再可选；其事项保留"
    )
}
pub fn same_firm_twice(name: &str) -> String {
    tr!(
        "FROM and INTO name the same firm ({name}); nothing to merge",
        "FROM 和 INTO 是同一家企业（{name}）；无需合并"
    )
}
pub fn firms_merged_cli(
    from: &str,
    into: &str,
    visits: usize,
    items: usize,
    contacts: usize,
) -> String {
    tr!(
        "merged {from} into {into}: {visits} visit(s) and {items} item(s) moved (each item's history says so), {contacts} contact(s) added; {from} is archived",
        "已把 {from} 并入 {into}：移动了 {visits} 次走访和 {items} 个事项（各事项的记录中有说明），添加了 {contacts} 位联系人；{from} 已归档"
    )
}
pub fn demo_not_empty(path: &str) -> String {
    tr!(
        "the database at {path} is not empty; add --force to replace its contents with the demo",
        "{path} 的数据库不是空的；加 --force 可用演示数据替换其内容"
    )
}

// ---- backups ---------------------------------------------------------------------------

pub fn backup_counts(counts: [u64; 7]) -> String {
    let [firms, visits, items, events, departments, categories, views] = counts;
    tr!(
        "{firms} firms, {visits} visits, {items} items with {events} history events, {departments} departments, {categories} categories, {views} views",
        "{firms} 家企业、{visits} 次走访、{items} 个事项（{events} 条记录）、{departments} 个部门、{categories} 个类别、{views} 个视图"
    )
}
pub fn backed_up(what: &str, path: &str, seconds: f64) -> String {
    tr!(
        "backed up {what} to {path} in {seconds:.1} s",
        "已用 {seconds:.1} 秒把 {what} 备份到 {path}"
    )
}
pub fn restored_from(what: &str, path: &str, database: &str, seconds: f64) -> String {
    tr!(
        "restored {what} from {path} into {database} in {seconds:.1} s",
        "已用 {seconds:.1} 秒从 {path} 把 {what} 恢复到 {database}"
    )
}
pub fn backup_damaged(error: &str) -> String {
    tr!(
        "{error}; nothing was written (a backup holds every record): run `liaison check`",
        "{error}；没有写入任何内容（备份须包含全部记录）：请运行 `liaison check`"
    )
}
pub fn automatic_backup_failed(message: &str) -> String {
    tr!(
        "liaison: the automatic backup failed ({message}); your data is safe in the database",
        "liaison：自动备份失败（{message}）；数据仍完好地保存在数据库中"
    )
}
