// The durable local outbox: every result message is written here first and deleted only after
// the broker acknowledged it, so a crash, a restart or a broker outage loses nothing. One
// SQLite file in the state directory, WAL mode, rows read back in insertion order.
import Database from 'better-sqlite3';

export interface OutboxRow {
  seq: number;
  topic: string;
  key: string;
  /** The encoded envelope (contracts `encodeEnvelope`). */
  value: Buffer;
  messageId: string;
  createdAt: string;
}

export type NewOutboxRow = Omit<OutboxRow, 'seq'>;

export interface OutboxStore {
  append(row: NewOutboxRow): number;
  /** The oldest `limit` undelivered rows, oldest first. */
  peek(limit: number): OutboxRow[];
  markDelivered(seqs: readonly number[]): void;
  depth(): number;
  close(): void;
}

interface RawRow {
  seq: number;
  topic: string;
  msg_key: string;
  value: Buffer;
  message_id: string;
  created_at: string;
}

export class SqliteOutboxStore implements OutboxStore {
  readonly #db: Database.Database;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    // FULL: a row the runner was told is durable survives a power cut, not just a crash.
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(`CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      topic TEXT NOT NULL,
      msg_key TEXT NOT NULL,
      value BLOB NOT NULL,
      message_id TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    )`);
  }

  append(row: NewOutboxRow): number {
    const result = this.#db
      .prepare('INSERT INTO outbox (topic, msg_key, value, message_id, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(row.topic, row.key, row.value, row.messageId, row.createdAt);
    return Number(result.lastInsertRowid);
  }

  peek(limit: number): OutboxRow[] {
    const rows = this.#db
      .prepare('SELECT seq, topic, msg_key, value, message_id, created_at FROM outbox ORDER BY seq LIMIT ?')
      .all(limit) as RawRow[];
    return rows.map((raw) => ({
      seq: raw.seq,
      topic: raw.topic,
      key: raw.msg_key,
      value: raw.value,
      messageId: raw.message_id,
      createdAt: raw.created_at,
    }));
  }

  markDelivered(seqs: readonly number[]): void {
    const remove = this.#db.prepare('DELETE FROM outbox WHERE seq = ?');
    this.#db.transaction((all: readonly number[]) => {
      for (const seq of all) remove.run(seq);
    })(seqs);
  }

  depth(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
  }

  close(): void {
    this.#db.close();
  }
}
