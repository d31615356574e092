type Task = () => Promise<void>;

const tasks = new Set<Task>();

/**
 * Work that must happen while the session still works, e.g. releasing a held lock.
 * Features register here; signing out awaits them before the token is revoked.
 */
export function registerBeforeSignOut(task: Task): () => void {
  tasks.add(task);
  return () => void tasks.delete(task);
}

/** Runs every registered task, each given at most `timeoutMs`; failures do not stop signing out. */
export async function runBeforeSignOut(timeoutMs = 3_000): Promise<void> {
  await Promise.allSettled(
    [...tasks].map((task) =>
      Promise.race([task(), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]),
    ),
  );
}
