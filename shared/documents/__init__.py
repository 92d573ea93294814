"""Documents the services issue, as PDF and DOCX from one description, in the GB/T 9704 公文 layout.

`layout.Document` says what a document contains; `pdf.render` and `word.render` make the bytes.
docs/documents.md tells which fonts stand in for the standard's and how to add a document.
"""

from shared.documents.layout import Document, Heading, Paragraph, Table, chinese_date

__all__ = ["Document", "Heading", "Paragraph", "Table", "chinese_date"]
