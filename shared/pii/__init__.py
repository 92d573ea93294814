"""Personal data (个人信息): validation of ID-card numbers and credit codes, masking for display."""

from shared.pii.masking import mask_id_number, mask_name, mask_phone
from shared.pii.validators import is_valid_credit_code, is_valid_id_number, is_valid_mobile

__all__ = [
    "is_valid_credit_code",
    "is_valid_id_number",
    "is_valid_mobile",
    "mask_id_number",
    "mask_name",
    "mask_phone",
]
