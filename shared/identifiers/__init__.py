"""Identifiers a clerk types and the law defines: who and what a number names, and whether it can be real.

One module per kind of number, each with a parser that says *why* a number is refused (a
machine-readable problem code the API returns beside its Chinese and English message):
居民身份证号码 (GB 11643), 统一社会信用代码 (GB 32100), phone numbers, the court's 案号 (2016
规定) and the procuratorate's 文书号.  Pure functions over strings and shipped data files; no
database, no Flask.
"""
