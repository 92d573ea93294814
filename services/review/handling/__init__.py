"""审查办理 (handling): accept or return a 交办 item, the 承办人, 进展汇报 and 答复 with its document."""
