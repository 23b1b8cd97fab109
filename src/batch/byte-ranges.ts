import { open } from 'node:fs/promises';
import { splitCsvLine, type CsvEncoding } from '../io/csv-scan.ts';

/**
 * Splitting a large CSV file into byte ranges that threads scan independently. A range always
 * starts just after a newline and ends just after one (or at the end of the file), so no line is
 * cut. This is safe for UTF-8 and GB18030 alike: byte 0x0A never occurs inside a multi-byte
 * character of either encoding.
 */
export interface ByteRange {
  start: number;
  end: number;
}

export async function splitAtNewlines(path: string, size: number, targetBytes: number): Promise<ByteRange[]> {
  const count = Math.max(1, Math.ceil(size / targetBytes));
  const handle = await open(path, 'r');
  try {
    const cuts = [0];
    const probe = Buffer.alloc(64 * 1024);
    for (let i = 1; i < count; i++) {
      let position = Math.max(Math.floor((size * i) / count), cuts.at(-1)!);
      let cut = -1;
      while (cut < 0 && position < size) {
        const { bytesRead } = await handle.read(probe, 0, probe.length, position);
        if (bytesRead === 0) break;
        const newline = probe.subarray(0, bytesRead).indexOf(10);
        if (newline >= 0) cut = position + newline + 1;
        position += bytesRead;
      }
      if (cut < 0 || cut >= size) break;
      if (cut > cuts.at(-1)!) cuts.push(cut);
    }
    cuts.push(size);
    return cuts.slice(0, -1).map((start, i) => ({ start, end: cuts[i + 1]! }));
  } finally {
    await handle.close();
  }
}

/**
 * Investor ids read from evenly spaced samples of the file, to choose partition boundaries that
 * give partitions of similar size. Only the balance of the work depends on the sample, never the
 * result.
 */
export async function sampleInvestors(path: string, size: number, encoding: CsvEncoding, investorColumn: number, samples: number): Promise<string[]> {
  const handle = await open(path, 'r');
  const found: string[] = [];
  try {
    const buffer = Buffer.alloc(16 * 1024);
    for (let i = 0; i < samples; i++) {
      const position = Math.floor((size * i) / samples);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      const lines = new TextDecoder(encoding).decode(buffer.subarray(0, bytesRead)).split('\n');
      // The first piece may be a partial line and the last one too.
      for (const text of lines.slice(1, -1)) {
        const investor = splitCsvLine(text.replace(/\r$/, ''))?.[investorColumn];
        if (investor) found.push(investor);
      }
    }
  } finally {
    await handle.close();
  }
  return found;
}
