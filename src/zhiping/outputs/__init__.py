"""What zhiping prints and writes for people: the text report, the CSV results table,
the results sheet (公示) and the report on installed packs.
"""
