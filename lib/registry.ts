import { TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { DenyFlow } from './deny-flow';
import type { AllowFlow } from './flow';
import { guardAppStacks } from './render/app-wide-validation';
import type { Segment } from './segment';
import type { Workload } from './workload';

/**
 * What a platform renderer hears from the registry. Every event fires once, at construction
 * time, whatever the order of declarations, so renderers can create resources (and cross-stack
 * references) eagerly, which is what cdktf supports.
 */
export interface PlatformRenderer {
  /** A workload joined a segment (explicitly or through a selector). */
  onMembership(workload: Workload, segment: Segment): void;
  /** A flow was declared. */
  onFlow(flow: AllowFlow): void;
  /** A workload was declared. */
  onWorkload(workload: Workload): void;
  /**
   * An enforcement construct was declared in `stack`. It may be another platform's: each renderer
   * looks up its own (`XEnforcement.of(stack)`) and ignores the event when there is none. A stack
   * with enforcements of several platforms fires once per enforcement, so handling must be
   * idempotent. A renderer created after enforcements were declared hears them all first.
   */
  onEnforcement(stack: TerraformStack): void;
  /** A guardrail deny was declared (renderers that can deny render it ahead of every allow). */
  onDenyFlow?(deny: DenyFlow): void;
}

/** Creates the renderer of one platform for an app. */
export type RendererFactory = (registry: PolicyRegistry) => PlatformRenderer;

const REGISTRY = Symbol.for('cdktf-microseg.PolicyRegistry');
const factories: RendererFactory[] = [];

/**
 * The app-wide index of segments, workloads and flows. It resolves membership reactively (a
 * workload declared after a segment still joins it, and the reverse) and forwards every event to
 * the platform renderers.
 */
export class PolicyRegistry {
  /** Registers a renderer factory; renderers of every app created afterwards include it. */
  public static registerRenderer(factory: RendererFactory): void {
    factories.push(factory);
  }

  /** The registry of the app that `scope` belongs to. */
  public static of(scope: IConstruct): PolicyRegistry {
    const root = scope.node.root as any;
    if (!root[REGISTRY]) {
      Object.defineProperty(root, REGISTRY, { value: new PolicyRegistry(), enumerable: false });
    }
    guardAppStacks(scope);
    return root[REGISTRY];
  }

  /** Every segment, in declaration order. */
  public readonly segments: Segment[] = [];
  /** Every workload, in declaration order. */
  public readonly workloads: Workload[] = [];
  /** Every flow, in declaration order. */
  public readonly flows: AllowFlow[] = [];
  /** Every guardrail deny, in declaration order. */
  public readonly denyFlows: DenyFlow[] = [];
  private readonly renderers: PlatformRenderer[] = [];
  private rendererFactoriesSeen = 0;
  /** The stack of every enforcement declared so far, in declaration order, for late renderers. */
  private readonly enforcementStacks: TerraformStack[] = [];
  private readonly memberships = new Map<Segment, Set<Workload>>();

  private constructor() {}

  /** Records a segment and matches it against the workloads that already exist. */
  public addSegment(segment: Segment): void {
    this.segments.push(segment);
    this.memberships.set(segment, new Set());
    for (const workload of this.workloads) {
      if (segment.selects(workload)) this.join(workload, segment);
    }
  }

  /** Records a workload and matches it against the segments that already exist. */
  public addWorkload(workload: Workload): void {
    this.workloads.push(workload);
    for (const renderer of this.allRenderers()) renderer.onWorkload(workload);
    for (const segment of this.segments) {
      if (segment.selects(workload)) this.join(workload, segment);
    }
  }

  /** Records a flow and hands it to every renderer. */
  public addFlow(flow: AllowFlow): void {
    this.flows.push(flow);
    for (const renderer of this.allRenderers()) renderer.onFlow(flow);
  }

  /** Records a guardrail deny and hands it to every renderer that can deny. */
  public addDenyFlow(deny: DenyFlow): void {
    this.denyFlows.push(deny);
    for (const renderer of this.allRenderers()) renderer.onDenyFlow?.(deny);
  }

  /** Tells the renderers that an enforcement construct (of any platform) now exists in `stack`. */
  public addEnforcement(stack: TerraformStack): void {
    const renderers = this.allRenderers();
    this.enforcementStacks.push(stack);
    for (const renderer of renderers) renderer.onEnforcement(stack);
  }

  /** Makes `workload` a member of `segment` (idempotent). */
  public join(workload: Workload, segment: Segment): void {
    const members = this.memberships.get(segment)!;
    if (members.has(workload)) return;
    members.add(workload);
    for (const renderer of this.allRenderers()) renderer.onMembership(workload, segment);
  }

  /** The members of a segment known so far, sorted by construct path. */
  public membersOf(segment: Segment): Workload[] {
    return [...(this.memberships.get(segment) ?? [])].sort((a, b) => compare(a.node.path, b.node.path));
  }

  /** The segments a workload belongs to, sorted by construct path. */
  public segmentsOf(workload: Workload): Segment[] {
    return this.segments.filter((s) => this.memberships.get(s)!.has(workload)).sort((a, b) => compare(a.node.path, b.node.path));
  }

  /**
   * The renderers of the app, creating those whose factories were registered since the last event.
   * A renderer created late first hears every enforcement declared before it existed, so it need
   * not care whether it or the enforcement came first.
   */
  private allRenderers(): PlatformRenderer[] {
    while (this.rendererFactoriesSeen < factories.length) {
      const renderer = factories[this.rendererFactoriesSeen++](this);
      this.renderers.push(renderer);
      for (const stack of this.enforcementStacks) renderer.onEnforcement(stack);
    }
    return this.renderers;
  }
}

/** Locale-independent string comparison, for deterministic ordering. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The stack a construct belongs to. */
export function stackOf(scope: IConstruct): TerraformStack {
  return TerraformStack.of(scope as Construct);
}
