import type { Watch } from '@kubernetes/client-node';

/** How long to wait before watching again when the server ends a watch. */
const REWATCH_DELAY_MS = 200;

export interface Listed<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface ListWatchOptions<T> {
  watch: Watch;
  /** The collection's path, e.g. /api/v1/namespaces/x/pods. */
  path: string;
  labelSelector: string;
  list: () => Promise<Listed<T>>;
  /** After each list, with the objects replaced. */
  onListed: () => void;
  /** After each change a watch event made. */
  onChange: () => void;
  onListFailed: (error: unknown) => void;
  /** Runs an action later, on a timer its owner clears when it stops. */
  later: (action: () => void, ms: number) => void;
}

/**
 * One kind of object, kept current: listed, then watched from the list's resourceVersion, and
 * listed and watched again whenever the server ends the watch or says it is too old (410).
 */
export class ListWatch<T extends { metadata?: { name?: string } }> {
  readonly objects = new Map<string, T>();
  private generation = 0;
  private current: Promise<AbortController | undefined> | undefined;
  private stopped = false;

  constructor(private readonly options: ListWatchOptions<T>) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const generation = (this.generation += 1);
    let resourceVersion: string | undefined;
    try {
      const listed = await this.options.list();
      this.objects.clear();
      for (const item of listed.items) this.objects.set(item.metadata?.name ?? '', item);
      resourceVersion = listed.metadata?.resourceVersion;
    } catch (error) {
      this.options.onListFailed(error);
      return;
    }
    if (this.isStopped() || this.generation !== generation) return;
    this.options.onListed();
    if (this.isStopped()) return;
    this.current = this.options.watch
      .watch(
        this.options.path,
        {
          labelSelector: this.options.labelSelector,
          allowWatchBookmarks: true,
          ...(resourceVersion ? { resourceVersion } : {}),
        },
        (type: string, object: unknown) => {
          this.onEvent(type, object);
        },
        () => {
          // The server ended the watch (or it failed): list and watch again, unless stopped.
          if (this.stopped || this.generation !== generation) return;
          this.options.later(() => void this.start(), REWATCH_DELAY_MS);
        },
      )
      .catch(() => undefined);
  }

  /** Closes the watch, as soon as it is open if it is still connecting. */
  stop(): void {
    this.stopped = true;
    void this.current?.then((opened) => opened?.abort());
  }

  private onEvent(type: string, object: unknown): void {
    if (this.stopped) return;
    if (type === 'ERROR') {
      // e.g. 410 Gone: the resourceVersion is too old. List afresh and watch again.
      this.generation += 1;
      void this.current?.then((opened) => opened?.abort());
      this.options.later(() => void this.start(), REWATCH_DELAY_MS);
      return;
    }
    if (type === 'BOOKMARK') return;
    // Watch events carry the object as the API's JSON; the fields read are plain values.
    const item = object as T;
    const name = item.metadata?.name ?? '';
    if (type === 'DELETED') this.objects.delete(name);
    else this.objects.set(name, item);
    this.options.onChange();
  }

  /** Read through a call: it changes while a request is awaited. */
  private isStopped(): boolean {
    return this.stopped;
  }
}
