import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { intentsSchema } from "../../src/config/schema.js";
import { fixedClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { type ListChange, ListStore, listEntity, SHOPPING_LIST } from "../../src/intents/lists.js";
import {
  type CompiledSentences,
  compileSentences,
  loadSentences,
  sentenceFileSchema,
} from "../../src/intents/sentences.js";
import { TextUnderstanding } from "../../src/intents/text-understanding.js";
import { TimerManager } from "../../src/intents/timers.js";
import { Registry } from "../../src/registry/registry.js";

/**
 * To-do and shopping lists kept by Hearth: the store on disk, and the intents through the real
 * matcher (with sentences written here in Home Assistant's template language and slot names).
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hearth-lists-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function store(changes: ListChange[] = []): ListStore {
  return new ListStore({
    file: join(dir, "lists.json"),
    log: silentLogger(),
    onChange: (c) => changes.push(c),
  });
}

/** A conversation at noon on New Year's Day whose registry holds `lists`' entities, as the daemon's does. */
function understandingWith(sentences: CompiledSentences, lists?: ListStore): TextUnderstanding {
  const clock = fixedClock(new Date(2025, 0, 1, 12));
  const registry = new Registry();
  for (const l of lists?.lists() ?? []) registry.upsertEntity(listEntity(l));
  return new TextUnderstanding({
    sentences,
    registry,
    timers: new TimerManager(clock),
    lists,
    clock,
    fuzzyThreshold: 0.8,
  });
}

describe("ListStore", () => {
  it("keeps items across restarts, checked off ones marked completed", async () => {
    const changes: ListChange[] = [];
    const lists = store(changes);
    await lists.load();
    lists.add(SHOPPING_LIST.id, SHOPPING_LIST.name, "milk");
    lists.add(SHOPPING_LIST.id, SHOPPING_LIST.name, "  Milk ");
    lists.add("todo.chores", "Chores", "take out the trash");
    expect(lists.complete(SHOPPING_LIST.id, "MILK")?.status).toBe("completed");
    expect(lists.complete(SHOPPING_LIST.id, "bread")).toBeUndefined();
    await lists.flush();
    expect(changes.map((c) => [c.event, c.list.id, c.item.summary])).toEqual([
      ["added", "todo.shopping_list", "milk"],
      ["added", "todo.chores", "take out the trash"],
      ["completed", "todo.shopping_list", "milk"],
    ]);

    const again = store();
    await again.load();
    expect(again.list("todo.chores")?.items).toEqual([
      expect.objectContaining({ summary: "take out the trash", status: "needs_action" }),
    ]);
    expect(again.list(SHOPPING_LIST.id)?.items.map((i) => i.status)).toEqual(["completed"]);
    expect(listEntity(again.list("todo.chores") as never)).toMatchObject({
      id: "todo.chores",
      name: "Chores",
      domain: "todo",
      state: "1",
    });
  });

  it("sets an unreadable file aside instead of failing or overwriting it", async () => {
    await writeFile(join(dir, "lists.json"), "{ not json");
    const lists = store();
    await lists.load();
    expect(lists.lists().map((l) => l.id)).toEqual([SHOPPING_LIST.id]);
    const files = await readdir(dir);
    expect(files.some((f) => f.startsWith("lists.json.broken-"))).toBe(true);
    lists.add(SHOPPING_LIST.id, SHOPPING_LIST.name, "eggs");
    await lists.flush();
    expect(JSON.parse(await readFile(join(dir, "lists.json"), "utf8")).lists[0].items[0].summary).toBe(
      "eggs",
    );
  });

  it("fails its flush naming the list and the file while a change cannot be saved, and saves it once it can", async () => {
    // The lists' folder is a plain file: nothing can be written there, as root too.
    const folder = join(dir, "state");
    await writeFile(folder, "not a directory\n");
    const lists = new ListStore({ file: join(folder, "lists.json"), log: silentLogger() });
    lists.add("todo.hardware", "Hardware", "wall plugs");
    await expect(lists.flush()).rejects.toMatchObject({
      code: "STOP_FAILED",
      message: expect.stringMatching(/^the changes to Hardware were not saved to .*state\/lists\.json: /),
    });
    await rm(folder);
    await lists.flush();
    const saved = JSON.parse(await readFile(join(folder, "lists.json"), "utf8"));
    expect(saved.lists.find((l: { id: string }) => l.id === "todo.hardware").items[0].summary).toBe(
      "wall plugs",
    );
  });
});

describe("list intents through the matcher", () => {
  const sentences = compileSentences(
    [
      sentenceFileSchema.parse({
        intents: {
          HassShoppingListAddItem: { data: [{ sentences: ["we need [some] {item}"] }] },
          HassShoppingListCompleteItem: {
            data: [{ sentences: ["check [off] {item} (on|from) [my] shopping list"] }],
          },
          HassListAddItem: { data: [{ sentences: ["add {item} to [my|the] {name} [list]"] }] },
          HassListCompleteItem: {
            data: [{ sentences: ["check [off] {item} (on|from) [my|the] {name} [list]"] }],
          },
        },
        lists: { item: { wildcard: true } },
      }),
    ],
    intentsSchema.parse({}),
  );

  function text(lists?: ListStore) {
    lists?.ensure("todo.chores", "Chores");
    return understandingWith(sentences, lists);
  }

  it("adds to and checks off the shopping list and a named to-do list", async () => {
    const lists = store();
    await lists.load();
    const u = text(lists);
    const need = u.understand("we need some oat milk");
    expect(need.understanding).toMatchObject({
      kind: "recognized",
      intents: [{ name: "HassShoppingListAddItem", slots: { item: "oat milk" } }],
    });
    expect(need.reply).toBe("Added oat milk to the shopping list.");
    // The shopping list's to-do list said by its name is the shopping list, as Home Assistant
    // answers it: the shopping-list intent, on that list.
    const add = u.understand("add eggs to my shopping list");
    expect(add.understanding).toMatchObject({
      kind: "recognized",
      intents: [
        { name: "HassShoppingListAddItem", slots: { item: "eggs" }, targets: ["todo.shopping_list"] },
      ],
    });
    expect(add.understanding.kind === "recognized" && add.understanding.intents[0]?.slots).not.toHaveProperty(
      "name",
    );
    expect(add.reply).toBe("Added eggs to the shopping list.");
    const chore = u.understand("add water the plants to my chores list");
    expect(chore.understanding).toMatchObject({
      kind: "recognized",
      intents: [
        {
          name: "HassListAddItem",
          slots: { item: "water the plants", name: "Chores" },
          targets: ["todo.chores"],
        },
      ],
    });
    expect(chore.reply).toBe("Added water the plants to the chores list.");
    expect(u.understand("check off oat milk from my shopping list").reply).toBe(
      "Checked off oat milk on the shopping list.",
    );
    expect(u.understand("check off bread from my shopping list").reply).toBe(
      "Bread is not on the shopping list.",
    );
    expect(lists.list("todo.chores")?.items.map((i) => i.summary)).toEqual(["water the plants"]);
    expect(lists.list(SHOPPING_LIST.id)?.items.map((i) => [i.summary, i.status])).toEqual([
      ["oat milk", "completed"],
      ["eggs", "needs_action"],
    ]);
    await lists.flush();
  });

  it("says lists cannot be kept where there is no store", () => {
    expect(text().understand("we need milk").reply).toBe("Sorry, I can't keep lists here.");
  });
});

describe("what puts an item on the shopping list, with Hearth's own English and with Home Assistant's English pack", () => {
  // The pack: ../shared/ha-intents (CC BY 4.0, Home Assistant's intents project), loaded, never copied.
  const variants = [
    ["Hearth's own English", {}],
    ["with the pack", { packs: ["../shared/ha-intents"] }],
  ] as const;

  async function listening(config: object) {
    const lists = store();
    await lists.load();
    const sentences = await loadSentences(intentsSchema.parse(config), {
      language: "en",
      configDir: process.cwd(),
      stateDir: join(dir, "state"),
    });
    const u = understandingWith(sentences, lists);
    const items = async () => {
      await lists.flush();
      return lists.list(SHOPPING_LIST.id)?.items.map((i) => i.summary) ?? [];
    };
    return { u, items };
  }

  it.each(variants)("%s: a remark about the kitchen puts nothing on it", async (_name, config) => {
    const { u, items } = await listening(config);
    for (const remark of [
      "we're out of bread",
      "we are running out of milk",
      "we need more eggs",
      "we need to buy a new car",
      "i need to buy a present for mum",
      "don't forget to buy flowers",
    ]) {
      const r = u.understand(remark);
      expect(r.understanding.kind, remark).not.toBe("recognized");
      expect(r.reply, remark).not.toMatch(/^Added/);
    }
    expect(await items()).toEqual([]);
  });

  it.each(variants)("%s: asked to, it adds", async (_name, config) => {
    const { u, items } = await listening(config);
    // The pack answers in its own words ("Added bread"), Hearth's own English names the list too.
    for (const [said, item] of [
      ["add bread to the shopping list", "bread"],
      ["we're out of milk, put it on the shopping list", "milk"],
      ["we need eggs on my shopping list", "eggs"],
      ["remind me to buy flowers", "flowers"],
    ] as const) {
      expect(u.understand(said).reply, said).toMatch(new RegExp(`^Added ${item}\\b`));
    }
    expect(await items()).toEqual(["bread", "milk", "eggs", "flowers"]);
  });
});
