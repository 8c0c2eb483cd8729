/** A small key-value cache with TTL: Redis in distributed mode, a bounded LRU in embedded mode. */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}
