"""The domains of review (审查): one line each (see shared/manifest.py for what a part is).

Coming (one package and one line each): cases/ (羁押必要性审查, 挂案, 12368 work orders) and
reports/ (half-monthly reports to the 市院专班).
"""

from __future__ import annotations

from flask import Flask

from shared.manifest import Domain, NavItem, ServiceManifest
from shared.routing import CATCH_ALL, platform_routes


def _browser_sessions(app: Flask) -> None:
    """Web sessions live in review: its auth gate resolves the session cookie."""
    from services.review.identity.accounts.views import resolve_cookie

    app.extensions["huhang_auth"].session_resolver = resolve_cookie


MANIFEST = ServiceManifest(
    service="review",
    package=__package__ or "services.review",
    title="huhang review 审查",
    port=8102,
    routes=(
        # The catch-all: sign-in, home, triage, cases, admin, the built web assets (/assets/),
        # review's APIs (/api/v1/auth, /api/v1/triage, ...) and /.well-known/jwks.json; every path
        # no other service claims.
        CATCH_ALL,
        *platform_routes("review"),
        # The public check of a 诚信证明 (services/review/dishonesty), under the prefixes intake holds.
        "/api/v1/public/certificates",
        "/public/certificates",
    ),
    consumes=("intake",),
    signs_tokens=True,
    domains=(
        Domain("units", "services.review.identity.units", "models", "views", "pages", "seeds", "migrations"),
        Domain("accounts", "services.review.identity.accounts", "models", "views", "pages", "seeds", "commands",
               "migrations"),
        Domain("triage", "services.review.triage", "models", "views", "pages", "handlers", "jobs", "subscriptions", "migrations"),
        Domain("handling", "services.review.handling", "models", "views", "pages", "subscriptions", "migrations"),
        Domain("holidays", "services.review.holidays", "models", "migrations"),
        Domain("deadlines", "services.review.deadlines", "models", "views", "seeds", "jobs", "commands", "migrations"),
        # 涉企 court cases (intake's court_case.* events): the 立案绿色通道 limit as a deadline.
        Domain("court_cases", "services.review.cases.court", "handlers"),
        # 12368 工单 to the judge or division of a case; overdue orders escalate (庭长, then 诉讼服务中心).
        Domain("work_orders", "services.review.work_orders", "models", "views", "pages", "jobs", "subscriptions", "migrations"),
        Domain("feedback", "services.review.feedback", "models", "views", "pages", "handlers", "subscriptions", "migrations"),
        Domain("portal", "services.review.portal", "pages"),
        Domain("supervision", "services.review.supervision", "models", "views", "pages", "jobs", "migrations"),
        # 首违不罚 checks (行政处罚法 art. 33, the lists as data) and their 检察建议 (docs/adr/0010).
        Domain("leniency", "services.review.leniency", "models", "views", "pages", "seeds", "commands", "migrations"),
        # 涉企挂案: the cases (import and hand entry), the case page and its panel registry (clearance adds panels).
        Domain("hanging", "services.review.cases.hanging", "models", "views", "pages", "migrations"),
        # 失信被执行人: listings with their 限消 orders, removal, correction, 复议, 诚信证明 and its public check.
        Domain("dishonesty", "services.review.dishonesty", "models", "views", "pages", "jobs", "migrations"),
        # 挂案清理: the daily threshold scan, flags, actions and documents, outcomes, campaigns, the 挂案 queue.
        Domain("clearance", "services.review.cases.clearance", "models", "views", "pages", "jobs", "migrations"),
        # 羁押必要性审查: applications, ex officio and mandatory reviews (the register's daily job), the clocks, 建议.
        Domain("custody", "services.review.cases.custody", "models", "views", "pages", "jobs", "migrations"),
    ),
    nav=(
        NavItem("首页", "/", order=0),
        NavItem("分流队列", "/triage", roles=("triage_officer", "case_handler", "unit_leader", "task_force"), order=30),
        NavItem("我的案件", "/handling", roles=("case_handler", "unit_leader"), order=35),
        NavItem("督办", "/supervision", roles=("unit_leader", "task_force", "case_handler", "triage_officer"), order=40),
        NavItem("挂案清理", "/hanging-cases", roles=("prosecutor", "unit_leader", "task_force"), order=42),
        NavItem("工单", "/work-orders", roles=("judge", "court_clerk", "unit_leader"), order=45),
        NavItem("首违不罚", "/leniency-checks", roles=("penalty_reviewer", "prosecutor", "unit_leader", "task_force"),
                order=50),
        NavItem("挂案导入", "/hanging-cases/import", roles=("prosecutor", "unit_leader", "task_force"), order=51),
        NavItem("羁押审查", "/custody-reviews", roles=("prosecutor", "unit_leader", "task_force"), order=50),
        NavItem("满意率", "/feedback/rates", roles=("triage_officer", "case_handler", "unit_leader", "task_force"), order=60),
        NavItem("失信名单", "/dishonesty", roles=("court_clerk", "judge", "task_force"), order=50),
        NavItem("账户管理", "/admin/accounts", roles=("admin",), order=80),
        NavItem("单位", "/admin/units", roles=("admin", "task_force"), order=81),
        NavItem("审计日志", "/audit/review", roles=("auditor",), order=90),
    ),
    configure_app=_browser_sessions,
)
