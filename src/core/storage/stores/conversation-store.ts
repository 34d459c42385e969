import type { Database, Statement } from 'better-sqlite3';
import type { Conversation } from '../../../shared/domain/conversation';
import { NotFoundError } from '../../../shared/errors';
import type { Redactor } from '../../redaction/redactor';

interface ConversationRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
}

/** The one way to say a conversation is not there (deleted, or never was). */
export function conversationNotFound(id: string): NotFoundError {
  return new NotFoundError(`There is no conversation with id ${id}. It may have been deleted.`);
}

const toConversation = (row: ConversationRow): Conversation => ({
  id: row.id,
  title: row.title,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class ConversationStore {
  private readonly insertStatement: Statement;
  private readonly listStatement: Statement<[], ConversationRow>;
  private readonly getStatement: Statement<[string], ConversationRow>;
  private readonly touchStatement: Statement;
  private readonly renameStatement: Statement;

  /** `redactor` masks secrets in titles (a title is taken from the first message). */
  constructor(db: Database, private readonly redactor?: Redactor) {
    this.insertStatement = db.prepare(
      'INSERT INTO conversations (id, title, created_at, updated_at) VALUES (@id, @title, @createdAt, @updatedAt)',
    );
    this.listStatement = db.prepare('SELECT * FROM conversations ORDER BY updated_at DESC, rowid DESC');
    this.getStatement = db.prepare('SELECT * FROM conversations WHERE id = ?');
    this.touchStatement = db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?');
    this.renameStatement = db.prepare('UPDATE conversations SET title = ? WHERE id = ?');
  }

  create(conversation: Conversation): Conversation {
    const { id, title, createdAt, updatedAt } = conversation;
    const stored = { ...conversation, title: this.redactor ? this.redactor.redactText(title) : title };
    this.insertStatement.run({ id, title: stored.title, createdAt, updatedAt });
    return stored;
  }

  list(): Conversation[] {
    return this.listStatement.all().map(toConversation);
  }

  get(id: string): Conversation {
    const row = this.getStatement.get(id);
    if (!row) throw conversationNotFound(id);
    return toConversation(row);
  }

  touch(id: string, at: number): void {
    this.touchStatement.run(at, id);
  }

  rename(id: string, title: string): void {
    this.renameStatement.run(this.redactor ? this.redactor.redactText(title) : title, id);
  }
}
