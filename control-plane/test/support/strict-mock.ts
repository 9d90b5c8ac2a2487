// A strict auto-mock: every method must be stubbed by the test; calling one that was not fails
// the test at once, so a unit test states every collaboration it relies on.
export type Stubs<T> = { [K in keyof T]?: T[K] };

export function strictMock<T extends object>(name: string, stubs: Stubs<T> = {}): T {
  return new Proxy(stubs as T, {
    get(target, property) {
      if (property === 'then') return undefined; // not a thenable
      if (property in target) return (target as Record<PropertyKey, unknown>)[property];
      return () => {
        throw new Error(`${name}.${String(property)} was called but not stubbed`);
      };
    },
  });
}
