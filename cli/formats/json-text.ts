import { UsageError, oneLine } from "../errors";

/**
 * Turns the bytes of an input file into a JSON value, refusing what `JSON.parse` would quietly accept
 * wrongly:
 *
 * - Encodings: UTF-8 with or without a byte-order mark, and UTF-16 (little or big endian) with its
 *   mark, which is what Windows PowerShell 5.1's `>` redirection writes (`pulumi preview --json >
 *   preview.json` there gives UTF-16LE with a BOM). UTF-16LE without a mark is recognised by the
 *   zero high byte of its first character (every JSON document starts with an ASCII character).
 * - Duplicated object keys: `JSON.parse` keeps the last copy, so `{"resources": [<insecure>],
 *   "resources": []}` would audit nothing and pass. RFC 8259 §4 leaves duplicate names' meaning
 *   undefined; a gate must not guess, so any duplicate is an error naming its JSON path.
 */

export function decodeJsonBytes(bytes: Buffer, source: string): string {
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        return bytes.toString("utf8", 3);
    }
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le(bytes.subarray(2), source);
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
        const swapped = Buffer.from(bytes.subarray(2));
        if (swapped.length % 2 !== 0) throw new UsageError(`${source}: not valid UTF-16 (odd number of bytes)`);
        swapped.swap16();
        return utf16le(swapped, source);
    }
    if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return utf16le(bytes, source);
    return bytes.toString("utf8");
}

function utf16le(bytes: Buffer, source: string): string {
    if (bytes.length % 2 !== 0) throw new UsageError(`${source}: not valid UTF-16 (odd number of bytes)`);
    return bytes.toString("utf16le");
}

/** `JSON.parse`, plus a refusal of duplicated keys (see the module comment). */
export function parseJsonText(text: string, source: string): unknown {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (err) {
        throw new UsageError(`${source}: not valid JSON: ${oneLine(err)}`);
    }
    // JSON.parse keeps one property per distinct key of an object, so the text has a duplicate exactly
    // when it holds more keys than the value: two counting passes, and the path-keeping scan only then.
    const duplicate = countKeyTokens(text) === countOwnKeys(value) ? undefined : findDuplicateKey(text);
    if (duplicate) {
        throw new UsageError(
            `${source}: duplicated key ${JSON.stringify(duplicate.key)} in ${duplicate.path}; JSON.parse would keep only the last copy, so the file is refused`,
        );
    }
    return value;
}

/** How many object keys the (well-formed) text has: strings followed by `:`. */
export function countKeyTokens(text: string): number {
    const n = text.length;
    let count = 0;
    let start = text.indexOf('"');
    while (start >= 0) {
        let end = text.indexOf('"', start + 1);
        while (end > 0 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
        if (end < 0) break; // unreachable for text JSON.parse accepted
        let j = end + 1;
        while (j < n && isSpace(text.charCodeAt(j))) j++;
        if (j < n && text.charCodeAt(j) === 0x3a /* : */) count++;
        // Between a string's end and the next quote there are only numbers, literals and punctuation.
        start = text.indexOf('"', j);
    }
    return count;
}

/** How many own keys the objects of a parsed JSON value have, all levels together. */
export function countOwnKeys(value: unknown): number {
    let count = 0;
    const pending: unknown[] = [value];
    while (pending.length > 0) {
        const v = pending.pop();
        if (v === null || typeof v !== "object") continue;
        if (Array.isArray(v)) {
            for (const item of v) if (item !== null && typeof item === "object") pending.push(item);
            continue;
        }
        for (const key of Object.keys(v)) {
            count++;
            const item = (v as Record<string, unknown>)[key];
            if (item !== null && typeof item === "object") pending.push(item);
        }
    }
    return count;
}

interface Frame {
    /** Keys seen so far when the frame is an object; null for an array. */
    keys: Set<string> | null;
    /** The path segment that led here, for the error message. */
    segment: string;
    /** The next array index, for paths. */
    index: number;
}

/**
 * One linear pass over text that `JSON.parse` has already accepted (so it is well-formed): strings are
 * skipped with `indexOf`, and each string followed by `:` is a key of the innermost object. Escaped
 * keys are compared decoded, so `"a"` and `"\u0061"` are the same key, as they are to JSON.parse.
 */
export function findDuplicateKey(text: string): { key: string; path: string } | undefined {
    const stack: Frame[] = [];
    let pendingKey: string | undefined;
    const path = () =>
        "$" +
        stack
            .slice(1)
            .map((f) => f.segment)
            .join("");
    const enter = (keys: Set<string> | null) => {
        const parent = stack[stack.length - 1];
        let segment = "";
        if (parent?.keys && pendingKey !== undefined) segment = `.${pendingKey}`;
        else if (parent && !parent.keys) segment = `[${parent.index++}]`;
        stack.push({ keys, segment, index: 0 });
        pendingKey = undefined;
    };
    const n = text.length;
    for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x22 /* " */) {
            let end = text.indexOf('"', i + 1);
            while (end > 0 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
            if (end < 0) return undefined; // unreachable for text JSON.parse accepted
            const raw = text.slice(i + 1, end);
            i = end;
            let j = end + 1;
            while (j < n && isSpace(text.charCodeAt(j))) j++;
            const top = stack[stack.length - 1];
            if (j < n && text.charCodeAt(j) === 0x3a /* : */ && top?.keys) {
                const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
                if (top.keys.has(key)) return { key, path: path() };
                top.keys.add(key);
                pendingKey = key;
                i = j;
            } else if (top && !top.keys) {
                top.index++;
            }
        } else if (c === 0x7b /* { */) {
            enter(new Set());
        } else if (c === 0x5b /* [ */) {
            enter(null);
        } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
            stack.pop();
        } else if (c === 0x2c /* , */) {
            pendingKey = undefined;
        } else if (!isSpace(c) && c !== 0x3a) {
            // A number or a literal: skip to its end; in an array it is one element.
            let j = i + 1;
            while (j < n && !isDelimiter(text.charCodeAt(j))) j++;
            const top = stack[stack.length - 1];
            if (top && !top.keys) top.index++;
            i = j - 1;
        }
    }
    return undefined;
}

function isEscaped(text: string, quote: number): boolean {
    let backslashes = 0;
    for (let k = quote - 1; k >= 0 && text.charCodeAt(k) === 0x5c; k--) backslashes++;
    return backslashes % 2 === 1;
}

function isSpace(c: number): boolean {
    return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDelimiter(c: number): boolean {
    return isSpace(c) || c === 0x2c || c === 0x5d || c === 0x7d;
}
