"""涉企 court cases as review follows them: the 立案绿色通道 time limit as a deadline (督办)."""
