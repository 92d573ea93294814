"""Public credentials (查询码): what a petitioner, an enterprise party or an enterprise types to see its case.

One table for every kind (a petition's query code, a court-case party's code, an enterprise's
access code), each row a slow hash of a random code and what it opens.  The code itself is shown
once, when it is issued, and never stored: a lost code is re-issued, which revokes the old one.
"""
