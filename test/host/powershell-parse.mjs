// Parses PowerShell scripts with the PowerShell tree-sitter grammar (an ES module with top-level
// await, so it runs in a process of its own) and prints, per file, "parses" or the positions of the
// syntax errors. Exit code 1 when any file has an error.
import fs from 'fs';
import Parser from 'tree-sitter';
import PowerShell from 'tree-sitter-powershell';

const parser = new Parser();
parser.setLanguage(PowerShell);
let failed = false;
for (const file of process.argv.slice(2)) {
  const tree = parser.parse(fs.readFileSync(file, 'utf8'));
  const errors = [];
  const walk = (node) => {
    if (node.type === 'ERROR' || node.isMissing) errors.push(`${node.startPosition.row + 1}:${node.startPosition.column + 1}`);
    for (const child of node.children) walk(child);
  };
  walk(tree.rootNode);
  failed ||= tree.rootNode.hasError;
  process.stdout.write(`${file}: ${tree.rootNode.hasError ? `syntax errors at ${errors.join(' ')}` : 'parses'}\n`);
}
process.exit(failed ? 1 : 0);
