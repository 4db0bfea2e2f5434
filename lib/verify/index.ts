/**
 * Offline reachability evaluation of synthesized Terraform JSON: load `cdktf.out`, ask whether a flow
 * is allowed with each platform's real semantics, explain the verdict, and build the segment matrix.
 * The jest matchers live in `./jest` (a side-effect import).
 */
export { VerifyInputError } from './errors';
export { loadTerraform, loadTerraformStacks } from './model/load-terraform';
export type { TerraformModel, TerraformResource, StackDocument } from './model/terraform-model';
export { evaluate } from './evaluate';
export type { EvaluateOptions, FlowQuery } from './evaluate';
export type { Verdict, PathVerdict } from './verdict';
export type { LayerVerdict, DecidingRule, LayerId, PointStatus } from './layers/layer-verdict';
export type { EndpointInput, PeerLike } from './estate/endpoints';
export { parseFlowPort, formatFlowPort } from './net/port-query';
export type { FlowPort, FlowProtocol } from './net/port-query';
export { formatVerdict } from './format-verdict';
export { segmentMatrix } from './segment-matrix';
export type { SegmentMatrix, MatrixCell } from './segment-matrix';
export { formatMatrix } from './format-matrix';
export { formatVerdictSummary } from './format-verdict';
export type { MatrixEndpoint, MatrixView } from './segment-matrix';
export type { MatrixFilter } from './matrix-filter';
export { diffReachability } from './diff/reachability-diff';
export type { ReachabilityDiff, ReachabilityChange, ResponsibleRule, DiffLevel, DiffOptions, ProgressSink } from './diff/reachability-diff';
export type { ResourceChangeCounts } from './diff/resource-changes';
export { changeImpact, formatChangeImpact } from './diff/change-impact';
export type { ChangeImpact, StackPlan, PlannedResourceChange, PlannedAction, InterruptedTraffic, DuplicateFailure } from './diff/change-impact';
export { formatDiff, formatDiffMarkdown } from './diff/format-diff';
export { buildReport, writeReport } from './report/write-report';
export type { ReportFiles } from './report/write-report';
export { formatMermaid } from './report/mermaid';
export { describeExternalGroup } from './estate/external-group-members';
export type { ExternalGroupMembers } from './estate/external-group-members';
