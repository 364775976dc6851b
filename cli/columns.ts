/** Text columns for the plan report's tables, linear in the number of cells at any size. */

/** Cells wider than this are not padded to (a hostile 1 MB name must not widen every row to 1 MB). */
const maxPaddedWidth = 160;

/** Rows padded into columns two spaces apart; the last column is never padded. */
export function columns(rows: string[][]): string[] {
    const widths: number[] = [];
    for (const r of rows)
        r.forEach((cell, i) => {
            const w = codePoints(cell);
            if (w <= maxPaddedWidth && w > (widths[i] ?? 0)) widths[i] = w;
        });
    return rows.map((r) =>
        r
            .map((cell, i) =>
                i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + (cell.length - codePoints(cell))),
            )
            .join("  ")
            .trimEnd(),
    );
}

function codePoints(text: string): number {
    let n = 0;
    for (const _ of text) n++;
    return n;
}
