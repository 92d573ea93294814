"""涉企 court cases: flagged by judges and court clerks, with 立案绿色通道 and 诉讼费 缓交/减交/免交 (司法救助)."""
