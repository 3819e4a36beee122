"""Reading and writing instances: the table schema, cell parsing, workbook and CSV formats."""
