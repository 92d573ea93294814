"""Petitions (信访件/诉讼服务事项) received through 12309 and 12368 by 信、访、网、电."""
