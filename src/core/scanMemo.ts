/**
 * Reads that more than one collector of the same snapshot needs (the cgroup layout, a cgroup's
 * limit files, a process's command line), done once per snapshot. Collectors of one phase run
 * in parallel, so the memo holds the promise: whoever asks second waits for the first read.
 * A memo lives for one takeSnapshot/refresh only; nothing here outlives a scan.
 */
export class ScanMemo {
  private readonly reads = new Map<string, Promise<unknown>>();

  /** The result of `read` for `key`, reading at most once per memo (a rejection is shared too). */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.reads.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      this.reads.set(key, p);
    }
    return p;
  }
}

/** `read()` through `memo` when there is one (a snapshot in progress), else a plain read. */
export function shared<T>(memo: ScanMemo | undefined, key: string, read: () => Promise<T>): Promise<T> {
  return memo ? memo.once(key, read) : read();
}
