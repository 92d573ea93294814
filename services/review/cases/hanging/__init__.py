"""涉企挂案: the cases the procuratorate supervises for clearance (RULES §4), their intake by import and by hand."""
