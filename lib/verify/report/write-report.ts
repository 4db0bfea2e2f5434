import * as fs from 'fs';
import * as path from 'path';
import { explainCells } from './cell-explanations';
import { formatMatrixHtml } from './matrix-html';
import { formatMermaid } from './mermaid';
import { formatReportMarkdown } from './summary-markdown';
import { EvaluateOptions } from '../evaluate';
import { TerraformModel } from '../model/terraform-model';
import { segmentMatrix } from '../segment-matrix';

/** The files `microseg report` writes, by name. */
export interface ReportFiles {
  /** `report.md`: the Markdown summary with the diagram embedded. */
  readonly 'report.md': string;
  /** `flows.mmd`: the Mermaid flowchart. */
  readonly 'flows.mmd': string;
  /** `matrix.html`: the self-contained page. */
  readonly 'matrix.html': string;
}

/** Builds the report of a synthesized app: Markdown summary, Mermaid diagram, HTML matrix with explanations. */
export function buildReport(model: TerraformModel, options: EvaluateOptions = {}, progress?: (done: number, total: number) => void): ReportFiles {
  const matrix = segmentMatrix(model, options, { progress: progress && ((done, total) => progress(done, 2 * total)) });
  const explanations = explainCells(model, matrix, options, progress && ((done, total) => progress(total + done, 2 * total)));
  const mermaid = formatMermaid(matrix);
  return {
    'report.md': formatReportMarkdown(matrix, mermaid),
    'flows.mmd': mermaid,
    'matrix.html': formatMatrixHtml(matrix, explanations),
  };
}

/** Writes the report files into `dir` (created if missing) and returns their paths. */
export function writeReport(files: ReportFiles, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
