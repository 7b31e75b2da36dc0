"""The README's tables of the file format, written from the kind declarations (a test keeps them in step)."""
from .kinds import kinds


def format_table() -> str:
    """Markdown tables: each kind, its columns (required ones in bold) and how a row finds its record; then
    the export-only columns, which the downloads add and the importer ignores."""
    lines = ["| kind | what it holds | columns (**required**) | matched by |", "| --- | --- | --- | --- |"]
    for kind in kinds:
        required = set(kind.required)
        columns = ", ".join(f"**{header}**" if header in required else header for header in kind.headers)
        lines.append(f"| {kind.name} | {kind.description} | {columns} | {kind.identity} |")
    lines += ["", "Export-only columns, after the others in the public downloads (listing CSV and XLSX, `/data/`); "
                  "the importer ignores them, so a downloaded file imports back unchanged:", "",
              "| kind | export-only column | what it holds |", "| --- | --- | --- |"]
    lines += [f"| {kind.name} | {column.name} | {column.about} |" for kind in kinds for column in kind.derived]
    return "\n".join(lines) + "\n"
