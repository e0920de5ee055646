import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { HearthError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { Entity } from "../registry/types.js";

/**
 * To-do and shopping lists kept by Hearth in its state directory (one JSON file, written
 * atomically after every change). Lists are Home Assistant `todo` entities to the rest of Hearth:
 * "add milk to the groceries list" names the list like any device. Changes are made in memory at
 * once (the act step is synchronous) and written behind, in order; a change whose write failed is
 * written again at the next change or at the flush before shutdown, which fails if it still cannot.
 */

/** An item, in Home Assistant's to-do terms. */
export interface ListItem {
  uid: string;
  summary: string;
  status: "needs_action" | "completed";
}

export interface TodoList {
  /** The list's entity id, e.g. `todo.shopping_list`. */
  id: string;
  name: string;
  items: ListItem[];
}

/** One change of one list, for Hearth's Home Assistant entities. */
export interface ListChange {
  event: "added" | "completed";
  list: TodoList;
  item: ListItem;
}

/** The list Home Assistant's shopping-list intents mean. */
export const SHOPPING_LIST = { id: "todo.shopping_list", name: "Shopping List" } as const;

/** Longest item kept, in characters (what people say in one breath, with room to spare). */
const MAX_ITEM_LENGTH = 200;

export interface ListStoreOptions {
  /** The JSON file (`<state_dir>/lists.json`). */
  file: string;
  log: Logger;
  onChange?: ((change: ListChange) => void) | undefined;
}

export class ListStore {
  readonly #o: ListStoreOptions;
  readonly #lists = new Map<string, TodoList>();
  #writing: Promise<void> = Promise.resolve();
  /** The ids of the lists changed since the file last held them. */
  readonly #unsaved = new Set<string>();
  /** Why the last write failed; undefined once one succeeds. */
  #failure: unknown;

  constructor(options: ListStoreOptions) {
    this.#o = options;
    this.#lists.set(SHOPPING_LIST.id, { ...SHOPPING_LIST, items: [] });
  }

  /**
   * Reads the file. A missing file is an empty store; an unreadable one is set aside (renamed
   * `.broken-<time>`) with a warning, so a bad file never stops Hearth and is never overwritten.
   */
  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.#o.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      return;
    }
    const lists = parseLists(text);
    if (!lists) {
      const aside = `${this.#o.file}.broken-${Date.now()}`;
      await rename(this.#o.file, aside);
      this.#o.log.warn({ file: this.#o.file, aside }, "lists file unreadable; set aside, starting empty");
      return;
    }
    for (const l of lists) this.#lists.set(l.id, l);
  }

  lists(): TodoList[] {
    return [...this.#lists.values()];
  }

  list(id: string): TodoList | undefined {
    return this.#lists.get(id);
  }

  /** The list with this entity id, created empty (named `name`) when new. */
  ensure(id: string, name: string): TodoList {
    let list = this.#lists.get(id);
    if (!list) {
      list = { id, name, items: [] };
      this.#lists.set(id, list);
    }
    return list;
  }

  /** Adds an item (an item already open on the list is not added twice). */
  add(id: string, name: string, summary: string): ListItem {
    const list = this.ensure(id, name);
    const text = clean(summary);
    const open = list.items.find((i) => i.status === "needs_action" && same(i.summary, text));
    if (open) return open;
    const item: ListItem = { uid: randomUUID(), summary: text, status: "needs_action" };
    list.items.push(item);
    this.#changed({ event: "added", list, item });
    return item;
  }

  /** Checks off the open item with this summary; undefined when there is none. */
  complete(id: string, summary: string): ListItem | undefined {
    const list = this.#lists.get(id);
    const item = list?.items.find((i) => i.status === "needs_action" && same(i.summary, clean(summary)));
    if (!list || !item) return undefined;
    item.status = "completed";
    this.#changed({ event: "completed", list, item });
    return item;
  }

  /**
   * Waits until every change so far is on disk. Where a write failed, the file is written once
   * more; if that fails too, rejects (STOP_FAILED) naming the lists whose changes are not saved and
   * the file, so that no change a user asked for is lost without a word.
   */
  async flush(): Promise<void> {
    await this.#writing;
    if (this.#unsaved.size === 0) return;
    this.#writing = this.#writing.then(() => this.#write());
    await this.#writing;
    if (this.#unsaved.size === 0) return;
    const names = [...this.#unsaved].map((id) => this.#lists.get(id)?.name ?? id);
    const reason = this.#failure instanceof Error ? this.#failure.message : String(this.#failure);
    throw new HearthError(
      "STOP_FAILED",
      // The reason is in the message, not a cause: pino's error serializer would say it twice.
      `the changes to ${names.join(", ")} were not saved to ${this.#o.file}: ${reason}`,
    );
  }

  #changed(change: ListChange): void {
    this.#unsaved.add(change.list.id);
    this.#writing = this.#writing.then(() => this.#write());
    this.#o.onChange?.(change);
  }

  async #write(): Promise<void> {
    const tmp = `${this.#o.file}.tmp`;
    try {
      await mkdir(dirname(this.#o.file), { recursive: true });
      // The lists as they are now: what is changed after this is written by the write it queued.
      const saving = [...this.#unsaved];
      await writeFile(tmp, `${JSON.stringify({ lists: this.lists() }, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, this.#o.file);
      for (const id of saving) this.#unsaved.delete(id);
      this.#failure = undefined;
    } catch (err) {
      this.#failure = err;
      this.#o.log.error({ err, file: this.#o.file }, "lists not saved");
    }
  }
}

/** A list as a Home Assistant `todo` entity: its state is the number of open items. */
export function listEntity(list: TodoList): Entity {
  return {
    id: list.id,
    name: list.name,
    domain: "todo",
    aliases: [],
    state: String(list.items.filter((i) => i.status === "needs_action").length),
    attributes: {},
    source: "hearth",
  };
}

function clean(text: string): string {
  return [
    ...text
      .replace(/[\p{Cc}]/gu, " ")
      .replace(/\s+/g, " ")
      .trim(),
  ]
    .slice(0, MAX_ITEM_LENGTH)
    .join("");
}

function same(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: "base" }) === 0;
}

/** The file's lists, or undefined when it is not what Hearth writes. */
function parseLists(text: string): TodoList[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const lists = (data as { lists?: unknown })?.lists;
  if (!Array.isArray(lists)) return undefined;
  const out: TodoList[] = [];
  for (const l of lists) {
    const { id, name, items } = (l ?? {}) as Record<string, unknown>;
    if (typeof id !== "string" || !/^todo\.[a-z0-9_]+$/.test(id) || typeof name !== "string")
      return undefined;
    if (!Array.isArray(items)) return undefined;
    const kept: ListItem[] = [];
    for (const i of items) {
      const { uid, summary, status } = (i ?? {}) as Record<string, unknown>;
      if (typeof uid !== "string" || typeof summary !== "string") return undefined;
      if (status !== "needs_action" && status !== "completed") return undefined;
      kept.push({ uid, summary, status });
    }
    out.push({ id, name, items: kept });
  }
  return out;
}
