// The few better-sqlite3 calls the outbox uses (the package ships no types and @types is not
// installed in this workspace).
declare module 'better-sqlite3' {
  namespace Database {
    interface RunResult {
      changes: number;
      lastInsertRowid: number | bigint;
    }
    interface Statement {
      run(...params: unknown[]): RunResult;
      get(...params: unknown[]): unknown;
      all(...params: unknown[]): unknown[];
    }
    interface Database {
      prepare(sql: string): Statement;
      exec(sql: string): this;
      pragma(source: string): unknown;
      transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
      close(): this;
    }
  }
  const Database: new (
    filename: string,
    options?: { readonly?: boolean; fileMustExist?: boolean },
  ) => Database.Database;
  export default Database;
}
