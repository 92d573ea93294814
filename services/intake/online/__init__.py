"""网上信访: the online channel (网) open to the public without an account.

The public fills in the same record a clerk registers (the same schema's rules, stricter: no
channel, no received time, no letter or visit block, a real name and a number to call back, and
tighter lengths), per client address at most a few per window, the body capped; the answer is the
case number and the 查询码, as a clerk's registration gives them.
"""
