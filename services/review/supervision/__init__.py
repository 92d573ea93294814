"""跟踪督办 (supervision): escalation of overdue 期限 up the unit tree, 挂牌督办, reports, the 督办 list."""
