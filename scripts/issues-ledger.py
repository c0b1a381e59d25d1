#!/usr/bin/env python3
"""Writes a synthetic items ledger as CSV to standard output, row by row, for measuring
`liaison import issues` on large files: `issues-ledger.py 1000000 [utf8|gb18030]`.

The rows are those of `write_ledger` in tests/issues_io.rs: 1,000 firms, six departments,
every column, a two-line detail in every tenth row, statuses and priorities in Chinese and
English, closed items with and without an answer."""

import sys

DEPARTMENTS = ["发改局", "人社局", "住建局", "供电局", "财政金融局", "投促局"]
STATUSES = ["新建", "已交办", "办理中", "answered", "已办结", "closed", ""]
CATEGORIES = ["land", "人才", "finance", ""]
PRIORITIES = ["低", "中", "高", "急", "normal"]


def rows(count):
    yield "企业名称,诉求,详情,类别,责任部门,负责人,优先级,状态,期限,创建时间,办结答复,最新回复\r\n"
    for n in range(count):
        detail = f'"第 {n} 项：\n企业反映的情况，需协调"' if n % 10 == 0 else ""
        status = STATUSES[n % len(STATUSES)]
        department = "" if status == "新建" or n % 13 == 0 else DEPARTMENTS[n % len(DEPARTMENTS)]
        yield (
            f"中山测试{n % 1000}有限公司,诉求事项 {n}：用地、用电、用工,{detail},"
            f"{CATEGORIES[n % len(CATEGORIES)]},{department},{'王伟' if n % 3 == 0 else ''},"
            f"{PRIORITIES[n % len(PRIORITIES)]},{status},"
            f"2026-{1 + n % 12:02}-{1 + n % 28:02},2025-{1 + (n // 7) % 12:02}-{1 + n % 28:02} 09:30,"
            f"{'已与企业沟通并办结' if n % 2 == 0 else ''},{'部门已受理' if n % 5 == 0 else ''}\r\n"
        )


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    encoding = sys.argv[2] if len(sys.argv) > 2 else "utf8"
    out = sys.stdout.buffer
    if encoding == "utf8":
        out.write(b"\xef\xbb\xbf")
    chunk = []
    for row in rows(count):
        chunk.append(row)
        if len(chunk) == 10_000:
            out.write("".join(chunk).encode(encoding))
            chunk = []
    out.write("".join(chunk).encode(encoding))


if __name__ == "__main__":
    main()
