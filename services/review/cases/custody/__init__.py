"""羁押必要性审查 (custody-necessity review): 刑诉法 第九十五条, 规则 第五百七十三条至第五百八十二条, the
2016 规定(试行), the 2021–2022 专项活动 and the 2023 规定 (RULES §3; docs/review/custody.md).

A review opens on application, ex officio (依职权), on the 看守所's suggestion, or by itself from the custody
register (必要审查, jobs.py); an application received by 控申 or 案管 reaches 捕诉 the same day, one received by
another 检察院 within 2日; the initial review, the decision, its extension and the pauses for medical
assessment run on the deadline engine; a 建议 waits for the other organ's reply (10日), a missing or refusing
reply opens a 纠正意见; the applicant is told the outcome in writing (规则 第五百八十二条) through notify.
"""
