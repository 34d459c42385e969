import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareDataFolder } from '../../core/config/data-paths';
import { chosenWorkspace, resolveWorkspace } from '../../core/config/workspace-choice';
import { AuditLog } from '../../core/audit/audit-log';
import { GovernedPolicy } from '../../core/policy/governed-policy';
import { parsePolicy } from '../../core/policy/policy-parser';
import { explainDecision } from '../../core/policy/policy-explainer';
import { PolicySource } from '../../core/policy/policy-source';
import { systemClock } from '../../core/clock';
import { openDatabase } from '../../core/storage/database';
import { ConversationGrantStore } from '../../core/storage/stores/conversation-grant-store';
import { SettingsStore } from '../../core/storage/stores/settings-store';
import { UserRuleStore } from '../../core/storage/stores/user-rule-store';
import { builtinFsTools } from '../../core/tools/builtin-fs-tools';
import { counted } from '../../shared/counted';
import { PolicyExplainInputSchema, type PolicyExplanation } from '../../shared/domain/policy';
import { CliUsageError, type CommandContext } from '../command';
import { besideRunningPortcullis } from '../running-portcullis';
import { hasStoredData } from '../stored-data';
import { noteThrough, serversOfTool, withRuntime } from './tools';

export const policyHelp = `portcullis policy check FILE [--json]
  Validates a policy file; each problem is printed with its line and what is wrong (exit 1).
portcullis policy explain --tool T [--args JSON] [--server S] [--intent I --confidence C] [--tainted] [--json]
    [--data-dir D] [--workspace W]
  Prints the decision for a call, the rule that decided and why, under the policy in the data folder (beside a
  running Portcullis, that one's decision: its servers, workspace and rules). An allow also says what a
  conversation that read untrusted content meets instead (ASK by taint.override).
portcullis policy rules [--json] [--data-dir D] · portcullis policy revoke RULE_ID [--data-dir D]
  Lists the "always allow" rules you created, or revokes one (a running Portcullis stops applying it within a second).`;

export async function policyCommand(context: CommandContext): Promise<number> {
  const [sub, ...rest] = context.positionals;
  if (sub === 'check') return check(rest[0], context);
  if (sub === 'explain') {
    const input = explainInput(context);
    // Beside a running Portcullis its judgement is the one that holds: its servers, workspace and rules (and no second copy of a server).
    const beside = besideRunningPortcullis(context.values['data-dir']);
    if (beside.kind === 'reachable') {
      noteThrough(context, beside.api, 'the decision shown is its own');
      return explainAndPrint((asked) => beside.api.call<PolicyExplanation>('policy.explain', asked), input, context);
    }
    if (builtinFsTools.some((tool) => tool.name === input.tool)) {
      return withPolicy(context, (policy, source) => {
        const explain = (asked: ExplainInput) => explainDecision(policy, asked, (name) => builtinFsTools.find((t) => t.name === name), source);
        return printExplanation(explain(input), context, taintedDecision(explain, input, context));
      });
    }
    // Any other tool (memory.*, http.fetch, an MCP server's) is judged as the app judges it: with its servers
    // started, so that what the tool declares and whether its server is sandboxed count.
    return withRuntime(context, 'none', async (runtime) => explainAndPrint((asked) => runtime.handlers['policy.explain'](asked), input, context), serversOfTool(input.tool));
  }
  if (sub === 'rules') {
    if (rest.length > 0) throw new CliUsageError('policy rules takes no names: it lists every "always allow" rule.');
    // A folder with no database yet has no rules, and a listing makes none (nor the folder: a mistyped --data-dir).
    if (!hasStoredData(context.values['data-dir'])) return printRules([], context);
    return withPolicy(context, (policy) => printRules(policy.status().userRules, context));
  }
  if (sub === 'revoke') {
    const id = rest[0];
    if (!id) throw new CliUsageError('Name the rule to revoke: portcullis policy revoke RULE_ID (see portcullis policy rules).');
    return withPolicy(context, (policy) => {
      const revoked = policy.revokeRule(id);
      // The database is the rules' one place: a Portcullis running on the folder reads them again before its next decision.
      context.out(revoked ? `Revoked ${id}. A Portcullis running on this data folder stops applying it within a second.` : `No active rule ${id}: \`portcullis policy rules\` lists their ids.`);
      return revoked ? 0 : 1;
    });
  }
  throw new CliUsageError(sub ? `Unknown policy command "${sub}"; use "check", "explain", "rules" or "revoke".` : 'Say "policy check FILE", "policy explain --tool T", "policy rules" or "policy revoke RULE_ID".');
}

function check(file: string | undefined, { values, out }: CommandContext): number {
  if (!file) throw new CliUsageError('Name the policy file: portcullis policy check FILE.');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    out(values.json ? JSON.stringify({ ok: false, errors: [(error as Error).message] }) : `Cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const result = parsePolicy(text, file);
  if (values.json) out(JSON.stringify(result.ok ? { ok: true, rules: result.policy.rules.length } : result));
  else out(result.ok ? `${file} is a valid policy with ${counted(result.policy.rules.length, 'rule')}.` : result.errors.join('\n'));
  return result.ok ? 0 : 1;
}

function printRules(rules: ReturnType<GovernedPolicy['status']>['userRules'], { values, out }: CommandContext): number {
  if (values.json) out(JSON.stringify(rules));
  else if (rules.length === 0) out('No "always allow" rules.');
  else for (const rule of rules) out(`${rule.id}  ${rule.tool}  ${JSON.stringify(rule.args)}${rule.disabled ? `  (off) ${rule.disabled}` : ''}`);
  return 0;
}

function withPolicy(context: CommandContext, run: (policy: GovernedPolicy, source: PolicySource) => number): number {
  const { dataDir, databaseFile } = prepareDataFolder(context.values['data-dir']);
  const db = openDatabase(databaseFile);
  try {
    // `${workspace}` in the policy is the workspace the app would use: the flag, else the one chosen in Settings.
    const workspace = resolveWorkspace({ flag: context.values.workspace, chosen: chosenWorkspace(new SettingsStore(db)), dataDir }).path;
    const source = new PolicySource({ file: join(dataDir, 'policy.yaml'), workspace });
    const policy = new GovernedPolicy({ source, grants: new ConversationGrantStore(db), userRules: new UserRuleStore(db), audit: new AuditLog(db), clock: systemClock });
    return run(policy, source);
  } finally {
    db.close();
  }
}

function explainInput({ values }: CommandContext): ReturnType<typeof PolicyExplainInputSchema.parse> {
  if (!values.tool) throw new CliUsageError('Name the tool: --tool fs.write.');
  let args: unknown = {};
  const notAnObject = new CliUsageError(`--args must be a JSON object, e.g. '{"path":"notes/a.md"}', not ${values.args}.`);
  if (values.args !== undefined) {
    try {
      args = JSON.parse(values.args);
    } catch {
      throw notAnObject;
    }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw notAnObject;
  }
  const confidence = values.confidence === undefined ? undefined : Number(values.confidence);
  // Said in the option's words, not the schema's ("confidence: Invalid input: expected number, received NaN").
  if (confidence !== undefined && !(values.confidence!.trim() !== '' && confidence >= 0 && confidence <= 1)) {
    throw new CliUsageError(`--confidence takes a number from 0 to 1, as \`portcullis route\` prints it, not "${values.confidence}".`);
  }
  const parsed = PolicyExplainInputSchema.safeParse({
    tool: values.tool,
    arguments: args,
    ...(values.server ? { server: values.server } : {}),
    ...(values.intent ? { intent: values.intent } : {}),
    ...(confidence !== undefined ? { confidence } : {}),
    ...(values.tainted ? { tainted: true } : {}),
  });
  if (!parsed.success) throw new CliUsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  return parsed.data;
}

type ExplainInput = ReturnType<typeof PolicyExplainInputSchema.parse>;

async function explainAndPrint(explain: (input: ExplainInput) => Promise<PolicyExplanation>, input: ExplainInput, context: CommandContext): Promise<number> {
  const result = await explain(input);
  return printExplanation(result, context, result.decision.effect === 'allow' ? await taintedDecision(explain, input, context) : null);
}

/**
 * What the call would meet in a conversation that read untrusted content (a web page, any MCP server's output), for an
 * allow that it turns into ask: an "Always allow" rule explained as ALLOW, then met as ask by a script's call in its
 * tainted conversation of the day, read as the rule not working. Only in words (--json is the one decision asked),
 * and not when --tainted asked for that already.
 */
function taintedDecision<T extends PolicyExplanation | Promise<PolicyExplanation>>(explain: (input: ExplainInput) => T, input: ExplainInput, { values }: CommandContext): T | null {
  return values.json || input.tainted ? null : explain({ ...input, tainted: true });
}

function printExplanation(result: PolicyExplanation, { values, out }: CommandContext, tainted: PolicyExplanation | null = null): number {
  if (values.json) out(JSON.stringify(result));
  else {
    out(`${result.decision.effect.toUpperCase()} by ${result.decision.ruleId}: ${result.decision.reason}`);
    if (result.decision.effect === 'allow' && tainted && tainted.decision.effect !== 'allow') {
      out(`In a conversation that read untrusted content (a web page, an MCP server's output): ${tainted.decision.effect.toUpperCase()} by ${tainted.decision.ruleId} (--tainted shows why).`);
    }
    out(`tool ${result.tool} (${result.known ? 'as it declares itself' : 'unknown here: judged as declaring nothing'}; ${result.classes.join(', ')}) · policy ${result.policySource}`);
    if (result.policyError) out(result.policyError);
  }
  return 0;
}
