"""考评反馈 (evaluation): the petitioner's 评价 of a result reply, the reopened handling rounds, and the rates.

After the result reply (the item is ``replied``) the petitioner's 评价 is recorded once per round,
by staff of the handling unit (电话回访、当面、书面) or through the public status query (intake's
``petition.feedback_submitted``).  满意 / 基本满意 closes the matter; 不满意 lets the handling unit
reopen it (a new round with a new result-reply clock, linked to the round before) or close it
anyway with a reason.  :mod:`rates` gives the satisfaction and on-time rates per unit.
"""
