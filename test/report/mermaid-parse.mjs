// Parses the Mermaid diagram on standard input with the mermaid package's own parser (the grammar
// the renderers use). The parser sanitizes labels with DOMPurify, which needs a DOM: jsdom gives it
// one under Node. Prints {"ok":true,"diagramType":...} or {"ok":false,"error":...}.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

let text = '';
for await (const chunk of process.stdin) text += chunk;
try {
  const result = await mermaid.parse(text);
  process.stdout.write(JSON.stringify({ ok: true, diagramType: result.diagramType }));
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: String(error?.message ?? error) }));
}
