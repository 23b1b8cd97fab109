import { createReadStream } from 'node:fs';

/**
 * A line-oriented CSV reader for the registry's files (loss-methodology.md §2.2).
 *
 * Written here rather than taken from a CSV library because the engine needs three things at
 * once that the parsers we measured (uDSV, PapaParse, csv-parse) do not give together: the exact
 * line number of every record (rejects.csv and every error name file and line), splitting a
 * large file into byte ranges that two threads parse in parallel, and a bad row reported and
 * skipped rather than ending the parse. The format is therefore one record per line: fields
 * may be quoted ("a,b" and "" for a quote) but may not contain a line break; such a row is
 * reported as bad. UTF-8 with or without BOM, or GB18030, decoded with TextDecoder.
 */
export type CsvEncoding = 'utf-8' | 'gb18030';

export interface CsvRecordSink {
  /** Called once with the header's fields; may throw a FileError (a missing column). Returning false stops the scan. */
  header(fields: string[]): void | boolean;
  /** Called for every line after the header; `fields` is null when the line cannot be split (an unterminated quote). */
  record(fields: string[] | null, line: number, text: string): void;
}

/** Splits one line into fields; null when a quote is left open. */
export function splitCsvLine(text: string): string[] | null {
  if (text.indexOf('"') < 0) return text.split(',');
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    if (text.charCodeAt(position) === 34 /* " */) {
      let value = '';
      let cursor = position + 1;
      for (;;) {
        const quote = text.indexOf('"', cursor);
        if (quote < 0) return null;
        value += text.slice(cursor, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          value += '"';
          cursor = quote + 2;
          continue;
        }
        cursor = quote + 1;
        break;
      }
      fields.push(value);
      if (cursor >= text.length) return fields;
      if (text.charCodeAt(cursor) !== 44 /* , */) return null;
      position = cursor + 1;
      if (position === text.length) {
        fields.push('');
        return fields;
      }
    } else {
      const comma = text.indexOf(',', position);
      if (comma < 0) {
        fields.push(text.slice(position));
        return fields;
      }
      fields.push(text.slice(position, comma));
      position = comma + 1;
      if (position === text.length) {
        fields.push('');
        return fields;
      }
    }
  }
}

/** Thrown when a file cannot be used at all; the CLI turns it into one line and exit code 2. */
export class FileError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly fix: string;
  constructor(file: string, line: number | null, problem: string, fix: string) {
    super(problem);
    this.name = 'FileError';
    this.file = file;
    this.line = line;
    this.fix = fix;
  }

  oneLine(): string {
    return `${this.file}${this.line === null ? '' : ` line ${this.line}`}: ${this.message}; fix: ${this.fix}`;
  }
}

/** Maps the header's column names to positions; extra columns are ignored, missing ones are an error. */
export function columnPositions<const Name extends string>(header: string[], required: readonly Name[], file: string): Record<Name, number> {
  const positions = {} as Record<Name, number>;
  const missing: string[] = [];
  for (const name of required) {
    const position = header.indexOf(name);
    if (position < 0) missing.push(name);
    positions[name] = position;
  }
  if (missing.length > 0) {
    throw new FileError(
      file,
      1,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in the header '${header.join(',')}'`,
      `the header row must name the columns ${required.join(',')}`,
    );
  }
  return positions;
}

/**
 * Streams a file line by line. The first line is the header (its BOM removed) and is returned;
 * the sink receives each following line with its 1-based line number. A final empty line (the
 * file's trailing newline) is not a record; any other empty line is passed on, to be reported.
 */
export async function scanCsvFile(path: string, file: string, encoding: CsvEncoding, sink: CsvRecordSink): Promise<string[]> {
  const decoder = new TextDecoder(encoding, { fatal: false });
  let header: string[] | null = null;
  let pending = '';
  let line = 0;
  let stopped = false;
  const take = (text: string) => {
    line++;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (header === null) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const fields = splitCsvLine(text);
      if (fields === null || text.length === 0) throw new FileError(file, 1, 'the header row is missing or malformed', 'the first line must name the columns');
      header = fields;
      stopped = sink.header(fields) === false;
      return;
    }
    sink.record(splitCsvLine(text), line, text);
  };
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      const text = pending + decoder.decode(chunk as Buffer, { stream: true });
      let start = 0;
      let newline = text.indexOf('\n', start);
      while (newline >= 0 && !stopped) {
        take(text.slice(start, newline));
        start = newline + 1;
        newline = text.indexOf('\n', start);
      }
      if (stopped) {
        stream.destroy();
        return header!;
      }
      pending = text.slice(start);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new FileError(file, null, `cannot read ${path}: no such file`, 'check the path given on the command line');
    throw error;
  }
  pending += decoder.decode();
  if (pending.length > 0 && pending !== '\r') take(pending);
  if (header === null) throw new FileError(file, 1, 'the file is empty', 'the first line must name the columns');
  return header;
}

/** The header's fields alone, read without scanning the rest of the file. */
export function readCsvHeader(path: string, file: string, encoding: CsvEncoding): Promise<string[]> {
  return scanCsvFile(path, file, encoding, { header: () => false, record: () => undefined });
}
