"""失信被执行人 (the court's list of dishonest judgment debtors): listings, their 限制消费令, removal, correction,
复议, and the 诚信证明 an enterprise gets once its record is removed, with its public verification.

《最高人民法院关于公布失信被执行人名单信息的若干规定》(2017修正): art. 1 the six grounds of listing,
art. 2 the term (none for item 1; 2 years, extended by 1–3 years), art. 10 deletion within 三个工作日,
art. 12 correction (15日 review, 3 working days to correct) and 复议 to the court above (10日, 15日).
docs/review/dishonesty.md has the rules, their sources and which numbers are settings.
"""
