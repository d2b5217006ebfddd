// What the server is busy with, from LSP work-done progress (indexing,
// snippet tests) and from the extension's own in-flight LLM commands; the
// status-bar item renders `Activity.summary()`.

export type ProgressValue =
  | { kind: "begin"; title: string; message?: string; percentage?: number }
  | { kind: "report"; message?: string; percentage?: number }
  | { kind: "end"; message?: string };

interface Task {
  title: string;
  message?: string;
  percentage?: number;
}

export class Activity {
  private tasks = new Map<string, Task>();
  private nextLocal = 0;

  constructor(private readonly changed: () => void = () => {}) {}

  /** Applies one `$/progress` value for `token`. */
  progress(token: string | number, value: ProgressValue): void {
    const key = `server:${token}`;
    if (value.kind === "begin") {
      this.tasks.set(key, { title: value.title, message: value.message, percentage: value.percentage });
    } else if (value.kind === "report") {
      const task = this.tasks.get(key);
      if (!task) {
        return;
      }
      task.message = value.message ?? task.message;
      task.percentage = value.percentage ?? task.percentage;
    } else {
      this.tasks.delete(key);
    }
    this.changed();
  }

  /** Shows `title` while `work` runs. */
  async during<T>(title: string, work: () => Promise<T>): Promise<T> {
    const key = `local:${this.nextLocal++}`;
    this.tasks.set(key, { title });
    this.changed();
    try {
      return await work();
    } finally {
      this.tasks.delete(key);
      this.changed();
    }
  }

  /** Forgets everything (the server stopped). */
  clear(): void {
    this.tasks.clear();
    this.changed();
  }

  /** One line for the status bar, or undefined when idle. */
  summary(): string | undefined {
    const tasks = [...this.tasks.values()];
    if (tasks.length === 0) {
      return undefined;
    }
    const first = tasks[0];
    let text = first.title;
    if (first.message) {
      text += `: ${first.message}`;
    }
    if (first.percentage !== undefined) {
      text += ` (${Math.round(first.percentage)}%)`;
    }
    return tasks.length > 1 ? `${text} (+${tasks.length - 1})` : text;
  }
}
