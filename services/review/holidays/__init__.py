"""节假日数据 stored holiday years: 国务院办公厅 放假安排 notices imported by an administrator."""
