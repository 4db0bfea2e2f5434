/**
 * Wraps every line longer than `width` at spaces (or anywhere when a word is longer than the line),
 * continuing under the line's indentation plus four spaces. Without a width the text is unchanged.
 */
export function fitWidth(text: string, width: number | undefined): string {
  if (!width || width < 20) return text;
  return text.split('\n').flatMap((line) => wrapLine(line, width)).join('\n');
}

function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = `${/^\s*/.exec(line)![0]}    `.slice(0, Math.floor(width / 2));
  const out: string[] = [];
  let rest = line;
  let prefix = '';
  while ((prefix + rest).length > width) {
    const room = width - prefix.length;
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= 0) cut = room;
    out.push((prefix + rest.slice(0, cut)).trimEnd());
    rest = rest.slice(cut).trimStart();
    prefix = indent;
  }
  if (rest.length > 0) out.push(prefix + rest);
  return out;
}
