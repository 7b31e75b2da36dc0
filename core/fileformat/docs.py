"""The README's table of the file format, written from the kind declarations (a test keeps them in step)."""
from .kinds import kinds


def format_table() -> str:
    """A Markdown table: each kind, its columns (required ones in bold) and how a row finds its record."""
    lines = ["| kind | what it holds | columns (**required**) | matched by |", "| --- | --- | --- | --- |"]
    for kind in kinds:
        required = set(kind.required)
        columns = ", ".join(f"**{header}**" if header in required else header for header in kind.headers)
        lines.append(f"| {kind.name} | {kind.description} | {columns} | {kind.identity} |")
    return "\n".join(lines) + "\n"
