"""The last sections of every reproduction's report: its plots and how to regenerate it."""

from __future__ import annotations


def report_tail(pngs: list[str], command: str, files: str) -> list[str]:
    """Markdown lines: the plots, the command that regenerates the report, the files it wrote."""
    return [
        "## Plots",
        "",
        *[f"![{p}]({p})" for p in pngs],
        "",
        "## Reproduce",
        "",
        "```bash",
        command,
        "```",
        "",
        f"Files: {files}",
        "",
    ]
