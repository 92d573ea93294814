"""platform: the audit log sealed at write and linked after commit by the sequencer

Revision ID: platform_0003_audit_sequencer
Revises: platform_0002_audit

Adds txid, nonce, row_mac and seq; prev_hash and hash become NULL until the sequencer links a
row; existing rows keep their chain (seq = id, txid = 0).  The append-only trigger now also
checks INSERTs (sealed and unlinked only) and lets exactly the one linking UPDATE through.
Upgrade order and the downgrade (which needs the audit key): docs/adr/0008-audit-chain-sequencer.md.
"""
from shared.audit.migration_ops import add_audit_sequencing, remove_audit_sequencing

revision = "platform_0003_audit_sequencer"
down_revision = "platform_0002_audit"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_audit_sequencing()


def downgrade() -> None:
    remove_audit_sequencing()
