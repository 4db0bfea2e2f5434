import { CheckResult, FindingLevel, ICheckRule } from '../check-rule';
import { PolicyView } from '../policy-view';
import { openIngressResults } from '../private/open-ingress';

/**
 * MS-DB-OPEN (error): no ingress from any address (`0.0.0.0/0`, `::/0`, the Azure `Internet` tag)
 * on a database port (PostgreSQL 5432, MySQL 3306, SQL Server 1433, Oracle 1521, MongoDB 27017,
 * Redis 6379). A port range that includes one counts.
 */
export class MsDbOpen implements ICheckRule {
  /** Rule id. */
  public readonly id = 'MS-DB-OPEN';
  /** Findings fail synthesis. */
  public readonly level = FindingLevel.ERROR;
  /** What the rule requires. */
  public readonly description = 'No ingress from any address (0.0.0.0/0, ::/0) on database ports (5432, 3306, 1433, 1521, 27017, 6379).';

  /** Checks every flow towards a segment or workload. */
  public check(view: PolicyView): CheckResult[] {
    return openIngressResults(this, view, [
      { protocol: 'tcp', port: 5432, name: 'PostgreSQL' },
      { protocol: 'tcp', port: 3306, name: 'MySQL' },
      { protocol: 'tcp', port: 1433, name: 'SQL Server' },
      { protocol: 'tcp', port: 1521, name: 'Oracle' },
      { protocol: 'tcp', port: 27017, name: 'MongoDB' },
      { protocol: 'tcp', port: 6379, name: 'Redis' },
    ], 'a database port', 'Allow it only from the application segment that uses the database, for example db.allowFrom(api, Port.POSTGRES).');
  }
}
