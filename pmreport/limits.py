"""Every size limit on input, in one place (documented in docs/reliability.md).

A school's appraisal records are small: 15-150 staff, a few thousand rows over many years.
These limits are far above that and far below what would exhaust a school laptop, so that a
damaged or hostile file is refused at once with a clear message instead of hanging pmreport
or eating the machine's memory. They are checked before any spreadsheet parser sees the file
(see :mod:`pmreport.xlsx_scan`), so a refusal costs a fraction of a second.
"""

from __future__ import annotations

MiB = 1024 * 1024

#: Largest workbook file (.xlsx/.xlsm) on disk.
MAX_WORKBOOK_BYTES = 100 * MiB
#: Largest CSV file, and largest total of a folder of CSV files.
MAX_CSV_BYTES = 100 * MiB
#: Most parts (files) inside a workbook's zip package. Excel writes about 3 per sheet.
MAX_ZIP_ENTRIES = 10_000
#: Largest total size of a workbook's parts once unpacked (a "zip bomb" declares far more).
MAX_UNCOMPRESSED_BYTES = 512 * MiB
#: Most a part may expand on unpacking, for parts larger than EXPANSION_CHECK_BYTES once unpacked.
#: Excel's XML packs about 5-20 to 1; a zip bomb packs thousands to 1.
MAX_EXPANSION_RATIO = 200
EXPANSION_CHECK_BYTES = 16 * MiB
#: Most rows in one sheet (from its first used row to its last) or one CSV file.
MAX_ROWS_PER_SHEET = 200_000
#: Most cells in one sheet's used area (rows x columns), or one CSV file.
MAX_CELLS_PER_SHEET = 5_000_000
#: Most cells in the used areas of all the sheets of one workbook (or CSV folder).
MAX_CELLS_PER_WORKBOOK = 10_000_000
#: Longest single row of sheet XML; Excel's own limit (16,384 cells of 32,767 characters) is far below.
MAX_ROW_XML_BYTES = 64 * MiB
