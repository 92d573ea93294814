"""The fixed lists of 审查办理: kinds of reply, outcomes, delivery, and how the pages and the document say them."""

from __future__ import annotations

PROCEDURAL = "procedural"  # 程序性回复 (7 日)
PROGRESS = "progress"  # 办理进展答复 (3 个月未办结的，此后每月)
FINAL = "final"  # 办理结果答复
KINDS = (PROCEDURAL, PROGRESS, FINAL)
KIND_TEXT = {PROCEDURAL: "程序性回复", PROGRESS: "办理进展答复", FINAL: "办理结果答复"}
KIND_TITLE = {PROCEDURAL: "关于信访事项的程序性回复", PROGRESS: "关于信访事项办理进展情况的答复",
              FINAL: "关于信访事项的答复"}

# 处理结果 of a final reply.
OUTCOME_TEXT = {"supported": "支持", "partly_supported": "部分支持", "not_supported": "不支持",
                "resolved": "已解决", "other": "其他"}
OUTCOMES = tuple(OUTCOME_TEXT)

# 送达方式: how the reply reached the petitioner.
DELIVERY_TEXT = {"in_person": "当面", "post": "邮寄", "phone": "电话", "sms": "短信", "online": "网上",
                 "other": "其他"}
DELIVERIES = tuple(DELIVERY_TEXT)

ENTRY_TEXT = {"accepted": "受理", "returned": "退回", "handler_assigned": "指定承办人",
              "progress_reported": "进展汇报", "replied": "答复"}

# The legal basis a reply form starts with, by line and kind (the handler may change it).
DEFAULT_BASIS = {
    ("12309", PROCEDURAL): "《人民检察院办理群众来信工作规定》（2019年）：收信之日起7日内程序性回复",
    ("12309", PROGRESS): "《人民检察院办理群众来信工作规定》（2019年）：3个月内答复办理过程或结果，未办结的每月答复进展",
    ("12309", FINAL): "《人民检察院办理群众来信工作规定》（2019年）：属本院管辖的，3个月内答复办理结果",
    ("12368", PROCEDURAL): "人民法院12368诉讼服务热线工作要求：不能当场答复的，转承办法官限时答复",
    ("12368", PROGRESS): "人民法院12368诉讼服务热线工作要求：不能当场答复的，转承办法官限时答复",
    ("12368", FINAL): "人民法院12368诉讼服务热线工作要求：不能当场答复的，转承办法官限时答复",
}


def default_basis(line: str, kind: str) -> str:
    return DEFAULT_BASIS.get((line, kind), DEFAULT_BASIS[("12309", kind)])
