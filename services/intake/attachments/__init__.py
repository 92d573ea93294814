"""信访材料 (attachments): the files that come with a petition, kept in a blob store, their rows here."""
