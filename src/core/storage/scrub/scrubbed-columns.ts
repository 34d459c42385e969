/** A text column that may hold what a person, a model or a server wrote; `json` when it holds JSON text. */
export interface TextColumn {
  name: string;
  json?: boolean;
}

/** A table of one of the two files whose text columns are scrubbed of a secret's value. */
export interface ScrubbedTable {
  file: 'main' | 'traces';
  table: string;
  columns: readonly TextColumn[];
  /** Columns set, in the same write, on a row that was masked (what a masked row needs to say about itself). */
  onMasked?: Readonly<Record<string, string>>;
}

/**
 * Why an "Always allow" rule the scrub masked is off: its pattern held the value, and the masked pattern no longer
 * matches what it was made for. Shown with the rule on the Policies page (and `portcullis policy rules`).
 */
export const RULE_MASKED_NOTE =
  'Turned off: its pattern held the value of a secret stored in your keychain, masked here now, so it no longer matches what it allowed. ' +
  'Revoke it; a new "Always allow…" rule cannot hold a secret\'s value (allow by domain, folder or pattern instead).';

/**
 * Every column that keeps words from a conversation: what was typed, titled, called, returned, denied with a note,
 * remembered, traced. The full-text indexes (`messages_fts`, `memories_fts`, tool results) follow their rows
 * through their update triggers, in the same transaction. Not here: settings (configuration, never a conversation's
 * words), API keys (hashes and a name) and the audit chain (`AUDIT_TABLE`).
 */
export const SCRUBBED_TABLES: readonly ScrubbedTable[] = [
  { file: 'main', table: 'conversations', columns: [{ name: 'title' }] },
  { file: 'main', table: 'messages', columns: [{ name: 'content' }, { name: 'tool_calls_json', json: true }, { name: 'author' }, { name: 'reasoning' }] },
  // The reply a model is streaming, as far as it has come: the next start keeps it as a message if its process ends.
  { file: 'main', table: 'reply_drafts', columns: [{ name: 'content' }, { name: 'reasoning' }] },
  {
    file: 'main', table: 'tool_calls',
    // tool_name: a client (a script, an MCP client, a model) names the tool it asks for, any text.
    columns: [{ name: 'tool_name' }, { name: 'arguments_json', json: true }, { name: 'result_json', json: true }, { name: 'error_message' }, { name: 'decision_reason' }],
  },
  { file: 'main', table: 'approvals', columns: [{ name: 'note' }] },
  { file: 'main', table: 'memories', columns: [{ name: 'content' }, { name: 'taint_source' }] },
  { file: 'main', table: 'taint_sources', columns: [{ name: 'description' }] },
  // What an MCP client sent at initialize (its name, its capabilities), kept to take its /mcp session up after a restart.
  { file: 'main', table: 'mcp_sessions', columns: [{ name: 'initialize_json', json: true }] },
  // The person's "Always allow" rules, made from a call whose arguments held the value: listed on the Policies page.
  // A masked pattern would match something else than what the person allowed, so the rule is also turned off, saying why.
  { file: 'main', table: 'policy_user_rules', columns: [{ name: 'args_json', json: true }, { name: 'reason' }], onMasked: { disabled_note: RULE_MASKED_NOTE } },
  // Spans an older portcullis.db still holds until the next start moves them to traces.db.
  { file: 'main', table: 'spans', columns: [{ name: 'name' }, { name: 'status_message' }, { name: 'attributes_json', json: true }, { name: 'events_json', json: true }] },
  { file: 'traces', table: 'spans', columns: [{ name: 'name' }, { name: 'status_message' }, { name: 'attributes_json', json: true }, { name: 'events_json', json: true }] },
];

/**
 * The audit chain: an entry can hold words a person or a server wrote (a note, a rule's arguments, a resource's URI
 * in a taint source). Its entries are masked through `AuditLog.mask`, which keeps each one's hash and declares the
 * masking on the chain, so `portcullis audit verify` still holds; never by a plain UPDATE, which would read as tampering.
 */
export const AUDIT_TABLE: ScrubbedTable = { file: 'main', table: 'audit_log', columns: [{ name: 'data_json', json: true }] };
