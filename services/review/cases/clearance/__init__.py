"""涉企挂案清理 (clearance): the daily threshold scan and its flags, the 监督 actions and their documents,
the outcomes, and the 专项清理 campaigns with their burn-down (issue 11 points 6 and 7)."""
