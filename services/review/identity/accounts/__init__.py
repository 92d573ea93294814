"""Staff accounts (账户), sign-in, second factor, web sessions and access tokens."""
