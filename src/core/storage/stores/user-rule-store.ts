import type { Database, Statement } from 'better-sqlite3';
import { ArgMatcherSchema, type ArgMatcher, type UserRule } from '../../../shared/domain/policy';
import { z } from 'zod';

interface Row {
  id: string;
  tool_name: string;
  server: string | null;
  args_json: string;
  reason: string;
  created_at: number;
  disabled_note: string | null;
}

const ArgsSchema = z.record(z.string(), ArgMatcherSchema);

/** "Always allow" rules the person created; revoking keeps the row (with when) so the audit can point at it. */
export class UserRuleStore {
  private readonly insertStatement: Statement;
  private readonly listStatement: Statement<[], Row>;
  private readonly revokeStatement: Statement;

  constructor(db: Database) {
    this.insertStatement = db.prepare(
      'INSERT INTO policy_user_rules (id, tool_name, server, args_json, reason, created_at, approval_id) VALUES (@id, @tool, @server, @args, @reason, @createdAt, @approvalId)',
    );
    this.listStatement = db.prepare('SELECT * FROM policy_user_rules WHERE revoked_at IS NULL ORDER BY created_at, id');
    this.revokeStatement = db.prepare('UPDATE policy_user_rules SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  }

  insert(rule: UserRule, approvalId: string | null): void {
    this.insertStatement.run({ id: rule.id, tool: rule.tool, server: rule.server, args: JSON.stringify(rule.args), reason: rule.reason, createdAt: rule.createdAt, approvalId });
  }

  /**
   * Rules not revoked, those Portcullis turned off (`disabled`) included, so the person sees why; a row whose stored
   * pattern no longer validates is skipped (it could only widen nothing).
   */
  list(): UserRule[] {
    return this.listStatement.all().flatMap((row) => {
      const args = ArgsSchema.safeParse(JSON.parse(row.args_json));
      if (!args.success) return [];
      const rule: UserRule = { id: row.id, tool: row.tool_name, server: row.server, args: args.data as Record<string, ArgMatcher>, reason: row.reason, createdAt: row.created_at };
      return [row.disabled_note ? { ...rule, disabled: row.disabled_note } : rule];
    });
  }

  revoke(id: string, at: number): boolean {
    return this.revokeStatement.run(at, id).changes === 1;
  }
}
