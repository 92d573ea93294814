"""首违不罚 checks (行政处罚法 art. 33; 税务总局公告2021年第6号 and 第33号): the published lists as dated
data, a check of one violation against the list in force on the day of the act, and a 检察建议
draft (行政违法行为监督) from a positive result."""
