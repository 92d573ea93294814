"""单位 units: the tree of 检察院, 法院, their departments and 基层 units, and the task force."""
