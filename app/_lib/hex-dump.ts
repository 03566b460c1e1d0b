export const HEX_DUMP_LIMIT = 64 * 1024;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** `00000010  7b 22 69 64 …  |{"id…|`: offset, 16 bytes in hex, the printable ASCII (others as dots). */
export function hexDump(bytes: Uint8Array, limit = HEX_DUMP_LIMIT): string {
  const end = Math.min(bytes.length, limit);
  const lines: string[] = [];
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    let hexPart = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const byte = row[i];
      hexPart += (byte === undefined ? '  ' : hex(byte, 2)) + (i === 7 ? '  ' : ' ');
      if (byte !== undefined) ascii += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
    }
    lines.push(`${hex(offset, 8)}  ${hexPart} |${ascii}|`);
  }
  return lines.join('\n');
}

export function hexPreview(bytes: Uint8Array, max = 24): string {
  const shown = Array.from(bytes.subarray(0, max), (b) => hex(b, 2)).join(' ');
  return bytes.length > max ? `${shown} …` : shown;
}
