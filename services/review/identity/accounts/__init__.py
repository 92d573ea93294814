"""Staff accounts (账户): sign-in and its second factor, web sessions, password changes, administration.

One module per concept: `signin` (password and TOTP checks, lockout, the principal), `sessions`
(browser sessions), `passwords` (policy and hashing) and `password_change`, `admin` (list,
unlock, create, demo accounts), `audit` (the audit row of an account event).
"""
