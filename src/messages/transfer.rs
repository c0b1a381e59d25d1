//! Files in and out: import, restore and export errors.

pub fn cannot_open(e: &str) -> String {
    tr!("cannot open: {e}", "无法打开：{e}")
}
pub fn cannot_read_reason(e: &str) -> String {
    tr!("cannot read: {e}", "无法读取：{e}")
}
pub fn cannot_create(e: &str) -> String {
    tr!("cannot create: {e}", "无法创建：{e}")
}
pub fn cannot_write(e: &str) -> String {
    tr!("cannot write: {e}", "无法写入：{e}")
}
pub fn at_line(line: u64, message: &str) -> String {
    tr!("line {line}: {message}", "第 {line} 行：{message}")
}
pub fn row_error(line: u64, field: &str, message: &str) -> String {
    tr!(
        "line {line}: {field}: {message}",
        "第 {line} 行：{field}：{message}"
    )
}
pub fn restore_emptied(line: u64, error: &str) -> String {
    tr!(
        "writing the records up to line {line}: {error}; the database was emptied again",
        "写入到第 {line} 行的记录时：{error}；数据库已重新清空"
    )
}
pub fn inside_database(database: &str) -> String {
    tr!(
        "is inside the database at {database}; write it outside that directory",
        "位于 {database} 的数据库目录内；请写到该目录之外"
    )
}
pub fn empty_file(columns: &str) -> String {
    tr!(
        "the file is empty: the first line must name the columns ({columns} …)",
        "文件是空的：第一行必须是列名（{columns} …）"
    )
}
pub fn no_name_column(columns: &str) -> String {
    tr!(
        "line 1: no firm name column ({columns})",
        "第 1 行：没有企业名称列（{columns}）"
    )
}
pub fn missing_columns(missing: &str) -> String {
    tr!("line 1: no {missing} column", "第 1 行：没有 {missing} 列")
}
pub fn or_list(items: &[&str]) -> String {
    items.join(super::Msg::new(" or ", " 或 ").get())
}
pub fn header_has(found: &str) -> String {
    tr!("; the header has: {found}", "；表头有：{found}")
}
pub fn and_more(count: usize) -> String {
    tr!(" … and {count} more", " … 另有 {count} 个")
}
pub fn looks_tab_separated() -> String {
    tr!(
        " (the columns look separated by tabs or semicolons; save the file as comma-separated CSV)",
        "（各列似乎用制表符或分号分隔；请另存为逗号分隔的 CSV）"
    )
}
pub fn duplicate_column(first: &str, second: &str) -> String {
    tr!(
        "line 1: the columns {first} and {second} are the same field; keep one of them",
        "第 1 行：{first} 和 {second} 两列是同一字段；请只保留一列"
    )
}
pub fn invalid_bytes(line: u64, encoding: &str) -> String {
    tr!(
        "line {line}: bytes that are not valid {encoding}",
        "第 {line} 行：有不合 {encoding} 编码的字节"
    )
}
pub fn neither_encoding(utf8_line: u64, gb18030_line: u64) -> String {
    tr!(
        "the file is neither UTF-8 (invalid bytes on line {utf8_line}) nor GB18030 (invalid bytes on line {gb18030_line}); save it as \"CSV UTF-8\"",
        "文件既不是 UTF-8（第 {utf8_line} 行有无效字节）也不是 GB18030（第 {gb18030_line} 行有无效字节）；请另存为“CSV UTF-8”"
    )
}
pub fn utf16() -> String {
    tr!(
        "the file is UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" or plain CSV",
        "文件是 UTF-16（“Unicode 文本”）；请另存为“CSV UTF-8”或普通 CSV"
    )
}
pub fn bom_not_gb18030() -> String {
    tr!(
        "the file starts with a UTF-8 byte order mark, so it is not GB18030; use --encoding utf8 or auto",
        "文件以 UTF-8 字节顺序标记开头，所以不是 GB18030；请用 --encoding utf8 或 auto"
    )
}

// What `import` says it did or would do (the names and fields are the data's).
pub fn import_would_add_row(line: u64) -> String {
    tr!(
        "line {line}: would add an item",
        "第 {line} 行：将添加一项事项"
    )
}
pub fn import_would_update_row(line: u64, number: u32, changes: &str) -> String {
    tr!(
        "line {line}: would update #{number}: {changes}",
        "第 {line} 行：将更新 #{number}：{changes}"
    )
}
pub fn import_more_rows(n: u64) -> String {
    tr!(
        "… and {n} more rows to add or update",
        "……另有 {n} 行要添加或更新"
    )
}
pub fn import_new_firm(name: &str, applied: bool) -> String {
    if applied {
        tr!("new firm {name}", "新企业 {name}")
    } else {
        tr!("would create firm {name}", "将新建企业 {name}")
    }
}
pub fn import_more_firms(n: u64) -> String {
    tr!("… and {n} more new firms", "……另有 {n} 家新企业")
}
pub fn import_new_department(name: &str, applied: bool) -> String {
    if applied {
        tr!("new department {name}", "新部门 {name}")
    } else {
        tr!("would create department {name}", "将新建部门 {name}")
    }
}
pub fn import_ignored_columns(columns: &str) -> String {
    tr!("ignored columns: {columns}", "忽略的列：{columns}")
}
pub fn import_not_kept(label: &str, why: &str) -> String {
    tr!("not kept: {label} ({why})", "未保留：{label}（{why}）")
}
pub fn import_would_add_firm(name: &str) -> String {
    tr!("would add {name}", "将添加 {name}")
}
pub fn import_would_update_firm(name: &str, fields: &str) -> String {
    tr!("would update {name}: {fields}", "将更新 {name}：{fields}")
}
pub fn import_read_as(path: &str, written: &str, encoding: &str) -> String {
    tr!(
        "{path}: {written} (read as {encoding})",
        "{path}：{written}（按 {encoding} 读取）"
    )
}
pub fn import_nothing_written(dry_run: bool, what: &str) -> String {
    match (dry_run, crate::messages::lang()) {
        (true, crate::messages::Lang::En) => format!("dry run, nothing written: {what}"),
        (true, crate::messages::Lang::Zh) => format!("试运行，未写入任何内容：{what}"),
        (false, crate::messages::Lang::En) => {
            format!("bad rows under --strict, nothing written: {what}")
        }
        (false, crate::messages::Lang::Zh) => {
            format!("--strict 下有错误行，未写入任何内容：{what}")
        }
    }
}
pub fn import_firms_done(added: usize, updated: usize, unchanged: usize, skipped: usize) -> String {
    tr!(
        "{added} added, {updated} updated, {unchanged} unchanged, {skipped} skipped",
        "添加 {added}，更新 {updated}，未变 {unchanged}，跳过 {skipped}"
    )
}
pub fn import_firms_planned(
    added: usize,
    updated: usize,
    unchanged: usize,
    skipped: usize,
) -> String {
    tr!(
        "{added} to add, {updated} to update, {unchanged} unchanged, {skipped} to skip",
        "待添加 {added}，待更新 {updated}，未变 {unchanged}，待跳过 {skipped}"
    )
}
pub fn import_closed_without_resolution(n: u64, text: &str) -> String {
    tr!(
        "{n} closed item(s) without 办结答复/resolution: their resolution reads \"{text}\"",
        "{n} 项已办结事项没有办结答复：其答复记为“{text}”"
    )
}
pub fn import_answers_kept(n: u64) -> String {
    tr!(
        "{n} answer(s) of items not closed kept as responses to the firm",
        "{n} 条未办结事项的答复保留为对企业的回复"
    )
}
pub fn import_visits_not_found(n: u64) -> String {
    tr!(
        "{n} visit date(s) match no visit of the firm: those items are not linked to a visit",
        "{n} 个走访日期与该企业的走访都不对应：这些事项不关联走访"
    )
}
pub fn import_created(firms: u64, departments: usize) -> String {
    tr!(
        "{firms} new firm(s), {departments} new department(s)",
        "新企业 {firms} 家，新部门 {departments} 个"
    )
}
pub fn import_matched(updated: u64, unchanged: u64, applied: bool) -> String {
    if applied {
        tr!(
            ", {updated} updated, {unchanged} unchanged",
            "，更新 {updated}，未变 {unchanged}"
        )
    } else {
        tr!(
            ", {updated} to update, {unchanged} unchanged",
            "，待更新 {updated}，未变 {unchanged}"
        )
    }
}
pub fn import_items_done(added: u64, created: &str, matched: &str, skipped: u64) -> String {
    tr!(
        "{added} added ({created}){matched}, {skipped} skipped",
        "添加 {added}（{created}）{matched}，跳过 {skipped}"
    )
}
pub fn import_items_planned(added: u64, created: &str, matched: &str, skipped: u64) -> String {
    tr!(
        "{added} to add ({created}){matched}, {skipped} to skip",
        "待添加 {added}（{created}）{matched}，待跳过 {skipped}"
    )
}
