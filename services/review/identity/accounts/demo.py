"""Demo accounts for `make up`: one per role, all with one public password.

DEMO ONLY.  Their password and TOTP secrets are printed by `make up` and listed in the README;
with `HUHANG_ENV=production` none of them is created and any left over cannot sign in.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "Demo!2026huhang"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    unit_code: str
    roles: tuple[str, ...]
    totp_secret: str | None = None  # base32; fixed so that the README can list it


DEMO_ACCOUNTS = (
    DemoAccount("demo-12309", "演示 12309 登记员", "NY-JCY-KS", ("intake_clerk",)),
    DemoAccount("demo-triage", "演示 分流员", "NY-JCY-KS", ("triage_officer",)),
    # The court's 分流员: receives what the procuratorate 移送 to 中院, and may object within 5 working days.
    DemoAccount("demo-triage-fy", "演示 分流员（中院诉讼服务中心）", "NY-FY-SF", ("triage_officer",)),
    DemoAccount("demo-handler", "演示 承办人（宛城区院）", "NY-JCY-WC", ("case_handler",)),
    DemoAccount("demo-leader", "演示 市院负责人", "NY-JCY", ("unit_leader",)),
    DemoAccount("demo-judge", "演示 法官（中院）", "NY-FY", ("judge",)),
    DemoAccount("demo-12368", "演示 12368 书记员", "NY-FY-SF", ("court_clerk",)),
    DemoAccount("demo-judge-ms2", "演示 法官（民二庭）", "NY-FY-MS2", ("judge",)),
    DemoAccount("demo-leader-ms2", "演示 民二庭庭长", "NY-FY-MS2", ("unit_leader",)),
    # 捕诉检察官 of the city procuratorate's 刑事检察部 and of 宛城区院 (羁押必要性审查, 涉企挂案).
    DemoAccount("demo-prosecutor", "演示 捕诉检察官（市院刑事检察部）", "NY-JCY-XS", ("prosecutor",)),
    DemoAccount("demo-prosecutor-wc", "演示 捕诉检察官（宛城区院）", "NY-JCY-WC", ("prosecutor",)),
    # 行政检察部: 首违不罚 checks and the 检察建议 drafts that follow them.
    DemoAccount("demo-penalty", "演示 行政处罚审查（行政检察部）", "NY-JCY-XZ", ("penalty_reviewer",)),
    # 中院执行局: registers 失信 listings and decides their removal (书记员 and 执行法官).
    DemoAccount("demo-clerk-zx", "演示 执行书记员（执行局）", "NY-FY-ZX", ("court_clerk",)),
    DemoAccount("demo-judge-zx", "演示 执行法官（执行局）", "NY-FY-ZX", ("judge",)),
    DemoAccount("demo-taskforce", "演示 专班成员", "NY-JCY-ZB", ("task_force",), "HUHANGDEMOTASKFORCEONLYFORDEMOXX"),
    DemoAccount("demo-auditor", "演示 安全审计员", "NY-JCY", ("auditor",)),
    DemoAccount("demo-admin", "演示 系统管理员", "NY-JCY", ("admin",), "HUHANGDEMOADMINSECRETONLYFORDEMO"),
)
