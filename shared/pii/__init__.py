"""Personal data (个人信息): validation, masking for display, encryption at rest, blind index."""

from shared.pii.crypto import DecryptionFailed, blind_index, decrypt, encrypt
from shared.pii.masking import mask_id_number, mask_name, mask_phone, mask_text
from shared.pii.validators import is_valid_credit_code, is_valid_id_number, is_valid_mobile

__all__ = [
    "DecryptionFailed",
    "blind_index",
    "decrypt",
    "encrypt",
    "is_valid_credit_code",
    "is_valid_id_number",
    "is_valid_mobile",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_text",
]
