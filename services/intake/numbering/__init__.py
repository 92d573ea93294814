"""Case numbers of petitions (案件编号): one counter per receiving organ, line and 收案年度; see service.py."""
