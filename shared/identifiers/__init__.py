"""Identifiers a clerk types and the law defines: who and what a number names, and whether it can be real.

One module per kind of number, each with a parser that says *why* a number is refused (a
machine-readable problem code the API returns beside its Chinese and English message):
居民身份证号码 (GB 11643), 统一社会信用代码 (GB 32100), phone numbers, the court's 案号 (2016
规定) and the procuratorate's 文书号.  Pure functions over strings and shipped data files; no
database, no Flask.
"""

from shared.identifiers.court_case_number import (
    CourtCaseNumber,
    ensure_year_not_after,
    is_valid_case_number,
    parse_case_number,
)
from shared.identifiers.credit_code import CreditCode, is_valid_credit_code, parse_credit_code
from shared.identifiers.id_card import IdNumber, Sex, is_valid_id_number, parse_id_number
from shared.identifiers.phone import Phone, PhoneKind, is_valid_phone, parse_phone
from shared.identifiers.problems import InvalidIdentifier, Problem
from shared.identifiers.procuratorate_doc_number import ProcuratorateDocNumber, is_valid_doc_number, parse_doc_number

__all__ = [
    "CourtCaseNumber",
    "CreditCode",
    "IdNumber",
    "InvalidIdentifier",
    "Phone",
    "PhoneKind",
    "Problem",
    "ProcuratorateDocNumber",
    "Sex",
    "ensure_year_not_after",
    "is_valid_case_number",
    "is_valid_credit_code",
    "is_valid_doc_number",
    "is_valid_id_number",
    "is_valid_phone",
    "parse_case_number",
    "parse_credit_code",
    "parse_doc_number",
    "parse_id_number",
    "parse_phone",
]
