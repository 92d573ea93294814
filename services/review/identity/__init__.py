"""身份 identity: who is who in review — staff accounts (账户), sign-in and its second factor, web
sessions, and the 单位 tree (检察院, 法院, their departments and 基层 units, the task force) that
decides which units each person sees.

Review is the one service that knows people; intake and notify only verify the tokens and access
cookies it issues (`shared/auth`).
"""
