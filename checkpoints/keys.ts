/** One checkpoint's key in maps: thread, namespace and id. */
export function rowKey(threadId: string, checkpointNs: string, checkpointId: string): string {
  return `${threadId}\u0000${checkpointNs}\u0000${checkpointId}`;
}
