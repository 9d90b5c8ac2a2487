// The part of autocannon's programmatic API that bench/load-autocannon.ts uses (the package
// ships no types; @types/autocannon would be one more dependency for five fields).
declare module 'autocannon' {
  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    /** Stops after this many requests in all (whichever comes first with `duration`). */
    maxOverallRequests?: number;
    headers?: Record<string, string>;
    requests?: AutocannonRequest[];
    /** Replaces `[<id>]` in each request with a fresh unique id. */
    idReplacement?: boolean;
    timeout?: number;
  }
  interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    total: number;
  }
  interface AutocannonResult {
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '1xx': number;
    '2xx': number;
    '3xx': number;
    '4xx': number;
    '5xx': number;
    statusCodeStats?: Record<string, { count: number }>;
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
}
